"""Exponential smoothing (Holt–Winters) from statsmodels."""

from __future__ import annotations

import numpy as np
from statsmodels.tsa.holtwinters import ExponentialSmoothing

from models.forecast.base import QUANTILES, ForecastFailed, Forecaster


class ETS(Forecaster):
    """Additive Holt–Winters exponential smoothing (trend and season), fitted by statsmodels.

    On logarithms by default, so trend and season are multiplicative on the original scale.
    Intervals come from simulating the fitted model with its own residuals' spread.

    Parameters
    ----------
    trend : {"add", None}, default "add"
    damped : bool or "auto", default "auto"
        Damp the trend towards flat; ``"auto"`` damps it for annual data, where a trend carried
        on for years is the usual way a forecast goes wrong (growth slows).
    seasonal : {"add", None}, default "add"
        Ignored for annual data (no season).
    log : bool or "auto", default "auto"
    seed, n_paths : int
        Random seed (the simulation is deterministic for a seed) and number of paths returned.
    """

    name = "ets"
    fallback = "drift"
    min_seasons = 2
    min_annual = 8

    def __init__(self, trend: str | None = "add", damped: bool | str = "auto", seasonal: str | None = "add",
                 log: bool | str = "auto", seed: int = 0, n_paths: int = 1000):
        super().__init__(log=log, seed=seed, n_paths=n_paths)
        self.trend = trend
        self.damped = damped
        self.seasonal = seasonal

    def _fit(self, z: np.ndarray) -> None:
        m = self.calendar_.season
        seasonal = self.seasonal if m > 1 else None
        damped = (m == 1) if self.damped == "auto" else bool(self.damped)
        model = ExponentialSmoothing(z, trend=self.trend, damped_trend=damped and self.trend is not None,
                                     seasonal=seasonal, seasonal_periods=m if seasonal else None,
                                     initialization_method="estimated")
        self.result_ = model.fit(use_brute=False)
        retvals = getattr(self.result_, "mle_retvals", None)
        if retvals is not None and not getattr(retvals, "success", True):
            raise ForecastFailed("the smoothing-parameter optimisation did not converge")

    def _simulate(self, horizon: int, n: int, rng: np.random.Generator) -> np.ndarray:
        return np.asarray(self.result_.simulate(horizon, repetitions=n, anchor="end", error="add",
                                                rng=rng)).reshape(horizon, n).T

    def _predict(self, horizon: int):
        mean = np.asarray(self.result_.forecast(horizon), dtype=float)
        sims = self._simulate(horizon, 500, np.random.default_rng(self.seed + 1))
        # Centre the simulated spread on the point forecast so mean and bounds agree exactly.
        spread = sims - sims.mean(axis=0)
        return mean, None, mean + np.quantile(spread, QUANTILES, axis=0)

    def _paths(self, horizon: int, n: int, rng: np.random.Generator) -> np.ndarray:
        return self._simulate(horizon, n, rng)
