"""Random walk with drift: next year is this year plus the average yearly change so far. On annual
macro panels it is the benchmark to beat (growth carries on at its own average pace)."""

from __future__ import annotations

import numpy as np
from scipy import stats

from models.forecast.base import Forecaster


class Drift(Forecaster):
    """The last value plus ``h`` times the mean change per step (on logs: the mean growth rate).

    With ``seasonal=True`` (the default for monthly and quarterly data long enough for it) the step is
    a season: each period repeats the same period a season earlier plus the mean season-on-season
    change, i.e. seasonal naive with drift. Intervals are those of a random walk with an estimated
    drift: the ``k``-th season ahead has variance ``σ²·k·(1 + k/n)`` (``n`` changes seen), with
    Student-t quantiles for the few changes a short annual series offers.

    Parameters
    ----------
    seasonal : bool or "auto", default "auto"
        Step by a season (monthly, quarterly) or by one period; ``"auto"`` steps by a season when
        the series has at least a season and two periods.
    log : bool or "auto", default "auto"
        Drift in logarithms (constant growth rate) when every value is positive.
    seed, n_paths : int
    """

    name = "drift"
    fallback = "seasonal_naive"

    def __init__(self, seasonal: bool | str = "auto", log: bool | str = "auto", seed: int = 0, n_paths: int = 1000):
        super().__init__(log=log, seed=seed, n_paths=n_paths)
        self.seasonal = seasonal

    @classmethod
    def min_points(cls, season: int) -> int:
        return 3

    def _fit(self, z: np.ndarray) -> None:
        m = self.calendar_.season
        seasonal = (len(z) >= m + 2) if self.seasonal == "auto" else bool(self.seasonal)
        self.lag_ = m if seasonal and m > 1 else 1
        lag = self.lag_
        if len(z) < lag + 2:
            raise ValueError(f"drift by {lag} periods needs at least {lag + 2} periods")
        changes = z[lag:] - z[:-lag]
        self.drift_ = float(changes.mean())
        self.n_changes_ = changes.size
        self.sigma_ = float(changes.std(ddof=1)) if changes.size > 1 else 0.0
        self.last_ = z[-lag:].copy()

    def _steps(self, horizon: int) -> tuple[np.ndarray, np.ndarray]:
        h = np.arange(horizon)
        seasons = h // self.lag_ + 1
        return self.last_[h % self.lag_] + seasons * self.drift_, seasons

    def _predict(self, horizon: int):
        mean, k = self._steps(horizon)
        sd = self.sigma_ * np.sqrt(k * (1 + k / self.n_changes_))
        # Student-t quantiles: with a handful of yearly changes the spread itself is uncertain.
        df = max(self.n_changes_ - 1, 2)
        q = [stats.t.ppf(p, df) for p in (0.025, 0.1, 0.9, 0.975)]
        return mean, None, np.stack([mean + qi * sd for qi in q])

    def _paths(self, horizon: int, n: int, rng: np.random.Generator) -> np.ndarray:
        mean, k = self._steps(horizon)
        df = max(self.n_changes_ - 1, 2)
        shocks = rng.standard_t(df, size=(n, horizon)) * self.sigma_
        for j in range(self.lag_, horizon):
            shocks[:, j] += shocks[:, j - self.lag_]
        drift_error = rng.standard_t(df, size=(n, 1)) * self.sigma_ / np.sqrt(self.n_changes_)
        return mean + shocks + drift_error * k
