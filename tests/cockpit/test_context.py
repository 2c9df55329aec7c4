"""What ``ctx.chart`` and ``ctx.table`` add: the downloads, and the "how this number was made" expander,
which draws its SQL and lineage only once a reader opens it; a collapsed table (明细表) likewise."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

PANEL, NAME = "enterprise.survival", "survival"


def _render(panel_id: str) -> None:
    from cockpit import charts, panel
    from cockpit.context import PageParams
    from cockpit.views.theme import render_panel

    charts.enable()
    render_panel(next(p for p in panel.registry() if p.id == panel_id), PageParams(region="520500", year=2024))


def test_the_provenance_is_drawn_when_opened(demo_home, monkeypatch):
    monkeypatch.setenv("COCKPIT_HOME", str(demo_home))
    at = AppTest.from_function(_render, args=(PANEL,), default_timeout=60)
    at.run()
    assert not at.exception and not at.error
    assert [e.label for e in at.expander] == ["数据是怎么来的"]
    assert len(at.get("download_button")) == 2
    assert not at.code and not at.dataframe  # collapsed: nothing drawn inside

    at.session_state[f"{PANEL}.{NAME}.provenance"] = True  # what a click on the expander sets
    at.run()
    assert not at.exception and not at.error
    (box,) = at.expander
    sql = [c.value for c in box.code]
    assert sql and all("mart.enterprise_survival" in s for s in sql) and "520500" in sql[0]
    (lineage,) = box.dataframe
    assert {"来源", "去向"} == set(lineage.value.columns)
    assert "mart.enterprise_survival" in set(lineage.value["去向"])
    assert "`mart.enterprise_survival`" in box.markdown[0].value


def _collapsed_table(panel_id: str, rows: int) -> None:
    import polars as pl

    from cockpit import panel
    from cockpit.context import Ctx, PageParams

    item = next(p for p in panel.registry() if p.id == panel_id)
    Ctx(panel=item, params=PageParams(region="520500", year=2024)).table(
        pl.DataFrame({"a": list(range(rows))}), {"a": "甲"}, name="detail", collapsed=True)


def test_a_collapsed_table_is_drawn_when_opened_and_downloads_either_way(demo_home, monkeypatch):
    monkeypatch.setenv("COCKPIT_HOME", str(demo_home))
    at = AppTest.from_function(_collapsed_table, args=(PANEL, 7), default_timeout=60)
    at.run()
    assert not at.exception and not at.error
    assert [e.label for e in at.expander] == ["明细表（7行）", "数据是怎么来的"]
    assert not at.dataframe and len(at.get("download_button")) == 2

    one = AppTest.from_function(_collapsed_table, args=(PANEL, 1), default_timeout=60)
    one.run()
    assert one.expander[0].label == "明细表（1行）"

    at.session_state[f"{PANEL}.detail.table"] = True
    at.run()
    (table,) = at.expander[0].dataframe
    assert list(table.value.columns) == ["甲"] and len(table.value) == 7
