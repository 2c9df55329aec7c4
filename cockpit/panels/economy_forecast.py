"""预测：未来各期的预测值与80%/95%区间、所选模型及其回测成绩、年度目标达成概率 / Forecast: the coming periods with 80%/95% intervals, the chosen model and its backtest record, and the chance of meeting the annual target"""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from cockpit import fmt
from cockpit.panel import Panel, RegionParam, YearParam

MEASURE_COLUMN = {"cumulative": "cumulative_value", "current": "current_value", "growth_cumulative": "yoy_cumulative_pct"}

PANEL = Panel(
    id="economy.forecast", theme="economy", order=15, section={"zh": "预测", "en": "Outlook"},
    title={"zh": "预测与目标达成概率", "en": "Forecast and the chance of meeting the target"},
    marts=["forecasts", "forecast_scores", "target_attainment", "economy_indicators", "indicators"],
    params=(RegionParam(), YearParam()),
    strings={
        "indicator": {"zh": "指标", "en": "Indicator"},
        "measure.cumulative": {"zh": "累计值（{unit}）", "en": "Year to date ({unit})"},
        "measure.current": {"zh": "当期值（{unit}）", "en": "Value for the period ({unit})"},
        "measure.growth_cumulative": {"zh": "累计同比增速（%）", "en": "Year-to-date growth (%)"},
        "period": {"zh": "期别", "en": "Period"},
        "actual": {"zh": "实际", "en": "Actual"},
        "forecast": {"zh": "预测", "en": "Forecast"},
        "band80": {"zh": "80%区间", "en": "80% interval"},
        "band95": {"zh": "95%区间", "en": "95% interval"},
        "value": {"zh": "数值", "en": "Value"},
        "model": {"zh": "预测模型：{model}。回测（{origins}个滚动起点，共{points}期）：MASE {mase}，季节朴素法 {base}（低于1即优于“照搬去年同期”）；80%区间覆盖 {c80}，95%区间覆盖 {c95}。",
                  "en": "Model: {model}. Backtest ({origins} rolling origins, {points} periods): MASE {mase} against {base} for seasonal naive (below 1 beats repeating last year); the 80% interval held {c80} and the 95% interval {c95} of actual values."},
        "why": {"zh": "为何选它：在同一回测中误差最小（候选：{others}）。", "en": "Why this model: the lowest error in the same backtest (candidates: {others})."},
        "attain_title": {"zh": "{year}年目标 {target}：达成概率随年内进展", "en": "{year} target {target}: the chance of meeting it through the year"},
        "attain_axis": {"zh": "达成概率", "en": "Chance of meeting"},
        "as_of": {"zh": "截至", "en": "As of"},
        "expected": {"zh": "预期全年", "en": "Expected for the year"},
        "attain_latest": {"zh": "截至{as_of}：达成概率 {p}，预期全年 {expected}（80%区间 {low}～{high}）。", "en": "As of {as_of}: {p} likely; expected for the year {expected} (80% range {low} to {high})."},
        "outcome_met": {"zh": "实际结果：{outcome}，已达成。", "en": "Outcome: {outcome}, met."},
        "outcome_missed": {"zh": "实际结果：{outcome}，未达成。", "en": "Outcome: {outcome}, missed."},
        "method.analog": {"zh": "方法：当前累计增速加上往年同一时点到年末的变化（t分布）。", "en": "Method: today's year-to-date growth plus how it moved from this point to year-end in earlier years (Student t)."},
        "method.ets": {"zh": "方法：指数平滑模型模拟全年剩余各期。", "en": "Method: the rest of the year simulated by exponential smoothing."},
        "no_forecast": {"zh": "该地区暂无预测（数仓构建时未生成）。", "en": "No forecasts for this region (none were made at build time)."},
    },
)


def model_name(ctx, model: str) -> str:
    """A forecaster's name for a reader (cockpit catalog ``model.<name>``), else its registry name."""
    from cockpit.i18n import CATALOG

    return ctx.t(f"model.{model}") if f"model.{model}" in CATALOG else model


