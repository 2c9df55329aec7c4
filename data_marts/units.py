"""Units of measure as statistics bureaus write them, and the conversions between them that are exact.

A unit is a base (元, 人, 美元, 吨 …) with a Chinese decimal scale in front (万元 = 10^4 元, 亿元 = 10^8 元):
two units of the same base convert by a power of ten, exactly (万元 → 亿元 divides by 10,000). Units of
different bases never convert here, even where a rate exists (美元 → 元 needs an exchange rate of a date).
An index names its base period (上年同月=100, 上年=100, 2015=100): two indexes are the same unit only with the
same base. Growth rates (增速) are in %.

Every indicator declares its unit (``data_marts.indicators``); a value measure (累计值, 当期值, 目标值) is
stored in that unit, a rate measure (…增速) in %. ``expected`` says which, ``exponent`` how to get there.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from data_marts import indicators

PERCENT = "%"
# Longest first, so 十万 is not read as 十 + 万….
SCALES: tuple[tuple[str, int], ...] = (
    ("万亿", 12), ("千亿", 11), ("百亿", 10), ("十亿", 9), ("千万", 7), ("百万", 6), ("十万", 5),
    ("亿", 8), ("万", 4), ("千", 3), ("百", 2), ("十", 1),
)


@dataclass(frozen=True)
class Unit:
    """``power`` of ten times one ``base``: 万元 is Unit("元", 4)."""

    base: str
    power: int


def normalise(text: str | None) -> str:
    """A unit as compared: NFKC (full-width forms, ％ → %), no spaces, no enclosing brackets."""
    t = "".join(unicodedata.normalize("NFKC", str(text or "")).split())
    while len(t) >= 2 and t[0] in "([" and t[-1] in ")]":
        t = t[1:-1]
    return t


@lru_cache(maxsize=1024)
def parse(text: str) -> Unit | None:
    """The unit a text names (None for no text). An index or % is its own base; a scale in front of
    another base is split off (万元 → 元 × 10^4; 亿 alone is a base of its own, not a unit of money)."""
    t = normalise(text)
    if not t:
        return None
    if "=" in t or t == PERCENT:
        return Unit(t, 0)
    for prefix, power in SCALES:
        if t.startswith(prefix) and len(t) > len(prefix):
            return Unit(t[len(prefix):], power)
    return Unit(t, 0)


def expected(indicator: str | None, measure: str | None) -> str | None:
    """The unit ``indicator``'s ``measure`` is stored in: % for a rate (…增速), else the indicator's unit
    (None for an unknown indicator: its own rule reports it)."""
    if measure and measure.endswith("增速"):
        return PERCENT
    found = indicators.BY_CODE.get(indicator or "")
    return found.unit if found else None


def exponent(unit: str | None, target: str | None) -> int | None:
    """The power of ten that turns a value in ``unit`` into one in ``target`` (0: the same unit), or None
    when there is no exact conversion (another base, another index base, no unit)."""
    have, want = parse(unit or ""), parse(target or "")
    if have is None or want is None or have.base != want.base:
        return None
    return have.power - want.power
