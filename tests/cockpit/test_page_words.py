"""What a leader reads, on every page and tab of the real app: the Chinese interface shows no internal code
(a check rule or severity, a theme, library or indicator id), and the English one shows no Chinese
department or sharing-class name where an English one exists (data_marts/glossary.py).

Read is what Streamlit shows as text: Markdown bodies, labels and help, metric values, widget options,
table cells and chart titles. Inline code (a command to type, `cockpit build`) and code blocks are not."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from pandas.api.types import is_numeric_dtype

from cockpit import panel as panels
from cockpit.panel import THEMES
from cockpit.views.theme import sections
from data_marts.checks import labels
from data_marts.contracts import CONTRACTS
from data_marts.glossary import DEPARTMENTS, SHARING_CLASSES
from data_marts.indicators import BY_CODE
from tests.cockpit.pages import PAGES, THEMED, open_app
from tests.cockpit.screen import charts, markdown_texts

CODES = sorted({*labels.RULES, *labels.SEVERITIES, *THEMES, *CONTRACTS, *BY_CODE})
# A code standing alone: not part of a longer identifier, a qualified table name (base.housing) or a path.
BARE = re.compile(r"(?<![A-Za-z0-9_./\-])(" + "|".join(map(re.escape, CODES)) + r")(?![A-Za-z0-9_./\-])")
SNAKE = [code for code in CODES if "_" in code]  # in English only a snake_case id is surely a code
INLINE_CODE = re.compile(r"`[^`]*`")


def _chart_titles(spec) -> list[str]:
    found = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "title" and isinstance(value, (str, list)):
                found.extend([value] if isinstance(value, str) else map(str, value))
            elif key == "title" and isinstance(value, dict) and isinstance(value.get("text"), str):
                found.append(value["text"])
            else:
                found.extend(_chart_titles(value))
    elif isinstance(spec, list):
        for item in spec:
            found.extend(_chart_titles(item))
    return found


def read(at) -> list[str]:
    """Every text on the screen that a reader reads as words."""
    shown = [INLINE_CODE.sub("", text) for text in markdown_texts(at)]
    shown += [str(metric.value) for metric in at.metric]
    for widget in [*at.selectbox, *at.multiselect, *at.radio]:
        shown += [str(option) for option in widget.options]
    for table in at.dataframe:
        frame = table.value
        shown += [str(column) for column in frame.columns]
        shown += [str(cell) for column in frame.columns if not is_numeric_dtype(frame[column]) for cell in frame[column]]
    for spec, _ in charts(at):
        shown += _chart_titles(spec)
    return shown


def views() -> list[tuple[str, str | None]]:
    """(page, tab) for every page and every tab of a tabbed page."""
    found = []
    for page in PAGES:
        tabs = list(sections(panels.for_theme(page), "zh")) if page in THEMED else []
        found += [(page, tab) for tab in tabs[1:]] if len(tabs) > 1 else []
        found.append((page, None))
    return found


@pytest.fixture(scope="module")
def home(demo_home, tmp_path_factory):
    """A copy of the demo warehouse (the planner page opens a scenario store beside it)."""
    folder = tmp_path_factory.mktemp("page-words")
    shutil.copyfile(demo_home / "warehouse.duckdb", folder / "warehouse.duckdb")
    return folder


def _open(home, monkeypatch, page: str, tab: str | None, lang: str):
    monkeypatch.setenv("COCKPIT_HOME", str(home))
    query = {"lang": lang}
    if tab is not None:
        english = dict(zip(sections(panels.for_theme(page), "zh"), sections(panels.for_theme(page), "en")))
        query[f"tab.{page}"] = tab if lang == "zh" else english[tab]
    at = open_app(page, query)
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page,tab", views())
def test_the_chinese_interface_shows_no_internal_code(home, monkeypatch, page, tab):
    at = _open(home, monkeypatch, page, tab, "zh")
    found = {match for text in read(at) for match in BARE.findall(text)}
    assert not found, f"/{page} {tab or ''}: internal codes on the screen: {sorted(found)}"


@pytest.mark.parametrize("page,tab", views())
def test_the_english_interface_names_departments_and_sharing_classes_in_english(home, monkeypatch, page, tab):
    at = _open(home, monkeypatch, page, tab, "en")
    shown = read(at)
    chinese = {name for name in [*DEPARTMENTS, *SHARING_CLASSES] if any(name in text for text in shown)}
    assert not chinese, f"/{page} {tab or ''} in English: Chinese names on the screen: {sorted(chinese)}"
    codes = {code for code in SNAKE for text in shown if BARE.search(text) and code in BARE.findall(text)}
    assert not codes, f"/{page} {tab or ''} in English: internal codes on the screen: {sorted(codes)}"


def test_the_denylist_catches_what_it_is_for():
    assert BARE.findall("住所房屋编码：timeliness，warn · housing") == ["timeliness", "warn", "housing"]
    assert not BARE.findall("base.housing · mart.housing_grid · data_marts/housing.py · legal_entities_x")
    assert json.dumps(_chart_titles({"layer": [{"title": "a"}, {"encoding": {"x": {"title": ["b", "c"]}}}]})) \
        == '["a", "b", "c"]'
