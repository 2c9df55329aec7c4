"""地区排位：同级地区按所选指标排名，并与上年位次比较 / Regions of one level ranked on an indicator, with the change of rank since last year"""

from __future__ import annotations

import polars as pl
import streamlit as st

from cockpit import charts, fmt, kpis, query
from cockpit.kpis import PROFILE_KPIS
from cockpit.panel import Panel, RegionParam, YearParam
from data_marts.indicators import BY_CODE, HIGHER

PANEL = Panel(
    id="rankings.regions", theme="rankings", order=10,
    title={"zh": "地区排位", "en": "Regional rankings"},
    marts=["regions", "region_profile", "economy_indicators", "indicators"],
    params=(RegionParam(), YearParam()),
    strings={
        "kpi": {"zh": "排名指标", "en": "Rank on"},
        "level": {"zh": "排名范围", "en": "Compare"},
        "prefecture": {"zh": "各市（州）", "en": "Prefectures"},
        "county": {"zh": "各县（市、区）", "en": "Counties"},
        "headline": {"zh": "{name}：{rank}（共{n}个地区）", "en": "{name}: {rank} (of {n})"},
        "growth_of": {"zh": "{name}累计增速（%）", "en": "{name}, growth year to date (%)"},
        "index_of": {"zh": "{name}（{unit}）", "en": "{name} ({unit})"},
        "sample": {"zh": "（按{rate}样本推算）", "en": " (estimated from a {rate} sample)"},
        "rank_only": {"zh": "第{rank}位（上年无可比数据）", "en": "No. {rank} (no figure last year)"},
        "col.rank": {"zh": "位次", "en": "Rank"},
        "col.name": {"zh": "地区", "en": "Region"},
        "col.shown": {"zh": "数值", "en": "Value"},
        "col.move": {"zh": "较上年", "en": "On last year"},
        "population": {"zh": "常住人口", "en": "Resident population"},
        "gdp": {"zh": "地区生产总值", "en": "GDP"},
        "gdp_growth": {"zh": "地区生产总值增速（%）", "en": "Real GDP growth (%)"},
        "retail": {"zh": "社会消费品零售总额", "en": "Retail sales"},
        "fiscal": {"zh": "一般公共预算收入", "en": "Budget revenue"},
        "income": {"zh": "人均可支配收入", "en": "Disposable income per capita"},
        "entities": {"zh": "存续法人", "en": "Active legal entities"},
        "entities_new": {"zh": "当年新设法人", "en": "New entities this year"},
    },
)

PROFILE = PROFILE_KPIS  # headline indicators of mart.region_profile (cockpit/kpis.py)
PROFILE_SQL = """
    SELECT r.code, p.year, p.population, p.gdp_yi, p.gdp_growth_pct, p.retail_yi,
           p.fiscal_revenue_yi, p.disposable_income_yuan, p.entities_stock, p.entities_new
    FROM mart.regions AS r JOIN mart.region_profile AS p ON p.region_code = r.code
    WHERE r.level = ? AND starts_with(r.code, ?) AND p.year IN (?, ?)"""
# Macro indicators: year-to-date growth (an index such as CPI: its value) at the same period of both years.
ECONOMY_SQL = """
    WITH period AS (
        SELECT max(month_end) AS month_end FROM mart.economy_indicators
        WHERE indicator = ? AND year = ? AND freq <> 'A'
    )
    SELECT r.code, e.year, coalesce(e.yoy_cumulative_pct, e.current_value) AS value
    FROM mart.regions AS r JOIN mart.economy_indicators AS e ON e.region_code = r.code
    WHERE r.level = ? AND starts_with(r.code, ?) AND e.indicator = ? AND e.year IN (?, ?) AND e.freq <> 'A'
      AND e.month_end = (SELECT month_end FROM period)"""


