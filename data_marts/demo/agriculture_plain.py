"""Demo agriculture for a plain that grows two crops a year on the same field (沧州: winter wheat sown in
October and harvested in June, then summer corn until September), plus cotton, vegetables and orchards.

Used instead of ``agriculture`` (Guizhou's karst mountains) when the demo region's facts say
``FARMING_SYSTEM = "wheat_corn"``. It writes the same two exports with the same contracts, so that the
marts and the crop planner read them unchanged. The city's areas for 2023 are the published figures of
the facts file; other years, the county split and the per-mu economics are ``[ASSUMED]`` (listed in
docs/data.md, "The Cangzhou demo").

How the numbers are made:

1. County arable land: the city's ``ARABLE_WAN_MU`` spread by land area, less in the two urban districts.
2. Every county grows the city's crop mix in proportion to its arable land, jittered ±10 % per county
   (fixed per county), with orchards leaning to 沧县, 献县 and 泊头 (金丝小枣, 鸭梨) and dry-land
   alkali wheat (旱碱麦, lower yields) on the coast (黄骅, 海兴, 盐山). Wheat never exceeds the corn
   that follows it, and corn, cotton, vegetables and orchards together never exceed the arable land:
   the wheat field is the corn field, used twice in a year.
3. City totals per year are exact: each crop's path (``AREA_PATH``) is rescaled after the split.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import polars as pl

from data_marts import regions, shapes
from data_marts.contracts import agriculture as crops_contract
from data_marts.contracts import agriculture_land as land_contract
from data_marts.crops import CROPS
from data_marts.demo import agriculture, calibration, geography

YEARS = tuple(range(2015, 2025))
LAND_YEAR = 2024
WAN = 10_000.0
DOUBLE_CROP = ("wheat", "corn")  # the first is harvested before the second is sown, on the same field

CROPS_GROWN = ("wheat", "corn", "cotton", "vegetables", "fruit")


def areas_2023() -> dict[str, float]:
    """The city's 2023 area per crop, 万亩, from the facts file (wheat, corn: published; the rest assumed)."""
    return {
        "wheat": calibration.WINTER_WHEAT_2023_WAN_MU,
        "corn": calibration.AUTUMN_GRAIN_AREA_2023_WAN_MU * calibration.CORN_SHARE_OF_AUTUMN_GRAIN,
        "cotton": calibration.COTTON_2023_WAN_MU,
        "vegetables": calibration.VEGETABLES_2023_WAN_MU,
        "fruit": calibration.FRUIT_2023_WAN_MU,
    }


# [ASSUMED] each crop's area relative to 2023: wheat dipped with Hebei's seasonal fallow on over-pumped
# groundwater (季节性休耕, from 2016) and came back with dry-land alkali wheat; cotton kept shrinking.
AREA_PATH = {
    "wheat": (1.05, 1.02, 0.99, 0.97, 0.96, 0.96, 0.97, 0.99, 1.0, 1.01),
    "corn": (0.98, 0.99, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0),
    "cotton": (1.6, 1.45, 1.35, 1.25, 1.15, 1.1, 1.05, 1.02, 1.0, 0.97),
    "vegetables": (0.95, 0.96, 0.97, 0.98, 0.99, 1.0, 1.0, 1.0, 1.0, 1.01),
    "fruit": (1.1, 1.08, 1.06, 1.04, 1.02, 1.01, 1.0, 1.0, 1.0, 1.0),
}
# [ASSUMED] per-mu economics in 2023 (yield kg, farm-gate price 元/kg, cost 元, labour days). Wheat's
# yield is the summer grain's 201万吨 on 528.8万亩 [DERIVED 380 kg]; corn's the autumn grain's 266万吨 on
# 825.8万亩 [DERIVED 322 kg] lifted for corn's higher yield than soy and millet; 旱碱麦 223 kg (2022, [WEAK]).
ECONOMICS = {
    "wheat": (380.0, 2.5, 900.0, 5.0),
    "corn": (400.0, 2.3, 850.0, 6.0),
    "cotton": (260.0, 7.0, 1500.0, 15.0),
    "vegetables": (3500.0, 1.4, 3200.0, 35.0),
    "fruit": (600.0, 5.0, 1600.0, 20.0),
}
ALKALI_WHEAT_YIELD = 223.3
ORCHARD_COUNTIES = {"130921": 2.5, "130929": 2.0, "130981": 1.8}  # 沧县, 献县 (金丝小枣); 泊头 (鸭梨)
COASTAL_COUNTIES = ("130983", "130924", "130925")                 # 黄骅, 海兴, 盐山: 旱碱麦
URBAN_ARABLE = 0.35            # [ASSUMED] arable per km² in a 市辖区 relative to a county
URBANISATION_2024 = 0.55       # [ASSUMED] rural residents make the farm labour, half of them
GRAIN_TASK_2023_WAN_MU = 1348.7  # 全年粮食播种面积稳定在1348.7万亩以上 [NEWS, 人民网 2024-03-29]


