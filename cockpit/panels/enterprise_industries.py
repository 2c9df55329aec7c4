"""法人行业结构：按国民经济行业门类的年末存续法人与当年新设、注销 / Entities by industry: year-end stock, and set-ups and cancellations in the year, by GB/T 4754 section"""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from cockpit import charts
from cockpit.panel import Panel, RegionParam, YearParam

# GB/T 4754-2017 国民经济行业分类, sections A–T.
SECTIONS = {
    "A": ("农、林、牧、渔业", "Agriculture, forestry, animal husbandry and fishery"),
    "B": ("采矿业", "Mining"),
    "C": ("制造业", "Manufacturing"),
    "D": ("电力、热力、燃气及水生产和供应业", "Electricity, heat, gas and water supply"),
    "E": ("建筑业", "Construction"),
    "F": ("批发和零售业", "Wholesale and retail trade"),
    "G": ("交通运输、仓储和邮政业", "Transport, storage and post"),
    "H": ("住宿和餐饮业", "Accommodation and catering"),
    "I": ("信息传输、软件和信息技术服务业", "Information transmission, software and IT services"),
    "J": ("金融业", "Finance"),
    "K": ("房地产业", "Real estate"),
    "L": ("租赁和商务服务业", "Leasing and business services"),
    "M": ("科学研究和技术服务业", "Scientific research and technical services"),
    "N": ("水利、环境和公共设施管理业", "Water, environment and public facilities management"),
    "O": ("居民服务、修理和其他服务业", "Household services, repairs and other services"),
    "P": ("教育", "Education"),
    "Q": ("卫生和社会工作", "Health and social work"),
    "R": ("文化、体育和娱乐业", "Culture, sports and entertainment"),
    "S": ("公共管理、社会保障和社会组织", "Public administration, social security and social organisations"),
    "T": ("国际组织", "International organisations"),
}

PANEL = Panel(
    id="enterprise.industries", theme="enterprise", order=10,
    title={"zh": "行业结构", "en": "Entities by industry"},
    marts=["enterprise_dynamics"],
    params=(RegionParam(), YearParam()),
    strings={
        **{f"section.{code}": {"zh": zh, "en": en} for code, (zh, en) in SECTIONS.items()},
        "section": {"zh": "行业门类", "en": "Industry section"},
        "stock": {"zh": "年末存续", "en": "Active at year end"},
        "new": {"zh": "当年新设", "en": "Set up in the year"},
        "cancelled": {"zh": "当年注销", "en": "Cancelled in the year"},
        "axis": {"zh": "法人数（{unit}）", "en": "Entities ({unit})"},
        "unit.1": {"zh": "家", "en": "entities"},
        "unit.big": {"zh": "万家", "en": "thousand"},
        "share": {"zh": "占存续", "en": "Share of stock"},
        "top": {"zh": "{year}年末存续法人 {stock}，当年新设 {new}、注销 {cancelled}；存量最多的是{first}（门类{code}），占{share}。",
                "en": "At the end of {year}: {stock} active; {new} set up and {cancelled} cancelled in the year. The largest section is {first} ({code}), with {share}."},
        "sample": {"zh": "演示数据：法人数由 {rate} 的样本记录按比例推算。",
                   "en": "Demo data: counts are estimated from a {rate} sample of records."},
    },
)


def render(ctx) -> None:
    df = ctx.query("""
        SELECT industry_section,
               max(stock) FILTER (WHERE month(month) = 12) AS stock,
               sum(new_entities)::BIGINT AS new_entities,
               sum(cancelled_entities)::BIGINT AS cancelled_entities
        FROM mart.enterprise_dynamics
        WHERE region_code = ? AND year(month) = ?
        GROUP BY industry_section
        ORDER BY stock DESC, industry_section
    """, [ctx.params.region, ctx.params.year])
    if df.is_empty() or not (df["stock"].fill_null(0).sum() or df["new_entities"].sum()):
        st.info(ctx.t("page.no_data"))
        return
    sample = ctx.sample_rate()
    scale = ctx.sample_scale()
    total = df["stock"].sum() or 0
    shown = df.with_columns(
        pl.col("industry_section").map_elements(lambda c: f"{c} {ctx.t(f'section.{c}')}" if f"section.{c}" in
                                                PANEL.strings else c, return_dtype=pl.String).alias("label"),
        *(pl.col(c) * scale for c in ("stock", "new_entities", "cancelled_entities")),
    )
    big = (shown["stock"].max() or 0) >= 1e4
    per = (1e4 if ctx.lang == "zh" else 1e3) if big else 1
    unit = ctx.t("unit.big" if big else "unit.1")
    order = shown["label"].to_list()
    # Section names are long ("S Public administration, social security and …"): up to 330 px of them on a
    # desktop, at most 45% of the chart's width on a phone, where 330 px would leave the bars no room.
    section = alt.Y("label:N", sort=order, title=None,
                    axis=alt.Axis(labelLimit=alt.ExprRef("min(330, containerSize()[0] * 0.45)")))

    # One bar per section: the year-end stock, and inside it the entities set up during the year.
    rows = shown.with_columns(
        pl.Series("stock_shown", [ctx.number(v, "家") for v in shown["stock"].to_list()]),
        pl.Series("new_shown", [ctx.number(v, "家") for v in shown["new_entities"].to_list()]),
        pl.Series("cancelled_shown", [ctx.number(v, "家") for v in shown["cancelled_entities"].to_list()]),
        pl.Series("share", [f"{100 * (v or 0) / total:.1f}%" if total else "—" for v in df["stock"].to_list()]),
        (pl.col("stock") / per).alias("stock_axis"),
        (pl.col("new_entities") / per).alias("new_axis"),
        pl.lit(ctx.t("stock")).alias("stock_label"),
        pl.lit(ctx.t("new")).alias("new_label"),
    )
    measures = [ctx.t("stock"), ctx.t("new")]
    colour = alt.Scale(domain=measures, range=["#F2B8B0", "#C0392B"])
    tooltip = [alt.Tooltip("label:N", title=ctx.t("section")), alt.Tooltip("stock_shown:N", title=ctx.t("stock")),
               alt.Tooltip("share:N", title=ctx.t("share")), alt.Tooltip("new_shown:N", title=ctx.t("new")),
               alt.Tooltip("cancelled_shown:N", title=ctx.t("cancelled"))]
    base = alt.Chart(rows).encode(y=section, tooltip=tooltip)
    stock_bars = base.mark_bar(height={"band": 0.8}).encode(
        x=alt.X("stock_axis:Q", title=ctx.t("axis", unit=unit)),
        color=alt.Color("stock_label:N", title=None, scale=colour, legend=charts.top_legend(columns=1)))
    new_bars = base.mark_bar(height={"band": 0.4}).encode(
        x="new_axis:Q", color=alt.Color("new_label:N", title=None, scale=colour))
    ctx.chart(alt.layer(stock_bars, new_bars).properties(height=24 * len(order) + 50), df, name="sections")

    first = df.row(0, named=True)
    st.caption(ctx.t("top", year=ctx.params.year, stock=ctx.number(total * scale, "家"),
                     new=ctx.number(df["new_entities"].sum() * scale, "家"),
                     cancelled=ctx.number(df["cancelled_entities"].sum() * scale, "家"),
                     first=ctx.t(f"section.{first['industry_section']}"), code=first["industry_section"], share=f"{100 * (first['stock'] or 0) / total:.1f}%" if total else "—"))
    if sample < 1:
        st.caption(ctx.t("sample", rate=f"{sample * 100:g}%"))
