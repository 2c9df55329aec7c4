"""Demo macro-economy (宏观经济库) as the statistics bureau publishes it, 2015-01 … 2024-12.

One simulation drives every series: a monthly province volume per indicator (trend, season, Spring
Festival on its real dates, the 2020 shock), split over prefectures and counties by drifting
shares, so that additive indicators add up exactly and growth rates follow from levels. The
province's annual GDP equals ``calibration.GDP_YI``; FAI, retail and fiscal levels and all paths
other than GDP are ``[ASSUMED]`` (docs/data/economy.md). ``generate`` returns what the bureau
publishes (long contract shape); ``levels`` returns the internal monthly levels behind it;
``write`` writes the statistics-portal CSV exports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import polars as pl

from data_marts import indicators, regions
from data_marts.demo import geography, statsportal_format
from data_marts.demo.calibration import (
    CENSUS_2020_PREFECTURE, CPI_MEAN, FINANCE_BUREAU, FLOW_SCALE, GDP_2020_PREFECTURE_YI, GDP_HOTSPOTS, GDP_YI,
    INCOME_YUAN, NAME_ZH, REAL_GROWTH, ROOT, STATISTICS_BUREAU,
)

FIRST_YEAR, LAST_YEAR = 2015, 2024
SIM_FIRST_YEAR = FIRST_YEAR - 1      # one year more, as the base of the first year's growth rates
VINTAGE = "2025-01"                  # the export that carries December 2024
SYNTHETIC_NOTE = "本文件为演示用合成数据，按公开数据校准，不是官方统计数据。"

# Spring Festival (正月初一), the real dates.
SPRING_FESTIVAL = {
    2014: dt.date(2014, 1, 31), 2015: dt.date(2015, 2, 19), 2016: dt.date(2016, 2, 8),
    2017: dt.date(2017, 1, 28), 2018: dt.date(2018, 2, 16), 2019: dt.date(2019, 2, 5),
    2020: dt.date(2020, 1, 25), 2021: dt.date(2021, 2, 12), 2022: dt.date(2022, 2, 1),
    2023: dt.date(2023, 1, 22), 2024: dt.date(2024, 2, 10), 2025: dt.date(2025, 1, 29),
}


_YEARS = list(range(SIM_FIRST_YEAR, LAST_YEAR + 1))
_N_MONTHS = 12 * len(_YEARS)


# --------------------------------------------------------------------------------------------
# Regions


@lru_cache(maxsize=1)
def _regions() -> tuple[list[str], list[str], np.ndarray]:
    """Prefecture codes, county codes, and each county's prefecture index."""
    prefectures = [r.code for r in regions.at_level("prefecture", ROOT)]
    counties = [c.code for c in regions.counties(ROOT)]
    parent = np.array([prefectures.index(regions.by_code()[c].parent_code) for c in counties])
    return prefectures, counties, parent




def _gdp_tilt(code: str) -> float:
    """[ASSUMED] output per resident relative to the prefecture's counties: districts and
    county-level cities are richer, ``calibration.GDP_HOTSPOTS`` much richer."""
    if code in GDP_HOTSPOTS:
        return GDP_HOTSPOTS[code]
    name = regions.name(code)
    if name.endswith("区") and not name.endswith("特区"):
        return 1.6
    return 1.3 if name.endswith("市") else 1.0


@lru_cache(maxsize=1)
def county_gdp_share() -> dict[str, float]:
    """Each county's share of the province's 2020 GDP (sums to 1): the prefecture's 2020 GDP
    share × the county's population weight tilted by output per resident."""
    prefectures, counties, parent = _regions()
    total = sum(GDP_2020_PREFECTURE_YI.values())
    raw = np.array([geography.county_weights()[c] * _gdp_tilt(c) for c in counties])
    within = raw / np.bincount(parent, weights=raw)[parent]
    pref_share = np.array([GDP_2020_PREFECTURE_YI[p] / total for p in prefectures])
    return dict(zip(counties, (within * pref_share[parent]).tolist(), strict=True))


# --------------------------------------------------------------------------------------------
# Flow indicators: every [ASSUMED] number per indicator lives here


