"""The forecasters, by name: the one way a forecaster is added, and what the contract tests and the
automatic choice iterate over. Order matters: on equal backtest scores the earlier (simpler) wins."""

from __future__ import annotations

from models.forecast.base import Forecaster
import inspect

from models.forecast.calendar_regression import CalendarRegression
from models.forecast.drift import Drift
from models.forecast.ets import ETS
from models.forecast.sarimax import SARIMAX
from models.forecast.seasonal_naive import SeasonalNaive

FORECASTERS: dict[str, type[Forecaster]] = {
    cls.name: cls for cls in (SeasonalNaive, Drift, ETS, SARIMAX, CalendarRegression)
}
BASELINE = SeasonalNaive.name


def make(name: str, **params) -> Forecaster:
    """A new, unfitted forecaster by registry name; parameters it does not take (e.g. ``festival`` for
    seasonal naive) are left out, so callers can pass one set to every candidate."""
    try:
        cls = FORECASTERS[name]
    except KeyError:
        raise ValueError(f"unknown forecaster {name!r}; choose from {', '.join(FORECASTERS)}") from None
    accepted = inspect.signature(cls.__init__).parameters
    return cls(**{k: v for k, v in params.items() if k in accepted})
