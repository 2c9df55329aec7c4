"""The population projection and school places published by the demo build: present, consistent with
the observed marts, and adding up."""

import polars as pl
import pytest


def _q(warehouse, sql, params=None):
    # A cursor of its own: a test that left a result unfetched on the shared connection cannot block it.
    return pl.from_arrow(warehouse.cursor().sql(sql, params=params).to_arrow_table())


def _totals(warehouse, region):
    return _q(warehouse, """SELECT year, mean, lower_80, upper_80, lower_95, upper_95 FROM mart.population_projection
                            WHERE region_code = ? AND sex = 'all' AND age_group = 'all' ORDER BY year""", [region])


def test_the_province_and_every_prefecture_are_projected_ten_years_ahead(warehouse):
    regions = _q(warehouse, "SELECT code FROM mart.regions WHERE code LIKE '52%' AND level <> 'county'")["code"]
    published = _q(warehouse, "SELECT DISTINCT region_code, year, base_year FROM mart.population_projection")
    assert set(published["region_code"]) == set(regions)
    assert published["base_year"].unique().to_list() == [2024]
    assert sorted(published["year"].unique()) == list(range(2025, 2035))


def test_the_first_projected_year_is_close_to_the_last_observed_one(warehouse):
    observed = _q(warehouse, "SELECT population FROM mart.population_dynamics WHERE region_code = '520000' AND year = 2024")
    first = _totals(warehouse, "520000").row(0, named=True)
    assert first["year"] == 2025
    assert first["mean"] == pytest.approx(observed["population"][0], rel=0.03)
    last = _totals(warehouse, "520000").row(-1, named=True)
    # Guizhou's residents were flat at 3,848-3,865万 in 2019-2024: ten years on, not off by more than a tenth.
    assert last["mean"] == pytest.approx(observed["population"][0], rel=0.10)


def test_the_province_is_the_sum_of_its_prefectures_and_intervals_widen(warehouse):
    sums = _q(warehouse, """SELECT p.year, sum(p.mean) AS prefectures, any_value(t.mean) AS province
                            FROM mart.population_projection AS p
                            JOIN mart.population_projection AS t ON t.year = p.year AND t.region_code = '520000'
                                 AND t.sex = 'all' AND t.age_group = 'all'
                            WHERE p.region_level = 'prefecture' AND p.sex = 'all' AND p.age_group = 'all'
                            GROUP BY p.year""")
    assert (sums["prefectures"] - sums["province"]).abs().max() < 1.0  # rounding of the published means
    totals = _totals(warehouse, "520000")
    width = totals["upper_95"] - totals["lower_95"]
    assert width[-1] > width[0] > 0


def test_intervals_are_ordered_and_each_cell_adds_up(warehouse):
    bad = _q(warehouse, """SELECT count(*) AS n FROM mart.population_projection WHERE NOT suppressed AND NOT
                           (lower_95 <= lower_80 AND lower_80 <= mean AND mean <= upper_80 AND upper_80 <= upper_95)""")
    assert bad["n"][0] == 0
    gap = _q(warehouse, """SELECT max(abs(mean - (aged_on + births - deaths + moved_in - moved_out))) AS gap
                           FROM mart.population_projection WHERE NOT suppressed""")
    assert gap["gap"][0] < 1.0  # each published value is rounded to 0.1


def test_school_places_add_up_from_counties_to_the_province(warehouse):
    complete = 0
    for measure in ("entrants", "enrolled"):
        sums = _q(warehouse, f"""SELECT c.parent_code, c.year, c.stage, sum(c.{measure}) AS counties,
                                        any_value(p.{measure}) AS prefecture, count(c.{measure}) AS shown, count(*) AS n
                                 FROM mart.school_places AS c
                                 JOIN mart.school_places AS p ON p.region_code = c.parent_code AND p.year = c.year
                                      AND p.stage = c.stage
                                 WHERE c.region_level = 'county' GROUP BY ALL""")
        whole = sums.filter(pl.col("shown") == pl.col("n"))  # no county cell withheld
        complete += whole.height
        # Observed counts add up exactly; projected ones up to the rounding of each county to 0.1.
        assert ((whole["counties"] - whole["prefecture"]).abs() <= 0.1 * whole["n"] + 1e-6).all(), measure
    assert complete > 0
    stages = _q(warehouse, "SELECT DISTINCT stage, entry_age FROM mart.school_places ORDER BY entry_age")
    assert stages.rows() == [("primary", 6), ("junior_secondary", 12)]
    withheld = _q(warehouse, "SELECT count(*) AS n FROM mart.school_places WHERE entrants IS NULL AND county_share IS NOT NULL")
    assert withheld["n"][0] == 0  # a share would give a withheld county figure back


def test_projected_entrants_follow_the_children_already_born(warehouse):
    """Who turns 6 in 2025 was 5 at the end of 2024: the projection starts from them."""
    fives = _q(warehouse, """SELECT persons FROM mart.population_structure
                             WHERE region_code = '520000' AND year = 2024 AND sex IN ('male', 'female') AND age_from = 5""")
    entrants = _q(warehouse, """SELECT year, entrants, projected FROM mart.school_places
                                WHERE region_code = '520000' AND stage = 'primary' ORDER BY year""")
    assert entrants.filter(~pl.col("projected"))["year"].to_list() == list(range(2015, 2025))
    first = entrants.filter(pl.col("year") == 2025)["entrants"][0]
    # The 5-9 group of 2024 holds five cohorts; the one turning 6 in 2025 is about a fifth of it.
    assert 0.1 * fives["persons"].sum() < first < 0.3 * fives["persons"].sum()


def test_projected_births_continue_the_direction_of_the_last_five_years(warehouse):
    """Births fell in 2020-2024 (published rates 12.7 → 10.74 ‰): the projection continues the fall, from
    its first year on (the constant-fertility method had them rise, 42.8万 → 48.7万, issue #11)."""
    observed = _q(warehouse, """SELECT year, births FROM mart.population_dynamics
                                WHERE region_code = '520000' AND year BETWEEN 2020 AND 2024 ORDER BY year""")
    assert observed["births"][-1] < observed["births"][0]
    projected = _q(warehouse, """SELECT year, births FROM mart.population_projection
                                 WHERE region_code = '520000' AND sex = 'all' AND age_group = '00-04' ORDER BY year""")
    births = projected["births"].to_list()
    assert max(births) < observed["births"][-1] and births[-1] < births[0]


def test_the_page_describes_the_method_the_batch_used():
    from cockpit.batch.population_projection import SETTINGS
    from cockpit.panels import population_projection as panel
    from models.projection import DAMPING

    assert (panel.RUNS, panel.WINDOW) == (SETTINGS["n_simulations"], SETTINGS["window"])
    assert SETTINGS.get("fertility_trend", "damped") == "damped" and SETTINGS.get("damping", DAMPING) == panel.DAMPING
    assert SETTINGS.get("jump_off", "observed") == "observed"   # the page says it starts from the base year's level
