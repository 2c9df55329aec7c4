"""人口预测：未来10年年末常住人口及80%、95%区间（队列要素法），与现在相比的年龄结构 / Population projection: year-end residents over the next 10 years with 80% and 95% intervals (cohort-component method), and the age structure then against now"""

from __future__ import annotations

import json

import altair as alt
import polars as pl
import streamlit as st

from cockpit import charts
from cockpit.panel import Panel, RegionParam

PANEL = Panel(
    id="population.projection", theme="population", order=40, section={"zh": "预测", "en": "Outlook"},
    title={"zh": "人口预测", "en": "Population projection"},
    marts=["population_projection", "population_dynamics", "population_structure", "regions"],
    params=(RegionParam(),),
    strings={
        "year": {"zh": "年份", "en": "Year"},
        "axis": {"zh": "年末常住人口（万人）", "en": "Year-end residents (thousand)"},
        "observed": {"zh": "实际", "en": "Observed"},
        "projected": {"zh": "预测", "en": "Projected"},
        "band80": {"zh": "80%区间", "en": "80% interval"},
        "band95": {"zh": "95%区间", "en": "95% interval"},
        "kind": {"zh": "类别", "en": "Series"},
        "residents": {"zh": "常住人口", "en": "Residents"},
        "interval": {"zh": "95%区间", "en": "95% interval"},
        "now": {"zh": "{year}年末常住人口", "en": "Residents, end of {year}"},
        "then": {"zh": "{year}年预测", "en": "Projected for {year}"},
        "range": {"zh": "{year}年95%区间", "en": "95% interval, {year}"},
        "reading": {"zh": "{year}年末常住人口预测为{mean}：有80%的把握在{lo80}至{hi80}之间，95%的把握在{lo95}至{hi95}之间（假定死亡和迁移保持近年水平，生育延续近年趋势并逐年减弱）。",
                    "en": "Projected residents at the end of {year}: {mean}, within {lo80}–{hi80} with 80% confidence and "
                          "{lo95}–{hi95} with 95% (if mortality and migration stay at their recent level and fertility "
                          "follows its recent trend, fading)."},
        "aged": {"zh": "60岁及以上占比", "en": "Aged 60+"},
        "aged_delta": {"zh": "{year}年 {share}", "en": "{share} in {year}"},
        "on_now": {"zh": "较{year}年", "en": "on {year}"},
        "male": {"zh": "男", "en": "Male"},
        "female": {"zh": "女", "en": "Female"},
        "sex": {"zh": "性别", "en": "Sex"},
        "age": {"zh": "年龄组", "en": "Age group"},
        "persons": {"zh": "人数", "en": "Persons"},
        "pyramid_axis": {"zh": "人数（万人）", "en": "Persons (thousand)"},
        "pyramid_title": {"zh": "年龄结构：灰色为{now}年实际，彩色为{then}年预测",
                          "en": "Age structure: grey is {now} (observed), colour is {then} (projected)"},
        "when": {"zh": "年份", "en": "Year"},
        "prefecture_only": {"zh": "人口预测按市（州）编制，这里显示{name}的预测。",
                            "en": "Projections are made by prefecture: this is {name}'s."},
        "out_of_scope": {"zh": "人口预测按市（州）编制，区县没有单独的预测。",
                         "en": "Projections are made by prefecture; counties have none of their own."},
        "method": {"zh": "方法：以{base}年末人口为起点，按单岁年龄逐年推算：死亡率、迁出率按近{window}年人口基础库记录估计并保持不变，迁入按近{window}年年均人数，"
                         "生育水平按各地出生数与育龄妇女数估计（总和生育率，年龄模式采用标准模式），从{base}年的实际水平出发，延续近{window}年的变化趋势并逐年减弱（阻尼系数{low}–{high}）。"
                         "区间来自{runs}次随机模拟：各年的率按历年波动抽取，生育趋势按其估计误差和阻尼范围抽取，事件数按泊松/二项分布抽取。",
                   "en": "Method: from the {base} year-end population, single years of age are projected year by year; death and "
                         "out-migration rates come from the last {window} years of the population register and are held there, moves in "
                         "from their yearly average, fertility from births and women aged 15–49 (total fertility with a standard age "
                         "pattern), starting from its {base} level and continuing its trend of the last {window} years, fading (damping "
                         "{low}–{high}). Intervals come from "
                         "{runs} simulation runs drawing each year's rates from their past variation, the fertility trend from its "
                         "estimation error and damping range, and the events from Poisson and binomial distributions."},
        "sample": {"zh": "演示数据：人数由 {rate} 的样本记录按比例推算。",
                   "en": "Demo data: counts are estimated from a {rate} sample of records."},
        "withheld": {"zh": "部分高龄组人数过少未公开，未画出。", "en": "Some old-age groups are withheld for counting too few persons and are not drawn."},
    },
)

