"""Themed pages: panels in more than one section become tabs, and only the open tab's panels run."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from cockpit import panel as panels
from cockpit.views.theme import sections


def _page(theme: str, lang: str) -> None:
    from cockpit import charts
    from cockpit.context import PageParams
    from cockpit.views.theme import page

    charts.enable()
    page(theme, lambda: PageParams(region="520000", year=2024, lang=lang))()


def _titles(theme: str, lang: str, section: str | None) -> list[str]:
    return [p.title[lang] for p in panels.for_theme(theme)
            if (p.section[lang] if p.section else None) == section]


def _open(demo_home, monkeypatch, theme: str, lang: str = "zh", tab: str | None = None) -> AppTest:
    monkeypatch.setenv("COCKPIT_HOME", str(demo_home))
    at = AppTest.from_function(_page, args=(theme, lang), default_timeout=60)
    if tab is not None:
        at.session_state[f"tab.{theme}"] = tab
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def test_sections_keep_page_order_with_the_unsectioned_panels_first():
    outlook, links = {"zh": "预测", "en": "Outlook"}, {"zh": "关联", "en": "Links"}

    def make(name: str, order: int, section: dict | None = None) -> panels.Panel:
        return panels.Panel(id=f"population.{name}", theme="population", order=order, marts=(),
                            title={"zh": name, "en": name}, section=section)

    items = [make("a", 10), make("b", 20, outlook), make("c", 30), make("d", 40, links), make("e", 50, outlook)]
    grouped = sections(items, "zh")
    assert list(grouped) == ["概况", "预测", "关联"]
    assert [[p.id.split(".")[1] for p in g] for g in grouped.values()] == [["a", "c"], ["b", "e"], ["d"]]
    assert list(sections(items, "en")) == ["Summary", "Outlook", "Links"]


def test_a_section_needs_both_languages():
    with pytest.raises(ValueError, match="section needs both"):
        panels.Panel(id="population.x", theme="population", title={"zh": "x", "en": "x"}, marts=(),
                     section={"zh": "预测"})


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_first_view_runs_only_the_first_tab(demo_home, monkeypatch, lang):
    at = _open(demo_home, monkeypatch, "population", lang)
    labels = [tab.label for tab in at.tabs]
    assert labels[0] == ("概况" if lang == "zh" else "Summary") and len(labels) >= 2
    shown = [h.value for h in at.subheader]
    assert shown == _titles("population", lang, None)
    assert not set(shown) & set(_titles("population", lang, labels[1])), "a closed tab's panels did not run"


def test_opening_a_tab_runs_its_panels_only(demo_home, monkeypatch):
    at = _open(demo_home, monkeypatch, "economy", tab="预测")
    assert [h.value for h in at.subheader] == _titles("economy", "zh", "预测")


def test_a_tab_label_of_the_other_language_opens_the_first_tab(demo_home, monkeypatch):
    at = _open(demo_home, monkeypatch, "economy", lang="en", tab="预测")
    assert [h.value for h in at.subheader] == _titles("economy", "en", None)


def test_a_page_in_one_section_has_no_tabs(demo_home, monkeypatch):
    at = _open(demo_home, monkeypatch, "overview")
    assert not at.tabs
    assert [h.value for h in at.subheader] == _titles("overview", "zh", None)


def test_a_theme_without_panels_says_so(demo_home, monkeypatch):
    monkeypatch.setattr(panels, "for_theme", lambda theme, role="province_leader": [])
    at = _open(demo_home, monkeypatch, "economy")
    assert [i.value for i in at.info] == ["此页面暂无面板。"] and not at.tabs and not at.subheader
