"""Year-on-year checks of headline series (issue #11), shared by the generator and the warehouse tests."""

from __future__ import annotations

import math

import numpy as np

from data_marts.demo.calibration import BIRTH_RATE, POPULATION_WAN

Z = 4.0  # standard errors of sampling noise allowed on top of a tolerance


def allowance(a, b) -> np.ndarray:
    """Z standard errors of log(a / b) for two Poisson counts."""
    return Z * np.sqrt(1.0 / np.maximum(a, 1) + 1.0 / np.maximum(b, 1))


def jumps(series: dict[int, float], tolerance: float, expected: dict[int, float] | None = None,
          counts: bool = True) -> list[str]:
    """Years whose change on the year before exceeds the tolerance (after dividing by the expected change)."""
    years = sorted(series)
    bad = []
    for before, year in zip(years, years[1:]):
        a, b = float(series[year]), float(series[before])
        if a <= 0 or b <= 0:
            bad.append(f"{before}→{year}: {b:g} → {a:g}")
            continue
        change = math.log(a / b)
        if expected is not None:
            change -= math.log(expected[year] / expected[before])
        limit = math.log1p(tolerance) + (float(allowance(a, b)) if counts else 0.0)
        if abs(change) > limit:
            bad.append(f"{before}→{year}: {b:g} → {a:g} ({math.expm1(change):+.1%} beyond the expected change)")
    return bad


def published_births(year: int) -> float:
    """Province births implied by the published crude birth rate and mean population; before 2015 the
    rate averaged 13.0 ‰ over 2010-15 (1% survey), i.e. flat births."""
    if year < 2015:
        return 13.0 / 1000 * POPULATION_WAN[2014] * 1e4
    return BIRTH_RATE[year] / 1000 * (POPULATION_WAN[year - 1] + POPULATION_WAN[year]) / 2 * 1e4
