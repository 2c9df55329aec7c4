"""The agriculture demo generator: shape, calibration to the published facts, land constraints, files."""

from __future__ import annotations

import polars as pl
import pytest

from data_marts import crops as crop_catalog
from data_marts import regions
from data_marts.contracts import agriculture as crops_contract
from data_marts.contracts import agriculture_land as land_contract
from data_marts.demo import agriculture, calibration

SEEDS = (0, 1, 7)
TOL = calibration.AGRI_AREA_TOLERANCE
KEY = ["county_code", "crop", "year"]
PERENNIALS = {c.code for c in crop_catalog.CROPS if c.perennial}


@pytest.fixture(scope="module", params=SEEDS)
def generated(request):
    return agriculture.generate(request.param)


@pytest.fixture(scope="module")
def clean(generated):
    """The crops as ingest would keep them: catalogue crops, first of each key, plausible yields."""
    crops, _ = generated
    return (
        crops.filter(pl.col("crop").is_in(agriculture.CROP_CODES))
        .unique(KEY, keep="first", maintain_order=True)
        .with_columns(prefecture=pl.col("county_code").str.slice(0, 4) + "00")
    )


def _wan_mu(frame: pl.DataFrame, crops: list[str], year: int, prefecture: str | None = None) -> float:
    rows = frame.filter(pl.col("crop").is_in(crops), pl.col("year") == year)
    if prefecture:
        rows = rows.filter(pl.col("prefecture") == prefecture)
    return rows["area_mu"].sum() / agriculture.WAN


def _close(value: float, target: float, tol: float = TOL) -> bool:
    return abs(value - target) <= tol * target


def _schema(contract) -> dict:
    kinds = {"text": pl.String, "int": pl.Int64, "float": pl.Float64}
    return {c.name: kinds[c.type] for c in contract.columns}


def test_same_seed_same_frames_and_other_seed_differs():
    first, second, other = agriculture.generate(11), agriculture.generate(11), agriculture.generate(12)
    assert first[0].equals(second[0]) and first[1].equals(second[1])
    assert not first[0].equals(other[0])


def test_columns_and_types_follow_the_contracts(generated):
    crops, land = generated
    assert crops.schema == pl.Schema(_schema(crops_contract.CONTRACT))
    assert land.schema == pl.Schema(_schema(land_contract.CONTRACT))
    assert crops.select(crops_contract.CONTRACT.required).null_count().sum_horizontal().item() == 0


def test_rows_cover_counties_crops_and_years(clean, generated):
    _, land = generated
    counties = {c.code for c in regions.counties()}
    assert set(land["county_code"]) == counties and land.height == 88
    assert land["year"].unique().to_list() == [agriculture.LAND_YEAR]
    assert set(clean["county_code"]) == counties
    assert set(clean["year"]) == set(agriculture.YEARS)
    assert set(clean["crop"]) == set(agriculture.CROP_CODES)
    assert (clean["area_mu"] > 0).all()
    # Staple crops everywhere; niche crops only where they suit.
    per_crop = clean.group_by("crop").agg(pl.col("county_code").n_unique().alias("n"))
    counts = dict(zip(per_crop["crop"], per_crop["n"]))
    assert counts["corn"] == counts["vegetables"] == 88
    assert counts["dendrobium"] < 60


def test_grain_area_matches_2020_and_2023(clean):
    grain = ["corn", "rice", "potato"]
    assert _close(_wan_mu(clean, grain, 2020), calibration.GRAIN_AREA_2020_WAN_MU)
    assert _close(_wan_mu(clean, grain, 2023), calibration.GRAIN_AREA_2023_WAN_MU)
    for year in (2015, 2016, 2017):
        corn = _wan_mu(clean, ["corn"], year)
        assert corn > _wan_mu(clean, ["rice"], year) and corn > _wan_mu(clean, ["potato"], year)


def test_corn_cut_of_2018_in_the_province_and_in_bijie(clean):
    cut = _wan_mu(clean, ["corn"], 2017) - _wan_mu(clean, ["corn"], 2018)
    assert _close(cut, calibration.CORN_CUT_2018_WAN_MU)
    bijie = agriculture.BIJIE
    bijie_cut = _wan_mu(clean, ["corn"], 2017, bijie) - _wan_mu(clean, ["corn"], 2018, bijie)
    assert _close(bijie_cut, calibration.CORN_CUT_2018_BIJIE_WAN_MU)
    # Smaller cuts continue afterwards.
    assert _wan_mu(clean, ["corn"], 2021) < _wan_mu(clean, ["corn"], 2019) < _wan_mu(clean, ["corn"], 2018)


