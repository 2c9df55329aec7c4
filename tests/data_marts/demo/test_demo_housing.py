"""The demo housing export: contract shape, determinism, geography, calibration and defect rates."""

from __future__ import annotations

import re

import numpy as np
import polars as pl
import pytest
import shapely
from shapely.ops import polylabel

from data_marts import regions, shapes
from data_marts.contracts.housing import CONTRACT, OCCUPANCY, USES
from data_marts.demo import housing
from data_marts.demo.calibration import (
    DWELLINGS_PER_HOUSEHOLD, FAMILY_HOUSEHOLDS_2020_WAN, FLOOR_AREA_PER_PERSON_M2, HOUSEHOLD_SIZE_2020,
)

SCALE = 0.002
SEED = 11
DTYPES = {"text": pl.String, "float": pl.Float64, "int": pl.Int64, "timestamp": pl.Datetime("us")}


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    return housing.generate(SCALE, SEED)


IN_RANGE = pl.col("lon").is_between(103.5, 109.7) & pl.col("lat").is_between(24.5, 29.3)


def test_same_seed_same_frame(frame):
    assert frame.equals(housing.generate(SCALE, SEED))
    assert not frame.equals(housing.generate(SCALE, SEED + 1))


def test_contract_columns_and_types(frame):
    assert frame.columns == [c.name for c in CONTRACT.columns]
    for column in CONTRACT.columns:
        assert frame.schema[column.name] == DTYPES[column.type], column.name
    required = [c.name for c in CONTRACT.columns if c.required]
    assert frame.select(pl.col(required).null_count()).sum_horizontal().item() == 0


def test_unit_counts_follow_households_and_population(frame):
    residential = frame.filter(pl.col("use") == "住宅").height
    expected = FAMILY_HOUSEHOLDS_2020_WAN * 1e4 * DWELLINGS_PER_HOUSEHOLD * SCALE
    assert abs(residential / expected - 1) < 0.01
    premises = frame.filter(pl.col("use").is_in(["商业", "办公", "工业", "公共服务"])).height
    assert 0.07 < premises / residential < 0.095
    counties = frame.group_by("county_code").len()
    assert sorted(counties["county_code"]) == sorted(c.code for c in regions.counties())
    # Every county has at least one unit of every non-residential use (legal entities link to them).
    per_use = frame.filter(pl.col("use") != "住宅").group_by("county_code", "use").len()
    assert per_use.filter(pl.col("use").is_in(["商业", "办公", "工业", "公共服务"])).height == 88 * 4


def test_ids_follow_the_documented_scheme(frame):
    pattern = re.compile(r"^\d{6}-\d{6}-\d{6}$")
    assert all(pattern.match(h) for h in frame["housing_id"])
    parts = frame.select(
        (pl.col("housing_id").str.slice(0, 6) == pl.col("county_code")).all().alias("county"),
        (pl.col("housing_id").str.slice(7, 6) == pl.col("grid_id")).all().alias("grid"),
    )
    assert parts.row(0) == (True, True)
    clean = frame.filter(IN_RANGE)
    lon = np.round(clean["lon"].to_numpy() * 1e6).astype(np.int64)
    lat = np.round(clean["lat"].to_numpy() * 1e6).astype(np.int64)
    row, col = (lat - 24_500_000) // 10_000, (lon - 103_500_000) // 10_000
    expected = [f"{r:03d}{c:03d}" for r, c in zip(row, col)]
    assert clean["grid_id"].to_list() == expected


def test_coordinates_inside_their_county(frame):
    clean = frame.filter(IN_RANGE)
    for (code,), group in clean.group_by(["county_code"]):
        inside = shapely.contains_xy(shapes.geometry(code), group["lon"].to_numpy(), group["lat"].to_numpy())
        assert inside.all(), code


def test_units_cluster_towards_the_urban_core(frame):
    # Compared with points spread uniformly over the county, units sit closer to its core.
    code = "520526"  # 威宁, the largest county
    geom = shapes.geometry(code)
    core = polylabel(max(geom.geoms, key=lambda g: g.area), tolerance=0.001)
    units = frame.filter(IN_RANGE & (pl.col("county_code") == code))
    rng = np.random.default_rng(0)
    minx, miny, maxx, maxy = geom.bounds
    x, y = rng.uniform(minx, maxx, 20_000), rng.uniform(miny, maxy, 20_000)
    keep = shapely.contains_xy(geom, x, y)

    def median_distance(lon, lat):
        return np.median(np.hypot((lon - core.x) * np.cos(np.radians(core.y)), lat - core.y))

    assert median_distance(units["lon"].to_numpy(), units["lat"].to_numpy()) < 0.8 * median_distance(x[keep], y[keep])


def test_attributes_plausible(frame):
    clean = frame.filter(pl.col("use").is_in(USES))
    assert set(clean["occupancy"].unique()) <= set(OCCUPANCY)
    res = clean.filter(pl.col("use") == "住宅")
    per_person = res["floor_area"].mean() / HOUSEHOLD_SIZE_2020
    assert abs(per_person / FLOOR_AREA_PER_PERSON_M2 - 1) < 0.05
    districts = [c.code for c in regions.counties() if c.name.endswith("区") and not c.name.endswith("特区")]
    in_district = res.filter(pl.col("county_code").is_in(districts))["floor_area"].mean()
    outside = res.filter(~pl.col("county_code").is_in(districts))["floor_area"].mean()
    assert in_district < outside
    assert res["floor_area"].min() >= 5
    assert clean.filter(pl.col("use") == "工业")["floor_area"].median() > res["floor_area"].median()
    years = clean["build_year"]
    assert years.min() >= 1950 and years.max() <= 2024
    assert years.median() >= 2005
    vacancy = (clean["occupancy"] == "空置").mean()
    assert 0.10 <= vacancy <= 0.15


def test_defect_rates(frame):
    n = frame.height
    duplicated = frame["housing_id"].is_duplicated().sum() / 2
    assert 0.0007 < duplicated / n < 0.0013
    out_of_range = frame.filter(~IN_RANGE).height
    assert 0.0007 < out_of_range / n < 0.0013
    invalid_use = frame.filter(~pl.col("use").is_in(USES)).height
    assert 0.0015 < invalid_use / n < 0.0025
    stale = frame.filter(pl.col("updated_at") < pl.datetime(2023, 11, 27)).height
    assert 0.007 < stale / n < 0.013
    assert frame["updated_at"].max().year == 2024


def test_write_parquet_with_chinese_headers(frame, tmp_path):
    paths = housing.write(frame, tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == ["housing/房屋基础库_20241231.parquet"]
    back = pl.read_parquet(paths[0])
    assert back.columns == [c.zh for c in CONTRACT.columns]
    assert back.rename({c.zh: c.name for c in CONTRACT.columns}).equals(frame)
