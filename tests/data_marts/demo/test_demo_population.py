"""The demo population export: contract shape, determinism, ID numbers, calibration to the
published series, the link to housing, defect rates and the department's GBK file."""

from __future__ import annotations

import datetime as dt
import io

import polars as pl
import pytest

from data_marts import regions
from data_marts.contracts.population import CONTRACT
from data_marts.demo import housing, population
from data_marts.demo.calibration import (
    AGE_65_PLUS_2020, AGE_SHARES_2020, CENSUS_2020_PREFECTURE, POPULATION_WAN, SEX_RATIO_2020,
)

SCALE = 0.004
SEED = 11
DTYPES = {"text": pl.String, "float": pl.Float64, "int": pl.Int64, "date": pl.Date,
          "timestamp": pl.Datetime("us")}
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
GUIZHOU_COUNTIES = {c.code for c in regions.counties()}


def id_is_valid(number: str) -> bool:
    """GB 11643-1999, written out independently of the generator: digits, a real date, check char."""
    if len(number) != 18 or not number[:17].isdigit() or number[17] not in "0123456789X":
        return False
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], WEIGHTS))
    return "10X98765432"[total % 11] == number[17]


@pytest.fixture(scope="module")
def units() -> pl.DataFrame:
    return housing.generate(SCALE, SEED)


@pytest.fixture(scope="module")
def people(units) -> pl.DataFrame:
    return population.generate(SCALE, SEED, units)


@pytest.fixture(scope="module")
def checked(people) -> pl.DataFrame:
    valid = [id_is_valid(x) for x in people["id_number"]]
    return people.with_columns(
        id_ok=pl.Series(valid),
        sex_ok=(pl.col("id_number").str.slice(16, 1).cast(pl.Int64) % 2 == 1) == (pl.col("sex") == "男"),
    )


@pytest.fixture(scope="module")
def clean(checked) -> pl.DataFrame:
    """What ingest loads: valid ID, sex matching it, a residence; one row per ID number."""
    return (checked.filter(pl.col("id_ok") & pl.col("sex_ok") & pl.col("residence_code").is_not_null())
            .unique("id_number", keep="first", maintain_order=True))


def residents(clean: pl.DataFrame, year: int) -> pl.DataFrame:
    """The reconstruction rule the marts use: residents of Guizhou on 31 December of ``year``."""
    end = dt.date(year, 12, 31)
    alive = clean.filter(
        (pl.col("birth_date") <= end)
        & (pl.col("death_date").is_null() | (pl.col("death_date") > end))
        & (pl.col("leave_date").is_null() | (pl.col("leave_date") > end))
    )
    county = (
        pl.when(pl.col("settle_date").is_null() | (pl.col("settle_date") <= end)).then(pl.col("residence_code"))
        .when(pl.col("origin_code").is_in(list(GUIZHOU_COUNTIES))).then(pl.col("origin_code"))
    )
    return alive.with_columns(county=county, age=year - pl.col("birth_date").dt.year()).filter(
        pl.col("county").is_not_null())


def test_same_seed_same_frame(units, people):
    assert people.equals(population.generate(SCALE, SEED, units))


def test_contract_columns_and_types(people):
    assert people.columns == [c.name for c in CONTRACT.columns]
    for column in CONTRACT.columns:
        assert people.schema[column.name] == DTYPES[column.type], column.name
    required = [c.name for c in CONTRACT.columns if c.required and c.name != "residence_code"]
    assert people.select(pl.col(required).null_count()).sum_horizontal().item() == 0


def test_id_numbers_valid_except_injected_defects(checked):
    bad = (~checked["id_ok"]).mean()
    assert 0.0015 < bad < 0.0025
    assert checked["id_number"].str.contains(r"^\d{17}[\dX]$").all()
    # Duplicates only from the injected ~0.05 % repeated rows.
    repeated = checked["id_number"].is_duplicated().sum() / 2 / checked.height
    assert 0.0003 < repeated < 0.0007