@pytest.mark.parametrize(
    ("crop", "year", "target"),
    [
        ("chili", 2020, calibration.CHILI_AREA_2020_WAN_MU),
        ("tea", 2019, calibration.TEA_AREA_2019_WAN_MU),
        ("rosa_roxburghii", 2019, calibration.ROSA_AREA_2019_WAN_MU),
        ("rosa_roxburghii", 2023, calibration.ROSA_AREA_2023_WAN_MU),
        ("fruit", 2020, calibration.FRUIT_AREA_2020_WAN_MU),
        ("herbs", 2016, calibration.HERB_AREA_2016_WAN_MU),
    ],
)
def test_featured_industry_areas(clean, crop, year, target):
    assert _close(_wan_mu(clean, [crop], year), target)


def test_regional_concentration(clean):
    assert _close(_wan_mu(clean, ["rosa_roxburghii"], 2023, agriculture.LIUPANSHUI), 120)
    chili = clean.filter(
        pl.col("crop") == "chili", pl.col("year") == 2020, pl.col("yield_kg_per_mu").is_between(0, 20_000)
    ).with_columns(output=pl.col("area_mu") * pl.col("yield_kg_per_mu"))
    zunyi = chili.filter(pl.col("prefecture") == agriculture.ZUNYI)["output"].sum() / chili["output"].sum()
    assert 0.35 <= zunyi <= 0.45


def test_bearing_area_lags_planting(clean):
    lags = {c.code: c.first_harvest_year for c in crop_catalog.CROPS}
    frame = clean.with_columns(lag=pl.col("crop").replace_strict(lags, return_dtype=pl.Int64))
    assert (frame["bearing_area_mu"] <= frame["area_mu"]).all()
    earlier = frame.select(
        "county_code", "crop", (pl.col("year") + pl.col("lag")).alias("year"), pl.col("area_mu").alias("planted")
    )
    joined = frame.filter(pl.col("lag") > 0).join(earlier, on=KEY, how="inner")
    assert joined.height > 3000
    expected = pl.min_horizontal("area_mu", "planted")
    assert joined.filter(pl.col("bearing_area_mu") != expected).height == 0
    assert joined.filter(pl.col("area_mu") > pl.col("planted"), pl.col("crop").is_in(PERENNIALS)).height > 0
    immediate = frame.filter(pl.col("lag") == 0)
    assert (immediate["bearing_area_mu"] == immediate["area_mu"]).all()
    # Young orchards: in 2020 a good part of the fruit area does not bear yet.
    fruit = frame.filter(pl.col("crop") == "fruit", pl.col("year") == 2020)
    assert 0.4 < fruit["bearing_area_mu"].sum() / fruit["area_mu"].sum() < 0.85


def test_land_shares_and_relief(generated):
    _, land = generated
    slopes = land.select(pl.sum_horizontal(
        "slope_lt6_share", "slope_6_15_share", "slope_15_25_share", "slope_gt25_share"
    ))
    assert (abs(slopes.to_series() - 1) < 1e-9).all()
    for column in ("paddy_share", "slope_lt6_share", "slope_6_15_share", "slope_15_25_share", "slope_gt25_share"):
        assert land[column].is_between(0, 1).all()
    altitude = dict(zip(land["county_code"], land["altitude_m"]))
    assert 1800 <= altitude["520526"] <= 2300 and 1700 <= altitude["520527"] <= 2300  # 威宁, 赫章
    assert altitude["520602"] < 800 and altitude["522631"] < 800  # 碧江, 黎平
    assert _close(land["arable_mu"].sum() / agriculture.WAN, agriculture.ARABLE_WAN_MU, 0.001)
    assert _close(land["grain_task_mu"].sum() / agriculture.WAN, agriculture.GRAIN_TASK_WAN_MU, 0.001)
    assert 500 < land["farm_labour"].sum() / agriculture.WAN < 1200


