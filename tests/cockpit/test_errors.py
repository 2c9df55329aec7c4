"""One sentence, never a traceback: a failing panel, page or store says in the page language what to do,
with a reference under which the server log holds the traceback; the shipped configuration shows no
error details in the browser and offers no download that bypasses cockpit/exports.py."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from cockpit.i18n import CATALOG
from tests.cockpit.pages import open_app
from tests.cockpit.screen import text

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"
SECRET = "SECRET-DETAIL /srv/cockpit/warehouse.duckdb"


def sentence(key: str, lang: str, **values) -> re.Pattern:
    """The catalog sentence with any reference (8 hex digits) in place of {ref}."""
    return re.compile(re.escape(CATALOG[key][lang].format(ref="@REF@", **values)).replace("@REF@", "([0-9a-f]{8})"))


def logged(home: Path, ref: str) -> str:
    """The log record with reference ``ref``: its line and the traceback after it."""
    log = (home / "logs" / "cockpit.log").read_text(encoding="utf-8")
    assert f"[ref {ref}]" in log
    return log[log.rfind("\n", 0, log.index(f"[ref {ref}]")) + 1:]


def test_the_shipped_config_shows_no_error_details_and_no_raw_table_downloads():
    client = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["client"]
    assert client["showErrorDetails"] == st_config.ShowErrorDetailsConfigOptions.NONE.value
    assert client["showErrorDetails"] in {o.value for o in st_config.ShowErrorDetailsConfigOptions}
    assert client["disableDataExport"] is True


PANEL_FILE = '''"""坏面板 / Broken panel"""
from cockpit.panel import Panel

PANEL = Panel(id="overview.broken", theme="overview", title={"zh": "坏面板", "en": "Broken panel"}, marts=())


def render(ctx):
    raise RuntimeError("''' + SECRET + '''")
'''


def _broken_panel(lang: str) -> None:
    import streamlit as st

    from cockpit import panel
    from cockpit.context import PageParams
    from cockpit.views.theme import render_panel

    st.session_state["lang"] = lang
    render_panel(next(p for p in panel.registry() if p.id == "overview.broken"), PageParams("520000", 2024, lang))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_broken_panel_says_one_sentence_and_logs_the_traceback(tmp_path, monkeypatch, lang):
    (tmp_path / "panels").mkdir()
    (tmp_path / "panels" / "broken.py").write_text(PANEL_FILE, encoding="utf-8")
    monkeypatch.setenv("COCKPIT_PANELS_PATH", str(tmp_path / "panels"))
    monkeypatch.setenv("COCKPIT_HOME", str(tmp_path))
    at = AppTest.from_function(_broken_panel, args=(lang,)).run()
    assert not at.exception
    (error,) = at.error
    match = sentence("error.panel", lang, title="坏面板" if lang == "zh" else "Broken panel").fullmatch(error.value)
    assert match, error.value
    assert "SECRET" not in text(at) and "RuntimeError" not in text(at)
    details = logged(tmp_path, match.group(1))
    assert "Traceback" in details and SECRET in details and "panel overview.broken" in details


def _failing(kind: str, secret: str) -> None:
    import duckdb
    import streamlit as st

    from cockpit import errors

    with errors.guard("test part", "error.scenarios"):
        st.write("before")
        raise duckdb.CatalogException(secret) if kind == "catalog" else OSError(secret)


def test_an_older_warehouse_says_rebuild(tmp_path, monkeypatch):
    monkeypatch.setenv("COCKPIT_HOME", str(tmp_path))
    at = AppTest.from_function(_failing, args=("catalog", SECRET)).run()
    assert not at.exception and at.markdown[0].value == "before"
    assert sentence("error.rebuild", "zh").fullmatch(at.error[0].value), at.error[0].value
    at = AppTest.from_function(_failing, args=("other", SECRET)).run()
    assert sentence("error.scenarios", "zh").fullmatch(at.error[0].value), at.error[0].value
    assert "SECRET" not in text(at)


def _exploding(*_) -> None:  # stands in for a page function, whatever it is given
    raise ValueError(SECRET)


def test_what_no_page_foresaw_is_one_sentence_from_the_app(demo_home, monkeypatch):
    """The last line of defence in cockpit/app.py, on the real app: the status page blows up."""
    from cockpit.views import status

    monkeypatch.setenv("COCKPIT_HOME", str(demo_home))
    monkeypatch.setattr(status, "render", _exploding)
    at = open_app("status")
    assert not at.exception, at.exception
    match = sentence("error.page", "zh").fullmatch(at.error[0].value)
    assert match, at.error[0].value
    assert "SECRET" not in text(at)
    assert SECRET in logged(demo_home, match.group(1))
