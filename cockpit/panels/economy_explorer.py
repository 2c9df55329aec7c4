"""指标走势：任选一项宏观经济指标，看当期值、累计值、同比、环比近五年走势与目标 / Indicator explorer: any macro indicator's period value, year to date, year-on-year or period-on-period change over five years, with its target"""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from cockpit import charts, fmt
from cockpit.panel import Panel, RegionParam, YearParam

MEASURES = ("current", "cumulative", "yoy", "mom")

PANEL = Panel(
    id="economy.explorer", theme="economy", order=10,
    title={"zh": "指标走势", "en": "Indicator explorer"},
    marts=["economy_indicators", "indicators"],
    params=(RegionParam(), YearParam()),
    strings={
        "indicator": {"zh": "指标", "en": "Indicator"},
        "measure": {"zh": "口径", "en": "Measure"},
        "m.current": {"zh": "当期", "en": "Period"},
        "m.cumulative": {"zh": "累计", "en": "Year to date"},
        "m.yoy": {"zh": "同比", "en": "YoY"},
        "m.mom": {"zh": "环比", "en": "MoM"},
        "axis.current": {"zh": "当期值（{unit}）", "en": "Value for the period ({unit})"},
        "axis.cumulative": {"zh": "累计值（{unit}）", "en": "Year-to-date value ({unit})"},
        "axis.yoy_cumulative": {"zh": "累计同比增速（%）", "en": "Year-to-date change on a year earlier (%)"},
        "axis.yoy_current": {"zh": "当期同比增速（%）", "en": "Change on the same period a year earlier (%)"},
        "axis.mom": {"zh": "环比增速（%）", "en": "Change on the previous period (%)"},
        "target.current": {"zh": "调控目标", "en": "Target"},
        "target.cumulative": {"zh": "序时目标（年度目标×序时进度）", "en": "Target pro rata (annual target × share of year)"},
        "target.yoy": {"zh": "目标增速", "en": "Growth target"},
        "series": {"zh": "系列", "en": "Series"},
        "actual": {"zh": "实际", "en": "Actual"},
        "period": {"zh": "期别", "en": "Period"},
        "value": {"zh": "数值", "en": "Value"},
        "jan_feb": {"zh": "（1–2月合计）", "en": " (Jan–Feb combined)"},
        "latest": {"zh": "{period}：{measure} {value}", "en": "{period}: {measure} {value}"},
        "vs_target": {"zh": "，{target} {goal}", "en": "; {target} {goal}"},
        "no_indicator": {"zh": "该地区暂无宏观经济指标数据。", "en": "No macro-economic indicators for this region."},
        "no_measure": {"zh": "“{indicator}”不发布{measure}口径的数据（部分指标只发布增速），请换一个口径。",
                       "en": "“{indicator}” is not published as {measure} (some indicators are published as growth rates only): pick another measure."},
        "band": {"zh": "阴影为所选年份。", "en": "The shaded band is the selected year."},
    },
)


