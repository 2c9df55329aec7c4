"""The security matrix, driven by the registries: every page and every panel × every demo role ×
injected URL parameters shows no row outside the role's scope and no traceback; downloads are scoped;
a signed-out browser and a token without a region see only the sign-in page.

How it stays fast (≤ 4 min on 2 cores): the URL → region resolution is tried exhaustively as a pure
function (tests/cockpit/test_access.py); here every read the page makes through the query layer is
recorded (``query.run``), with what a download would offer and what the planner solved, and every
region code in them is checked against the scope, rather than reading the page. Each page × role runs
once with one injected parameter, rotated so every parameter meets every page; each panel × role once
through the same recording, asked for a region outside the scope.

The figures (cases tried, rows out of scope) are written to test-artifacts/security-matrix.json.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from cockpit import access, idp, query
from cockpit import panel as panels
from cockpit.context import Ctx
from cockpit.i18n import CATALOG
from cockpit.identity import User, from_claims
from cockpit.views import planner
from tests.cockpit.pages import APP, PAGES
from tests.cockpit.screen import charts

pytestmark = pytest.mark.signed_in

ACCOUNTS = {a.sub: a for a in idp.ACCOUNTS}
INJECTED = {"other_prefecture": "520100", "beijing": "110000", "sql": "' OR 1=1 --", "long": "5" * 5000}
CODE = re.compile(r"[0-9]{6}")
REGION_COLUMNS = ("region_code", "code")
# The planner calibrates on every county once per build (crop_plan.data); what it shows is the planned
# region's counties, checked below on the solved plan.
UNSCOPED_CALLERS = {"cockpit.crop_plan"}
RESULTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "security-matrix.json"
TALLY = {"page_cases": 0, "panel_cases": 0, "signed_out_cases": 0, "frames_checked": 0, "rows_checked": 0,
         "rows_out_of_scope": 0, "unscoped_reads": 0, "tracebacks": 0}


def claims(account: str) -> dict:
    return {"is_logged_in": True, "sub": account, **ACCOUNTS[account].claims()}


def user_of(account: str) -> User:
    return from_claims(claims(account))


@dataclass
class Recorder:
    reads: list[tuple[str, query.Scope | None, str, pl.DataFrame]] = field(default_factory=list)
    offered: list[pl.DataFrame] = field(default_factory=list)
    solved: list[pl.DataFrame] = field(default_factory=list)

    def outside(self, user: User) -> tuple[int, int, list[str]]:
        """(rows checked, rows outside the user's scope, reads made without the user's scope)."""
        scope = access.scope(user)
        frames = [frame for _, used, caller, frame in self.reads if not (caller in UNSCOPED_CALLERS and used is None)]
        frames += self.offered + self.solved
        checked = outside = 0
        for frame in frames:
            for column in REGION_COLUMNS:
                if column in frame.columns and frame.schema[column] == pl.String:
                    codes = [c for c in frame[column].to_list() if c and CODE.fullmatch(c)]
                    checked += len(codes)
                    outside += sum(not scope.allows(c) for c in codes)
        unscoped = [sql for sql, used, caller, _ in self.reads if (used is not None or caller not in UNSCOPED_CALLERS)
                    and (used is None or used.prefixes != scope.prefixes)]
        TALLY["frames_checked"] += len(frames)
        TALLY["rows_checked"] += checked
        TALLY["rows_out_of_scope"] += outside
        TALLY["unscoped_reads"] += len(unscoped)
        return checked, outside, unscoped


@pytest.fixture()
def recorder(monkeypatch) -> Recorder:
    found = Recorder()
    run, footer, solve = query.run, Ctx._footer, planner._solve

    def recorded_run(sql, params=None, scope=None, **options):
        frame = run(sql, params, scope, **options)
        found.reads.append((sql, scope, sys._getframe(1).f_globals.get("__name__", ""), frame))
        return frame

    def recorded_footer(self, data, name):  # what the CSV and Excel buttons of a chart or table would hand out
        found.offered.append(data)
        return footer(self, data, name)

    def recorded_solve(inputs):
        result = solve(inputs)
        found.solved.append(result.plan)
        return result

    monkeypatch.setattr(query, "run", recorded_run)
    monkeypatch.setattr(Ctx, "_footer", recorded_footer)
    monkeypatch.setattr(planner, "_solve", recorded_solve)
    return found


@pytest.fixture(scope="module")
def tally():
    yield TALLY
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(TALLY, indent=1))
    print(f"\nsecurity matrix: {json.dumps(TALLY)}")


@pytest.fixture()
def home(tmp_path, use_home, demo_home):
    """The demo warehouse, with this test's own scenario store and audit log."""
    (tmp_path / "warehouse.duckdb").symlink_to(demo_home / "warehouse.duckdb")
    return use_home(tmp_path)


def _denied(home: Path) -> list[dict]:
    records = [json.loads(line) for file in sorted((home / "audit").glob("*.jsonl"))
               for line in file.read_text().splitlines()] if (home / "audit").exists() else []
    return [r for r in records if r["action"] == "denied"]