MALE, FEMALE, GREY = "#2E6DB4", "#C0392B", "#CBD2D9"
RUNS, WINDOW = 500, 5  # as in cockpit/batch/population_projection.py (SETTINGS)
DAMPING = (0.65, 1.05)  # the fertility trend's damping range, as the batch uses (models.projection.DAMPING)


def render(ctx) -> None:
    region = ctx.params.region
    level = ctx.query("SELECT level, parent_code FROM mart.regions WHERE code = ?", [region])
    if not level.is_empty() and level["level"][0] == "county":
        region = level["parent_code"][0]
    total = ctx.query("""
        SELECT year, base_year, mean, lower_80, upper_80, lower_95, upper_95
        FROM mart.population_projection
        WHERE region_code = ? AND sex = 'all' AND age_group = 'all'
        ORDER BY year
    """, [region])
    if total.is_empty() or total["mean"].is_null().all():
        st.info(ctx.t("out_of_scope") if region != ctx.params.region else ctx.t("page.no_data"))
        return
    if region != ctx.params.region:
        st.caption(ctx.t("prefecture_only", name=ctx.region_name(region)))
    history = ctx.query("""
        SELECT year, population FROM mart.population_dynamics
        WHERE region_code = ? AND population IS NOT NULL ORDER BY year
    """, [region])
    sample = ctx.sample_rate()
    scale = ctx.sample_scale()
    per = 1e4 if ctx.lang == "zh" else 1e3
    base, last = int(total["base_year"][0]), int(total["year"].max())
    now = history.filter(pl.col("year") == base)["population"]
    now = None if now.is_empty() else float(now[0])
    final = total.filter(pl.col("year") == last).row(0, named=True)
    middle = total.filter(pl.col("year") == base + 5)

    structure = ctx.query("""
        WITH now AS (
            SELECT sex, age_group, age_from, persons::DOUBLE AS persons, ? AS year
            FROM mart.population_structure WHERE region_code = ? AND year = ?
        ), later AS (
            SELECT sex, age_group, age_from, mean AS persons, year
            FROM mart.population_projection
            WHERE region_code = ? AND year = ? AND sex <> 'all' AND age_group <> 'all'
        )
        SELECT * FROM now UNION ALL SELECT * FROM later ORDER BY year, age_from, sex
    """, [base, region, base, region, last])

    aged = {y: _aged_share(structure.filter(pl.col("year") == y)) for y in (base, last)}
    unit = "人" if ctx.lang == "zh" else ""  # in English "1.65 million persons" does not fit a card
    change = lambda value: None if not now else f"{100 * (value / now - 1):+.1f}%"  # noqa: E731
    cards = st.columns(4)
    cards[0].metric(ctx.t("now", year=base), ctx.number(None if now is None else now * scale, unit), border=True)
    if not middle.is_empty():
        cards[1].metric(ctx.t("then", year=base + 5), ctx.number(middle["mean"][0] * scale, unit),
                        delta=change(middle["mean"][0]), delta_description=ctx.t("on_now", year=base),
                        delta_color="off", border=True)
    cards[2].metric(ctx.t("then", year=last), ctx.number(final["mean"] * scale, unit), delta=change(final["mean"]),
                    delta_description=ctx.t("on_now", year=base), delta_color="off", border=True,
                    help=ctx.t("range", year=last) + f" {ctx.number(final['lower_95'] * scale, unit)}–"
                                                     f"{ctx.number(final['upper_95'] * scale, unit)}")
    cards[3].metric(ctx.t("aged"), "—" if aged[base] is None else f"{aged[base]:.1f}%",
                    delta=None if aged[last] is None else ctx.t("aged_delta", year=last, share=f"{aged[last]:.1f}%"),
                    delta_color="off", delta_arrow="off", border=True)

    ctx.chart(_fan(ctx, history, total, base, scale, per), total, name="fan")
    st.caption(ctx.t("reading", year=last, mean=ctx.number(final["mean"] * scale, "人"),
                     lo80=ctx.number(final["lower_80"] * scale, "人"), hi80=ctx.number(final["upper_80"] * scale, "人"),
                     lo95=ctx.number(final["lower_95"] * scale, "人"), hi95=ctx.number(final["upper_95"] * scale, "人")))

    bars = structure.with_columns(
        (pl.col("persons") * scale).alias("estimate"),
        pl.col("sex").replace_strict({"male": ctx.t("male"), "female": ctx.t("female")}).alias("sex_label"),
        pl.when(pl.col("year") == base).then(pl.lit(ctx.t("observed"))).otherwise(pl.lit(ctx.t("projected"))).alias("kind"),
    ).with_columns(
        (pl.col("estimate") / per * pl.when(pl.col("sex") == "male").then(-1).otherwise(1)).alias("bar"),
        pl.col("estimate").map_elements(lambda v: ctx.number(round(v), "人"), return_dtype=pl.String).alias("shown"),
    )
    st.markdown(f"**{ctx.t('pyramid_title', now=base, then=last)}**")
    ctx.chart(_pyramid(ctx, bars, base), structure, name="structure")

    if structure.filter(pl.col("year") == base)["persons"].is_null().any():
        st.caption(ctx.t("withheld"))
    st.caption(ctx.t("method", base=base, window=WINDOW, runs=RUNS, low=DAMPING[0], high=DAMPING[1]))
    if sample < 1:
        st.caption(ctx.t("sample", rate=f"{sample * 100:g}%"))


