"""The panel contract: every registered panel (built-in or an analyst's) renders on the demo
warehouse in Chinese and English with no exception and no error box, shows no Chinese region name in
English, and is documented."""

import textwrap

import pytest
from streamlit.testing.v1 import AppTest

from cockpit import panel as panels
from cockpit.batch import derived_marts
from data_marts import mart_files, reference_tables
from tests.cockpit.screen import chinese_region_names, text

PANEL_IDS = [p.id for p in panels.registry()]
MARTS = ({m.name for m in mart_files.discover()} | set(reference_tables.META)
         | {m.name for m in derived_marts()})  # marts computed at build time (forecasts, projections)


def _render(panel_id: str, lang: str, region: str, year: int) -> None:
    from cockpit import charts, panel
    from cockpit.context import PageParams
    from cockpit.views.theme import render_panel

    charts.enable()
    item = next(p for p in panel.registry() if p.id == panel_id)
    render_panel(item, PageParams(region=region, year=year, lang=lang))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("region", ["520000", "520500", "520502"])
@pytest.mark.parametrize("panel_id", PANEL_IDS)
def test_every_panel_renders(demo_home, monkeypatch, panel_id, lang, region):
    monkeypatch.setenv("COCKPIT_HOME", str(demo_home))
    at = AppTest.from_function(_render, args=(panel_id, lang, region, 2024), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    if lang == "en":  # names come from ctx.region_name / ctx.region_names (docs/panels.md, "Region names")
        assert not chinese_region_names(text(at)), "a Chinese region name on an English page"


@pytest.mark.parametrize("panel_id", PANEL_IDS)
def test_every_panel_says_how_its_numbers_were_made(demo_home, monkeypatch, panel_id):
    """The "how this number was made" expanders draw only once opened: open them all."""
    monkeypatch.setenv("COCKPIT_HOME", str(demo_home))
    at = AppTest.from_function(_render, args=(panel_id, "zh", "520000", 2024), default_timeout=60)
    at.run()
    for key in [k for k in at.session_state.keys() if k.endswith((".provenance", ".table"))]:
        at.session_state[key] = True  # and the collapsed tables (明细表)
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    for box in (b for b in at.expander if b.label == "数据是怎么来的"):
        assert box.code and box.dataframe, "the SQL it ran and its lineage"
    for box in (b for b in at.expander if b.label.startswith("明细表")):
        assert box.dataframe, "an opened 明细表 draws its table"


@pytest.mark.parametrize("panel_id", PANEL_IDS)
def test_every_panel_is_documented_and_reads_known_marts(panel_id):
    item = next(p for p in panels.registry() if p.id == panel_id)
    assert item.description["zh"] and item.description["en"]
    assert set(item.marts) <= MARTS, set(item.marts) - MARTS


def test_an_analysts_panel_is_discovered_from_the_configured_folder(tmp_path, monkeypatch, demo_home):
    (tmp_path / "my_panel.py").write_text(textwrap.dedent('''
        """各市州人口 / Population by prefecture"""
        from cockpit.panel import Panel, YearParam

        PANEL = Panel(id="population.by_prefecture_test", theme="population",
                      title={"zh": "各市州人口", "en": "Population by prefecture"},
                      marts=["population_dynamics"], params=(YearParam(),))

        def render(ctx):
            df = ctx.query("SELECT region_code, population FROM mart.population_dynamics "
                           "WHERE region_level = 'prefecture' AND year = ?", [ctx.params.year])
            ctx.table(df)
    '''), encoding="utf-8")
    monkeypatch.setenv("COCKPIT_PANELS_PATH", str(tmp_path))
    assert "population.by_prefecture_test" in [p.id for p in panels.registry()]
    monkeypatch.setenv("COCKPIT_HOME", str(demo_home))
    at = AppTest.from_function(_render, args=("population.by_prefecture_test", "zh", "520000", 2024),
                               default_timeout=60)
    at.run()
    assert not at.exception and not at.error
    assert len(at.dataframe) >= 1


def test_a_broken_panel_file_names_itself(tmp_path, monkeypatch):
    (tmp_path / "broken.py").write_text('"""坏面板"""\nPANEL = 1\n', encoding="utf-8")
    monkeypatch.setenv("COCKPIT_PANELS_PATH", str(tmp_path))
    with pytest.raises(panels.PanelError, match="broken.py"):
        panels.registry()
