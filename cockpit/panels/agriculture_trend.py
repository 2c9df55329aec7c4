"""种植结构变化：2015–2024年各作物种植面积走势 / How the crop mix moved: area by crop, 2015–2024"""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from cockpit.panel import Panel, RegionParam, YearParam

PANEL = Panel(
    id="agriculture.trend", theme="agriculture", order=20,
    title={"zh": "种植结构变化", "en": "How the crop mix moved"},
    marts=["agriculture", "crops"],
    params=(RegionParam(), YearParam()),
    strings={
        "year": {"zh": "年份", "en": "Year"},
        "crop": {"zh": "作物", "en": "Crop"},
        "area": {"zh": "面积", "en": "Area"},
        "change": {"zh": "较上年", "en": "On last year"},
        "area_axis": {"zh": "种植面积（万亩）", "en": "Area (thousand mu)"},
        "cut": {"zh": "降幅最大的一次调整：{crop} {year}年面积 {change}（{before} → {after}）。",
                "en": "The largest single cut: {crop} in {year}, {change} ({before} → {after})."},
        "legend": {"zh": "点击图例可突出单个作物；竖线为所选年份。", "en": "Click the legend to pick out one crop; the vertical line is the selected year."},
    },
)


def render(ctx) -> None:
    df = ctx.query("""
        SELECT a.crop, c.zh, c.en, a.year, a.area_mu
        FROM mart.agriculture AS a
        JOIN mart.crops AS c ON c.code = a.crop
        WHERE a.region_code = ?
        ORDER BY a.crop, a.year
    """, [ctx.params.region])
    if df.is_empty() or not df["area_mu"].sum():
        st.info(ctx.t("page.no_data"))
        return
    zh = ctx.lang == "zh"
    df = df.with_columns(
        pl.col("zh" if zh else "en").alias("name"),
        (100 * (pl.col("area_mu") / pl.col("area_mu").shift(1).over("crop", order_by="year") - 1)).alias("change"),
    )
    shown = df.with_columns(
        (pl.col("area_mu") / (1e4 if zh else 1e3)).alias("axis"),
        pl.Series("area_shown", [ctx.number(v, "亩") for v in df["area_mu"].to_list()]),
        pl.Series("change_shown", [ctx.change(v, "none") for v in df["change"].to_list()]),
    )
    latest = shown.filter(pl.col("year") == shown["year"].max()).sort("area_mu", descending=True)
    order = latest["name"].to_list() + sorted(set(shown["name"].to_list()) - set(latest["name"].to_list()))

    pick = alt.selection_point(fields=["name"], bind="legend")
    lines = alt.Chart(shown).mark_line(point=alt.OverlayMarkDef(size=20)).encode(
        x=alt.X("year:O", title=ctx.t("year"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("axis:Q", title=ctx.t("area_axis")),
        color=alt.Color("name:N", title=ctx.t("crop"), sort=order,
                        scale=alt.Scale(scheme="tableau20"), legend=alt.Legend(orient="right", symbolLimit=30)),
        opacity=alt.condition(pick, alt.value(1), alt.value(0.15)),
        tooltip=[alt.Tooltip("name:N", title=ctx.t("crop")), alt.Tooltip("year:O", title=ctx.t("year")),
                 alt.Tooltip("area_shown:N", title=ctx.t("area")), alt.Tooltip("change_shown:N", title=ctx.t("change"))],
    ).add_params(pick)
    year = alt.Chart(pl.DataFrame({"year": [ctx.params.year]})).mark_rule(color="#E39B2B", strokeDash=[4, 3]).encode(
        x="year:O")
    ctx.chart(alt.layer(lines, year).properties(height=380), df.drop("zh", "en", "name"), name="area")

    # Large crops only, so a new crop going from 10 mu to 100 mu does not read as the story.
    big = df.filter(pl.col("area_mu").max().over("crop") >= 0.05 * df.group_by("year").agg(pl.col("area_mu").sum())["area_mu"].max())
    cuts = big.filter(pl.col("change").is_not_null()).sort("change").head(1)
    if not cuts.is_empty() and cuts["change"][0] < -10:
        cut = cuts.row(0, named=True)
        before = df.filter((pl.col("crop") == cut["crop"]) & (pl.col("year") == cut["year"] - 1))["area_mu"][0]
        st.caption(ctx.t("cut", crop=cut["name"], year=cut["year"], change=ctx.change(cut["change"], "none"),
                         before=ctx.number(before, "亩"), after=ctx.number(cut["area_mu"], "亩")))
    st.caption(ctx.t("legend"))
