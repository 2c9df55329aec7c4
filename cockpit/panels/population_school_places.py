"""学位需求：小学（6岁）和初中（12岁，小升初）入学人数及在学年龄人口，2015年至今实际与未来10年预测 / School places: children entering primary school (at 6) and junior secondary school (at 12), observed since 2015 and projected 10 years ahead"""

from __future__ import annotations

import json

import altair as alt
import polars as pl
import streamlit as st

from cockpit import charts
from cockpit.panel import Panel, RegionParam

PANEL = Panel(
    id="population.school_places", theme="population", order=50, section={"zh": "学位需求", "en": "School places"},
    title={"zh": "学位需求预测", "en": "School places ahead"},
    marts=["school_places"],
    params=(RegionParam(),),
    strings={
        "year": {"zh": "年份", "en": "Year"},
        "primary": {"zh": "小学入学（6岁）", "en": "Primary entrants (age 6)"},
        "junior_secondary": {"zh": "初中入学（12岁）", "en": "Junior secondary entrants (age 12)"},
        "primary_short": {"zh": "小学入学", "en": "Grade 1 entrants"},
        "junior_secondary_short": {"zh": "初中入学", "en": "Grade 7 entrants"},
        "stage": {"zh": "学段", "en": "Stage"},
        "axis": {"zh": "入学人数（万人）", "en": "Entrants (thousand)"},
        "axis_small": {"zh": "入学人数（人）", "en": "Entrants"},
        "entrants": {"zh": "入学人数", "en": "Entrants"},
        "interval": {"zh": "95%区间", "en": "95% interval"},
        "observed": {"zh": "实际", "en": "Observed"},
        "projected": {"zh": "预测", "en": "Projected"},
        "kind": {"zh": "类别", "en": "Series"},
        "card_now": {"zh": "{stage} {year}年", "en": "{stage}, {year}"},
        "card_then": {"zh": "{stage} {year}年预测", "en": "{stage}, {year}"},
        "on_now": {"zh": "较{year}年", "en": "projected, on {year}"},
        "children_title": {"zh": "下级地区{stage}人数：{then}年较{now}年的变化（黑线为95%区间）",
                           "en": "{stage} in the regions below: {then} against {now} (black line: 95% interval)"},
        "change_axis": {"zh": "变化（%）", "en": "Change (%)"},
        "region": {"zh": "地区", "en": "Region"},
        "change": {"zh": "变化", "en": "Change"},
        "col.region": {"zh": "地区", "en": "Region"},
        "col.now": {"zh": "{year}年实际", "en": "{year} observed"},
        "col.then": {"zh": "{year}年预测", "en": "{year} projected"},
        "col.range": {"zh": "{year}年95%区间", "en": "{year} 95% interval"},
        "definition": {"zh": "入学人数 = 当年满6周岁（小学）或满12周岁（初中，小升初）的常住儿童；县级预测 = 所在市（州）的队列预测 × 该县在相近出生年份儿童中的占比，县级区间只反映市（州）预测的不确定性。",
                       "en": "Entrants = resident children who turn 6 (primary) or 12 (junior secondary) in the year. A county's projection = its prefecture's cohort projection × the county's share of children born in the nearest years; county intervals carry only the prefecture's uncertainty."},
        "born": {"zh": "{year}年以前的小学入学人数来自已出生的孩子，较为确定；之后取决于未来出生，区间随之变宽。",
                 "en": "Primary entrants up to {year} are children already born and fairly certain; later years depend on births to come, so the intervals widen."},
        "capacity": {"zh": "现有学位：人口、法人、房屋、宏观经济、农业五个基础库中没有学校学位容量数据，因此这里只给出需求，不计算缺口；接入教育部门的学校学位数据后可与之比较。",
                     "en": "Current places: none of the five base libraries (population, legal entities, housing, economy, agriculture) holds school capacity, so this shows demand only, not a shortfall; school places from the education department would be needed to compare."},
        "withheld": {"zh": "人数过少、或可据以推算出过少人数的单元格按规定不公开，未画出。",
                     "en": "Cells with too few children, or that would give such a count away, are withheld and not drawn."},
        "sample": {"zh": "演示数据：人数由 {rate} 的样本记录按比例推算。",
                   "en": "Demo data: counts are estimated from a {rate} sample of records."},
    },
)

COLOURS = {"primary": "#2E6DB4", "junior_secondary": "#E39B2B"}
BANDS = {"primary": "#C9DAF0", "junior_secondary": "#F6DDB8"}