def _aged_share(frame: pl.DataFrame) -> float | None:
    known = frame.filter(pl.col("persons").is_not_null())
    whole = known["persons"].sum()
    if not whole:
        return None
    return 100 * known.filter(pl.col("age_from") >= 60)["persons"].sum() / whole


def _fan(ctx, history: pl.DataFrame, total: pl.DataFrame, base: int, scale: float, per: float) -> alt.LayerChart:
    """History as a solid line, the projection as a dashed line inside its 80% and 95% bands."""
    bounds = ("mean", "lower_80", "upper_80", "lower_95", "upper_95")
    past = history.select("year", (pl.col("population") * scale).alias("mean"))
    # The projected line and bands start at the last observed year, so that they meet the history.
    ahead = pl.concat([past.filter(pl.col("year") == base).select("year", *[pl.col("mean").alias(c) for c in bounds]),
                       total.select("year", *bounds).with_columns(pl.col(bounds) * scale)], how="vertical_relaxed")
    shown = lambda frame, column: [ctx.number(round(v), "人") for v in frame[column].to_list()]  # noqa: E731
    past = past.with_columns((pl.col("mean") / per).alias("v"), pl.Series("shown", shown(past, "mean")),
                             pl.lit(ctx.t("observed")).alias("series"), pl.lit("").alias("interval"))
    ahead = ahead.with_columns(
        *[(pl.col(c) / per).alias(f"{c}_v") for c in bounds],
        pl.Series("shown", shown(ahead, "mean")),
        pl.Series("interval", [f"{a}–{b}" for a, b in zip(shown(ahead, "lower_95"), shown(ahead, "upper_95"))]),
        pl.lit(ctx.t("projected")).alias("series"),
    )
    x = alt.X("year:O", title=ctx.t("year"), axis=alt.Axis(labelAngle=0))
    y = alt.Y("v:Q", title=ctx.t("axis"), scale=alt.Scale(zero=False))
    tooltip = [alt.Tooltip("year:O", title=ctx.t("year")), alt.Tooltip("series:N", title=ctx.t("kind")),
               alt.Tooltip("shown:N", title=ctx.t("residents")), alt.Tooltip("interval:N", title=ctx.t("interval"))]
    items = [ctx.t("observed"), ctx.t("projected"), ctx.t("band80"), ctx.t("band95")]
    colour = alt.Color("item:N", title=None, legend=charts.top_legend(),
                       scale=alt.Scale(domain=items, range=["#1F2933", FEMALE, "#E8A29A", "#F6DDDA"]))
    item = lambda key: {"item": f"{json.dumps(ctx.t(key), ensure_ascii=False)}"}  # noqa: E731
    band95 = alt.Chart(ahead).transform_calculate(**item("band95")).mark_area().encode(
        x=x, y=alt.Y("lower_95_v:Q", title=ctx.t("axis"), scale=alt.Scale(zero=False)), y2="upper_95_v:Q", color=colour)
    band80 = alt.Chart(ahead).transform_calculate(**item("band80")).mark_area().encode(
        x=x, y="lower_80_v:Q", y2="upper_80_v:Q", color=colour)
    line = alt.Chart(ahead.rename({"mean_v": "v"})).transform_calculate(**item("projected")).mark_line(
        strokeDash=[6, 4], point=True).encode(x=x, y=y, tooltip=tooltip, color=colour)
    history_line = alt.Chart(past).transform_calculate(**item("observed")).mark_line(point=True).encode(
        x=x, y=y, tooltip=tooltip, color=colour)
    return alt.layer(band95, band80, history_line, line).properties(height=340)


