"""Seasonal naive: next January is this January. The baseline every other model must beat."""

from __future__ import annotations

import numpy as np

from models.forecast.base import Forecaster


class SeasonalNaive(Forecaster):
    """Each future period repeats the same period one season earlier (the last value for annual data).

    Intervals assume the season-on-season changes seen so far (without drift) keep their spread and
    add up season after season: the k-th season ahead has ``sqrt(k)`` times the one-season spread.

    Parameters
    ----------
    log : bool or "auto", default False
        Work on logarithms (multiplicative seasons); ``"auto"`` when every value is positive.
    seed, n_paths : int
        Random seed and number of simulated paths returned with the forecast.
    """

    name = "seasonal_naive"
    fallback = None
    min_seasons = 1

    def __init__(self, log: bool | str = False, seed: int = 0, n_paths: int = 1000):
        super().__init__(log=log, seed=seed, n_paths=n_paths)

    def _fit(self, z: np.ndarray) -> None:
        m = self.calendar_.season
        self.last_season_ = z[-m:].copy()
        changes = z[m:] - z[:-m]
        self.sigma_ = float(np.sqrt(np.mean(changes**2)))

    def _steps(self, horizon: int) -> tuple[np.ndarray, np.ndarray]:
        m = self.calendar_.season
        h = np.arange(horizon)
        return self.last_season_[h % m], h // m + 1  # value, seasons ahead

    def _predict(self, horizon: int):
        mean, seasons = self._steps(horizon)
        return mean, self.sigma_ * np.sqrt(seasons), None

    def _paths(self, horizon: int, n: int, rng: np.random.Generator) -> np.ndarray:
        m = self.calendar_.season
        mean, _ = self._steps(horizon)
        shocks = rng.normal(0.0, self.sigma_, size=(n, horizon))
        # The same season's shocks accumulate: period t+m carries the shock of period t plus its own.
        for j in range(m, horizon):
            shocks[:, j] += shocks[:, j - m]
        return mean + shocks