def _unit(code: str, salt: str) -> float:
    return 2.0 * (zlib.crc32(f"{salt}:{code}".encode()) % 10_007) / 10_006 - 1.0


def _arable(codes: list[str]) -> np.ndarray:
    urban = np.array([regions.name(c).endswith("区") for c in codes])
    weight = np.array([shapes._area_km2(c) for c in codes]) * np.where(urban, URBAN_ARABLE, 1.0)
    weight *= 1 + 0.08 * np.array([_unit(c, "arable") for c in codes])
    return np.round(calibration.ARABLE_WAN_MU * WAN * weight / weight.sum())


def _split(codes: list[str], arable: np.ndarray) -> dict[str, np.ndarray]:
    """Each crop's share of the city's area per county (shares sum to 1 per crop)."""
    out = {}
    for crop in CROPS_GROWN:
        # Wheat is sown on the corn fields: the same county split (wheat / corn is the city's ratio everywhere).
        tilt = 1 + 0.1 * np.array([_unit(c, "corn" if crop == "wheat" else crop) for c in codes])
        if crop == "fruit":
            tilt *= np.array([ORCHARD_COUNTIES.get(c, 1.0) for c in codes])
        weight = arable * tilt
        out[crop] = weight / weight.sum()
    return out


def _areas(codes: list[str], arable: np.ndarray) -> np.ndarray:
    """(county, crop, year) area in mu; wheat ≤ corn and the single-use crops fit the arable land."""
    crops = list(CROPS_GROWN)
    totals = areas_2023()
    share = _split(codes, arable)
    area = np.zeros((len(codes), len(crops), len(YEARS)))
    for k, crop in enumerate(crops):
        for j in range(len(YEARS)):
            area[:, k, j] = share[crop] * totals[crop] * AREA_PATH[crop][j] * WAN
    wheat, corn = crops.index("wheat"), crops.index("corn")
    area[:, wheat] = np.minimum(area[:, wheat], area[:, corn])
    single = [k for k, c in enumerate(crops) if c != "wheat"]
    used = area[:, single].sum(axis=1)
    over = np.maximum(used / arable[:, None], 1.0)
    area[:, single] /= over[:, None, :]
    area[:, wheat] = np.minimum(area[:, wheat], area[:, corn])
    return np.round(area)


