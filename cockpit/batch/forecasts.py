"""Batch forecasts at build time: every region × indicator series of ``mart.economy_indicators``
forecast by ``models.forecast`` (model chosen by backtest), so leaders read forecasts instantly.

Three marts come from one run: ``mart.forecasts`` (the fan), ``mart.forecast_scores`` (every
candidate's backtest scores, the chosen one flagged) and ``mart.forecast_track_record`` (what the
chosen model forecast from each backtest origin against what then happened).

Which value is forecast: the year-to-date total (累计值) where the statistics office publishes one
(forecast as 当期值 and converted back, both kept), else the period's value, else — for indicators
published only as growth rates (固定资产投资, 规上工业增加值) — the year-to-date growth rate (累计增速).
Monthly candidates use the Spring Festival regressors of the kind the indicator declares
(``Indicator.aggregation``: flow or stock).

Intervals are calibrated out of time (``models.forecast.calibration``): on the series' own backtest
errors when it has enough, else on the errors pooled over every region's series of the same
indicator, frequency and measure.

Incremental: each series' result is kept in ``$COCKPIT_HOME/cache/`` keyed by a hash of its input
(periods, values, measure, candidates, festival kind) and of the model code (every file of
``models/forecast`` and this one, and the numerical libraries' versions), so a build after a small load
refits only the series whose input changed; calibration, which pools over regions, is redone every build.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import warnings
from pathlib import Path

import numpy as np
import polars as pl

from data_marts import paths, workers
from data_marts.derived import DerivedMart, Reader
from data_marts.indicators import BY_CODE

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
        declared = BY_CODE.get(indicator)
        for measure, column in (("cumulative", "cumulative_value"), ("current", "current_value"),
                                ("growth_cumulative", "yoy_cumulative_pct")):
            if has[column]:
                tasks.append({"region_code": region, "indicator": indicator, "freq": freq, "measure": measure,
                              "county": group["region_level"][0] == "county",
                              "festival": declared.aggregation if declared else None,
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
                              models=task.get("models") or (COUNTY_CANDIDATES if task["county"] else None),
                              festival=task.get("festival"), calibration=None)  # calibrated after pooling
        except (ValueError, RuntimeError) as error:
            return {**key, "error": str(error)}
    from models.forecast.calibration import standardized_errors

    out = {**key, "model": result.model, "notes": "; ".join(result.notes), "forecasts": [_fan(result, task["measure"])],
           "scores": [{**s.__dict__, "chosen": s.model == result.model} for s in result.candidates]}
    if result.current is not None:
        out["forecasts"].append(_fan(result.current, "current"))
    record = result.track_record if result.track_record is not None else pl.DataFrame()
    out["track_record"] = {c: record[c].to_list() for c in record.columns if c != "used"}
    errors = standardized_errors(record, series="|".join(key.values()))
    out["errors"] = {c: errors[c].to_list() for c in errors.columns}
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


# -- reuse between builds ----------------------------------------------------------------------------
CACHE_FILE = "forecasts.json"
TASK_FIELDS = ("region_code", "indicator", "freq", "measure", "county", "festival", "models", "periods", "values")
LAST_RUN: dict[str, int] = {}  # series, refit, reused: what the last run did (read by tests)
MODEL_SOURCES = Path(__file__).resolve().parents[2] / "models" / "forecast"


def code_version() -> str:
    """A hash of everything that decides a result besides its input: the source of every module of
    ``models/forecast`` and of this file, and the versions of the numerical libraries."""
    import scipy
    import sklearn
    import statsmodels

    digest = hashlib.sha256()
    for path in [*sorted(MODEL_SOURCES.glob("*.py")), Path(__file__).resolve()]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for module in (np, pl, scipy, sklearn, statsmodels):
        digest.update(f"{module.__name__}={module.__version__}".encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def task_key(task: dict, version: str) -> str:
    """The hash of one series' input and the model code: equal keys give equal results."""
    content = json.dumps([version, *[task.get(f) for f in TASK_FIELDS]], ensure_ascii=False, default=str)
    return hashlib.sha256(content.encode()).hexdigest()


