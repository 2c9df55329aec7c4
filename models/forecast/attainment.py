"""The probability of meeting an annual target, from the forecast distribution of the rest of the year."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.forecast.base import as_series
from scipy import stats

from models.forecast.periods import calendar_of, label, parse
from models.forecast.registry import make


@dataclass(frozen=True)
class Attainment:
    """Where a target stood at ``as_of``: the chance of meeting it and the expected outcome.

    ``outcome`` and ``met`` are filled when the series already holds the whole year (so a past
    year's probabilities can be read against what happened).
    """

    year: int
    as_of: str
    target: float
    probability: float
    expected: float
    lower_80: float
    upper_80: float
    model: str
    outcome: float | None = None
    met: bool | None = None


def attainment(series, year: int, target: float, rule: str = "year_end", higher_is_better: bool = True,
               as_of: list[str] | None = None, model: str = "ets", seed: int = 0, n_paths: int = 2000) -> list[Attainment]:
    """Chance of meeting ``target`` for ``year`` as seen from each ``as_of`` period.

    Parameters
    ----------
    series : frame with ``period, value``
        The measure the target is stated in: for a growth target, the year-to-date growth rate
        (累计增速, whose value at the year's last period is the annual growth); for a price-level
        target (CPI 103), the monthly index.
    year : int
    target : float
    rule : {"year_end", "year_mean"}
        The outcome is the value at the year's last period, or the mean of the year's values.
    higher_is_better : bool
        Meeting the target means reaching at least it (GDP growth) or staying at most at it (CPI).
    as_of : list of period labels, optional
        Default: every period of ``year`` in the series except the last one of the year.
    model : registry name, or "analog"
        Fitted, for each ``as_of``, on the data up to and including ``as_of`` only. ``"analog"``
        (for ``year_end``): the outcome is today's value plus how much the same series moved from
        this point of the year to the year's end in earlier years (Student-t over those changes).
        A year-to-date growth rate moves little once most of the year is in, which a model of the
        whole series does not know; past years' late-year moves do.

    Returns
    -------
    list of Attainment, one per ``as_of``.
    """
    labels, values = as_series(series)
    cal = calendar_of(labels)
    year_periods = [label(cal.freq, year, step) for step in cal.steps]
    observed = dict(zip(labels, values))
    complete = all(p in observed for p in year_periods)
    outcome = _outcome(np.array([[observed[p] for p in year_periods]]), rule)[0] if complete else None
    if as_of is None:
        as_of = [p for p in year_periods[:-1] if p in observed]
    found = []
    for point in as_of:
        if model == "analog":
            found.append(_analog(labels, values, cal, year, point, target, rule, higher_is_better, outcome))
            continue
        cut = labels.index(point) + 1
        remaining = year_periods[year_periods.index(point) + 1:]
        fitted = make(model, seed=seed, n_paths=n_paths).fit((labels[:cut], values[:cut]))
        future = fitted.predict(len(remaining)).paths
        known = np.array([values[labels.index(p)] for p in year_periods[:year_periods.index(point) + 1]])
        full = np.hstack([np.broadcast_to(known, (future.shape[0], known.size)), future])
        outcomes = _outcome(full, rule)
        meets = outcomes >= target if higher_is_better else outcomes <= target
        low, high = np.quantile(outcomes, [0.1, 0.9])
        found.append(Attainment(year, point, target, float(meets.mean()), float(outcomes.mean()), float(low),
                                float(high), fitted.used_.name, outcome,
                                None if outcome is None else bool(outcome >= target if higher_is_better else outcome <= target)))
    return found


def _analog(labels, values, cal, year, point, target, rule, higher_is_better, outcome) -> Attainment:
    if rule != "year_end":
        raise ValueError("the analog method judges a year-end value (rule='year_end')")
    observed = dict(zip(labels, values))
    step = parse(point)[2]
    end = cal.steps[-1]
    moves = [observed[label(cal.freq, y, end)] - observed[label(cal.freq, y, step)]
             for y in range(year - 30, year)
             if label(cal.freq, y, end) in observed and label(cal.freq, y, step) in observed]
    if len(moves) < 3:
        raise ValueError(f"the analog method needs at least 3 earlier years with {point[5:]} and year-end values; found {len(moves)}")
    now = observed[point]
    centre, spread = float(np.mean(moves)), float(np.std(moves, ddof=1)) * np.sqrt(1 + 1 / len(moves))
    df, loc, scale = len(moves) - 1, now + centre, max(spread, 1e-9)
    probability = stats.t.sf(target, df, loc, scale) if higher_is_better else stats.t.cdf(target, df, loc, scale)
    low, high = stats.t.ppf([0.1, 0.9], df, loc, scale)
    return Attainment(year, point, target, float(probability), loc, float(low), float(high),
                      "analog", outcome,
                      None if outcome is None else bool(outcome >= target if higher_is_better else outcome <= target))


def _outcome(paths: np.ndarray, rule: str) -> np.ndarray:
    if rule == "year_end":
        return paths[:, -1]
    if rule == "year_mean":
        return paths.mean(axis=1)
    raise ValueError(f"rule must be 'year_end' or 'year_mean', not {rule!r}")
