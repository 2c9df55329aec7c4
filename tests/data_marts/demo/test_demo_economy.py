"""The demo macro-economy: calibration, exact roll-ups, the bureau's reporting habits, portal CSVs,
and the real published fixture."""

from __future__ import annotations

import csv
import io

import numpy as np
import polars as pl
import pytest

from data_marts import indicators, regions
from data_marts.contracts.economy import CONTRACT
from data_marts.demo import economy, statsportal_format
from data_marts.demo.calibration import GDP_BULLETIN_YI, GDP_REAL_GROWTH, GDP_YI, POPULATION_WAN
from data_marts.paths import PUBLISHED_DIR

SEED = 5
ADDITIVE_LEVELS = ("gdp", "retail", "fiscal_revenue")


@pytest.fixture(scope="module")
def econ() -> pl.DataFrame:
    return economy.generate(SEED)


@pytest.fixture(scope="module")
def files(econ, tmp_path_factory):
    folder = tmp_path_factory.mktemp("inbox")
    return economy.write(econ, folder)


def series(df: pl.DataFrame, indicator: str, measure: str) -> pl.DataFrame:
    return df.filter(pl.col("indicator") == indicator, pl.col("measure") == measure)


def read_portal(path) -> list[list[str]]:
    text = path.read_bytes().decode("gbk")
    return list(csv.reader(io.StringIO(text)))


def test_contract_shape(econ):
    assert econ.columns == [c.name for c in CONTRACT.columns]
    assert all(econ.schema[c] == pl.String for c in econ.columns if c != "value")
    assert econ.schema["value"] == pl.Float64
    assert econ.select(CONTRACT.key).is_duplicated().sum() == 0
    assert econ["period"].str.contains(r"^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$").all()
    assert set(econ["measure"]) <= set(indicators.MEASURE_VALUES)
    assert econ["value"].is_null().sum() == 0 and econ["value"].is_nan().sum() == 0
    codes = {regions.PROVINCE, *(r.code for r in regions.at_level("prefecture")), *(c.code for c in regions.counties())}
    assert set(econ["region_code"]) == codes and len(codes) == 98
    assert set(econ["indicator"]) == {i.code for i in indicators.INDICATORS} - {"population"}
    assert econ["period"].min() >= "2015" and econ["period"].max() <= "2024-Q4"


def test_deterministic(econ, files, tmp_path):
    assert economy.generate(SEED).equals(econ)
    again = economy.write(econ, tmp_path)
    assert [p.name for p in again] == [p.name for p in files]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(again, files))


def test_what_the_bureau_publishes(econ):
    published = {(i, m) for i, m in econ.select("indicator", "measure").unique().iter_rows()}
    growth_only = {("industrial_va", "累计增速"), ("fai", "累计增速")}
    assert growth_only <= published
    assert ("industrial_va", "累计值") not in published and ("fai", "累计值") not in published
    for code in ("gdp", "retail", "fiscal_revenue", "disposable_income"):
        assert {(code, "累计值"), (code, "累计增速")} <= published
    assert ("cpi", "当期值") in published
    gdp = series(econ, "gdp", "累计值")
    assert gdp["period"].str.contains(r"^\d{4}-Q[1-4]$").all() and gdp["unit"].unique().to_list() == ["亿元"]
    assert series(econ, "gdp", "累计增速")["unit"].unique().to_list() == ["%"]


def test_province_gdp_equals_calibration(econ):
    q4 = series(econ, "gdp", "累计值").filter(pl.col("region_code") == regions.PROVINCE,
                                            pl.col("period").str.ends_with("Q4"))
    assert {int(p[:4]): v for p, v in q4.select("period", "value").iter_rows()} == GDP_YI
    growth = series(econ, "gdp", "累计增速").filter(pl.col("region_code") == regions.PROVINCE,
                                                pl.col("period").str.ends_with("Q4"))
    real = {int(p[:4]): v for p, v in growth.select("period", "value").iter_rows()}
    for year, rate in GDP_REAL_GROWTH.items():
        assert real[year] == pytest.approx(rate, abs=0.1)


def test_prefecture_gdp_near_2020_shares(econ):
    from data_marts.demo.calibration import GDP_2020_PREFECTURE_YI
    total = sum(GDP_2020_PREFECTURE_YI.values())
    gdp = series(econ, "gdp", "累计值").filter(pl.col("period") == "2020-Q4")
    values = dict(gdp.select("region_code", "value").iter_rows())
    for code, value in GDP_2020_PREFECTURE_YI.items():
        assert values[code] / GDP_YI[2020] == pytest.approx(value / total, abs=0.01)