def _run(page: str, user: dict, query_params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.user = user
    for name, value in query_params.items():
        at.query_params[name] = value
    at._page_hash = calc_hash("start" if page == "overview" else page)
    return at.run()


# Every page × every role, one injected parameter each, rotated so every parameter meets every page.
CASES = [(page, account, list(INJECTED)[(p + a) % len(INJECTED)])
         for p, page in enumerate(PAGES) for a, account in enumerate(ACCOUNTS)]


@pytest.mark.parametrize(("page", "account", "injected"), CASES)
def test_every_page_for_every_role_stays_in_scope(home, recorder, tally, page, account, injected):
    tally["page_cases"] += 1
    user = user_of(account)
    at = _run(page, claims(account), {"region": INJECTED[injected]})
    tally["tracebacks"] += len(at.exception)
    assert not at.exception, at.exception
    checked, outside, unscoped = recorder.outside(user)
    assert outside == 0, f"{outside} of {checked} rows outside {account}'s scope on {page}"
    assert not unscoped, unscoped
    if access.may_open(user, page):
        assert not at.error, [e.value for e in at.error]
    else:  # the framework refuses the page: one sentence, no read, recorded
        assert [e.value for e in at.error] == [CATALOG["signin.page_denied"]["zh"]]
        assert not recorder.reads
        assert any(r["what"] == "page" and r["page"] == page for r in _denied(home))
    assert access.scope(user).allows(at.query_params["region"][-1] if isinstance(at.query_params["region"], list)
                                     else at.query_params["region"])
    shown, refused = access.resolve_region(INJECTED[injected], user)
    if refused:  # the link fell back to the user's own region, said so and was recorded
        assert at.toast
        assert any(r["what"] == "region" and r["reason"] == refused for r in _denied(home))
    crumbs = [b.key.removeprefix("shell.crumb.") for b in at.button if (b.key or "").startswith("shell.crumb.")]
    assert all(access.scope(user).allows(code) for code in crumbs), crumbs  # no way up out of the scope
    for spec, frames in charts(at):  # and what the charts drew
        recorder.offered.extend(frames.values())
    assert recorder.outside(user)[1] == 0
    if page == "planner" and access.may_open(user, page):
        assert recorder.solved, "the planner solved nothing"
        assert access.scope(user).allows(at.selectbox(key="planner.region").value)


def _all_panels(account: str, region: str) -> None:
    from cockpit import access, idp
    from cockpit import panel as panels
    from cockpit.context import PageParams
    from cockpit.identity import from_claims
    from cockpit.views.theme import render_panel

    claims = next(a for a in idp.ACCOUNTS if a.sub == account).claims()
    user = from_claims({"is_logged_in": True, "sub": account, **claims})
    params = PageParams(region=region, year=2024, lang="zh", scope=access.scope(user), roles=user.roles)
    for item in panels.registry():
        render_panel(item, params)


# Each panel × each role, asked for a region outside the role's scope (the shell would not let it,
# the query layer must not either), and for the role's own region.
PANEL_CASES = [(account, kind) for account in ACCOUNTS for kind in ("own", "outside")]


@pytest.mark.parametrize(("account", "kind"), PANEL_CASES)
def test_every_panel_for_every_role_reads_only_the_scope(home, recorder, tally, account, kind):
    user = user_of(account)
    root = access.root(user)
    region = root if kind == "own" else "520100" if root != access.home_region() else "110000"
    allowed = [p for p in panels.registry() if access.panel_allowed(user, p)]
    tally["panel_cases"] += len(allowed)
    at = AppTest.from_function(_all_panels, args=(account, region), default_timeout=300)
    at.user = claims(account)
    at.run()
    tally["tracebacks"] += len(at.exception)
    assert not at.exception, at.exception
    for spec, frames in charts(at):
        recorder.offered.extend(frames.values())
    checked, outside, unscoped = recorder.outside(user)
    assert outside == 0, f"{outside} of {checked} rows outside {account}'s scope"
    assert not unscoped, unscoped
    if kind == "own":
        assert checked, "the panels read nothing: the check would be empty"
        assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("who", "reason"), [
    ({"is_logged_in": False}, "signed_out"),
    ({"is_logged_in": True, "sub": "someone", "roles": ["prefecture_leader"]}, "no_region"),
    ({"is_logged_in": True, "sub": "someone", "region": "520500"}, "no_role"),
])
def test_without_a_user_every_page_is_the_sign_in_page(home, recorder, tally, page, who, reason):
    tally["signed_out_cases"] += 1
    at = _run(page, who, {"region": "520500"})
    assert not at.exception, at.exception
    assert not recorder.reads and not recorder.offered
    assert [i.value for i in at.info] == [CATALOG[f"signin.{reason}"]["zh"]]
    assert [t.value for t in at.title] == [CATALOG["app.title"]["zh"]]
    assert not at.sidebar.children and not at.selectbox and not at.dataframe
    if reason != "signed_out":
        assert any(r["what"] == "signin" and r["reason"] == reason for r in _denied(home))


def test_the_sign_in_page_offers_the_provider(home, recorder):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.user = {"is_logged_in": False}
    at.secrets["auth"] = {"redirect_uri": "http://127.0.0.1:1/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "c", "client_secret": "s", "server_metadata_url": "http://127.0.0.1:1/m"}
    at.run()
    assert [b.label for b in at.button] == [CATALOG["signin.button"]["zh"]]
