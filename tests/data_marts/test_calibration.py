"""The demo warehouse lands within the stated tolerance of the published facts (docs/data.md).

Person counts are a sample at TEST_SCALE, so they are compared after dividing by the scale, with
the sampling error of that scale added to each tolerance.
"""

import math

import pytest

from data_marts.demo import calibration as facts
from tests.conftest import TEST_SCALE


def _profile(warehouse, column, region="520000"):
    return dict(warehouse.execute(
        f"SELECT year, {column} FROM mart.region_profile WHERE region_code = ? ORDER BY year", [region]).fetchall())


def test_year_end_population_matches_the_revised_series(warehouse):
    population = _profile(warehouse, "population")
    for year in range(2015, 2025):
        expected = facts.POPULATION_WAN[year] * 1e4 * TEST_SCALE
        assert population[year] == pytest.approx(expected, rel=facts.POPULATION_TOLERANCE), year


def test_prefecture_shares_at_the_2020_census(warehouse):
    rows = dict(warehouse.execute("""
        SELECT region_code, population FROM mart.population_dynamics WHERE region_level = 'prefecture' AND year = 2020
    """).fetchall())
    total_census = sum(facts.CENSUS_2020_PREFECTURE.values())
    total = sum(rows.values())
    for code, census in facts.CENSUS_2020_PREFECTURE.items():
        assert rows[code] / total == pytest.approx(census / total_census, abs=facts.PREFECTURE_SHARE_TOLERANCE), code


@pytest.mark.parametrize("region", sorted(facts.AGE_SHARES_2020))
def test_age_structure_in_2020(warehouse, region):
    groups = dict(warehouse.execute("""
        SELECT CASE WHEN age_from < 15 THEN '0-14' WHEN age_from < 60 THEN '15-59' ELSE '60+' END, sum(persons)
        FROM mart.population_structure WHERE region_code = ? AND year = 2020 GROUP BY 1
    """, [region]).fetchall())
    total = sum(groups.values())
    for group, share in facts.AGE_SHARES_2020[region].items():
        sampling = 300 * math.sqrt(share / 100 * (1 - share / 100) / total)  # 3 standard errors, in points
        assert 100 * groups[group] / total == pytest.approx(share, abs=facts.AGE_SHARE_TOLERANCE + sampling), group


@pytest.mark.parametrize("region", sorted(facts.SEX_RATIO_2020))
def test_sex_ratio_in_2020(warehouse, region):
    male, female = warehouse.execute("""
        SELECT sum(persons) FILTER (WHERE sex = 'male'), sum(persons) FILTER (WHERE sex = 'female')
        FROM mart.population_structure WHERE region_code = ? AND year = 2020
    """, [region]).fetchone()
    p = male / (male + female)
    sampling = 3 * 100 * math.sqrt(p * (1 - p) / (male + female)) / (1 - p) ** 2
    assert 100 * male / female == pytest.approx(facts.SEX_RATIO_2020[region], abs=facts.SEX_RATIO_TOLERANCE + sampling)


def test_birth_and_death_rates(warehouse):
    rows = warehouse.execute("""
        SELECT year, births, deaths, (population + population_prev) / 2.0
        FROM mart.population_dynamics WHERE region_code = '520000'
    """).fetchall()
    for year, births, deaths, mean in rows:
        for observed, rate in ((births, facts.BIRTH_RATE[year]), (deaths, facts.DEATH_RATE[year])):
            expected = rate / 1000 * mean
            assert observed == pytest.approx(expected, rel=0.03, abs=3 * math.sqrt(expected)), year


def test_gdp_is_the_published_series(warehouse):
    gdp = _profile(warehouse, "gdp_yi")
    for year, value in facts.GDP_YI.items():
        assert gdp[year] == pytest.approx(value, rel=facts.GDP_TOLERANCE), year


def test_official_population_is_loaded_from_the_real_export(warehouse):
    official = _profile(warehouse, "population_official_wan")
    assert official[2024] == 3860 and official[2020] == 3858


def test_revised_gdp_vintage_replaced_the_bulletin(warehouse):
    value, vintage = warehouse.execute("""
        SELECT value, vintage FROM base.economy
        WHERE region_code = '520000' AND indicator = 'gdp' AND period = '2020' AND measure = '当期值'
    """).fetchone()
    assert value == pytest.approx(facts.GDP_YI[2020]) and vintage == "2025-03"


def test_dwellings_per_household(warehouse):
    units, = warehouse.execute(
        "SELECT sum(units) FROM mart.housing_stock WHERE region_code = '520000' AND use = '住宅'").fetchone()
    expected = facts.FAMILY_HOUSEHOLDS_2020_WAN * 1e4 * facts.DWELLINGS_PER_HOUSEHOLD * TEST_SCALE
    assert units == pytest.approx(expected, rel=0.10)


def test_enterprises_active_in_2023(warehouse):
    active, = warehouse.execute("""
        SELECT count(*) FROM base.legal_entities
        WHERE entity_type = '企业' AND established_date <= DATE '2023-12-31'
          AND coalesce(cancelled_date, DATE '9999-12-31') > DATE '2023-12-31'
    """).fetchone()
    expected = facts.ENTERPRISES_2023_WAN * 1e4 * TEST_SCALE
    assert active == pytest.approx(expected, rel=0.10, abs=3 * math.sqrt(expected))


def test_grain_area_and_the_2018_corn_cut(warehouse):
    grain = _profile(warehouse, "grain_area_mu")
    assert grain[2020] / 1e4 == pytest.approx(facts.GRAIN_AREA_2020_WAN_MU, rel=facts.AGRI_AREA_TOLERANCE)
    assert grain[2023] / 1e4 == pytest.approx(facts.GRAIN_AREA_2023_WAN_MU, rel=facts.AGRI_AREA_TOLERANCE)
    corn = _profile(warehouse, "corn_area_mu")
    bijie = _profile(warehouse, "corn_area_mu", "520500")
    assert (corn[2017] - corn[2018]) / 1e4 == pytest.approx(facts.CORN_CUT_2018_WAN_MU, rel=facts.AGRI_AREA_TOLERANCE)
    assert (bijie[2017] - bijie[2018]) / 1e4 == pytest.approx(facts.CORN_CUT_2018_BIJIE_WAN_MU,
                                                                 rel=facts.AGRI_AREA_TOLERANCE)