def render(ctx) -> None:
    catalog = ctx.query("""
        SELECT DISTINCT f.indicator, f.freq, f.measure, i.zh, i.en, i.unit
        FROM mart.forecasts AS f JOIN mart.indicators AS i ON i.code = f.indicator
        WHERE f.region_code = ?
        QUALIFY row_number() OVER (PARTITION BY f.indicator, f.freq ORDER BY f.measure = 'current') = 1
        ORDER BY f.indicator <> 'gdp', f.freq DESC, f.indicator
    """, [ctx.params.region])
    if catalog.is_empty():
        st.info(ctx.t("no_forecast"))
        return
    options = [f"{r['indicator']}|{r['freq']}" for r in catalog.iter_rows(named=True)]
    label = {f"{r['indicator']}|{r['freq']}": (r["zh"] if ctx.lang == "zh" else r["en"]) + (f" ({r['freq']})" if r["indicator"] == "gdp" else "")
             for r in catalog.iter_rows(named=True)}
    pick = st.selectbox(ctx.t("indicator"), options, format_func=label.get, key=ctx.key("indicator"))
    info = catalog.filter((pl.col("indicator") + "|" + pl.col("freq")) == pick).row(0, named=True)
    indicator, freq, measure = info["indicator"], info["freq"], info["measure"]
    unit = "%" if measure == "growth_cumulative" else info["unit"]

    fan = ctx.query("""
        SELECT period, mean, lower_80, upper_80, lower_95, upper_95, model, notes
        FROM mart.forecasts WHERE region_code = ? AND indicator = ? AND freq = ? AND measure = ? ORDER BY period
    """, [ctx.params.region, indicator, freq, measure])
    history = ctx.query(f"""
        SELECT period, {MEASURE_COLUMN[measure]} AS value FROM mart.economy_indicators
        WHERE region_code = ? AND indicator = ? AND freq = ? AND year >= ? AND {MEASURE_COLUMN[measure]} IS NOT NULL
        ORDER BY period
    """, [ctx.params.region, indicator, freq, int(fan["period"][0][:4]) - 4])
    _fan_chart(ctx, history, fan, measure, unit)
    _model_caption(ctx, indicator, freq, measure, fan["model"][0])
    _attainment(ctx, indicator)


def _fan_chart(ctx, history: pl.DataFrame, fan: pl.DataFrame, measure: str, unit: str) -> None:
    order = history["period"].to_list() + fan["period"].to_list()
    shown = lambda v: fmt.number(v, unit, ctx.lang) if unit != "%" else f"{v:.1f}%"  # noqa: E731
    hist = history.with_columns(pl.lit(ctx.t("actual")).alias("series"),
                                pl.Series("shown", [shown(v) for v in history["value"].to_list()]))
    # Join the fan to the last actual value so the line does not jump.
    last = history.tail(1).select("period", pl.col("value").alias("mean"))
    line = pl.concat([last, fan.select("period", "mean")]).with_columns(
        pl.lit(ctx.t("forecast")).alias("series"), pl.Series("shown", [shown(v) for v in pl.concat([last["mean"], fan["mean"]]).to_list()]))
    x = alt.X("period:O", sort=order, title=ctx.t("period"), axis=alt.Axis(labelAngle=-45, labelOverlap=True))
    y_title = ctx.t(f"measure.{measure}", unit=fmt.unit_name(unit, ctx.lang))
    band95 = alt.Chart(fan).mark_area(color="#C0392B", opacity=0.12).encode(x=x, y=alt.Y("lower_95:Q", title=y_title), y2="upper_95:Q")
    band80 = alt.Chart(fan).mark_area(color="#C0392B", opacity=0.22).encode(x=x, y="lower_80:Q", y2="upper_80:Q")
    actual = alt.Chart(hist).mark_line(color="#5F6B7A", point=alt.OverlayMarkDef(size=16)).encode(
        x=x, y=alt.Y("value:Q", scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("period:N", title=ctx.t("period")), alt.Tooltip("shown:N", title=ctx.t("value"))])
    mean = alt.Chart(line).mark_line(color="#C0392B", strokeDash=[5, 3], point=alt.OverlayMarkDef(size=16)).encode(
        x=x, y="mean:Q", tooltip=[alt.Tooltip("period:N", title=ctx.t("period")), alt.Tooltip("shown:N", title=ctx.t("forecast"))])
    ctx.chart(alt.layer(band95, band80, actual, mean).properties(height=320), fan.drop("notes"), name="forecast")
    st.caption(f"{ctx.t('actual')} ━  ·  {ctx.t('forecast')} ┅  ·  {ctx.t('band80')} / {ctx.t('band95')}")