@pytest.mark.parametrize("indicator", ADDITIVE_LEVELS)
def test_additive_roll_ups_exact(econ, indicator):
    level = series(econ, indicator, "累计值").with_columns(cents=(pl.col("value") * 100).round().cast(pl.Int64))
    assert (level["cents"] - level["value"] * 100).abs().max() < 1e-6         # at most 2 decimals
    parent = {r.code: r.parent_code for r in regions.regions()}
    level = level.with_columns(parent=pl.col("region_code").replace_strict(parent, default=None))
    sums = (level.filter(pl.col("parent").is_not_null())
            .group_by("parent", "period").agg(pl.col("cents").sum().alias("children")))
    joined = sums.join(level.select("region_code", "period", "cents"),
                       left_on=["parent", "period"], right_on=["region_code", "period"])
    assert joined.height == 10 * level["period"].n_unique()
    assert (joined["children"] == joined["cents"]).all()


def test_no_january_for_cumulative_monthly(econ):
    monthly = econ.filter(pl.col("period").str.contains(r"^\d{4}-\d{2}$"))
    cumulative = monthly.filter(pl.col("measure").is_in(["累计值", "累计增速"]))
    assert not cumulative["period"].str.ends_with("-01").any()
    assert cumulative.filter(pl.col("period").str.ends_with("-02")).height > 0
    cpi = series(econ, "cpi", "当期值")
    assert cpi["period"].str.ends_with("-01").sum() == 98 * 10


def test_cumulative_levels_non_decreasing_within_year(econ):
    level = econ.filter(pl.col("measure") == "累计值").with_columns(year=pl.col("period").str.slice(0, 4))
    ordered = level.sort("indicator", "region_code", "period")
    steps = ordered.group_by("indicator", "region_code", "year").agg(pl.col("value").diff().min().alias("d"))
    assert steps["d"].drop_nulls().min() >= 0
    assert level["value"].min() > 0


def test_growth_consistent_with_internal_levels(econ):
    levels = economy.levels(SEED).filter(pl.col("indicator").is_in(["industrial_va", "fai"]))
    levels = levels.with_columns(year=pl.col("period").str.slice(0, 4).cast(pl.Int32),
                                 month=pl.col("period").str.slice(5, 2).cast(pl.Int32))
    cum = levels.sort("period").with_columns(
        cum=pl.col("volume").cum_sum().over("indicator", "region_code", "year"))
    previous = cum.with_columns(year=pl.col("year") + 1).select("indicator", "region_code", "year", "month",
                                                                pl.col("cum").alias("before"))
    expected = (cum.join(previous, on=["indicator", "region_code", "year", "month"])
                .filter(pl.col("month") > 1)
                .with_columns(period=pl.format("{}-{}", "year", pl.col("month").cast(pl.String).str.zfill(2)),
                              rate=((pl.col("cum") / pl.col("before") - 1) * 100).round(1)))
    published = econ.filter(pl.col("measure") == "累计增速", pl.col("indicator").is_in(["industrial_va", "fai"]))
    check = published.join(expected, on=["indicator", "region_code", "period"])
    assert check.height == published.height
    assert (check["value"] - check["rate"]).abs().max() < 1e-9


def test_2020_shock_and_recovery(econ):
    growth = series(econ, "gdp", "累计增速").filter(pl.col("region_code") == regions.PROVINCE)
    rate = dict(growth.select("period", "value").iter_rows())
    assert rate["2020-Q1"] < 0 < rate["2020-Q4"]
    assert rate["2021-Q1"] > rate["2021-Q4"] + 3                         # base effect
    retail = dict(series(econ, "retail", "累计增速").filter(pl.col("region_code") == regions.PROVINCE)
                  .select("period", "value").iter_rows())
    assert retail["2020-03"] < -5 and retail["2019-03"] > 0


