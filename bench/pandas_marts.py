"""A straightforward pandas implementation of two marts, as a speed baseline for bench/build.py.

population_structure: for each year-end, mask the residents, then group by county, sex and age
group and roll up; enterprise_dynamics: group new and cancelled entities by county, section and
month, accumulate the stock. Reading the base tables is timed separately from computing. The
result is compared with the DuckDB mart so the baseline is known to compute the same thing.
"""

from __future__ import annotations

import json
import time

import duckdb
import numpy as np
import pandas as pd

from data_marts import paths

con = duckdb.connect(str(paths.warehouse()), read_only=True)
t0 = time.perf_counter()
people = con.execute(
    "SELECT residence_code, origin_code, sex, birth_date, settle_date, leave_date, death_date FROM base.population"
).df()
entities = con.execute("SELECT region_code, industry_section, established_date, cancelled_date FROM base.legal_entities").df()
ancestors = con.execute("SELECT code, ancestor_code FROM mart.region_ancestors").df()
counties = set(con.execute("SELECT code FROM mart.regions WHERE level = 'county'").df()["code"])
read_seconds = time.perf_counter() - t0

t0 = time.perf_counter()
far = pd.Timestamp("2262-01-01")
end = people["death_date"].fillna(far).combine(people["leave_date"].fillna(far), min)
birth = people["birth_date"]
settle = people["settle_date"]
frames = []
for year in range(2015, 2025):
    year_end = pd.Timestamp(year=year, month=12, day=31)
    alive = (birth <= year_end) & (end > year_end)
    here = alive & (settle.isna() | (settle <= year_end))
    before = alive & settle.notna() & (settle > year_end) & people["origin_code"].isin(counties)
    county = pd.concat([people.loc[here, "residence_code"], people.loc[before, "origin_code"]])
    idx = county.index
    age = year - birth.loc[idx].dt.year
    frames.append(pd.DataFrame({
        "county": county.values, "sex": people.loc[idx, "sex"].values,
        "age_from": np.minimum(age.values // 5 * 5, 90), "year": year,
    }).groupby(["county", "year", "sex", "age_from"]).size().rename("persons").reset_index())
counts = pd.concat(frames)
structure = (counts.merge(ancestors, left_on="county", right_on="code")
             .groupby(["ancestor_code", "year", "sex", "age_from"])["persons"].sum().reset_index())
population_seconds = time.perf_counter() - t0

t0 = time.perf_counter()
months = pd.period_range("2015-01", "2024-12", freq="M")
established = entities["established_date"].dt.to_period("M").clip(lower=months[0])
new = entities[established <= months[-1]].assign(month=established).groupby(
    ["region_code", "industry_section", "month"]).size().rename("added")
cancelled_at = entities["cancelled_date"].dt.to_period("M")
gone = entities[cancelled_at.between(months[0], months[-1])].assign(month=cancelled_at).groupby(
    ["region_code", "industry_section", "month"]).size().rename("removed")
flows = pd.concat([new, gone], axis=1).fillna(0).reset_index()
flows = flows.merge(ancestors, left_on="region_code", right_on="code")
rolled = flows.groupby(["ancestor_code", "industry_section", "month"])[["added", "removed"]].sum()
grid = pd.MultiIndex.from_product(
    [rolled.index.levels[0], rolled.index.levels[1], months], names=rolled.index.names)
rolled = rolled.reindex(grid, fill_value=0)
rolled["stock"] = (rolled["added"] - rolled["removed"]).groupby(level=[0, 1]).cumsum()
enterprise_seconds = time.perf_counter() - t0

mart_total = con.execute(
    "SELECT population FROM mart.population_dynamics WHERE region_code = '520000' AND year = 2024").fetchone()[0]
pandas_total = int(structure[(structure.ancestor_code == "520000") & (structure.year == 2024)]["persons"].sum())
mart_stock = con.execute(
    "SELECT sum(stock) FROM mart.enterprise_dynamics WHERE region_code = '520000' AND month = DATE '2024-12-01'"
).fetchone()[0]
pandas_stock = int(rolled.xs("520000", level=0).xs(months[-1], level=1)["stock"].sum())
print("PANDAS=" + json.dumps({
    "pandas_read_seconds": round(read_seconds, 3),
    "pandas_population_structure_seconds": round(population_seconds, 3),
    "pandas_enterprise_dynamics_seconds": round(enterprise_seconds, 3),
    "pandas_matches_duckdb": bool(mart_total == pandas_total and mart_stock == pandas_stock),
}))
