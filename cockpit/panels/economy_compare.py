"""下级地区比较：所选指标在各下级地区所选年份最新一期的数值或同比增速 / Compare the regions below: the chosen indicator for each, at the latest period of the year, as a value or as growth"""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from cockpit import fmt
from cockpit.panel import Panel, RegionParam, YearParam


PANEL = Panel(
    id="economy.compare", theme="economy", order=20,
    title={"zh": "下级地区比较", "en": "Regions compared"},
    marts=["economy_indicators", "indicators", "regions"],
    params=(RegionParam(), YearParam()),
    strings={
        "indicator": {"zh": "指标", "en": "Indicator"},
        "measure": {"zh": "口径", "en": "Measure"},
        "m.value": {"zh": "数值", "en": "Value"},
        "m.growth": {"zh": "同比增速", "en": "Growth on a year earlier"},
        "region": {"zh": "地区", "en": "Region"},
        "value": {"zh": "数值", "en": "Value"},
        "rank": {"zh": "位次", "en": "Rank"},
        "axis.value": {"zh": "{period}（{unit}）", "en": "{period} ({unit})"},
        "axis.growth": {"zh": "{period}同比增速（%）", "en": "{period}, change on a year earlier (%)"},
        "line": {"zh": "实竖线为{name}整体（{value}）", "en": "The solid line is {name} as a whole ({value})"},
        "goal": {"zh": "，虚竖线为{name}年度目标增速（{goal}）", "en": "; the dashed line is its growth target ({goal})"},
        "no_children": {"zh": "区县没有下级地区可比较；请在左侧选择市州或全省。",
                        "en": "A county has no regions below it to compare: pick a prefecture or the province in the sidebar."},
        "growth_only": {"zh": "“{indicator}”只发布增速，不发布数值；请切换到“同比增速”。",
                        "en": "“{indicator}” is published as a growth rate only: switch to “Growth on a year earlier”."},
        "no_data": {"zh": "下级地区暂无“{indicator}”{year}年的数据。", "en": "No {year} data on “{indicator}” for the regions below."},
    },
)


