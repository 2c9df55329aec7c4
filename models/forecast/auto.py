"""``forecast``: the analysts' entry point. Backtest every candidate, keep the best, refit it on
the whole series and forecast, converting 累计值 to 当期值 and back where asked."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from threadpoolctl import threadpool_limits

from models.forecast.backtest import backtest
from models.forecast.base import QUANTILES, as_series
from models.forecast.cumulative import to_cumulative, to_cumulative_paths, to_current
from models.forecast.periods import calendar_of
from models.forecast.registry import make
from models.forecast.result import Forecast

DEFAULT_HORIZON = {"M": 12, "Q": 4, "A": 2}


def forecast(frame, horizon: int, freq: str | None = None, cumulative: bool = False,
             models: list[str] | None = None, origins: int = 3, seed: int = 0, n_paths: int = 1000) -> Forecast:
    """Forecast a series with the model that did best in a rolling-origin backtest.

    Parameters
    ----------
    frame : frame with columns ``period, value`` (polars or pandas)
        Periods as ``2024-03`` (monthly; a series with no January is read as 1–2月 combined),
        ``2024-Q1`` (quarterly) or ``2024`` (annual), in order and without gaps.
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
    seed, n_paths : int
        Simulation seed (results are deterministic for a seed) and paths kept on the result.

    Returns
    -------
    Forecast
        ``to_frame()`` gives ``period, mean, lower_80, upper_80, lower_95, upper_95``; ``model`` is
        the chosen model, ``scores`` its backtest scores and ``candidates`` everyone's, best first;
        ``track_record`` holds what the chosen model forecast from each backtest origin and what
        happened (for a 累计值 series, in 当期值 — the values the model was scored on).

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
    cal = calendar_of(labels, freq)
    notes: list[str] = []
    if cal.jan_feb_combined:
        notes.append("1–2月 combined reporting: modelled as 11 reporting periods a year")
    if cumulative:
        values = to_current(labels, values)
        notes.append("year-to-date totals (累计值) converted to period values (当期值), forecast, and converted back")
    window = min(horizon, cal.season + 1) if cal.season > 1 else min(horizon, 3)
    with threadpool_limits(1):  # BLAS threads slow these small fits down badly on a busy machine
        result = backtest((labels, values), window, models=models, origins=origins, seed=seed)
        chosen = None
        for score in result.scores:  # best first; a model that fails on the whole series gives way
            model = make(score.model, seed=seed, n_paths=n_paths).fit((labels, values))
            if model.used_.name == score.model:
                chosen = (score, model)
                break
            notes.extend(model.notes_)
        score, model = chosen if chosen else (result.scores[-1], model)
        current = model.predict(horizon)
    notes.extend(f"{name} could not be backtested {why}" for name, why in result.failures.items())
    notes.append(f"chosen by backtest: lowest MASE over {score.n_origins} rolling origins")
    current = replace(current, notes=tuple(dict.fromkeys([*notes, *current.notes])), scores=score,
                      candidates=result.scores,
                      track_record=result.points.filter(result.points["model"] == score.model).drop("model"))
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
                    track_record=current.track_record)
