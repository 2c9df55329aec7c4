"""School places at build time: children entering primary school (at 6) and junior secondary school
(at 12, 小升初) and children of each stage's ages (6-11, 12-14), observed from the first year of the history window to the base year and
projected ten years ahead, for every county, prefecture and province in the home region.

The figures of the home region and the units below it come from the population projection
(``population_projection.py``); where those units are prefectures,
a county's projected figure is its prefecture's times the county's share of the prefecture's children
of the nearest observed birth years (the five or more birth years around the cohorts concerned, or
the five newest for cohorts not yet born), so county intervals carry the prefecture's uncertainty and
not that of the share. The base libraries hold no school capacity, so there is none here.
"""

from __future__ import annotations

import polars as pl

from cockpit.batch import population_projection
from data_marts import regions as region_table
from data_marts.derived import DerivedMart, Reader

# stage -> (entry age, last age of the stage)
STAGES = {"primary": (6, 11), "junior_secondary": (12, 14)}
MEASURES = ("entrants", "enrolled")
BOUNDS = ("lower_80", "upper_80", "lower_95", "upper_95")
NEAREST = 5  # birth years a county share is taken over, at least


def _ranges() -> dict[str, tuple[int, int]]:
    return {**{f"{stage}|entrants": (lo, lo) for stage, (lo, _) in STAGES.items()},
            **{f"{stage}|enrolled": (lo, hi) for stage, (lo, hi) in STAGES.items()}}


def _wide(long: pl.DataFrame) -> pl.DataFrame:
    """(region, year, stage|measure, mean, bounds) -> one row per region, year, stage with both measures."""
    long = long.with_columns(pl.col("age_group").str.split_exact("|", 1).struct.rename_fields(["stage", "measure"])
                             ).unnest("age_group")
    parts = [
        long.filter(pl.col("measure") == measure).select(
            "region", "year", "stage", pl.col("mean").alias(measure),
            *[pl.col(b).alias(f"{measure}_{b}") for b in BOUNDS])
        for measure in MEASURES
    ]
    return parts[0].join(parts[1], on=["region", "year", "stage"])


def _county_shares(cohorts: pl.DataFrame, counties: pl.DataFrame, base_year: int, years: tuple[int, ...]) -> pl.DataFrame:
    """(region, parent, year, stage, measure, share): the county's share of its prefecture's children of
    the observed birth years nearest to the cohorts of the measure's ages in that year."""
    rows = []
    for year in years:
        for stage, (lo, hi) in STAGES.items():
            for measure, (first, last) in (("entrants", (lo, lo)), ("enrolled", (lo, hi))):
                newest = min(year - first + 2, base_year)
                rows.append((year, stage, measure, min(year - last - 2, newest - NEAREST + 1), newest))
    windows = pl.DataFrame(rows, schema=["year", "stage", "measure", "oldest", "newest"], orient="row")
    keys = ["year", "stage", "measure"]
    in_window = (cohorts.join(counties, on="region").join(windows, how="cross")
                 .filter(pl.col("birth_year").is_between(pl.col("oldest"), pl.col("newest"))))
    county = in_window.group_by("region", "parent", *keys).agg(pl.col("persons").sum())
    prefecture = in_window.group_by("parent", *keys).agg(pl.col("persons").sum().alias("parent_persons"))
    return (counties.join(windows.select(keys), how="cross")
            .join(county.drop("parent"), on=["region", *keys], how="left")
            .join(prefecture, on=["parent", *keys], how="left")
            .select("region", "parent", *keys,
                    (pl.col("persons").fill_null(0) / pl.col("parent_persons")).fill_nan(None).alias("share")))


