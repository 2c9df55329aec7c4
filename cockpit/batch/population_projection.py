"""Population projection at build time: a cohort-component projection of every unit one level below the
home region (a province's prefectures, a city's counties; a county home is projected alone), ten years
ahead with 80% and 95% intervals, and the home region as the sum of its units (run by run).

Inputs come from ``temp.population_events`` (an unpublished build helper: residents and events by
region, year, sex and single age, counted from the population base library). The projection is
of the records the warehouse holds: with the demo's person sample its numbers are sample counts like
every other population mart, and panels scale them by ``ctx.sample_rate()``.
"""

from __future__ import annotations

import polars as pl

from data_marts import regions
from data_marts.derived import DerivedMart, Reader
from models import CohortComponentProjection, Projection

SETTINGS = {"horizon": 10, "n_simulations": 500, "seed": 20241231, "window": 5}
_INPUTS = """
    SELECT region_code AS region, year, sex, age, population, births, deaths, moved_in, moved_out
    FROM temp.population_events
    WHERE region_level = ? AND starts_with(region_code, ?)
    ORDER BY region, year, sex, age
"""


def units() -> tuple[str, str | None]:
    """(the level projected, the home region's code as their total, or None for a county home)."""
    home = regions.home()
    below = regions.children(home)
    if regions.by_code()[home].level == "county" or not below:
        return regions.by_code()[home].level, None
    return below[0].level, home
# One projection serves both marts of a build (this one and mart.school_places); kept until
# ``release()`` so that it is computed once, never across builds with other data.
_last: dict[str, object] = {}


def projection(read: Reader) -> Projection:
    """The projection of the home region's units from the warehouse being built (computed once per build's
    inputs)."""
    level, total = units()
    home = regions.home()
    frame = read(_INPUTS, [level, regions.prefix(home) if total else home])
    if frame.is_empty():
        raise ValueError(f"temp.population_events has no {level} rows in {home}: the population library is empty")
    key = (frame.height, int(frame.hash_rows().sum()))
    if _last.get("key") != key:
        _last.clear()
        model = CohortComponentProjection(**SETTINGS).fit(frame.select("region", "year", "sex", "age", "population"),
                                                          frame.filter(pl.col("year") > frame["year"].min()))
        _last.update(key=key, result=model.predict())
    return _last["result"]


def release() -> None:
    """Forget the kept projection (the last mart of a build that uses it calls this)."""
    _last.clear()


def k_min(read: Reader) -> int:
    """The build's disclosure threshold (``SET VARIABLE k_min``)."""
    return int(read("SELECT coalesce(getvariable('k_min'), 10)::BIGINT AS k", None)["k"][0])


def compute(read: Reader) -> pl.DataFrame:
    result = projection(read)
    k = k_min(read)
    level, total = units()
    frame = result.to_frame(total=total).rename({"region": "region_code"})
    starts = {name: lo for name, lo, _ in result.age_groups}
    values = ["mean", "lower_80", "upper_80", "lower_95", "upper_95",
              "aged_on", "births", "deaths", "moved_in", "moved_out"]
    suppressed = pl.col("mean") < k
    return frame.with_columns(
        pl.when(pl.col("region_code") == regions.home()).then(pl.lit(regions.by_code()[regions.home()].level))
        .otherwise(pl.lit(level)).alias("region_level"),
        pl.lit(result.base_year, dtype=pl.Int64).alias("base_year"),
        pl.col("age_group").replace_strict(starts, default=None, return_dtype=pl.Int64).alias("age_from"),
        *[pl.when(suppressed).then(None).otherwise(pl.col(c).round(1)).alias(c) for c in values],
        suppressed.alias("suppressed"),
    ).select("region_code", "region_level", "year", "base_year", "sex", "age_group", "age_from", *values,
             "suppressed")


MART = DerivedMart(
    name="population_projection", theme="population",
    grain=("region_code", "year", "sex", "age_group"),
    zh="人口预测：本地区及其下一级各地区未来10年分性别、五岁年龄组的年末常住人口（队列要素法，均值及80%、95%区间；不足k人的单元格不公开）",
    en="Population projection: year-end residents of the home region and each region one level below for the next 10 years "
       "by sex and five-year age group (cohort-component method; mean with 80% and 95% intervals; cells under k suppressed)",
    sharing="无条件共享", owner="省大数据局",
    reads=("temp.population_events",),
    source="cockpit/batch/population_projection.py",
    compute=compute, k_columns=("mean",),
)
