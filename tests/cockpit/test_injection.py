"""Hostile input (issue #10) through every URL parameter of every page of the real app, and through the
names and savers of saved scenarios: no exception, no error box, no Markdown or HTML from the input in
anything Streamlit reads as Markdown (the browser side is tests/e2e/test_injection_browser.py), and a
parameter that is not valid falls back to its default and the page says so."""

from __future__ import annotations

import re
import shutil

import duckdb
import pytest

from cockpit import escape
from cockpit import panel as panels
from cockpit.i18n import CATALOG
from cockpit.views.theme import sections
from tests.cockpit.pages import PAGES, THEMED, open_app
from tests.cockpit.screen import markdown_texts

URL = "http://127.0.0.1:9"  # the discard port: nothing answers, and the browser test sees any request
HOSTILE = {
    "link": f"[x]({URL}/link)",
    "image": f"![x]({URL}/image.png)",
    "html": f"<img src={URL}/html.png onerror=alert(1)><script>alert(2)</script>",
    "sql": "520000' OR 1=1 --",
    "long": "5" * 5000 + f"[x]({URL}/long)",
    "digits": "9" * 5000,  # int() refuses more than 4,300 digits
    "superscript": "²",  # str.isdigit() says yes, int() says no
    "control": f"\x00\x1b[31m\u202e\r\n# x\n[x]({URL}/control)",
    "other_region": "110101",  # 北京市东城区: a real code, not this deployment's
    "year_outside": "2099",
}
SHELL = ("region", "year", "lang", "display")
DEFAULTS = {"region": "520000", "year": "2024", "lang": "zh"}
SCENARIO_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")  # what could be a scenario id: looked up, and named if missing
TABBED = tuple(name for name in THEMED if len(sections(panels.for_theme(name), "zh")) > 1)
# Markup in the Markdown source: a tag, a link or image, or the URL itself.
UNESCAPED = re.compile(r"(?<!\\)<\s*(img|script|a|iframe)\b|(?<!\\)\]\(|" + re.escape(URL), re.IGNORECASE)
# GitHub autolinks are found in the text once escapes are undone: the URL must not be readable there either.
AUTOLINKED = re.compile(r"https?://|www\.|mailto:\w", re.IGNORECASE)


@pytest.fixture()
def home(tmp_path, use_home, demo_home):
    """A copy of the demo warehouse with its own scenario store."""
    shutil.copyfile(demo_home / "warehouse.duckdb", tmp_path / "warehouse.duckdb")
    return use_home(tmp_path)


def query(at) -> dict[str, str]:
    return {name: value[-1] if isinstance(value, list) else value for name, value in at.query_params.items()}


def assert_inert(at) -> None:
    """No exception, no error box, and nothing Streamlit reads as Markdown carries a live link, image or tag."""
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    for shown in markdown_texts(at):
        assert not UNESCAPED.search(shown), f"live markup on the screen: {shown[:300]!r}"
        assert not AUTOLINKED.search(re.sub(r"\\(.)", r"\1", shown)), f"a live autolink: {shown[:300]!r}"


def assert_defaults(at, page: str, wrong: tuple[str, ...]) -> None:
    """The view fell back to the defaults, the link was cleaned, and a toast named what was not valid."""
    url = query(at)
    for name, value in DEFAULTS.items():
        assert url[name] == value, (name, url[name])
    assert at.session_state["lang"] == "zh" and at.session_state["shell.year"] == 2024
    assert not at.session_state["shell.prefecture"] and not at.session_state["shell.county"]
    assert "display" not in url
    if page in TABBED:
        assert f"tab.{page}" not in url
        assert at.tabs[0].label == CATALOG["page.section_main"]["zh"]
    if wrong:
        said = [name for name in ("lang", "region", "year", "display") if name in wrong]  # the shell's order
        names = CATALOG["link.and"]["zh"].join(CATALOG[f"link.{name}"]["zh"] for name in said)
        assert [t.value for t in at.toast] == [CATALOG["shell.bad_link"]["zh"].format(names=names)]


ROUNDS = {  # every parameter hostile at once, three different ways (the tab's own values are here)
    "markup": {"region": "link", "year": "superscript", "lang": "html", "display": "image", "tab": "long",
               "scenario": "control"},
    "data": {"region": "sql", "year": "digits", "lang": "control", "display": "sql", "tab": "image",
             "scenario": "link"},
    "near": {"region": "other_region", "year": "year_outside", "lang": "image", "display": "link",
             "tab": "control", "scenario": "sql"},
}


@pytest.mark.parametrize("round_", list(ROUNDS))
@pytest.mark.parametrize("page", PAGES)
def test_every_parameter_of_every_page_at_once(home, page, round_):
    values = {name: HOSTILE[kind] for name, kind in ROUNDS[round_].items()}
    values[f"tab.{page}"] = values.pop("tab")
    at = open_app(page, values)
    assert_inert(at)
    assert_defaults(at, page, SHELL)
    if page == "planner":
        assert [w.value for w in at.warning] == [CATALOG["planner.shared_invalid"]["zh"]]
        assert "scenario" not in query(at)


@pytest.mark.parametrize("kind", list(HOSTILE))
@pytest.mark.parametrize("name", SHELL)
def test_each_shell_parameter_with_each_hostile_value(home, name, kind):
    at = open_app("status", {name: HOSTILE[kind]})
    assert_inert(at)
    assert_defaults(at, "status", (name,))


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_the_scenario_parameter_with_each_hostile_value(home, kind):
    at = open_app("planner", {"scenario": HOSTILE[kind], "region": "520500"})
    assert_inert(at)
    said = CATALOG["planner.shared_missing"]["zh"].format(id=HOSTILE[kind]) if SCENARIO_ID.fullmatch(HOSTILE[kind]) \
        else CATALOG["planner.shared_invalid"]["zh"]  # an id that could be one is named; anything else is not
    assert [w.value for w in at.warning] == [said]
    assert "scenario" not in query(at)
    assert at.session_state["planner.region"] == "520500"  # the default inputs