def test_cpi_follows_the_spring_festival(econ):
    cpi = dict(series(econ, "cpi", "当期值").filter(pl.col("region_code") == regions.PROVINCE)
               .select("period", "value").iter_rows())
    moved_to_jan = [y for y in range(2015, 2025) if economy.SPRING_FESTIVAL[y].month == 1
                    and economy.SPRING_FESTIVAL[y - 1].month == 2]
    moved_to_feb = [y for y in range(2015, 2025) if economy.SPRING_FESTIVAL[y].month == 2
                    and economy.SPRING_FESTIVAL[y - 1].month == 1]
    jan_minus_feb = lambda years: np.mean([cpi[f"{y}-01"] - cpi[f"{y}-02"] for y in years])  # noqa: E731
    assert moved_to_jan and moved_to_feb
    assert jan_minus_feb(moved_to_jan) > jan_minus_feb(moved_to_feb) + 0.5
    assert 97 < min(cpi.values()) and max(cpi.values()) < 106


def test_targets(econ):
    growth = econ.filter(pl.col("measure") == "目标增速")
    assert growth["period"].str.contains(r"^\d{4}$").all()
    assert set(growth["indicator"]) == {"gdp", "industrial_va", "fai", "retail", "fiscal_revenue",
                                        "disposable_income"}
    gdp = series(econ, "gdp", "目标增速")
    assert gdp["value"].min() >= 4 and gdp["value"].max() <= 16
    assert ((gdp["value"] * 2) % 1 == 0).all()
    province = dict(gdp.filter(pl.col("region_code") == regions.PROVINCE).select("period", "value").iter_rows())
    prefectures = gdp.filter(pl.col("region_code").str.ends_with("00"), pl.col("region_code") != regions.PROVINCE)
    assert prefectures.group_by("region_code").agg(
        (pl.col("value") - pl.col("period").replace_strict(province)).mean().alias("a"))["a"].max() > 1  # ambitious
    levels = econ.filter(pl.col("measure") == "目标值")
    assert set(levels["indicator"]) == {"retail", "fiscal_revenue", "cpi"}
    assert (series(econ, "cpi", "目标值")["value"] == 103).all()
    assert series(econ, "retail", "目标值")["unit"].unique().to_list() == ["亿元"]


def test_disposable_income_is_a_weighted_mean_not_a_sum(econ):
    income = series(econ, "disposable_income", "累计值").filter(pl.col("period") == "2024-Q4")
    values = dict(income.select("region_code", "value").iter_rows())
    prefectures = [r.code for r in regions.at_level("prefecture")]
    assert min(values[p] for p in prefectures) < values[regions.PROVINCE] < max(values[p] for p in prefectures)
    assert values["520100"] > values["520500"]


# --------------------------------------------------------------------------------------------
# Portal CSV files


def test_portal_files_decode_and_carry_metadata(files):
    assert all(p.parent.name == "economy" and p.suffix == ".csv" for p in files)
    for path in files:
        rows = read_portal(path)
        lines = [r[0] if len(r) == 1 else ",".join(r) for r in rows]
        assert lines[0] in ("数据库：贵州省月度数据", "数据库：贵州省季度数据", "数据库：贵州省年度数据")
        assert lines[1].startswith(("指标：", "地区：")) and lines[2].startswith("时间：")
        assert lines[3] == f"版本：{economy.VINTAGE}"
        assert rows[4][0] in ("地区", "时间", "指标")
        assert lines[-1] in ("数据来源：贵州省统计局", "数据来源：贵州省财政厅")
        assert any(line.startswith("注：") for line in lines)
        assert path.read_bytes().count(b"\r\n") == len(rows)


def test_regions_as_rows_layout(econ, files):
    path = next(p for p in files if p.name == "贵州省月度数据_社会消费品零售总额_累计值.csv")
    rows = read_portal(path)
    assert rows[1] == ["指标：社会消费品零售总额_累计值(亿元)"]
    assert rows[4][:3] == ["地区", "2024年12月", "2024年11月"] and rows[4][-1] == "2015年2月"
    assert "2024年1月" not in rows[4]
    assert ["注：1-2月数据合并发布。"] in rows
    body = {r[0]: r[1:] for r in rows[5:] if len(r) > 1}
    assert list(body)[:3] == ["贵州省", "贵阳市", "南明区"] and len(body) == 98
    expected = dict(series(econ, "retail", "累计值").filter(pl.col("period") == "2024-12")
                    .select("region_code", "value").iter_rows())
    assert {regions.resolve(name): float(cells[0]) for name, cells in body.items()} == expected
    growth = next(p for p in files if p.name == "贵州省月度数据_社会消费品零售总额_累计增速.csv")
    assert read_portal(growth)[1] == ["指标：社会消费品零售总额_累计增长(%)"]
    gdp = next(p for p in files if p.name == "贵州省季度数据_地区生产总值_累计值.csv")
    assert read_portal(gdp)[4][1] == "2024年第四季度"


