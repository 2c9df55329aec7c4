"""Intervals calibrated out of time: split-conformal quantiles of the backtest errors.

A model's own 80%/95% intervals assume the model is right; on real series they are usually too narrow
(the 2008 shock, a revision, a break) and sometimes too wide. The backtest knows better: at every
origin the model forecast a window it had not seen. Each scored point gives a standardised error

    z = (T(actual) − centre) / sd,   centre = (T(lower_80) + T(upper_80)) / 2,
                                     sd = (T(upper_80) − T(lower_80)) / (2 · 1.2816)

(``T`` = log for positive series, the scale the models work on), i.e. how many of the model's own
standard deviations it missed by. The conformal quantile of ``|z|`` at 80% (95%) over ``n`` points —
the ⌈(n+1)·0.8⌉-th smallest — divided by the normal quantile is the factor by which the model's
interval half-widths must be stretched (or shrunk) so that, on exchangeable errors, the stated
coverage is the real one. Factors are per step ahead where a step has enough points, else one factor
for every step. Because ``z`` is unit-free, errors of similar series (one indicator across regions,
one panel) can be pooled when a single series has too few origins; ``models.forecast`` does that when
given a pooled ``Calibration``, and otherwise uses its own backtest when it has ``MIN_WINDOWS`` origins.

What counts is windows, not points: the errors of the twelve months forecast from one origin move
together (one shock misses them all), so 24 monthly points from two origins are two observations, not
24 — calibrated on them, intervals shrank and covered 69% instead of 84% on real money-supply series.
A factor is only learnt from ``MIN_WINDOWS`` (series, origin) windows or more; with fewer the model's
own intervals stand.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import polars as pl

from models.forecast.base import QUANTILES, Z80, Z95

ERRORS_SCHEMA = {"window": pl.Utf8, "step": pl.Int64, "z": pl.Float64}
MIN_WINDOWS = 10  # (series, origin) windows needed to learn a factor (own backtest or pooled)
MIN_STEP = 30  # points a step ahead needs for a factor of its own (else one factor for every step)
FACTOR_RANGE = (0.4, 12.0)  # a factor outside this is a sign of a broken backtest, not of calibration


@dataclass(frozen=True)
class Calibration:
    """Interval stretch factors: ``k80[h-1]``, ``k95[h-1]`` for ``h`` steps ahead (the last one carries on)."""

    k80: tuple[float, ...]
    k95: tuple[float, ...]
    n_points: int
    source: str  # "own backtest", "pooled over N series", …

    def factor(self, level: int, steps: int) -> np.ndarray:
        k = np.asarray(self.k80 if level == 80 else self.k95, dtype=float)
        return k[np.minimum(np.arange(steps), k.size - 1)]


def standardized_errors(points: pl.DataFrame, log: bool | None = None, series: str = "") -> pl.DataFrame:
    """``window, step, z`` for every scored point of a backtest (``points`` with ``origin, step, actual,
    lower_80, upper_80``); ``window`` is ``series`` and the origin, so pooled frames keep windows apart.

    ``log``: measure on logarithms (default: when every actual and bound is positive). Points whose
    80% interval has no width carry no information and are left out.
    """
    if points is None or points.height == 0:
        return pl.DataFrame({"window": [], "step": [], "z": []}, schema=ERRORS_SCHEMA)
    actual, low, high = (points[c].to_numpy().astype(float) for c in ("actual", "lower_80", "upper_80"))
    if log is None:
        log = bool(np.all(actual > 0) and np.all(low > 0))
    if log:
        with np.errstate(divide="ignore", invalid="ignore"):
            actual, low, high = np.log(actual), np.log(low), np.log(high)
    sd = (high - low) / (2 * Z80)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (actual - (high + low) / 2) / sd
    keep = np.isfinite(z) & (sd > 0)
    origins = points["origin"].cast(pl.Utf8).to_numpy() if "origin" in points.columns else np.full(points.height, "")
    return pl.DataFrame({"window": [f"{series}|{o}" for o in origins[keep]],
                         "step": points["step"].to_numpy()[keep].astype(np.int64), "z": z[keep]}, schema=ERRORS_SCHEMA)


def conformal_quantile(scores: np.ndarray, level: float) -> float:
    """The ⌈(n+1)·level⌉-th smallest of ``scores`` (the largest when that exceeds ``n``)."""
    ordered = np.sort(np.asarray(scores, dtype=float))
    rank = min(int(np.ceil((ordered.size + 1) * level)), ordered.size)
    return float(ordered[rank - 1])


def calibration_from(errors: pl.DataFrame, source: str, min_windows: int = MIN_WINDOWS) -> Calibration | None:
    """Factors from standardised errors (``window, step, z``); ``None`` from fewer than ``min_windows`` windows."""
    if errors.height == 0 or errors["window"].n_unique() < min_windows:
        return None
    z = np.abs(errors["z"].to_numpy())
    steps = errors["step"].to_numpy()

    def factors(level: float, normal: float) -> tuple[float, ...]:
        overall = conformal_quantile(z, level) / normal
        out = []
        for h in range(1, int(steps.max()) + 1):
            at = z[steps == h]
            out.append(conformal_quantile(at, level) / normal if at.size >= MIN_STEP else overall)
        # Uncertainty does not shrink with the distance ahead: keep the factors' widths non-decreasing.
        widths = np.maximum.accumulate(np.array(out) * np.sqrt(np.arange(1, len(out) + 1)))
        return tuple(float(np.clip(w / np.sqrt(i + 1), *FACTOR_RANGE)) for i, w in enumerate(widths))

    return Calibration(factors(0.8, Z80), factors(0.95, Z95), errors.height, source)


def recalibrate(forecast, calibration: Calibration | None, log: bool | None = None):
    """The forecast with its intervals (and simulated paths) stretched by ``calibration``.

    Bounds move away from (or towards) the centre of the 80% interval on the model's scale (logs for a
    positive series); the point forecast stays. Paths are stretched about their per-period median by
    the 80% factor, so year-to-date totals built from them widen accordingly.
    """
    if calibration is None:
        return forecast
    bounds = {c: np.asarray(getattr(forecast, c), dtype=float) for c in ("lower_80", "upper_80", "lower_95", "upper_95")}
    if log is None:
        log = bool(all(np.all(b > 0) for b in bounds.values()))
    t, inverse = (np.log, np.exp) if log else ((lambda x: x), (lambda x: x))
    steps = forecast.horizon
    centre = (t(bounds["lower_80"]) + t(bounds["upper_80"])) / 2
    new = {}
    for level in (80, 95):
        k = calibration.factor(level, steps)
        for side in ("lower", "upper"):
            name = f"{side}_{level}"
            new[name] = inverse(centre + k * (t(bounds[name]) - centre))
    paths = forecast.paths
    if paths is not None:
        p = np.asarray(paths, dtype=float)
        positive = log and np.all(p > 0)
        tp = np.log(p) if positive else p
        median = np.median(tp, axis=0)
        tp = median + calibration.factor(80, steps) * (tp - median)
        paths = np.exp(tp) if positive else tp
    mean = np.asarray(forecast.mean, dtype=float)
    # Keep the bands ordered around the point forecast (a log-normal mean can sit above a narrow median band).
    new["lower_80"] = np.minimum(new["lower_80"], mean)
    new["upper_80"] = np.maximum(new["upper_80"], mean)
    new["lower_95"] = np.minimum(new["lower_95"], new["lower_80"])
    new["upper_95"] = np.maximum(new["upper_95"], new["upper_80"])
    note = (f"intervals calibrated on {calibration.n_points} backtest errors ({calibration.source}): "
            f"80% × {calibration.k80[0]:.2f}, 95% × {calibration.k95[0]:.2f} one step ahead")
    return replace(forecast, **new, paths=paths, notes=(*forecast.notes, note), calibration=calibration)


__all__ = ["Calibration", "standardized_errors", "conformal_quantile", "calibration_from", "recalibrate",
           "QUANTILES"]
