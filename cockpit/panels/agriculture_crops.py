"""种植结构：各作物当年的面积、单产、产量、产值、亩均净收益及较上年变化 / Crops this year: area, yield, output, value and net income per mu by crop, and the change on last year"""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from cockpit.panel import Panel, RegionParam, YearParam

PANEL = Panel(
    id="agriculture.crops", theme="agriculture", order=10,
    title={"zh": "种植结构", "en": "Crops this year"},
    marts=["agriculture", "crops"],
    params=(RegionParam(), YearParam()),
    strings={
        "crop": {"zh": "作物", "en": "Crop"},
        "area": {"zh": "面积", "en": "Area"},
        "area_axis": {"zh": "种植面积（万亩）", "en": "Area (thousand mu)"},
        "change": {"zh": "较上年", "en": "On last year"},
        "value": {"zh": "产值", "en": "Output value"},
        "net": {"zh": "亩均净收益", "en": "Net income per mu"},
        "col.crop": {"zh": "作物", "en": "Crop"},
        "col.area": {"zh": "面积（万亩）", "en": "Area, k mu"},
        "col.area_change": {"zh": "面积较上年（%）", "en": "Area ±%"},
        "col.yield": {"zh": "单产（公斤/亩）", "en": "Yield, kg/mu"},
        "col.output": {"zh": "产量（万吨）", "en": "Output, k t"},
        "col.value": {"zh": "产值（亿元）", "en": "Value, m yuan"},
        "col.value_change": {"zh": "产值较上年（%）", "en": "Value ±%"},
        "col.net": {"zh": "亩均净收益（元）", "en": "Net/mu, yuan"},
        "totals": {"zh": "{year}年种植面积 {area}（较上年 {area_change}），产值 {value}（较上年 {value_change}）。",
                   "en": "In {year}: {area} planted ({area_change} on last year), output worth {value} ({value_change})."},
        "perennial": {"zh": "{crops}等多年生作物新种后要几年才投产，产量按投产面积计。",
                      "en": "Perennials ({crops}) bear only years after planting: output counts the bearing area."},
    },
)


def render(ctx) -> None:
    df = ctx.query("""
        SELECT a.crop, c.zh, c.en, c.perennial, a.year, a.area_mu, a.yield_kg_per_mu, a.output_t, a.value_yuan,
               a.net_income_per_mu
        FROM mart.agriculture AS a
        JOIN mart.crops AS c ON c.code = a.crop
        WHERE a.region_code = ? AND a.year IN (?, ?)
    """, [ctx.params.region, ctx.params.year, ctx.params.year - 1])
    this = df.filter((pl.col("year") == ctx.params.year) & (pl.col("area_mu") > 0))
    if this.is_empty():
        st.info(ctx.t("page.no_data"))
        return
    last = df.filter(pl.col("year") == ctx.params.year - 1).select(
        "crop", pl.col("area_mu").alias("area_last"), pl.col("value_yuan").alias("value_last"))
    zh = ctx.lang == "zh"
    rows = this.join(last, on="crop", how="left").with_columns(
        pl.col("zh" if zh else "en").alias("name"),
        pl.when(pl.col("area_last") > 0).then(100 * (pl.col("area_mu") / pl.col("area_last") - 1)).alias("area_change"),
        pl.when(pl.col("value_last") > 0).then(100 * (pl.col("value_yuan") / pl.col("value_last") - 1)).alias("value_change"),
    ).sort("area_mu", descending=True)

    shown = rows.with_columns(
        (pl.col("area_mu") / (1e4 if zh else 1e3)).alias("axis"),
        pl.Series("area_shown", [ctx.number(v, "亩") for v in rows["area_mu"].to_list()]),
        pl.Series("change_shown", [ctx.change(v, "none") for v in rows["area_change"].to_list()]),
        pl.Series("value_shown", [ctx.number(v, "元") for v in rows["value_yuan"].to_list()]),
        pl.Series("net_shown", [ctx.number(v, "元") for v in rows["net_income_per_mu"].to_list()]),
    )
    order = shown["name"].to_list()
    bars = alt.Chart(shown).mark_bar().encode(
        y=alt.Y("name:N", sort=order, title=None, axis=alt.Axis(labelLimit=220, labelOverlap=False)),
        x=alt.X("axis:Q", title=ctx.t("area_axis")),
        color=alt.condition("datum.area_change < 0", alt.value("#5F6B7A"), alt.value("#3A9D6B")),
        tooltip=[alt.Tooltip("name:N", title=ctx.t("crop")), alt.Tooltip("area_shown:N", title=ctx.t("area")),
                 alt.Tooltip("change_shown:N", title=ctx.t("change")), alt.Tooltip("value_shown:N", title=ctx.t("value")),
                 alt.Tooltip("net_shown:N", title=ctx.t("net"))],
    )
    labels = bars.mark_text(align="left", dx=4, fontSize=11).encode(
        text="change_shown:N", color=alt.condition("datum.area_change < 0", alt.value("#C5221F"), alt.value("#1E8E3E")))
    ctx.chart(alt.layer(bars, labels).properties(height=max(26 * len(order) + 40, 160)), rows.drop("zh", "en", "name", "perennial"), name="area")

    area, area_last = rows["area_mu"].sum(), rows["area_last"].sum()
    value, value_last = rows["value_yuan"].sum(), rows["value_last"].sum()
    st.caption(ctx.t("totals", year=ctx.params.year, area=ctx.number(area, "亩"), value=ctx.number(value, "元"),
                     area_change=ctx.change(100 * (area / area_last - 1) if area_last else None, "none"),
                     value_change=ctx.change(100 * (value / value_last - 1) if value_last else None, "none")))

    thousand = 1e4 if zh else 1e3  # 万 / thousand
    table = rows.select(
        pl.col("name").alias("crop"),
        (pl.col("area_mu") / thousand).round(2).alias("area"),
        pl.col("area_change").round(1),
        pl.col("yield_kg_per_mu").round(1).alias("yield"),
        (pl.col("output_t") / thousand).round(2).alias("output"),
        (pl.col("value_yuan") / (1e8 if zh else 1e6)).round(2).alias("value"),
        pl.col("value_change").round(1),
        pl.col("net_income_per_mu").round(0).alias("net"),
    )
    ctx.table(table, {c: ctx.t(f"col.{c}") for c in table.columns}, name="crops", collapsed=True)
    # Named from the crops this region grows: a wheat-corn plain has no tea to explain.
    perennials = rows.filter(pl.col("perennial"))["name"].to_list()
    if perennials:
        st.caption(ctx.t("perennial", crops=("、" if zh else ", ").join(perennials)))
