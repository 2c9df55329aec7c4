"""What every forecaster shares: input checking, the log transform, the fitted-state check, the
blow-up check and the fallback to the next model when fitting fails or does not converge.

A forecaster implements ``_fit(z)`` (``z``: the series, logged when ``log_`` is true),
``_predict(horizon) -> (mean, sd_or_None, quantiles_or_None)`` and ``_paths(horizon, n, rng)``, all
on that scale; this class turns them into a ``Forecast`` on the original scale.
"""

from __future__ import annotations

import warnings
from abc import ABC, abstractmethod

import numpy as np
from scipy import stats

from models.forecast.periods import Calendar, calendar_of
from models.forecast.result import Forecast

Z80, Z95 = stats.norm.ppf(0.9), stats.norm.ppf(0.975)
QUANTILES = (0.025, 0.1, 0.9, 0.975)
MIN_POINTS = 3  # every series this long gets a forecast (the last fallback, seasonal naive, needs no more)


class ForecastFailed(RuntimeError):
    """A model could not be fitted or produced an unusable forecast."""


class NotFittedError(RuntimeError):
    """``predict`` was called before ``fit``."""


def as_series(series) -> tuple[list[str], np.ndarray]:
    """(labels, values) from a frame with ``period, value`` (polars or pandas) or a pair of sequences.

    Raises ``ValueError`` naming the first period whose value is missing or not finite.
    """
    if isinstance(series, tuple) and len(series) == 2:
        labels, values = series
    else:
        columns = list(getattr(series, "columns", []))
        if "period" not in columns or "value" not in columns:
            raise ValueError(f"a series needs columns 'period' and 'value'; got {columns}")
        labels, values = series["period"], series["value"]
    labels = [str(x) for x in list(labels)]
    values = np.array([np.nan if v is None else v for v in list(values)], dtype=float)
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        raise ValueError(f"the value for period {labels[bad[0]]} is missing or not finite")
    return labels, values


