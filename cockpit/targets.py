"""Where each annual target of a region stands, worded truthfully: once the year's last period is in,
the outcome (met or missed, with the actual and the target); while the year is open, progress against
序时进度 and the chance of meeting it "as of" the latest period (``mart.target_attainment``).

One reading of the marts for the headline panel and the early warnings, so both say the same thing.
Which way is good comes from each indicator's declared direction (``data_marts.indicators``).
"""

from __future__ import annotations

from dataclasses import dataclass

from data_marts.indicators import BY_CODE

SQL = """
WITH rows AS (
    SELECT e.indicator, e.freq, e.period, e.month_end, e.yoy_cumulative_pct, e.target_growth_pct, e.target_value,
           e.completion_pct, e.schedule_pct, e.current_value,
           avg(e.current_value) OVER (PARTITION BY e.indicator, e.freq) AS mean_to_date
    FROM mart.economy_indicators AS e
    WHERE e.region_code = ? AND e.year = ? AND e.freq <> 'A'
    QUALIFY row_number() OVER (PARTITION BY e.indicator ORDER BY e.month_end DESC, e.freq) = 1
), chance AS (  -- judgements made at each period of the year: the one made at the latest period is used
    SELECT indicator, as_of, method = 'analog' AS on_growth, probability, expected FROM mart.target_attainment
    WHERE region_code = ? AND year = ?
)
SELECT rows.*, g.probability AS growth_probability, g.expected AS growth_expected,
       c.probability AS ceiling_probability, c.expected AS ceiling_expected
FROM rows
LEFT JOIN chance AS g ON g.indicator = rows.indicator AND g.as_of = rows.period AND g.on_growth
LEFT JOIN chance AS c ON c.indicator = rows.indicator AND c.as_of = rows.period AND NOT c.on_growth
WHERE rows.target_growth_pct IS NOT NULL OR rows.target_value IS NOT NULL
ORDER BY rows.indicator
"""


@dataclass(frozen=True)
class Target:
    """One target of one region and year, as it stands at the latest period."""

    indicator: str
    kind: str  # "level" (完成 x% of a value target), "growth" (增速 against a target rate), "ceiling" (CPI ≤ 103)
    period: str  # the latest period of the year in the data
    closed: bool  # the year's last period is in: the outcome is known
    actual: float  # completion %, growth %, or the year's mean to date for a ceiling
    target: float  # 100 (% of the value target), the target rate, or the ceiling
    schedule: float  # 序时进度, % of the year elapsed
    target_value: float | None = None  # a value target itself (亿元), for the wording
    probability: float | None = None  # the chance of meeting it, only while the year is open
    expected: float | None = None

    @property
    def met(self) -> bool:
        """Met (closed year) or, while the year is open, on track at this point of the year."""
        if self.kind == "level":
            return self.actual >= (100 if self.closed else self.schedule)
        return BY_CODE[self.indicator].direction.meets(self.actual, self.target)

    @property
    def gap(self) -> float:
        """How far behind (negative) or ahead: percentage points of completion or of growth."""
        if self.kind == "level":
            return self.actual - (100 if self.closed else self.schedule)
        return self.actual - self.target if self.kind == "growth" else self.target - self.actual


def read(query, region: str, year: int) -> list[Target]:
    """Every target of ``region`` in ``year``; ``query(sql, params)`` is the panel's scoped ``ctx.query``."""
    found = []
    for row in query(SQL, [region, year, region, year]).iter_rows(named=True):
        closed = row["month_end"] == 12
        direction = BY_CODE[row["indicator"]].direction if row["indicator"] in BY_CODE else None

        common = dict(indicator=row["indicator"], period=row["period"], closed=closed, schedule=row["schedule_pct"])
        if row["target_value"] is not None and direction is not None and direction.target_is_floor:
            if row["completion_pct"] is not None:
                found.append(Target(kind="level", actual=row["completion_pct"], target=100.0,
                                    target_value=row["target_value"], **common))
        elif row["target_value"] is not None and row["mean_to_date"] is not None:
            found.append(Target(kind="ceiling", actual=row["mean_to_date"], target=row["target_value"], **common,
                                **_chance(row, "ceiling", closed)))
        if row["target_growth_pct"] is not None and row["yoy_cumulative_pct"] is not None:
            found.append(Target(kind="growth", actual=row["yoy_cumulative_pct"], target=row["target_growth_pct"],
                                **common, **_chance(row, "growth", closed)))
    return found


def _chance(row: dict, kind: str, closed: bool) -> dict:
    """The judgement made at the latest period, while the year is open; nothing once it is over."""
    probability = row[f"{kind}_probability"]
    if closed or probability is None:
        return {}
    return {"probability": probability, "expected": row[f"{kind}_expected"]}
