"""Demo agriculture base library: county × crop × year plantings and county land facts for Guizhou.

``generate(seed)`` returns the two datasets as the agriculture department would send them (defects
included, so that the quality checks find something true); ``write`` puts them in the inbox as an
Excel workbook and a UTF-8-with-BOM CSV. Every target, source tag and assumption is listed in
docs/data/agriculture.md; the province series below carry the same tags in their comments.

How the numbers are made, in order:

1. County land (seed-independent): altitude and ruggedness from the county's representative point
   on a coarse relief sketch (inverse-distance weighting of ``_RELIEF``) plus a fixed per-county
   perturbation; slope classes, paddy share and arable land follow from them.
2. Corn: the 2017 area is spread by suitability, then each year's province cut is taken where
   corn is least efficient (steep dry land), with Bijie's part of the 2018 cut fixed at 183万亩.
3. Every other crop: a province series per year is spread over counties by suitability weights,
   pinned prefecture shares where a published figure exists, and a shift toward the counties that
   cut corn (the 2018 substitution). A water-filling step keeps annual crops within
   arable × 1.6 (and rice within paddy), perennials within arable, and the province totals exact.
4. Per-mu economics: province yield, price, cost and labour paths per crop, varied by county
   (fixed effects, steepness, orchard age) and year (weather and market shocks).
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import polars as pl
import xlsxwriter

from data_marts import regions, shapes
from data_marts.contracts import agriculture as crops_contract
from data_marts.contracts import agriculture_land as land_contract
from data_marts.crops import BY_CODE

# The catalogue crops Guizhou grows in the demo, in catalogue order (the catalogue also holds other regions'
# crops, such as wheat; models/crop_plan/assumptions/520000.toml plans the same list).
CROPS = tuple(BY_CODE[code] for code in (
    "corn", "rice", "potato", "tea", "edible_fungi", "vegetables", "eco_livestock", "dendrobium", "fruit",
    "bamboo", "herbs", "rosa_roxburghii", "eco_fishery", "oil_tea", "chili"))
from data_marts.demo import calibration, geography

YEARS = tuple(range(2015, 2025))
HISTORY = tuple(range(2011, 2025))  # perennials need four years before 2015 for their bearing area
LAND_YEAR = 2024
WAN = 10_000.0

XLSX_NAME = "农业种植_县域_2015-2024.xlsx"
XLSX_SHEET = "县域种植"
CSV_NAME = f"县域耕地与劳动力_{LAND_YEAR}.csv"
EXPORT_CREATED = dt.datetime(2025, 3, 31, 9, 0, 0)  # fixed document date: byte-identical workbooks

BIJIE, LIUPANSHUI, ZUNYI, QIANXINAN = "520500", "520200", "520300", "522300"

# [ASSUMED/UNVERIFIED] Arable land after the 3rd national land survey, recalled as ≈347万公顷.
ARABLE_WAN_MU = 5_200.0
PADDY_INTERCEPT = 0.68  # [ASSUMED] paddy share at 400 m on flat land, falling with altitude and ruggedness
MULTIPLE_CROPPING_MAX = 1.6  # annual-crop sown area may reach arable × this
# Provincial grain-area task [DERIVED in guizhou.md §4.4]: 4,160.9 sown in 2023 "超任务4.3万亩".
GRAIN_TASK_WAN_MU = calibration.GRAIN_AREA_2023_WAN_MU - 4.3
POPULATION_2024_WAN = calibration.POPULATION_WAN[2024]
URBANISATION_2024 = 0.5665  # [WEAK] 2024 bulletin as quoted in guizhou.md §2.2
FARM_LABOUR_SHARE_OF_RURAL = 0.5  # [ASSUMED]

# [ASSUMED] A coarse relief sketch of Guizhou from general geography (not measured): lon, lat,
# mean altitude (m), ruggedness 0–1 (karst gorges and mountain flanks high, basins low).
# The west plateau (威宁, 赫章) is highest; the east and the southern river valleys lowest.
_RELIEF = (
    (104.20, 26.90, 2200, 0.60),  # 威宁 plateau
    (104.70, 27.10, 1950, 0.85),  # 赫章
    (104.90, 26.50, 1800, 0.80),  # 水城, 钟山
    (104.60, 25.80, 1650, 0.75),  # 盘州
    (104.90, 25.00, 1250, 0.60),  # 兴义
    (105.45, 27.30, 1550, 0.65),  # 七星关, 大方
    (105.50, 26.60, 1450, 0.75),  # 纳雍, 织金, 六枝
    (105.65, 25.65, 1100, 0.90),  # 关岭, 贞丰 karst gorges
    (106.00, 25.10, 750, 0.85),   # 册亨, 望谟
    (106.20, 27.20, 1150, 0.50),  # 黔西, 金沙
    (106.10, 26.30, 1350, 0.40),  # 安顺 plateau
    (106.70, 26.60, 1150, 0.35),  # 贵阳
    (105.90, 28.50, 700, 0.70),   # 赤水 (danxia gorges)
    (106.60, 28.40, 1050, 0.75),  # 习水, 桐梓 (大娄山)
    (107.10, 27.70, 900, 0.35),   # 遵义 basin
    (107.80, 28.80, 950, 0.75),   # 道真, 务川
    (108.20, 28.40, 650, 0.65),   # 沿河, 德江 (乌江 gorge)
    (108.60, 27.80, 850, 0.70),   # 梵净山 flanks
    (109.20, 27.60, 450, 0.40),   # 铜仁 碧江, 万山
    (108.00, 26.60, 750, 0.45),   # 凯里
    (108.20, 26.30, 1000, 0.75),  # 雷公山
    (109.10, 26.30, 550, 0.55),   # 黎平, 锦屏, 天柱
    (108.60, 25.80, 500, 0.70),   # 从江, 榕江
    (107.50, 26.20, 850, 0.45),   # 都匀
    (107.80, 25.40, 650, 0.75),   # 荔波, 独山 karst
    (106.70, 25.40, 600, 0.75),   # 罗甸
    (106.60, 26.00, 1000, 0.45),  # 惠水, 长顺
)


def _unit(code: str, salt: str) -> float:
    """A fixed number in [-1, 1] per county and purpose (never changes between runs or seeds)."""
    return 2.0 * (zlib.crc32(f"{salt}:{code}".encode()) % 10_007) / 10_006 - 1.0


@dataclass(frozen=True)
class _Counties:
    codes: tuple[str, ...]
    prefecture: np.ndarray
    lat: np.ndarray
    altitude: np.ndarray
    rugged: np.ndarray
    slope: np.ndarray  # (county, 4): <6°, 6–15°, 15–25°, >25°
    arable: np.ndarray  # mu
    paddy_share: np.ndarray
    farm_labour: np.ndarray  # persons
    urban_district: np.ndarray  # bool: 市辖区

    def index(self, code: str) -> int:
        return self.codes.index(code)

    def in_prefecture(self, prefecture: str) -> np.ndarray:
        return self.prefecture == prefecture


@lru_cache(maxsize=1)
def _counties() -> _Counties:
    counties = regions.counties()
    codes = tuple(c.code for c in counties)
    prefecture = np.array([c.parent_code for c in counties])
    points = [shapes.geometry(code).representative_point() for code in codes]
    lon = np.array([p.x for p in points])
    lat = np.array([p.y for p in points])
    relief = np.array(_RELIEF, dtype=float)
    dist2 = (lon[:, None] - relief[None, :, 0]) ** 2 + (lat[:, None] - relief[None, :, 1]) ** 2
    idw = 1.0 / np.maximum(dist2, 1e-4)
    idw /= idw.sum(1, keepdims=True)
    altitude = idw @ relief[:, 2] * (1 + 0.06 * np.array([_unit(c, "altitude") for c in codes]))
    altitude = np.clip(np.round(altitude), 300, 2400)
    rugged = np.clip(idw @ relief[:, 3] + 0.05 * np.array([_unit(c, "rugged") for c in codes]), 0.2, 0.95)

    # [ASSUMED] slope classes of arable land: the province mix (≈16/35/29/20 %) at ruggedness 0.6,
    # flatter basins and steeper karst; each share jittered ±10 % per county, then renormalised.
    base = np.stack([0.34 - 0.30 * rugged, 0.38 - 0.05 * rugged, 0.20 + 0.15 * rugged, 0.08 + 0.20 * rugged], 1)
    jitter = np.array([[1 + 0.1 * _unit(c, f"slope{i}") for i in range(4)] for c in codes])
    slope = base * jitter
    slope /= slope.sum(1, keepdims=True)
    slope = np.round(slope, 4)
    slope[:, 3] = 1.0 - slope[:, :3].sum(1)

    urban = np.array([c.name.endswith("区") and not c.name.endswith("特区") for c in counties])
    core = np.array([c.code in ("520102", "520103") for c in counties])  # 南明, 云岩: built up
    # [ASSUMED] cropland per km² is higher on the western plateau than in the forested, lower east
    # and south, and lower on rugged land and in urban districts.
    density = (1.4 - rugged) * np.minimum(altitude, 1600) / 1000 * np.where(core, 0.15, np.where(urban, 0.7, 1.0))
    density *= 1 + 0.1 * np.array([_unit(c, "arable") for c in codes])
    weight = np.array([shapes._area_km2(c) for c in codes]) * density
    arable = np.round(ARABLE_WAN_MU * WAN * weight / weight.sum())

    paddy = (PADDY_INTERCEPT - 0.00028 * (altitude - 400) - 0.25 * rugged
             + 0.04 * np.array([_unit(c, "paddy") for c in codes]))
    paddy_share = np.round(np.clip(paddy, 0.03, 0.70), 4)

    # [ASSUMED] rural residents by county type, scaled to the province's 2024 rural population;
    # half of them counted as farm labour.
    pop_share = geography.county_population_share()
    rural_rate = np.array([0.25 if u else (0.45 if c.name.endswith("市") else 0.62) for c, u in zip(counties, urban)])
    rural = np.array([pop_share[c] for c in codes]) * rural_rate
    rural *= POPULATION_2024_WAN * WAN * (1 - URBANISATION_2024) / rural.sum()
    labour = rural * FARM_LABOUR_SHARE_OF_RURAL * (1 + 0.08 * np.array([_unit(c, "labour") for c in codes]))
    return _Counties(codes, prefecture, lat, altitude, rugged, slope, arable, paddy_share,
                     np.round(labour), urban)


CROP_CODES = tuple(c.code for c in CROPS)
K = {code: i for i, code in enumerate(CROP_CODES)}

# Province planted area, 万亩. Tags: [WEAK]/[NEWS]/[book] from guizhou.md §4, [ASSUMED] ours.
# Grain is corn + rice + potato only (the catalogue's three grain crops): potato also carries the
# province's other grain (soy, wheat, sweet potato, sorghum, buckwheat) so that the grain total
# matches the published one [ASSUMED].
GRAIN_WAN_MU = {2015: 4650, 2016: 4640, 2017: 4600, 2018: 4110, 2019: 4064,
                2020: calibration.GRAIN_AREA_2020_WAN_MU, 2021: 4150, 2022: 4155,
                2023: calibration.GRAIN_AREA_2023_WAN_MU, 2024: 4165}  # 2020 [NEWS], 2023 [OFF-ish]
# Corn before the cut [ASSUMED]: the largest crop, easing under the 2015 national guidance.
CORN_WAN_MU = {2011: 1990, 2015: 1960, 2016: 1930, 2017: 1900}
# Year-on-year change in corn area, 万亩: the 2018 cut [NEWS]; later smaller cuts [ASSUMED].
CORN_CHANGE_WAN_MU = {2018: -calibration.CORN_CUT_2018_WAN_MU, 2019: -145, 2020: -70, 2021: -30,
                      2022: -10, 2023: 0, 2024: 5}
# Bijie's part of each cut: 2018 183万亩 [NEWS]; later years [ASSUMED] (2019 plan was 200).
BIJIE_CUT_SHARE = {2018: calibration.CORN_CUT_2018_BIJIE_WAN_MU / calibration.CORN_CUT_2018_WAN_MU,
                   2019: 0.41, 2020: 0.30, 2021: 0.30, 2022: 0.30}
RICE_WAN_MU = {2015: 1180, 2016: 1170, 2017: 1160, 2018: 1150, 2019: 1140, 2020: 1150, 2021: 1155,
               2022: 1160, 2023: 1165, 2024: 1165}  # [ASSUMED]

AREA_WAN_MU: dict[str, dict[int, float]] = {
    # chili: 2017 494 [WEAK], 2020 550 [WEAK]
    "chili": {2015: 450, 2016: 475, 2017: 494, 2018: 525, 2019: 540, 2020: calibration.CHILI_AREA_2020_WAN_MU,
              2021: 555, 2022: 560, 2023: 565, 2024: 570},
    # vegetables: 2019–21 plan ≥1,500 [NEWS]; path [ASSUMED]
    "vegetables": {2015: 1150, 2016: 1200, 2017: 1250, 2018: 1380, 2019: 1450, 2020: 1500, 2021: 1520,
                   2022: 1540, 2023: 1560, 2024: 1580},
    "edible_fungi": {2015: 15, 2016: 18, 2017: 22, 2018: 35, 2019: 45, 2020: 55, 2021: 60, 2022: 62,
                     2023: 64, 2024: 66},  # [ASSUMED] (province total not found)
    "eco_livestock": {2015: 250, 2016: 270, 2017: 290, 2018: 340, 2019: 370, 2020: 400, 2021: 420,
                      2022: 430, 2023: 440, 2024: 450},  # [ASSUMED] forage grass
    "eco_fishery": {2011: 26, 2012: 27, 2013: 28, 2014: 29, 2015: 30, 2016: 31, 2017: 33, 2018: 36,
                    2019: 38, 2020: 40, 2021: 42, 2022: 43, 2023: 44, 2024: 45},  # [ASSUMED] ponds
    # tea: 2015 bearing 423 [WEAK] ⇒ ≈450 planted by 2012; 2018 684.3, 2019 698.7 [WEAK]
    "tea": {2011: 380, 2012: 450, 2013: 520, 2014: 570, 2015: 600, 2016: 640, 2017: 670, 2018: 684.3,
            2019: calibration.TEA_AREA_2019_WAN_MU, 2020: 700, 2021: 700, 2022: 702, 2023: 703, 2024: 705},
    # 刺梨: 2019 176, 2020 target 200, 2023 210 [NEWS]; earlier years [ASSUMED]
    "rosa_roxburghii": {2011: 20, 2012: 25, 2013: 35, 2014: 50, 2015: 70, 2016: 100, 2017: 133, 2018: 155,
                        2019: calibration.ROSA_AREA_2019_WAN_MU, 2020: 200, 2021: 205, 2022: 208,
                        2023: calibration.ROSA_AREA_2023_WAN_MU, 2024: 211},
    # fruit: 2020 ≈870 [WEAK]; the boom follows the high prices of 2015–17 [ASSUMED]
    "fruit": {2011: 260, 2012: 290, 2013: 320, 2014: 360, 2015: 400, 2016: 450, 2017: 520, 2018: 620,
              2019: 730, 2020: calibration.FRUIT_AREA_2020_WAN_MU, 2021: 900, 2022: 910, 2023: 915, 2024: 920},
    # herbs: 2016 527 incl. wild tending [book]; other years [ASSUMED]
    "herbs": {2011: 300, 2012: 350, 2013: 400, 2014: 450, 2015: 490, 2016: calibration.HERB_AREA_2016_WAN_MU,
              2017: 560, 2018: 620, 2019: 680, 2020: 700, 2021: 710, 2022: 720, 2023: 730, 2024: 740},
    "dendrobium": {2011: 2, 2012: 3, 2013: 4, 2014: 5, 2015: 6, 2016: 8, 2017: 10, 2018: 13, 2019: 16,
                   2020: 18, 2021: 19, 2022: 20, 2023: 20, 2024: 21},  # [ASSUMED]
    "bamboo": {2011: 220, 2012: 225, 2013: 230, 2014: 235, 2015: 240, 2016: 250, 2017: 260, 2018: 275,
               2019: 290, 2020: 305, 2021: 315, 2022: 320, 2023: 325, 2024: 330},  # [ASSUMED]
    "oil_tea": {2011: 120, 2012: 130, 2013: 140, 2014: 150, 2015: 160, 2016: 170, 2017: 180, 2018: 195,
                2019: 210, 2020: 230, 2021: 250, 2022: 270, 2023: 285, 2024: 300},  # [ASSUMED]
}

# Prefecture shares of a crop's province area, pinned where a figure exists (interpolated between
# the years given, flat outside them); the other prefectures share the rest by suitability.
PINNED_SHARES: dict[str, dict[str, dict[int, float]]] = {
    "chili": {ZUNYI: {2015: 0.38}},  # [ASSUMED] with a yield edge ⇒ ≈40 % of the output [WEAK]
    "vegetables": {QIANXINAN: {2022: 148.1 / 1540}},  # QXN 2022 148.1万亩 [NEWS]
    "edible_fungi": {QIANXINAN: {2022: 10.59 / 62}},  # QXN 2022 10.59万亩 [NEWS] / our total
    "tea": {ZUNYI: {2015: 0.28}, QIANXINAN: {2022: 60.13 / 702}},  # 遵义 [UNVERIFIED ≈200万亩]; QXN [NEWS]
    "fruit": {QIANXINAN: {2021: 108.45 / 900}},  # QXN 2021 108.45万亩 [NEWS]
    # herbs: 遵义 26.4 %, 毕节 ≈70万亩 of 527 in 2016 [book]; QXN 2022 151.94万亩 [NEWS]
    "herbs": {ZUNYI: {2016: 0.264}, BIJIE: {2016: 70 / 527}, QIANXINAN: {2022: 151.94 / 720}},
    # 刺梨: 六盘水 120万亩 of 210 in 2023 [NEWS], 2019 share [ASSUMED]; Bijie [ASSUMED]
    "rosa_roxburghii": {LIUPANSHUI: {2019: 0.55, 2023: 120 / 210}, BIJIE: {2015: 0.20}},
}

# [ASSUMED] County clusters known for a crop (multiplier on the suitability weight).
HOTSPOTS: dict[str, dict[str, float]] = {
    "dendrobium": {"520381": 10.0, "522328": 3.0, "520330": 2.0},  # 赤水 金钗石斛, 安龙, 习水
    "bamboo": {"520381": 5.0, "520330": 1.5},  # 赤水
    "fruit": {"520424": 1.6, "522325": 1.6, "522728": 1.5, "520204": 1.5, "520123": 1.5},  # 火龙果, 猕猴桃
    "potato": {"520526": 1.5},  # 威宁
    "tea": {"520328": 2.5, "520327": 2.0, "522701": 2.0, "520623": 1.6, "522323": 1.5},  # 湄潭 凤冈 都匀 石阡 普安
    "rosa_roxburghii": {"520204": 2.5},  # 水城: 40.3万亩 of 六盘水's 120 [NEWS]
    "chili": {"520304": 1.5, "520323": 1.5},  # 播州 (虾子), 绥阳
    "edible_fungi": {"520525": 1.3, "520581": 1.3},  # 纳雍, 黔西 (corn → 菌草)
}

# Niche crops: a county below this share of the province's suitability does not grow the crop.
MIN_SHARE = {"dendrobium": 0.008, "bamboo": 0.005, "oil_tea": 0.006, "rosa_roxburghii": 0.002, "tea": 0.001}

# Crops that took over the corn land after 2018 (guizhou.md §4.3: 667万亩 to vegetables, fruit,
# herbs, tea, fungi...) and potato (the grain that replaced corn on the high plateau) [ASSUMED].
SUBSTITUTES = ("potato", "vegetables", "chili", "edible_fungi", "eco_livestock", "herbs", "fruit", "tea",
               "rosa_roxburghii")


@dataclass(frozen=True)
class Economics:
    """Province per-mu paths: anchors by year, interpolated linearly and held flat outside."""

    yield_kg: dict[int, float]  # per bearing mu (perennials) or per sown mu
    price: dict[int, float]  # yuan per kg, farm gate
    cost: tuple[float, float, float]  # yuan/mu at 2015 prices: bearing, young (not bearing), newly planted
    labour: tuple[float, float, float]  # days/mu: bearing, young, newly planted


COST_INFLATION = 0.012  # [ASSUMED] per year

ECONOMICS: dict[str, Economics] = {
    # [ASSUMED] corn: yield, price and cost not found for Guizhou; net income kept thin (低效玉米)
    "corn": Economics({2015: 360, 2024: 390},
                      {2015: 2.55, 2016: 2.25, 2017: 2.20, 2018: 2.30, 2019: 2.35, 2020: 2.50, 2021: 2.80,
                       2022: 2.80, 2023: 2.65, 2024: 2.45},
                      (800, 800, 800), (9, 9, 9)),
    "rice": Economics({2015: 450, 2024: 470},  # [ASSUMED] paddy rice
                      {2015: 3.10, 2016: 3.05, 2017: 3.00, 2018: 2.90, 2019: 2.85, 2020: 2.90, 2021: 2.95,
                       2022: 3.00, 2023: 3.05, 2024: 3.05},
                      (1050, 1050, 1050), (10, 10, 10)),
    "potato": Economics({2015: 1200, 2024: 1350},  # [ASSUMED] fresh tubers
                        {2015: 1.6, 2017: 1.5, 2019: 1.8, 2021: 2.0, 2024: 1.9},
                        (1250, 1250, 1250), (12, 12, 12)),
    "tea": Economics({2015: 47, 2024: 62},  # 2015 [DERIVED] dry tea per producing mu; trend [ASSUMED]
                     {2015: 102, 2024: 120},  # 2015 [DERIVED] ≈4,800 元/亩 / 47 kg
                     (2600, 1200, 3800), (35, 10, 25)),
    "edible_fungi": Economics({2015: 3000, 2022: 3240, 2024: 3300},  # 2022 [DERIVED] QXN 34.31万吨/10.59万亩
                              {2015: 11.0, 2019: 11.8, 2024: 12.5},  # 2019 [DERIVED] QXN 11.8 元/kg
                              (28000, 28000, 28000), (150, 150, 150)),
    "vegetables": Economics({2015: 1550, 2022: 1650, 2024: 1680},  # 2022 [DERIVED] QXN
                            {2015: 2.6, 2018: 2.8, 2022: 3.0, 2024: 3.1},  # 2022 [DERIVED] QXN
                            (2600, 2600, 2600), (30, 30, 30)),
    "eco_livestock": Economics({2015: 3200, 2024: 3800},  # [ASSUMED] fresh forage grass
                               {2015: 0.30, 2024: 0.40}, (650, 650, 650), (6, 6, 6)),
    "dendrobium": Economics({2015: 220, 2024: 260},  # [ASSUMED] fresh stems
                            {2015: 90, 2018: 80, 2021: 65, 2024: 60},
                            (5000, 3000, 15000), (50, 25, 60)),
    "fruit": Economics({2015: 1250, 2021: 1320, 2024: 1350},  # 2021 [DERIVED] QXN per bearing mu
                       # boom and bust [ASSUMED]; 2021 ≈6.1 [DERIVED] QXN
                       {2015: 6.8, 2016: 7.3, 2017: 7.8, 2018: 7.4, 2019: 6.7, 2020: 6.3, 2021: 6.1,
                        2022: 5.2, 2023: 5.4, 2024: 5.7},
                       (3000, 900, 3500), (35, 10, 30)),
    "bamboo": Economics({2015: 450, 2024: 520},  # [ASSUMED] shoots and culms
                        {2015: 1.4, 2024: 1.7}, (300, 150, 900), (4, 2, 10)),
    "herbs": Economics({2015: 120, 2022: 128, 2024: 130},  # 2022 [DERIVED] QXN
                       {2015: 10.5, 2022: 10.9, 2024: 11.2},  # 2022 [DERIVED] QXN ≈1,390 元/亩
                       (900, 600, 1800), (22, 12, 30)),
    "rosa_roxburghii": Economics({2015: 33, 2019: 37.5, 2024: 40},  # 2019 [DERIVED] 6.6万吨/176万亩
                                 # 2018 1.8 元/斤, 2019 2.0 元/斤, 水城 3 元/斤 [NEWS]
                                 {2015: 3.2, 2016: 3.4, 2017: 3.5, 2018: 3.6, 2019: 4.0, 2020: 4.4,
                                  2021: 4.8, 2022: 5.2, 2023: 5.6, 2024: 6.0},
                                 (150, 120, 1200), (6, 3, 12)),
    "eco_fishery": Economics({2015: 400, 2024: 440},  # [ASSUMED] pond fish
                             {2015: 16, 2024: 19}, (5500, 3000, 8000), (25, 15, 40)),
    "oil_tea": Economics({2015: 80, 2024: 110},  # [ASSUMED] seed; young-stand cost ≈1,200 [WEAK, generic]
                         {2015: 9.0, 2024: 10.0}, (600, 1200, 2500), (10, 8, 20)),
    # chili: 2017 1,099 kg × ≈2.8, 2020 1,316 kg × ≈3.3 [WEAK/DERIVED]; cost [ASSUMED]
    "chili": Economics({2015: 1060, 2017: 1099, 2020: 1316, 2024: 1380},
                       {2015: 2.70, 2016: 2.75, 2017: 2.80, 2018: 2.95, 2019: 3.10, 2020: 3.30, 2021: 3.40,
                        2022: 3.20, 2023: 3.10, 2024: 3.20},
                       (1900, 1900, 1900), (28, 28, 28)),
}
ZUNYI_CHILI_OUTPUT_SHARE = 0.40  # [WEAK] 遵义 ≈40 % of the province's chili, on ≈38 % of the area

# Defects, as rates of the clean rows (see docs): the checks must find something true.
BAD_YIELD_RATE = 0.003  # half negative (sign slip), half reported in grams (×1000)
DUPLICATE_RATE = 0.002
UNKNOWN_CROPS = ("烤烟", "高粱")  # real Guizhou crops that are not in the catalogue
UNKNOWN_ROWS = 12
MISSING_COUNTY_YEARS = 2
# Missing county-years avoid the calibration years and the corn-cut prefectures, so that the
# published totals stay recognisable even before the gap is filled.
_MISSING_YEAR_CHOICES = (2015, 2021, 2022, 2024)


def _path(anchors: dict[int, float], years=HISTORY) -> np.ndarray:
    xs = sorted(anchors)
    return np.interp(np.array(years, dtype=float), xs, [anchors[x] for x in xs])


def _pref(altitude: np.ndarray, centre: float, spread: float, floor: float = 0.12) -> np.ndarray:
    """Suitability of an altitude for a crop: a bell around ``centre`` with a floor."""
    return np.maximum(np.exp(-0.5 * ((altitude - centre) / spread) ** 2), floor)


def _suitability(land: _Counties) -> np.ndarray:
    """(county, crop) weights from land and altitude, before noise, pins and hotspots."""
    arable, alt, r = land.arable, land.altitude, land.rugged
    paddy = arable * land.paddy_share
    dry = arable - paddy
    south = 1 + 0.5 * (land.lat < 26.0)
    w = np.zeros((len(land.codes), len(CROPS)))
    w[:, K["corn"]] = dry * _pref(alt, 1500, 600)
    w[:, K["rice"]] = paddy * _pref(alt, 600, 500)
    w[:, K["potato"]] = dry * _pref(alt, 1700, 900, floor=0.3)  # broad: it carries the other grains
    w[:, K["chili"]] = dry * _pref(alt, 1000, 500)
    w[:, K["vegetables"]] = arable * _pref(alt, 1200, 800) * np.where(land.urban_district, 1.5, 1.0)
    w[:, K["edible_fungi"]] = arable
    w[:, K["eco_livestock"]] = dry * _pref(alt, 2000, 500) * (0.5 + r)
    w[:, K["eco_fishery"]] = paddy * _pref(alt, 700, 500)
    w[:, K["tea"]] = arable * _pref(alt, 1100, 400)
    w[:, K["dendrobium"]] = arable * _pref(alt, 600, 300, floor=0.02)
    w[:, K["fruit"]] = arable * _pref(alt, 800, 500) * south
    w[:, K["bamboo"]] = arable * _pref(alt, 700, 350, floor=0.03)
    w[:, K["herbs"]] = arable * _pref(alt, 1300, 600)
    w[:, K["rosa_roxburghii"]] = arable * _pref(alt, 1700, 400, floor=0.05)
    w[:, K["oil_tea"]] = arable * _pref(alt, 550, 300, floor=0.02) * (1 + (land.lat < 27.4) * (alt < 900))
    for crop, spots in HOTSPOTS.items():
        for code, factor in spots.items():
            w[land.index(code), K[crop]] *= factor
    return w


def _pin(weights: np.ndarray, land: _Counties, crop: str, year: int) -> np.ndarray:
    """Rescale one crop's county weights so pinned prefectures hold their published shares."""
    pins = PINNED_SHARES.get(crop)
    if not pins:
        return weights
    total = weights.sum()
    out = weights.copy()
    free = np.ones(len(weights), dtype=bool)
    pinned_total = 0.0
    for prefecture, anchors in pins.items():
        share = float(_path(anchors, (year,))[0])
        members = land.in_prefecture(prefecture) & (weights > 0)
        if not members.any():
            raise ValueError(f"{crop}: no county in {prefecture} grows it, yet its share is pinned")
        out[members] = weights[members] / weights[members].sum() * share * total
        free &= ~land.in_prefecture(prefecture)
        pinned_total += share
    out[free] = weights[free] / weights[free].sum() * (1 - pinned_total) * total
    return out