def test_id_numbers_agree_with_birth_date_sex_and_birthplace(checked, clean):
    assert (checked["id_number"].str.slice(6, 8) == checked["birth_date"].dt.strftime("%Y%m%d")).all()
    assert 0.0007 < (~checked["sex_ok"]).mean() < 0.0013
    prefix = clean["id_number"].str.slice(0, 6)
    # Born in Guizhou after 2014 without a move: the county of birth is the residence county.
    native = clean.filter((pl.col("birth_date") > dt.date(2014, 12, 31)) & pl.col("settle_date").is_null())
    assert (native["id_number"].str.slice(0, 6) == native["residence_code"]).all()
    # Arrivals from other provinces carry their origin county in the ID.
    arrivals = clean.filter(pl.col("origin_code").is_not_null() & ~pl.col("origin_code").str.starts_with("52"))
    assert arrivals.height > 0
    assert (arrivals["id_number"].str.slice(0, 6) == arrivals["origin_code"]).all()
    provinces = {c.code[:2] for c in regions.at_level("province", "000000")}
    assert prefix.str.slice(0, 2).is_in(sorted(provinces)).all()


def test_dates_are_consistent(clean):
    for column in ("settle_date", "leave_date", "death_date"):
        assert clean.filter(pl.col(column) < pl.col("birth_date")).height == 0, column
    assert clean.filter(pl.col("leave_date").is_not_null() & pl.col("death_date").is_not_null()).height == 0
    assert clean.filter(pl.col("leave_date") < pl.col("settle_date")).height == 0
    assert clean.filter(pl.col("death_date") < pl.col("settle_date")).height == 0
    assert clean["birth_date"].min() >= dt.date(1900, 1, 1)
    assert clean["birth_date"].max() <= dt.date(2024, 12, 31)
    assert clean["residence_code"].is_in(list(GUIZHOU_COUNTIES)).all()


def test_year_end_population_reconstructs_the_published_series(clean):
    for year, wan in POPULATION_WAN.items():
        count = residents(clean, year).height
        assert abs(count / (wan * 1e4 * SCALE) - 1) < 0.01, year


def test_vital_events_follow_published_rates(clean):
    # Born in Guizhou (ID prefix 52) in 2017; arrivals born that year elsewhere do not count.
    births = clean.filter((pl.col("birth_date").dt.year() == 2017) & pl.col("id_number").str.starts_with("52")).height
    assert abs(births / (13.98 / 1000 * (3758 + 3803) / 2 * 1e4 * SCALE) - 1) < 0.03
    deaths = clean.filter(pl.col("death_date").dt.year() == 2023).height
    assert abs(deaths / (7.77 / 1000 * (3856 + 3865) / 2 * 1e4 * SCALE) - 1) < 0.08


def test_prefecture_shares_2020(clean):
    r = residents(clean, 2020).with_columns(pref=pl.col("county").str.slice(0, 4) + "00")
    total = sum(CENSUS_2020_PREFECTURE.values())
    shares = dict(r.group_by("pref").len().select("pref", pl.col("len") / r.height).iter_rows())
    for code, persons in CENSUS_2020_PREFECTURE.items():
        assert abs(shares[code] - persons / total) < 0.005, code


def test_age_and_sex_structure_2020(clean):
    r = residents(clean, 2020).with_columns(pref=pl.col("county").str.slice(0, 4) + "00")
    for code, target in AGE_SHARES_2020.items():
        group = r if code == "520000" else r.filter(pl.col("pref") == code)
        young = (group["age"] <= 14).mean() * 100
        old = (group["age"] >= 60).mean() * 100
        assert abs(young - target["0-14"]) < 2, code
        assert abs(old - target["60+"]) < 2, code
        assert abs(100 - young - old - target["15-59"]) < 2, code
    assert abs((r["age"] >= 65).mean() * 100 - AGE_65_PLUS_2020) < 2
    for code, target in SEX_RATIO_2020.items():
        group = r if code == "520000" else r.filter(pl.col("pref") == code)
        ratio = (group["sex"] == "男").sum() / (group["sex"] == "女").sum() * 100
        # Prefecture samples are small at test scale: allow two more points of sampling noise.
        assert abs(ratio - target) < (1.5 if code == "520000" else 3.5), code


