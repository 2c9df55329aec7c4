"""Batch forecasts at build time: every region × indicator series of ``mart.economy_indicators``
forecast by ``models.forecast`` (model chosen by backtest), so leaders read forecasts instantly.

Three marts come from one run: ``mart.forecasts`` (the fan), ``mart.forecast_scores`` (every
candidate's backtest scores, the chosen one flagged) and ``mart.forecast_track_record`` (what the
chosen model forecast from each backtest origin against what then happened).

Which value is forecast: the year-to-date total (累计值) where the statistics office publishes one
(forecast as 当期值 and converted back, both kept), else the period's value, else — for indicators
published only as growth rates (固定资产投资, 规上工业增加值) — the year-to-date growth rate (累计增速).
"""

from __future__ import annotations

import hashlib
import os
import warnings

import numpy as np
import polars as pl

from data_marts import workers
from data_marts.derived import DerivedMart, Reader

SOURCE = "cockpit/batch/forecasts.py"
SERIES_SQL = """
    SELECT region_code, region_level, indicator, freq, period, year, cumulative_value, current_value, yoy_cumulative_pct,
           target_growth_pct, target_value
    FROM mart.economy_indicators
    ORDER BY region_code, indicator, freq, period
"""
INTERVALS = ("lower_80", "upper_80", "lower_95", "upper_95")
# Two backtest windows per series keep the batch for ~700 series near a minute on 2 cores
# (docs/benchmarks.md); an analyst calling models.forecast gets three by default.
ORIGINS = 2
# SARIMAX is the costliest candidate (about half the batch); counties (88 of 98 regions) are
# chosen among the three cheaper ones. docs/DECISIONS.md 15.
COUNTY_CANDIDATES = ["seasonal_naive", "ets", "calendar_regression"]


def series_plan(frame: pl.DataFrame) -> list[dict]:
    """One task per (region, indicator, freq, measure): which column to forecast and how."""
    tasks = []
    for (region, indicator, freq), group in frame.group_by(["region_code", "indicator", "freq"], maintain_order=True):
        has = {c: group[c].null_count() == 0 for c in ("cumulative_value", "current_value", "yoy_cumulative_pct")}
        for measure, column in (("cumulative", "cumulative_value"), ("current", "current_value"),
                                ("growth_cumulative", "yoy_cumulative_pct")):
            if has[column]:
                tasks.append({"region_code": region, "indicator": indicator, "freq": freq, "measure": measure,
                              "county": group["region_level"][0] == "county",
                              "periods": group["period"].to_list(), "values": group[column].to_list()})
                break
    return tasks