@dataclass(frozen=True)
class _Flow:
    code: str
    growth: dict[int, float]              # province annual growth, % (real for gdp/industrial_va)
    level_first: float                    # province level of SIM_FIRST_YEAR, 亿元 (gdp: rescaled to GDP_YI)
    months: tuple[float, ...]             # seasonal weights Jan … Dec
    festival: tuple[float, float, float]  # activity factor before (−15…−2 d), during (−1…+6 d), after (+7…+15 d)
    covid: dict[int, float]               # month → factor in 2020
    gdp_power: float                      # regional share ∝ GDP^a × population^(1−a) × tilt
    tilt: dict[str, float] = field(default_factory=dict)
    drift_sd: float = 0.010               # prefecture log-share drift per year
    noise_sd: float = 0.03                # county monthly log noise (AR(1), ρ = 0.6)
    targets: dict[int, float] = field(default_factory=dict)   # province target growth, %
    published: tuple[str, ...] = ("累计值", "累计增速")


FLOWS: dict[str, _Flow] = {f.code: f for f in (
    _Flow("gdp", REAL_GROWTH, GDP_YI[FIRST_YEAR] / (1 + REAL_GROWTH[FIRST_YEAR] / 100),
          (0.072, 0.068, 0.082, 0.083, 0.085, 0.093, 0.080, 0.080, 0.087, 0.083, 0.087, 0.100),
          (1.0, 0.75, 0.9), {1: 0.98, 2: 0.78, 3: 0.88, 4: 0.96},
          gdp_power=1.0, drift_sd=0.008, noise_sd=0.02,
          targets={2015: 12.0, 2016: 10.5, 2017: 10.0, 2018: 10.0, 2019: 9.0, 2020: 8.0, 2021: 8.0,
                   2022: 7.0, 2023: 6.0, 2024: 5.5}),
    _Flow("industrial_va", {2015: 9.9, 2016: 9.9, 2017: 9.5, 2018: 9.0, 2019: 9.6, 2020: 5.0, 2021: 12.9,
                            2022: 0.8, 2023: 5.5, 2024: 6.9},
          2800.0, (0.078, 0.062, 0.083, 0.082, 0.085, 0.088, 0.083, 0.083, 0.087, 0.087, 0.090, 0.097),
          (1.0, 0.5, 0.85), {1: 0.97, 2: 0.60, 3: 0.86, 4: 0.97},
          gdp_power=1.0, tilt={"520300": 1.5, "520200": 1.3, "520100": 0.9, "522600": 0.7, "520600": 0.8,
                               "520382": 4.0},
          noise_sd=0.04, targets={2015: 13.5, 2016: 12.0, 2017: 11.5, 2018: 10.5, 2019: 10.0, 2020: 9.0,
                                  2021: 10.0, 2022: 8.0, 2023: 7.0, 2024: 7.0},
          published=("累计增速",)),
    _Flow("fai", {2015: 21.6, 2016: 21.1, 2017: 20.1, 2018: 15.8, 2019: 1.0, 2020: 3.2, 2021: -3.8,
                  2022: -5.1, 2023: -5.7, 2024: -5.5},
          9000.0, (0.048, 0.040, 0.075, 0.080, 0.090, 0.100, 0.090, 0.090, 0.095, 0.090, 0.098, 0.104),
          (1.0, 0.35, 0.75), {1: 0.95, 2: 0.45, 3: 0.78, 4: 0.94},
          gdp_power=0.8, tilt={"520100": 1.2}, noise_sd=0.07,
          targets={2015: 20.0, 2016: 20.0, 2017: 20.0, 2018: 20.0, 2019: 12.0, 2020: 10.0, 2021: 6.0,
                   2022: 5.0, 2023: 3.0, 2024: 2.0},
          published=("累计增速",)),
    _Flow("retail", {2015: 12.1, 2016: 13.0, 2017: 12.0, 2018: 9.4, 2019: 6.5, 2020: -1.0, 2021: 13.7,
                     2022: -1.4, 2023: 4.5, 2024: 3.5},
          4400.0, (0.092, 0.082, 0.078, 0.078, 0.082, 0.083, 0.078, 0.080, 0.083, 0.088, 0.085, 0.091),
          (1.35, 1.1, 0.85), {1: 1.0, 2: 0.62, 3: 0.74, 4: 0.90},
          gdp_power=0.6, tilt={"520100": 1.2}, noise_sd=0.025,
          targets={2015: 13.0, 2016: 12.0, 2017: 12.0, 2018: 11.0, 2019: 10.0, 2020: 9.0, 2021: 10.0,
                   2022: 8.0, 2023: 7.0, 2024: 6.0}),
    _Flow("fiscal_revenue", {2015: 10.0, 2016: 8.0, 2017: 4.3, 2018: 6.0, 2019: 2.2, 2020: -0.1, 2021: 10.3,
                             2022: -5.9, 2023: 3.3, 2024: 0.5},
          1360.0, (0.110, 0.060, 0.080, 0.095, 0.085, 0.080, 0.085, 0.070, 0.075, 0.090, 0.070, 0.100),
          (1.0, 0.9, 1.0), {1: 1.0, 2: 0.85, 3: 0.80, 4: 0.85},
          gdp_power=1.2, tilt={"520300": 1.3, "520100": 1.1, "520382": 3.0}, noise_sd=0.06,
          targets={2015: 10.0, 2016: 8.0, 2017: 7.0, 2018: 6.0, 2019: 5.0, 2020: 4.0, 2021: 6.0, 2022: 5.0,
                   2023: 5.0, 2024: 4.0}),
)}

