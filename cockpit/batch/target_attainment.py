"""Target attainment at build time: for every annual target in ``mart.economy_indicators``, the
probability of meeting it as seen from each reporting period of that year (``models.forecast.attainment``).

Growth targets (GDP 增长5.5%) are judged on the year-to-date growth rate (累计增速), whose year-end
value is the annual growth, by the analog method: today's figure plus how the same series moved from
this point to year-end in earlier years. Price-level targets (CPI 控制在103左右) are judged on the
mean of the year's monthly index, from simulated paths of the forecasting model (Holt–Winters), for the
province and its prefectures in the latest target year (about 110 fits; counties would be 1,000 more).
Which way meets a target comes from each indicator's declared direction (``data_marts.indicators``).
"""

from __future__ import annotations

import warnings

import polars as pl

from data_marts.derived import DerivedMart, Reader

SOURCE = "cockpit/batch/target_attainment.py"
GROWTH_SQL = """
    SELECT e.region_code, e.indicator, e.freq, e.period, e.year, e.yoy_cumulative_pct AS value, e.target_growth_pct AS target,
           i.good_direction = 'higher' AS at_least
    FROM mart.economy_indicators AS e JOIN mart.indicators AS i ON i.code = e.indicator
    WHERE e.yoy_cumulative_pct IS NOT NULL AND e.freq IN ('M', 'Q')
    ORDER BY e.region_code, e.indicator, e.freq, e.period
"""
LEVEL_SQL = """
    SELECT e.region_code, e.indicator, e.freq, e.period, e.year, e.current_value AS value, e.target_value AS target,
           i.good_direction = 'higher' AS at_least
    FROM mart.economy_indicators AS e JOIN mart.indicators AS i ON i.code = e.indicator
    WHERE e.current_value IS NOT NULL AND e.freq = 'M' AND NOT i.additive AND e.region_level <> 'county'
      AND e.indicator IN (SELECT indicator FROM mart.economy_indicators WHERE target_value IS NOT NULL AND cumulative_value IS NULL)
    ORDER BY e.region_code, e.indicator, e.freq, e.period
"""
LEVEL_YEARS = 1  # model-based (slower) judgements for the latest target year only


def compute(read: Reader) -> pl.DataFrame:
    from models.forecast.attainment import attainment

    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for sql, rule, model in ((GROWTH_SQL, "year_end", "analog"), (LEVEL_SQL, "year_mean", "ets")):
            frame = read(sql, None)
            for (region, indicator, freq), group in frame.group_by(["region_code", "indicator", "freq"], maintain_order=True):
                targets = group.filter(pl.col("target").is_not_null()).group_by("year").agg(pl.col("target").first()).sort("year")
                if model != "analog":
                    targets = targets.tail(LEVEL_YEARS)
                series = group.select("period", "value")
                for year, target in targets.iter_rows():
                    try:
                        found = attainment(series, year, target, rule=rule, higher_is_better=group["at_least"][0],
                                           model=model, seed=year)
                    except ValueError:
                        continue  # too few earlier years to judge (the first years of a series)
                    rows += [{"region_code": region, "indicator": indicator, "freq": freq, **a.__dict__} for a in found]
    return pl.DataFrame(rows, infer_schema_length=None).rename({"model": "method"})


MART = DerivedMart(
    name="target_attainment", theme="economy", grain=("region_code", "indicator", "year", "as_of"),
    zh="目标达成概率：每个年度目标在当年各期看来的达成概率、预期值与结果",
    en="Target attainment: the probability of meeting each annual target as seen from each period of the year, the expected outcome and the actual one",
    sharing="无条件共享", owner="省大数据局", reads=("mart.economy_indicators", "mart.indicators"), source=SOURCE,
    compute=compute,
)
