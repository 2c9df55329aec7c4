"""数据底座: what the last build produced — tables, row counts, load accounting, quality, lineage."""

from __future__ import annotations

import polars as pl
import streamlit as st

from cockpit import warehouse
from cockpit.i18n import language, t


def _renamed(frame: pl.DataFrame, columns: dict[str, str]) -> pl.DataFrame:
    return frame.select(list(columns)).rename({k: t(v) for k, v in columns.items()})


def render() -> None:
    st.title(t("status.title"))
    st.caption(t("status.caption"))
    try:
        build = warehouse.query("SELECT * FROM meta.build_log ORDER BY finished_at DESC LIMIT 1")
    except FileNotFoundError:
        st.info(t("status.no_warehouse"))
        return
    settings = dict(warehouse.query("SELECT key, value FROM meta.settings").iter_rows())
    loads = warehouse.query("SELECT * FROM meta.load_log ORDER BY load_id")
    catalog = warehouse.query("SELECT * FROM meta.catalog ORDER BY schema_name, table_name")
    quality = warehouse.quality_report()

    base_rows = catalog.filter(pl.col("schema_name") == "base")["row_count"].sum()
    marts = catalog.filter(pl.col("schema_name") == "mart").height
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("status.built_at"), f"{build['finished_at'][0]:%Y-%m-%d %H:%M}")
    c2.metric(t("status.base_rows"), f"{base_rows:,}")
    c3.metric(t("status.marts"), f"{marts}")
    c4.metric(t("status.quarantined"), f"{loads['rows_quarantined'].sum():,}")
    if "person_sample_rate" in settings and float(settings["person_sample_rate"]) < 1:
        st.info(t("status.sample_note", rate=float(settings["person_sample_rate"])))

    st.subheader(t("status.loads"))
    balanced = (loads["rows_read"] == loads["rows_loaded"] + loads["rows_quarantined"]).all()
    (st.success if balanced else st.error)(t("status.balanced") if balanced else t("status.unbalanced"))
    st.dataframe(
        _renamed(loads.with_columns(pl.col("source_file").str.split("/").list.last()), {
            "source_file": "col.file", "table_name": "col.table", "rows_read": "col.rows_read",
            "rows_loaded": "col.rows_loaded", "rows_quarantined": "col.rows_quarantined",
            "vintage": "col.vintage", "loaded_at": "col.loaded_at"}),
        hide_index=True, use_container_width=True,
    )

    st.subheader(t("status.quality"))
    st.dataframe(
        _renamed(quality.with_columns((pl.col("rows_failed") / pl.col("rows_checked")).alias("rate")), {
            "department": "col.department", "table_name": "col.table", "rule": "col.rule",
            "column_name": "col.column", "rows_checked": "col.checked", "rows_failed": "col.failed",
            "rate": "col.rate", "severity": "col.severity"}),
        hide_index=True, use_container_width=True,
        column_config={t("col.rate"): st.column_config.NumberColumn(format="percent")},
    )

    st.subheader(t("status.tables"))
    described = "zh" if language() == "zh" else "en"
    st.dataframe(
        _renamed(catalog.with_columns((pl.col("schema_name") + "." + pl.col("table_name")).alias("table")), {
            "table": "col.table", described: "col.description", "owner": "col.owner",
            "sharing_class": "col.sharing", "row_count": "col.rows"}),
        hide_index=True, use_container_width=True,
    )

    st.subheader(t("status.lineage"))
    edges = warehouse.query(
        "SELECT DISTINCT source, target FROM meta.lineage WHERE source_column IS NULL "
        "AND target_kind IN ('base', 'mart') ORDER BY target, source"
    )
    st.dataframe(_renamed(edges, {"source": "col.source", "target": "col.target"}),
                 hide_index=True, use_container_width=True)
