"""Demo export of the population base library (人口基础库, 省公安厅): one row per person ever resident.

A vectorised microsimulation from the end-2014 stock to the end of 2024, calibrated so that the
clean rows reconstruct the published year-end resident population exactly (see docs/data/population.md
for every target, source tag and assumption). A person is resident in county C at the end of year Y
iff born by then, not dead, not gone from the province, and C is ``residence_code`` (moved there by
then, or no move date) or, before a later move, the Guizhou ``origin_code``.

Public: ``generate(scale, seed, housing)`` and ``write(df, inbox)`` (what the demo orchestrator
calls); ``export(scale, seed, housing, inbox)``, the same file without holding the whole frame (for
scale 1); the calibration helpers ``prefecture_share``, ``county_share``, ``year_end_targets``,
``age_targets_2020``, ``mortality`` and ``household_sizes``; ``id_digits`` and ``ascii_strings``
(vectorised GB 11643 numbers and fixed-width strings); ``headers`` (the file's Chinese headers);
``allocate`` and ``county_kind``, shared with the housing generator.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa

from data_marts import regions
from data_marts.contracts.housing import USES
from data_marts.contracts.population import CONTRACT
from data_marts.demo import names
from data_marts.demo.calibration import (
    AGE_65_PLUS_2020, AGE_SHARES_2020, BIRTH_RATE, CENSUS_2020_PREFECTURE, COLLECTIVE_SHARE, DEATH_RATE,
    HOUSEHOLD_SIZE_2020, OTHER_PROVINCE_COUNTIES, POPULATION_WAN, ROOT, SEX_RATIO_2020,
)
from data_marts.demo.geography import bounds, county_weights

SNAPSHOT_YEAR = 2024
FIRST_YEAR = 2014
FILE_NAME = "人口基础库_20241231.csv"
CHUNK_ROWS = 500_000

# --- Assumptions [ASSUMED] (documented in docs/data/population.md) ------------------------------------
OUT_RATE = 0.012            # yearly probability of moving out of the province, population average
INTERNAL_RATE = 0.015       # yearly probability of an inter-county move inside Guizhou
INTER_PREFECTURE = 0.45     # share of internal moves that cross a prefecture boundary
SEX_RATIO_AT_BIRTH = 108.0  # boys per 100 girls
FERTILITY = {"520100": 0.85, "520200": 1.10, "520300": 0.90, "520400": 1.00, "520500": 1.25,
             "520600": 1.00, "522300": 1.10, "522600": 1.00, "522700": 1.00}
ATTRACTION = {"520100": 4.0, "520300": 1.2}   # inter-prefecture destination pull (others 0.8)
COUNTY_PULL = {"district": 1.5, "city": 1.2, "county": 1.0}  # movers' and arrivals' choice of county
BORN_ELSEWHERE_GUIZHOU = 0.09   # end-2014 residents born in another Guizhou county
BORN_OTHER_PROVINCE = 0.03      # end-2014 residents born in another province
HISTORY_RECORDED = 0.70         # of the former, share whose pre-2015 move date is on record
GUIYANG_AGE_2020 = {"0-14": 19.8, "60+": 13.2}
OTHER_AGE_OFFSETS = {"520200": (2.0, -1.5), "520400": (0.5, 0.5), "520600": (-1.0, 1.5),
                     "522300": (2.0, -1.5), "522600": (-1.0, 1.0), "522700": (-1.0, 0.5)}
PRE_2015_BIRTH_RATE = 13.0      # ‰ births before 2015 [WEAK, the 1% survey's 2010–15 average]
CHILD_GAIN_LAST_AGE = 14        # children arrive (net) at ages 1-14 [ASSUMED]
# Shape of adult ages before the census bands are met [ASSUMED]: (age, relative size), working ages
# dipping at 20-29 (migrant workers away).
WORKING_SHAPE = ((15, 1.0), (17, 1.0), (25, 0.85), (35, 0.95), (45, 1.05), (55, 1.0))
# Household size distribution shape (1..8 persons), tilted to the census mean of 2.81.
HOUSEHOLD_SHAPE = (0.25, 0.29, 0.21, 0.13, 0.07, 0.035, 0.01, 0.005)
COLLECTIVE_AGE_WEIGHT = ((0, 0.2), (15, 3.0), (25, 1.0), (60, 0.6))

# Defects injected into the export (rates of clean rows).
DEFECTS = {
    "bad_check_digit": 0.002,      # extra person rows with a wrong ID check character
    "duplicate_id": 0.0005,        # second copy of an existing row (older update)
    "sex_mismatch": 0.001,         # extra person rows whose 性别 contradicts the ID
    "missing_residence": 0.001,    # extra person rows without 现住址行政区划代码
    "no_housing": 0.02,            # rows without 房屋编码
    "unlinked_housing": 0.005,     # rows with a well-formed 房屋编码 that housing does not have
    "stale": 0.01,                 # updated_at more than 400 days before 2024-12-31
}

NA = np.iinfo(np.int32).min
_MAX_AGE = 120
_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int16)
_ID_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)
_ID_CHARS = np.frombuffer(b"0123456789X", dtype=np.uint8)
_YEAR0 = 1880
_YEAR_START = np.arange(str(_YEAR0), "2027", dtype="datetime64[Y]").astype("datetime64[D]").astype(np.int64)
_YEAR_LEN = np.diff(np.append(_YEAR_START, np.datetime64("2027-01-01").astype(np.int64)))


# --- Geography ------------------------------------------------------------------------------------

PREFECTURES: tuple[str, ...] = tuple(CENSUS_2020_PREFECTURE)
COUNTIES: tuple[str, ...] = tuple(c.code for c in regions.counties(ROOT))
_OTHER_CODES: tuple[str, ...] = tuple(c for _, codes in OTHER_PROVINCE_COUNTIES.values() for c in codes)
PLACES: tuple[str, ...] = COUNTIES + _OTHER_CODES   # index space of birthplace / origin codes
_PLACE_INT = np.array([int(c) for c in PLACES], dtype=np.int64)
_PREF_OF = np.array([PREFECTURES.index(regions.by_code()[c].parent_code) for c in COUNTIES], dtype=np.int64)


def county_kind(code: str) -> str:
    """``district`` (市辖区), ``city`` (县级市) or ``county`` (县, 自治县, 特区)."""
    name = regions.name(code)
    if name.endswith("区") and not name.endswith("特区"):
        return "district"
    return "city" if name.endswith("市") else "county"


@lru_cache(maxsize=1)
def _members() -> tuple[np.ndarray, np.ndarray]:
    """Counties of each prefecture, padded: (index table 9 × 16, count per prefecture)."""
    width = int(np.bincount(_PREF_OF).max())
    table = np.full((len(PREFECTURES), width), -1, dtype=np.int64)
    count = np.zeros(len(PREFECTURES), dtype=np.int64)
    for i, p in enumerate(_PREF_OF):
        table[p, count[p]] = i
        count[p] += 1
    return table, count


def _within(weights: np.ndarray) -> np.ndarray:
    """Per prefecture, county probabilities (9 × 16) from per-county weights."""
    table, count = _members()
    out = np.zeros(table.shape)
    for p in range(len(PREFECTURES)):
        w = weights[table[p, : count[p]]]
        out[p, : count[p]] = w / w.sum()
    return out


@lru_cache(maxsize=1)
def _county_weight_array() -> np.ndarray:
    weights = county_weights()
    return np.array([weights[c] for c in COUNTIES])


@lru_cache(maxsize=1)
def _pull_weight_array() -> np.ndarray:
    return _county_weight_array() * np.array([COUNTY_PULL[county_kind(c)] for c in COUNTIES])


# --- Calibration targets --------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _share_trend() -> dict[str, float]:
    """Yearly change of each prefecture's population share [DERIVED from census 2010 → 2020]; none
    when the demo region is one prefecture (a city deployment)."""
    if len(PREFECTURES) == 1:
        return {PREFECTURES[0]: 0.0}
    total_2010 = 34_746_500  # 3,474.65万 [OFF census communiqué]
    growth = {"520100": 1_662_457, "520300": 479_666, "520500": 363_266}  # [OFF] 2010 → 2020
    total_2020 = sum(CENSUS_2020_PREFECTURE.values())
    trend = {p: (CENSUS_2020_PREFECTURE[p] / total_2020 - (CENSUS_2020_PREFECTURE[p] - g) / total_2010) / 10
             for p, g in growth.items()}
    rest = [p for p in PREFECTURES if p not in growth]
    rest_2020 = sum(CENSUS_2020_PREFECTURE[p] for p in rest)
    known = sum(trend.values())
    for p in rest:  # [ASSUMED] the other six share the remaining change in proportion to size
        trend[p] = -known * CENSUS_2020_PREFECTURE[p] / rest_2020
    return trend


def prefecture_share(year: int) -> dict[str, float]:
    """Each prefecture's share of the province at the end of ``year``: the 2020 census share plus a
    linear trend derived from the 2010 → 2020 census change ([ASSUMED] to continue after 2020)."""
    total = sum(CENSUS_2020_PREFECTURE.values())
    trend = _share_trend()
    return {p: CENSUS_2020_PREFECTURE[p] / total + trend[p] * (year - 2020) for p in PREFECTURES}


def allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to ``weights`` summing to ``total`` (largest remainder, ties by order)."""
    raw = total * np.asarray(weights, dtype=float) / np.sum(weights)
    out = np.floor(raw).astype(np.int64)
    remainder = int(total - out.sum())
    if remainder:
        out[np.argsort(-(raw - out), kind="stable")[:remainder]] += 1
    return out


