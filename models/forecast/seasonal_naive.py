"""Seasonal naive: next January is this January. The baseline every other model must beat, and the
last fallback: it forecasts any series of three periods or more."""

from __future__ import annotations

import numpy as np

from models.forecast.base import Forecaster


class SeasonalNaive(Forecaster):
    """Each future period repeats the same period one season earlier (the last value for annual data).

    Intervals assume the season-on-season changes seen so far (without drift) keep their spread and
    add up season after season: the k-th season ahead has ``sqrt(k)`` times the one-season spread.
    A series shorter than a season and two periods has no season to repeat: it repeats its last value
    (the plain naive forecast) and ``notes`` says so.

    Parameters
    ----------
    log : bool or "auto", default False
        Work on logarithms (multiplicative seasons); ``"auto"`` when every value is positive.
    seed, n_paths : int
        Random seed and number of simulated paths returned with the forecast.
    """

    name = "seasonal_naive"
    fallback = None
    min_seasons = 0  # any series of MIN_POINTS periods: too short for a season, it repeats the last value

    def __init__(self, log: bool | str = False, seed: int = 0, n_paths: int = 1000):
        super().__init__(log=log, seed=seed, n_paths=n_paths)

    @classmethod
    def min_points(cls, season: int) -> int:
        return 3

    def _fit(self, z: np.ndarray) -> None:
        m = self.calendar_.season
        self.lag_ = m if len(z) >= m + 2 else 1
        if self.lag_ != m:
            self.notes_.append(f"{len(z)} periods are too few to repeat a season; the last value is repeated")
        lag = self.lag_
        self.last_season_ = z[-lag:].copy()
        changes = z[lag:] - z[:-lag]
        self.sigma_ = float(np.sqrt(np.mean(changes**2)))

    def _steps(self, horizon: int) -> tuple[np.ndarray, np.ndarray]:
        lag = self.lag_
        h = np.arange(horizon)
        return self.last_season_[h % lag], h // lag + 1  # value, seasons ahead

    def _predict(self, horizon: int):
        mean, seasons = self._steps(horizon)
        return mean, self.sigma_ * np.sqrt(seasons), None

    def _paths(self, horizon: int, n: int, rng: np.random.Generator) -> np.ndarray:
        lag = self.lag_
        mean, _ = self._steps(horizon)
        shocks = rng.normal(0.0, self.sigma_, size=(n, horizon))
        # The same season's shocks accumulate: period t+m carries the shock of period t plus its own.
        for j in range(lag, horizon):
            shocks[:, j] += shocks[:, j - lag]
        return mean + shocks