# Per-capita disposable income, 元, province: a recollection of the bulletins [UNVERIFIED], used as an
# assumption; relative levels by prefecture [ASSUMED].
INCOME_RELATIVE = {"520100": 1.42, "520200": 0.95, "520300": 1.08, "520400": 0.93, "520500": 0.85,
                   "520600": 0.90, "522300": 0.92, "522600": 0.88, "522700": 0.97}
INCOME_QUARTER_CUMULATIVE = (0.285, 0.49, 0.735, 1.0)
INCOME_TARGETS = {2015: 12.0, 2016: 10.5, 2017: 10.0, 2018: 10.0, 2019: 9.0, 2020: 8.0, 2021: 8.5, 2022: 7.5,
                  2023: 6.5, 2024: 6.0}
# CPI, annual mean of 上年同月=100 [UNVERIFIED] recollection; the target is 103 (控制在3%左右) every year.
CPI_TARGET = 103.0


# --------------------------------------------------------------------------------------------
# Province volumes


def _days_by_month() -> tuple[np.ndarray, np.ndarray]:
    """Month index (0 = Jan of SIM_FIRST_YEAR) and day offset from that year's Spring Festival, per day."""
    first, last = dt.date(SIM_FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)
    dates = np.arange(np.datetime64(first), np.datetime64(last) + 1)
    years = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    month = dates.astype("datetime64[M]").astype(np.int64) - (SIM_FIRST_YEAR - 1970) * 12
    festival = np.array([np.datetime64(SPRING_FESTIVAL[y]) for y in _YEARS])
    offset = (dates - festival[years - SIM_FIRST_YEAR]).astype(np.int64)
    return month, offset


def _activity(flow: _Flow) -> np.ndarray:
    """Relative activity per month from the calendar: days in the month and the festival."""
    month, offset = _days_by_month()
    before, during, after = flow.festival
    daily = np.where((offset >= -15) & (offset <= -2), before,
                     np.where((offset >= -1) & (offset <= 6), during,
                              np.where((offset >= 7) & (offset <= 15), after, 1.0)))
    per_month = np.bincount(month, weights=daily, minlength=_N_MONTHS)
    days = np.bincount(month, minlength=_N_MONTHS)
    return per_month / days * (days / 30.4)


def _province_volume(flow: _Flow, rng: np.random.Generator) -> np.ndarray:
    """Monthly province volume: within-year pattern × calendar × shock × noise, scaled so that every
    year grows by exactly ``flow.growth`` on the year before."""
    season = np.tile(np.array(flow.months) / np.mean(flow.months), len(_YEARS))
    raw = season * _activity(flow) * np.exp(rng.normal(0.0, 0.012, _N_MONTHS))
    for month, factor in flow.covid.items():
        raw[(2020 - SIM_FIRST_YEAR) * 12 + month - 1] *= factor
    raw = raw.reshape(len(_YEARS), 12)
    level = flow.level_first * (1.0 if flow.code == "gdp" else FLOW_SCALE)
    out = np.empty_like(raw)
    for i, year in enumerate(_YEARS):
        if i:
            level *= 1 + flow.growth[year] / 100
        out[i] = raw[i] / raw[i].sum() * level
    return out.ravel()


