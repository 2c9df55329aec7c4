"""The crop planner's inputs from the warehouse, read through the scoped query layer and calibrated once
per warehouse generation; shared by the planner page and ``cockpit plan crops``."""

from __future__ import annotations

import polars as pl

from cockpit import query, warehouse
from data_marts import regions
from models.crop_plan import CropPlan, CropPlanner, PlanData, PlanInputs, assumptions

MARTS = ("agriculture", "agriculture_land", "crops", "crop_outlook", "regions", "region_ancestors")


def _load() -> PlanData:
    history = query.run("""
        SELECT region_code, crop, year, area_mu, bearing_area_mu, cost_yuan, labour_days
        FROM mart.agriculture WHERE region_level = 'county'
    """)
    land = query.run("""
        SELECT region_code, arable_mu, paddy_share, altitude_m, slope_15_25_share, slope_gt25_share,
               farm_labour, grain_task_mu
        FROM mart.agriculture_land
        WHERE region_level = 'county' AND year = (SELECT max(year) FROM mart.agriculture_land)
    """)
    crops = query.run("SELECT * FROM mart.crops")
    outlook = query.run("SELECT * FROM mart.crop_outlook")
    ancestors = query.run("""
        SELECT a.ancestor_code, a.code FROM mart.region_ancestors AS a
        JOIN mart.regions AS r ON r.code = a.code WHERE r.level = 'county' ORDER BY a.code
    """)
    members = {code: tuple(group["code"].to_list())
               for (code,), group in ancestors.group_by("ancestor_code", maintain_order=True)}
    return PlanData.from_frames(history, land, crops, outlook, members, regions.names("zh"), regions.names("en"),
                                assumptions=assumptions.for_region(regions.home()))


def data() -> PlanData:
    """Calibrated planner inputs for the current warehouse (computed once per build)."""
    return warehouse.per_generation("crop_plan.data", _load)


def solve(inputs: PlanInputs, monte_carlo: int = 2000) -> CropPlan:
    """Solve one scenario on the current warehouse; raises ``PlanError`` subclasses with a sentence."""
    return CropPlanner(inputs, monte_carlo=monte_carlo).fit(data()).result_


def plan_regions(scope: query.Scope | None = None) -> pl.DataFrame:
    """The regions a plan can be made for in ``scope``: the home region and the prefectures in it (a county
    home: itself), where farm data exist (code, name, level)."""
    return query.run("""
        SELECT code, name, level FROM mart.regions
        WHERE (code = ? OR (parent_code = ? AND level = 'prefecture'))
          AND code IN (SELECT DISTINCT region_code FROM mart.agriculture)
        ORDER BY level DESC, code
    """, [regions.home(), regions.home()], scope)


def crops() -> pl.DataFrame:
    """The crops planned in the home region (its planner assumptions; all catalogue crops with history if
    they name none): code, zh, en, crop_group, perennial, first_harvest_year, full_yield_year."""
    planned = assumptions.for_region(regions.home()).crops
    catalogue = query.run("SELECT * FROM mart.crops")
    if planned:
        return catalogue.filter(pl.col("code").is_in(planned))
    return catalogue.filter(pl.col("code").is_in(query.run("SELECT DISTINCT crop FROM mart.agriculture")["crop"]))
