"""Benchmark: are the cockpit's "chance of meeting the target" figures calibrated on real track records,
and would recalibrating them help?

Prints JSON lines; never passes or fails.

Track records come from real series only (``bench/forecast_real.py``), judged exactly as the batch judges
a target (``models.forecast.attainment``), from every period of the year but its last, using only the data
up to that period:

- **growth targets, analog method** (``rule="year_end"``, a floor): the year-end value of a year-to-date
  growth rate. Series: the year-on-year growth of M0, M1 and M2 (period-end stocks, so the December
  figure is the year's growth; PBC, 2009–2025), and the year-to-date growth of US real GDP, consumption,
  investment and disposable income (statsmodels ``macrodata``, quarterly flows, 1960–2009). Targets: the
  M2 growth targets the government work reports published for 2009–2017, and for every series-year the
  previous year's outcome −3, −1.5, 0, +1.5 and +3 points (targets are usually set near last year's);
- **ceilings on a year's mean, model-based** (``rule="year_mean"``, ``model="ets"``, a ceiling): the
  year's mean of a price index against the previous year (上年同期=100). Series: the nine NBS monthly CPI
  categories (2016–2020, the development export; the real ceiling 103) and US CPI from ``macrodata``
  (quarterly, against the same quarter a year earlier; ceilings at the previous year's mean −1, 0, +1).

Baselines, on the same events: the raw probabilities (what the cockpit shows) against the same
probabilities recalibrated out of time — Platt (logistic on the log-odds) and isotonic regression, each
fitted only on events of earlier years and applied to a year's events (years with fewer than 200 earlier
events are left out of all three so the comparison is like for like). Brier score (lower is better),
its reliability term, and the reliability table (predicted against observed frequency, ten bins).
Events of one series-year share an outcome and are not independent; the counts say how many series-years
stand behind a bin.

    .venv/bin/python bench/attainment.py
"""

from __future__ import annotations

import json
import sys
import time
import warnings
from collections import defaultdict
from pathlib import Path

import numpy as np
from sklearn.metrics import brier_score_loss

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from forecast_real import macrodata, money, nbs_monthly, SHARED  # noqa: E402
from models.forecast.attainment import attainment  # noqa: E402

# M2 growth targets (%, year-end) in the government work reports; no number was set from 2018 on.
M2_TARGETS = {2009: 17.0, 2010: 17.0, 2011: 16.0, 2012: 14.0, 2013: 13.0, 2014: 13.0, 2015: 12.0, 2016: 13.0,
              2017: 12.0}
GROWTH_OFFSETS = (-3.0, -1.5, 0.0, 1.5, 3.0)
CEILING_OFFSETS = (-1.0, 0.0, 1.0)
MIN_EARLIER = 200
BINS = np.linspace(0, 1, 11)


def emit(record: dict) -> None:
    print(json.dumps(record, ensure_ascii=False), flush=True)


def yoy(periods, values, lag: int) -> tuple[list[str], list[float]]:
    return list(periods[lag:]), [100 * (values[i] / values[i - lag] - 1) for i in range(lag, len(values))]


def ytd_growth(periods, values) -> tuple[list[str], list[float]]:
    """Year-to-date growth (%) of a quarterly flow: the sum of this year's quarters so far against the same
    quarters a year earlier."""
    by = dict(zip(periods, values))
    out_p, out_v = [], []
    for p in periods:
        year, q = int(p[:4]), int(p[-1])
        now = [by.get(f"{year}-Q{k}") for k in range(1, q + 1)]
        before = [by.get(f"{year - 1}-Q{k}") for k in range(1, q + 1)]
        if None not in now and None not in before:
            out_p.append(p)
            out_v.append(100 * (sum(now) / sum(before) - 1))
    return out_p, out_v


def year_of(period: str) -> int:
    return int(period[:4])


def last_of_year(periods: list[str]) -> dict[int, str]:
    last = {}
    for p in periods:
        last[year_of(p)] = p
    return last


def growth_series() -> list[tuple[str, list[str], list[float]]]:
    found = []
    for s in money():
        periods, values = yoy(s.periods, s.values, 12)
        found.append((s.name, periods, values))
    macro = {s.name: s for s in macrodata()}
    for column in ("realgdp", "realcons", "realinv", "realdpi"):
        s = macro[f"macrodata:{column}"]
        periods, values = ytd_growth(s.periods, s.values)
        found.append((s.name, periods, values))
    return found


def ceiling_series() -> list[tuple[str, list[str], list[float], float | None]]:
    """Monthly or quarterly price indices (上年同期=100) and the published ceiling, where there is one."""
    found = []
    if SHARED.exists():
        for s in nbs_monthly(SHARED / "nbs_monthly_cpi_trade_2016_2020.csv", lambda name: "monthly_flow"):
            if "价格指数" in s.name:
                found.append((s.name, list(s.periods), list(s.values), 103.0))
    cpi = next(s for s in macrodata() if s.name == "macrodata:cpi")
    periods, values = yoy(cpi.periods, cpi.values, 4)
    found.append((cpi.name, periods, [100 + v for v in values], None))
    return found


def complete_years(periods: list[str], per_year: int) -> list[int]:
    count = defaultdict(int)
    for p in periods:
        count[year_of(p)] += 1
    return sorted(y for y, n in count.items() if n == per_year)