def year_end_targets(scale: float) -> dict[int, np.ndarray]:
    """Clean resident persons per prefecture (``PREFECTURES`` order) at each year-end 2014–2024."""
    out = {}
    for year, wan in POPULATION_WAN.items():
        share = prefecture_share(year)
        out[year] = allocate(round(wan * 1e4 * scale), np.array([share[p] for p in PREFECTURES]))
    return out


def county_share(year: int) -> dict[str, float]:
    """Expected share of the province's residents per county at the end of ``year``."""
    share = prefecture_share(year)
    weights = county_weights()
    return {c: share[regions.by_code()[c].parent_code] * weights[c] for c in COUNTIES}


def _mean_population(year: int) -> float:
    return (POPULATION_WAN[year - 1] + POPULATION_WAN[year]) / 2 * 1e4


def _birth_split(year: int) -> np.ndarray:
    """Each prefecture's share of the province's births in ``year`` (population × fertility)."""
    share = prefecture_share(year - 1)
    w = np.array([share[p] * FERTILITY.get(p, 1.0) for p in PREFECTURES])
    return w / w.sum()


# --- Age, sex and mortality ---------------------------------------------------------------------

@lru_cache(maxsize=1)
def mortality() -> np.ndarray:
    """Baseline yearly death probability by sex (0 female, 1 male) and age: Gompertz–Makeham with
    an infant term [ASSUMED]; the simulation scales it each year to the published death rate."""
    age = np.arange(_MAX_AGE + 1)
    q = 0.0004 + 2.5e-5 * np.exp(0.1 * age)
    q[0] += 0.006
    q[1:5] += 0.0005
    return np.vstack([np.minimum(q, 0.6), np.minimum(q * 1.35, 0.7)])


def _band_profile(bands) -> np.ndarray:
    out = np.zeros(_MAX_AGE + 1)
    for (start, value), nxt in zip(bands, [*bands[1:], (_MAX_AGE + 1, None)]):
        out[start: nxt[0]] = value
    return out


# Migration propensity by age [ASSUMED]: young adults move most.
_MIGRATION_AGE = _band_profile(((0, 0.45), (15, 1.0), (20, 2.2), (25, 2.4), (30, 1.8), (35, 1.3),
                                (40, 0.9), (45, 0.7), (50, 0.5), (60, 0.35), (70, 0.25)))


@lru_cache(maxsize=1)
def age_targets_2020() -> dict[str, dict[str, float]]:
    """2020 age shares (%) per prefecture: 0-14, 15-59, 60+, 65+.

    Province, 毕节 and 遵义 from the census; 贵阳 [ASSUMED]; the other six are the residual that
    makes the province average exact, spread by [ASSUMED] offsets. 65+ = 60+ × the province ratio.
    """
    if len(PREFECTURES) == 1:  # a city deployment: the region's own census shares
        shares = AGE_SHARES_2020[ROOT]
        return {PREFECTURES[0]: {"0-14": shares["0-14"], "15-59": 100 - shares["0-14"] - shares["60+"],
                                 "60+": shares["60+"], "65+": AGE_65_PLUS_2020}}
    ratio65 = AGE_65_PLUS_2020 / AGE_SHARES_2020["520000"]["60+"]
    weight = {p: v / sum(CENSUS_2020_PREFECTURE.values()) for p, v in CENSUS_2020_PREFECTURE.items()}
    fixed = {p: dict(AGE_SHARES_2020[p]) for p in ("520500", "520300")}
    fixed["520100"] = {"0-14": GUIYANG_AGE_2020["0-14"], "60+": GUIYANG_AGE_2020["60+"]}
    known = list(fixed)
    rest = [p for p in PREFECTURES if p not in fixed]
    rest_weight = sum(weight[p] for p in rest)
    out = {}
    for band, k in (("0-14", 0), ("60+", 1)):
        residual = (AGE_SHARES_2020["520000"][band] - sum(weight[p] * fixed[p][band] for p in known)) / rest_weight
        mean_offset = sum(weight[p] * OTHER_AGE_OFFSETS[p][k] for p in rest) / rest_weight
        for p in rest:
            fixed.setdefault(p, {})[band] = residual + OTHER_AGE_OFFSETS[p][k] - mean_offset
    for p in PREFECTURES:
        young, old = fixed[p]["0-14"], fixed[p]["60+"]
        out[p] = {"0-14": young, "15-59": 100 - young - old, "60+": old, "65+": old * ratio65}
    return out


