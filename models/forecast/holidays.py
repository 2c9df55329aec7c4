"""The Spring Festival (春节) as a moving-holiday regressor for monthly series.

The festival falls between 21 January and 20 February, so factories close, shops sell and prices
rise in January one year and February the next. The regressor is the share of the holiday window
(by default the 7 days before to 7 days after 正月初一) that falls in each calendar month.
Dates come from the lunar calendar (``lunardate``), not from a hand-kept table.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np
from lunardate import LunarDate

from models.forecast.periods import parse


@lru_cache(maxsize=256)
def spring_festival(year: int) -> dt.date:
    """正月初一 of ``year`` in the Gregorian calendar (e.g. 2024 → 2024-02-10)."""
    return LunarDate(year, 1, 1).to_solar_date()


def festival_share(label: str, before: int = 7, after: int = 7) -> float:
    """Share of the days from ``before`` days before to ``after`` days after the festival in the month ``label``."""
    freq, year, month = parse(label)
    if freq != "M":
        raise ValueError(f"the Spring Festival regressor is for monthly periods, not {label!r}")
    day = spring_festival(year)
    window = [day + dt.timedelta(days=k) for k in range(-before, after + 1)]
    return sum(1 for d in window if d.year == year and d.month == month) / len(window)


def festival_regressor(labels: list[str], before: int = 7, after: int = 7) -> np.ndarray:
    """``festival_share`` for each monthly label, as a column vector for a regression or SARIMAX."""
    return np.array([[festival_share(x, before, after)] for x in labels], dtype=float)
