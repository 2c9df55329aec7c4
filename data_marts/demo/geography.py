"""How the demo spreads a prefecture's totals over its counties, and where the demo region lies.

County resident populations come from the facts file where they are published
(``CENSUS_2020_COUNTY``); the rest of a prefecture is an ``[ASSUMED]`` split, used by every demo
department so that they agree: weight = sqrt(land area) × a density factor by county type (市辖区 2.5,
县级市 1.4, 县/特区 1.0) × a fixed per-county factor in [0.8, 1.2] (from the code, so it never changes
between runs). Prefecture totals themselves come from the 2020 census.
"""

from __future__ import annotations

import zlib
from functools import lru_cache

from data_marts import regions, shapes
from data_marts.demo.calibration import CENSUS_2020_COUNTY, CENSUS_2020_PREFECTURE, ROOT


def _density_factor(name: str) -> float:
    if name.endswith("区") and not name.endswith("特区"):
        return 2.5
    if name.endswith("市"):
        return 1.4
    return 1.0


@lru_cache(maxsize=1)
def bounds() -> tuple[float, float, float, float]:
    """The demo region's bounding box (west, south, east, north), in degrees, from its boundary."""
    return tuple(float(b) for b in shapes.geometry(ROOT).bounds)


@lru_cache(maxsize=1)
def county_weights() -> dict[str, float]:
    """Each county's share of its prefecture's population (shares sum to 1 per prefecture): the
    published census share where the facts have one, the assumed split of the rest otherwise."""
    raw: dict[str, float] = {}
    for county in regions.counties(ROOT):
        jitter = 0.8 + 0.4 * (zlib.crc32(county.code.encode()) % 1000) / 999
        raw[county.code] = shapes._area_km2(county.code) ** 0.5 * _density_factor(county.name) * jitter
    shares: dict[str, float] = {}
    for prefecture, census in CENSUS_2020_PREFECTURE.items():
        members = [c for c in raw if regions.by_code()[c].parent_code == prefecture]
        known = {c: CENSUS_2020_COUNTY[c] / census for c in members if c in CENSUS_2020_COUNTY}
        rest = [c for c in members if c not in known]
        total = sum(raw[c] for c in rest)
        left = 1.0 - sum(known.values())
        shares.update(known)
        shares.update({c: left * raw[c] / total for c in rest})
    return shares


@lru_cache(maxsize=1)
def county_population_share() -> dict[str, float]:
    """Each county's share of the region's 2020 population (sums to 1 over its counties)."""
    total = sum(CENSUS_2020_PREFECTURE.values())
    return {
        code: share * CENSUS_2020_PREFECTURE[regions.by_code()[code].parent_code] / total
        for code, share in county_weights().items()
    }