def _sex_ratio_2020(prefecture: str) -> float:
    """Males per 100 females at the 2020 census; for the prefectures the facts file does not give,
    the [DERIVED] residual that makes the province ratio exact."""
    if prefecture in SEX_RATIO_2020:
        return SEX_RATIO_2020[prefecture]
    total = sum(CENSUS_2020_PREFECTURE.values())
    males = total * SEX_RATIO_2020["520000"] / (100 + SEX_RATIO_2020["520000"])
    known = [p for p in SEX_RATIO_2020 if p != "520000"]
    males -= sum(CENSUS_2020_PREFECTURE[p] * SEX_RATIO_2020[p] / (100 + SEX_RATIO_2020[p]) for p in known)
    rest = total - sum(CENSUS_2020_PREFECTURE[p] for p in known)
    return 100 * males / (rest - males)


def _births(year: int) -> float:
    """Expected births in the province in ``year`` (persons at scale 1): the published crude birth
    rate times the mean population from 2015 on; before 2015, ``PRE_2015_BIRTH_RATE`` times the
    end-2014 population (the stock's children were born then)."""
    if year in BIRTH_RATE:
        return BIRTH_RATE[year] / 1000 * _mean_population(year)
    return PRE_2015_BIRTH_RATE / 1000 * POPULATION_WAN[FIRST_YEAR] * 1e4


def _gain(slope: float, age: np.ndarray | int) -> np.ndarray:
    """Net arrivals of children as a cumulative factor: a cohort of age ``age`` holds ``1 + slope ×
    min(age, CHILD_GAIN_LAST_AGE)`` times its births (less deaths)."""
    return 1.0 + slope * np.minimum(np.asarray(age), CHILD_GAIN_LAST_AGE)