def run_task(task: dict) -> dict:
    """Forecast one series (in a worker process); a series that cannot be forecast says why."""
    from models import forecast
    from models.forecast.auto import DEFAULT_HORIZON

    frame = pl.DataFrame({"period": task["periods"], "value": task["values"]})
    key = {k: task[k] for k in ("region_code", "indicator", "freq", "measure")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels' optimiser chatter; failures are caught and reported
        try:
            result = forecast(frame, DEFAULT_HORIZON[task["freq"]], freq=task["freq"],
                              cumulative=task["measure"] == "cumulative", origins=ORIGINS, seed=_seed(key),
                              models=task.get("models") or (COUNTY_CANDIDATES if task["county"] else None))
        except (ValueError, RuntimeError) as error:
            return {**key, "error": str(error)}
    out = {**key, "model": result.model, "notes": "; ".join(result.notes), "forecasts": [_fan(result, task["measure"])],
           "scores": [{**s.__dict__, "chosen": s.model == result.model} for s in result.candidates]}
    if result.current is not None:
        out["forecasts"].append(_fan(result.current, "current"))
    record = result.track_record
    out["track_record"] = {c: record[c].to_list() for c in record.columns}
    return out


def _fan(result, measure: str) -> dict:
    frame = result.to_frame()
    return {"measure": measure, **{c: frame[c].to_list() for c in frame.columns}}


def _seed(key: dict) -> int:
    """A stable seed per series, so a rebuild of the same data gives the same simulated bands."""
    return int(hashlib.sha256("|".join(key.values()).encode()).hexdigest()[:8], 16)


def _workers() -> int:
    return max(1, int(os.environ.get("COCKPIT_BATCH_WORKERS", os.cpu_count() or 1)))


def run_all(tasks: list[dict]) -> list[dict]:
    """Every task, in worker processes that die with the build (``data_marts.workers``)."""
    if _workers() == 1 or len(tasks) < 8:
        return [run_task(t) for t in tasks]
    with workers.pool(_workers(), preload=("models", "polars", "numpy")) as pool:
        return list(pool.map(run_task, tasks, chunksize=8))


_RESULTS: dict[str, list[dict]] = {}


def results(read: Reader) -> tuple[pl.DataFrame, list[dict]]:
    """The input series and the batch results, computed once per distinct input (the three marts
    of one build share a run)."""
    frame = read(SERIES_SQL, None)
    digest = hashlib.sha256(frame.hash_rows().to_numpy().tobytes()).hexdigest()
    if digest not in _RESULTS:
        _RESULTS.clear()
        _RESULTS[digest] = run_all(series_plan(frame))
    return frame, _RESULTS[digest]


def track_record_frame(read: Reader) -> pl.DataFrame:
    _, done = results(read)
    measure = lambda r: "current" if r["measure"] == "cumulative" else r["measure"]  # noqa: E731 (scored in 当期值)
    rows = [pl.DataFrame({"region_code": r["region_code"], "indicator": r["indicator"], "freq": r["freq"],
                          "measure": measure(r), "model": r["model"], **r["track_record"]})
            for r in done if "error" not in r]
    return pl.concat(rows) if rows else pl.DataFrame()


def forecasts_frame(read: Reader) -> pl.DataFrame:
    _, done = results(read)
    rows = []
    for r in done:
        if "error" in r:
            continue
        for fan in r["forecasts"]:
            rows.append(pl.DataFrame({
                "region_code": r["region_code"], "indicator": r["indicator"], "freq": r["freq"],
                "measure": fan["measure"], "period": fan["period"], "mean": fan["mean"],
                **{c: fan[c] for c in INTERVALS}, "model": r["model"], "notes": r["notes"]}))
    return pl.concat(rows) if rows else pl.DataFrame()


def scores_frame(read: Reader) -> pl.DataFrame:
    _, done = results(read)
    rows = [{"region_code": r["region_code"], "indicator": r["indicator"], "freq": r["freq"], "measure": r["measure"],
             **s} for r in done if "error" not in r for s in r["scores"]]
    rows += [{"region_code": r["region_code"], "indicator": r["indicator"], "freq": r["freq"], "measure": r["measure"],
              "model": "none", "chosen": False, "error": r["error"]} for r in done if "error" in r]
    return pl.DataFrame(rows, infer_schema_length=None)


_COMMON = dict(theme="economy", sharing="无条件共享", owner="省大数据局", reads=("mart.economy_indicators",), source=SOURCE)

MARTS = [
    DerivedMart(name="forecasts", grain=("region_code", "indicator", "freq", "measure", "period"),
                zh="经济指标预测：各地区、指标的未来各期均值与80%/95%区间，模型经回测选出",
                en="Economic forecasts: mean and 80%/95% intervals per region, indicator and future period; model chosen by backtest",
                compute=forecasts_frame, **_COMMON),
    DerivedMart(name="forecast_scores", grain=("region_code", "indicator", "freq", "measure", "model"),
                zh="预测模型回测成绩：各候选模型的MASE、sMAPE与区间覆盖率，及所选模型",
                en="Forecast backtest scores: MASE, sMAPE and interval coverage of every candidate, and the one chosen",
                compute=scores_frame, **_COMMON),
    DerivedMart(name="forecast_track_record", grain=("region_code", "indicator", "freq", "measure", "origin", "period"),
                zh="预测成绩单：所选模型在每个回测起点所做的预测与实际值",
                en="Forecast track record: what the chosen model forecast from each backtest origin, and what happened",
                compute=track_record_frame, **_COMMON),
]
