"""The panel registry follows the panel folders while the cockpit runs: a file an analyst adds, edits
or removes shows on the next rerun, without restarting the server."""

from __future__ import annotations

import textwrap

import pytest
from streamlit.testing.v1 import AppTest

from cockpit import panel as panels


def _write(path, panel_id: str, title: str) -> None:
    path.write_text(textwrap.dedent(f'''
        """各市州人口 / Population by prefecture"""
        import streamlit as st
        from cockpit.panel import Panel

        PANEL = Panel(id="{panel_id}", theme="population", order=1,
                      title={{"zh": "{title}", "en": "{title}"}}, marts=["population_dynamics"])

        def render(ctx):
            st.write("{title}")
    '''), encoding="utf-8")


def _ids() -> list[str]:
    return [p.id for p in panels.registry()]


def test_a_file_added_edited_and_removed_after_the_registry_was_read(tmp_path, monkeypatch):
    monkeypatch.setenv("COCKPIT_PANELS_PATH", str(tmp_path))
    assert "population.late_test" not in _ids()  # the registry has been read and cached

    _write(tmp_path / "late.py", "population.late_test", "新面板")
    assert "population.late_test" in _ids()

    _write(tmp_path / "late.py", "population.late_test", "改过标题的新面板")
    late = next(p for p in panels.registry() if p.id == "population.late_test")
    assert late.title["zh"] == "改过标题的新面板"

    (tmp_path / "late.py").rename(tmp_path / "renamed.py")
    late = next(p for p in panels.registry() if p.id == "population.late_test")
    assert late.source == tmp_path / "renamed.py"

    (tmp_path / "renamed.py").unlink()
    assert "population.late_test" not in _ids()


def test_a_broken_edit_names_the_file_and_the_fix_is_picked_up(tmp_path, monkeypatch):
    monkeypatch.setenv("COCKPIT_PANELS_PATH", str(tmp_path))
    _write(tmp_path / "mine.py", "population.mine_test", "我的面板")
    assert "population.mine_test" in _ids()
    (tmp_path / "mine.py").write_text('"""坏面板"""\nPANEL = (\n', encoding="utf-8")
    with pytest.raises(panels.PanelError, match="mine.py"):
        panels.registry()
    _write(tmp_path / "mine.py", "population.mine_test", "修好的面板")
    assert next(p for p in panels.registry() if p.id == "population.mine_test").title["zh"] == "修好的面板"


def _population_page() -> None:
    from cockpit import charts
    from cockpit.context import PageParams
    from cockpit.views import theme

    charts.enable()
    theme.page("population", lambda: PageParams(region="520000", year=2024, lang="zh"))()


def test_a_running_page_shows_a_new_panel_on_its_next_rerun(tmp_path, monkeypatch, demo_home):
    monkeypatch.setenv("COCKPIT_PANELS_PATH", str(tmp_path))
    monkeypatch.setenv("COCKPIT_HOME", str(demo_home))
    at = AppTest.from_function(_population_page, default_timeout=60)
    at.run()
    before = [s.value for s in at.subheader]
    assert before and "刚写好的面板" not in before

    _write(tmp_path / "fresh.py", "population.fresh_test", "刚写好的面板")
    at.run()
    assert not at.exception, at.exception
    after = [s.value for s in at.subheader]
    assert after == ["刚写好的面板", *before]  # order=1: first on the page
