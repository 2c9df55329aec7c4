"""``forecast``: the analysts' entry point. Backtest every candidate, keep the best, refit it on
the whole series and forecast, converting 累计值 to 当期值 and back where asked."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import polars as pl
from threadpoolctl import threadpool_limits

from models.forecast.backtest import backtest
from models.forecast.base import MIN_POINTS, QUANTILES, as_series
from models.forecast.calibration import Calibration, calibration_from, recalibrate, standardized_errors
from models.forecast.cumulative import to_cumulative, to_cumulative_paths, to_current
from models.forecast.periods import calendar_of
from models.forecast.registry import BASELINE, make
from models.forecast.result import Forecast

DEFAULT_HORIZON = {"M": 12, "Q": 4, "A": 2}


ANNUAL_ORIGINS = 6  # annual fits are cheap and each series has few years: more origins, one year apart
ANNUAL_WINDOW = 3  # years ahead scored from each annual origin
SHORT_DEFAULT = "drift"  # too short to backtest: random walk with drift (its fallback repeats the last value)
# Annual series: a handful of yearly origins picks a "winner" by luck as often as by merit. On the
# development panel (provincial GDP 1990–2009, 186 origin-series) every rule that switched away from
# a fixed model on backtest evidence lost to keeping it — even demanding a 30% lower backtest MASE —
# and ARIMA(0,1,1) with a constant on logs beat drift (median MASE 0.89 against 1.02, better in 55%),
# while damped ETS (2.6) and the trend regression lost badly (docs/benchmarks.md). So annual series are
# forecast by ARIMA with a constant, or drift where ARIMA cannot be fitted (fewer than 6 years, or no
# convergence); every candidate is still backtested, scored and published, and calibrates the intervals.
ANNUAL_ORDER = ("sarimax", "drift")


def choice_order(scores, season: int) -> list:
    """The order in which candidates are tried (each gives way to the next if it cannot be fitted on the
    whole series): by backtest MASE, except for annual data (``ANNUAL_ORDER`` first; repeating the last
    value, the seasonal-naive baseline, last of all)."""
    ranked = list(scores)
    if season != 1:
        return ranked
    first = [s for name in ANNUAL_ORDER for s in ranked if s.model == name]
    rest = [s for s in ranked if s not in first]
    return [*first, *[s for s in rest if s.model != BASELINE], *[s for s in rest if s.model == BASELINE]]


def forecast(frame, horizon: int, freq: str | None = None, cumulative: bool = False,
             models: list[str] | None = None, origins: int = 3, seed: int = 0, n_paths: int = 1000,
             festival: str | None = "flow", calibration="auto") -> Forecast:
    """Forecast a series with the model that did best in a rolling-origin backtest.

    Parameters
    ----------
    frame : frame with columns ``period, value`` (polars or pandas)
        Periods as ``2024-03`` (monthly; a series with no January is read as 1–2月 combined),
        ``2024-Q1`` (quarterly) or ``2024`` (annual), in order and without gaps; at least 3 of them.
    horizon : int
        Number of periods to forecast.
    freq : {"M", "Q", "A"}, optional
        Checked against the periods when given.
    cumulative : bool, default False
        ``value`` is a year-to-date total (累计值): models forecast each period's own value (当期值)
        and the result is converted back to year-to-date totals; ``Forecast.notes`` says so.
    models : list of registry names, optional
        Candidates (default: every forecaster in ``models.forecast.registry.FORECASTERS``).
    origins : int, default 3
        Backtest windows (each ``horizon`` long, capped at one season plus one for the scoring).
        Annual series use at least 6 origins one year apart, each scored up to 3 years ahead.
    seed, n_paths : int
        Simulation seed (results are deterministic for a seed) and paths kept on the result.
    festival : {"flow", "stock"} or None, default "flow"
        Which Spring Festival regressors monthly candidates use: ``"flow"`` for values covering the
        month (当期), ``"stock"`` for values read at its end (期末值) — the indicator declares which
        (``data_marts.indicators.Indicator.aggregation``); ``None`` for none.
    calibration : "auto", ``Calibration`` or None, default "auto"
        Interval calibration (``models.forecast.calibration``): ``"auto"`` stretches the intervals by
        conformal quantiles of the chosen model's own backtest errors when they come from at least
        ``MIN_WINDOWS`` origins; a ``Calibration`` (e.g. pooled over similar series) is applied as given;
        ``None`` keeps the model's own intervals.

    Returns
    -------
    Forecast
        ``to_frame()`` gives ``period, mean, lower_80, upper_80, lower_95, upper_95``; ``model`` is
        the chosen model, ``scores`` its backtest scores and ``candidates`` everyone's, best first;
        ``track_record`` holds what the chosen model forecast from each backtest origin and what
        happened (for a 累计值 series, in 当期值 — the values the model was scored on). A series too
        short to backtest is forecast by random walk with drift (or, shorter still, by repeating its
        last value), without scores, and ``notes`` says so.

    Examples
    --------
    >>> import polars as pl
    >>> from models import forecast
    >>> frame = pl.DataFrame({"period": [str(y) for y in range(2006, 2025)],
    ...                       "value": [2292.3 * 1.12 ** i for i in range(19)]})
    >>> result = forecast(frame, horizon=2, freq="A")
    >>> result.to_frame().columns
    ['period', 'mean', 'lower_80', 'upper_80', 'lower_95', 'upper_95']
    """
    labels, values = as_series(frame)
    if len(values) < MIN_POINTS:
        raise ValueError(f"a forecast needs at least {MIN_POINTS} periods; the series has {len(values)}")
    cal = calendar_of(labels, freq)
    notes: list[str] = []
    if cal.jan_feb_combined:
        notes.append("1–2月 combined reporting: modelled as 11 reporting periods a year")
    if cumulative:
        values = to_current(labels, values)
        notes.append("year-to-date totals (累计值) converted to period values (当期值), forecast, and converted back")
    params = {"seed": seed, "n_paths": n_paths, "festival": festival}
    if cal.season > 1:
        window, step = min(horizon, cal.season + 1), None
    else:
        window, step, origins = min(horizon, ANNUAL_WINDOW), 1, max(origins, ANNUAL_ORIGINS)
    with threadpool_limits(1):  # BLAS threads slow these small fits down badly on a busy machine
        try:
            result = backtest((labels, values), window, models=models, origins=origins, seed=seed, step=step,
                              params={"festival": festival})
        except ValueError:
            result = None
        if result is None:
            model = make(SHORT_DEFAULT, **params).fit((labels, values))
            current = model.predict(horizon)
            notes.append(f"{len(values)} periods are too few to backtest: {model.used_.name} was used without a choice")
            current = replace(current, notes=tuple(dict.fromkeys([*notes, *current.notes])),
                              track_record=pl.DataFrame())
            if isinstance(calibration, Calibration):
                current = recalibrate(current, calibration)
            return _back_to_cumulative(labels, values, current) if cumulative else current
        chosen = None
        for score in choice_order(result.scores, cal.season):  # a model that fails on the whole series gives way
            model = make(score.model, **params).fit((labels, values))
            if model.used_.name == score.model:
                chosen = (score, model)
                break
            notes.extend(model.notes_)
        score, model = chosen if chosen else (result.scores[-1], model)
        current = model.predict(horizon)
    notes.extend(f"{name} gave way to its fallback at {result.fallbacks.get(name, 0)} of {score.n_origins} origins "
                 f"({why})" for name, why in result.failures.items() if name == score.model)
    if cal.season == 1:
        notes.append(f"annual series: {score.model} (ARIMA with a constant, else drift); every candidate backtested "
                     f"over {score.n_origins} origins, scores published")
    else:
        notes.append(f"chosen by backtest: lowest MASE over {score.n_origins} rolling origins")
    record = result.points.filter(result.points["model"] == score.model).drop("model")
    current = replace(current, notes=tuple(dict.fromkeys([*notes, *current.notes])), scores=score,
                      candidates=result.scores, track_record=record)
    if calibration == "auto":
        calibration = calibration_from(standardized_errors(record), "own backtest")  # None below MIN_WINDOWS
    if isinstance(calibration, Calibration):
        current = recalibrate(current, calibration)
    return _back_to_cumulative(labels, values, current) if cumulative else current


def _back_to_cumulative(labels: list[str], current_values: np.ndarray, current: Forecast) -> Forecast:
    cal = calendar_of(labels)
    _, index = cal.position(labels[-1])
    this_year = current_values[len(labels) - 1 - index:] if index < cal.season - 1 else np.array([])
    carried = float(this_year.sum())
    periods = list(current.periods)
    mean = to_cumulative(periods, current.mean, carried)
    if current.paths is None:
        raise ValueError("converting a forecast to year-to-date totals needs simulated paths (n_paths > 0)")
    paths = to_cumulative_paths(periods, current.paths, carried)
    lo95, lo80, hi80, hi95 = np.quantile(paths, QUANTILES, axis=0)
    return Forecast(current.periods, mean, lo80, hi80, lo95, hi95, model=current.model, notes=current.notes,
                    scores=current.scores, candidates=current.candidates, paths=paths, current=current,
                    track_record=current.track_record, calibration=current.calibration)
