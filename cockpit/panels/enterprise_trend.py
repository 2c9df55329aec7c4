"""法人新设与注销走势：2015–2024年逐月新设立登记与注销 / Entities set up and cancelled, month by month, 2015–2024"""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from cockpit import charts
from cockpit.panel import Panel, RegionParam, YearParam

PANEL = Panel(
    id="enterprise.trend", theme="enterprise", order=20,
    title={"zh": "新设与注销走势", "en": "Set-ups and cancellations by month"},
    marts=["enterprise_dynamics"],
    params=(RegionParam(), YearParam()),
    strings={
        "month": {"zh": "月份", "en": "Month"},
        "new": {"zh": "新设", "en": "Set up"},
        "cancelled": {"zh": "注销", "en": "Cancelled"},
        "net": {"zh": "净增", "en": "Net change"},
        "axis": {"zh": "法人数（{unit}）", "en": "Entities ({unit})"},
        "unit.1": {"zh": "家", "en": "entities"},
        "unit.big": {"zh": "万家", "en": "thousand"},
        "measure": {"zh": "口径", "en": "Measure"},
        "count": {"zh": "数量", "en": "Count"},
        "in_year": {"zh": "{year}年", "en": "in {year}"},
        "yoy": {"zh": "同比", "en": "on last year"},
        "reading": {"zh": "阴影为所选年份。春节所在的1–2月，月均新设为其余月份的 {spring}；2020年一季度（新冠疫情）新设同比 {covid}。",
                    "en": "The shaded band is the selected year. In January–February (Spring Festival) set-ups average {spring} of the other months; in the first quarter of 2020 (COVID-19) they were {covid} on a year earlier."},
        "sample": {"zh": "演示数据：法人数由 {rate} 的样本记录按比例推算。",
                   "en": "Demo data: counts are estimated from a {rate} sample of records."},
    },
)


def render(ctx) -> None:
    df = ctx.query("""
        SELECT month,
               sum(new_entities)::BIGINT AS new_entities,
               sum(cancelled_entities)::BIGINT AS cancelled_entities
        FROM mart.enterprise_dynamics
        WHERE region_code = ?
        GROUP BY month
        ORDER BY month
    """, [ctx.params.region])
    if df.is_empty() or not (df["new_entities"].sum() or df["cancelled_entities"].sum()):
        st.info(ctx.t("page.no_data"))
        return
    sample = ctx.sample_rate()
    scale = ctx.sample_scale()

    yearly = df.group_by(pl.col("month").dt.year().alias("year")).agg(
        pl.col("new_entities").sum(), pl.col("cancelled_entities").sum())
    this = yearly.filter(pl.col("year") == ctx.params.year)
    last = yearly.filter(pl.col("year") == ctx.params.year - 1)
    if not this.is_empty():
        cards = st.columns(3)
        for card, key, value, before in (
            (cards[0], "new", this["new_entities"][0], None if last.is_empty() else last["new_entities"][0]),
            (cards[1], "cancelled", this["cancelled_entities"][0],
             None if last.is_empty() else last["cancelled_entities"][0]),
            (cards[2], "net", this["new_entities"][0] - this["cancelled_entities"][0],
             None if last.is_empty() else last["new_entities"][0] - last["cancelled_entities"][0]),
        ):
            card.metric(f"{ctx.t(key)} · {ctx.t('in_year', year=ctx.params.year)}", ctx.number(value * scale, "家" if ctx.lang == "zh" else ""),
                        delta=f"{100 * (value / before - 1):+.1f}%" if before and before > 0 else None,
                        delta_color="inverse" if key == "cancelled" else "normal",
                        delta_description=ctx.t("yoy"), border=True)

    big = max(df["new_entities"].max(), df["cancelled_entities"].max()) * scale >= 1e4
    per = (1e4 if ctx.lang == "zh" else 1e3) if big else 1
    unit = ctx.t("unit.big" if big else "unit.1")
    long = df.unpivot(index="month", variable_name="measure", value_name="count").with_columns(
        pl.col("measure").replace_strict({"new_entities": ctx.t("new"), "cancelled_entities": ctx.t("cancelled")}),
        (pl.col("count") * scale / per).alias("axis"),
        pl.col("month").dt.strftime("%Y-%m").alias("period"),
    )
    long = long.with_columns(pl.Series("shown", [ctx.number(v * scale, "家") for v in long["count"].to_list()]))
    measures = [ctx.t("new"), ctx.t("cancelled")]
    band = alt.Chart(pl.DataFrame({"start": [f"{ctx.params.year}-01-01"], "end": [f"{ctx.params.year}-12-31"]})
                     ).mark_rect(color="#E39B2B", opacity=0.12).encode(x="start:T", x2="end:T")
    lines = alt.Chart(long).mark_line(strokeWidth=1.6).encode(
        x=alt.X("month:T", title=ctx.t("month"), axis=alt.Axis(format="%Y", tickCount="year")),
        y=alt.Y("axis:Q", title=ctx.t("axis", unit=unit)),
        color=alt.Color("measure:N", title=None, sort=measures, legend=charts.top_legend(),
                        scale=alt.Scale(domain=measures, range=["#C0392B", "#5F6B7A"])),
        tooltip=[alt.Tooltip("period:N", title=ctx.t("month")), alt.Tooltip("measure:N", title=ctx.t("measure")),
                 alt.Tooltip("shown:N", title=ctx.t("count"))],
    )
    ctx.chart(alt.layer(band, lines).properties(height=360), df, name="monthly")
    month = pl.col("month").dt.month()
    festival = df.filter(month <= 2)["new_entities"].mean()
    others = df.filter(month > 2)["new_entities"].mean()
    first_quarter = df.filter(month <= 3).group_by(pl.col("month").dt.year().alias("year")).agg(pl.col("new_entities").sum())
    q = dict(first_quarter.iter_rows())
    st.caption(ctx.t("reading", spring=f"{100 * festival / others:.0f}%" if others else "—",
                     covid=ctx.change(100 * (q[2020] / q[2019] - 1), "none") if q.get(2019) and 2020 in q else "—"))
    if sample < 1:
        st.caption(ctx.t("sample", rate=f"{sample * 100:g}%"))
