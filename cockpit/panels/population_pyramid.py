"""人口金字塔：年末常住人口的性别、五岁年龄组结构 / Population pyramid: year-end residents by sex and five-year age group"""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from cockpit import charts
from cockpit.panel import Panel, RegionParam, YearParam

PANEL = Panel(
    id="population.pyramid", theme="population", order=10,
    title={"zh": "人口金字塔", "en": "Population pyramid"},
    marts=["population_structure"],
    params=(RegionParam(), YearParam()),
    strings={
        "male": {"zh": "男", "en": "Male"},
        "female": {"zh": "女", "en": "Female"},
        "sex": {"zh": "性别", "en": "Sex"},
        "age": {"zh": "年龄组", "en": "Age group"},
        "persons": {"zh": "人数", "en": "Persons"},
        "axis": {"zh": "人数（万人）", "en": "Persons (thousand)"},
        "share": {"zh": "占总人口", "en": "Share of residents"},
        "withheld": {"zh": "未公开", "en": "withheld"},
        "withheld_tip": {"zh": "人数过少，或可据以推算出过少的人数，按规定不公开",
                         "en": "Too few persons, or it would give such a count away: withheld by the disclosure rule"},
        "summary": {"zh": "年末常住人口 {total}，性别比 {ratio}（女=100），60岁及以上 {old}，0–14岁 {young}。",
                    "en": "Year-end residents {total}; sex ratio {ratio} (female = 100); aged 60+ {old}; aged 0–14 {young}."},
        "suppressed": {"zh": "{n} 个单元格未公开（人数过少，或可据以推算出过少的人数），图中标为“未公开”；合计与占比按已公开单元格计算，为近似值。",
                       "en": "Cells withheld: {n} (too few persons, or they would give such a count away; marked “withheld”); the total and shares use the published cells and are approximate."},
        "sample": {"zh": "演示数据：人数由 {rate} 的样本记录按比例推算。",
                   "en": "Demo data: counts are estimated from a {rate} sample of records."},
    },
)

MALE, FEMALE = "#2E6DB4", "#C0392B"


def render(ctx) -> None:
    df = ctx.query("""
        SELECT sex, age_group, age_from, persons, suppressed
        FROM mart.population_structure
        WHERE region_code = ? AND year = ?
        ORDER BY age_from, sex
    """, [ctx.params.region, ctx.params.year])
    if df.is_empty() or df["persons"].is_null().all():
        st.info(ctx.t("page.no_data"))
        return
    sample = ctx.sample_rate()
    scale = ctx.sample_scale()
    per = 1e4 if ctx.lang == "zh" else 1e3  # axis in 万人 / thousand persons
    total = (df["persons"].sum() or 0) * scale
    shown = df.with_columns(
        (pl.col("persons") * scale).alias("estimate"),
        pl.col("sex").replace_strict({"male": ctx.t("male"), "female": ctx.t("female")}).alias("sex_label"),
    ).with_columns(
        (pl.col("estimate") / per * pl.when(pl.col("sex") == "male").then(-1).otherwise(1)).alias("bar"),
        pl.Series("shown", [ctx.t("withheld_tip") if s else ctx.number(v, "人")
                            for v, s in zip((df["persons"] * scale).to_list(), df["suppressed"].to_list())]),
        pl.Series("share", ["—" if v is None else f"{100 * v * scale / total:.2f}%" for v in df["persons"].to_list()]),
    )

    age = alt.Y("age_group:O", sort=alt.EncodingSortField("age_from", order="descending"), title=ctx.t("age"),
                axis=alt.Axis(labelOverlap=False))
    tooltip = [alt.Tooltip("sex_label:N", title=ctx.t("sex")), alt.Tooltip("age_group:O", title=ctx.t("age")),
               alt.Tooltip("shown:N", title=ctx.t("persons")), alt.Tooltip("share:N", title=ctx.t("share"))]
    base = alt.Chart(shown)
    bars = base.transform_filter("!datum.suppressed").mark_bar(height={"band": 0.85}).encode(
        x=alt.X("bar:Q", title=ctx.t("axis"), axis=alt.Axis(labelExpr="format(abs(datum.value), ',~f')")),
        y=age,
        color=alt.Color("sex_label:N", title=ctx.t("sex"), legend=charts.top_legend(),
                        scale=alt.Scale(domain=[ctx.t("male"), ctx.t("female")], range=[MALE, FEMALE])),
        tooltip=tooltip,
    )
    # A withheld cell is labelled where its bar would start, on its own side of the axis.
    withheld = [
        base.transform_filter(f"datum.suppressed && datum.sex == '{sex}'")
        .mark_text(align=align, dx=dx, fontSize=11, color="#7B8794", fontStyle="italic")
        .encode(x=alt.datum(0), y=age, text=alt.value(ctx.t("withheld")), tooltip=tooltip)
        for sex, align, dx in (("male", "right", -4), ("female", "left", 4))
    ]
    zero = alt.Chart().mark_rule(color="#9AA5B1").encode(x=alt.datum(0))
    ctx.chart(alt.layer(bars, *withheld, zero).properties(height=500), df, name="pyramid")

    persons = {(s, a): v for s, a, v in df.select("sex", "age_from", "persons").iter_rows()}
    male = sum(v for (s, _), v in persons.items() if s == "male" and v)
    female = sum(v for (s, _), v in persons.items() if s == "female" and v)
    old = sum(v for (_, a), v in persons.items() if a >= 60 and v)
    young = sum(v for (_, a), v in persons.items() if a < 15 and v)
    whole = male + female
    st.caption(ctx.t("summary", total=ctx.number(total, "人"),
                     ratio=f"{100 * male / female:.1f}" if female else "—",
                     old=f"{100 * old / whole:.1f}%" if whole else "—",
                     young=f"{100 * young / whole:.1f}%" if whole else "—"))
    suppressed = int(df["suppressed"].sum())
    if suppressed:
        st.caption(ctx.t("suppressed", n=suppressed))
    if sample < 1:
        st.caption(ctx.t("sample", rate=f"{sample * 100:g}%"))