def test_a_scenario_id_that_is_not_saved_is_named_escaped(home):
    at = open_app("planner", {"scenario": "no_such_id-1", "region": "520500"})
    assert_inert(at)
    assert [w.value for w in at.warning] == [CATALOG["planner.shared_missing"]["zh"].format(id=r"no\_such\_id\-1")]
    assert "scenario" not in query(at)


# -- saved scenarios: names and savers ---------------------------------------------------------------

@pytest.fixture()
def saved(home):
    """Save scenarios the way `cockpit plan crops --save` does: a function that takes (name, by)."""
    from cockpit import crop_plan, scenarios
    from models.crop_plan import PlanInputs

    result = crop_plan.solve(PlanInputs(region="520500", years=2), monte_carlo=100)
    return lambda name, by: scenarios.save(name, result, by=by)


def compare(at, ids: list[str]):
    at.multiselect(key="planner.compare").set_value(ids).run()
    return at


HOSTILE_SAVED = [  # (name, saver)
    (HOSTILE["image"] + " " + HOSTILE["html"], HOSTILE["link"]),
    (HOSTILE["control"], HOSTILE["sql"]),
    (HOSTILE["long"], HOSTILE["superscript"] + HOSTILE["image"]),
]


def test_hostile_names_and_savers_are_shown_as_text(saved):
    ids = [saved(name, by) for name, by in HOSTILE_SAVED]
    at = open_app("planner", {"scenario": ids[0], "region": "520500"})
    assert_inert(at)
    assert at.text_input(key="planner.save_name").value == HOSTILE_SAVED[0][0]  # a text input: plain text
    compare(at, ids)
    assert_inert(at)
    listing, table = at.dataframe[-2].value, at.dataframe[-1].value
    options = at.multiselect(key="planner.compare").options
    for name, _ in HOSTILE_SAVED:
        assert name.strip() in set(listing[CATALOG["planner.col.name"]["zh"]])  # data frames: plain text
        label = escape.plain(name)[:40]  # one clean line where it heads a column or labels an option
        assert len([column for column in table.columns if label in column]) == 1
        assert len([option for option in options if label in option]) == 1


def test_comparing_two_scenarios_with_the_same_name_and_saver(saved):
    ids = [saved("毕节稳粮方案", "张三"), saved("毕节稳粮方案", "张三"), saved("毕节稳粮方案", "李四")]
    at = open_app("planner", {"region": "520500"})
    compare(at, ids)
    assert_inert(at)
    table = at.dataframe[-1].value
    scenarios_shown = [c for c in table.columns if c != " "]
    assert len(scenarios_shown) == 3 and len(set(scenarios_shown)) == 3
    assert [c for c in scenarios_shown if c.startswith("毕节稳粮方案 (李四) · ")][0].count(" · ") == 1  # no id needed
    assert sorted(c.rsplit(" · ", 1)[-1] for c in scenarios_shown if "张三" in c) == sorted(ids[:2])
    assert len(set(at.multiselect(key="planner.compare").options)) == 3  # the picker tells them apart too
    assert len(at.get("vega_lite_chart")) >= 4  # the comparison chart is drawn too


@pytest.mark.parametrize("name", [HOSTILE["image"], HOSTILE["html"], HOSTILE["control"]])
def test_saving_a_hostile_name_from_the_page(home, name):
    at = open_app("planner", {"region": "520500"})
    at.text_input(key="planner.save_name").input(name)
    at.text_input(key="planner.by").input(HOSTILE["link"])
    at.button(key="planner.save").click().run()
    assert_inert(at)
    scenario = query(at)["scenario"]
    assert [s.value for s in at.success][-1] == CATALOG["planner.saved"]["zh"].format(
        name=escape.markdown(name), id=scenario)


# -- a warehouse that is missing, older or damaged ---------------------------------------------------

def sentences(at) -> set[str]:
    """Each error box with its reference taken out."""
    return {re.sub(r"[0-9a-f]{8}", "REF", e.value) for e in at.error}


def catalog(*keys: str) -> set[str]:
    return {CATALOG[key]["zh"].format(ref="REF", title="{title}") for key in keys}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_without_a_warehouse_says_what_to_run(tmp_path, use_home, page):
    use_home(tmp_path)
    at = open_app(page)
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    assert [i.value for i in at.info] == [CATALOG["status.no_warehouse"]["zh"]]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_a_warehouse_an_older_version_built(tmp_path, use_home, page):
    use_home(tmp_path)
    duckdb.connect(str(tmp_path / "warehouse.duckdb")).close()  # a DuckDB file with none of today's tables
    at = open_app(page)
    assert not at.exception, at.exception
    shown = sentences(at)
    assert shown and shown <= catalog("error.rebuild", "planner.no_data"), shown


def test_a_missing_mart_breaks_only_its_panel(home):
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute("DROP TABLE mart.quality_alerts")  # read by the overview's warnings only
    at = open_app("overview")
    assert not at.exception, at.exception
    assert sentences(at) == catalog("error.rebuild") and len(at.error) == 1
    assert at.get("vega_lite_chart") and at.metric, "the map and the KPI cards still draw"
