"""The Spring Festival (春节) as a moving-holiday regressor for monthly series, for flows and for stocks.

The festival falls between 21 January and 20 February, so factories close, shops sell, prices rise and
cash leaves the banks in January one year and February the next. How a month's figure feels it depends
on what the figure is, which the indicator declares (``data_marts.indicators.Indicator.aggregation``):

- a **flow** (当期值, 流量: sales, output, trade, or a price index averaged over the month) sums or
  averages the days of the month, so its regressor is the share of the holiday window (by default
  the 7 days before to 7 days after 正月初一) that falls in the month;
- a **stock** (期末值, 存量: money supply, deposits, loans) is read on the month's last day, so what
  matters is where that day stands relative to 正月初一: a month that ends in the run-up to the
  festival (cash withdrawn, deposits moved) or just after it (not yet returned) differs from one
  that ends weeks away. Its regressors are two triangles over the days between the month's end and
  the festival: ``before`` is 1 on the eve and falls to 0 ``width`` days ahead of it, ``after`` is 1
  on 正月初一 and falls to 0 ``width`` days after it.

Dates come from the lunar calendar (``lunardate``), not from a hand-kept table.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from functools import lru_cache

import numpy as np
from lunardate import LunarDate

from models.forecast.periods import parse

KINDS = ("flow", "stock")


@lru_cache(maxsize=256)
def spring_festival(year: int) -> dt.date:
    """正月初一 of ``year`` in the Gregorian calendar (e.g. 2024 → 2024-02-10)."""
    return LunarDate(year, 1, 1).to_solar_date()


def _month(label: str) -> tuple[int, int]:
    freq, year, month = parse(label)
    if freq != "M":
        raise ValueError(f"the Spring Festival regressor is for monthly periods, not {label!r}")
    return year, month


def festival_share(label: str, before: int = 7, after: int = 7) -> float:
    """Flow regressor: share of the days from ``before`` days before to ``after`` days after the festival in the month ``label``."""
    year, month = _month(label)
    day = spring_festival(year)
    window = [day + dt.timedelta(days=k) for k in range(-before, after + 1)]
    return sum(1 for d in window if d.year == year and d.month == month) / len(window)


def festival_stock(label: str, width: int = 21) -> tuple[float, float]:
    """Stock regressors ``(before, after)`` for the last day of the month ``label``.

    ``before`` = 1 − (days from the month's end to 正月初一 − 1) / ``width`` when the month ends on one of the
    ``width`` days before the festival (the eve is 1), else 0; ``after`` = 1 − (days since 正月初一) / ``width``
    when it ends on the festival or in the ``width`` days after, else 0. The festival of the same year is
    used (it never falls outside 21 January – 20 February, so only January–March can be touched).
    """
    year, month = _month(label)
    end = dt.date(year, month, _calendar.monthrange(year, month)[1])
    gap = (end - spring_festival(year)).days  # negative: the month ends before the festival
    before = max(0.0, 1 - (-gap - 1) / width) if gap < 0 else 0.0
    after = max(0.0, 1 - gap / width) if gap >= 0 else 0.0
    return before, after


def festival_regressor(labels: list[str], kind: str = "flow", before: int = 7, after: int = 7,
                       width: int = 21) -> np.ndarray:
    """The Spring Festival columns for monthly ``labels``: one (``flow``) or two (``stock``) per period."""
    if kind == "flow":
        return np.array([[festival_share(x, before, after)] for x in labels], dtype=float)
    if kind == "stock":
        return np.array([festival_stock(x, width) for x in labels], dtype=float)
    raise ValueError(f"festival kind must be one of {KINDS}, not {kind!r}")


def festival_kind(festival) -> str | None:
    """Normalise a forecaster's ``festival`` parameter: True → "flow", False/None → None, "flow"/"stock" as is."""
    if festival is True:
        return "flow"
    if festival in (False, None):
        return None
    if festival in KINDS:
        return festival
    raise ValueError(f"festival must be True, False, 'flow' or 'stock', not {festival!r}")
