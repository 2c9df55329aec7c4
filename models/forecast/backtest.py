"""Rolling-origin backtest: fit on an expanding window, forecast the next window, score against what
happened, move the origin on. A model never sees the window it is scored on."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from models.forecast.base import MIN_POINTS, ForecastFailed, as_series
from models.forecast.periods import calendar_of
from models.forecast.registry import BASELINE, FORECASTERS, make
from models.forecast.result import Scores


@dataclass(frozen=True)
class BacktestResult:
    """Scores per model (best first) and every scored point, for a track-record chart.

    ``points`` has ``model, origin, period, step, actual, mean, lower_80, upper_80, lower_95,
    upper_95, used`` (``used``: the model that actually forecast, when a candidate gave way to its
    fallback at that origin); ``failures`` maps a model that gave way at some origin to the first
    reason, ``fallbacks`` to the number of origins it gave way at.
    """

    scores: tuple[Scores, ...]
    points: pl.DataFrame
    failures: dict[str, str]
    fallbacks: dict[str, int] = field(default_factory=dict)

    @property
    def best(self) -> Scores:
        return self.scores[0]

    def scores_frame(self) -> pl.DataFrame:
        return pl.DataFrame([s.__dict__ for s in self.scores])


def origins_for(n: int, season: int, horizon: int, origins: int, min_train: int | None = None,
                step: int | None = None) -> list[int]:
    """Cut points (training lengths) of up to ``origins`` windows of ``horizon``, latest last.

    Consecutive origins are ``step`` periods apart (default ``horizon``: windows do not overlap; annual
    series use 1, so that a short series still gives several origins). The earliest keeps at least
    ``min_train`` points (default: a season and two, what seasonal naive needs to repeat a season;
    3 for annual data). The last window may be shorter than ``horizon`` when ``step`` is.
    """
    least = min_train if min_train is not None else (season + 2 if season > 1 else MIN_POINTS)
    step = step or horizon
    cuts = [n - step * k for k in range(origins, 0, -1)]
    return [c for c in cuts if c >= least]


def mase_scale(train: np.ndarray, season: int) -> float:
    """Mean absolute error of the seasonal-naive forecast inside the training window."""
    lag = season if len(train) > season else 1
    diffs = np.abs(train[lag:] - train[:-lag])
    return float(diffs.mean()) if diffs.size else float("nan")


def backtest(series, horizon: int, models: list[str] | None = None, origins: int = 3,
             min_train: int | None = None, seed: int = 0, step: int | None = None,
             params: dict | None = None) -> BacktestResult:
    """Score each model by rolling-origin evaluation on ``series`` (frame with ``period, value``).

    Parameters
    ----------
    series : frame with ``period, value`` (polars or pandas)
    horizon : int
        Periods forecast from each origin (e.g. 12 for a monthly series).
    models : list of registry names, default all (``models.forecast.registry.FORECASTERS``)
        The seasonal-naive baseline is always included.
    origins : int, default 3
        Number of non-overlapping windows, the latest ending at the last observation.
    min_train : int, optional
        The least training length for the earliest window.
    step : int, optional
        Periods between consecutive origins (default ``horizon``: non-overlapping windows).
    params : dict, optional
        Passed to every candidate that takes them (e.g. ``{"festival": "stock"}``).

    A candidate that cannot be fitted at an origin (too short for it, or its fit fails) is scored on
    what its fallback forecast there, as a user would have been given; ``fallbacks`` counts those.

    Returns
    -------
    BacktestResult
        Scores sorted by MASE (sMAPE breaks ties), the scored points, and any failures.

    Examples
    --------
    >>> import polars as pl
    >>> from models import backtest
    >>> frame = pl.DataFrame({"period": [f"{y}-Q{q}" for y in range(2015, 2025) for q in range(1, 5)],
    ...                       "value": [100 + 5 * i + (10 if i % 4 == 3 else 0) for i in range(40)]})
    >>> result = backtest(frame, horizon=4)
    >>> result.best.mase < result.best.baseline_mase
    True
    """
    labels, y = as_series(series)
    season = calendar_of(labels).season
    names = list(dict.fromkeys([BASELINE, *(models or FORECASTERS)]))
    cuts = origins_for(len(y), season, horizon, origins, min_train, step)
    if not cuts:
        least = min_train if min_train is not None else (season + 2 if season > 1 else MIN_POINTS)
        raise ValueError(f"{len(y)} periods are too few to backtest a horizon of {horizon} "
                         f"(needs at least {least + min(horizon, step or horizon)})")
    rows, failures, fallbacks = [], {}, {}
    for name in names:
        for cut in cuts:
            train = (labels[:cut], y[:cut])
            model = make(name, seed=seed, n_paths=0, **(params or {}))
            try:
                forecast = model.fit(train).predict(horizon)
            except ForecastFailed as failure:  # the whole chain failed: nothing to score here
                failures.setdefault(name, f"at origin {labels[cut - 1]}: {failure}")
                continue
            if model.used_ is not model:
                fallbacks[name] = fallbacks.get(name, 0) + 1
                failures.setdefault(name, f"at origin {labels[cut - 1]}: {model.notes_[0]}")
            actual = y[cut:cut + horizon]
            k = len(actual)
            rows.append({"model": name, "used": model.used_.name, "origin": labels[cut - 1], "period": labels[cut:cut + k],
                         "step": list(range(1, k + 1)), "actual": actual, "mean": forecast.mean[:k],
                         "lower_80": forecast.lower_80[:k], "upper_80": forecast.upper_80[:k],
                         "lower_95": forecast.lower_95[:k], "upper_95": forecast.upper_95[:k],
                         "scale": np.full(k, mase_scale(y[:cut], season))})
    if not any(r["model"] == BASELINE for r in rows):
        raise ValueError(f"the seasonal-naive baseline cannot be backtested: {failures.get(BASELINE)}")
    points = pl.concat([pl.DataFrame({k: (v if isinstance(v, (list, np.ndarray)) else [v] * len(r["step"]))
                                      for k, v in r.items()}) for r in rows])
    scored = _score(points)
    baseline = scored[BASELINE].mase
    scores = [Scores(model=name, baseline_mase=baseline, n_origins=len(cuts), **values.__dict__)
              for name, values in scored.items()]
    scores.sort(key=lambda s: (np.nan_to_num(s.mase, nan=np.inf), np.nan_to_num(s.smape, nan=np.inf),
                               names.index(s.model)))
    return BacktestResult(tuple(scores), points.drop("scale"), failures, fallbacks)


@dataclass(frozen=True)
class _Values:
    mase: float
    smape: float
    coverage_80: float
    coverage_95: float
    n_points: int


def _score(points: pl.DataFrame) -> dict[str, _Values]:
    error = (pl.col("actual") - pl.col("mean")).abs()
    denominator = pl.col("actual").abs() + pl.col("mean").abs()
    table = points.group_by("model", maintain_order=True).agg(
        (error / pl.col("scale")).mean().alias("mase"),
        (200 * pl.when(denominator > 0).then(error / denominator).otherwise(0.0)).mean().alias("smape"),
        pl.col("actual").is_between(pl.col("lower_80"), pl.col("upper_80")).mean().alias("coverage_80"),
        pl.col("actual").is_between(pl.col("lower_95"), pl.col("upper_95")).mean().alias("coverage_95"),
        pl.len().alias("n_points"),
    )
    return {r["model"]: _Values(float(r["mase"]), float(r["smape"]), float(r["coverage_80"]),
                                float(r["coverage_95"]), int(r["n_points"])) for r in table.iter_rows(named=True)}
