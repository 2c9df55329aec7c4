"""房屋存量：按用途、建成年代的套数与面积，各用途的使用状态 / Housing stock: units and floor area by use and build period, and how each use is occupied"""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from cockpit import charts
from cockpit.panel import Panel, RegionParam, YearParam

USES = {"住宅": "Residential", "商业": "Commercial", "办公": "Office", "工业": "Industrial",
        "公共服务": "Public service", "其他": "Other"}
PERIODS = {"-1979": ("1979年及以前", "1979 and before"), "1980-1989": ("1980–1989年", "1980–1989"),
           "1990-1999": ("1990–1999年", "1990–1999"), "2000-2009": ("2000–2009年", "2000–2009"),
           "2010-2019": ("2010–2019年", "2010–2019"), "2020-": ("2020年以来", "2020 and after"),
           "unknown": ("年代不详", "Unknown")}
STATES = ("owner", "rented", "vacant", "other")

PANEL = Panel(
    id="housing.stock", theme="housing", order=10,
    title={"zh": "房屋存量", "en": "Housing stock"},
    marts=["housing_stock", "region_profile"],
    params=(RegionParam(), YearParam()),
    strings={
        **{f"use.{zh}": {"zh": zh, "en": en} for zh, en in USES.items()},
        **{f"period.{code}": {"zh": zh, "en": en} for code, (zh, en) in PERIODS.items()},
        "units_card": {"zh": "房屋套数（套）", "en": "Housing units"},
        "floor_area_card": {"zh": "建筑面积（平方米）", "en": "Floor area (m²)"},
        "occupancy": {"zh": "使用率（自住+出租）", "en": "Occupied (owner + rented)"},
        "per_capita": {"zh": "人均住宅建筑面积", "en": "Home space per person"},
        "per_capita_year": {"zh": "{year}年", "en": "in {year}"},
        "use": {"zh": "用途", "en": "Use"},
        "period": {"zh": "建成年代", "en": "Built"},
        "units_axis": {"zh": "套数（{unit}）", "en": "Units ({unit})"},
        "unit.1": {"zh": "套", "en": "units"},
        "unit.big": {"zh": "万套", "en": "thousand"},
        "state": {"zh": "使用状态", "en": "Occupancy"},
        "state.owner": {"zh": "自住", "en": "Owner-occupied"},
        "state.rented": {"zh": "出租", "en": "Rented"},
        "state.vacant": {"zh": "空置", "en": "Vacant"},
        "state.other": {"zh": "其他", "en": "Other"},
        "share_axis": {"zh": "占该用途套数（%）", "en": "Share of the use's units (%)"},
        "share": {"zh": "占比", "en": "Share"},
        "count": {"zh": "套数", "en": "Units"},
        "area": {"zh": "面积", "en": "Floor area"},
        "vintage": {"zh": "房屋为房屋基础库当前存量（不随所选年份变化）；人均住宅面积为所选年份。",
                    "en": "The stock is the housing library as it stands now (it does not change with the year picked); floor area per resident is for the year picked."},
        "sample": {"zh": "演示数据：套数、面积由 {rate} 的样本记录按比例推算；比例与人均面积不受影响。",
                   "en": "Demo data: units and areas are estimated from a {rate} sample of records; shares and per-resident area are unaffected."},
    },
)

COLOURS = ["#C0392B", "#E39B2B", "#2E6DB4", "#5F6B7A", "#3A9D6B", "#9AA5B1"]


