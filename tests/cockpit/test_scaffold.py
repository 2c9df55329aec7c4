"""`cockpit new-panel`: the starter file is a working panel — discovered, rendered, never overwritten."""

import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from cockpit import panel as panels
from cockpit import scaffold
from cockpit.cli import app
from data_marts import regions

runner = CliRunner()


def _render(panel_id: str, lang: str, region: str, year: int) -> None:
    from cockpit import charts, panel
    from cockpit.context import PageParams
    from cockpit.views.theme import render_panel

    charts.enable()
    item = next(p for p in panel.registry() if p.id == panel_id)
    render_panel(item, PageParams(region=region, year=year, lang=lang))


def test_new_panel_help():
    result = runner.invoke(app, ["new-panel", "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("region", ["520000", "520502"])
def test_the_generated_panel_is_discovered_and_renders(tmp_path, monkeypatch, demo_home, lang, region):
    monkeypatch.setenv("COCKPIT_PANELS_PATH", str(tmp_path))
    result = runner.invoke(app, ["new-panel", "gdp_starter", "--theme", "economy"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "gdp_starter.py").is_file()
    item = next(p for p in panels.registry() if p.id == "economy.gdp_starter")
    assert item.source == tmp_path / "gdp_starter.py"
    assert item.marts == ("region_profile",) and item.description["zh"] and item.description["en"]

    monkeypatch.setenv("COCKPIT_HOME", str(demo_home))
    at = AppTest.from_function(_render, args=("economy.gdp_starter", lang, region, 2024), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.subheader[0].value == item.title[lang]
    assert len(at.get("vega_lite_chart")) == 1
    assert len(at.get("download_button")) == 2  # CSV and Excel from ctx.chart
    assert ("地区生产总值" if lang == "zh" else "GDP in 2024") in at.caption[1].value
    assert at.caption[1].value.startswith(regions.name(region, lang))  # 七星关区 / Qixingguan District


def test_the_generated_source_binds_its_parameters():
    text = scaffold.source("x", "population")
    assert 'id="population.x"' in text
    assert "region_code = ? AND year <= ?" in text and "[ctx.params.region, ctx.params.year]" in text
    assert "ctx.chart(" in text
    compile(text, "x.py", "exec")


def test_it_refuses_to_overwrite(tmp_path):
    first = runner.invoke(app, ["new-panel", "mine", "--folder", str(tmp_path)])
    assert first.exit_code == 0, first.output
    (tmp_path / "mine.py").write_text("# my edits\n", encoding="utf-8")
    second = runner.invoke(app, ["new-panel", "mine", "--folder", str(tmp_path)])
    assert second.exit_code == 1
    assert "already exists" in second.output
    assert (tmp_path / "mine.py").read_text(encoding="utf-8") == "# my edits\n"


def test_a_folder_outside_the_panels_path_gets_a_hint(tmp_path, monkeypatch):
    monkeypatch.delenv("COCKPIT_PANELS_PATH", raising=False)
    result = runner.invoke(app, ["new-panel", "elsewhere", "--folder", str(tmp_path / "new")], terminal_width=300)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "new" / "elsewhere.py").is_file()
    assert "COCKPIT_PANELS_PATH" in result.output


@pytest.mark.parametrize("name", ["MyPanel", "my-panel", "1panel", "_hidden", "my panel", "面板", "a.b", ""])
def test_bad_names_are_refused(tmp_path, name):
    result = runner.invoke(app, ["new-panel", name, "--folder", str(tmp_path)])
    assert result.exit_code == 1
    assert "lowercase" in result.output
    assert list(tmp_path.iterdir()) == []


def test_unknown_theme_and_taken_id_are_refused(tmp_path):
    result = runner.invoke(app, ["new-panel", "x", "--theme", "weather", "--folder", str(tmp_path)])
    assert result.exit_code == 1 and "weather" in result.output
    taken = panels.registry()[0]
    theme, name = taken.id.split(".")
    result = runner.invoke(app, ["new-panel", name, "--theme", theme, "--folder", str(tmp_path)], terminal_width=300)
    assert result.exit_code == 1 and "already used" in result.output
    assert list(tmp_path.iterdir()) == []


def test_default_folder_is_the_first_configured_one(tmp_path, monkeypatch):
    import os

    monkeypatch.setenv("COCKPIT_PANELS_PATH", os.pathsep.join([str(tmp_path / "a"), str(tmp_path / "b")]))
    assert scaffold.default_folder() == tmp_path / "a"
    monkeypatch.delenv("COCKPIT_PANELS_PATH")
    assert scaffold.default_folder() == panels.BUILTIN_DIR
