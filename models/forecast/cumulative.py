"""累计值 ↔ 当期值: Chinese statistics often publish year-to-date totals (累计). Models forecast the
value of each period (当期) and convert back, so a forecast of the year-to-date total is the known
total so far plus the forecast of the periods still to come.

The first reporting period of a year is its own year-to-date total; with 1–2月 combined reporting
that is February's figure, covering two months.
"""

from __future__ import annotations

import numpy as np

from models.forecast.periods import calendar_of


def to_current(labels: list[str], cumulative: list[float] | np.ndarray) -> np.ndarray:
    """Year-to-date totals → the value of each period (当期值).

    Raises ``ValueError`` if a year's first reporting period is missing, since the first value
    would otherwise be read as one period's value when it covers several.
    """
    cal = calendar_of(labels)
    values = np.asarray(cumulative, dtype=float)
    year0, index0 = cal.position(labels[0])
    if index0 != 0:
        raise ValueError(f"a year-to-date series must start at the first period of a year; it starts at {labels[0]}")
    out = values.copy()
    for i in range(1, len(values)):
        if cal.position(labels[i])[1] != 0:
            out[i] = values[i] - values[i - 1]
    return out


def to_cumulative(labels: list[str], current: list[float] | np.ndarray, carried: float = 0.0) -> np.ndarray:
    """Values of each period → year-to-date totals; ``carried`` is the year-to-date total before
    ``labels[0]`` when the series starts mid-year (e.g. a forecast that starts in October)."""
    return to_cumulative_paths(labels, np.asarray(current, dtype=float)[None, :], carried)[0]


def to_cumulative_paths(labels: list[str], paths: np.ndarray, carried: float = 0.0) -> np.ndarray:
    """``to_cumulative`` for every simulated path (rows = paths, columns = periods)."""
    cal = calendar_of(labels)
    out = np.empty_like(paths, dtype=float)
    running = np.full(paths.shape[0], carried, dtype=float)
    for j, x in enumerate(labels):
        if cal.position(x)[1] == 0:
            running = np.zeros(paths.shape[0])
        running = running + paths[:, j]
        out[:, j] = running
    return out