class Forecaster(ABC):
    """Base class. Subclasses set ``name`` and ``fallback`` (the registry name of the next model to
    try when this one fails), and take their parameters as keyword arguments in ``__init__``."""

    name = "base"
    fallback: str | None = "seasonal_naive"
    min_seasons = 1  # full seasons of data needed to fit; fewer → ForecastFailed (and the fallback)
    min_annual = 3  # the same for annual data (a season of 1), where "seasons + 2" would be too few

    @classmethod
    def min_points(cls, season: int) -> int:
        """The shortest series this model fits on (for a season of ``season`` periods); shorter → its fallback."""
        return cls.min_annual if season == 1 else cls.min_seasons * season + 2

    def __init__(self, log: bool | str = "auto", seed: int = 0, n_paths: int = 1000):
        self.log = log
        self.seed = seed
        self.n_paths = n_paths

    # -- estimator API -------------------------------------------------------------------------
    def get_params(self) -> dict:
        return {k: v for k, v in vars(self).items() if not k.endswith("_") and k != "fallback"}

    def fit(self, series) -> "Forecaster":
        """Fit to a series (frame with ``period, value``); returns ``self``.

        If this model fails, does not converge or forecasts something absurd, the fallback model is
        fitted instead and ``notes_`` says so; ``used_`` is the model that will predict.
        """
        labels, values = as_series(series)
        if len(values) < MIN_POINTS:
            raise ValueError(f"a forecast needs at least {MIN_POINTS} periods; the series has {len(values)}")
        self.calendar_: Calendar = calendar_of(labels)
        self.labels_, self.y_ = labels, values
        self.notes_: list[str] = []
        try:
            self._fit_checked()
            self.used_ = self
        except ForecastFailed as failure:
            if self.fallback is None:
                raise
            from models.forecast.registry import make

            nxt = make(self.fallback, **self._fallback_params()).fit((labels, values))
            self.notes_ = [f"{self.name} failed ({failure}); fell back to {nxt.used_.name}", *nxt.notes_]
            self.used_ = nxt.used_
        return self

    def _fallback_params(self) -> dict:
        """What the next model inherits: seed, paths and (where both take it) the festival kind."""
        return {"seed": self.seed, "n_paths": self.n_paths,
                **({"festival": self.festival} if hasattr(self, "festival") else {})}

    def predict(self, horizon: int) -> Forecast:
        """Forecast ``horizon`` periods after the last observed one."""
        if not hasattr(self, "used_"):
            raise NotFittedError(f"{type(self).__name__} is not fitted yet; call fit(series) first")
        if horizon < 1:
            raise ValueError(f"horizon must be at least 1, got {horizon}")
        model = self.used_
        mean, lo80, hi80, lo95, hi95, paths = model._forecast_original(horizon, with_paths=self.n_paths > 0)
        return Forecast(tuple(self.calendar_.following(self.labels_[-1], horizon)), mean, lo80, hi80, lo95, hi95,
                        model=model.name, notes=tuple(self.notes_), paths=paths)

    # -- shared machinery ----------------------------------------------------------------------
    def _fit_checked(self) -> None:
        m = self.calendar_.season
        if len(self.y_) < self.min_points(m):
            raise ForecastFailed(f"needs at least {self.min_points(m)} periods, has {len(self.y_)}")
        self.log_ = bool(self.log is True or (self.log == "auto" and np.all(self.y_ > 0)))
        if self.log is True and not np.all(self.y_ > 0):
            raise ForecastFailed("log=True needs positive values")
        z = np.log(self.y_) if self.log_ else self.y_
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                self._fit(z)
            except (ValueError, np.linalg.LinAlgError, FloatingPointError) as error:
                raise ForecastFailed(str(error).splitlines()[0][:200]) from error
        if any("converge" in str(w.message).lower() for w in caught):
            raise ForecastFailed("the likelihood optimisation did not converge")
        self._check_sane(*self._forecast_original(2 * max(m, 2), with_paths=False)[:5])

    def _check_sane(self, mean, lo80, hi80, lo95, hi95) -> None:
        """A forecast two seasons out that leaves the data's range by ten times its span is a blow-up.

        The span is at least a tenth of the largest value: three or four points of a steady series have
        a span far smaller than the honest width of a forecast two years out."""
        span = max(float(np.ptp(self.y_)), 0.1 * float(np.abs(self.y_).max())) or 1.0
        low, high = self.y_.min() - 10 * span, self.y_.max() + 10 * span
        for array in (mean, lo80, hi80):  # the 95% band of a honest 3-point forecast may be that wide
            if not np.all(np.isfinite(array)) or array.min() < low or array.max() > high:
                raise ForecastFailed("its forecast blows up (leaves the data's range by more than ten times its span)")

    def _rng(self) -> np.random.Generator:
        return np.random.default_rng(self.seed)

    def _forecast_original(self, horizon: int, with_paths: bool):
        """mean, 80% and 95% bounds and (if asked) simulated paths, on the original scale."""
        mean_z, sd_z, quantiles_z = self._predict(horizon)
        paths_z = self._paths(horizon, self.n_paths, self._rng()) if with_paths else None
        if quantiles_z is None:
            quantiles_z = np.stack([mean_z - Z95 * sd_z, mean_z - Z80 * sd_z, mean_z + Z80 * sd_z, mean_z + Z95 * sd_z])
        lo95, lo80, hi80, hi95 = quantiles_z
        if not self.log_:
            return mean_z, lo80, hi80, lo95, hi95, paths_z
        # exp of a quantile is the quantile; the mean of a log-normal is exp(mu + s²/2).
        sd = sd_z if sd_z is not None else (hi80 - lo80) / (2 * Z80)
        return (np.exp(mean_z + sd**2 / 2), np.exp(lo80), np.exp(hi80), np.exp(lo95), np.exp(hi95),
                None if paths_z is None else np.exp(paths_z))

    # -- what each forecaster implements ---------------------------------------------------------
    @abstractmethod
    def _fit(self, z: np.ndarray) -> None:
        """Estimate the model on ``z`` (the series, logged when ``log_``)."""

    @abstractmethod
    def _predict(self, horizon: int) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        """(mean, standard deviation, None) or (mean, None, quantiles at ``QUANTILES``) per step."""

    @abstractmethod
    def _paths(self, horizon: int, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` simulated futures of ``horizon`` steps (rows = paths), on the model's scale."""

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"
