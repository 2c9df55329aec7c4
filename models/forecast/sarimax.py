"""Seasonal ARIMA with exogenous regressors (the Spring Festival) from statsmodels."""

from __future__ import annotations

import numpy as np
from statsmodels.tsa.statespace.sarimax import SARIMAX as _SARIMAX

from models.forecast.base import ForecastFailed, Forecaster
from models.forecast.holidays import festival_kind, festival_regressor


class SARIMAX(Forecaster):
    """SARIMA(p,d,q)(P,D,Q)m with the Spring Festival regressors for monthly data that report January.

    The default is the "airline" model (0,1,1)(0,1,1)m, a robust choice for trending seasonal
    economic series; annual data get ARIMA(0,1,1) with a constant. With one difference the constant
    is the drift: the yearly change of the logs, the same every year (statsmodels' ``trend="c"``
    enters the differenced equation; ``trend="t"`` there would make the drift itself grow every year).
    Intervals are the model's analytic ones; a model whose optimiser does not converge falls back to
    exponential smoothing.

    Parameters
    ----------
    order : tuple, default (0, 1, 1)
    seasonal_order : tuple, default (0, 1, 1)
        (P, D, Q); the season length comes from the data's calendar (12, 11 for 1–2月 combined, 4).
    festival : {"flow", "stock"} or bool, default "flow"
        The Spring Festival regressors for a series with a January of its own: ``"flow"`` for values
        that cover the month (当期), ``"stock"`` for values read at its end (期末); see
        ``models.forecast.holidays``. ``False`` leaves them out.
    log : bool or "auto", default "auto"
    seed, n_paths : int
    """

    name = "sarimax"
    fallback = "ets"
    min_seasons = 3
    min_annual = 6

    def __init__(self, order: tuple = (0, 1, 1), seasonal_order: tuple = (0, 1, 1), festival: bool | str = "flow",
                 log: bool | str = "auto", seed: int = 0, n_paths: int = 1000):
        super().__init__(log=log, seed=seed, n_paths=n_paths)
        self.order = tuple(order)
        self.seasonal_order = tuple(seasonal_order)
        self.festival = festival

    def _exog(self, labels: list[str]) -> np.ndarray | None:
        cal, kind = self.calendar_, festival_kind(self.festival)
        if not (kind and cal.freq == "M" and not cal.jan_feb_combined):
            return None
        return festival_regressor(labels, kind)

    def _future(self, horizon: int) -> list[str]:
        return self.calendar_.following(self.labels_[-1], horizon)

    def _fit(self, z: np.ndarray) -> None:
        m = self.calendar_.season
        seasonal = (*self.seasonal_order, m) if m > 1 else (0, 0, 0, 0)
        differenced = self.order[1] + (seasonal[1] if m > 1 else 0)
        trend = "c" if m == 1 and differenced == 1 else None  # a constant drift for annual data
        exog = self._exog(self.labels_)
        if exog is not None and not np.any(np.ptp(exog, axis=0) > 0):
            exog = None  # e.g. a stretch of months the festival never touches: nothing to estimate
        self.exog_used_ = exog is not None
        model = _SARIMAX(z, exog=exog, order=self.order, seasonal_order=seasonal, trend=trend,
                         concentrate_scale=True)
        self.result_ = model.fit(disp=False)
        if not self.result_.mle_retvals.get("converged", True):
            raise ForecastFailed("the likelihood optimisation did not converge")

    def _future_exog(self, horizon: int) -> np.ndarray | None:
        return self._exog(self._future(horizon)) if self.exog_used_ else None

    def _predict(self, horizon: int):
        prediction = self.result_.get_forecast(horizon, exog=self._future_exog(horizon))
        return np.asarray(prediction.predicted_mean, dtype=float), np.sqrt(np.asarray(prediction.var_pred_mean)), None

    def _paths(self, horizon: int, n: int, rng: np.random.Generator) -> np.ndarray:
        sims = self.result_.simulate(horizon, repetitions=n, anchor="end", exog=self._future_exog(horizon), rng=rng)
        return np.asarray(sims).reshape(horizon, n).T
