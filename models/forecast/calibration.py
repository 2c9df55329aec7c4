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
given a pooled ``Calibration``, and otherwise uses its own backtest when it has ``MIN_OWN`` points.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import polars as pl

from models.forecast.base import QUANTILES, Z80, Z95

MIN_OWN = 20  # backtest points a series needs to calibrate on its own errors
MIN_STEP = 12  # points a step ahead needs for a factor of its own
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


def standardized_errors(points: pl.DataFrame, log: bool | None = None) -> pl.DataFrame:
    """``step, z`` for every scored point of a backtest (``points`` with ``actual, lower_80, upper_80``).

    ``log``: measure on logarithms (default: when every actual and bound is positive). Points whose
    80% interval has no width carry no information and are left out.
    """
    if points is None or points.height == 0:
        return pl.DataFrame({"step": [], "z": []}, schema={"step": pl.Int64, "z": pl.Float64})
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
    return pl.DataFrame({"step": points["step"].to_numpy()[keep].astype(np.int64), "z": z[keep]})


def conformal_quantile(scores: np.ndarray, level: float) -> float:
    """The ⌈(n+1)·level⌉-th smallest of ``scores`` (the largest when that exceeds ``n``)."""
    ordered = np.sort(np.asarray(scores, dtype=float))
    rank = min(int(np.ceil((ordered.size + 1) * level)), ordered.size)
    return float(ordered[rank - 1])


def calibration_from(errors: pl.DataFrame, source: str, min_points: int = MIN_OWN) -> Calibration | None:
    """Factors from standardised errors (``step, z``); ``None`` with fewer than ``min_points``."""
    if errors.height < min_points:
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
           "MIN_OWN", "QUANTILES"]
