"""Benchmark: forecast accuracy on real series, side by side with seasonal naive, drift and a strong
peer (statsforecast's AutoETS and AutoARIMA), and the build-time batch on the demo series.

Prints one JSON line per figure; never passes or fails.

Accuracy (``forecast_real`` lines): every real series of ``bench/forecast_real.py`` — NBS monthly CPI and
trade exports from ``/work/shared/data/real`` (parsed as downloaded), statsmodels' US ``macrodata``,
provincial GDP (1990–2009, 2015–2024) and population (2000–2019) panels, monthly M0/M1/M2 — is cut at
several origins; each method sees the data up to the origin only and forecasts the next window
(3 years, 4 quarters, 12 months). Per family (annual, quarterly, monthly flow, monthly stock) and split
(development: tuning allowed; held_out: not looked at while tuning):
  median_mase      median over (series, origin) of the window's MASE (in-sample seasonal-naive scale)
  smape            mean sMAPE in percent
  coverage_80/95   share of held-out values inside the 80%/95% intervals
  median_bias_pct  median of (forecast − actual) / |actual| over every scored value, in percent
  beats_drift      share of (series, origin) whose MASE is below drift's on the same window
``ours`` is ``models.forecast`` as the batch runs it: chosen by backtest, intervals calibrated on its
own backtest errors or, when those are too few, on the errors pooled over the series' panel at the
same origin (the batch pools over regions). ``drift`` is the random walk with drift (on logs for a
positive series), ``seasonal_naive`` repeats last season. The peer runs in its own virtual environment
(``.venv-peer``, ``pip install statsforecast``) as a subprocess; without it the lines say so.
Short series: every province's population 2015–2019 (5 points) must get a forecast (``short_series``).

    .venv/bin/python bench/forecast.py                    # real series only
    .venv/bin/python bench/forecast.py --home /tmp/homeG  # and the demo batch (a COCKPIT_HOME with a warehouse)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

HORIZON = {"annual": 3, "quarterly": 4, "monthly_flow": 12, "monthly_stock": 12}
ORIGINS = {"annual": 6, "quarterly": 10, "monthly_flow": 2, "monthly_stock": 6}
PEER_PYTHON = ROOT / ".venv-peer" / "bin" / "python"


def emit(record: dict) -> None:
    print(json.dumps(record, ensure_ascii=False), flush=True)


def cases(series) -> list[dict]:
    """(series, origin) tasks: origins one season apart (one year for annual), the latest leaving a full window."""
    out = []
    for s in series:
        h = HORIZON[s.family]
        step = 1 if s.family == "annual" else {"quarterly": 4}.get(s.family, 12)
        n = len(s.values)
        for k in range(ORIGINS[s.family]):
            cut = n - h - k * step
            if cut >= 3:
                out.append({"series": s, "cut": cut, "h": h})
    return out


def run_ours(case: dict) -> dict:
    """Pass one: ``models.forecast`` at one origin, uncalibrated, with its backtest errors."""
    import numpy as np
    import polars as pl

    from models import forecast
    from models.forecast.calibration import standardized_errors

    s, cut, h = case["series"], case["cut"], case["h"]
    train = pl.DataFrame({"period": list(s.periods[:cut]), "value": list(s.values[:cut])})
    started = time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = forecast(train, h, festival=s.festival, calibration=None, n_paths=0, origins=2)
    errors = standardized_errors(result.track_record, series=s.name) if result.track_record is not None else None
    return {"result": result, "errors": errors, "cpu": time.process_time() - started,
            "mean": np.asarray(result.mean)}


def baselines(case: dict) -> dict:
    from models.forecast.registry import make

    s, cut, h = case["series"], case["cut"], case["h"]
    train = (list(s.periods[:cut]), list(s.values[:cut]))
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, model in (("seasonal_naive", make("seasonal_naive", n_paths=0)),
                            ("drift", make("drift", seasonal=False, n_paths=0))):
            f = model.fit(train).predict(h)
            out[name] = {c: list(getattr(f, c)) for c in ("mean", "lower_80", "upper_80", "lower_95", "upper_95")}
    return out


PEER_CODE = r"""
import json, sys, warnings
import numpy as np
warnings.simplefilter("ignore")
from statsforecast.models import AutoARIMA, AutoETS
out = []
for task in json.load(sys.stdin):
    y = np.asarray(task["y"], dtype=float)
    positive = bool((y > 0).all())
    z = np.log(y) if positive else y
    row = {}
    for name, cls in (("peer_autoets", AutoETS), ("peer_autoarima", AutoARIMA)):
        try:
            r = cls(season_length=task["m"]).forecast(y=z, h=task["h"], level=[80, 95])
            t = np.exp if positive else (lambda v: v)
            row[name] = {"mean": t(r["mean"]).tolist(), "lower_80": t(r["lo-80"]).tolist(), "upper_80": t(r["hi-80"]).tolist(),
                         "lower_95": t(r["lo-95"]).tolist(), "upper_95": t(r["hi-95"]).tolist()}
        except Exception as error:
            row[name] = {"error": str(error)[:100]}
    out.append(row)
