"""Benchmark: forecast accuracy and the build-time batch, on the demo series and on real published
series that ship with statsmodels (its US ``macrodata``, quarterly 1959–2009).

Prints one JSON line per figure; never passes or fails. For accuracy each series' last window
(12 months, 4 quarters, 2 years) is held out; ``models.forecast`` chooses its model by backtest on
the data before that window only, and the chosen model is scored on the held-out window against
the seasonal-naive baseline fitted on the same data (the baseline in the same run):
  beats_naive_share   share of series where the chosen model's holdout MASE is below the baseline's
  median_mase_ratio   median of chosen MASE / baseline MASE
  coverage_80/95      share of held-out values inside the chosen model's 80%/95% intervals
Speed: the whole build-time batch over every demo series (``cockpit/batch/forecasts.py``, its
worker processes), against the same batch with the seasonal-naive baseline only.
Target attainment: calibration of ``mart.target_attainment`` judgements against outcomes (Brier score).

    .venv/bin/python bench/forecast.py --home /tmp/homeG          # a COCKPIT_HOME with a built warehouse
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def emit(record: dict) -> None:
    print(json.dumps(record, ensure_ascii=False), flush=True)


def holdout(task: dict) -> dict | None:
    """Choose on the data before the last window; score chosen and baseline on that window."""
    import numpy as np
    import polars as pl

    from models import forecast
    from models.forecast.auto import DEFAULT_HORIZON
    from models.forecast.backtest import mase_scale
    from models.forecast.cumulative import to_current
    from models.forecast.periods import calendar_of
    from models.forecast.registry import make

    from cockpit.batch.forecasts import COUNTY_CANDIDATES, ORIGINS

    h = DEFAULT_HORIZON[task["freq"]]
    back = task.get("back", 0) * h  # evaluate an earlier window: drop this many periods from the end first
    labels, values = task["periods"][:len(task["periods"]) - back], np.array(task["values"], dtype=float)[:len(task["values"]) - back]
    if task["measure"] == "cumulative":  # score in 当期值, the values the models forecast
        values = to_current(labels, values)
    if len(values) <= h + 2 * calendar_of(labels).season + 2:
        return None
    train = pl.DataFrame({"period": labels[:-h], "value": values[:-h]})
    actual = values[-h:]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            chosen = forecast(train, h, origins=ORIGINS, models=COUNTY_CANDIDATES if task.get("county") else None)
            naive = make("seasonal_naive", n_paths=0).fit(train).predict(h)
        except (ValueError, RuntimeError):
            return None
    scale = mase_scale(values[:-h], calendar_of(labels).season)
    mase = lambda f: float(np.mean(np.abs(actual - f.mean)) / scale) if scale else float("nan")  # noqa: E731
    return {"chosen": chosen.model, "mase": mase(chosen), "naive_mase": mase(naive),
            "in80": float(np.mean((actual >= chosen.lower_80) & (actual <= chosen.upper_80))),
            "in95": float(np.mean((actual >= chosen.lower_95) & (actual <= chosen.upper_95)))}


def accuracy(name: str, tasks: list[dict], workers: int) -> None:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    started = time.perf_counter()
    context = get_context("forkserver")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        results = [r for r in pool.map(holdout, tasks, chunksize=4) if r]
    finite = [r for r in results if r["naive_mase"] and r["naive_mase"] == r["naive_mase"]]
    ratios = [r["mase"] / r["naive_mase"] for r in finite if r["naive_mase"] > 0]
    models: dict[str, int] = {}
    for r in results:
        models[r["chosen"]] = models.get(r["chosen"], 0) + 1
    emit({"bench": "forecast_accuracy", "data": name, "series": len(results),
          "beats_naive_share": round(sum(r["mase"] < r["naive_mase"] for r in finite) / len(finite), 3),
          "median_mase_ratio": round(statistics.median(ratios), 3),
          "median_mase": round(statistics.median(r["mase"] for r in finite), 3),
          "median_naive_mase": round(statistics.median(r["naive_mase"] for r in finite), 3),
          "coverage_80": round(statistics.mean(r["in80"] for r in results), 3),
          "coverage_95": round(statistics.mean(r["in95"] for r in results), 3),
          "chosen_models": models, "seconds": round(time.perf_counter() - started, 1)})


def macrodata_tasks(windows: int) -> list[dict]:
    """Each series scored on ``windows`` consecutive yearly windows ending 2009Q3 (the last one is
    the 2008–09 recession, which no model foresaw; one window alone would be that story only)."""
    from statsmodels.datasets import macrodata

    data = macrodata.load_pandas().data
    periods = [f"{int(y)}-Q{int(q)}" for y, q in zip(data["year"], data["quarter"])]
    columns = ["realgdp", "realcons", "realinv", "realgovt", "realdpi", "cpi", "m1", "tbilrate", "unemp", "pop", "infl", "realint"]
    return [{"region_code": "US", "indicator": c, "freq": "Q", "measure": "current", "county": False,
             "periods": periods, "values": data[c].tolist(), "back": back} for c in columns for back in range(windows)]


def demo_tasks(home: Path) -> list[dict]:
    import duckdb
    import polars as pl

    from cockpit.batch.forecasts import SERIES_SQL, series_plan

    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        return series_plan(pl.from_arrow(con.sql(SERIES_SQL).to_arrow_table()))


def batch(tasks: list[dict]) -> None:
    from cockpit.batch import forecasts

    started = time.perf_counter()
    done = forecasts.run_all(tasks)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    forecasts.run_all([{**t, "models": ["seasonal_naive"]} for t in tasks])
    baseline = time.perf_counter() - started
    emit({"bench": "forecast_batch", "series": len(tasks), "failed": sum("error" in r for r in done),
          "workers": forecasts._workers(), "seconds": round(seconds, 1),
          "baseline_seasonal_naive_only_seconds": round(baseline, 1), "cpu_count": os.cpu_count(),
          "load_average_1m": round(os.getloadavg()[0], 2)})


def attainment_calibration(home: Path) -> None:
    import duckdb

    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        rows = con.sql("""
            SELECT floor(probability * 5) / 5 AS bin, avg(probability) AS predicted, avg(met::INT) AS met, count(*) AS n,
                   avg((probability - met::INT) ^ 2) AS brier
            FROM mart.target_attainment WHERE met IS NOT NULL GROUP BY ALL ORDER BY bin""").fetchall()
        overall = con.sql("""SELECT avg((probability - met::INT) ^ 2), avg((avg_met - met::INT) ^ 2)
                             FROM (SELECT *, avg(met::INT) OVER () AS avg_met FROM mart.target_attainment WHERE met IS NOT NULL)""").fetchall()[0]
    emit({"bench": "attainment_calibration", "brier": round(overall[0], 4), "brier_climatology_baseline": round(overall[1], 4),
          "bins": [{"predicted": round(p, 3), "met": round(m, 3), "n": n} for _, p, m, n, _ in rows]})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path, default=Path(os.environ.get("COCKPIT_HOME", ROOT / "var")))
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--macro-windows", type=int, default=10)
    parser.add_argument("--only-batch", action="store_true")
    args = parser.parse_args()
    if args.only_batch:
        batch(demo_tasks(args.home))
        return
    accuracy(f"statsmodels macrodata (US, quarterly 1959–2009; {args.macro_windows} yearly windows per series)",
             macrodata_tasks(args.macro_windows), args.workers)
    tasks = demo_tasks(args.home)
    accuracy("demo economy series (Guizhou, synthetic)", tasks, args.workers)
    if not args.skip_batch:
        batch(tasks)
    attainment_calibration(args.home)


if __name__ == "__main__":
    main()
