"""Backtested forecasts with intervals: ``forecast``, ``backtest`` and the forecasters."""

from models.forecast.auto import forecast
from models.forecast.backtest import BacktestResult, backtest
from models.forecast.base import ForecastFailed, Forecaster, NotFittedError
from models.forecast.registry import FORECASTERS
from models.forecast.result import Forecast, Scores

__all__ = ["forecast", "backtest", "BacktestResult", "Forecast", "Scores", "Forecaster", "ForecastFailed",
           "NotFittedError", "FORECASTERS"]