def render(ctx) -> None:
    region, year = ctx.params.region, ctx.params.year
    own = ctx.query("SELECT level, parent_code FROM mart.regions WHERE code = ?", [region])
    level = own["level"][0]
    if level == "province":
        compare = st.segmented_control(ctx.t("level"), ["prefecture", "county"], format_func=ctx.t,
                                       default="prefecture", key=ctx.key("level")) or "prefecture"
        within = query.prefix(region)
    else:
        compare, within = "county", query.prefix(region if level == "prefecture" else own["parent_code"][0])

    indicators = ctx.query("SELECT code, zh, en, unit FROM mart.indicators "
                           "WHERE code NOT IN ('gdp', 'population') ORDER BY code")
    options = {f"profile.{key}": (ctx.t(key), unit, HIGHER, sampled) for key, _, unit, sampled in PROFILE}
    for code, zh, en, unit in indicators.iter_rows():
        index = "=" in (unit or "")
        label = ctx.t("index_of" if index else "growth_of", name=zh if ctx.lang == "zh" else en,
                      unit=fmt.unit_name(unit, ctx.lang))
        options[f"economy.{code}"] = (label, "" if index else "%", BY_CODE[code].direction, False)  # an index reads bare
    choice = st.selectbox(ctx.t("kpi"), list(options), format_func=lambda o: options[o][0], key=ctx.key("kpi"))
    label, unit, direction, sampled = options[choice]
    source, name = choice.split(".", 1)
    if source == "profile":
        column = next(c for k, c, *_ in PROFILE if k == name)
        data = ctx.query(PROFILE_SQL, [compare, within, year, year - 1]).select(
            "code", "year", pl.col(column).alias("value"))
    else:
        data = ctx.query(ECONOMY_SQL, [name, year, compare, within, name, year, year - 1])

    sample = ctx.sample_rate()
    scale = ctx.sample_scale() if sampled else 1
    # An index (上年同月=100) grows by its distance from 100; a banded indicator ranks on that growth.
    growth = (pl.col("value") - 100) if unit == "" else pl.col("value")
    ranked = (data.drop_nulls("value")
              .with_columns((pl.col("value") * scale), growth.alias("growth"))
              .with_columns(kpis.ranking("value", "growth", direction)))
    this = ranked.filter(pl.col("year") == year).drop("year").with_columns(
        name=ctx.region_names("code"), short_name=ctx.region_names("code", "short"))
    if this.is_empty():
        st.info(ctx.t("page.no_data"))
        return
    previous = ranked.filter(pl.col("year") == year - 1).select("code", pl.col("rank").alias("previous"))
    this = this.join(previous, on="code", how="left").sort("rank", "code")
    this = this.with_columns(
        pl.Series("shown", [ctx.change(v, "none") if unit == "%" else ctx.number(v, unit) for v in this["value"]]),
        pl.Series("move", [fmt.rank(r, p, ctx.lang) if p is not None else ctx.t("rank_only", rank=r)
                           for r, p in zip(this["rank"], this["previous"])]),
    )

    if region in this["code"].to_list():
        mine = this.row(this["code"].to_list().index(region), named=True)
        st.markdown(f"**{ctx.t('headline', name=mine['name'], rank=mine['move'], n=this.height)}**")
    if direction.good != "higher":
        st.caption(ctx.t(f"ranking.{direction.good}", band=f"{direction.low:g}%–{direction.high:g}%" if direction.good == "band" else ""))
    note = ctx.t("sample", rate=f"{sample * 100:g}%").strip(" （）()") if scale != 1 else None
    chart = charts.ranked_bars(this, region, label, ctx.t("col.name"), ctx.t("col.rank"), subtitle=note)
    ctx.chart(chart, this.select("rank", "code", "name", "value", "shown", "move"), name="bars")
    ctx.table(this.select("rank", "name", "shown", "move"),
              labels={c: ctx.t(f"col.{c}") for c in ("rank", "name", "shown", "move")}, name="table")