def _load_cache(path: Path, version: str) -> dict[str, dict]:
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # none yet, or unreadable: refit everything
    return stored.get("results", {}) if stored.get("code_version") == version else {}


def _save_cache(path: Path, version: str, found: dict[str, dict]) -> None:
    """Write atomically (a build killed half-way leaves the old file), owner-only; only the keys of
    this run are kept, so the file does not grow with every load."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"code_version": version, "results": found}, handle, ensure_ascii=False)
    os.replace(tmp, path)


def run_incremental(tasks: list[dict], cache: Path | None = None) -> list[dict]:
    """``run_all`` for the tasks whose key is not in the cache file; the others are reused."""
    version = code_version()
    path = cache or paths.model_cache() / CACHE_FILE
    stored = _load_cache(path, version)
    keys = [task_key(t, version) for t in tasks]
    missing = {k: t for k, t in zip(keys, tasks) if k not in stored}
    fresh = dict(zip(missing, run_all(list(missing.values()))))
    found = {k: stored.get(k) or fresh[k] for k in keys}
    _save_cache(path, version, found)
    LAST_RUN.clear()
    LAST_RUN.update(series=len(tasks), refit=len(missing), reused=len(tasks) - len(missing))
    return [found[k] for k in keys]


# -- interval calibration, pooled over regions --------------------------------------------------------
def calibrate(done: list[dict]) -> list[dict]:
    """Stretch every fan by conformal factors from its own backtest errors (when they come from
    ``MIN_WINDOWS`` origins) or from those of every region's series of the same indicator, frequency
    and measure; with too few windows either way the model's own intervals stand."""
    from models.forecast.calibration import ERRORS_SCHEMA, calibration_from

    frames = {id(r): pl.DataFrame(r["errors"], schema=ERRORS_SCHEMA) for r in done if "error" not in r}
    groups: dict[tuple, list[pl.DataFrame]] = {}
    for r in done:
        if "error" not in r and frames[id(r)].height:
            groups.setdefault(_group(r), []).append(frames[id(r)])
    pooled = {g: calibration_from(pl.concat(fs), f"pooled over {len(fs)} regions' series") for g, fs in groups.items()}
    out = []
    for r in done:
        if "error" in r:
            out.append(r)
            continue
        cal = calibration_from(frames[id(r)], "own backtest") or pooled.get(_group(r))
        out.append({**r, **_calibrated(r, cal)})
    return out


def _group(r: dict) -> tuple:
    return r["indicator"], r["freq"], r["measure"]


def _calibrated(r: dict, cal) -> dict:
    from models.forecast.calibration import recalibrate
    from models.forecast.result import Forecast

    if cal is None:
        return {}
    fans, notes = [], r["notes"]
    for fan in r["forecasts"]:
        f = recalibrate(Forecast(tuple(fan["period"]), *(np.asarray(fan[c], dtype=float) for c in ("mean", *INTERVALS)),
                                 model=r["model"]), cal)
        fans.append({**fan, **{c: getattr(f, c).tolist() for c in INTERVALS}})
        notes = "; ".join([r["notes"], f.notes[-1]]) if r["notes"] else f.notes[-1]
    return {"forecasts": fans, "notes": notes}


_RESULTS: dict[str, list[dict]] = {}


def results(read: Reader) -> tuple[pl.DataFrame, list[dict]]:
    """The input series and the batch results, computed once per distinct input (the three marts
    of one build share a run), reusing earlier builds' results for unchanged series."""
    frame = read(SERIES_SQL, None)
    digest = hashlib.sha256(frame.hash_rows().to_numpy().tobytes()).hexdigest()
    if digest not in _RESULTS:
        _RESULTS.clear()
        _RESULTS[digest] = calibrate(run_incremental(series_plan(frame)))
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
