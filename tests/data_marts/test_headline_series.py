"""The headline series a leader reads in the built demo warehouse have no cliff the published facts do not
have (issue #11): the province's residents, births, deaths, entity set-ups, cancellations and stock, housing
units (mart.region_profile) and school entrants, observed and projected (mart.school_places).

The warehouse is the test session's demo at scale 0.002, so counts are small samples: each year-on-year
change may exceed its tolerance (``calibration.JUMP_TOLERANCE``) by 4 standard errors of Poisson noise.
That is loose for the smallest series (cancellations: about 150 a year), so the generators are checked at a
scale where noise is small in tests/data_marts/demo/test_demo_headline_series.py; this test checks that
the marts carry the series through without a start-up year or a step of their own.
"""

from __future__ import annotations

import pytest

from data_marts.demo.calibration import JUMP_TOLERANCE
from tests.data_marts.headline import jumps as _jumps, published_births

PROFILE = {  # column of mart.region_profile -> tolerance, and whether it is a sample count
    "population": ("residents", False),
    "births": ("births", True),
    "deaths": ("deaths", True),
    "entities_new": ("entities", True),
    "entities_cancelled": ("entities", True),
    "entities_stock": ("entities", True),
    "housing_units": ("housing", True),
}


@pytest.mark.parametrize("column", sorted(PROFILE))
def test_the_province_profile_has_no_cliff(warehouse, column):
    rows = warehouse.execute(f"SELECT year, {column} FROM mart.region_profile WHERE region_code = '520000' "
                             f"AND year BETWEEN 2015 AND 2024 ORDER BY year").fetchall()
    series = {year: value for year, value in rows}
    assert len(series) == 10 and None not in series.values(), series
    kind, counts = PROFILE[column]
    assert not _jumps(series, JUMP_TOLERANCE[kind], counts=counts)


@pytest.mark.parametrize("stage,age", [("primary", 6), ("junior_secondary", 12)])
def test_school_entrants_observed_and_projected_have_no_cliff(warehouse, stage, age):
    """Children turning 6 or 12, 2015-2034: against the published births of their birth years while those
    are known; the projected births that follow may move as published births do."""
    rows = warehouse.execute("SELECT year, entrants FROM mart.school_places WHERE region_code = '520000' "
                             "AND stage = ? ORDER BY year", [stage]).fetchall()
    entrants = {year: value for year, value in rows}
    assert sorted(entrants) == list(range(2015, 2035)) and None not in entrants.values()
    known = {y: v for y, v in entrants.items() if y - age <= 2024}
    assert not _jumps(known, JUMP_TOLERANCE["cohorts"], {y: published_births(y - age) for y in known})
    unborn = {y: v for y, v in entrants.items() if y - age >= 2024}
    assert not _jumps(unborn, JUMP_TOLERANCE["births"])
