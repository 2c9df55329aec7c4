"""temp.population_events, the projection's input: every cohort closes exactly at every level, and its
stocks agree with the published marts. The helper is not published, so it is rebuilt here on a copy
of the demo warehouse."""

import shutil

import duckdb
import polars as pl
import pytest

from data_marts import history, mart_files
from data_marts.build import create_mart


@pytest.fixture(scope="module")
def events(demo_home, tmp_path_factory):
    copy = tmp_path_factory.mktemp("events") / "warehouse.duckdb"
    shutil.copyfile(demo_home / "warehouse.duckdb", copy)
    con = duckdb.connect(str(copy))
    history.set_variables(con)  # the home region and the years of data, as the build sets them
    marts = {m.name: m for m in mart_files.discover()}
    for name in ("residence_spells", "population_events"):
        create_mart(con, marts[name])
    yield con
    con.close()


def _q(con, sql, params=None):
    return pl.from_arrow(con.sql(sql, params=params).to_arrow_table())


def test_every_cohort_closes_at_every_level(events):
    """population(year, age) = population(year - 1, age - 1) + births - deaths + moved in - moved out."""
    residual = _q(events, """
        WITH e AS (SELECT * FROM temp.population_events),
        aged AS (SELECT region_code, year + 1 AS year, sex, least(age + 1, 100) AS age, sum(population) AS start
                 FROM e GROUP BY ALL)
        SELECT count(*) AS cells,
               sum(abs(coalesce(e.population, 0) - (coalesce(a.start, 0) + coalesce(e.births, 0) - coalesce(e.deaths, 0)
                       + coalesce(e.moved_in, 0) - coalesce(e.moved_out, 0))))::BIGINT AS off
        FROM e FULL JOIN aged AS a USING (region_code, year, sex, age)
        WHERE year BETWEEN 2015 AND 2024
    """)
    assert residual["cells"][0] > 1000
    assert residual["off"][0] == 0


def test_births_are_age_zero_and_totals_match_the_published_marts(events):
    assert _q(events, "SELECT count(*) AS n FROM temp.population_events WHERE age > 0 AND births > 0")["n"][0] == 0
    ours = _q(events, """SELECT region_code, year, sum(population)::BIGINT AS population, sum(births)::BIGINT AS births,
                                sum(deaths)::BIGINT AS deaths, sum(moved_in)::BIGINT AS moved_in,
                                sum(moved_out)::BIGINT AS moved_out
                         FROM temp.population_events WHERE year >= 2015 GROUP BY ALL""")
    published = _q(events, """SELECT region_code, year, population, births, deaths, moved_in, moved_out
                              FROM mart.population_dynamics""")
    joined = ours.join(published, on=["region_code", "year"])
    assert joined.height == published.height
    for column in ("population", "births", "deaths", "moved_in", "moved_out"):
        shown = joined.filter(pl.col(f"{column}_right").is_not_null())  # the mart withholds counts under k
        assert (shown[column] == shown[f"{column}_right"]).all(), column
