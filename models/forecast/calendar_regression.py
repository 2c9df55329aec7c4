"""A regression on calendar features (trend, season, Spring Festival) from scikit-learn."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import Ridge

from models.forecast.base import Forecaster
from models.forecast.holidays import festival_kind, festival_regressor


class CalendarRegression(Forecaster):
    """Ridge regression of the (log) series on a linear trend, one dummy per reporting period and,
    for monthly data that report January, the Spring Festival share of the month.

    Residuals are treated as independent, so intervals are the residual spread widened for the
    distance of the trend extrapolation; the backtest measures how well that holds.

    Parameters
    ----------
    alpha : float, default 1.0
        Ridge penalty (on standardised features).
    festival : {"flow", "stock"} or bool, default "flow"
        The Spring Festival regressors (``models.forecast.holidays``) for monthly data that report January.
    log : bool or "auto", default "auto"
    seed, n_paths : int
    """

    name = "calendar_regression"
    fallback = "drift"
    min_seasons = 2
    min_annual = 6

    def __init__(self, alpha: float = 1.0, festival: bool | str = "flow", log: bool | str = "auto",
                 seed: int = 0, n_paths: int = 1000):
        super().__init__(log=log, seed=seed, n_paths=n_paths)
        self.alpha = alpha
        self.festival = festival

    def _features(self, labels: list[str], start: int) -> np.ndarray:
        cal = self.calendar_
        t = (start + np.arange(len(labels), dtype=float))[:, None] / cal.season
        columns = [t]
        if cal.season > 1:
            index = np.array([cal.position(x)[1] for x in labels])
            columns.append((index[:, None] == np.arange(1, cal.season)[None, :]).astype(float))
            kind = festival_kind(self.festival)
            if kind and cal.freq == "M" and not cal.jan_feb_combined:
                columns.append(festival_regressor(labels, kind))
        return np.hstack(columns)

    def _fit(self, z: np.ndarray) -> None:
        x = self._features(self.labels_, 0)
        self.center_, self.scale_ = x.mean(axis=0), x.std(axis=0)
        self.scale_[self.scale_ == 0] = 1.0
        self.model_ = Ridge(alpha=self.alpha).fit((x - self.center_) / self.scale_, z)
        residuals = z - self.model_.predict((x - self.center_) / self.scale_)
        dof = max(len(z) - x.shape[1] - 1, 1)
        self.sigma_ = float(np.sqrt(np.sum(residuals**2) / dof))

    def _predict(self, horizon: int):
        future = self.calendar_.following(self.labels_[-1], horizon)
        x = self._features(future, len(self.labels_))
        mean = self.model_.predict((x - self.center_) / self.scale_)
        n = len(self.labels_)
        # The trend's uncertainty grows with the distance from the data's centre (simple-regression leverage).
        t = np.arange(n, n + horizon, dtype=float)
        centre, spread = (n - 1) / 2, np.sum((np.arange(n) - (n - 1) / 2) ** 2)
        sd = self.sigma_ * np.sqrt(1 + 1 / n + (t - centre) ** 2 / spread)
        return mean, sd, None

    def _paths(self, horizon: int, n: int, rng: np.random.Generator) -> np.ndarray:
        mean, sd, _ = self._predict(horizon)
        return mean + rng.normal(size=(n, horizon)) * sd