def _fill(target: np.ndarray, weights: np.ndarray, row_cap: np.ndarray, cell_cap: np.ndarray) -> np.ndarray:
    """Spread each column's ``target`` over rows by ``weights`` so that every row sum stays within
    ``row_cap`` and every cell within ``cell_cap``, moving overflow to rows with room (water-filling)."""
    share = weights / np.where(weights.sum(0) > 0, weights.sum(0), 1.0)
    area = share * target
    for _ in range(500):
        area = np.minimum(area, cell_cap)
        used = area.sum(1)
        over = used > row_cap
        if over.any():
            area[over] *= (row_cap[over] / used[over])[:, None]
        deficit = target - area.sum(0)
        if np.all(np.abs(deficit) <= 1e-9 * np.maximum(target, 1.0)):
            return area
        room = (area < cell_cap * (1 - 1e-12)) & (area.sum(1) < row_cap * (1 - 1e-12))[:, None] & (share > 0)
        basis = np.where(room, share, 0.0)
        norm = basis.sum(0)
        area += np.where(norm > 0, deficit / np.where(norm > 0, norm, 1.0), 0.0) * basis
    raise ValueError(f"cannot fit the province totals within the county caps (short by {deficit.max():,.0f} mu)")


def _spread(amount: float, basis: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Split one amount over counties in proportion to ``basis``, none above its ``cap``."""
    return _fill(np.array([amount]), basis[:, None], np.full(len(basis), np.inf), cap[:, None])[:, 0]


def _wobble(rng: np.random.Generator, size, sd: float, limit: float) -> np.ndarray:
    return 1 + np.clip(rng.normal(0, sd, size), -limit, limit)


@dataclass(frozen=True)
class _Plantings:
    area: np.ndarray  # (county, crop, HISTORY year), mu
    grows: np.ndarray  # (county, crop) bool


def _corn(land: _Counties, weight: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Corn area (county, HISTORY year): the 2017 stock, then each year's cut where corn is least
    efficient (steep dry land), with Bijie's share of each cut fixed."""
    years = list(HISTORY)
    dry = land.arable * (1 - land.paddy_share)
    before = [y for y in years if y <= 2017]
    levels = _path(CORN_WAN_MU, before) * WAN * _wobble(rng, len(before), 0.01, 0.025)
    corn = np.zeros((len(land.codes), len(years)))
    base = _spread(levels[-1], weight, 0.8 * dry)
    for y, level in zip(before, levels):  # before the cut: the 2017 pattern, scaled
        corn[:, years.index(y)] = base * level / levels[-1]
    bijie = land.in_prefecture(BIJIE)
    inefficient = base * (0.5 + land.rugged)
    for y in range(2018, years[-1] + 1):
        prev = corn[:, years.index(y - 1)]
        change = CORN_CHANGE_WAN_MU[y] * WAN * _wobble(rng, None, 0.015, 0.03)
        if change >= 0:
            step = prev * change / prev.sum()
        else:
            room = np.maximum(prev - 0.35 * base, 0.0)  # never cut below 35 % of the 2017 stock
            cut = np.zeros_like(prev)
            part = -change * BIJIE_CUT_SHARE.get(y, 0.3)
            cut[bijie] = _spread(part, inefficient[bijie], room[bijie])
            cut[~bijie] = _spread(-change - part, inefficient[~bijie], room[~bijie])
            step = -cut
        corn[:, years.index(y)] = prev + step
    return corn


def _plant(land: _Counties, rng: np.random.Generator) -> _Plantings:
    n, years = len(land.codes), list(HISTORY)
    weight = _suitability(land) * np.exp(rng.normal(0, 0.25, (n, len(CROPS))))
    share = weight / weight.sum(0)
    for crop, floor in MIN_SHARE.items():
        weight[share[:, K[crop]] < floor, K[crop]] = 0.0
    grows = weight > 0

    area = np.zeros((n, len(CROPS), len(years)))
    area[:, K["corn"], :] = _corn(land, weight[:, K["corn"]], rng)
    # Where corn was cut in 2018–19: the land the substitute crops moved onto.
    cut_share = np.maximum(area[:, K["corn"], years.index(2017)] - area[:, K["corn"], years.index(2019)], 0.0)
    cut_share /= cut_share.sum()

    targets = _province_targets(area[:, K["corn"], :].sum(0), rng)  # (crop, year) mu
    annual = np.array([not c.perennial for c in CROPS]) & (np.arange(len(CROPS)) != K["corn"])
    perennial = np.array([c.perennial for c in CROPS])
    rice_cap = np.full((n, len(CROPS)), np.inf)
    rice_cap[:, K["rice"]] = land.arable * land.paddy_share - 1  # one rice crop a year on paddy
    noise_sd = np.where(perennial, 0.01, 0.03)
    for j, year in enumerate(years):
        w = weight * np.exp(rng.normal(0, 1, weight.shape) * noise_sd)
        for crop in SUBSTITUTES:
            k = K[crop]
            grown_2017 = targets[k, years.index(2017)]
            alpha = 0.5 * max(0.0, targets[k, j] - grown_2017) / targets[k, j] if year >= 2018 else 0.0
            base_share = w[:, k] / w[:, k].sum()
            w[:, k] = (1 - alpha) * base_share + alpha * cut_share * grows[:, k]
        for crop in PINNED_SHARES:
            w[:, K[crop]] = _pin(w[:, K[crop]], land, crop, year)
        # Caps keep a margin of 1 mu per crop so that rounding to whole mu cannot break them.
        row_cap = MULTIPLE_CROPPING_MAX * land.arable - area[:, K["corn"], j] - len(CROPS)
        area[:, annual, j] = _fill(targets[annual, j], w[:, annual], row_cap, rice_cap[:, annual])
        area[:, perennial, j] = _fill(targets[perennial, j], w[:, perennial], land.arable - len(CROPS),
                                      np.full((n, perennial.sum()), np.inf))
    return _Plantings(area, grows)


def _province_targets(corn: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """(crop, HISTORY year) province areas in mu, each wobbled by at most ±2.5 % per year."""
    years = list(HISTORY)
    targets = np.zeros((len(CROPS), len(years)))
    for crop, anchors in AREA_WAN_MU.items():
        targets[K[crop]] = _path(anchors) * WAN
    targets[K["rice"]] = _path(RICE_WAN_MU) * WAN
    grain = _path(GRAIN_WAN_MU) * WAN
    wobble = _wobble(rng, targets.shape, 0.01, 0.025)
    targets *= wobble
    # Potato fills the grain total left by corn and rice (the other grains live in it).
    targets[K["potato"]] = (grain - corn - targets[K["rice"]]) * wobble[K["potato"]]
    targets[K["corn"]] = corn
    return targets


def _bearing(area: np.ndarray) -> np.ndarray:
    """Area planted at least ``first_harvest_year`` years ago and still standing."""
    bearing = area.copy()
    for k, crop in enumerate(CROPS):
        lag = crop.first_harvest_year
        if lag:
            bearing[:, k, lag:] = np.minimum(area[:, k, lag:], area[:, k, :-lag])
            bearing[:, k, :lag] = 0.0
    return bearing


def _mature_fraction(area: np.ndarray, bearing: np.ndarray) -> np.ndarray:
    """Share of the bearing area old enough for full yield (1 for crops that bear at once)."""
    frac = np.ones_like(area)
    for k, crop in enumerate(CROPS):
        full = crop.full_yield_year
        if crop.perennial and full > crop.first_harvest_year:
            mature = np.zeros_like(area[:, k])
            mature[:, full:] = np.minimum(area[:, k, full:], area[:, k, :-full])
            frac[:, k] = np.where(bearing[:, k] > 0, mature / np.maximum(bearing[:, k], 1e-9), 1.0)
    return np.clip(frac, 0.0, 1.0)


def _economics(land: _Counties, plant: _Plantings, rng: np.random.Generator) -> dict[str, np.ndarray]:
    area = plant.area
    n, _, ny = area.shape
    bearing = _bearing(area)
    mature = _mature_fraction(area, bearing)
    steep = land.slope[:, 3] - land.slope[:, 3].mean()
    inflation = (1 + COST_INFLATION) ** (np.array(HISTORY) - 2015)

    yields = np.zeros_like(area)
    price = np.zeros_like(area)
    cost = np.zeros_like(area)
    labour = np.zeros_like(area)
    zunyi = land.in_prefecture(ZUNYI)
    for k, crop in enumerate(CROPS):
        econ = ECONOMICS[crop.code]
        # Yield: county fixed effect × weather (province and county) × orchard age, then rescaled so
        # that the bearing-weighted province mean is the province path × the year's weather.
        weather = _wobble(rng, ny, 0.03, 0.08)
        raw = (np.exp(rng.normal(0, 0.08, n))[:, None] * np.exp(rng.normal(0, 0.04, (n, ny)))
               * (0.5 + 0.5 * mature[:, k]))
        weights = np.maximum(bearing[:, k], 1e-9)
        if crop.code == "chili":  # 遵义's yield edge, sized each year so it grows its share of the output
            inside = (raw[zunyi] * weights[zunyi]).sum(0)
            outside = (raw[~zunyi] * weights[~zunyi]).sum(0)
            raw[zunyi] *= ZUNYI_CHILI_OUTPUT_SHARE * outside / ((1 - ZUNYI_CHILI_OUTPUT_SHARE) * inside)
        mean = (raw * weights).sum(0) / weights.sum(0)
        yields[:, k] = raw / mean * _path(econ.yield_kg) * weather

        market = _wobble(rng, ny, 0.02, 0.05)
        price[:, k] = (_path(econ.price) * market * np.exp(rng.normal(0, 0.04, n))[:, None]
                       * np.exp(rng.normal(0, 0.02, (n, ny))))

        # Cost and labour per planted mu: bearing, young and newly planted mu at their own rates.
        new = np.zeros((n, ny))
        new[:, 1:] = np.maximum(area[:, k, 1:] - area[:, k, :-1], 0.0)
        young = np.maximum(area[:, k] - bearing[:, k], 0.0)
        new = np.minimum(new, young)
        young -= new
        safe = np.maximum(area[:, k], 1e-9)
        mix = np.stack([bearing[:, k], young, new]) / safe
        fe = np.exp(rng.normal(0, 0.06, n))[:, None]
        cost[:, k] = np.tensordot(np.array(econ.cost), mix, 1) * inflation * fe * (1 + 0.5 * steep)[:, None]
        labour[:, k] = (np.tensordot(np.array(econ.labour), mix, 1) * (1 + 0.6 * steep)[:, None]
                        * np.exp(rng.normal(0, 0.05, n))[:, None])
    return {"bearing": bearing, "yield": yields, "price": price, "cost": cost, "labour": labour}


def _crop_frame(land: _Counties, plant: _Plantings, econ: dict[str, np.ndarray]) -> pl.DataFrame:
    first = HISTORY.index(YEARS[0])
    county, crop, year = np.meshgrid(np.arange(len(land.codes)), np.arange(len(CROPS)),
                                     np.arange(first, len(HISTORY)), indexing="ij")
    keep = plant.grows[county, crop].ravel()

    def pick(values: np.ndarray) -> np.ndarray:
        return values[county, crop, year].ravel()[keep]

    area = np.round(pick(plant.area))
    bearing = np.minimum(np.round(pick(econ["bearing"])), area)
    frame = pl.DataFrame({
        "county_code": np.array(land.codes)[county.ravel()[keep]],
        "crop": np.array(CROP_CODES)[crop.ravel()[keep]],
        "year": np.array(HISTORY)[year.ravel()[keep]].astype(np.int64),
        "area_mu": area,
        "bearing_area_mu": bearing,
        "yield_kg_per_mu": np.round(pick(econ["yield"]), 1),
        "price_yuan_per_kg": np.round(pick(econ["price"]), 2),
        "cost_yuan_per_mu": np.round(pick(econ["cost"])),
        "labour_days_per_mu": np.round(pick(econ["labour"]), 1),
    })
    return frame.cast(_schema(crops_contract.CONTRACT))


def _schema(contract) -> dict[str, type[pl.DataType]]:
    kinds = {"text": pl.String, "int": pl.Int64, "float": pl.Float64}
    return {c.name: kinds[c.type] for c in contract.columns}


def _defects(frame: pl.DataFrame, land: _Counties, rng: np.random.Generator) -> pl.DataFrame:
    """Add the defects a real department export has (rates in the module constants)."""
    # A couple of counties missing a year (a late report), away from the calibration facts.
    eligible = [i for i, p in enumerate(land.prefecture) if p not in (BIJIE, LIUPANSHUI, ZUNYI)]
    gaps = [(land.codes[i], int(rng.choice(_MISSING_YEAR_CHOICES)))
            for i in rng.choice(eligible, MISSING_COUNTY_YEARS, replace=False)]
    for code, year in gaps:
        frame = frame.filter(~((pl.col("county_code") == code) & (pl.col("year") == year)))

    n = frame.height
    bad = rng.choice(n, max(1, round(n * BAD_YIELD_RATE)), replace=False)
    factor = np.ones(n)
    factor[bad[: len(bad) // 2]] = -1.0  # sign slip
    factor[bad[len(bad) // 2:]] = 1000.0  # reported in grams
    frame = frame.with_columns((pl.col("yield_kg_per_mu") * pl.Series(factor)).alias("yield_kg_per_mu"))

    # Crops outside the catalogue: a few counties report tobacco and sorghum in the same sheet.
    extra = frame.sample(UNKNOWN_ROWS, seed=int(rng.integers(2**31)), shuffle=True).with_columns(
        pl.Series("crop", [UNKNOWN_CROPS[i % len(UNKNOWN_CROPS)] for i in range(UNKNOWN_ROWS)]),
        (pl.col("area_mu") * 0.2).round(0).alias("area_mu"),
    ).with_columns(pl.col("area_mu").alias("bearing_area_mu"))

    # Double entries: a row keyed in twice, right after itself.
    repeat = np.ones(n, dtype=np.int64)
    repeat[rng.choice(n, max(1, round(n * DUPLICATE_RATE)), replace=False)] = 2
    frame = frame.select(pl.all().gather(np.repeat(np.arange(n), repeat)))
    return pl.concat([frame, extra]).cast(_schema(crops_contract.CONTRACT))


def _land_frame(land: _Counties, plant: _Plantings) -> pl.DataFrame:
    grain = plant.area[:, [K["corn"], K["rice"], K["potato"]], HISTORY.index(2023)].sum(1)
    # The task follows each county's grain area, a little off in either direction (quotas are set
    # from older records), so some counties land above their task and some below.
    basis = grain * (1 + 0.04 * np.array([_unit(c, "task") for c in land.codes]))
    task = np.round(GRAIN_TASK_WAN_MU * WAN * basis / basis.sum())
    frame = pl.DataFrame({
        "county_code": list(land.codes),
        "year": np.full(len(land.codes), LAND_YEAR, dtype=np.int64),
        "arable_mu": land.arable,
        "paddy_share": land.paddy_share,
        "altitude_m": land.altitude,
        "slope_lt6_share": land.slope[:, 0],
        "slope_6_15_share": land.slope[:, 1],
        "slope_15_25_share": land.slope[:, 2],
        "slope_gt25_share": land.slope[:, 3],
        "farm_labour": land.farm_labour,
        "grain_task_mu": task,
    })
    return frame.cast(_schema(land_contract.CONTRACT))


def generate(seed: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The agriculture department's two exports for ``seed``: (crops, land).

    ``crops`` has the columns of ``contracts/agriculture.py`` (county × crop × year 2015–2024, crop
    as its code, with the documented defects); ``land`` those of ``contracts/agriculture_land.py``
    (one row per county for 2024). The same seed gives the same frames.
    """
    rng = np.random.default_rng([seed, zlib.crc32(b"agriculture")])
    land = _counties()
    plant = _plant(land, rng)
    econ = _economics(land, plant, rng)
    crops = _defects(_crop_frame(land, plant, econ), land, rng)
    return crops, _land_frame(land, plant)


def write(crops: pl.DataFrame, land: pl.DataFrame, inbox: Path) -> list[Path]:
    """Write the two exports under ``inbox/agriculture/``: the crops as an Excel sheet (Chinese
    headers, crops by Chinese name, counties by code) and the land as a UTF-8-with-BOM CSV."""
    folder = Path(inbox) / "agriculture"
    folder.mkdir(parents=True, exist_ok=True)
    xlsx = folder / XLSX_NAME
    _write_xlsx(crops, xlsx)
    csv = folder / CSV_NAME
    headers = {c.name: c.zh for c in land_contract.CONTRACT.columns}
    land.select(list(headers)).rename(headers).write_csv(csv, include_bom=True)
    return [xlsx, csv]


def _write_xlsx(crops: pl.DataFrame, path: Path) -> None:
    columns = [c.name for c in crops_contract.CONTRACT.columns]
    frame = crops.select(columns).with_columns(
        pl.col("crop").replace_strict({c.code: c.zh for c in CROPS}, default=pl.col("crop"))
    )
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    workbook.set_properties({"title": "县域农业种植情况 2015–2024", "author": "省农业农村厅",
                             "created": EXPORT_CREATED})
    sheet = workbook.add_worksheet(XLSX_SHEET)
    bold = workbook.add_format({"bold": True})
    sheet.set_column(0, 2, 10)
    sheet.set_column(3, len(columns) - 1, 16)
    for j, name in enumerate(columns):
        sheet.write_string(0, j, crops_contract.CONTRACT.column(name).zh, bold)
    for i, row in enumerate(frame.iter_rows(), start=1):
        for j, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(i, j, value)
            else:
                sheet.write_number(i, j, value)
    workbook.close()
