"""数据底座: what the last build produced — tables, row counts, load accounting, quality, lineage.

The page goes through the user's scope like every other: ``meta.*`` rows carry no region, and their
counts are the whole home region's, so a user whose scope is narrower sees the catalog and lineage
without counts, loads or quality figures (and the refusal is audited)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from collections.abc import Callable

from cockpit import access, errors, identity, query, warehouse, words
from cockpit.context import PageParams
from cockpit.i18n import language, t


def _renamed(frame: pl.DataFrame, columns: dict[str, str]) -> pl.DataFrame:
    return frame.select(list(columns)).rename({k: t(v) for k, v in columns.items()})


def _table(frame: pl.DataFrame, columns: dict[str, str], percent: tuple[str, ...] = ()) -> None:
    """A localized table: translated headers, thousands separators, percentages where named."""
    shown = _renamed(frame, columns)
    config = {}
    for source, key in columns.items():
        dtype = frame.schema[source]
        if source in percent:
            config[t(key)] = st.column_config.NumberColumn(format="%.2f%%")
        elif dtype.is_integer():
            config[t(key)] = st.column_config.NumberColumn(format="localized")
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config)


def page(params_of: Callable[[], PageParams]) -> Callable[[], None]:
    def render_page() -> None:
        render(params_of().scope)

    render_page.__name__ = "page_status"
    return render_page


def render(scope: query.Scope | None = None) -> None:
    """The page in ``scope`` (default: the signed-in user's; nothing without one)."""
    if scope is None:
        user = identity.current()
        if user is None:
            return
        scope = access.scope(user)
    st.title(t("status.title"))
    st.caption(t("status.caption"))
    try:
        warehouse.generation()
    except FileNotFoundError:
        st.info(t("status.no_warehouse"))
        return
    with errors.guard("status page"):  # e.g. a warehouse an older version built: one sentence, rebuild
        if scope.allows(access.home_region()):
            _report()
        else:
            access.deny("status counts", identity.current(), scope=",".join(sorted(scope.prefixes)))
            st.info(t("status.scoped"))
            _catalog_only()


def _catalog_only() -> None:
    """The catalog and lineage without counts: what exists, not how much of it the home region holds."""
    catalog = warehouse.query("SELECT * FROM meta.catalog ORDER BY schema_name, table_name")
    described = "zh" if language() == "zh" else "en"
    _lineage(_catalog(catalog, described, counts=False), described)


def _catalog(catalog: pl.DataFrame, described: str, counts: bool) -> pl.DataFrame:
    """The tables in words (owner, sharing class), their row counts where the scope allows; returned in words."""
    st.subheader(t("status.tables"))
    catalog = words.catalog(catalog.with_columns((pl.col("schema_name") + "." + pl.col("table_name")).alias("table")),
                            language())
    _table(catalog, {described: "col.description", "owner": "col.owner", "sharing_class": "col.sharing",
                     **({"row_count": "col.rows"} if counts else {}), "table": "col.table_id"})
    return catalog


def _lineage(catalog: pl.DataFrame, described: str) -> None:
    st.subheader(t("status.lineage"))
    edges = warehouse.query(
        "SELECT DISTINCT source, target FROM meta.lineage WHERE source_column IS NULL "
        "AND target_kind IN ('base', 'mart') ORDER BY target, source"
    )
    # A table by its name, the part of its description before the colon (种植业：分地区… → 种植业).
    short = catalog.select("table", pl.col(described).str.split("：" if described == "zh" else ": ").list.first())
    edges = words.lineage(edges, dict(short.drop_nulls().iter_rows()), language())
    _table(edges, {"source": "col.source", "target": "col.target"})


def _report() -> None:
    build = warehouse.query("SELECT * FROM meta.build_log ORDER BY finished_at DESC LIMIT 1")
    if build.is_empty():
        st.info(t("status.no_warehouse"))
        return
    settings = dict(warehouse.query("SELECT key, value FROM meta.settings").iter_rows())
    loads = warehouse.query("SELECT * FROM meta.load_log ORDER BY load_id")
    catalog = warehouse.query("SELECT * FROM meta.catalog ORDER BY schema_name, table_name")
    quality = warehouse.quality_report()

    base_rows = catalog.filter(pl.col("schema_name") == "base")["row_count"].sum()
    marts = catalog.filter(pl.col("schema_name") == "mart").height
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("status.built_at"), f"{build['finished_at'][0]:%m-%d %H:%M}",
              help=f"{build['finished_at'][0]:%Y-%m-%d %H:%M:%S} · {build['build_id'][0]}")
    c2.metric(t("status.base_rows"), f"{base_rows:,}")
    c3.metric(t("status.marts"), f"{marts}")
    c4.metric(t("status.quarantined"), f"{loads['rows_quarantined'].sum():,}")
    if "person_sample_rate" in settings and float(settings["person_sample_rate"]) < 1:
        st.info(t("status.sample_note", rate=f"{float(settings['person_sample_rate']) * 100:g}%"))

    st.subheader(t("status.loads"))
    balanced = (loads["rows_read"] == loads["rows_loaded"] + loads["rows_quarantined"]).all()
    (st.success if balanced else st.error)(t("status.balanced") if balanced else t("status.unbalanced"))
    described = "zh" if language() == "zh" else "en"
    names = dict(catalog.filter(pl.col("schema_name") == "base").select("table_name", described).iter_rows())
    loads = loads.with_columns(pl.col("table_name").replace(names).alias("table_label"))
    per_table = loads.group_by("table_label", maintain_order=True).agg(
        pl.len().alias("files"), pl.col("rows_read").sum(), pl.col("rows_loaded").sum(),
        pl.col("rows_quarantined").sum(), pl.col("vintage").max(), pl.col("loaded_at").max())
    _table(per_table, {"table_label": "col.table", "files": "col.files", "rows_read": "col.rows_read",
                       "rows_loaded": "col.rows_loaded", "rows_quarantined": "col.rows_quarantined",
                       "vintage": "col.vintage", "loaded_at": "col.loaded_at"})
    with st.expander(t("status.loads_per_file", n=loads.height)):
        _table(loads.with_columns(pl.col("source_file").str.split("/").list.last()), {
            "source_file": "col.file", "table_label": "col.table", "rows_read": "col.rows_read",
            "rows_loaded": "col.rows_loaded", "rows_quarantined": "col.rows_quarantined",
            "vintage": "col.vintage", "loaded_at": "col.loaded_at"})

    st.subheader(t("status.quality"))
    quality = words.quality(quality, language())
    _table(quality.with_columns((100 * pl.col("rows_failed") / pl.col("rows_checked")).alias("rate")), {
        "department": "col.department", "table_name": "col.table", "rule": "col.rule",
        "column_name": "col.column", "rows_checked": "col.checked", "rows_failed": "col.failed",
        "rate": "col.rate", "severity": "col.severity"}, percent=("rate",))

    catalog = _catalog(catalog, described, counts=True)
    _lineage(catalog, described)