def render(ctx) -> None:
    catalog = ctx.query("""
        SELECT code, zh, en, unit, freq, additive
        FROM mart.indicators
        WHERE code IN (SELECT DISTINCT e.indicator FROM mart.economy_indicators AS e
                       JOIN mart.regions AS r ON r.code = e.region_code WHERE r.parent_code = ?)
        ORDER BY code <> 'gdp', freq DESC, code  -- GDP first, then quarterly, monthly, annual
    """, [ctx.params.region])
    if catalog.is_empty():
        level = ctx.query("SELECT level FROM mart.regions WHERE code = ?", [ctx.params.region])
        county = not level.is_empty() and level["level"][0] == "county"
        st.info(ctx.t("no_children") if county else ctx.t("page.no_data"))
        return
    names = {code: (zh if ctx.lang == "zh" else en) for code, zh, en in catalog.select("code", "zh", "en").iter_rows()}
    left, right = st.columns([2, 3])
    code = left.selectbox(ctx.t("indicator"), list(names), format_func=names.get, key=ctx.key("indicator"))
    measure = right.segmented_control(ctx.t("measure"), ("value", "growth"), default="growth", required=True,
                                      format_func=lambda m: ctx.t(f"m.{m}"), key=ctx.key("measure"))
    info = catalog.filter(pl.col("code") == code).row(0, named=True)

    df = ctx.query("""
        SELECT e.region_code, e.region_code = ? AS is_parent, e.period, e.month_end,
               coalesce(e.cumulative_value, e.current_value) AS value,
               coalesce(e.yoy_cumulative_pct, e.yoy_current_pct) AS growth,
               CASE WHEN ? = 'value' THEN e.cumulative_value IS NOT NULL
                    ELSE e.yoy_cumulative_pct IS NOT NULL END AS year_to_date,
               e.target_growth_pct
        FROM mart.economy_indicators AS e
        JOIN mart.regions AS r ON r.code = e.region_code
        WHERE (r.parent_code = ? OR r.code = ?) AND e.indicator = ? AND e.freq = ? AND e.year = ?
    """, [ctx.params.region, measure, ctx.params.region, ctx.params.region, code, info["freq"], ctx.params.year])
    # 黔南布依族苗族自治州 reads as 黔南州 (Qiannan Prefecture) on a chart axis.
    df = df.select("region_code", ctx.region_names("region_code", "compact").alias("name"), pl.exclude("region_code"))
    published = df.filter(pl.col(measure).is_not_null())
    children = published.filter(~pl.col("is_parent"))
    if children.is_empty():
        growth_only = measure == "value" and df["growth"].is_not_null().any()
        st.info(ctx.t("growth_only", indicator=names[code]) if growth_only
                else ctx.t("no_data", indicator=names[code], year=ctx.params.year))
        return
    df = published
    # The latest period for which the regions below report the measure.
    last = children["month_end"].max()
    children = children.filter(pl.col("month_end") == last).sort(measure, descending=True)
    parent = df.filter(pl.col("is_parent") & (pl.col("month_end") == last))
    period = _period(children["period"][0], info["freq"], children["year_to_date"][0], ctx)
    unit = info["unit"] if measure == "value" else "%"

    shown = children.with_columns(
        pl.Series("shown", [fmt.value(v, unit, ctx.lang) for v in children[measure].to_list()]),
        pl.int_range(1, children.height + 1).alias("rank"),
    )
    order = shown["name"].to_list()
    bars = alt.Chart(shown).mark_bar(color="#C0392B").encode(
        # Room for a compact name (Qiannan Prefecture) even on a phone, where Vega's default cut it short.
        y=alt.Y("name:N", sort=order, title=None, axis=alt.Axis(labelLimit=alt.ExprRef("max(160, containerSize()[0] * 0.4)"))),
        x=alt.X(f"{measure}:Q", title=ctx.t(f"axis.{measure}", period=period,
                                              unit=fmt.unit_name(unit, ctx.lang))),
        tooltip=[alt.Tooltip("rank:O", title=ctx.t("rank")), alt.Tooltip("name:N", title=ctx.t("region")),
                 alt.Tooltip("shown:N", title=ctx.t("value"))],
    )
    labels = bars.mark_text(align="left", dx=4, fontSize=11, color="#1F2933").encode(text="shown:N")
    layers = [bars, labels]
    parent_value = None if parent.is_empty() else parent[measure][0]
    parent_name = ctx.region_name(ctx.params.region)
    # A total of additive values is not comparable with each part; a rate or an average is.
    if parent_value is not None and (measure == "growth" or not info["additive"]):
        layers.append(alt.Chart().mark_rule(color="#1F2933", strokeWidth=1.5).encode(x=alt.datum(parent_value)))
    goal = None if parent.is_empty() or measure != "growth" else parent["target_growth_pct"][0]
    if goal is not None:
        layers.append(alt.Chart().mark_rule(color="#E39B2B", strokeDash=[5, 4], strokeWidth=1.5).encode(x=alt.datum(goal)))
    ctx.chart(alt.layer(*layers).properties(height=26 * len(order) + 50), children, name="children")

    if parent_value is not None and (measure == "growth" or not info["additive"]):
        text = ctx.t("line", name=parent_name, value=fmt.value(parent_value, unit, ctx.lang))
        if goal is not None:
            text += ctx.t("goal", name=parent_name, goal=fmt.value(goal, "%", ctx.lang))
        st.caption(text + ("。" if ctx.lang == "zh" else "."))


def _period(period: str, freq: str, year_to_date: bool, ctx) -> str:
    """2024年1–9月 / 2024 Jan–Sep for a year-to-date figure, 2024年9月 / Sep 2024 for one period."""
    year = period[:4]
    if freq == "A":
        return f"{year}年" if ctx.lang == "zh" else year
    if freq == "Q":
        q = int(period[-1])
        if year_to_date and q > 1:
            return f"{year}年1–{q * 3}月" if ctx.lang == "zh" else f"{year} Q1–Q{q}"
        return f"{year}年第{q}季度" if ctx.lang == "zh" else f"{year} Q{q}"
    month = int(period[-2:])
    name = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()[month - 1]
    if year_to_date and month > 1:
        return f"{year}年1–{month}月" if ctx.lang == "zh" else f"{year} Jan–{name}"
    return f"{year}年{month}月" if ctx.lang == "zh" else f"{name} {year}"