def render(ctx) -> None:
    df = ctx.query("""
        SELECT year, base_year, projected, stage, entrants,
               entrants_lower_80, entrants_upper_80, entrants_lower_95, entrants_upper_95, suppressed
        FROM mart.school_places
        WHERE region_code = ?
        ORDER BY stage, year
    """, [ctx.params.region])
    if df.is_empty() or df["entrants"].is_null().all():
        st.info(ctx.t("page.no_data"))
        return
    sample = ctx.sample_rate()
    scale = ctx.sample_scale()
    base, last = int(df["base_year"][0]), int(df["year"].max())
    values = ["entrants", "entrants_lower_80", "entrants_upper_80", "entrants_lower_95", "entrants_upper_95"]
    df = df.with_columns(pl.col(values) * scale)

    unit = "人" if ctx.lang == "zh" else ""  # in English the card's label says what is counted
    cards = st.columns(4)
    for i, stage in enumerate(COLOURS):
        rows = df.filter(pl.col("stage") == stage)
        now = _value(rows, base)
        then = _value(rows, last)
        label = ctx.t(f"{stage}_short")
        cards[2 * i].metric(ctx.t("card_now", stage=label, year=base), ctx.number(_whole(now), unit), border=True)
        cards[2 * i + 1].metric(ctx.t("card_then", stage=label, year=last), ctx.number(_whole(then), unit),
                                delta=None if not now or then is None else f"{100 * (then / now - 1):+.1f}%",
                                delta_description=ctx.t("on_now", year=base), delta_color="off", border=True)

    ctx.chart(_fan(ctx, df, base), df.select("year", "projected", "stage", *values), name="entrants")

    children = ctx.query("""
        SELECT region_code, stage, year, entrants, entrants_lower_95, entrants_upper_95
        FROM mart.school_places
        WHERE parent_code = ? AND year IN (?, ?, ?)
        ORDER BY region_code, stage, year
    """, [ctx.params.region, base, base + 5, last])
    children = children.select(ctx.region_names("region_code", "compact").alias("name"), pl.all())
    if not children.is_empty():
        stage = st.segmented_control(ctx.t("stage"), list(COLOURS), format_func=lambda s: ctx.t(f"{s}_short"),
                                     default="primary", key=ctx.key("stage")) or "primary"
        children = children.filter(pl.col("stage") == stage).with_columns(
            pl.col("entrants", "entrants_lower_95", "entrants_upper_95") * scale)
        st.markdown(f"**{ctx.t('children_title', stage=ctx.t(f'{stage}_short'), now=base, then=last)}**")
        ctx.chart(_changes(ctx, children, stage, base, last), children, name="children")
        ctx.table(_children_table(ctx, children, base, last), name="children_table")

    st.caption(ctx.t("definition"))
    st.caption(ctx.t("born", year=base + 6))
    st.caption(ctx.t("capacity"))
    if df["suppressed"].any() or (not children.is_empty() and children["entrants"].is_null().any()):
        st.caption(ctx.t("withheld"))
    if sample < 1:
        st.caption(ctx.t("sample", rate=f"{sample * 100:g}%"))


def _whole(value: float | None) -> float | None:
    """Projected means are fractional; a count of children is shown whole."""
    return None if value is None else float(round(value))


def _value(rows: pl.DataFrame, year: int) -> float | None:
    hit = rows.filter(pl.col("year") == year)["entrants"]
    return None if hit.is_empty() else hit[0]


def _fan(ctx, df: pl.DataFrame, base: int) -> alt.LayerChart:
    """Each stage: observed entrants as a solid line, projected as a dashed line in its 80% and 95% bands."""
    small = (df["entrants"].max() or 0) < 1e4
    per = 1 if small else (1e4 if ctx.lang == "zh" else 1e3)
    stages = {stage: ctx.t(stage) for stage in COLOURS}
    bounds = ("entrants", "entrants_lower_80", "entrants_upper_80", "entrants_lower_95", "entrants_upper_95")
    # The projection starts from the last observed year so that the lines meet.
    jump = df.filter(pl.col("year") == base).with_columns(*[pl.col("entrants").alias(b) for b in bounds[1:]],
                                                          pl.lit(True).alias("projected"))
    data = pl.concat([df, jump]).with_columns(
        *[(pl.col(b) / per).alias(f"{b}_v") for b in bounds],
        pl.col("stage").replace_strict(stages).alias("label"),
        pl.Series("shown", [ctx.number(_whole(v), "人") for v in pl.concat([df, jump])["entrants"].to_list()]),
        pl.Series("interval", [("" if lo is None or not p else
                                f"{ctx.number(_whole(lo), '人')}–{ctx.number(_whole(hi), '人')}")
                               for lo, hi, p in pl.concat([df, jump]).select(
                                   "entrants_lower_95", "entrants_upper_95", "projected").iter_rows()]),
        pl.when(pl.col("projected")).then(pl.lit(ctx.t("projected"))).otherwise(pl.lit(ctx.t("observed"))).alias("kind"),
    ).filter(pl.col("entrants").is_not_null())
    x = alt.X("year:O", title=ctx.t("year"), axis=alt.Axis(labelAngle=0))
    y = alt.Y("entrants_v:Q", title=ctx.t("axis_small" if small else "axis"))
    colour = alt.Color("label:N", title=None, legend=charts.top_legend(labelLimit=320),
                       scale=alt.Scale(domain=list(stages.values()), range=list(COLOURS.values())))
    tooltip = [alt.Tooltip("year:O", title=ctx.t("year")), alt.Tooltip("label:N", title=ctx.t("stage")),
               alt.Tooltip("kind:N", title=ctx.t("kind")), alt.Tooltip("shown:N", title=ctx.t("entrants")),
               alt.Tooltip("interval:N", title=ctx.t("interval"))]
    layers = []
    for stage in COLOURS:
        ahead = alt.Chart(data).transform_filter(
            f"datum.stage == {json.dumps(stage)} && datum.projected")
        layers += [
            ahead.mark_area(color=BANDS[stage], opacity=0.55).encode(x=x, y="entrants_lower_95_v:Q",
                                                                      y2="entrants_upper_95_v:Q"),
            ahead.mark_area(color=BANDS[stage], opacity=0.95).encode(x=x, y="entrants_lower_80_v:Q",
                                                                      y2="entrants_upper_80_v:Q"),
        ]
    observed = alt.Chart(data).transform_filter("!datum.projected").mark_line(point=True).encode(
        x=x, y=y, color=colour, detail="stage:N", tooltip=tooltip)
    projected = alt.Chart(data).transform_filter("datum.projected").mark_line(point=True, strokeDash=[6, 4]).encode(
        x=x, y=y, color=colour, detail="stage:N", tooltip=tooltip)
    return alt.layer(*layers, observed, projected).properties(height=340)


