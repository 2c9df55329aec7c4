"""Small crop-planning instances built from frames, with numbers chosen so the optimum can be worked
out by hand (see the test that uses ``hand``)."""

from __future__ import annotations

import polars as pl

from models.crop_plan import PlanData

YEARS = (2022, 2023, 2024)
CROPS = pl.DataFrame({
    "code": ["corn", "vegetables", "tea"], "zh": ["玉米", "蔬菜", "茶叶"], "en": ["Corn", "Vegetables", "Tea"],
    "crop_group": ["grain", "featured", "featured"], "perennial": [False, False, True],
    "first_harvest_year": [0, 0, 3], "full_yield_year": [0, 0, 5],
})
# Flat economics: corn 2 元/kg × 500 kg − 800 = 200 元/亩; vegetables 3 × 1,000 − 2,000 = 1,000 元/亩;
# tea 100 × 60 − 2,000 = 4,000 元/亩 once bearing (young stands 1,000, planting 4,000).
ECON = {"corn": (2.0, 500.0, 800.0), "vegetables": (3.0, 1000.0, 2000.0), "tea": (100.0, 60.0, 2000.0)}


def frames(areas: dict[str, dict[str, float]], arable: dict[str, float], task: dict[str, float],
           labour: float = 1e6) -> dict[str, pl.DataFrame]:
    """History (same area every year), land, crops and a flat outlook for counties ``areas``."""
    rows, outlook = [], []
    for county, crops in areas.items():
        for crop, area in crops.items():
            price, yld, cost = ECON[crop]
            for year in YEARS:
                rows.append({"region_code": county, "crop": crop, "year": year, "area_mu": area,
                             "bearing_area_mu": area, "cost_yuan": area * cost, "labour_days": area * 10.0})
            for year in range(2025, 2035):
                outlook.append({"region_code": county, "crop": crop, "year": year, "price_yuan_per_kg": price,
                                "yield_kg_per_mu": yld, "price_log_sd": 0.1, "yield_log_sd": 0.05, "method": "flat"})
    land = pl.DataFrame([{"region_code": c, "arable_mu": arable[c], "paddy_share": 0.0, "altitude_m": 1000.0,
                          "slope_15_25_share": 0.2, "slope_gt25_share": 0.1, "farm_labour": labour,
                          "grain_task_mu": task[c]} for c in areas])
    return {"history": pl.DataFrame(rows), "land": land, "crops": CROPS, "outlook": pl.DataFrame(outlook)}


def hand() -> PlanData:
    """County 520101 (region 520100) grows 600 mu corn and 300 mu vegetables on 1,000 mu of arable land,
    grain task 400 mu; county 520201 (another prefecture, same altitude and slope) grows tea on 20 % of its
    land, which makes tea suitable for 520101 too (up to 1.25 × 20 % = 250 mu)."""
    areas = {"520101": {"corn": 600.0, "vegetables": 300.0}, "520201": {"corn": 500.0, "tea": 200.0}}
    f = frames(areas, {"520101": 1000.0, "520201": 1000.0}, {"520101": 400.0, "520201": 500.0})
    regions = {"520000": ("520101", "520201"), "520100": ("520101",), "520200": ("520201",),
               "520101": ("520101",), "520201": ("520201",)}
    return PlanData.from_frames(f["history"], f["land"], f["crops"], f["outlook"], regions,
                                {"520000": "省", "520100": "甲市", "520200": "乙市"},
                                {"520000": "Province", "520100": "Jia", "520200": "Yi"})


def province(n: int = 12, seed: int = 3) -> PlanData:
    """``n`` counties in two prefectures with varied land and crops (for the property tests)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    areas, arable, task = {}, {}, {}
    for i in range(n):
        code = f"52{(i % 2) + 1:02d}{i + 1:02d}"
        land = float(rng.uniform(5_000, 20_000))
        corn, veg, tea = (float(x) for x in rng.uniform([0.3, 0.1, 0.02], [0.6, 0.3, 0.2]) * land)
        areas[code] = {"corn": round(corn), "vegetables": round(veg), "tea": round(tea)}
        arable[code] = land
        task[code] = round(corn * float(rng.uniform(0.7, 0.95)))
    f = frames(areas, arable, task)
    codes = list(areas)
    regions = {"520000": tuple(codes), "520100": tuple(c for c in codes if c[2:4] == "01"),
               "520200": tuple(c for c in codes if c[2:4] == "02")}
    return PlanData.from_frames(f["history"], f["land"], f["crops"], f["outlook"], regions)