def test_transposed_layout(econ, files):
    path = next(p for p in files if p.name == "贵州省月度数据_居民消费价格指数_当期值.csv")
    rows = read_portal(path)
    assert rows[1] == ["指标：居民消费价格指数(上年同月=100)_当期"]
    assert rows[4][:3] == ["时间", "贵州省", "贵阳市"]
    assert rows[5][0] == "2024年12月" and [r[0] for r in rows if r[0] == "2015年1月"]
    value = series(econ, "cpi", "当期值").filter(pl.col("region_code") == "520000", pl.col("period") == "2024-12")
    assert float(rows[5][1]) == value["value"][0]


def test_region_fixed_layout(econ, files):
    mine = [p for p in files if p.name.startswith("贵州省季度数据_全体居民人均可支配收入_")]
    assert len(mine) == 98
    rows = read_portal(next(p for p in mine if p.name.endswith("_毕节市.csv")))
    assert rows[1] == ["地区：毕节市"]
    assert rows[4][:2] == ["指标", "2024年第四季度"]
    labels = [r[0] for r in rows[5:7]]
    assert sorted(labels) == ["全体居民人均可支配收入_累计值(元)", "全体居民人均可支配收入_累计增长(%)"]


def test_target_files(files):
    path = next(p for p in files if p.name == "贵州省年度数据_地区生产总值_目标增速.csv")
    rows = read_portal(path)
    assert rows[1] == ["指标：地区生产总值_目标增速(%)"]
    assert rows[4][:3] == ["地区", "2024年", "2023年"]


def test_period_labels_round_trip():
    for period, label in (("2024-12", "2024年12月"), ("2015-02", "2015年2月"), ("2024-Q4", "2024年第四季度"),
                          ("2021-Q1", "2021年第一季度"), ("2024", "2024年")):
        assert statsportal_format.period_label(period) == label
        assert statsportal_format.period_from_label(label) == period
    assert statsportal_format.header("居民消费价格指数", "当期值", "上年同月=100") == "居民消费价格指数(上年同月=100)_当期"
    assert statsportal_format.header("地区生产总值", None, "亿元") == "地区生产总值(亿元)"


# --------------------------------------------------------------------------------------------
# The real published fixture


def _fixture(name: str) -> tuple[dict[str, str], dict[str, dict[int, float]], list[str]]:
    rows = read_portal(PUBLISHED_DIR / name)
    meta = dict(r[0].split("：", 1) for r in rows[:4])
    header = rows[4]
    assert header[0] == "指标"
    years = [int(statsportal_format.period_from_label(h)) for h in header[1:]]
    data = {r[0]: {y: float(v) for y, v in zip(years, r[1:]) if v} for r in rows[5:] if len(r) > 1}
    return meta, data, [r[0] for r in rows[5:] if len(r) == 1]


def test_published_revised_series():
    meta, data, tail = _fixture("贵州省_年度数据_2025-03_修订.csv")
    assert meta == {"数据库": "分省年度数据", "地区": "贵州省", "时间": "2006-2024", "版本": "2025-03"}
    gdp, population = data["地区生产总值(亿元)"], data["年末常住人口(万人)"]
    assert sorted(gdp) == list(range(2006, 2025))
    assert {y: gdp[y] for y in GDP_YI} == GDP_YI
    assert gdp[2006] == 2292.3 and gdp[2014] == 9297.5
    assert population == {y: float(v) for y, v in POPULATION_WAN.items() if y >= 2015}
    assert tail[-1] == "数据来源：国家统计局" and any(line.startswith("注：") for line in tail)


def test_published_bulletin_vintage_is_older():
    meta, data, tail = _fixture("贵州省_年度数据_2024-04_统计公报.csv")
    revised, _, _ = _fixture("贵州省_年度数据_2025-03_修订.csv")
    assert meta["版本"] == "2024-04" < revised["版本"]
    assert meta["地区"] == "贵州省"
    assert data["地区生产总值(亿元)"] == GDP_BULLETIN_YI
    assert tail[-1].startswith("数据来源：")
