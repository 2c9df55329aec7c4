"""Crop outlook at build time: expected price and yield per crop, county and year (10 years), with the
spread the planner's risk scenarios draw from — so re-solving a crop plan never forecasts.

``models.crop_plan.CropOutlook`` forecasts each crop's province price and yield series (with
``models.forecast`` where it is available) and keeps each county's level relative to the province.
"""

from __future__ import annotations

import polars as pl

from data_marts.derived import DerivedMart, Reader

HORIZON = 10


def compute(read: Reader) -> pl.DataFrame:
    from data_marts import regions
    from models.crop_plan import CropOutlook

    # The home region's series is the one forecast (a province, or a city whose marts stop at the city);
    # its counties keep their levels relative to it.
    home = regions.home()
    history = read("""
        SELECT region_code, region_level, crop, year, area_mu, yield_kg_per_mu, price_yuan_per_kg
        FROM mart.agriculture
        WHERE region_code = ? OR region_level = 'county'
        ORDER BY region_code, crop, year
    """, [home])
    frames = []
    if not history.filter(pl.col("region_code") == home).is_empty():
        frames.append(CropOutlook(horizon=HORIZON).fit(history, province=home).outlook_)
    columns = {"region_code": pl.String, "crop": pl.String, "year": pl.Int64, "price_yuan_per_kg": pl.Float64,
               "yield_kg_per_mu": pl.Float64, "price_log_sd": pl.Float64, "yield_log_sd": pl.Float64,
               "method": pl.String}
    if not frames:
        return pl.DataFrame(schema=columns)
    return pl.concat(frames).select([pl.col(c).cast(t) for c, t in columns.items()])


MART = DerivedMart(
    name="crop_outlook", theme="agriculture", grain=("region_code", "crop", "year"),
    zh="作物展望：分县、作物、年份的预期价格与单产及其波动（未来10年，种植结构规划的输入）",
    en="Crop outlook: expected price and yield by county, crop and year with their spread (10 years; input of the crop planner)",
    sharing="无条件共享", owner="省农业农村厅", reads=("mart.agriculture",),
    source="cockpit/batch/crop_outlook.py", compute=compute,
)
