"""Immutable forecast results with a tidy frame, in the manner of statsmodels' ``summary_frame``."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

INTERVAL_COLUMNS = ("lower_80", "upper_80", "lower_95", "upper_95")


@dataclass(frozen=True)
class Scores:
    """Rolling-origin backtest scores of one model on one series.

    ``mase``: mean absolute error scaled by the in-sample seasonal-naive error of each training
    window (below 1 beats that naive forecast); ``smape`` in percent; ``coverage_80/95``: share of
    held-out values inside the 80%/95% intervals; ``baseline_mase``: the seasonal-naive model's
    MASE on the same windows; ``n_origins``/``n_points``: how many windows and values were scored.
    """

    model: str
    mase: float
    smape: float
    coverage_80: float
    coverage_95: float
    baseline_mase: float
    n_origins: int
    n_points: int


@dataclass(frozen=True)
class Forecast:
    """A forecast: mean and 80%/95% intervals per future period, the model that made it and why.

    ``notes`` says what happened on the way (a model that did not converge and was replaced, the
    1–2月 combined calendar, a conversion from 累计值). ``scores`` are the chosen model's backtest
    scores and ``candidates`` every candidate's, when the forecast came from ``models.forecast``.
    ``paths`` are simulated futures (rows) for probabilities such as meeting a target. A forecast
    of year-to-date totals (累计值) keeps the period-value forecast it was built from in ``current``.
    """

    periods: tuple[str, ...]
    mean: np.ndarray
    lower_80: np.ndarray
    upper_80: np.ndarray
    lower_95: np.ndarray
    upper_95: np.ndarray
    model: str
    notes: tuple[str, ...] = ()
    scores: Scores | None = None
    candidates: tuple[Scores, ...] = ()
    paths: np.ndarray | None = field(default=None, repr=False)
    current: "Forecast | None" = field(default=None, repr=False)  # 当期值 behind a 累计值 forecast
    track_record: pl.DataFrame | None = field(default=None, repr=False)  # the chosen model's backtest points
    calibration: object | None = field(default=None, repr=False)  # models.forecast.calibration.Calibration applied

    def __post_init__(self) -> None:
        for name in ("mean", *INTERVAL_COLUMNS):
            array = np.asarray(getattr(self, name), dtype=float).copy()
            if array.shape != (len(self.periods),):
                raise ValueError(f"{name} has {array.shape} values for {len(self.periods)} periods")
            array.setflags(write=False)
            object.__setattr__(self, name, array)
        if self.paths is not None:
            paths = np.asarray(self.paths, dtype=float).copy()
            paths.setflags(write=False)
            object.__setattr__(self, "paths", paths)

    @property
    def horizon(self) -> int:
        return len(self.periods)

    def to_frame(self) -> pl.DataFrame:
        """One row per future period: ``period, mean, lower_80, upper_80, lower_95, upper_95``."""
        return pl.DataFrame({"period": list(self.periods), "mean": self.mean,
                             **{c: getattr(self, c) for c in INTERVAL_COLUMNS}})

    def scores_frame(self) -> pl.DataFrame:
        """Every candidate's backtest scores, best first (empty if the forecast was not backtested)."""
        rows = [s.__dict__ for s in self.candidates]
        return pl.DataFrame(rows) if rows else pl.DataFrame()

    def summary(self) -> str:
        lines = [f"Forecast of {self.horizon} period(s), {self.periods[0]}–{self.periods[-1]}, by {self.model}"]
        if self.scores:
            s = self.scores
            lines.append(f"backtest: MASE {s.mase:.2f} (seasonal naive {s.baseline_mase:.2f}), sMAPE {s.smape:.1f}%, "
                         f"coverage {s.coverage_80:.0%} / {s.coverage_95:.0%} of 80% / 95% intervals "
                         f"over {s.n_origins} origins")
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)
