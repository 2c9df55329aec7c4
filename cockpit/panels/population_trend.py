"""人口变动与老龄化：2015–2024年末常住人口、出生、死亡、净迁入与60岁、65岁及以上占比 / Population change and ageing: year-end residents, births, deaths, net moves and the share aged 60+ and 65+, 2015–2024"""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from cockpit import charts
from cockpit.panel import Panel, RegionParam, YearParam

PANEL = Panel(
    id="population.trend", theme="population", order=20,
    title={"zh": "人口变动与老龄化", "en": "Population change and ageing"},
    marts=["population_dynamics", "population_structure"],
    params=(RegionParam(), YearParam()),
    strings={
        "year": {"zh": "年份", "en": "Year"},
        "residents": {"zh": "年末常住人口", "en": "Year-end residents"},
        "residents_axis": {"zh": "年末常住人口（万人）", "en": "Year-end residents (thousand)"},
        "flows_axis": {"zh": "人数（万人）", "en": "Persons (thousand)"},
        "births": {"zh": "出生", "en": "Births"},
        "deaths": {"zh": "死亡", "en": "Deaths"},
        "net_moves": {"zh": "净迁入", "en": "Net moves in"},
        "component": {"zh": "变动", "en": "Component"},
        "persons": {"zh": "人数", "en": "Persons"},
        "birth_rate": {"zh": "出生率", "en": "Birth rate"},
        "death_rate": {"zh": "死亡率", "en": "Death rate"},
        "aged_60": {"zh": "60岁及以上", "en": "Aged 60+"},
        "aged_65": {"zh": "65岁及以上", "en": "Aged 65+"},
        "share_axis": {"zh": "占常住人口（%）", "en": "Share of residents (%)"},
        "group": {"zh": "年龄", "en": "Age"},
        "share": {"zh": "占比", "en": "Share"},
        "on_last_year": {"zh": "较上年", "en": "on last year"},
        "pp": {"zh": "{pp:+.1f}个百分点", "en": "{pp:+.1f} pp"},
        "partial": {"zh": "{years}有高龄组单元格未公开，老龄人口占比为下限。",
                    "en": "{years}: some old-age cells are withheld, so the ageing shares are lower bounds."},
        "every_year": {"zh": "各年", "en": "Every year"},
        "sample": {"zh": "演示数据：人数由 {rate} 的样本记录按比例推算；出生率、死亡率与占比不受影响。",
                   "en": "Demo data: counts are estimated from a {rate} sample of records; rates and shares are unaffected."},
        "withheld": {"zh": "空缺处按规定不公开：人数过少，或可据以推算出过少的人数。",
                     "en": "Gaps are withheld counts: too small, or they would give a small count away."},
    },
)

COLOURS = {"births": "#3A9D6B", "deaths": "#5F6B7A", "net_moves": "#E39B2B"}


