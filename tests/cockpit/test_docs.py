"""Documentation is tested (STYLE habit 10): docs/panels.md names every part of the panel contract,
and its example panel works."""

import dataclasses
import inspect
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cockpit import panel as panels
from cockpit.context import Ctx
from tests.cockpit.screen import chinese_region_names, text

DOC = Path(__file__).resolve().parents[2] / "docs" / "panels.md"
TEXT = DOC.read_text(encoding="utf-8")

CTX_MEMBERS = sorted(
    {name for name, _ in inspect.getmembers(Ctx) if not name.startswith("_")}
    | {f.name for f in dataclasses.fields(Ctx) if not f.name.startswith("_")}
)
PARAM_CLASSES = sorted(c.__name__ for c in panels.Param.__subclasses__())


@pytest.mark.parametrize("member", CTX_MEMBERS)
def test_every_ctx_member_is_documented(member):
    assert f"`ctx.{member}" in TEXT, f"docs/panels.md does not document ctx.{member}"


@pytest.mark.parametrize("field", sorted(panels.Panel.model_fields))
def test_every_panel_field_is_documented(field):
    assert f"| `{field}` |" in TEXT, f"docs/panels.md has no row for the Panel field {field!r}"


@pytest.mark.parametrize("param", PARAM_CLASSES)
def test_every_parameter_kind_is_documented(param):
    assert f"`{param}()`" in TEXT, f"docs/panels.md does not document {param}"


@pytest.mark.parametrize("theme", panels.THEMES)
def test_every_theme_is_documented(theme):
    assert f"`{theme}`" in TEXT


@pytest.mark.parametrize("words", ["COCKPIT_PANELS_PATH", "cockpit new-panel", "tests/cockpit/test_panels.py"])
def test_the_ways_in_are_documented(words):
    assert words in TEXT


def _example() -> str:
    blocks = re.findall(r"```python\n(.*?)```", TEXT, flags=re.S)
    return next(b for b in blocks if "PANEL = Panel(" in b and "def render" in b)


def _render(panel_id: str, lang: str, region: str) -> None:
    from cockpit import charts, panel
    from cockpit.context import PageParams
    from cockpit.views.theme import render_panel

    charts.enable()
    item = next(p for p in panel.registry() if p.id == panel_id)
    render_panel(item, PageParams(region=region, year=2024, lang=lang))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_example_panel_in_the_guide_works(tmp_path, monkeypatch, demo_home, lang):
    (tmp_path / "example.py").write_text(_example(), encoding="utf-8")
    monkeypatch.setenv("COCKPIT_PANELS_PATH", str(tmp_path))
    item = panels.load(tmp_path / "example.py")
    assert item.description["zh"] and item.description["en"] != item.description["zh"]
    monkeypatch.setenv("COCKPIT_HOME", str(demo_home))
    at = AppTest.from_function(_render, args=(item.id, lang, "520500"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert len(at.get("vega_lite_chart")) == 1
    if lang == "en":
        assert any("Bijie in all" in c.value for c in at.caption) and not chinese_region_names(text(at))