@lru_cache(maxsize=1)
def _stock_2014() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The end-2014 stock per prefecture: age distribution (prefecture × age 0..100), male share,
    and the prefecture's yearly net gain of children (``_gain``'s slope).

    Back-projected from the 2020 targets: ages 0–5 in 2020 are the expected births 2015–2020, ages
    6+ are the 2014 stock aged six years, so the 2014 stock at age b is the 2020 target at b + 6
    over six-year survival and the net arrivals of children in those years. The male share is the
    one that, after six years of sex-specific deaths and births at ``SEX_RATIO_AT_BIRTH``, gives the
    2020 sex ratio."""
    q = mortality()
    pyramid = np.zeros((len(PREFECTURES), 101))
    male = np.zeros(len(PREFECTURES))
    slopes = np.zeros(len(PREFECTURES))
    scale_k = 1.0
    ages = np.arange(101)
    boys = SEX_RATIO_AT_BIRTH / (100 + SEX_RATIO_AT_BIRTH)
    for _ in range(3):  # fix point: the mortality scale that gives the 2015 death rate
        for i, p in enumerate(PREFECTURES):
            target, slopes[i] = _pyramid_2020(i, p, q, scale_k)
            surv = np.ones((2, 101))
            for t in range(1, 7):
                surv *= 1 - np.minimum(scale_k * q[:, ages + t], 1)
            surv *= _gain(slopes[i], ages + 6) / _gain(slopes[i], ages)
            surv *= 1 + _net_moves_2015_2020(i, p, target, slopes[i])[ages]
            ratio = _sex_ratio_2020(p) / 100
            m = ratio / (1 + ratio)
            stock = target[6:107] / (m * surv[1] + (1 - m) * surv[0])
            pyramid[i] = stock / stock.sum()
            s_female, s_male = (pyramid[i] * surv).sum(axis=1)
            population = POPULATION_WAN[FIRST_YEAR] * 1e4 * prefecture_share(FIRST_YEAR)[p]
            births = target[:6].sum() * POPULATION_WAN[2020] * 1e4 * prefecture_share(2020)[p] / population
            male[i] = (ratio * s_female + births * (ratio * (1 - boys) - boys)) / (s_male + ratio * s_female)
        shares = np.array([prefecture_share(FIRST_YEAR)[p] for p in PREFECTURES])
        province = (pyramid * shares[:, None]).sum(axis=0)
        qmean = 0.5 * (q[0] + q[1])
        scale_k = DEATH_RATE[2015] / 1000 / float((province * qmean[1:102]).sum())
    return pyramid, male, slopes


def _net_moves_2015_2020(i: int, prefecture: str, target: np.ndarray, slope: float) -> np.ndarray:
    """Expected net moves into the prefecture in 2015-2020 besides the children's, as a share of each
    cohort by its age at the end of 2014 (0..106). Arrivals are the residual that lands every
    year-end on its target and, like departures, follow the migration propensity by age, so the
    net of six years (the population change less births, children's arrivals and deaths) is spread
    over the cohorts by the propensity at the ages they pass through."""
    years = range(FIRST_YEAR + 1, 2021)
    before = POPULATION_WAN[FIRST_YEAR] * 1e4 * prefecture_share(FIRST_YEAR)[prefecture]
    after = POPULATION_WAN[2020] * 1e4 * prefecture_share(2020)[prefecture]
    born = sum(_births(y) * _birth_split(y)[i] for y in years)
    died = sum(DEATH_RATE[y] / 1000 * _mean_population(y) * prefecture_share(y)[prefecture] for y in years)
    children = target[1:CHILD_GAIN_LAST_AGE + 1] * after
    arrived = len(years) * (children * slope / _gain(slope, np.arange(CHILD_GAIN_LAST_AGE))).sum()
    net = after - before - born + died - arrived
    at_risk = (_MIGRATION_AGE[:len(target)] * target).sum() * after * len(years)
    passed = sum(_MIGRATION_AGE[np.minimum(np.arange(len(target)) + t, _MAX_AGE)] for t in range(1, len(years) + 1))
    return net / at_risk * passed


def _pyramid_2020(i: int, prefecture: str, q: np.ndarray, scale_k: float) -> tuple[np.ndarray, float]:
    """Target single-year age distribution (0..106) at the end of 2020 for one prefecture, and its
    yearly net gain of children.

    Every cohort aged 0–14 is its births (``_births``, the prefecture's share) less deaths, times
    ``_gain``: the census counted more children than the published births leave (23.97 % of
    residents aged 0–14 against about 19 % from births), which the demo reads as children arriving
    from other provinces ([ASSUMED]: children of migrant workers coming home, evenly over ages
    1–14), the slope solved so that the 0–14 share is the census's. Ages 15 and over are the
    smoothest curve (``_graduate``) relative to ``WORKING_SHAPE`` and a life-table tail that meets
    the census bands 15–59, 60–64 and 65+ and joins the children without a step.
    """
    shares = age_targets_2020()[prefecture]
    population = POPULATION_WAN[2020] * 1e4 * prefecture_share(2020)[prefecture]
    qbar = 0.5 * (q[0] + q[1])
    ages = np.arange(107)
    born = np.array([_births(2020 - a) * _birth_split(2020 - a)[i] for a in range(15)])
    survived = born * np.cumprod(1 - np.minimum(scale_k * qbar[:15], 1)) / population
    slope = (shares["0-14"] / 100 - survived.sum()) / (survived * np.minimum(ages[:15], CHILD_GAIN_LAST_AGE)).sum()
    t = np.full(107, np.nan)
    t[:15] = survived * _gain(slope, ages[:15])
    # The prior shape of adult ages: working ages dipping at 20-29 (migrant workers away), then from 60
    # a life-table tail of the same mortality, thinned for older (smaller) birth cohorts [ASSUMED 3 %
    # per year of age].
    prior = np.interp(ages, *zip(*WORKING_SHAPE))
    prior[60:] *= np.concatenate([[1.0], np.cumprod(1 - np.minimum(scale_k * qbar[60:106], 1))]) * 0.97 ** np.arange(47)
    bands = ((15, 60, shares["15-59"] / 100), (60, 65, (shares["60+"] - shares["65+"]) / 100),
             (65, 107, shares["65+"] / 100))
    return _graduate(t, bands, prior), float(slope)


def _graduate(known: np.ndarray, bands, prior: np.ndarray) -> np.ndarray:
    """Fill the NaN ages of ``known`` so that each band ``(first, stop, total)`` sums to its total and
    the curve, relative to ``prior``, is as smooth as it can be (least squared second differences
    over all ages, the known ones included, so that the filled part joins them without a step)."""
    n = len(known)
    free = np.isnan(known)
    second = np.diff(np.eye(n), n=2, axis=0) / prior[None, :]   # second differences of x / prior
    rows, values = [], []
    for a in np.flatnonzero(~free):
        row = np.zeros(n)
        row[a] = 1.0
        rows.append(row)
        values.append(known[a])
    for first, stop, total in bands:
        row = np.zeros(n)
        row[first:stop] = 1.0
        rows.append(row)
        values.append(total)
    a_eq = np.array(rows)
    kkt = np.block([[2 * second.T @ second, a_eq.T], [a_eq, np.zeros((len(rows), len(rows)))]])
    solution = np.linalg.solve(kkt, np.concatenate([np.zeros(n), values]))
    return solution[:n]


# --- The microsimulation ---------------------------------------------------------------------------

class _Registry:
    """Growing struct of arrays: one slot per person ever resident (clean rows only)."""

    FIELDS = {"birth": np.int32, "byear": np.int16, "sex": np.int8, "county": np.int16,
              "bplace": np.int16, "settle": np.int32, "origin": np.int16, "leave": np.int32,
              "death": np.int32, "moved": np.bool_, "active": np.bool_}

    def __init__(self, capacity: int):
        self.n = 0
        self.data = {k: np.empty(capacity, dtype=t) for k, t in self.FIELDS.items()}

    def __getitem__(self, name: str) -> np.ndarray:
        return self.data[name][: self.n]

    def append(self, **columns: np.ndarray) -> None:
        size = len(next(iter(columns.values())))
        capacity = len(self.data["birth"])
        if self.n + size > capacity:
            grown = max(self.n + size, int(capacity * 1.25))
            for k, arr in self.data.items():
                new = np.empty(grown, dtype=arr.dtype)
                new[: self.n] = arr[: self.n]
                self.data[k] = new
        defaults = {"settle": NA, "origin": -1, "leave": NA, "death": NA, "moved": False, "active": True}
        for k, arr in self.data.items():
            arr[self.n: self.n + size] = columns[k] if k in columns else defaults[k]
        self.n += size

    def trim(self) -> dict[str, np.ndarray]:
        """The filled part of every array (views: no copy of the whole registry)."""
        return {k: arr[: self.n] for k, arr in self.data.items()}


def _day_in(rng: np.random.Generator, years: np.ndarray | int, size: int | None = None) -> np.ndarray:
    """A uniformly random day (days since 1970-01-01) inside each given year."""
    years = np.broadcast_to(np.asarray(years), (size,) if size is not None else np.shape(years))
    i = years.astype(np.int64) - _YEAR0
    return (_YEAR_START[i] + (rng.random(len(i)) * _YEAR_LEN[i]).astype(np.int64)).astype(np.int32)


def _draw_county(rng: np.random.Generator, table: np.ndarray, prefecture: np.ndarray) -> np.ndarray:
    members, _ = _members()
    j = names.sample_categorical(rng, table, prefecture)
    return members[prefecture, j].astype(np.int16)


def _weighted_pick(rng: np.random.Generator, candidates: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    """``k`` of ``candidates`` without replacement, with probability ∝ ``weights`` (Efraimidis–Spirakis)."""
    if k >= len(candidates):
        return candidates
    keys = rng.exponential(size=len(candidates)).astype(np.float32) / weights
    return candidates[np.argpartition(keys, k)[:k]]


def _destinations(rng: np.random.Generator, origin: np.ndarray) -> np.ndarray:
    """New county for internal movers: same prefecture or (``INTER_PREFECTURE``) another one."""
    n_pref = len(PREFECTURES)
    members, count = _members()
    pref = _PREF_OF[origin]
    dest = np.empty(len(origin), dtype=np.int16)
    inter = rng.random(len(origin)) < (INTER_PREFECTURE if n_pref > 1 else 0.0)
    pull = _pull_weight_array()
    if inter.any():
        shares = prefecture_share(2020)
        attraction = np.array([shares[p] * ATTRACTION.get(p, 0.8) for p in PREFECTURES])
        pref_table = np.tile(attraction, (n_pref, 1))
        np.fill_diagonal(pref_table, 0)
        pref_table /= pref_table.sum(axis=1, keepdims=True)
        to_pref = names.sample_categorical(rng, pref_table, pref[inter]).astype(np.int64)
        dest[inter] = _draw_county(rng, _within(pull), to_pref)
    intra = ~inter
    if intra.any():
        # Same prefecture, never the same county: one row of weights per origin county.
        table = np.zeros((len(COUNTIES), members.shape[1]))
        for c in range(len(COUNTIES)):
            p = _PREF_OF[c]
            w = pull[members[p, : count[p]]].copy()
            w[members[p, : count[p]] == c] = 0
            table[c, : count[p]] = w / w.sum() if w.sum() > 0 else 0
        j = names.sample_categorical(rng, table, origin[intra].astype(np.int64))
        dest[intra] = members[pref[intra], j]
    return dest


def _other_province_place(rng: np.random.Generator, size: int) -> np.ndarray:
    weights, places = [], []
    for weight, codes in OTHER_PROVINCE_COUNTIES.values():
        for code in codes:
            weights.append(weight / len(codes))
            places.append(PLACES.index(code))
    pick = rng.choice(len(places), size=size, p=np.array(weights) / sum(weights))
    return np.array(places, dtype=np.int16)[pick]


def _initial_stock(rng: np.random.Generator, reg: _Registry, counts: np.ndarray) -> None:
    """The end-2014 residents, per prefecture from the back-projected pyramid."""
    end_2014 = int(_YEAR_START[FIRST_YEAR + 1 - _YEAR0] - 1)
    pref = np.repeat(np.arange(len(PREFECTURES)), counts)
    n = len(pref)
    pyramid, male, _ = _stock_2014()
    age = names.sample_categorical(rng, pyramid, pref).astype(np.int64)
    byear = FIRST_YEAR - age
    birth = _day_in(rng, byear)
    sex = (rng.random(n) < male[pref]).astype(np.int8)
    county = _draw_county(rng, _within(_county_weight_array()), pref)
    bplace = county.astype(np.int16)
    settle = np.full(n, NA, dtype=np.int32)
    origin = np.full(n, -1, dtype=np.int16)
    u = rng.random(n)
    elsewhere = u < BORN_ELSEWHERE_GUIZHOU
    other_province = (u >= BORN_ELSEWHERE_GUIZHOU) & (u < BORN_ELSEWHERE_GUIZHOU + BORN_OTHER_PROVINCE)
    k = int(elsewhere.sum())
    share = np.array(list(county_share(FIRST_YEAR).values()))
    born_in = rng.choice(len(COUNTIES), size=k, p=share / share.sum()).astype(np.int16)
    born_in = np.where(born_in == county[elsewhere], (born_in + 1) % len(COUNTIES), born_in).astype(np.int16)
    bplace[elsewhere] = born_in
    bplace[other_province] = _other_province_place(rng, int(other_province.sum()))
    recorded = other_province | (elsewhere & (rng.random(n) < HISTORY_RECORDED))
    span = (end_2014 - birth[recorded]).astype(np.int64) + 1
    settle[recorded] = birth[recorded] + (rng.random(int(recorded.sum())) * span).astype(np.int32)
    origin[recorded] = bplace[recorded]
    reg.append(birth=birth, byear=byear.astype(np.int16), sex=sex, county=county, bplace=bplace,
               settle=settle, origin=origin)


def _simulate(scale: float, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Clean person rows from the end-2014 stock through 2024. Each year, in order: deaths
    (age- and sex-specific, scaled to the published death rate), moves out of the province,
    inter-county moves, births (published birth rate), then arrivals from other provinces (or
    extra departures) so that every prefecture lands exactly on its year-end target. Works on
    whole-registry masks with 16/32-bit types to keep memory near 40 bytes a person."""
    targets = year_end_targets(scale)
    q = mortality().astype(np.float32)
    reg = _Registry(int(targets[FIRST_YEAR].sum() * 1.3) + 1000)
    _initial_stock(rng, reg, targets[FIRST_YEAR])
    ages0 = np.minimum(FIRST_YEAR - reg["byear"], _MAX_AGE)
    migration = (_MIGRATION_AGE / _MIGRATION_AGE[ages0].mean()).astype(np.float32)
    del ages0
    pref_of = _PREF_OF.astype(np.int8)
    gain_slope = _stock_2014()[2]
    male_birth = SEX_RATIO_AT_BIRTH / (100 + SEX_RATIO_AT_BIRTH)
    n_pref = len(PREFECTURES)
    for year in range(FIRST_YEAR + 1, SNAPSHOT_YEAR + 1):
        n = reg.n
        mean_pop = _mean_population(year) * scale
        active = reg["active"]
        age = np.minimum(year - reg["byear"], _MAX_AGE)
        hazard = q[reg["sex"], age]
        hazard[~active] = 0
        hazard *= np.float32(DEATH_RATE[year] / 1000 * mean_pop / hazard.sum(dtype=np.float64))
        dies = rng.random(n, dtype=np.float32) < hazard
        del hazard
        gone = np.flatnonzero(dies)
        del dies
        reg["death"][gone] = _day_in(rng, year, len(gone))
        active[gone] = False
        propensity = migration[age]
        del age
        leaves = active & (rng.random(n, dtype=np.float32) < OUT_RATE * propensity)
        leavers = [np.flatnonzero(leaves)]
        staying = active & ~leaves
        del leaves
        moving = rng.random(n, dtype=np.float32) < INTERNAL_RATE * propensity
        movers = np.flatnonzero(staying & ~reg["moved"] & moving)
        del moving
        reg["settle"][movers] = _day_in(rng, year, len(movers))
        reg["origin"][movers] = reg["county"][movers]
        reg["county"][movers] = _destinations(rng, reg["county"][movers].astype(np.int64))
        reg["moved"][movers] = True

        births = allocate(round(BIRTH_RATE[year] / 1000 * mean_pop), _birth_split(year))
        pref_now = pref_of[reg["county"]]
        # Children arriving from other provinces: each cohort aged 1-14 gains its prefecture's share.
        child = np.flatnonzero(staying & (reg["byear"] >= year - CHILD_GAIN_LAST_AGE) & (reg["byear"] < year))
        cell = pref_now[child].astype(np.int64) * (CHILD_GAIN_LAST_AGE + 1) + (year - reg["byear"][child])
        children = np.bincount(cell, minlength=n_pref * (CHILD_GAIN_LAST_AGE + 1)).reshape(n_pref, -1)
        del child, cell
        child_age = np.arange(CHILD_GAIN_LAST_AGE + 1)
        rate = np.where(child_age > 0, gain_slope[:, None] / _gain(gain_slope[:, None], child_age - 1), 0.0)
        child_gain = rng.poisson(np.maximum(rate, 0) * children)             # (prefecture, age)
        need = (targets[year] - np.bincount(pref_now[staying], minlength=n_pref) - births
                - child_gain.sum(axis=1))
        staying[movers] = False  # nobody both moves inside Guizhou and leaves it in one year
        for p in np.flatnonzero(need < 0):  # shrinking prefecture: extra moves out of the province
            cand = np.flatnonzero(staying & (pref_now == p))
            cand_age = np.minimum(year - reg["byear"][cand], _MAX_AGE)
            leavers.append(_weighted_pick(rng, cand, migration[cand_age], int(-need[p])))
        del staying, pref_now, propensity
        all_leavers = np.concatenate(leavers)
        reg["leave"][all_leavers] = _day_in(rng, year, len(all_leavers))
        active[all_leavers] = False

        county_now = np.bincount(reg["county"][active], minlength=len(COUNTIES)).astype(float)
        counts = np.bincount(_PREF_OF, weights=county_now, minlength=n_pref).round().astype(np.int64)
        del active
        pref = np.repeat(np.arange(n_pref), births)
        county = _draw_county(rng, _within(county_now + 1e-9), pref)
        reg.append(birth=_day_in(rng, year, len(pref)), byear=np.full(len(pref), year, dtype=np.int16),
                   sex=(rng.random(len(pref)) < male_birth).astype(np.int8), county=county, bplace=county)

        arrivals = np.maximum(targets[year] - counts - births - child_gain.sum(axis=1), 0)
        pref = np.repeat(np.arange(n_pref), arrivals)
        donors = all_leavers if len(all_leavers) else np.flatnonzero(reg["active"])
        donor = donors[rng.integers(0, len(donors), len(pref))]
        byear = reg["byear"][donor]
        sex = reg["sex"][donor]
        # The children come last: born in another province in their cohort's year, sex at the ratio at birth.
        kids = np.repeat(np.tile(child_age, n_pref), child_gain.ravel())
        pref = np.concatenate([pref, np.repeat(np.arange(n_pref), child_gain.sum(axis=1))])
        byear = np.concatenate([byear, (year - kids).astype(np.int16)])
        sex = np.concatenate([sex, (rng.random(len(kids)) < male_birth).astype(np.int8)])
        birth = _day_in(rng, byear)
        jan1 = np.maximum(_YEAR_START[year - _YEAR0], birth.astype(np.int64))
        dec31 = _YEAR_START[year + 1 - _YEAR0] - 1
        settle = (jan1 + (rng.random(len(pref)) * (dec31 - jan1 + 1)).astype(np.int64)).astype(np.int32)
        place = _other_province_place(rng, len(pref))
        county = _draw_county(rng, _within(_pull_weight_array()), pref)
        reg.append(birth=birth, byear=byear, sex=sex, county=county,
                   bplace=place, settle=settle, origin=place, moved=True)
    return reg.trim()


# --- Households and the link to housing ---------------------------------------------------------

def household_sizes() -> np.ndarray:
    """Probabilities of household sizes 1..8: ``HOUSEHOLD_SHAPE`` tilted to mean 2.81 [OFF census]."""
    shape = np.array(HOUSEHOLD_SHAPE)
    sizes = np.arange(1, len(shape) + 1)
    lo, hi = -2.0, 2.0
    for _ in range(60):
        theta = (lo + hi) / 2
        p = shape * np.exp(theta * sizes)
        if (p * sizes).sum() / p.sum() < HOUSEHOLD_SIZE_2020:
            lo = theta
        else:
            hi = theta
    return p / p.sum()


def _clean_units(housing: pl.DataFrame) -> dict[str, np.ndarray]:
    """Housing rows that will pass ingest (valid use, coordinates in range, unique id): their row
    number in ``housing``, county index (into ``COUNTIES``), use and occupancy."""
    west, south, east, north = bounds()
    ok = (housing["use"].is_in(USES) & housing["lon"].is_between(west, east)
          & housing["lat"].is_between(south, north) & housing["housing_id"].is_unique()).to_numpy()
    rows = np.flatnonzero(ok).astype(np.int32)
    del ok
    code = housing["county_code"].gather(pl.Series(rows)).cast(pl.Int64, strict=False).fill_null(0).to_numpy()
    known = np.array([int(c) for c in COUNTIES])
    cidx = np.minimum(np.searchsorted(known, code), len(known) - 1)
    valid = known[cidx] == code
    rows, cidx = rows[valid], cidx[valid]
    pick = pl.Series(rows)
    return {"row": rows, "cidx": cidx, "use": housing["use"].gather(pick),
            "occupancy": housing["occupancy"].gather(pick)}


def _link_housing(rng: np.random.Generator, people: dict[str, np.ndarray], housing: pl.DataFrame) -> np.ndarray:
    """Row number in ``housing`` for every person (-1: none): family households in 住宅 units of
    the residence county, collective-household residents in 公共服务 units, people who died or
    left at a 住宅 unit of their last county."""
    n = len(people["county"])
    units = _clean_units(housing)
    n_c = len(COUNTIES)
    residential = (units["use"] == "住宅").to_numpy()
    rank = units["occupancy"].filter(pl.Series(residential)).fill_null("其他").replace_strict(
        {"自住": 0, "出租": 0, "其他": 1, "空置": 2}, default=1, return_dtype=pl.Int64).to_numpy()
    res_rows, res_c = units["row"][residential], units["cidx"][residential]
    # Per county: occupied-capable units (自住/出租 first, then 其他) for households, any 住宅
    # unit (vacant ones included: the unit may have emptied) as the last address of the departed.
    perm = rng.permutation(len(res_rows))
    order = perm[np.argsort((res_c * 3 + rank)[perm], kind="stable")]
    res_rows, res_c, rank = res_rows[order], res_c[order], rank[order]
    res_bounds = np.searchsorted(res_c, np.arange(n_c + 1))
    vacant_start = np.searchsorted(res_c * 3 + rank, np.arange(n_c) * 3 + 2)
    public = (units["use"] == "公共服务").to_numpy()
    vacant_public = (units["occupancy"] == "空置").to_numpy()[public]
    pub_rows, pub_c = units["row"][public], units["cidx"][public]
    pub_order = np.argsort(pub_c * 2 + vacant_public, kind="stable")
    pub_rows, pub_c, vacant_public = pub_rows[pub_order], pub_c[pub_order], vacant_public[pub_order]
    pub_bounds = np.searchsorted(pub_c, np.arange(n_c + 1))
    pub_vacant_start = np.searchsorted(pub_c * 2 + vacant_public, np.arange(n_c) * 2 + 1)
    del units, residential, public, rank, perm, order

    active = people["active"]
    act = np.flatnonzero(active).astype(np.int32)
    age = np.minimum(SNAPSHOT_YEAR - people["byear"][act], _MAX_AGE)
    collective_weight = _band_profile(COLLECTIVE_AGE_WEIGHT).astype(np.float32)[age]
    del age
    collective = np.zeros(n, dtype=bool)
    collective[_weighted_pick(rng, act, collective_weight, round(COLLECTIVE_SHARE * len(act)))] = True
    del act, collective_weight
    # Group key: county × (0 family household, 1 collective household, 2 died or left); 16-bit
    # so that numpy sorts by radix; the permutation randomises the order inside each group.
    key = people["county"].astype(np.int16) * 3 + np.where(active, collective.astype(np.int16), 2).astype(np.int16)
    del collective
    perm = rng.permutation(n).astype(np.int32)
    order = perm[np.argsort(key[perm], kind="stable")]
    del perm
    bounds = np.searchsorted(key[order], np.arange(n_c * 3 + 1))
    del key
    out = np.full(n, -1, dtype=np.int32)
    sizes_p = household_sizes()
    for c in range(n_c):
        all_units = res_rows[res_bounds[c]: res_bounds[c + 1]]
        occupied = res_rows[res_bounds[c]: vacant_start[c]]
        if not len(occupied):
            occupied = all_units
        family = order[bounds[3 * c]: bounds[3 * c + 1]]
        if len(family) and len(occupied):
            draws = int(len(family) / HOUSEHOLD_SIZE_2020 * 1.2) + 10
            total = np.cumsum(rng.choice(len(sizes_p), size=draws, p=sizes_p) + 1)
            while total[-1] < len(family):
                more = np.cumsum(rng.choice(len(sizes_p), size=draws, p=sizes_p) + 1)
                total = np.concatenate([total, total[-1] + more])
            household = np.searchsorted(total, np.arange(len(family)), side="right")
            # More households than units (a county that grew faster than its housing): units are shared.
            out[family] = occupied[household % len(occupied)]
        group = order[bounds[3 * c + 1]: bounds[3 * c + 2]]
        pool = pub_rows[pub_bounds[c]: pub_vacant_start[c]]
        if not len(pool):
            pool = pub_rows[pub_bounds[c]: pub_bounds[c + 1]]
        if not len(pool):
            pool = occupied
        if len(group) and len(pool):
            out[group] = pool[rng.integers(0, len(pool), len(group))]
        group = order[bounds[3 * c + 2]: bounds[3 * c + 3]]
        if len(group) and len(all_units):
            out[group] = all_units[rng.integers(0, len(all_units), len(group))]
    return out


# --- Citizen ID numbers (GB 11643-1999) -----------------------------------------------------------

def _ymd(days: np.ndarray) -> np.ndarray:
    d = days.astype("datetime64[D]")
    month = d.astype("datetime64[M]")
    y = d.astype("datetime64[Y]").astype(np.int32) + 1970
    m = month.astype(np.int32) % 12 + 1
    dd = (d - month).astype(np.int32) + 1
    return y * 10000 + m * 100 + dd


def id_digits(rng: np.random.Generator, place: np.ndarray, birth: np.ndarray, sex: np.ndarray) -> np.ndarray:
    """ASCII bytes (N × 18) of unique citizen ID numbers: birthplace county code, birth date,
    sequence code (odd = male, even = female, unique per place, date and sex) and the
    ISO 7064 MOD 11-2 check character."""
    n = len(place)
    key = (place.astype(np.int64) * 60000 + (birth.astype(np.int64) + 40000)) * 2 + sex
    order = np.argsort(key, kind="stable")
    key = key[order]
    new = np.ones(n, dtype=bool)
    new[1:] = key[1:] != key[:-1]
    del key
    starts = np.flatnonzero(new).astype(np.int32)
    gid = (np.cumsum(new, dtype=np.int32) - 1)
    del new
    rank = np.arange(n, dtype=np.int32) - starts[gid]
    if n and rank.max() >= 499:
        raise ValueError("more than 499 people of one sex born on one day in one county: scale too large")
    offset = rng.integers(0, 499, len(starts), dtype=np.int32)[gid]
    stride = rng.integers(1, 499, len(starts), dtype=np.int32)[gid]  # 499 is prime: every stride visits every slot
    del gid
    pair = (offset + rank * stride) % 499
    del offset, stride, rank
    seq = np.empty(n, dtype=np.int32)
    seq[order] = 2 * pair + 2 - sex[order]           # male 1, 3, …, 997; female 2, 4, …, 998
    del pair, order
    digits = np.empty((n, 18), dtype=np.uint8)
    code = _PLACE_INT[place].astype(np.int32)
    for i in range(6):
        digits[:, i] = code // 10 ** (5 - i) % 10
    del code
    ymd = _ymd(birth)
    for i in range(8):
        digits[:, 6 + i] = ymd // 10 ** (7 - i) % 10
    del ymd
    for i in range(3):
        digits[:, 14 + i] = seq // 10 ** (2 - i) % 10
    total = np.zeros(n, dtype=np.int16)
    for i in range(17):
        total += digits[:, i] * _ID_WEIGHTS[i]
    digits[:, :17] += ord("0")
    digits[:, 17] = _ID_CHECK[total % 11]
    return digits


def ascii_strings(chars: np.ndarray) -> pl.Series:
    """A polars String series from an (N × width) ASCII byte array, without a Python loop."""
    n, width = chars.shape
    data = np.ascontiguousarray(chars).reshape(-1)
    if n * width < 2**31:
        offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
        array = pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data))
    else:
        offsets = np.arange(0, (n + 1) * width, width, dtype=np.int64)
        array = pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data))
    return pl.Series(pl.from_arrow(array)).cast(pl.String)