def _changes(ctx, children: pl.DataFrame, stage: str, base: int, last: int) -> alt.LayerChart:
    """Per region below: change of entrants from the base year to the last projected year, with its 95% interval."""
    now = children.filter(pl.col("year") == base).select("region_code", "name", pl.col("entrants").alias("now"))
    then = children.filter(pl.col("year") == last).select("region_code", "entrants", "entrants_lower_95",
                                                          "entrants_upper_95")
    data = now.join(then, on="region_code").filter(pl.col("now") > 0, pl.col("entrants").is_not_null()).with_columns(
        *[(100 * (pl.col(c) / pl.col("now") - 1)).alias(f"{c}_pct")
          for c in ("entrants", "entrants_lower_95", "entrants_upper_95")],
    ).with_columns(
        pl.col("entrants_pct").map_elements(lambda v: f"{v:+.1f}%", return_dtype=pl.String).alias("shown"),
        pl.struct("entrants_lower_95_pct", "entrants_upper_95_pct").map_elements(
            lambda r: f"{r['entrants_lower_95_pct']:+.1f}% ~ {r['entrants_upper_95_pct']:+.1f}%",
            return_dtype=pl.String).alias("range"),
    )
    y = alt.Y("name:N", sort=alt.EncodingSortField("entrants_pct"), title=None, axis=alt.Axis(labelLimit=200))
    tooltip = [alt.Tooltip("name:N", title=ctx.t("region")), alt.Tooltip("shown:N", title=ctx.t("change")),
               alt.Tooltip("range:N", title=ctx.t("interval"))]
    bars = alt.Chart(data).mark_bar(height={"band": 0.7}, color=COLOURS[stage]).encode(
        x=alt.X("entrants_pct:Q", title=ctx.t("change_axis")), y=y, tooltip=tooltip)
    # The interval as a thin dark bar through the middle of each bar.
    interval = alt.Chart(data).mark_bar(height={"band": 0.12}, color="#1F2933", opacity=0.75).encode(
        x="entrants_lower_95_pct:Q", x2="entrants_upper_95_pct:Q", y=y, tooltip=tooltip)
    zero = alt.Chart().mark_rule(color="#9AA5B1").encode(x=alt.datum(0))
    return alt.layer(bars, interval, zero).properties(height=30 * max(data.height, 1) + 50)


def _children_table(ctx, children: pl.DataFrame, base: int, last: int) -> pl.DataFrame:
    """One row per region below: entrants now, in five years and at the horizon with its 95% interval."""
    show = lambda v: ctx.number(_whole(v), "人")  # noqa: E731
    table = children.select("region_code", pl.col("name").alias(ctx.t("col.region"))).unique(maintain_order=True)
    for year, title in ((base, ctx.t("col.now", year=base)), (base + 5, ctx.t("col.then", year=base + 5)),
                        (last, ctx.t("col.then", year=last))):
        part = children.filter(pl.col("year") == year)
        table = table.join(part.select("region_code", pl.col("entrants").map_elements(show, return_dtype=pl.String)
                                       .alias(title)), on="region_code", how="left")
    part = children.filter(pl.col("year") == last)
    ranges = part.select("region_code", pl.Series(ctx.t("col.range", year=last), [
        "—" if lo is None else f"{show(lo)}–{show(hi)}"
        for lo, hi in part.select("entrants_lower_95", "entrants_upper_95").iter_rows()]))
    return table.join(ranges, on="region_code", how="left").drop("region_code")
