"""人房、企房关联：常住人口和存续法人中能关联到房屋基础库的比例及其变化 / Person and entity links to housing: the share of residents and active entities matched to a housing unit, over time"""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from cockpit import charts
from cockpit.panel import Panel, RegionParam, YearParam

PANEL = Panel(
    id="population.housing_link", theme="population", order=30, section={"zh": "人房关联", "en": "Persons & housing"},
    title={"zh": "人房、企房关联", "en": "Links to the housing library"},
    marts=["person_housing_link"],
    params=(RegionParam(), YearParam()),
    strings={
        "year": {"zh": "年份", "en": "Year"},
        "residents": {"zh": "人房关联率", "en": "Residents linked"},
        "entities": {"zh": "企房关联率", "en": "Entities linked"},
        "rate_axis": {"zh": "关联率（%）", "en": "Linked (%)"},
        "series": {"zh": "对象", "en": "Series"},
        "rate": {"zh": "关联率", "en": "Linked"},
        "on_last_year": {"zh": "较上年", "en": "on last year"},
        "pp": {"zh": "{pp:+.1f}个百分点", "en": "{pp:+.1f} pp"},
        "unlinked": {"zh": "{year}年末未能关联到房屋的常住人口约 {persons}、存续法人约 {entities}，是人口、法人与房屋基础库之间需要核对的记录。",
                     "en": "At the end of {year}, about {persons} and {entities} could not be matched to a housing unit: records to reconcile between the population, entity and housing libraries."},
        "meaning": {"zh": "关联率 = 住址房屋编码能在房屋基础库找到的比例；越高说明“以房管人、以房管企”的底数越实。",
                    "en": "Linked = share whose housing ID is found in the housing library; the higher, the firmer the base for managing people and firms by address."},
        "sample": {"zh": "演示数据：人数、法人数由 {rate} 的样本记录按比例推算；关联率不受影响。",
                   "en": "Demo data: counts are estimated from a {rate} sample of records; the link rates are unaffected."},
    },
)


def render(ctx) -> None:
    df = ctx.query("""
        SELECT year, residents, residents_linked, residents_link_rate,
               entities_active, entities_linked, entities_link_rate
        FROM mart.person_housing_link
        WHERE region_code = ?
        ORDER BY year
    """, [ctx.params.region])
    if df.is_empty() or (df["residents_link_rate"].is_null().all() and df["entities_link_rate"].is_null().all()):
        st.info(ctx.t("page.no_data"))
        return
    sample = ctx.sample_rate()
    scale = ctx.sample_scale()
    this = df.filter(pl.col("year") == ctx.params.year)
    last = df.filter(pl.col("year") == ctx.params.year - 1)

    if not this.is_empty():
        cards = st.columns(2)
        for card, key, column in ((cards[0], "residents", "residents_link_rate"),
                                  (cards[1], "entities", "entities_link_rate")):
            rate = this[column][0]
            before = None if last.is_empty() else last[column][0]
            card.metric(ctx.t(key), "—" if rate is None else f"{100 * rate:.1f}%",
                        delta=None if rate is None or before is None else ctx.t("pp", pp=100 * (rate - before)),
                        delta_description=ctx.t("on_last_year"), border=True)

    long = df.select("year", pl.col("residents_link_rate").alias("residents"),
                     pl.col("entities_link_rate").alias("entities")).unpivot(
        index="year", variable_name="series", value_name="rate").with_columns(
        (pl.col("rate") * 100).alias("pct"),
        pl.col("series").replace_strict({"residents": ctx.t("residents"), "entities": ctx.t("entities")}).alias("label"),
        pl.col("rate").map_elements(lambda v: f"{100 * v:.1f}%", return_dtype=pl.String).alias("shown"))
    chart = alt.Chart(long).mark_line(point=True).encode(
        x=alt.X("year:O", title=ctx.t("year"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("pct:Q", title=ctx.t("rate_axis"), scale=alt.Scale(zero=False)),
        color=alt.Color("label:N", title=None, legend=charts.top_legend(),
                        scale=alt.Scale(range=["#C0392B", "#2E6DB4"])),
        tooltip=[alt.Tooltip("year:O", title=ctx.t("year")), alt.Tooltip("label:N", title=ctx.t("series")),
                 alt.Tooltip("shown:N", title=ctx.t("rate"))],
    )
    ctx.chart(chart.properties(height=320), df, name="rates")

    st.caption(ctx.t("meaning"))
    if not this.is_empty():
        row = this.row(0, named=True)
        unlinked_persons = (None if row["residents"] is None
                            else (row["residents"] - (row["residents_linked"] or 0)) * scale)
        unlinked_entities = (row["entities_active"] - row["entities_linked"]) * scale
        st.caption(ctx.t("unlinked", year=ctx.params.year, persons=ctx.number(unlinked_persons, "人"),
                         entities=ctx.number(unlinked_entities, "家")))
    if sample < 1:
        st.caption(ctx.t("sample", rate=f"{sample * 100:g}%"))