# --- Assembly -------------------------------------------------------------------------------------

def _date_series(days: np.ndarray) -> pl.Series:
    return pl.Series(pl.from_arrow(pa.array(days.astype(np.int32), type=pa.date32(), mask=days == NA)))


def _code_series(index: np.ndarray) -> pl.Series:
    idx = pl.Series(pl.from_arrow(pa.array(index.astype(np.int32), mask=index < 0)))
    return pl.Series(list(PLACES)).gather(idx)


def _updated_at(rng: np.random.Generator, last_event: np.ndarray, stale: np.ndarray) -> np.ndarray:
    """Microseconds since the epoch: mostly inside 2024 (never before the row's last event),
    stale rows between 2019 and 400 days before the snapshot."""
    day_us = 86_400_000_000
    start_2024 = int(_YEAR_START[2024 - _YEAR0]) * day_us
    end_2024 = int(_YEAR_START[2025 - _YEAR0]) * day_us - 1_000_000
    n = len(last_event)
    ts = start_2024 + (rng.random(n) * (end_2024 - start_2024)).astype(np.int64)
    floor = last_event.astype(np.int64) * day_us + (rng.random(n) * day_us).astype(np.int64)
    ts = np.minimum(np.maximum(ts, floor), end_2024)
    cutoff = (int(_YEAR_START[2025 - _YEAR0]) - 1 - 401) * day_us
    lo = np.maximum(int(_YEAR_START[2019 - _YEAR0]) * day_us, floor[stale] + day_us)
    ts[stale] = lo + (rng.random(int(stale.sum())) * (cutoff - lo)).astype(np.int64)
    return ts // 1_000_000 * 1_000_000