json.dump(out, sys.stdout)
"""


def run_peer(all_cases: list[dict]) -> list[dict] | None:
    """statsforecast in its own environment, one subprocess for every case; None when it is not installed."""
    if not PEER_PYTHON.exists():
        return None
    from models.forecast.periods import calendar_of

    tasks = [{"y": list(c["series"].values[:c["cut"]]), "h": c["h"],
              "m": calendar_of(list(c["series"].periods[:c["cut"]])).season} for c in all_cases]
    done = subprocess.run([str(PEER_PYTHON), "-c", PEER_CODE], input=json.dumps(tasks), capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        emit({"bench": "forecast_peer", "error": done.stderr.strip().splitlines()[-1:]})
        return None
    return json.loads(done.stdout)


def score(case: dict, fan: dict) -> dict | None:
    """Window MASE, sMAPE, coverage and signed errors of one method at one origin."""
    import numpy as np

    from models.forecast.backtest import mase_scale
    from models.forecast.periods import calendar_of

    if fan is None or "error" in fan:
        return None
    s, cut, h = case["series"], case["cut"], case["h"]
    actual = np.asarray(s.values[cut:cut + h], dtype=float)
    mean = np.asarray(fan["mean"], dtype=float)[:actual.size]
    if not np.all(np.isfinite(mean)):
        return None
    scale = mase_scale(np.asarray(s.values[:cut], dtype=float), calendar_of(list(s.periods[:cut])).season)
    error = mean - actual
    inside = lambda lo, hi: ((actual >= np.asarray(fan[lo])[:actual.size]) & (actual <= np.asarray(fan[hi])[:actual.size]))  # noqa: E731
    denominator = np.abs(actual) + np.abs(mean)
    return {"mase": float(np.mean(np.abs(error)) / scale) if scale > 0 else float("nan"),
            "smape": float(np.mean(np.where(denominator > 0, 200 * np.abs(error) / np.where(denominator > 0, denominator, 1), 0))),
            "in80": inside("lower_80", "upper_80").tolist(), "in95": inside("lower_95", "upper_95").tolist(),
            "bias": (error / np.abs(actual)).tolist()}


def pooled_calibrations(all_cases: list[dict], ours: list[dict]) -> dict:
    """Per (panel, origin year): the backtest errors of every series of the panel at that origin."""
    import polars as pl

    from models.forecast.calibration import calibration_from

    groups: dict[tuple, list] = {}
    for case, run in zip(all_cases, ours):
        if run["errors"] is not None and run["errors"].height:
            groups.setdefault((case["series"].panel, case["series"].periods[case["cut"] - 1][:4]), []).append(run["errors"])
    return {key: calibration_from(pl.concat(frames), f"pooled over {len(frames)} series of the panel")
            for key, frames in groups.items()}


def accuracy(workers: int) -> None:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from forecast_real import all_series
    from models.forecast.calibration import calibration_from, recalibrate

    series = all_series()
    all_cases = cases(series)
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("forkserver")) as pool:
        ours = list(pool.map(run_ours, all_cases, chunksize=4))
        base = list(pool.map(baselines, all_cases, chunksize=16))
    ours_seconds = time.perf_counter() - started
    started = time.perf_counter()
    peer = run_peer(all_cases)
    peer_seconds = time.perf_counter() - started
    pooled = pooled_calibrations(all_cases, ours)
    scored: dict[tuple, list] = {}
    for i, (case, run) in enumerate(zip(all_cases, ours)):
        s = case["series"]
        own = calibration_from(run["errors"], "own backtest") if run["errors"] is not None else None
        chosen_cal = own or pooled.get((s.panel, s.periods[case["cut"] - 1][:4]))
        calibrated = recalibrate(run["result"], chosen_cal)
        fans = {"ours": {c: list(getattr(calibrated, c)) for c in ("mean", "lower_80", "upper_80", "lower_95", "upper_95")},
                "ours_uncalibrated": {c: list(getattr(run["result"], c)) for c in ("mean", "lower_80", "upper_80", "lower_95", "upper_95")},
                **base[i], **(peer[i] if peer else {})}
        case_scores = {m: score(case, f) for m, f in fans.items()}
        for method, sc in case_scores.items():
            scored.setdefault((s.family, s.split, method), []).append((case, sc, case_scores.get("drift"), run))
    for (family, split, method), rows in sorted(scored.items()):
        ok = [(c, sc, d) for c, sc, d, _ in rows if sc is not None]
        finite = [(sc, d) for _, sc, d in ok if sc["mase"] == sc["mase"]]
        record = {"bench": "forecast_real", "family": family, "split": split, "method": method,
                  "series": len({c["series"].name for c, _, _ in ok}), "cases": len(ok), "failed": len(rows) - len(ok)}
        if finite:
            flat = lambda key: [x for sc, _ in finite for x in sc[key]]  # noqa: E731
            record.update({
                "median_mase": round(statistics.median(sc["mase"] for sc, _ in finite), 3),
                "mean_mase": round(statistics.mean(sc["mase"] for sc, _ in finite), 3),
                "smape": round(statistics.mean(sc["smape"] for sc, _ in finite), 2),
                "coverage_80": round(statistics.mean(flat("in80")), 3),
                "coverage_95": round(statistics.mean(flat("in95")), 3),
                "median_bias_pct": round(100 * statistics.median(flat("bias")), 2),
                "beats_drift": round(statistics.mean(sc["mase"] < d["mase"] for sc, d in finite if d), 3)})
        if method == "ours":
            models: dict[str, int] = {}
            for _, _, _, run in rows:
                models[run["result"].model] = models.get(run["result"].model, 0) + 1
            record["chosen_models"] = models
            record["cpu_seconds_per_case"] = round(statistics.mean(run["cpu"] for _, _, _, run in rows), 2)
        emit(record)
    emit({"bench": "forecast_real_time", "cases": len(all_cases), "ours_and_baselines_seconds": round(ours_seconds, 1),
          "peer_seconds": round(peer_seconds, 1) if peer else None, "peer": "statsforecast" if peer else "absent",
          "workers": workers, "load_average_1m": round(os.getloadavg()[0], 2)})


def short_series() -> None:
    """Every province's population 2015–2019 (five points): each must get a forecast."""
    import polars as pl

    from forecast_real import annual_panel
    from models import forecast

    failed, models = [], {}
    for s in annual_panel("provincial_population_2000_2019.csv", "population_10k", "population", "held_out"):
        keep = [i for i, p in enumerate(s.periods) if p >= "2015"]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                f = forecast(pl.DataFrame({"period": [s.periods[i] for i in keep], "value": [s.values[i] for i in keep]}), 2)
            models[f.model] = models.get(f.model, 0) + 1
        except Exception as error:  # noqa: BLE001 - counting failures is the point
            failed.append(f"{s.name}: {error}")
    emit({"bench": "short_series", "data": "provincial population 2015–2019 (5 points)", "series": 31,
          "failed": len(failed), "chosen_models": models, "failures": failed[:3]})


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
    parser.add_argument("--home", type=Path, default=None, help="a COCKPIT_HOME with a built demo warehouse")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--only-batch", action="store_true")
    args = parser.parse_args()
    if not args.only_batch:
        short_series()
        accuracy(args.workers)
    if args.home:
        batch(demo_tasks(args.home))
        attainment_calibration(args.home)


if __name__ == "__main__":
    main()