def render(ctx) -> None:
    df = ctx.query("""
        WITH ageing AS (
            SELECT year,
                   sum(persons) FILTER (WHERE age_from >= 60) AS aged_60,
                   sum(persons) FILTER (WHERE age_from >= 65) AS aged_65,
                   bool_or(suppressed AND age_from >= 60) AS aged_partial
            FROM mart.population_structure
            WHERE region_code = ?
            GROUP BY year
        )
        SELECT d.year, d.population, d.births, d.deaths, d.net_moves,
               d.birth_rate_permille, d.death_rate_permille,
               round(100.0 * a.aged_60 / d.population, 2) AS aged_60_pct,
               round(100.0 * a.aged_65 / d.population, 2) AS aged_65_pct,
               a.aged_partial
        FROM mart.population_dynamics AS d
        LEFT JOIN ageing AS a USING (year)
        WHERE d.region_code = ?
        ORDER BY d.year
    """, [ctx.params.region, ctx.params.region])
    if df.is_empty() or df["population"].is_null().all():
        st.info(ctx.t("page.no_data"))
        return
    sample = ctx.sample_rate()
    scale = ctx.sample_scale()
    per = 1e4 if ctx.lang == "zh" else 1e3

    this = df.filter(pl.col("year") == ctx.params.year)
    last = df.filter(pl.col("year") == ctx.params.year - 1)
    if not this.is_empty():
        value = lambda frame, column: None if frame.is_empty() else frame[column][0]  # noqa: E731
        population, previous = value(this, "population"), value(last, "population")
        cards = st.columns(4)
        # In English "1.65 million persons" does not fit a card: the label says what is counted.
        cards[0].metric(ctx.t("residents"), ctx.number(None if population is None else population * scale,
                                                       "人" if ctx.lang == "zh" else ""),
                        delta=f"{100 * (population / previous - 1):+.1f}%" if population and previous else None,
                        delta_description=ctx.t("on_last_year"), border=True)
        cards[1].metric(ctx.t("birth_rate"), ctx.number(value(this, "birth_rate_permille"), "‰", 2), border=True)
        cards[2].metric(ctx.t("death_rate"), ctx.number(value(this, "death_rate_permille"), "‰", 2), border=True)
        aged, aged_before = value(this, "aged_60_pct"), value(last, "aged_60_pct")
        cards[3].metric(ctx.t("aged_60"), ctx.number(aged, "%", 1),
                        delta=None if aged is None or aged_before is None else ctx.t("pp", pp=aged - aged_before),
                        delta_color="off", delta_description=ctx.t("on_last_year"), border=True)

    year = alt.X("year:O", title=ctx.t("year"), axis=alt.Axis(labelAngle=0))
    stock = df.select("year", (pl.col("population") * scale / per).alias("value"),
                      pl.Series("shown", [ctx.number(None if v is None else v * scale, "人")
                                          for v in df["population"].to_list()]))
    line = alt.Chart(stock).mark_line(point=True).encode(
        x=year, y=alt.Y("value:Q", title=ctx.t("residents_axis"), scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("year:O", title=ctx.t("year")), alt.Tooltip("shown:N", title=ctx.t("residents"))],
    )
    ctx.chart(line.properties(height=280), df.select("year", "population"), name="residents")
    flows = df.select("year", "births", "deaths", "net_moves").unpivot(
        index="year", variable_name="component", value_name="persons")
    flows = flows.with_columns(
        (pl.col("persons") * scale / per).alias("value"),
        pl.col("component").replace_strict({k: ctx.t(k) for k in COLOURS}).alias("label"),
        pl.Series("shown", [ctx.number(None if v is None else v * scale, "人") for v in flows["persons"].to_list()]),
    )
    bars = alt.Chart(flows).mark_bar().encode(
        x=year, xOffset=alt.XOffset("label:N", sort=[ctx.t(k) for k in COLOURS]),
        y=alt.Y("value:Q", title=ctx.t("flows_axis")),
        color=alt.Color("label:N", title=None, sort=[ctx.t(k) for k in COLOURS], legend=charts.top_legend(),
                        scale=alt.Scale(domain=[ctx.t(k) for k in COLOURS], range=list(COLOURS.values()))),
        tooltip=[alt.Tooltip("year:O", title=ctx.t("year")), alt.Tooltip("label:N", title=ctx.t("component")),
                 alt.Tooltip("shown:N", title=ctx.t("persons"))],
    )
    ctx.chart(bars.properties(height=300), df.select("year", "births", "deaths", "net_moves"), name="flows")

    ageing = df.select("year", pl.col("aged_60_pct").alias("aged_60"), pl.col("aged_65_pct").alias("aged_65")).unpivot(
        index="year", variable_name="group", value_name="pct").with_columns(
        pl.col("group").replace_strict({"aged_60": ctx.t("aged_60"), "aged_65": ctx.t("aged_65")}).alias("label"),
        pl.col("pct").map_elements(lambda v: f"{v:.1f}%", return_dtype=pl.String).alias("shown"))
    lines = alt.Chart(ageing).mark_line(point=True).encode(
        x=year, y=alt.Y("pct:Q", title=ctx.t("share_axis"), scale=alt.Scale(zero=False)),
        color=alt.Color("label:N", title=None, legend=charts.top_legend(),
                        scale=alt.Scale(range=["#C0392B", "#7A4EA3"])),
        tooltip=[alt.Tooltip("year:O", title=ctx.t("year")), alt.Tooltip("label:N", title=ctx.t("group")),
                 alt.Tooltip("shown:N", title=ctx.t("share"))],
    )
    ctx.chart(lines.properties(height=300), df.select("year", "aged_60_pct", "aged_65_pct"), name="ageing")

    partial = df.filter(pl.col("aged_partial").fill_null(False))["year"].to_list()
    if partial:
        years = (ctx.t("every_year") if len(partial) == df.height
                 else ("、".join(f"{y}年" for y in partial) if ctx.lang == "zh" else ", ".join(map(str, partial))))
        st.caption(ctx.t("partial", years=years))
    if df.select(pl.any_horizontal(pl.col("births", "deaths", "net_moves").is_null()).any()).item():
        st.caption(ctx.t("withheld"))
    if sample < 1:
        st.caption(ctx.t("sample", rate=f"{sample * 100:g}%"))