def render(ctx) -> None:
    catalog = ctx.query("""
        SELECT code, zh, en, unit, freq
        FROM mart.indicators
        WHERE code IN (SELECT DISTINCT indicator FROM mart.economy_indicators WHERE region_code = ?)
        ORDER BY code <> 'gdp', freq DESC, code  -- GDP first, then quarterly, monthly, annual
    """, [ctx.params.region])
    if catalog.is_empty():
        st.info(ctx.t("no_indicator"))
        return
    names = {code: (zh if ctx.lang == "zh" else en) for code, zh, en in catalog.select("code", "zh", "en").iter_rows()}
    left, right = st.columns([2, 3])
    code = left.selectbox(ctx.t("indicator"), list(names), format_func=names.get, key=ctx.key("indicator"))
    measure = right.segmented_control(ctx.t("measure"), MEASURES, default="yoy", required=True,
                                      format_func=lambda m: ctx.t(f"m.{m}"), key=ctx.key("measure"))
    info = catalog.filter(pl.col("code") == code).row(0, named=True)

    df = ctx.query("""
        SELECT period, year, month_end, months_covered, cumulative_value, current_value,
               yoy_cumulative_pct, yoy_current_pct, mom_pct, target_growth_pct, target_value, schedule_pct
        FROM mart.economy_indicators
        WHERE region_code = ? AND indicator = ? AND freq = ? AND year BETWEEN ? AND ?
        ORDER BY year, month_end
    """, [ctx.params.region, code, info["freq"], ctx.params.year - 4, ctx.params.year])
    value, target, axis = _measure(df, measure, info["unit"])
    series = df.with_columns(value.alias("value"), target.alias("target"))
    if series["value"].is_null().all():
        st.info(ctx.t("no_measure", indicator=names[code], measure=ctx.t(f"m.{measure}")))
        return
    unit = info["unit"] if measure in ("current", "cumulative") else "%"
    series = series.with_columns(
        pl.date(pl.col("year"), pl.col("month_end"), 1).alias("date"),
        pl.Series("label", [_period(p, covered, info["freq"], ctx) for p, covered in df.select("period", "months_covered").iter_rows()]),
    )
    parts = [series.select("date", "label", "value", pl.lit(ctx.t("actual")).alias("series"))]
    if series["target"].is_not_null().any():
        parts.append(series.select("date", "label", pl.col("target").alias("value"),
                                   pl.lit(ctx.t(f"target.{measure}")).alias("series")))
    long = pl.concat(parts).filter(pl.col("value").is_not_null())
    long = long.with_columns(pl.Series("shown", [fmt.value(v, unit, ctx.lang) for v in long["value"].to_list()]))

    names_of_series = long["series"].unique(maintain_order=True).to_list()
    y = ctx.params.year
    band = alt.Chart(pl.DataFrame({"start": [f"{y}-01-01"], "end": [f"{y}-12-31"]})
                     ).mark_rect(color="#E39B2B", opacity=0.10).encode(x="start:T", x2="end:T")
    base = alt.Chart(long).encode(
        x=alt.X("date:T", title=ctx.t("period"), axis=alt.Axis(format="%Y", tickCount="year"),
                scale=alt.Scale(domain=[alt.DateTime(year=y - 4, month=1, date=1), alt.DateTime(year=y, month=12, date=31)])),
        y=alt.Y("value:Q", title=ctx.t(f"axis.{axis}", unit=fmt.unit_name(unit, ctx.lang)),
                scale=alt.Scale(zero=measure == "cumulative")),
        color=alt.Color("series:N", title=None, sort=names_of_series, legend=charts.top_legend(),
                        scale=alt.Scale(domain=names_of_series, range=["#C0392B", "#5F6B7A"])),
        tooltip=[alt.Tooltip("label:N", title=ctx.t("period")), alt.Tooltip("series:N", title=ctx.t("series")),
                 alt.Tooltip("shown:N", title=ctx.t("value"))],
    )
    actual = base.transform_filter(alt.datum.series == ctx.t("actual")).mark_line(point=alt.OverlayMarkDef(size=28))
    goal = base.transform_filter(alt.datum.series != ctx.t("actual")).mark_line(strokeDash=[5, 4], strokeWidth=1.5)
    lines = alt.layer(goal, actual)
    layers = [band, lines]
    if unit == "%":
        layers.append(alt.Chart().mark_rule(color="#9AA5B1").encode(y=alt.datum(0)))
    ctx.chart(alt.layer(*layers).properties(height=340), df, name="series")

    latest = series.filter((pl.col("year") == ctx.params.year) & pl.col("value").is_not_null()).tail(1)
    if not latest.is_empty():
        row = latest.row(0, named=True)
        text = ctx.t("latest", period=row["label"], measure=ctx.t(f"m.{measure}"), value=fmt.value(row["value"], unit, ctx.lang))
        if row["target"] is not None:
            text += ctx.t("vs_target", target=ctx.t(f"target.{measure}"),
                          goal=fmt.value(row["target"], unit, ctx.lang))
        st.caption(text + ("。" if ctx.lang == "zh" else ".") + " " + ctx.t("band"))


def _measure(df: pl.DataFrame, measure: str, unit: str) -> tuple[pl.Expr, pl.Expr, str]:
    """The column a measure reads, its target (or null) and the axis key."""
    none = pl.lit(None, dtype=pl.Float64)
    index = unit == fmt.INDEX_UNIT
    if measure == "current":
        return pl.col("current_value"), (pl.col("target_value") if index else none), "current"
    if measure == "cumulative":
        return (pl.col("cumulative_value"),
                none if index else pl.col("target_value") * pl.col("schedule_pct") / 100, "cumulative")
    if measure == "yoy":
        target = pl.coalesce(pl.col("target_growth_pct"), (pl.col("target_value") - 100) if index else none)
        if df["yoy_cumulative_pct"].is_not_null().any():
            return pl.col("yoy_cumulative_pct"), target, "yoy_cumulative"
        return pl.col("yoy_current_pct"), target, "yoy_current"
    return pl.col("mom_pct"), none, "mom"


def _period(period: str, covered: int, freq: str, ctx) -> str:
    """2024年3月 / Mar 2024, 2024年第2季度 / 2024 Q2, 2024年 / 2024."""
    year = period[:4]
    if freq == "A":
        return f"{year}年" if ctx.lang == "zh" else year
    if freq == "Q":
        q = period[-1]
        return f"{year}年第{q}季度" if ctx.lang == "zh" else f"{year} Q{q}"
    month = int(period[-2:])
    label = f"{year}年{month}月" if ctx.lang == "zh" else f"{('Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split())[month - 1]} {year}"
    return label + (ctx.t("jan_feb") if covered == 2 and month == 2 else "")