def _prepare(scale: float, seed: int, housing: pl.DataFrame) -> dict[str, np.ndarray]:
    """Every output row as numpy arrays, in output order (by residence county), defects included."""
    rng = np.random.default_rng([seed, 52, 1])
    people = _simulate(scale, rng)
    n = len(people["birth"])
    people["hrow"] = _link_housing(rng, people, housing)
    # Ethnic group by the prefecture of (last) residence: the fitted table reproduces the census
    # by prefecture and for the province, in-migrants included, as the census counts them.
    pref_shares = names.prefecture_ethnic_shares()
    table = np.vstack([pref_shares[p] for p in PREFECTURES])
    people["ethnic"] = names.sample_categorical(rng, table, _PREF_OF[people["county"]])
    del people["moved"], people["active"]

    # Defective extra rows: copies of real people (own ID numbers) that ingest will reject.
    sizes = [round(DEFECTS[k] * n) for k in ("bad_check_digit", "sex_mismatch", "missing_residence")]
    source = rng.choice(n, size=sum(sizes), replace=False)
    for k, v in people.items():
        people[k] = np.concatenate([v, v[source]])
    kind = np.concatenate([np.zeros(n, dtype=np.int8), np.repeat(np.arange(1, 4, dtype=np.int8), sizes)])
    n_rows = n + len(source)
    link = rng.random(n_rows, dtype=np.float32)
    no_housing = (link < DEFECTS["no_housing"]) | (people["hrow"] < 0)
    unlinked = ~no_housing & (link < DEFECTS["no_housing"] + DEFECTS["unlinked_housing"])
    people["hrow"][no_housing] = -1
    del link, no_housing
    last_event = np.maximum(np.maximum(people["birth"], people["settle"]), np.maximum(people["leave"], people["death"]))
    stale_cut = int(_YEAR_START[2023 - _YEAR0]) + 300   # late October 2023, > 400 days before the snapshot
    stale = (rng.random(n_rows, dtype=np.float32) < DEFECTS["stale"]) & (last_event < stale_cut)
    updated = _updated_at(rng, last_event, stale)
    del stale

    digits = id_digits(rng, people.pop("bplace"), people["birth"], people["sex"].astype(np.int64))
    bad = np.flatnonzero(kind == 1)
    right = np.searchsorted(_ID_CHARS, digits[bad, 17])  # "0".."9" then "X": sorted bytes
    digits[bad, 17] = _ID_CHARS[(right + rng.integers(1, 11, len(bad))) % 11]
    parts = names.name_parts(rng, people["sex"], people.pop("byear"), people["ethnic"])
    people["sex_label"] = np.where(kind == 2, 1 - people["sex"], people["sex"]).astype(np.int8)
    people["residence"] = np.where(kind == 3, -1, people["county"]).astype(np.int16)
    del kind

    # Duplicates: a second, older copy of existing rows. Rows are ordered by residence county.
    dup = rng.choice(n, size=round(DEFECTS["duplicate_id"] * n), replace=False)
    earlier = rng.integers(30, 300, len(dup)).astype(np.int64) * 86_400_000_000
    floor = last_event[dup].astype(np.int64) * 86_400_000_000
    updated = np.concatenate([updated, np.maximum(updated[dup] - earlier, floor)])
    del last_event
    final = np.concatenate([np.arange(n_rows, dtype=np.int32), dup.astype(np.int32)])
    order = np.argsort(people.pop("county")[final], kind="stable")
    final = final[order]
    state = {"updated": updated[order]}
    del order, updated
    state["digits"] = digits[final]
    del digits
    state["parts"] = parts[final]
    del parts
    state["unlinked"] = unlinked[final]
    for k in list(people):
        state[k] = people.pop(k)[final]
    top = int(housing["housing_id"].str.slice(14, 6).cast(pl.Int64, strict=False).max() or 0)
    low = max(900_000, top + 1)
    if low > 999_999:
        raise ValueError("housing sequence numbers leave no room for unlinked ids")
    state["fake_seq"] = rng.integers(low, 1_000_000, len(final)).astype(np.int32)
    return state


