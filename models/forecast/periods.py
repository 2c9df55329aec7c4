"""Reporting calendars: period labels (``2024-03``, ``2024-Q1``, ``2024``), their frequency and
season, and the monthly calendar in which January and February are reported together.

Chinese monthly statistics (retail sales, investment, fiscal revenue, industry) publish no January
figure: the first release of a year is 1–2月 combined, labelled February. Such a series has 11
reporting periods a year, and models treat it that way (season length 11) instead of inventing a
January/February split.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PATTERNS = {
    "M": re.compile(r"^(\d{4})-(\d{2})$"),
    "Q": re.compile(r"^(\d{4})-Q([1-4])$"),
    "A": re.compile(r"^(\d{4})$"),
}
FREQS = tuple(_PATTERNS)


def parse(label: str) -> tuple[str, int, int]:
    """``'2024-03'`` → ``('M', 2024, 3)``; ``'2024-Q2'`` → ``('Q', 2024, 2)``; ``'2024'`` → ``('A', 2024, 1)``."""
    text = str(label).strip()
    for freq, pattern in _PATTERNS.items():
        match = pattern.match(text)
        if match:
            year = int(match.group(1))
            step = int(match.group(2)) if freq != "A" else 1
            if freq == "M" and not 1 <= step <= 12:
                break
            return freq, year, step
    raise ValueError(f"period {label!r} is not a month (2024-03), a quarter (2024-Q1) or a year (2024)")


def label(freq: str, year: int, step: int) -> str:
    return {"M": f"{year}-{step:02d}", "Q": f"{year}-Q{step}", "A": f"{year}"}[freq]


@dataclass(frozen=True)
class Calendar:
    """The reporting steps of one year: ``(1..12)``, ``(2..12)`` with 1–2月 combined, ``(1..4)`` or ``(1,)``."""

    freq: str
    steps: tuple[int, ...]

    @property
    def season(self) -> int:
        """Season length in reporting periods (12, 11, 4 or 1)."""
        return len(self.steps)

    @property
    def jan_feb_combined(self) -> bool:
        return self.freq == "M" and self.steps[0] == 2

    @property
    def months_per_step(self) -> int:
        return {"M": 1, "Q": 3, "A": 12}[self.freq]

    def position(self, label_: str) -> tuple[int, int]:
        """(year, index of the step within the year) of a label on this calendar."""
        freq, year, step = parse(label_)
        if freq != self.freq or step not in self.steps:
            raise ValueError(f"period {label_!r} is not on a {self.describe()} calendar")
        return year, self.steps.index(step)

    def following(self, last: str, horizon: int) -> list[str]:
        """The ``horizon`` period labels after ``last``."""
        year, index = self.position(last)
        out = []
        for _ in range(horizon):
            index += 1
            if index == self.season:
                year, index = year + 1, 0
            out.append(label(self.freq, year, self.steps[index]))
        return out

    def describe(self) -> str:
        if self.jan_feb_combined:
            return "monthly (1–2月 combined)"
        return {"M": "monthly", "Q": "quarterly", "A": "annual"}[self.freq]


def calendar_of(labels: list[str], freq: str | None = None) -> Calendar:
    """The calendar of a series' labels; monthly series with no January are 1–2月 combined.

    Raises ``ValueError`` naming the first label that does not fit, a frequency other than the
    one asked for, or a gap (a missing period).
    """
    if not labels:
        raise ValueError("the series is empty")
    parsed = [parse(x) for x in labels]
    found = {p[0] for p in parsed}
    if len(found) > 1:
        raise ValueError(f"the series mixes frequencies {sorted(found)}; forecast each frequency separately")
    actual = found.pop()
    if freq is not None and freq != actual:
        raise ValueError(f"freq={freq!r} was asked for, but the periods are {actual!r} (e.g. {labels[0]!r})")
    steps = {"M": tuple(range(1, 13)), "Q": (1, 2, 3, 4), "A": (1,)}[actual]
    if actual == "M" and not any(step == 1 for _, _, step in parsed):
        steps = tuple(range(2, 13))
    cal = Calendar(actual, steps)
    expected = cal.following(labels[0], len(labels) - 1)
    for want, got in zip(expected, labels[1:]):
        if want != got:
            raise ValueError(f"the series has a gap or is out of order: expected {want} but found {got}")
    return cal