def _pyramid(ctx, bars: pl.DataFrame, base: int) -> alt.LayerChart:
    age = alt.Y("age_group:O", sort=alt.EncodingSortField("age_from", order="descending"), title=ctx.t("age"),
                axis=alt.Axis(labelOverlap=False))
    tooltip = [alt.Tooltip("when:O", title=ctx.t("when")), alt.Tooltip("kind:N", title=" "),
               alt.Tooltip("sex_label:N", title=ctx.t("sex")), alt.Tooltip("age_group:O", title=ctx.t("age")),
               alt.Tooltip("shown:N", title=ctx.t("persons"))]
    data = bars.with_columns(pl.col("year").alias("when")).filter(pl.col("bar").is_not_null())
    x = alt.X("bar:Q", title=ctx.t("pyramid_axis"), axis=alt.Axis(labelExpr="format(abs(datum.value), ',~f')"))
    now = alt.Chart(data).transform_filter(f"datum.year == {base}").mark_bar(
        height={"band": 0.9}, color=GREY).encode(x=x, y=age, tooltip=tooltip)
    later = alt.Chart(data).transform_filter(f"datum.year != {base}").mark_bar(
        height={"band": 0.45}, opacity=0.9).encode(
        x=x, y=age, tooltip=tooltip,
        color=alt.Color("sex_label:N", title=ctx.t("sex"), legend=charts.top_legend(),
                        scale=alt.Scale(domain=[ctx.t("male"), ctx.t("female")], range=[MALE, FEMALE])))
    zero = alt.Chart().mark_rule(color="#9AA5B1").encode(x=alt.datum(0))
    return alt.layer(now, later, zero).properties(height=480)