def _frame(state: dict[str, np.ndarray], housing: pl.DataFrame, rows: slice, consume: bool = False) -> pl.DataFrame:
    """The contract frame for ``rows`` of the prepared state; ``consume`` releases each array
    after its last use (for one frame of everything)."""
    def take(k: str) -> np.ndarray:
        return state.pop(k)[rows] if consume else state[k][rows]

    columns: dict[str, pl.Series] = {
        "id_number": ascii_strings(take("digits")),
        "name": names.name_strings(take("parts")),
        "sex": pl.Series(["女", "男"]).gather(pl.Series(take("sex_label").astype(np.int32))),
        "birth_date": _date_series(take("birth")),
        "ethnicity": pl.Series(list(names.ETHNIC_GROUPS)).gather(pl.Series(take("ethnic").astype(np.int32))),
        "residence_code": _code_series(take("residence")),
        "settle_date": _date_series(take("settle")),
        "origin_code": _code_series(take("origin")),
        "leave_date": _date_series(take("leave")),
        "death_date": _date_series(take("death")),
    }
    hrow = take("hrow")
    hid = housing["housing_id"].gather(pl.Series(pl.from_arrow(pa.array(hrow, mask=hrow < 0))))
    del hrow
    # Unlinked rows: a well-formed id of the same county and grid cell with a sequence number
    # above any the housing export uses.
    where = np.flatnonzero(take("unlinked"))
    seq = take("fake_seq")[where]
    if len(where):
        fake = pl.DataFrame({"hid": hid.gather(pl.Series(where)), "seq": pl.Series(seq).cast(pl.String)})
        fake = fake.select(pl.concat_str([pl.col("hid").str.slice(0, 14), pl.col("seq")])).to_series()
        hid = hid.scatter(where, fake)
    columns["housing_id"] = hid
    columns["updated_at"] = pl.Series(pl.from_arrow(pa.array(take("updated"), type=pa.timestamp("us"))))
    return pl.DataFrame(columns).select(_schema_casts())


