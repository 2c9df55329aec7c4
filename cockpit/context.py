"""What a panel's ``render(ctx)`` gets: its parameters, the scoped query, language, formatting, and
``chart``/``table`` that draw with the cockpit theme, offer CSV and Excel downloads, and explain
how the number was made (mart, SQL, lineage, last build)."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field

import altair as alt
import polars as pl
import streamlit as st

from cockpit import exports, fmt, query, warehouse, words
from cockpit.i18n import CATALOG
from cockpit.panel import Panel
from data_marts import regions


@dataclass(frozen=True)
class PageParams:
    region: str
    year: int
    lang: str = "zh"
    # The signed-in user's scope and roles (cockpit/access.py); the shell sets them from the token.
    scope: query.Scope = field(default_factory=query.Scope.everything)
    roles: tuple[str, ...] = ("admin",)


@dataclass
class Ctx:
    panel: Panel
    params: PageParams
    scope: query.Scope = field(default_factory=query.Scope.everything)
    role: str = "province_leader"
    _reads: list[tuple[str, tuple]] = field(default_factory=list)

    @property
    def lang(self) -> str:
        return self.params.lang

    def query(self, sql: str, params: list | tuple | None = None) -> pl.DataFrame:
        """A read from the marts in the user's scope, with bound parameters."""
        self._reads.append((sql, tuple(params or ())))
        return query.run(sql, params, self.scope, panel=self.panel.id)

    def t(self, key: str, **values) -> str:
        """A string from the panel's own ``strings`` or the cockpit catalog, in the page language."""
        entry = self.panel.strings.get(key) or CATALOG[key]
        text = entry[self.lang]
        return text.format(**values) if values else text

    def region_name(self, code: str, form: str = "full") -> str:
        """A region's name in the page language. ``form``: "full" (毕节市, 黔南布依族苗族自治州 / Bijie,
        Qiannan Buyei and Miao Autonomous Prefecture), "short" for map labels (毕节, 黔南 / Bijie, Qiannan),
        "compact" for chart axes (毕节市, 黔南州 / Bijie, Qiannan Prefecture)."""
        return regions.names(self.lang, form)[code]

    def region_names(self, column: str = "code", form: str = "full") -> pl.Expr:
        """The names, in the page language, of the regions whose codes are in ``column``, as a polars
        expression: ``df.with_columns(name=ctx.region_names("region_code"))``. Forms as ``region_name``."""
        return pl.col(column).replace(regions.names(self.lang, form))

    def sample_rate(self) -> float:
        """The share of persons and entities the warehouse holds (1 for real data, e.g. 0.01 for the demo)."""
        settings = dict(warehouse.cached("SELECT key, value FROM meta.settings").iter_rows())
        return float(settings.get("person_sample_rate", 1))

    def sample_scale(self) -> float:
        """What a count from the sample is multiplied by to estimate the whole (1 / the sample rate)."""
        sample = self.sample_rate()
        return 1 / sample if sample < 1 else 1

    def number(self, value, unit: str = "", digits: int = 1, compact: bool = False) -> str:
        return fmt.number(value, unit, self.lang, digits, compact)

    def change(self, pct, kind: str = "yoy") -> str:
        return fmt.change(pct, self.lang, kind)

    def key(self, name: str) -> str:
        """Widget and session keys are prefixed with the panel id (STYLE habit 7)."""
        return f"{self.panel.id}.{name}"

    def chart(self, chart: alt.TopLevelMixin, data: pl.DataFrame, *, on_select: str = "ignore",
              name: str = "chart"):
        """Draw an Altair chart; offer its data for download and its provenance."""
        event = st.altair_chart(chart, width="stretch", key=self.key(name), on_select=on_select)
        self._footer(data, name)
        return event

    def table(self, data: pl.DataFrame, labels: dict[str, str] | None = None, name: str = "table", *,
              collapsed: bool = False) -> None:
        """Draw a table with its downloads and provenance. ``collapsed`` puts it in an expander
        (明细表) drawn only once opened, for a table that details what the panel already shows: the
        first table on a page costs a new browser ~0.2-0.3 s to load Streamlit's data grid."""
        shown = data.rename({k: v for k, v in (labels or {}).items() if k in data.columns})
        box = nullcontext()
        if collapsed:
            label = self.t("panel.table_one") if data.height == 1 else self.t("panel.table", rows=f"{data.height:,}")
            box = st.expander(label, key=self.key(f"{name}.table"), on_change="rerun")
        if not collapsed or box.open:
            with box:
                st.dataframe(shown, hide_index=True, width="stretch", key=self.key(name))
        self._footer(data, name)

    def _footer(self, data: pl.DataFrame, name: str) -> None:
        stem = f"{self.panel.id}-{name}-{self.params.region}-{self.params.year}"
        left, right, rest = st.columns([1, 1, 4])
        # Files are made only when a button is clicked (callables): writing an Excel file of every
        # chart on every rerun cost more than drawing the page. Both are inert (no live formulas).
        # Each file is recorded in the audit log when it is made (docs/audit.md).
        left.download_button(self.t("panel.csv"), exports.recorded(exports.csv, data, f"{stem}.csv", panel=self.panel.id),
                             f"{stem}.csv", "text/csv", key=self.key(f"{name}.csv"), width="stretch")
        right.download_button(self.t("panel.xlsx"), exports.recorded(exports.excel, data, f"{stem}.xlsx",
                                                                     panel=self.panel.id), f"{stem}.xlsx",
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                              key=self.key(f"{name}.xlsx"), width="stretch")
        # Drawn only once opened: collapsed, its SQL and lineage table still cost every page a
        # table and a code block per chart in the browser (up to 1 s of a first render).
        box = st.expander(self.t("panel.provenance"), key=self.key(f"{name}.provenance"), on_change="rerun")
        if box.open:
            with box:
                provenance(self, name)