def _model_caption(ctx, indicator: str, freq: str, measure: str, model: str) -> None:
    scores = ctx.query("""
        SELECT model, mase, smape, coverage_80, coverage_95, baseline_mase, n_origins, n_points, chosen
        FROM mart.forecast_scores WHERE region_code = ? AND indicator = ? AND freq = ? AND measure = ? AND model <> 'none'
        ORDER BY mase
    """, [ctx.params.region, indicator, freq, measure])
    chosen = scores.filter(pl.col("chosen"))
    if chosen.is_empty():
        return
    s = chosen.row(0, named=True)
    st.caption(ctx.t("model", model=model_name(ctx, model), origins=s["n_origins"], points=s["n_points"],
                     mase=f"{s['mase']:.2f}", base=f"{s['baseline_mase']:.2f}", c80=f"{s['coverage_80']:.0%}",
                     c95=f"{s['coverage_95']:.0%}"))
    others = "、".join(f"{model_name(ctx, m)} {v:.2f}" for m, v in scores.select("model", "mase").iter_rows())
    st.caption(ctx.t("why", others=others if ctx.lang == "zh" else others.replace("、", ", ")))


def _attainment(ctx, indicator: str) -> None:
    rows = ctx.query("""
        SELECT as_of, target, probability, expected, lower_80, upper_80, method, outcome, met
        FROM mart.target_attainment WHERE region_code = ? AND indicator = ? AND year = ? ORDER BY as_of
    """, [ctx.params.region, indicator, ctx.params.year])
    if rows.is_empty():
        return
    r = rows.row(-1, named=True)
    growth = r["method"] == "analog"
    show = (lambda v: f"{v:.1f}%") if growth else (lambda v: f"{v:.1f}")
    st.markdown("**" + ctx.t("attain_title", year=ctx.params.year, target=show(r["target"])) + "**")
    chart = alt.Chart(rows.with_columns(pl.Series("p", [f"{v:.0%}" for v in rows["probability"].to_list()]))).mark_line(
        point=True, color="#2E6DA4").encode(
        x=alt.X("as_of:O", title=ctx.t("as_of"), axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("probability:Q", title=ctx.t("attain_axis"), scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        tooltip=[alt.Tooltip("as_of:N", title=ctx.t("as_of")), alt.Tooltip("p:N", title=ctx.t("attain_axis"))])
    half = alt.Chart().mark_rule(color="#9AA5B1", strokeDash=[3, 3]).encode(y=alt.datum(0.5))
    ctx.chart(alt.layer(chart, half).properties(height=200), rows, name="attainment")
    text = ctx.t("attain_latest", as_of=r["as_of"], p=f"{r['probability']:.0%}", expected=show(r["expected"]),
                 low=show(r["lower_80"]), high=show(r["upper_80"]))
    if r["outcome"] is not None:
        text += " " + ctx.t("outcome_met" if r["met"] else "outcome_missed", outcome=show(r["outcome"]))
    st.caption(text + " " + ctx.t(f"method.{r['method']}"))