def generate(scale: float, seed: int, housing: pl.DataFrame) -> pl.DataFrame:
    """The population export at ``scale`` (1 = the whole province), defects included.

    ``housing`` is the housing export (``housing.generate``) that people live in."""
    state = _prepare(scale, seed, housing)
    return _frame(state, housing, slice(None), consume=True)


def _schema_casts() -> list[pl.Expr]:
    types = {"text": pl.String, "float": pl.Float64, "int": pl.Int64, "date": pl.Date,
             "timestamp": pl.Datetime("us")}
    return [pl.col(c.name).cast(types[c.type]) for c in CONTRACT.columns]


# --- The department's file -------------------------------------------------------------------------

def headers() -> dict[str, str]:
    """Column name → the Chinese header the public-security export uses."""
    return {c.name: ("身份证号" if c.name == "id_number" else c.zh) for c in CONTRACT.columns}


def _write_chunks(inbox: Path, chunks) -> list[Path]:
    """GBK CSV from an iterator of contract frames; written to a temporary name, then renamed."""
    folder = Path(inbox) / "population"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE_NAME
    tmp = path.with_suffix(".csv.part")
    with tmp.open("wb") as handle:
        for i, chunk in enumerate(chunks):
            text = chunk.rename(headers()).write_csv(
                None, include_header=i == 0, date_format="%Y-%m-%d",
                datetime_format="%Y-%m-%d %H:%M:%S", null_value="")
            handle.write(text.encode("gbk"))
    tmp.replace(path)
    return [path]


def write(df: pl.DataFrame, inbox: Path) -> list[Path]:
    """Write ``inbox/population/人口基础库_20241231.csv``: GBK, Chinese headers (身份证号 for the ID),
    dates YYYY-MM-DD, timestamps YYYY-MM-DD HH:MM:SS, empty for null; streamed in chunks."""
    starts = range(0, max(df.height, 1), CHUNK_ROWS)
    return _write_chunks(inbox, (df.slice(start, CHUNK_ROWS) for start in starts))


def export(scale: float, seed: int, housing: pl.DataFrame, inbox: Path, chunk_rows: int = CHUNK_ROWS) -> list[Path]:
    """``write(generate(scale, seed, housing), inbox)`` with the same bytes, without holding the
    whole frame: at scale 1 the frame alone is ~8 GB (polars keeps 16 bytes per string value),
    this path keeps ~65 bytes per person of numpy state plus one chunk."""
    state = _prepare(scale, seed, housing)
    total = len(state["updated"])
    starts = range(0, max(total, 1), chunk_rows)
    return _write_chunks(inbox, (_frame(state, housing, slice(s, s + chunk_rows)) for s in starts))