# --------------------------------------------------------------------------------------------
# Regional split


def _ar1(rng: np.random.Generator, shape: tuple[int, int], sd: float, rho: float = 0.6) -> np.ndarray:
    shocks = rng.normal(0.0, sd * np.sqrt(1 - rho ** 2), shape)
    out = np.empty(shape)
    out[:, 0] = rng.normal(0.0, sd, shape[0])
    for t in range(1, shape[1]):
        out[:, t] = rho * out[:, t - 1] + shocks[:, t]
    return out


def _base_shares(flow: _Flow) -> tuple[np.ndarray, np.ndarray]:
    """Prefecture shares of the province and county shares of their prefecture, around 2020."""
    prefectures, counties, parent = _regions()
    a = flow.gdp_power
    pref_gdp = np.array([GDP_2020_PREFECTURE_YI[p] for p in prefectures])
    pref_pop = np.array([CENSUS_2020_PREFECTURE[p] for p in prefectures], dtype=float)
    pref = pref_gdp ** a * pref_pop ** (1 - a) * np.array([flow.tilt.get(p, 1.0) for p in prefectures])
    county_gdp = np.array([county_gdp_share()[c] for c in counties])
    county_pop = np.array([geography.county_population_share()[c] for c in counties])
    county = (np.maximum(county_gdp, 1e-12) ** a * county_pop ** (1 - a)
              * np.array([flow.tilt.get(c, 1.0) for c in counties]))
    return pref / pref.sum(), county / np.bincount(parent, weights=county)[parent]