def render(ctx) -> None:
    df = ctx.query("""
        SELECT use, build_period, units, floor_area_m2, occupied_units, rented_units, vacant_units
        FROM mart.housing_stock
        WHERE region_code = ?
        ORDER BY use, build_period
    """, [ctx.params.region])
    if df.is_empty():
        st.info(ctx.t("page.no_data"))
        return
    profile = ctx.query("SELECT floor_area_per_capita_m2 FROM mart.region_profile WHERE region_code = ? AND year = ?",
                        [ctx.params.region, ctx.params.year])
    sample = ctx.sample_rate()
    scale = ctx.sample_scale()
    uses = [u for u in USES if u in set(df["use"].to_list())] + sorted(set(df["use"].to_list()) - set(USES))
    use_name = {u: ctx.t(f"use.{u}") if u in USES else u for u in uses}

    units, area = df["units"].sum(), df["floor_area_m2"].sum()
    cards = st.columns(4)
    cards[0].metric(ctx.t("units_card"), ctx.number(units * scale), border=True)
    cards[1].metric(ctx.t("floor_area_card"), ctx.number(area * scale), border=True)
    cards[2].metric(ctx.t("occupancy"), f"{100 * df['occupied_units'].sum() / units:.1f}%" if units else "—", border=True)
    per_capita = None if profile.is_empty() else profile["floor_area_per_capita_m2"][0]
    cards[3].metric(f"{ctx.t('per_capita')} · {ctx.t('per_capita_year', year=ctx.params.year)}",
                    ctx.number(per_capita, "平方米"), border=True)

    big = df.group_by("build_period").agg(pl.col("units").sum())["units"].max() * scale >= 1e4
    per = (1e4 if ctx.lang == "zh" else 1e3) if big else 1
    periods = [p for p in PERIODS if p in set(df["build_period"].to_list())]
    built = df.with_columns(
        pl.col("use").replace_strict(use_name).alias("use_label"),
        pl.col("build_period").replace_strict({p: ctx.t(f"period.{p}") for p in PERIODS}, default=pl.col("build_period"))
        .alias("period_label"),
        (pl.col("units") * scale / per).alias("axis"),
    )
    built = built.with_columns(
        pl.Series("units_shown", [ctx.number(v * scale, "套") for v in df["units"].to_list()]),
        pl.Series("area_shown", [ctx.number(v * scale, "平方米") for v in df["floor_area_m2"].to_list()]))
    order = [ctx.t(f"period.{p}") for p in periods]
    names = [use_name[u] for u in uses]
    bars = alt.Chart(built).mark_bar().encode(
        x=alt.X("period_label:N", sort=order, title=ctx.t("period"), axis=alt.Axis(labelAngle=0, labelLimit=90)),
        y=alt.Y("axis:Q", title=ctx.t("units_axis", unit=ctx.t("unit.big" if big else "unit.1"))),
        color=alt.Color("use_label:N", title=ctx.t("use"), sort=names, legend=charts.top_legend(),
                        scale=alt.Scale(domain=names, range=COLOURS[:len(names)])),
        order=alt.Order("use_order:Q"),
        tooltip=[alt.Tooltip("period_label:N", title=ctx.t("period")), alt.Tooltip("use_label:N", title=ctx.t("use")),
                 alt.Tooltip("units_shown:N", title=ctx.t("count")), alt.Tooltip("area_shown:N", title=ctx.t("area"))],
    ).transform_calculate(use_order=f"indexof({names!r}, datum.use_label)")
    ctx.chart(bars.properties(height=360), df, name="by_period")

    by_use = df.group_by("use").agg(pl.col("units", "occupied_units", "rented_units", "vacant_units").sum())
    states = by_use.select(
        "use",
        (pl.col("occupied_units") - pl.col("rented_units")).alias("owner"),
        pl.col("rented_units").alias("rented"),
        pl.col("vacant_units").alias("vacant"),
        (pl.col("units") - pl.col("occupied_units") - pl.col("vacant_units")).alias("other"),
        pl.col("units").alias("total"),
    ).unpivot(index=["use", "total"], on=list(STATES), variable_name="state", value_name="units").with_columns(
        (100 * pl.col("units") / pl.col("total")).alias("pct"),
        pl.col("use").replace_strict(use_name).alias("use_label"),
        pl.col("state").replace_strict({s: ctx.t(f"state.{s}") for s in STATES}).alias("state_label"),
    )
    states = states.with_columns(pl.Series("shown", [f"{p:.1f}%" for p in states["pct"].to_list()]))
    labels = [ctx.t(f"state.{s}") for s in STATES]
    stacked = alt.Chart(states).mark_bar().encode(
        y=alt.Y("use_label:N", sort=names, title=None),
        x=alt.X("pct:Q", title=ctx.t("share_axis"), scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("state_label:N", title=ctx.t("state"), sort=labels, legend=charts.top_legend(),
                        scale=alt.Scale(domain=labels, range=["#2E6DB4", "#3A9D6B", "#C0392B", "#CBD2D9"])),
        order=alt.Order("state_order:Q"),
        tooltip=[alt.Tooltip("use_label:N", title=ctx.t("use")), alt.Tooltip("state_label:N", title=ctx.t("state")),
                 alt.Tooltip("shown:N", title=ctx.t("share"))],
    ).transform_calculate(state_order=f"indexof({labels!r}, datum.state_label)")
    ctx.chart(stacked.properties(height=40 * len(names) + 110), by_use, name="occupancy")

    st.caption(ctx.t("vintage"))
    if sample < 1:
        st.caption(ctx.t("sample", rate=f"{sample * 100:g}%"))
