"""全国排位：本省在各省份中的位次及较上年变化 / The province's place among the provinces, and its change since last year"""

from __future__ import annotations

import polars as pl
import streamlit as st

from cockpit import charts, fmt, kpis
from cockpit.panel import Panel, RegionParam, YearParam
from data_marts.indicators import BY_CODE

PANEL = Panel(
    id="rankings.provinces", theme="rankings", order=20,
    title={"zh": "全国排位", "en": "National rankings"},
    marts=["regions", "economy_indicators", "indicators"],
    params=(RegionParam(), YearParam()),
    # The province among the provinces: other provinces' rows lie outside a prefecture's or county's scope.
    roles=("province_leader", "analyst", "planner", "admin"),
    strings={
        "none": {"zh": "尚未载入{year}年其他省份的数据：从国家统计局数据门户导出“分省年度数据”CSV后，运行 "
                       "`cockpit ingest 分省年度数据.csv --library economy` 和 `cockpit build` 即可在此排名。",
                 "en": "No other province's data for {year} is loaded yet: export the provincial annual data "
                       "(分省年度数据) from the national statistics portal as CSV, then run "
                       "`cockpit ingest 分省年度数据.csv --library economy` and `cockpit build` to rank here."},
        "kpi": {"zh": "排名指标", "en": "Rank on"},
        "measure": {"zh": "口径", "en": "Measure"},
        "value": {"zh": "总量", "en": "Level"},
        "growth": {"zh": "增速", "en": "Growth"},
        "headline": {"zh": "{name}（{period}）：{rank}（共{n}个省份）", "en": "{name}, {period}: {rank} (of {n} provinces)"},
        "missing": {"zh": "本省该期没有此指标的数据。", "en": "The province has no value for this indicator and period."},
        "rank_only": {"zh": "第{rank}位（上年无可比数据）", "en": "No. {rank} (no figure last year)"},
        "col.rank": {"zh": "位次", "en": "Rank"},
        "col.name": {"zh": "省份", "en": "Province"},
        "col.shown": {"zh": "数值", "en": "Value"},
        "col.move": {"zh": "较上年", "en": "On last year"},
    },
)


def render(ctx) -> None:
    province, year = ctx.params.region[:2] + "0000", ctx.params.year
    # Indicators loaded for other provinces this year (statistics-portal exports of provincial data).
    loaded = ctx.query("""
        SELECT e.indicator, i.zh, i.en, count(DISTINCT e.region_code) AS provinces
        FROM mart.economy_indicators AS e
        JOIN mart.regions AS r ON r.code = e.region_code
        JOIN mart.indicators AS i ON i.code = e.indicator
        WHERE r.level = 'province' AND e.year = ?
        GROUP BY ALL
        HAVING count(DISTINCT e.region_code) FILTER (WHERE e.region_code <> ?) > 0
        ORDER BY e.indicator""", [year, province])
    if loaded.is_empty():
        st.info(ctx.t("none", year=year))
        return
    names = {code: (zh if ctx.lang == "zh" else en) for code, zh, en, *_ in loaded.iter_rows()}
    left, right = st.columns([3, 1])
    indicator = left.selectbox(ctx.t("kpi"), list(names), format_func=names.get, key=ctx.key("kpi"))
    measure = right.segmented_control(ctx.t("measure"), ["value", "growth"], format_func=ctx.t,
                                      default="value", key=ctx.key("measure")) or "value"
    direction = BY_CODE[indicator].direction

    # Every province at the latest period of the year, and at the same period a year earlier.
    data = ctx.query("""
        WITH period AS (  -- the period of the year that most provinces report, the province among them
            SELECT e.freq, e.month_end
            FROM mart.economy_indicators AS e JOIN mart.regions AS r ON r.code = e.region_code
            WHERE r.level = 'province' AND e.indicator = ? AND e.year = ?
            GROUP BY ALL HAVING bool_or(e.region_code = ?)
            ORDER BY count(*) DESC, e.month_end DESC LIMIT 1
        )
        SELECT r.code, e.year, e.period, e.unit,
               coalesce(e.cumulative_value, e.current_value) AS level_value,
               coalesce(e.yoy_cumulative_pct, e.yoy_current_pct) AS growth_value
        FROM mart.economy_indicators AS e
        JOIN mart.regions AS r ON r.code = e.region_code
        JOIN period AS p ON p.freq = e.freq AND p.month_end = e.month_end
        WHERE r.level = 'province' AND e.indicator = ? AND e.year IN (?, ?)""",
                     [indicator, year, province, indicator, year, year - 1])
    column = "growth_value" if measure == "growth" else "level_value"
    ranked = data.drop_nulls(column).with_columns(
        pl.col(column).alias("value"),
        kpis.ranking(column, "growth_value", direction))
    this = ranked.filter(pl.col("year") == year).with_columns(
        name=ctx.region_names("code"), short_name=ctx.region_names("code", "short"))
    if province not in this["code"].to_list():
        st.info(ctx.t("missing"))
        return
    previous = ranked.filter(pl.col("year") == year - 1).select("code", pl.col("rank").alias("previous"))
    this = this.join(previous, on="code", how="left").sort("rank", "code")
    this = this.with_columns(
        pl.Series("shown", [ctx.change(v, "none") if measure == "growth" else ctx.number(v, u)
                            for v, u in zip(this["value"], this["unit"])]),
        pl.Series("move", [fmt.rank(r, p, ctx.lang) if p is not None else ctx.t("rank_only", rank=r)
                           for r, p in zip(this["rank"], this["previous"])]),
    )

    mine = this.row(this["code"].to_list().index(province), named=True)
    st.markdown(f"**{ctx.t('headline', name=mine['name'], period=mine['period'], rank=mine['move'], n=this.height)}**")
    if direction.good != "higher":
        st.caption(ctx.t(f"ranking.{direction.good}", band=f"{direction.low:g}%–{direction.high:g}%" if direction.good == "band" else ""))
    title = f"{names[indicator]} · {ctx.t(measure)}"
    chart = charts.ranked_bars(this, province, title, ctx.t("col.name"), ctx.t("col.rank"))
    ctx.chart(chart, this.select("rank", "code", "name", "period", "value", "shown", "move"), name="bars")
    ctx.table(this.select("rank", "name", "shown", "move"),
              labels={c: ctx.t(f"col.{c}") for c in ("rank", "name", "shown", "move")}, name="table")
