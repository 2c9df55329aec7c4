"""法人存活：各年设立的法人在设立满1年、3年、5年……时仍存续的比例 / Entity survival: the share of each year's new entities still active 1, 3, 5… years later"""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from cockpit.panel import Panel, RegionParam, YearParam

PANEL = Panel(
    id="enterprise.survival", theme="enterprise", order=30,
    title={"zh": "法人存活", "en": "Entity survival"},
    marts=["enterprise_survival"],
    params=(RegionParam(), YearParam()),
    strings={
        "years_since": {"zh": "设立后年数", "en": "Years since set-up"},
        "rate_axis": {"zh": "仍存续（%）", "en": "Still active (%)"},
        "cohort": {"zh": "设立年份", "en": "Set up in"},
        "rate": {"zh": "存活率", "en": "Survival"},
        "counts": {"zh": "存续 / 设立", "en": "Active / set up"},
        "card": {"zh": "{n}年存活率（{cohort}年设立）", "en": "{n}-year survival (set up in {cohort})"},
        "average": {"zh": "各批平均", "en": "average of cohorts"},
        "reading": {"zh": "每条线是同一年设立的一批法人；线越高、越平，说明新设主体活得越久。只统计已满N年的批次。",
                    "en": "Each line is the entities set up in one year; higher and flatter means new firms last longer. Only cohorts that have reached N years count."},
        "small": {"zh": "该地区每批设立的法人记录不足30家，存活率波动较大，宜结合上级地区看。",
                  "en": "Cohorts here hold fewer than 30 entity records each, so the rates jump about: read them with the level above."},
        "sample": {"zh": "演示数据：基于 {rate} 的法人样本记录，家数按比例推算；存活率不受影响。",
                   "en": "Demo data: based on a {rate} sample of entity records, counts estimated from it; the rates are unaffected."},
        "too_early": {"zh": "存活从2015年设立的批次算起，2016年起才有满1年的数据，请选择2016年及以后。",
                      "en": "Survival starts with the 2015 cohort, so one-year figures begin in 2016: pick 2016 or later."},
        "pp": {"zh": "{pp:+.1f}个百分点", "en": "{pp:+.1f} pp"},
    },
)

HORIZONS = (1, 3, 5)


def render(ctx) -> None:
    df = ctx.query("""
        SELECT cohort_year, years_since, cohort_entities, surviving_entities, survival_rate
        FROM mart.enterprise_survival
        WHERE region_code = ? AND cohort_year <= ?
        ORDER BY cohort_year, years_since
    """, [ctx.params.region, ctx.params.year])
    df = df.filter(pl.col("cohort_year") + pl.col("years_since") <= ctx.params.year)
    if df.is_empty() or df["survival_rate"].is_null().all():
        st.info(ctx.t("too_early") if ctx.params.year <= 2015 else ctx.t("page.no_data"))
        return
    sample = ctx.sample_rate()
    scale = ctx.sample_scale()

    cards = st.columns(len(HORIZONS))
    for card, n in zip(cards, HORIZONS):
        cohort = ctx.params.year - n
        row = df.filter((pl.col("cohort_year") == cohort) & (pl.col("years_since") == n))
        rate = None if row.is_empty() else row["survival_rate"][0]
        mean = df.filter(pl.col("years_since") == n)["survival_rate"].mean()
        card.metric(ctx.t("card", n=n, cohort=cohort), "—" if rate is None else f"{100 * rate:.1f}%",
                    delta=None if rate is None or mean is None else ctx.t("pp", pp=100 * (rate - mean)),
                    delta_description=ctx.t("average"), border=True)

    shown = df.filter(pl.col("survival_rate").is_not_null()).with_columns(
        (pl.col("survival_rate") * 100).alias("pct"),
        pl.col("cohort_year").cast(pl.String).alias("cohort"),
        pl.col("survival_rate").map_elements(lambda v: f"{100 * v:.1f}%", return_dtype=pl.String).alias("shown"),
    )
    shown = shown.with_columns(pl.Series("counts", [
        f"{ctx.number(a * scale, '家')} / {ctx.number(b * scale, '家')}"
        for a, b in shown.select("surviving_entities", "cohort_entities").iter_rows()]))
    cohorts = sorted(shown["cohort"].unique().to_list())
    chart = alt.Chart(shown).mark_line(point=True, strokeWidth=1.8).encode(
        x=alt.X("years_since:O", title=ctx.t("years_since"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("pct:Q", title=ctx.t("rate_axis"), scale=alt.Scale(zero=False)),
        color=alt.Color("cohort:O", title=ctx.t("cohort"), sort=cohorts,
                        scale=alt.Scale(scheme={"name": "blues", "extent": [0.35, 1]}, domain=cohorts), legend=alt.Legend(orient="right")),
        tooltip=[alt.Tooltip("cohort:O", title=ctx.t("cohort")), alt.Tooltip("years_since:O", title=ctx.t("years_since")),
                 alt.Tooltip("shown:N", title=ctx.t("rate")), alt.Tooltip("counts:N", title=ctx.t("counts"))],
    )
    ctx.chart(chart.properties(height=380), df, name="survival")
    st.caption(ctx.t("reading"))
    if df.filter(pl.col("years_since") == 1)["cohort_entities"].max() < 30:
        st.caption(ctx.t("small"))
    if sample < 1:
        st.caption(ctx.t("sample", rate=f"{sample * 100:g}%"))