def _crop_frame(codes: list[str], area: np.ndarray, rng: np.random.Generator) -> pl.DataFrame:
    frames = []
    for k, crop in enumerate(CROPS_GROWN):
        base_yield, price, cost, labour = ECONOMICS[crop]
        for i, code in enumerate(codes):
            yields = np.full(len(YEARS), base_yield)
            if crop == "wheat" and code in COASTAL_COUNTIES:
                share = calibration.DRYLAND_ALKALI_WHEAT_2023_WAN_MU / calibration.WINTER_WHEAT_2023_WAN_MU
                yields = yields * (1 - share) + ALKALI_WHEAT_YIELD * share
            trend = 1 + 0.01 * (np.array(YEARS) - 2023)
            weather = np.exp(rng.normal(0.0, 0.05, len(YEARS)))
            frames.append(pl.DataFrame({
                "county_code": code,
                "crop": crop,
                "year": np.array(YEARS, dtype=np.int64),
                "area_mu": area[i, k],
                "bearing_area_mu": np.round(area[i, k] * (0.9 if crop == "fruit" else 1.0)),
                "yield_kg_per_mu": np.round(yields * trend * weather, 1),
                "price_yuan_per_kg": np.round(price * (1 + 0.015 * (np.array(YEARS) - 2023))
                                              * np.exp(rng.normal(0.0, 0.04, len(YEARS))), 2),
                "cost_yuan_per_mu": np.round(cost * 1.012 ** (np.array(YEARS) - 2023)),
                "labour_days_per_mu": np.full(len(YEARS), labour),
            }))
    crops = {c.code for c in CROPS}
    frame = pl.concat(frames).filter(pl.col("crop").is_in(crops) & (pl.col("area_mu") > 0))
    return frame.cast(agriculture._schema(crops_contract.CONTRACT))


def _defects(frame: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """A department export's defects: a yield in grams and a row keyed in twice."""
    n = frame.height
    bad = rng.choice(n, 2, replace=False)
    factor = np.ones(n)
    factor[bad] = 1000.0
    frame = frame.with_columns((pl.col("yield_kg_per_mu") * pl.Series(factor)).alias("yield_kg_per_mu"))
    repeat = np.ones(n, dtype=np.int64)
    repeat[rng.choice(n, 1, replace=False)] = 2
    return frame.select(pl.all().gather(np.repeat(np.arange(n), repeat)))


def altitude_of(codes: list[str]) -> np.ndarray:
    """[ASSUMED] mean altitude, m: the plain rises from about 3 m on the coast to about 20 m in the west."""
    lon = np.array([shapes.geometry(c).representative_point().x for c in codes])
    return 3.0 + 17.0 * np.clip((117.8 - lon) / 2.0, 0.0, 1.0)


def _land_frame(codes: list[str], arable: np.ndarray, area: np.ndarray) -> pl.DataFrame:
    crops = list(CROPS_GROWN)
    grain = area[:, [crops.index("wheat"), crops.index("corn")], YEARS.index(2023)].sum(axis=1)
    task = np.round(GRAIN_TASK_2023_WAN_MU * WAN * grain / grain.sum())
    pop = geography.county_population_share()
    # [ASSUMED] rural residents by county type (district 10 %, county-level city 45 %, county 60 %),
    # scaled to the city's rural population; half of them farm.
    rate = np.array([0.10 if regions.name(c).endswith("区") else 0.45 if regions.name(c).endswith("市") else 0.60
                     for c in codes])
    rural = np.array([pop[c] for c in codes]) * rate
    rural *= calibration.POPULATION_WAN[LAND_YEAR] * WAN * (1 - URBANISATION_2024) / rural.sum()
    n = len(codes)
    frame = pl.DataFrame({
        "county_code": codes,
        "year": np.full(n, LAND_YEAR, dtype=np.int64),
        "arable_mu": arable,
        "paddy_share": np.zeros(n),
        "altitude_m": np.round(altitude_of(codes)),
        "slope_lt6_share": np.ones(n),
        "slope_6_15_share": np.zeros(n),
        "slope_15_25_share": np.zeros(n),
        "slope_gt25_share": np.zeros(n),
        "farm_labour": np.round(rural * 0.5),
        "grain_task_mu": task,
    })
    return frame.cast(agriculture._schema(land_contract.CONTRACT))


def generate(seed: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The agriculture department's two exports (crops, land), as ``agriculture.generate``."""
    rng = np.random.default_rng([seed, zlib.crc32(b"agriculture-plain")])
    codes = [c.code for c in regions.counties(calibration.ROOT)]
    arable = _arable(codes)
    area = _areas(codes, arable)
    return _defects(_crop_frame(codes, area, rng), rng), _land_frame(codes, arable, area)


def write(crops: pl.DataFrame, land: pl.DataFrame, inbox: Path) -> list[Path]:
    return agriculture.write(crops, land, inbox)