def growth_events() -> list[dict]:
    events = []
    for name, periods, values in growth_series():
        per_year = 12 if "-Q" not in periods[0] else 4
        years = complete_years(periods, per_year)
        ends = last_of_year(periods)
        by = dict(zip(periods, values))
        for year in years[3:]:  # the analog method needs 3 earlier years
            if year - 1 not in ends or year - 1 not in years:
                continue
            last = by[ends[year - 1]]
            targets = [(f"last{off:+g}", last + off) for off in GROWTH_OFFSETS]
            if name == "pbc:M2" and year in M2_TARGETS:
                targets.append(("published", M2_TARGETS[year]))
            for kind, target in targets:
                for a in attainment((periods, values), year, target, rule="year_end", model="analog"):
                    events.append({"series": name, "year": year, "as_of": a.as_of, "kind": kind,
                                   "method": "analog", "p": a.probability, "met": a.met})
    return events


def ceiling_events() -> list[dict]:
    events = []
    for name, periods, values, ceiling in ceiling_series():
        per_year = 12 if "-Q" not in periods[0] else 4
        years = complete_years(periods, per_year)
        by_year = defaultdict(list)
        for p, v in zip(periods, values):
            by_year[year_of(p)].append(v)
        for year in years:
            if year - 1 not in years or years.index(year) < 3:
                continue  # at least three years of history before the year
            if ceiling is not None:
                targets = [("published", ceiling)]
            else:
                last = float(np.mean(by_year[year - 1]))
                targets = [(f"last{off:+g}", last + off) for off in CEILING_OFFSETS]
            for kind, target in targets:
                for a in attainment((periods, values), year, target, rule="year_mean", higher_is_better=False,
                                    model="ets", n_paths=1000):
                    events.append({"series": name, "year": year, "as_of": a.as_of, "kind": kind,
                                   "method": a.model, "p": a.probability, "met": a.met})
    return events


def reliability(p: np.ndarray, y: np.ndarray) -> tuple[float, list[dict]]:
    """The reliability term of Brier's decomposition and the ten-bin table."""
    index = np.clip(np.digitize(p, BINS[1:-1]), 0, 9)
    term, table = 0.0, []
    for b in range(10):
        mask = index == b
        if not mask.any():
            continue
        term += mask.sum() * (p[mask].mean() - y[mask].mean()) ** 2
        table.append({"bin": f"{BINS[b]:.1f}–{BINS[b + 1]:.1f}", "n": int(mask.sum()),
                      "predicted": round(float(p[mask].mean()), 3), "observed": round(float(y[mask].mean()), 3)})
    return term / len(p), table


def recalibrated(events: list[dict]) -> dict[str, np.ndarray]:
    """Platt and isotonic recalibration, each year's events mapped by a fit on earlier years only."""
    from sklearn.isotonic import IsotonicRegression
    from sklearn.linear_model import LogisticRegression

    p = np.array([e["p"] for e in events])
    y = np.array([e["met"] for e in events], dtype=float)
    years = np.array([e["year"] for e in events])
    logit = np.log(np.clip(p, 1e-4, 1 - 1e-4) / (1 - np.clip(p, 1e-4, 1 - 1e-4)))
    platt, iso, keep = np.full(len(p), np.nan), np.full(len(p), np.nan), np.zeros(len(p), bool)
    for year in np.unique(years):
        train, test = years < year, years == year
        if train.sum() < MIN_EARLIER or len(np.unique(y[train])) < 2:
            continue
        lr = LogisticRegression(C=1e6).fit(logit[train, None], y[train])
        platt[test] = lr.predict_proba(logit[test, None])[:, 1]
        iso[test] = IsotonicRegression(out_of_bounds="clip", y_min=0, y_max=1).fit(p[train], y[train]).predict(p[test])
        keep[test] = True
    return {"raw": p[keep], "platt": platt[keep], "isotonic": iso[keep], "y": y[keep],
            "series_years": len({(e["series"], e["year"]) for e, k in zip(events, keep) if k})}


def report(label: str, events: list[dict]) -> None:
    events = [e for e in events if e["met"] is not None]
    if not events:
        emit({"bench": "attainment", "method": label, "events": 0})
        return
    p = np.array([e["p"] for e in events])
    y = np.array([e["met"] for e in events], dtype=float)
    term, table = reliability(p, y)
    emit({"bench": "attainment", "method": label, "events": len(events),
          "series_years": len({(e["series"], e["year"]) for e in events}), "met_share": round(float(y.mean()), 3),
          "brier": round(brier_score_loss(y, p), 4), "reliability": round(term, 4),
          "brier_climatology": round(brier_score_loss(y, np.full(len(y), y.mean())), 4), "table": table})
    r = recalibrated(events)
    if len(r["y"]) == 0:
        return
    for name in ("raw", "platt", "isotonic"):
        term, table = reliability(r[name], r["y"])
        emit({"bench": "attainment_recalibration", "method": label, "probabilities": name,
              "events": len(r["y"]), "series_years": r["series_years"], "brier": round(brier_score_loss(r["y"], r[name]), 4),
              "reliability": round(term, 4), "table": table})


def main() -> None:
    warnings.simplefilter("ignore")
    started = time.perf_counter()
    growth = growth_events()
    emit({"bench": "attainment_time", "part": "growth (analog)", "seconds": round(time.perf_counter() - started, 1)})
    report("analog (growth floors)", growth)
    report("analog (published M2 targets only)", [e for e in growth if e["kind"] == "published"])
    started = time.perf_counter()
    ceiling = ceiling_events()
    emit({"bench": "attainment_time", "part": "ceiling (ets)", "seconds": round(time.perf_counter() - started, 1)})
    report("ets (year-mean ceilings)", ceiling)


if __name__ == "__main__":
    main()