def test_migration_kinds_present(clean):
    moved = pl.col("settle_date") > dt.date(2014, 12, 31)
    internal = clean.filter(pl.col("origin_code").str.starts_with("52") & moved)
    assert (internal["origin_code"] != internal["residence_code"]).all()
    assert 0.05 < internal.height / clean.height < 0.2
    assert clean.filter(pl.col("leave_date").is_not_null()).height / clean.height > 0.05


def test_ethnic_groups_and_names(clean):
    minorities = (clean["ethnicity"] != "汉族").mean()
    assert 0.33 < minorities < 0.40
    qiandongnan = clean.filter(pl.col("residence_code").str.starts_with("5226"))
    assert (qiandongnan["ethnicity"] != "汉族").mean() > 0.6
    assert clean["name"].str.len_chars().is_between(2, 3).all()
    "".join(clean["name"].unique().to_list()).encode("gbk")


def test_housing_links(people, units, clean):
    n = people.height
    assert 0.015 < people["housing_id"].null_count() / n < 0.025
    known = units["housing_id"].implode()
    unlinked = people.filter(pl.col("housing_id").is_not_null() & ~pl.col("housing_id").is_in(known)).height
    assert 0.003 < unlinked / n < 0.007
    assert people["housing_id"].drop_nulls().str.contains(r"^\d{6}-\d{6}-\d{6}$").all()
    now = residents(clean, 2024).join(units.unique("housing_id", keep="none"), on="housing_id", how="inner")
    assert (now["county"] == now["county_code"]).all()
    family = now.filter(pl.col("use") == "住宅")
    assert family.filter(pl.col("occupancy") == "空置").height == 0
    per_unit = family.height / family["housing_id"].n_unique()
    assert 2.6 < per_unit < 2.95   # 2.81 per household, less the rows whose link is missing
    collective = now.filter(pl.col("use") == "公共服务").height / now.height
    assert 0.05 < collective < 0.09


def test_updated_at(people):
    stale = people.filter(pl.col("updated_at") < pl.datetime(2023, 11, 27)).height / people.height
    assert 0.007 < stale < 0.013
    assert people["updated_at"].max() <= dt.datetime(2024, 12, 31, 23, 59, 59)
    recent = people.filter(pl.col("updated_at") >= pl.datetime(2024, 1, 1)).height / people.height
    assert recent > 0.98


def test_write_gbk_csv(people, units, tmp_path, monkeypatch):
    monkeypatch.setattr(population, "CHUNK_ROWS", 50_000)  # several chunks at test scale
    paths = population.write(people, tmp_path / "a")
    assert [p.relative_to(tmp_path / "a").as_posix() for p in paths] == ["population/人口基础库_20241231.csv"]
    raw = paths[0].read_bytes()
    text = raw.decode("gbk")
    header = text.split("\n", 1)[0].split(",")
    assert header[0] == "身份证号"
    assert header[1:] == [c.zh for c in CONTRACT.columns][1:]
    back = pl.read_csv(io.StringIO(text), infer_schema=False)
    assert back.height == people.height
    assert back["出生日期"].str.contains(r"^\d{4}-\d{2}-\d{2}$").all()
    assert back["更新时间"].str.contains(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$").all()
    assert back["身份证号"].to_list() == people["id_number"].to_list()
    assert back["死亡日期"].null_count() == people["death_date"].null_count()  # empty string = null
    # The streaming path writes the same bytes without materialising the frame.
    streamed = population.export(SCALE, SEED, units, tmp_path / "b", chunk_rows=30_000)
    assert streamed[0].read_bytes() == raw