def compute(read: Reader) -> pl.DataFrame:
    result = population_projection.projection(read)
    try:
        k = population_projection.k_min(read)
        level, total = population_projection.units()
        home = region_table.home()
        regions = read("SELECT code AS region, level AS region_level, parent_code AS parent FROM mart.regions "
                       "WHERE starts_with(code, ?)", [region_table.prefix(home)])
        # Counties the projection does not hold itself: shares of their parent's figures.
        counties = regions.filter(pl.col("region_level") == "county").select("region", "parent")

        # The home region and the units one level below: the projection itself.
        projected = _wide(result.to_frame(age=_ranges(), total=total).filter(pl.col("sex") == "all"))
        county_rows = pl.DataFrame()
        if level != "county":
            # Counties: the prefecture's figures times the county's share of the nearest birth years.
            cohorts = read(
                "SELECT region_code AS region, ?::BIGINT - age AS birth_year, sum(population)::BIGINT AS persons "
                "FROM temp.population_events WHERE region_level = 'county' AND year = ? AND age < 100 GROUP BY ALL",
                [result.base_year, result.base_year])
            shares = (_county_shares(cohorts, counties, result.base_year, result.years)
                      .pivot(on="measure", index=["region", "parent", "year", "stage"], values="share"))
            scaled = [(pl.col(column) * pl.col(f"share_{measure}")).alias(column)
                      for measure in MEASURES for column in (measure, *[f"{measure}_{b}" for b in BOUNDS])]
            county_rows = (shares.rename({m: f"share_{m}" for m in MEASURES})
                           .join(projected.rename({"region": "parent"}), on=["parent", "year", "stage"])
                           .with_columns(scaled)
                           .select("region", "year", "stage", *_value_columns(),
                                   pl.col("share_entrants").alias("county_share")))
        projected_rows = pl.concat([projected.with_columns(pl.lit(None, dtype=pl.Float64).alias("county_share")),
                                    county_rows], how="diagonal_relaxed").with_columns(pl.lit(True).alias("projected"))

        # Every level, observed: children of the stage's ages at each year-end, base year included, as
        # counted and withheld with the other person counts (temp.person_counts_shown, docs/disclosure.md).
        labels = {label: f"{stage}|{measure}" for stage, (lo, hi) in STAGES.items()
                  for measure, label in (("entrants", f"{lo}"), ("enrolled", f"{lo}-{hi}"))}
        observed = read(
            """
            SELECT region_code AS region, year, age_group, value::DOUBLE AS mean
            FROM temp.person_counts_shown
            WHERE measure = 'children' AND age_group IN (SELECT unnest(?::VARCHAR[])) AND year BETWEEN getvariable('first_year') AND ?
            """, [list(labels), result.base_year])
        if set(observed["age_group"]) != set(labels):
            raise ValueError(f"temp.person_counts_shown has no children aged {sorted(set(labels) - set(observed['age_group']))}: "
                             "its school ages differ from STAGES")
        observed = observed.with_columns(pl.col("age_group").replace_strict(labels),
                                         *[pl.lit(None, dtype=pl.Float64).alias(b) for b in BOUNDS])
        observed_rows = _wide(observed).with_columns(pl.lit(None, dtype=pl.Float64).alias("county_share"),
                                                     pl.lit(False).alias("projected"))
    finally:
        population_projection.release()

    rows = pl.concat([observed_rows, projected_rows], how="diagonal_relaxed")
    # Withheld: an observed count the disclosure step withholds (NULL), or a projected figure under k.
    small = {m: pl.col(m).is_null() | (pl.col(m) < k) for m in MEASURES}
    return (
        rows.join(regions, on="region", how="inner")
        .with_columns(
            pl.col("stage").replace_strict({s: lo for s, (lo, _) in STAGES.items()}, return_dtype=pl.Int64)
            .alias("entry_age"),
            pl.lit(result.base_year, dtype=pl.Int64).alias("base_year"),
            *[pl.when(small[m]).then(None).otherwise(pl.col(c).round(1)).alias(c)
              for m in MEASURES for c in (m, *[f"{m}_{b}" for b in BOUNDS])],
            pl.any_horizontal(*small.values()).fill_null(False).alias("suppressed"),
            # A share times the prefecture's figure would give the withheld county figure back.
            pl.when(small["entrants"]).then(None).otherwise(pl.col("county_share").round(5)).alias("county_share"),
        )
        .rename({"region": "region_code", "parent": "parent_code"})
        .select("region_code", "region_level", "parent_code", "year", "base_year", "projected", "stage", "entry_age",
                *_value_columns(), "county_share", "suppressed")
        .sort("region_code", "stage", "year")
    )


def _value_columns() -> list[str]:
    return [c for m in MEASURES for c in (m, *[f"{m}_{b}" for b in BOUNDS])]


MART = DerivedMart(
    name="school_places", theme="population",
    grain=("region_code", "year", "stage"),
    zh="学位需求：各县（市、区）、市（州）和全省小学（6岁）、初中（12岁，小升初）入学人数及在学年龄人口，"
       "历史年份的实际数和未来10年的预测（均值及80%、95%区间；不足k人的单元格不公开；基础库无学位容量数据）",
    en="School places: children entering primary (age 6) and junior secondary school (age 12) and children of "
       "each stage's ages by county, prefecture and province, observed over the history window and projected 10 years ahead "
       "(mean with 80% and 95% intervals; cells under k suppressed; the base libraries hold no school capacity)",
    sharing="无条件共享", owner="省大数据局",
    reads=("temp.population_events", "temp.person_counts_shown", "mart.regions"),
    source="cockpit/batch/school_places.py",
    compute=compute, k_columns=("entrants", "enrolled"),
)
