"""The planner page (农业 → 种植结构情景) in AppTest: renders in Chinese and English with its charts,
metrics and binding constraints; re-solves when an input changes; saves a scenario and opens it again
from the share link; shows an impossible scenario's sentence instead of a plan."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from cockpit.i18n import CATALOG
from tests.cockpit.screen import chinese_region_names, text


def _page(lang: str, region: str) -> None:
    import streamlit as st

    from cockpit import charts
    from cockpit.context import PageParams
    from cockpit.views import planner

    charts.enable()
    st.session_state["lang"] = lang
    planner.render(PageParams(region=region, year=2024, lang=lang))


@pytest.fixture()
def home(tmp_path, use_home, demo_home):
    shutil.copyfile(demo_home / "warehouse.duckdb", tmp_path / "warehouse.duckdb")
    return use_home(tmp_path)


def app(lang: str = "zh", region: str = "520500") -> AppTest:
    return AppTest.from_function(_page, args=(lang, region), default_timeout=120)


def clean(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_renders_a_plan(home, lang):
    at = app(lang).run()
    clean(at)
    assert at.title[0].value == CATALOG["planner.title"][lang]
    assert len(at.get("vega_lite_chart")) >= 3  # structure, map, income and risk
    assert len(at.metric) == 4
    words = "粮食底线" if lang == "zh" else "grain floor"
    assert any(words in m.value for m in at.markdown)
    assert at.selectbox(key="planner.region").value == "520500"
    bijie = "毕节市" if lang == "zh" else "Bijie"
    assert bijie in at.selectbox(key="planner.region").options
    assert at.success[0].value.startswith("毕节市2025" if lang == "zh" else "Bijie (520500) 2025")
    if lang == "en":
        assert not chinese_region_names(text(at)), "a Chinese region name on the English page"


def test_the_province_is_planned_from_the_sidebar_region(home):
    at = app("zh", "520000").run()
    clean(at)
    assert at.selectbox(key="planner.region").value == "520000"


def test_changing_an_input_re_solves(home):
    at = app().run()
    before = at.success[0].value
    at.slider(key="planner.risk").set_value(1.0).run()
    clean(at)
    assert at.success[0].value != before


def test_an_impossible_floor_shows_the_sentence(home):
    at = app().run()
    at.checkbox(key="planner.floor_from_task").uncheck().run()
    at.number_input(key="planner.floor").set_value(90_000.0).run()
    assert not at.exception
    assert any("粮食底线" in e.value and "耕地" in e.value for e in at.error)


def test_save_then_open_from_the_share_link(home):
    at = app().run()
    at.slider(key="planner.years").set_value(3).run()
    at.text_input(key="planner.save_name").input("毕节三年方案")
    at.text_input(key="planner.by").input("王五")
    at.button(key="planner.save").click().run()
    clean(at)
    scenario_id = at.query_params["scenario"]
    assert scenario_id and any("毕节三年方案" in s.value for s in at.success)

    shared = app()
    shared.query_params["scenario"] = scenario_id
    shared.run()
    clean(shared)
    assert shared.slider(key="planner.years").value == 3
    assert shared.text_input(key="planner.save_name").value == "毕节三年方案"
    shared.multiselect(key="planner.compare").select(scenario_id).run()
    clean(shared)
    assert len(shared.get("vega_lite_chart")) >= 4
