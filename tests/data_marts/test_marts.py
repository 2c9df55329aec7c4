"""Mart invariants on the demo warehouse: roll-ups add up, no cell under k, nothing identifying."""

import duckdb
import pytest

from data_marts import invariants, mart_files, reference_tables

MARTS = [m for m in mart_files.discover() if m.materialize == "table"]


@pytest.mark.parametrize("mart", MARTS, ids=lambda m: m.name)
def test_published_marts_pass_the_invariants(warehouse, mart):
    assert invariants.violations(warehouse, mart, 10) == []


@pytest.mark.parametrize("mart", MARTS, ids=lambda m: m.name)
def test_marts_are_not_empty_and_carry_region_codes(warehouse, mart):
    columns = [r[0] for r in warehouse.execute(f"DESCRIBE mart.{mart.name}").fetchall()]
    assert "region_code" in columns
    assert warehouse.execute(f"SELECT count(*) FROM mart.{mart.name}").fetchone()[0] > 0
    bad = warehouse.execute(
        f"SELECT count(*) FROM mart.{mart.name} WHERE region_code NOT IN (SELECT code FROM mart.regions)"
    ).fetchone()[0]
    assert bad == 0


# (mart, additive measure, extra grain columns besides region and the time column)
ROLLUPS = [
    ("housing_stock", "units", ["use", "build_period"]),
    ("enterprise_dynamics", "stock", ["industry_section", "month"]),
    ("enterprise_dynamics", "new_entities", ["industry_section", "month"]),
    ("agriculture", "area_mu", ["crop", "year"]),
    ("population_dynamics", "births", ["year"]),
    ("population_structure", "persons", ["year", "sex", "age_group"]),
]


@pytest.mark.parametrize(("mart", "measure", "keys"), ROLLUPS, ids=lambda v: str(v))
def test_children_add_up_to_their_parent(warehouse, mart, measure, keys):
    """Where no child cell is suppressed, children sum exactly to the parent; otherwise never exceed it."""
    on = " AND ".join(f"c.{k} = p.{k}" for k in keys)
    rows = warehouse.execute(f"""
        SELECT p.region_code, p.{measure} AS parent, sum(c.{measure}) AS children,
               bool_or(c.{measure} IS NULL) AS any_suppressed
        FROM mart.{mart} AS p
        JOIN mart.regions AS r ON r.parent_code = p.region_code
        JOIN mart.{mart} AS c ON c.region_code = r.code AND {on}
        WHERE p.{measure} IS NOT NULL
        GROUP BY p.region_code, p.{measure}, {", ".join("p." + k for k in keys)}
    """).fetchall()
    assert rows
    for region, parent, children, any_suppressed in rows:
        if any_suppressed:
            assert (children or 0) <= parent, (region, parent, children)
        else:
            assert children == pytest.approx(parent, rel=1e-9, abs=0.11), (region, parent, children)


def test_population_accounting_identity_holds_at_every_level(warehouse):
    rows = warehouse.execute("""
        SELECT region_code, year, population, population_prev, births, deaths, moved_in, moved_out
        FROM mart.population_dynamics
        WHERE population IS NOT NULL AND population_prev IS NOT NULL AND births IS NOT NULL
          AND deaths IS NOT NULL AND moved_in IS NOT NULL AND moved_out IS NOT NULL
    """).fetchall()
    assert any(r[0] == "520000" for r in rows)
    for region, year, pop, prev, births, deaths, moved_in, moved_out in rows:
        assert pop == prev + births - deaths + moved_in - moved_out, (region, year)


def test_structure_totals_match_dynamics(warehouse):
    rows = warehouse.execute("""
        SELECT d.year, d.population, sum(s.persons)
        FROM mart.population_dynamics AS d
        JOIN mart.population_structure AS s USING (region_code, year)
        WHERE d.region_code = '520000'
        GROUP BY ALL
    """).fetchall()
    for year, population, persons in rows:
        assert persons == population, year


def test_economy_additive_indicators_roll_up(warehouse):
    rows = warehouse.execute("""
        SELECT p.indicator, p.period, p.region_code, p.cumulative_value, sum(c.cumulative_value)
        FROM mart.economy_indicators AS p
        JOIN mart.regions AS r ON r.parent_code = p.region_code
        JOIN mart.economy_indicators AS c ON c.region_code = r.code AND c.indicator = p.indicator AND c.period = p.period
        JOIN mart.indicators AS i ON i.code = p.indicator
        WHERE i.additive AND p.cumulative_value IS NOT NULL AND p.freq <> 'A'
        GROUP BY ALL
    """).fetchall()
    assert rows
    for indicator, period, region, parent, children in rows:
        assert children == pytest.approx(parent, abs=0.011 * 20), (indicator, period, region)


def test_current_value_derived_from_cumulative(warehouse):
    """当期值 = 累计值 − previous 累计值; February covers January and February."""
    feb, mar = warehouse.execute("""
        SELECT max(months_covered) FILTER (WHERE month_end = 2), max(months_covered) FILTER (WHERE month_end = 3)
        FROM mart.economy_indicators WHERE indicator = 'retail' AND region_code = '520000' AND year = 2023
    """).fetchone()
    assert (feb, mar) == (2, 1)
    cum2, cum3, cur3 = warehouse.execute("""
        SELECT max(cumulative_value) FILTER (WHERE month_end = 2), max(cumulative_value) FILTER (WHERE month_end = 3),
               max(current_value) FILTER (WHERE month_end = 3)
        FROM mart.economy_indicators WHERE indicator = 'retail' AND region_code = '520000' AND year = 2023
    """).fetchone()
    assert cur3 == pytest.approx(cum3 - cum2)


def test_economy_indicators_hold_one_unit_per_indicator_so_rankings_never_mix_units():
    """A row stored in another unit (loaded before ingest checked units) is left out of the mart, so a
    ranking cannot put 320 万美元 above 22,645.7 亿元; a row without a unit is in the declared one."""
    con = duckdb.connect()
    con.execute("CREATE SCHEMA base; CREATE SCHEMA mart")
    reference_tables.create(con)
    con.execute("CREATE TABLE base.economy (region_code VARCHAR, indicator VARCHAR, period VARCHAR, measure VARCHAR, "
                "value DOUBLE, unit VARCHAR, vintage VARCHAR)")
    con.execute("INSERT INTO base.economy VALUES ('520000', 'gdp', '2024', '当期值', 22645.7, '亿元', '2025-03'), "
                "('530000', 'gdp', '2024', '当期值', 320.0, '万美元', '2099-12-31'), "
                "('110000', 'gdp', '2024', '当期值', 49843.1, NULL, '2025-03'), "
                "('110000', 'gdp', '2024', '当期增速', 5.2, '%', '2025-03'), "
                "('530000', 'gdp', '2024', '当期增速', 5.0, '亿元', '2025-03')")
    mart = next(m for m in mart_files.discover() if m.name == "economy_indicators")
    rows = con.execute(f"SELECT region_code, current_value, yoy_current_pct, unit FROM ({mart.sql}) ORDER BY 1").fetchall()
    assert rows == [("110000", 49843.1, 5.2, "亿元"), ("520000", 22645.7, None, "亿元")]