def test_plantings_fit_the_arable_land(clean, generated):
    _, land = generated
    joined = (
        clean.with_columns(perennial=pl.col("crop").is_in(PERENNIALS), rice=pl.col("crop") == "rice")
        .group_by("county_code", "year")
        .agg(
            pl.col("area_mu").filter(~pl.col("perennial")).sum().alias("annual"),
            pl.col("area_mu").filter(pl.col("perennial")).sum().alias("perennial"),
            pl.col("area_mu").filter(pl.col("rice")).sum().alias("rice"),
        )
        .join(land.select("county_code", "arable_mu", "paddy_share"), on="county_code")
    )
    assert joined.filter(pl.col("annual") > agriculture.MULTIPLE_CROPPING_MAX * pl.col("arable_mu")).height == 0
    assert joined.filter(pl.col("perennial") > pl.col("arable_mu")).height == 0
    assert joined.filter(pl.col("rice") > pl.col("arable_mu") * pl.col("paddy_share")).height == 0


def test_economics_tell_the_policy_story(clean):
    sane = clean.filter(pl.col("yield_kg_per_mu").is_between(0, 20_000), pl.col("year") == 2020)
    margin = (
        sane.group_by("crop")
        .agg(((pl.col("bearing_area_mu") * pl.col("yield_kg_per_mu") * pl.col("price_yuan_per_kg")).sum()
              / pl.col("bearing_area_mu").sum() - pl.col("cost_yuan_per_mu").median()).alias("net"))
    )
    net = dict(zip(margin["crop"], margin["net"]))
    assert net["corn"] < 400 and net["corn"] < net["vegetables"] and net["corn"] < net["chili"]
    fruit_price = (
        clean.filter(pl.col("crop") == "fruit").group_by("year").agg(pl.col("price_yuan_per_kg").median())
        .sort("year")
    )
    prices = dict(zip(fruit_price["year"], fruit_price["price_yuan_per_kg"]))
    peak = max(prices, key=prices.get)
    assert peak <= 2018 and prices[2022] < 0.8 * prices[peak]  # boom, then bust


def test_defects_are_there_to_be_found(generated, clean):
    crops, _ = generated
    catalogue = crops.filter(pl.col("crop").is_in(agriculture.CROP_CODES))
    assert (crops["yield_kg_per_mu"] < 0).sum() > 0
    assert (crops["yield_kg_per_mu"] > 20_000).sum() > 0
    bad = ((crops["yield_kg_per_mu"] < 0) | (crops["yield_kg_per_mu"] > 20_000)).sum() / crops.height
    assert bad < 0.01
    unknown = set(crops["crop"]) - set(agriculture.CROP_CODES)
    assert unknown and unknown <= set(agriculture.UNKNOWN_CROPS)
    duplicates = catalogue.height - catalogue.unique(KEY).height
    assert 0 < duplicates <= 0.005 * catalogue.height
    years_per_county = clean.group_by("county_code").agg(pl.col("year").n_unique().alias("n"))
    assert (years_per_county["n"] < len(agriculture.YEARS)).sum() == agriculture.MISSING_COUNTY_YEARS


def test_write_reads_back_and_is_byte_identical(tmp_path):
    crops, land = agriculture.generate(3)
    paths = agriculture.write(crops, land, tmp_path / "a")
    again = agriculture.write(crops, land, tmp_path / "b")
    assert [p.name for p in paths] == [agriculture.XLSX_NAME, agriculture.CSV_NAME]
    assert all(p.parent.name == "agriculture" for p in paths)
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in again]

    sheet = pl.read_excel(paths[0], sheet_name=agriculture.XLSX_SHEET)
    assert sheet.columns == [c.zh for c in crops_contract.CONTRACT.columns]
    assert sheet.height == crops.height
    assert sheet["区县代码"].dtype == pl.String
    codes = [crop_catalog.resolve(name).code if name not in agriculture.UNKNOWN_CROPS else name
             for name in sheet["品种"]]
    assert codes == crops["crop"].to_list()
    assert sheet["种植面积（亩）"].cast(pl.Float64).to_list() == crops["area_mu"].to_list()

    raw = paths[1].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = pl.read_csv(paths[1], schema_overrides={"区县代码": pl.String})
    assert table.columns == [c.zh for c in land_contract.CONTRACT.columns]
    assert table["区县代码"].to_list() == land["county_code"].to_list()