def _county_values(flow: _Flow, province: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """(88, months) county values summing exactly to the province in every month."""
    prefectures, counties, parent = _regions()
    pref_base, county_base = _base_shares(flow)
    t = (np.arange(_N_MONTHS) + 0.5) / 12 + SIM_FIRST_YEAR - 2020.5          # years from mid-2020
    pref_drift = rng.normal(0.0, flow.drift_sd, len(prefectures))
    if flow.code == "gdp" and "520100" in prefectures:
        pref_drift[prefectures.index("520100")] += 0.006                      # the capital keeps gaining
    pref_noise = _ar1(rng, (len(prefectures), _N_MONTHS), flow.noise_sd / 3)
    pref = pref_base[:, None] * np.exp(pref_drift[:, None] * t + pref_noise)
    pref /= pref.sum(axis=0)
    county_drift = rng.normal(0.0, flow.drift_sd * 1.8, len(counties))
    county_noise = _ar1(rng, (len(counties), _N_MONTHS), flow.noise_sd)
    county = county_base[:, None] * np.exp(county_drift[:, None] * t + county_noise)
    county /= _group_sum(county, parent, len(prefectures))[parent]
    return province[None, :] * pref[parent] * county


def _group_sum(values: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
    out = np.zeros((n_groups, values.shape[1]))
    np.add.at(out, group, values)
    return out


def _stack(county: np.ndarray) -> np.ndarray:
    """(98, …): the province, the 9 prefectures, the 88 counties (``region_codes()`` order)."""
    prefectures, _, parent = _regions()
    pref = _group_sum(county, parent, len(prefectures))
    return np.vstack([pref.sum(axis=0, keepdims=True), pref, county])


def region_codes() -> list[str]:
    """The 98 regions in output order: province, prefectures, counties."""
    prefectures, counties, _ = _regions()
    return [ROOT, *prefectures, *counties]


def _population_weights() -> tuple[np.ndarray, np.ndarray]:
    """2020 population weights of prefectures (sum 1) and of counties within their prefecture."""
    prefectures, counties, _ = _regions()
    pref = np.array([CENSUS_2020_PREFECTURE[p] for p in prefectures], dtype=float)
    return pref / pref.sum(), np.array([geography.county_weights()[c] for c in counties])


# --------------------------------------------------------------------------------------------
# The simulation


@dataclass(frozen=True)
class Simulation:
    """Internal levels, (98 regions × months from January of SIM_FIRST_YEAR); see ``levels``."""

    volume: dict[str, np.ndarray]      # flows at comparable prices for gdp/industrial_va, else nominal
    nominal: dict[str, np.ndarray]     # current prices (gdp: rescaled to GDP_YI; others = volume)
    income: np.ndarray                 # (98, quarters) per-capita disposable income, cumulative in the year
    cpi: np.ndarray                    # (98, months) 上年同月=100


def _gdp_nominal(volume_county: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """County GDP at current prices: volume × regional price level × a yearly province deflator
    chosen so that the province's annual total is GDP_YI exactly."""
    prefectures, counties, parent = _regions()
    n_years = len(_YEARS)
    pref_walk = np.cumsum(rng.normal(0.0, 0.005, (len(prefectures), n_years)), axis=1)
    county_walk = np.cumsum(rng.normal(0.0, 0.005, (len(counties), n_years)), axis=1)
    price = np.exp(pref_walk[parent] + county_walk)                        # (88, years)
    priced = volume_county * np.repeat(price, 12, axis=1)
    yearly = priced.reshape(len(counties), n_years, 12).sum(axis=(0, 2))
    target = np.array([GDP_YI.get(y, GDP_YI[FIRST_YEAR] / (1 + REAL_GROWTH[FIRST_YEAR] / 100) / 1.02)
                       for y in _YEARS])
    return priced * np.repeat(target / yearly, 12)[None, :]


def _income(rng: np.random.Generator) -> np.ndarray:
    """(98, quarters) cumulative per-capita disposable income; the province is the population-weighted
    mean of its prefectures, each prefecture that of its counties (2020 weights)."""
    prefectures, counties, parent = _regions()
    pref_w, county_w = _population_weights()
    n_q = 4 * len(_YEARS)
    years = np.repeat(np.arange(len(_YEARS)), 4)
    fractions = np.tile(np.array(INCOME_QUARTER_CUMULATIVE), len(_YEARS))
    fractions *= np.where(np.arange(n_q) % 4 == 3, 1.0, np.exp(rng.normal(0.0, 0.004, n_q)))
    fractions[(2020 - SIM_FIRST_YEAR) * 4: (2020 - SIM_FIRST_YEAR) * 4 + 3] -= (0.012, 0.013, 0.006)  # 2020 dip
    province = np.array([INCOME_YUAN[y] for y in _YEARS])[years] * fractions
    base = np.array([INCOME_RELATIVE.get(p, 1.0) for p in prefectures])
    converge = 0.004 * (1 - base) + rng.normal(0.0, 0.002, base.size)     # poorer places catch up
    pref = base[:, None] * np.exp(converge[:, None] * years[None, :] + rng.normal(0.0, 0.003, (base.size, n_q)))
    pref /= (pref_w[:, None] * pref).sum(axis=0)
    kind = np.array([1.25 if regions.name(c).endswith("区") and not regions.name(c).endswith("特区")
                     else 1.08 if regions.name(c).endswith("市") else 0.92 for c in counties])
    cbase = kind * np.exp(rng.normal(0.0, 0.08, len(counties)))
    cconv = 0.004 * (1 - cbase) + rng.normal(0.0, 0.002, len(counties))
    county = cbase[:, None] * np.exp(cconv[:, None] * years[None, :] + rng.normal(0.0, 0.004, (len(counties), n_q)))
    county /= _group_sum(county_w[:, None] * county, parent, len(prefectures))[parent]
    pref_values = province[None, :] * pref
    return np.vstack([province[None, :], pref_values, pref_values[parent] * county])


def _cpi(rng: np.random.Generator) -> np.ndarray:
    """(98, months) CPI, 上年同月=100: an annual mean, the Spring Festival moving between January
    and February, the 2019–20 pork-price surge and its 2021 reversal, noise."""
    prefectures, counties, parent = _regions()
    n = _N_MONTHS
    dev = _ar1(rng, (1, n), 0.25, rho=0.7)[0]
    for i, year in enumerate(_YEARS[1:], start=1):
        this, last = SPRING_FESTIVAL[year].month, SPRING_FESTIVAL[year - 1].month
        if this != last:                   # the festival month compares with a month without it
            dev[12 * i + this - 1] += 0.7
            dev[12 * i + last - 1] -= 0.6
    month_of = np.arange(n)
    t_pork = month_of - ((2020 - SIM_FIRST_YEAR) * 12 + 1)                 # months from Feb 2020
    dev += 2.6 * np.exp(-0.5 * (t_pork / 4.5) ** 2)
    dev -= 1.0 * np.exp(-0.5 * ((t_pork - 18) / 4.0) ** 2)
    dev = dev.reshape(len(_YEARS), 12)
    mean = np.array([CPI_MEAN.get(y, 102.0) for y in _YEARS])
    province = (mean[:, None] + dev - dev.mean(axis=1, keepdims=True)).ravel()
    pref = province[None, :] + rng.normal(0.0, 0.25, (len(prefectures), 1)) + _ar1(rng, (len(prefectures), n), 0.2)
    county = pref[parent] + rng.normal(0.0, 0.15, (len(counties), n))
    return np.vstack([province[None, :], pref, county])


@lru_cache(maxsize=4)
def simulate(seed: int) -> Simulation:
    """The internal levels behind every published figure (same seed → same numbers)."""
    rng = np.random.default_rng(seed)
    volume: dict[str, np.ndarray] = {}
    nominal: dict[str, np.ndarray] = {}
    for code, flow in FLOWS.items():
        county = _county_values(flow, _province_volume(flow, rng), rng)
        volume[code] = _stack(county)
        nominal[code] = _stack(_gdp_nominal(county, rng)) if code == "gdp" else volume[code]
    return Simulation(volume, nominal, _income(rng), _cpi(rng))


def levels(seed: int) -> pl.DataFrame:
    """Monthly internal levels per region and flow indicator, 2014-01 … 2024-12: ``nominal`` (亿元,
    current prices) and ``volume`` (comparable prices for gdp and industrial_va; = nominal otherwise).
    The bureau does not publish these (monthly GDP, industrial value added and FAI levels)."""
    sim = simulate(seed)
    codes = region_codes()
    periods = [f"{y}-{m:02d}" for y in _YEARS for m in range(1, 13)]
    frames = [_once(pl.DataFrame({
        "region_code": np.repeat(codes, len(periods)),
        "indicator": code,
        "period": np.tile(periods, len(codes)),
        "nominal": sim.nominal[code].ravel(),
        "volume": sim.volume[code].ravel(),
    }), codes, len(periods)) for code in FLOWS]
    return pl.concat(frames)


# --------------------------------------------------------------------------------------------
# What the bureau publishes


def _reconcile(values: np.ndarray) -> np.ndarray:
    """Round (98, periods) additive values to cents so that counties sum to their prefecture and
    prefectures to the province exactly (largest-remainder rounding inside each parent)."""
    prefectures, counties, parent = _regions()
    cents = np.empty(values.shape, dtype=np.int64)
    cents[0] = np.round(values[0] * 100).astype(np.int64)
    n_pref = len(prefectures)
    cents[1:1 + n_pref] = _distribute(values[1:1 + n_pref] * 100, cents[0])
    for p in range(n_pref):
        members = np.flatnonzero(parent == p)
        cents[1 + n_pref + members] = _distribute(values[1 + n_pref + members] * 100, cents[1 + p])
    return cents


def _distribute(x: np.ndarray, total: np.ndarray) -> np.ndarray:
    """Integers near ``x`` (k × periods) whose column sums equal ``total``."""
    base = np.floor(x).astype(np.int64)
    short = total - base.sum(axis=0)                        # how many units each column still needs
    k = x.shape[0]
    base += short // k                                      # only if the parent moved by more than k
    short = short % k
    rank = np.argsort(np.argsort(-(x - np.floor(x)), axis=0, kind="stable"), axis=0, kind="stable")
    return base + (rank < short[None, :])


def _growth(cum: np.ndarray, per_year: int) -> np.ndarray:
    """Growth on the same period of the year before, %, 1 decimal; NaN for the first simulated year."""
    previous = np.full(cum.shape, np.nan)
    previous[:, per_year:] = cum[:, :-per_year]
    return np.round((cum / previous - 1) * 100, 1)


def _cumulative(monthly: np.ndarray, step: int) -> np.ndarray:
    """Cumulative within each year, at every ``step``-th month (1 = months, 3 = quarters)."""
    by_year = monthly.reshape(monthly.shape[0], len(_YEARS), 12).cumsum(axis=2)
    return by_year[:, :, step - 1::step].reshape(monthly.shape[0], -1)


def _long(values: np.ndarray, periods: list[str], indicator: str, measure: str, unit: str,
          keep: np.ndarray | None = None) -> pl.DataFrame:
    codes = region_codes()
    frame = pl.DataFrame({
        "region_code": np.repeat(codes, len(periods)),
        "indicator": indicator,
        "period": np.tile(periods, len(codes)),
        "measure": measure,
        "value": values.ravel().astype(np.float64),
        "unit": unit,
        "vintage": VINTAGE,
    })
    if keep is not None:
        frame = frame.filter(pl.Series(np.tile(keep, len(codes))))
    return _once(frame, codes, len(periods) if keep is None else int(np.sum(keep)))


def _once(frame: pl.DataFrame, codes: list[str], per_code: int) -> pl.DataFrame:
    """Drop the rows of a region listed twice: a city deployment is its own only prefecture."""
    if len(set(codes)) == len(codes):
        return frame
    first = np.array([codes.index(c) == i for i, c in enumerate(codes)])
    return frame.filter(pl.Series(np.repeat(first, per_code)))


def _targets(sim: Simulation, rng: np.random.Generator) -> list[pl.DataFrame]:
    """Annual targets set at the start of each year: growth (目标增速) for every indicator with one,
    levels (目标值) for retail and fiscal revenue, and the CPI ceiling."""
    prefectures, counties, parent = _regions()
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    periods = [str(y) for y in years]
    ambition = rng.choice([0.0, 0.5, 1.0], size=len(prefectures), p=[0.4, 0.4, 0.2])
    ambition[rng.choice(len(prefectures), size=min(2, len(prefectures)), replace=False)] += 1.5  # two ambitious prefectures
    county_ambition = rng.choice([-0.5, 0.0, 0.5, 1.0], size=len(counties), p=[0.15, 0.35, 0.3, 0.2])
    frames = []
    targets = {**{code: flow.targets for code, flow in FLOWS.items()}, "disposable_income": INCOME_TARGETS}
    for code, province_targets in targets.items():
        province = np.array([province_targets[y] for y in years])
        jitter = rng.choice([-0.5, 0.0, 0.5], size=(len(prefectures) + len(counties), len(years)), p=[0.2, 0.6, 0.2])
        pref = province[None, :] + ambition[:, None] + jitter[: len(prefectures)]
        county = pref[parent] + county_ambition[:, None] + jitter[len(prefectures):]
        county = np.minimum(county, province[None, :] + 3.5)          # nobody promises the moon
        growth = np.round(np.vstack([province[None, :], pref, county]) * 2) / 2
        frames.append(_long(growth, periods, code, "目标增速", "%"))
        if code in ("retail", "fiscal_revenue"):
            annual = sim.nominal[code].reshape(len(region_codes()), len(_YEARS), 12).sum(axis=2)
            last_year = annual[:, [y - 1 - SIM_FIRST_YEAR for y in years]]
            frames.append(_long(np.round(last_year * (1 + growth / 100), 2), periods, code, "目标值", "亿元"))
    frames.append(_long(np.full((len(region_codes()), len(years)), CPI_TARGET), periods, "cpi", "目标值",
                        indicators.BY_CODE["cpi"].unit))
    return frames


def generate(seed: int) -> pl.DataFrame:
    """What the statistics bureau (and finance, for revenue) publishes, in the contract's long shape.

    GDP quarterly 累计值 (亿元) + 累计增速 (real); industrial value added and FAI monthly 累计增速 only;
    retail and fiscal revenue monthly 累计值 + 累计增速; CPI monthly 当期值; disposable income
    quarterly 累计值 (元) + 累计增速; annual targets. Monthly cumulative series have no January row
    (January–February are published together). 98 regions, 2015 … 2024.
    """
    sim = simulate(seed)
    rng = np.random.default_rng([seed, 1])
    skip = 12 * (FIRST_YEAR - SIM_FIRST_YEAR)
    months = [f"{y}-{m:02d}" for y in range(FIRST_YEAR, LAST_YEAR + 1) for m in range(1, 13)]
    quarters = [f"{y}-Q{q}" for y in range(FIRST_YEAR, LAST_YEAR + 1) for q in range(1, 5)]
    not_january = np.array([not p.endswith("-01") for p in months])
    frames = []
    for code, flow in FLOWS.items():
        step, periods, keep = (3, quarters, None) if code == "gdp" else (1, months, not_january)
        per_year = 12 // step
        first = skip // step
        unit = indicators.BY_CODE[code].unit
        if "累计值" in flow.published:
            level = _reconcile(_cumulative(sim.nominal[code], step)[:, first:]) / 100
            frames.append(_long(level, periods, code, "累计值", unit, keep))
        growth = _growth(_cumulative(sim.volume[code], step), per_year)[:, first:]
        frames.append(_long(growth, periods, code, "累计增速", "%", keep))
    frames.append(_long(np.round(sim.cpi[:, skip:], 1), months, "cpi", "当期值", indicators.BY_CODE["cpi"].unit))
    income = sim.income
    frames.append(_long(np.round(income[:, 4:]), quarters, "disposable_income", "累计值", "元"))
    frames.append(_long(_growth(income, 4)[:, 4:], quarters, "disposable_income", "累计增速", "%"))
    frames += _targets(sim, rng)
    return pl.concat(frames).sort("indicator", "measure", "region_code", "period")


# --------------------------------------------------------------------------------------------
# The bureau's files


_DATABASES = {"M": f"{NAME_ZH}月度数据", "Q": f"{NAME_ZH}季度数据", "A": f"{NAME_ZH}年度数据"}


def _notes(code: str, measure: str, monthly: bool) -> list[str]:
    notes = []
    if monthly and measure in ("累计值", "累计增速"):
        notes.append("1-2月数据合并发布。")
    if measure == "累计增速" and code in ("gdp", "industrial_va"):
        notes.append("增速按可比价格计算。")
    if code == "fai" and measure != "目标值":
        notes.append("固定资产投资统计口径为计划总投资500万元及以上项目（不含农户）。")
    if measure in ("目标值", "目标增速"):
        notes.append("目标为各地年初政府工作报告提出的预期目标。")
    return [*notes, SYNTHETIC_NOTE]


def _file_name(database: str, indicator_zh: str, measure: str) -> str:
    return f"{database}_{indicator_zh}_{measure}.csv"


def write(df: pl.DataFrame, inbox: Path) -> list[Path]:
    """Write the portal CSV exports (GBK) into ``inbox/economy/`` and return their paths.

    One file per indicator × measure with regions as rows, except: CPI 当期值 in the transposed
    layout (periods as rows), and disposable income with the region fixed (``地区：…``) and its two
    measures as rows, one file per region. Targets use the annual database, one file per
    indicator × measure.
    """
    folder = Path(inbox) / "economy"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    vintage = df["vintage"].max() if df.height else VINTAGE
    for (code, measure), series in df.group_by("indicator", "measure", maintain_order=True):
        indicator = indicators.BY_CODE[code]
        target = measure in ("目标值", "目标增速")
        freq = "A" if target else indicator.freq
        database = _DATABASES[freq]
        source = FINANCE_BUREAU if code == "fiscal_revenue" and not target else STATISTICS_BUREAU
        notes = _notes(code, measure, freq == "M")
        if code == "disposable_income" and not target:
            continue                                   # written below, region by region
        if code == "cpi" and measure == "当期值":
            table = statsportal_format.by_period(series, database, notes=notes, source=source, vintage=vintage)
        else:
            table = statsportal_format.by_region(series, database, notes=notes, source=source, vintage=vintage)
        written.append(statsportal_format.write_table(table, folder / _file_name(database, indicator.zh, measure)))
    income = df.filter((pl.col("indicator") == "disposable_income") & pl.col("measure").is_in(["累计值", "累计增速"]))
    for code in _region_order(income["region_code"]):
        table = statsportal_format.by_indicator(
            income, _DATABASES["Q"], code, notes=["居民收入为住户调查数据，增速为名义增速。", SYNTHETIC_NOTE],
            vintage=vintage)
        name = f"{_DATABASES['Q']}_{indicators.BY_CODE['disposable_income'].zh}_{regions.name(code)}.csv"
        written.append(statsportal_format.write_table(table, folder / name))
    return written


def _region_order(codes: pl.Series) -> list[str]:
    present = set(codes.to_list())
    return [c for c in region_codes() if c in present]
