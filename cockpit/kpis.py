"""Headline indicators of ``mart.region_profile`` that maps and rankings let a leader pick from.

(key, column, stored unit, counted from the person/entity sample?) — all higher-is-better. The
key names the panel string that labels it; a sampled count is divided by the sample rate for display.
"""

from __future__ import annotations

import polars as pl

from data_marts.indicators import Direction

PROFILE_KPIS = [
    ("population", "population", "人", True),
    ("gdp", "gdp_yi", "亿元", False),
    ("gdp_growth", "gdp_growth_pct", "%", False),
    ("retail", "retail_yi", "亿元", False),
    ("fiscal", "fiscal_revenue_yi", "亿元", False),
    ("income", "disposable_income_yuan", "元", False),
    ("entities", "entities_stock", "家", True),
    ("entities_new", "entities_new", "家", True),
]


def ranking(value: str, growth: str, direction: Direction) -> pl.Expr:
    """Rank within each year, best first (1), as the indicator's declared direction says: the highest
    first, the lowest first, or for a banded indicator (CPI) the one whose growth ``growth`` lies nearest
    its band first (every region inside the band shares the first place)."""
    if direction.good == "band":
        low = pl.lit(direction.low if direction.low is not None else float("-inf"))
        high = pl.lit(direction.high if direction.high is not None else float("inf"))
        key = pl.max_horizontal(low - pl.col(growth), pl.col(growth) - high, pl.lit(0.0))
        descending = False
    else:
        key, descending = pl.col(value), direction.good == "higher"
    return key.rank("min", descending=descending).over("year").cast(pl.Int64).alias("rank")
