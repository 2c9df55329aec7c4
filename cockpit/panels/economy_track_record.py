"""预测成绩单：所选模型过去的预测与实际对照、区间覆盖率，以及为何选它 / Forecast track record: what the chosen model forecast before against what happened, how often the intervals held, and why it was chosen"""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from cockpit import charts
from cockpit.panel import Panel, RegionParam, YearParam
from cockpit.panels.economy_forecast import model_name

PANEL = Panel(
    id="economy.track_record", theme="economy", order=16, section={"zh": "预测", "en": "Outlook"},
    title={"zh": "预测成绩单", "en": "Forecast track record"},
    marts=["forecast_track_record", "forecast_scores", "indicators"],
    params=(RegionParam(), YearParam()),
    strings={
        "indicator": {"zh": "指标", "en": "Indicator"},
        "period": {"zh": "期别", "en": "Period"},
        "value": {"zh": "当期值", "en": "Value for the period"},
        "actual": {"zh": "实际", "en": "Actual"},
        "forecast": {"zh": "当时的预测", "en": "Forecast at the time"},
        "origin": {"zh": "预测起点", "en": "Forecast made at"},
        "summary": {"zh": "{model}在{n}期回测中：{inside80}期落在80%区间内（{c80}），{inside95}期落在95%区间内（{c95}）；平均误差为“照搬去年同期”的{ratio}。",
                    "en": "{model} over {n} backtest periods: {inside80} inside the 80% interval ({c80}), {inside95} inside the 95% interval ({c95}); its error was {ratio} of repeating last year's value."},
        "candidates": {"zh": "候选模型回测成绩（MASE越低越好）", "en": "Candidates' backtest scores (lower MASE is better)"},
        "col.model": {"zh": "模型", "en": "Model"},
        "col.mase": {"zh": "MASE", "en": "MASE"},
        "col.smape": {"zh": "sMAPE（%）", "en": "sMAPE (%)"},
        "col.coverage_80": {"zh": "80%区间覆盖", "en": "80% coverage"},
        "col.coverage_95": {"zh": "95%区间覆盖", "en": "95% coverage"},
        "col.chosen": {"zh": "入选", "en": "Chosen"},
        "no_record": {"zh": "该地区暂无预测成绩单。", "en": "No track record for this region."},
    },
)


def render(ctx) -> None:
    catalog = ctx.query("""
        SELECT DISTINCT t.indicator, t.freq, t.measure, i.zh, i.en
        FROM mart.forecast_track_record AS t JOIN mart.indicators AS i ON i.code = t.indicator
        WHERE t.region_code = ? ORDER BY t.indicator <> 'gdp', t.freq DESC, t.indicator
    """, [ctx.params.region])
    if catalog.is_empty():
        st.info(ctx.t("no_record"))
        return
    keys = [f"{r['indicator']}|{r['freq']}|{r['measure']}" for r in catalog.iter_rows(named=True)]
    names = {k: (r["zh"] if ctx.lang == "zh" else r["en"]) + (f" ({r['freq']})" if r["indicator"] == "gdp" else "")
             for k, r in zip(keys, catalog.iter_rows(named=True))}
    indicator, freq, measure = st.selectbox(ctx.t("indicator"), keys, format_func=names.get, key=ctx.key("indicator")).split("|")
    points = ctx.query("""
        SELECT origin, period, step, actual, mean, lower_80, upper_80, lower_95, upper_95, model
        FROM mart.forecast_track_record WHERE region_code = ? AND indicator = ? AND freq = ? AND measure = ?
        ORDER BY origin, period
    """, [ctx.params.region, indicator, freq, measure])
    order = points["period"].to_list()
    x = alt.X("period:O", sort=order, title=ctx.t("period"), axis=alt.Axis(labelAngle=-45, labelOverlap=True))
    band = alt.Chart(points).mark_area(opacity=0.18).encode(
        x=x, y=alt.Y("lower_95:Q", title=ctx.t("value"), scale=alt.Scale(zero=False)), y2="upper_95:Q",
        color=alt.Color("origin:N", title=ctx.t("origin"), legend=charts.top_legend()))
    inner = alt.Chart(points).mark_area(opacity=0.3).encode(x=x, y="lower_80:Q", y2="upper_80:Q", color="origin:N")
    forecast = alt.Chart(points).mark_line(strokeDash=[5, 3]).encode(x=x, y="mean:Q", color="origin:N")
    actual = alt.Chart(points).mark_line(color="#222", point=alt.OverlayMarkDef(size=20, color="#222")).encode(
        x=x, y="actual:Q", tooltip=[alt.Tooltip("period:N", title=ctx.t("period")),
                                    alt.Tooltip("actual:Q", title=ctx.t("actual"), format=",.1f"),
                                    alt.Tooltip("mean:Q", title=ctx.t("forecast"), format=",.1f")])
    ctx.chart(alt.layer(band, inner, forecast, actual).properties(height=300), points, name="track_record")

    scores = ctx.query("""
        SELECT model, mase, smape, coverage_80, coverage_95, baseline_mase, chosen
        FROM mart.forecast_scores WHERE region_code = ? AND indicator = ? AND freq = ?
          AND measure = CASE WHEN ? = 'current' AND EXISTS (SELECT 1 FROM mart.forecast_scores WHERE region_code = ?
                  AND indicator = ? AND freq = ? AND measure = 'cumulative') THEN 'cumulative' ELSE ? END
          AND model <> 'none'
        ORDER BY mase
    """, [ctx.params.region, indicator, freq, measure, ctx.params.region, indicator, freq, measure])
    inside80 = points.select(pl.col("actual").is_between(pl.col("lower_80"), pl.col("upper_80")).sum()).item()
    inside95 = points.select(pl.col("actual").is_between(pl.col("lower_95"), pl.col("upper_95")).sum()).item()
    chosen = scores.filter(pl.col("chosen"))
    ratio = f"{chosen['mase'][0] / chosen['baseline_mase'][0]:.0%}" if not chosen.is_empty() and chosen["baseline_mase"][0] else "—"
    st.caption(ctx.t("summary", model=model_name(ctx, points["model"][0]), n=points.height, inside80=inside80,
                     inside95=inside95, c80=f"{inside80 / points.height:.0%}", c95=f"{inside95 / points.height:.0%}",
                     ratio=ratio))
    shown = scores.with_columns(pl.Series("model", [model_name(ctx, m) for m in scores["model"].to_list()]),
                                pl.col("mase").round(2), pl.col("smape").round(1),
                                pl.col("coverage_80").round(2), pl.col("coverage_95").round(2)).drop("baseline_mase")
    st.markdown(f"**{ctx.t('candidates')}**")
    ctx.table(shown, labels={c: ctx.t(f"col.{c}") for c in shown.columns}, name="candidates")