def provenance(ctx: Ctx, name: str = "chart") -> None:
    """How this number was made: the marts, the SQL, lineage from meta.lineage, the last build."""
    built = warehouse.cached("SELECT max(finished_at) AS at FROM meta.build_log")["at"][0]
    st.markdown(f"**{ctx.t('panel.marts')}** " + "、".join(f"`mart.{m}`" for m in ctx.panel.marts)
                + f"  ·  **{ctx.t('panel.built')}** {built:%Y-%m-%d %H:%M}")
    for sql, params in ctx._reads:
        st.code(sql.strip() + (f"\n-- {ctx.t('panel.params')}: {list(params)}" if params else ""), language="sql")
    targets = [f"mart.{m}" for m in ctx.panel.marts]
    edges = warehouse.cached(
        "SELECT DISTINCT source, target FROM meta.lineage WHERE source_column IS NULL AND target IN "
        f"({', '.join('?' for _ in targets)}) ORDER BY target, source", targets)
    # Every table upstream of the panel's marts, however many build helpers lie between (a projection
    # reads a helper that reads a helper that reads base.population), then the departments feeding them.
    upstream = warehouse.cached(
        "WITH RECURSIVE up(node) AS (SELECT source FROM meta.lineage WHERE target IN "
        f"({', '.join('?' for _ in targets)}) UNION SELECT l.source FROM meta.lineage AS l JOIN up ON l.target = up.node) "
        "SELECT DISTINCT source, target FROM meta.lineage WHERE source_kind = 'department' "
        "AND target IN (SELECT node FROM up) ORDER BY target, source", targets)
    lineage = words.lineage(pl.concat([upstream, edges]).unique(maintain_order=True), {}, ctx.lang)
    st.dataframe(lineage.rename({"source": ctx.t("col.source"), "target": ctx.t("col.target")}),
                 hide_index=True, width="stretch", key=ctx.key(f"{name}.lineage"))
