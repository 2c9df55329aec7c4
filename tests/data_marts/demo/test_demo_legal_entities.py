"""The demo legal-entity register: codes, calibration, dynamics, defects and the department's .xlsx files."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import polars as pl
import pytest

from data_marts import regions
from data_marts.contracts.legal_entities import CONTRACT
from data_marts.demo import legal_entities as le
from data_marts.demo.calibration import COOPERATIVES_2023_WAN, ENTERPRISES_2023_WAN

SCALE = 0.01
SEED = 11

# Independent of the module under test: GB 32100-2015 and GB 11714 as the standards state them.
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS_18 = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
WEIGHTS_17 = [3, 7, 9, 10, 5, 8, 4, 2]
PREFIX = {"企业": "91", "农民专业合作社": "93", "事业单位": "12", "社会团体": "51", "民办非企业单位": "52",
          "基金会": "53", "机关": "11", "其他": "Y1"}
# GB/T 4754-2017: the 2-digit divisions of each section.
SECTION_RANGES = {"A": (1, 5), "B": (6, 12), "C": (13, 43), "D": (44, 46), "E": (47, 50), "F": (51, 52),
                  "G": (53, 60), "H": (61, 62), "I": (63, 65), "J": (66, 69), "K": (70, 70), "L": (71, 72),
                  "M": (73, 75), "N": (76, 79), "O": (80, 82), "P": (83, 83), "Q": (84, 85), "R": (86, 90),
                  "S": (91, 96), "T": (97, 97)}


def check_18_ok(code: str) -> bool:
    total = sum(CHARSET.index(ch) * w for ch, w in zip(code[:17], WEIGHTS_18))
    return CHARSET[(31 - total % 31) % 31] == code[17]


def check_17_ok(code: str) -> bool:
    total = sum(int(ch, 36) * w for ch, w in zip(code[8:16], WEIGHTS_17))
    c9 = 11 - total % 11
    return code[16] == {10: "X", 11: "0"}.get(c9, str(c9))


def fake_housing(units_per_county: int = 60) -> pl.DataFrame:
    rng = np.random.default_rng(0)
    uses = np.array(["住宅", "商业", "办公", "工业", "公共服务", "其他"])
    codes = [c.code for c in regions.counties()]
    return pl.DataFrame({
        "housing_id": [f"{c}-{i // 100:06d}-{i % 100:06d}" for c in codes for i in range(units_per_county)],
        "county_code": np.repeat(codes, units_per_county),
        "use": uses[rng.choice(6, size=units_per_county * len(codes), p=[0.8, 0.06, 0.05, 0.04, 0.03, 0.02])],
    })


@pytest.fixture(scope="module")
def housing() -> pl.DataFrame:
    return fake_housing()


@pytest.fixture(scope="module")
def entities(housing) -> pl.DataFrame:
    return le.generate(SCALE, SEED, housing)


def test_standard_worked_example():
    code = "91350100M000100Y43"
    assert check_18_ok(code) and check_17_ok(code)
    assert not check_18_ok("91350100M000100Y40")
    assert le.uscc_check_char(code[:17]) == "3"
    assert le.org_check_char("M000100Y") == "4"


def test_contract_columns_and_types(entities):
    types = {"text": pl.String, "float": pl.Float64, "int": pl.Int64, "date": pl.Date,
             "timestamp": pl.Datetime("us")}
    assert entities.columns == [c.name for c in CONTRACT.columns]
    for column in CONTRACT.columns:
        assert entities.schema[column.name] == types[column.type], column.name
    for name in CONTRACT.required:
        if name != "industry_section":                       # missing on purpose in a few rows
            assert entities[name].null_count() == 0, name


def test_deterministic(housing, entities):
    again = le.generate(SCALE, SEED, housing)
    assert again.equals(entities)
    assert not le.generate(SCALE, SEED + 1, housing).equals(entities)


def test_credit_codes_valid_except_injected_defects(entities):
    codes = entities["credit_code"].to_list()
    n = len(codes)
    assert all(re.fullmatch(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}", c) for c in codes)
    bad_18 = sum(not check_18_ok(c) for c in codes)
    bad_17 = sum(check_18_ok(c) and not check_17_ok(c) for c in codes)
    assert bad_18 / n == pytest.approx(le.DEFECT_RATES["bad_check_18"], rel=0.25)
    assert bad_17 / n == pytest.approx(le.DEFECT_RATES["bad_check_17"], rel=0.35)
    assert (entities["credit_code"].str.slice(2, 6) == entities["region_code"]).all()
    prefix = entities["entity_type"].replace_strict(PREFIX, return_dtype=pl.String)
    assert (entities["credit_code"].str.slice(0, 2) == prefix).all()
    assert entities["region_code"].is_in([c.code for c in regions.counties()]).all()


def test_new_market_entities_have_new_style_bodies(entities):
    recent = entities.filter(pl.col("entity_type").is_in(["企业", "农民专业合作社"]),
                             pl.col("established_date") >= dt.date(2016, 1, 1))
    assert recent["credit_code"].str.slice(8, 3).eq("MA6").all()
    old = entities.filter(pl.col("established_date") < dt.date(2015, 1, 1))
    assert old["credit_code"].str.slice(8, 8).str.contains(r"^\d{8}$").all()


def test_duplicates_are_re_sends(entities):
    n = entities.height
    dup_rows = n - entities["credit_code"].n_unique()
    assert dup_rows / n == pytest.approx(le.DEFECT_RATES["duplicate_code"], rel=0.35)
    twins = entities.filter(pl.col("credit_code").is_duplicated())
    stable = ["name", "entity_type", "region_code", "established_date", "industry_code"]
    assert twins.group_by("credit_code").agg(pl.struct(stable).n_unique().alias("k"))["k"].max() == 1


def test_sections_and_divisions_consistent(entities):
    known = entities.filter(pl.col("industry_section").is_not_null())
    for section, division in known.select("industry_section", "industry_code").unique().iter_rows():
        low, high = SECTION_RANGES[section]
        assert low <= int(division) <= high, (section, division)
    assert entities["industry_code"].str.contains(r"^\d{2}$").all()
    missing = entities["industry_section"].null_count() / entities.height
    assert missing == pytest.approx(le.DEFECT_RATES["missing_section"], rel=0.3)


def test_industry_mix(entities):
    firms = entities.filter(pl.col("entity_type") == "企业")["industry_section"].value_counts(normalize=True)
    share = dict(firms.iter_rows())
    assert share["F"] > share["L"] > share["C"] and share["E"] > 0.06
    coops = entities.filter(pl.col("entity_type") == "农民专业合作社")["industry_section"]
    assert (coops == "A").mean() > 0.75
    assert set(entities.filter(pl.col("entity_type") == "机关")["industry_section"].drop_nulls()) == {"S"}


def test_calibrated_to_active_counts_at_end_2023(entities):
    day = dt.date(2023, 12, 31)
    active = (entities.unique("credit_code", keep="first")
              .filter(pl.col("established_date") <= day,
                      pl.col("cancelled_date").is_null() | (pl.col("cancelled_date") > day)))
    counts = dict(active.group_by("entity_type").len().iter_rows())
    assert counts["企业"] == pytest.approx(ENTERPRISES_2023_WAN * 1e4 * SCALE, rel=0.05)
    assert counts["农民专业合作社"] == pytest.approx(COOPERATIVES_2023_WAN * 1e4 * SCALE, rel=0.15)
    assert set(counts) >= {"事业单位", "社会团体", "民办非企业单位", "机关"}


def test_county_spread_favours_guiyang(entities):
    firms = entities.filter(pl.col("entity_type") == "企业")
    share = firms["region_code"].str.starts_with("5201").mean()
    assert share > 0.2                                 # 15.5 % of the population
    coop = entities.filter(pl.col("entity_type") == "农民专业合作社")
    assert coop["region_code"].str.starts_with("5201").mean() < share


def test_registration_dynamics(entities):
    firms = entities.filter(pl.col("entity_type") == "企业")
    by_year = dict(firms.group_by(pl.col("established_date").dt.year()).len().iter_rows())
    assert all(by_year[y] > by_year[y - 1] * 0.9 for y in range(2016, 2025))
    assert by_year[2024] > by_year[2015] * 1.3
    month = firms.with_columns(y=pl.col("established_date").dt.year(), m=pl.col("established_date").dt.month())
    spring = {y: month.filter(pl.col("y") == y, pl.col("m").is_between(2, 4)).height for y in (2019, 2020, 2021)}
    assert spring[2020] < 0.85 * (spring[2019] + spring[2021]) / 2      # COVID-19, February–April 2020
    recent = month.filter(pl.col("y").is_between(2016, 2024))
    per_month = recent.group_by("m").len().sort("m")["len"].to_numpy()
    assert per_month[1] < 0.8 * per_month[2:].mean()   # February, around the Spring Festival


def test_cancellations_and_survival(entities):
    consistent = pl.col("cancelled_date").is_null() | (pl.col("cancelled_date") >= pl.col("established_date"))
    firms = entities.filter(pl.col("entity_type") == "企业", consistent)
    assert firms["cancelled_date"].max() <= le.SNAPSHOT
    assert firms["cancelled_date"].drop_nulls().min() >= le.LIBRARY_FROM
    cohort = firms.filter(pl.col("established_date").dt.year() == 2016)
    alive_5y = (cohort["cancelled_date"].is_null()
                | (cohort["cancelled_date"] > pl.Series([dt.date(2021, 6, 30)]))).mean()
    assert 0.5 < alive_5y < 0.85
    early = entities.filter(pl.col("cancelled_date") < pl.col("established_date")).height / entities.height
    assert early == pytest.approx(le.DEFECT_RATES["cancelled_before_established"], abs=0.0006)


def test_amounts(entities):
    firms = entities.filter(pl.col("entity_type") == "企业")
    assert 30 < firms["registered_capital"].median() < 300
    assert firms["registered_capital"].min() > 0
    assert firms["employees"].quantile(0.99) > 10 * firms["employees"].median()   # heavy tail
    assert entities.filter(pl.col("entity_type") == "机关")["registered_capital"].null_count() > 0
    assert entities["employees"].max() <= 500_000
    assert entities["legal_rep"].str.contains(r"^[\u4e00-\u9fff]{2,3}$").all()


def test_housing_links(entities, housing):
    exists = entities["housing_id"].is_in(housing["housing_id"].implode())
    assert (~exists).mean() == pytest.approx(le.DEFECT_RATES["unknown_housing"], rel=0.25)
    assert entities["housing_id"].str.contains(r"^\d{6}-\d{6}-\d{6}$").all()
    linked = entities.filter(exists).join(housing, on="housing_id")
    assert (linked["county_code"] == linked["region_code"]).all()
    firms = linked.filter(pl.col("entity_type") == "企业")
    assert (firms["use"] != "住宅").mean() > 0.8
    coops = linked.filter(pl.col("entity_type") == "农民专业合作社")
    assert (coops["use"] == "住宅").mean() > 0.4


def test_stale_updates(entities):
    stale = entities["updated_at"] < dt.datetime.combine(le.STALE_BEFORE, dt.time())
    assert stale.mean() == pytest.approx(le.DEFECT_RATES["stale_updated_at"], rel=0.25)
    assert entities["updated_at"].max() <= dt.datetime(2024, 12, 31, 23, 59, 59)
    fresh = entities.filter(~stale)
    assert (fresh["updated_at"].dt.date() >= fresh["established_date"]).all()


@pytest.fixture(scope="module")
def small(housing) -> pl.DataFrame:
    return le.generate(0.002, SEED, housing)


def test_xlsx_files_read_back(small, tmp_path):
    paths = le.write(small, tmp_path)
    prefectures = regions.at_level("prefecture")
    assert [p.name for p in paths] == [f"法人库_{r.name}_20241231.xlsx" for r in prefectures]
    assert all(p.parent == tmp_path / "legal_entities" for p in paths)
    frames = []
    for i, path in enumerate(paths):
        look = le.layout(i)
        raw = pl.read_excel(path, sheet_name=le.SHEET, has_header=False)
        assert raw.row(0)[0] == f"贵州省{prefectures[i].name}法人单位登记信息（截至2024年12月31日）"
        frame = pl.read_excel(path, sheet_name=le.SHEET, read_options={"header_row": look["header_row"]})
        assert frame.columns[1] == look["name_header"]
        assert frame.columns[0] == "统一社会信用代码"
        assert frame.schema["成立日期"] == pl.Date and frame.schema["更新时间"] in (pl.Datetime("ms"), pl.Datetime("us"))
        frames.append(frame.rename({look["name_header"]: "单位名称"}))
    back = pl.concat(frames)
    assert back.height == small.height
    assert sorted(back["统一社会信用代码"].to_list()) == sorted(small["credit_code"].to_list())
    assert back["成立日期"].sort().to_list() == small["established_date"].sort().to_list()
    assert {le.layout(i)["name_header"] for i in range(9)} == {"单位名称", "企业名称"}
    assert {le.layout(i)["header_row"] for i in range(9)} == {1, 2}


def test_xlsx_byte_identical(small, tmp_path):
    first = le.write(small, tmp_path / "a")
    second = le.write(small, tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_xlsx_splits_when_a_sheet_would_overflow(small, tmp_path):
    guiyang = small.filter(pl.col("region_code").str.starts_with("5201"))
    paths = le.write(guiyang, tmp_path, max_rows_per_sheet=200)
    assert len(paths) == -(-guiyang.height // 198) > 1
    assert paths[0].name == "法人库_贵阳市_20241231_1.xlsx"
    total = 0
    for path in paths:
        frame = pl.read_excel(path, sheet_name=le.SHEET, read_options={"header_row": 1})
        assert frame.height + 2 <= 200
        total += frame.height
    assert total == guiyang.height
