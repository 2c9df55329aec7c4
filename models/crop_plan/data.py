"""The planner's calibrated inputs: history, land and outlook frames turned into county × crop arrays.

Everything here is computed once per warehouse (the cockpit caches it); a scenario then only builds and
solves its LP. Calibration, each step documented in docs/planner.md:

* **Costs and labour by stage.** The history gives a perennial's cost per *planted* mu, a mix of bearing,
  young and newly planted stands. Per crop, a non-negative least-squares fit over every county-year
  splits it: ``cost = c_bear·bearing + c_young·young + c_new·new`` (new = this year's expansion), on costs
  deflated to the base year by the yearly cost growth of annual crops. Each county keeps its own level
  (its actual over fitted cost). Labour days the same way.
* **Suitability** by altitude and slope, revealed by what similar counties grow: a crop may take up to
  1.25 × the largest share of arable land it has held (2015–base year) in any county within ±300 m of
  altitude and ±10 points of steep (> 15°) land; rice also stays within the paddy fields. A county
  already above its cap keeps what it has (it is never forced out by the rule).
* **Land.** Annual crops use arable land, sown up to the county's current multiple-cropping index ρ —
  or, where the region's assumptions name seasons (a wheat–corn double-cropping plain), up to the arable
  land in each season, each annual crop in the seasons it occupies; perennials use garden and forest land
  (园地/林地: what they occupy now) plus any arable land freed.
* **Existing stands** of perennials come into bearing as the history says (area ``first_harvest_year``
  years earlier), whatever the plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl
from scipy.optimize import nnls

from models.crop_plan.assumptions import Assumptions
from models.crop_plan.errors import InvalidPlanInput

HORIZON_MAX = 10
NEIGHBOUR_ALTITUDE_M = 300.0
NEIGHBOUR_STEEP = 0.10
CAP_MARGIN = 1.25
INDEX_RANGE = (0.5, 2.0)


@dataclass(frozen=True)
class CropInfo:
    code: str
    zh: str
    en: str
    grain: bool
    perennial: bool          # uses garden/forest land, not arable
    first_harvest_year: int
    full_yield_year: int

    @property
    def stock(self) -> bool:
        """Planted once, bears later: new area costs establishment and yields along a ramp."""
        return self.perennial or self.full_yield_year > 0 or self.first_harvest_year > 0

    def ramp(self, age: np.ndarray) -> np.ndarray:
        """Share of full yield at ``age`` years after planting (0 = the planting year)."""
        age = np.asarray(age, dtype=float)
        fh, full = self.first_harvest_year, max(self.full_yield_year, self.first_harvest_year)
        rising = (age - fh + 1) / (full - fh + 1)
        return np.where(age < fh, 0.0, np.where(age >= full, 1.0, rising))


@dataclass(frozen=True)
class PlanData:
    """County × crop arrays for the planner; build with :meth:`from_frames`.

    Shapes: ``C`` counties, ``K`` crops, ``H`` outlook years (base_year + 1 …).
    """

    base_year: int
    counties: tuple[str, ...]
    crops: tuple[CropInfo, ...]
    regions: dict[str, tuple[str, ...]]
    region_names: dict[str, str]
    area0: np.ndarray            # (C, K) area in the base year, mu
    bearing0: np.ndarray         # (C, K)
    bearing_existing: np.ndarray # (C, K, H) bearing area of today's stands in each outlook year
    price: np.ndarray            # (C, K, H) expected price, 元/kg, at baseline volume
    yield_: np.ndarray           # (C, K, H) expected yield per bearing mu, kg
    price_sd: np.ndarray         # (K, H) log standard deviation of the province price
    yield_sd: np.ndarray         # (K, H)
    cost: np.ndarray             # (C, K, 3) 元/mu at base-year prices: bearing, young, new
    labour: np.ndarray           # (C, K, 3) days/mu: bearing, young, new
    cost_growth: float           # yearly growth of costs
    arable: np.ndarray           # (C,)
    garden: np.ndarray           # (C,) land under perennials now
    rho: np.ndarray              # (C,) multiple-cropping index of arable land
    paddy: np.ndarray            # (C,) paddy fields, mu
    cap: np.ndarray              # (C, K) most area a crop may take, mu
    farm_labour: np.ndarray      # (C,)
    labour_used: np.ndarray      # (C,) days of farm work in the base year
    grain_task: np.ndarray       # (C,) grain sown-area task, mu
    calibration: dict = field(default_factory=dict)
    region_names_en: dict[str, str] = field(default_factory=dict)
    assumptions: Assumptions = field(default_factory=Assumptions)  # the region's crops, demand and seasons

    @property
    def crop_codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.crops)

    def crop_index(self, code: str) -> int:
        try:
            return self.crop_codes.index(code)
        except ValueError:
            raise InvalidPlanInput(f"unknown crop {code!r}; crops are {', '.join(self.crop_codes)}") from None

    def place(self, code: str, lang: str = "zh") -> str:
        """How messages name a region: 沧州市 in Chinese; "Cangzhou (130900)" in English (the code alone when
        no name is known)."""
        if lang == "zh":
            return self.region_names.get(code, code)
        name = self.region_names_en.get(code)
        return f"{name} ({code})" if name else code

    def county_indices(self, region: str) -> np.ndarray:
        if region not in self.regions:
            raise InvalidPlanInput(f"region {region} has no counties with farm data; "
                                   f"plan one of {', '.join(sorted(self.regions)[:5])}")
        wanted = set(self.regions[region])
        return np.array([i for i, c in enumerate(self.counties) if c in wanted], dtype=int)

    @classmethod
    def from_frames(cls, history: pl.DataFrame, land: pl.DataFrame, crops: pl.DataFrame,
                    outlook: pl.DataFrame, regions: dict[str, tuple[str, ...]],
                    region_names: dict[str, str] | None = None,
                    region_names_en: dict[str, str] | None = None,
                    assumptions: Assumptions | None = None) -> "PlanData":
        """Calibrate from marts.

        Parameters
        ----------
        history : polars.DataFrame
            County rows of ``mart.agriculture``: region_code, crop, year, area_mu, bearing_area_mu,
            cost_yuan, labour_days.
        land : polars.DataFrame
            County rows of ``mart.agriculture_land`` for the base year: region_code, arable_mu,
            paddy_share, altitude_m, slope_15_25_share, slope_gt25_share, farm_labour, grain_task_mu.
        crops : polars.DataFrame
            ``mart.crops``: code, zh, en, crop_group, perennial, first_harvest_year, full_yield_year.
        outlook : polars.DataFrame
            ``mart.crop_outlook``: region_code, crop, year, price_yuan_per_kg, yield_kg_per_mu,
            price_log_sd, yield_log_sd; county rows, and the province row for the spreads.
        regions : dict
            Region code → the county codes it contains (the province and each prefecture).
        region_names : dict, optional
            Region code → name, for messages.
        region_names_en : dict, optional
            Region code → English name, for messages in English.
        assumptions : Assumptions, optional
            The region's planning assumptions (``assumptions.for_region``): its crops are the ones planned
            (every crop the history grows if it names none), its seasons shape the land constraints. Without
            it: every crop of ``crops``, one season, the default demand.
        """
        if assumptions is not None:
            planned = list(assumptions.crops) or history["crop"].unique().to_list()
            unknown = sorted(set(assumptions.crops) - set(crops["code"].to_list()))
            if unknown:
                raise InvalidPlanInput(f"assumptions {assumptions.source}: crops {', '.join(unknown)} are not in "
                                       "the crop catalogue")
            crops = crops.filter(pl.col("code").is_in(planned))
        assumptions = assumptions or Assumptions()
        info = tuple(CropInfo(code=r["code"], zh=r["zh"], en=r["en"], grain=r["crop_group"] == "grain",
                              perennial=bool(r["perennial"]), first_harvest_year=int(r["first_harvest_year"]),
                              full_yield_year=int(r["full_yield_year"])) for r in crops.iter_rows(named=True))
        codes = [c.code for c in info]
        land = land.sort("region_code")
        counties = tuple(land["region_code"].to_list())
        history = history.filter(pl.col("region_code").is_in(counties) & pl.col("crop").is_in(codes))
        years = sorted(history["year"].unique().to_list())
        if not years or not counties:
            raise InvalidPlanInput("no county crop history or land data to plan from")
        base = years[-1]
        C, K, Y = len(counties), len(codes), len(years)
        ci = {c: i for i, c in enumerate(counties)}
        ki = {c: i for i, c in enumerate(codes)}
        rows_c = np.array([ci[c] for c in history["region_code"]])
        rows_k = np.array([ki[c] for c in history["crop"]])
        rows_y = np.array([years.index(y) for y in history["year"]])

        def cube(column: str) -> np.ndarray:
            out = np.zeros((C, K, Y))
            out[rows_c, rows_k, rows_y] = history[column].fill_null(0).to_numpy()
            return out

        area, bearing, cost, labour = cube("area_mu"), cube("bearing_area_mu"), cube("cost_yuan"), cube("labour_days")
        # A county-year missing from the data (a known defect) is carried forward, and it and the year after
        # it are left out of the cost fits (their "new planting" would be spurious).
        present = np.zeros((C, Y), dtype=bool)
        present[rows_c, rows_y] = True
        usable = present.copy()
        usable[:, 1:] &= present[:, :-1]
        usable[:, 0] = False
        for j in range(1, Y):
            gone = ~present[:, j]
            area[gone, :, j] = area[gone, :, j - 1]
            bearing[gone, :, j] = bearing[gone, :, j - 1]
        area0, bearing0 = area[:, :, -1].copy(), bearing[:, :, -1].copy()
        # Stages as the history defines them: stands not yet bearing are new (this year's expansion, at most
        # all of them) or young (the rest).
        new = np.zeros_like(area)
        new[:, :, 1:] = np.maximum(area[:, :, 1:] - area[:, :, :-1], 0)
        not_bearing = np.maximum(area - bearing, 0)
        new = np.minimum(new, not_bearing)
        young = not_bearing - new

        growth = _cost_growth(area, cost, usable, [c.stock for c in info])
        deflate = (1 + growth) ** (base - np.array(years, dtype=float))
        cost_rates, cost_fit = _stage_rates(info, area, bearing, young, new, cost * deflate, usable)
        labour_rates, _ = _stage_rates(info, area, bearing, young, new, labour, usable)

        land_cols = {c: land[c].fill_null(0).to_numpy().astype(float) for c in
                     ("arable_mu", "paddy_share", "altitude_m", "slope_15_25_share", "slope_gt25_share",
                      "farm_labour", "grain_task_mu")}
        arable = land_cols["arable_mu"]
        if (arable <= 0).any():
            bad = [counties[i] for i in np.flatnonzero(arable <= 0)]
            raise InvalidPlanInput(f"counties {', '.join(bad)} have no arable land in the data")
        perennial = np.array([c.perennial for c in info])
        annual0 = area0[:, ~perennial].sum(axis=1)
        rho = np.maximum(1.0, annual0 / arable)
        garden = area0[:, perennial].sum(axis=1)
        paddy = land_cols["paddy_share"] * arable

        share = (area / arable[:, None, None]).max(axis=2)
        altitude, steep = land_cols["altitude_m"], land_cols["slope_15_25_share"] + land_cols["slope_gt25_share"]
        near = ((np.abs(altitude[:, None] - altitude[None, :]) <= NEIGHBOUR_ALTITUDE_M)
                & (np.abs(steep[:, None] - steep[None, :]) <= NEIGHBOUR_STEEP))
        revealed = np.where(near[:, :, None], share[None, :, :], 0).max(axis=1)
        cap = CAP_MARGIN * revealed * arable[:, None]
        if "rice" in ki:
            cap[:, ki["rice"]] = np.minimum(cap[:, ki["rice"]], paddy)
        cap = np.maximum(cap, area0)

        horizon_years = np.arange(base + 1, base + 1 + HORIZON_MAX)
        bearing_existing = np.zeros((C, K, HORIZON_MAX))
        for k, crop in enumerate(info):
            for h, year in enumerate(horizon_years):
                source = year - crop.first_harvest_year
                earlier = area[:, k, years.index(source)] if source in years else area0[:, k]
                bearing_existing[:, k, h] = np.maximum(bearing0[:, k], np.minimum(area0[:, k], earlier))
            if not crop.stock:
                bearing_existing[:, k, :] = area0[:, k, None]

        price, yield_, price_sd, yield_sd = _outlook(outlook, counties, codes, horizon_years)
        labour_used = (labour[:, :, -1]).sum(axis=1)
        methods = outlook["method"].value_counts(sort=True) if "method" in outlook.columns else None
        calibration = {"cost_growth": growth, "cost_fit": cost_fit,
                       "outlook_method": methods["method"][0] if methods is not None and methods.height else "",
                       "cost_rates_province": {codes[k]: (cost_rates[:, k, :] * area0[:, k, None]).sum(axis=0)
                                               / max(area0[:, k].sum(), 1) for k in range(K)}}
        arrays = dict(area0=area0, bearing0=bearing0, bearing_existing=bearing_existing, price=price, yield_=yield_,
                      price_sd=price_sd, yield_sd=yield_sd, cost=cost_rates, labour=labour_rates, arable=arable,
                      garden=garden, rho=rho, paddy=paddy, cap=cap, farm_labour=land_cols["farm_labour"],
                      labour_used=labour_used, grain_task=land_cols["grain_task_mu"])
        for value in arrays.values():
            value.setflags(write=False)
        return cls(base_year=base, counties=counties, crops=info,
                   regions={r: tuple(c for c in cs if c in ci) for r, cs in regions.items()
                            if any(c in ci for c in cs)},
                   region_names=dict(region_names or {}), region_names_en=dict(region_names_en or {}),
                   cost_growth=growth, calibration=calibration, assumptions=assumptions, **arrays)


def _cost_growth(area: np.ndarray, cost: np.ndarray, usable: np.ndarray, stock: list[bool]) -> float:
    """Median yearly growth of cost per mu across annual crops (their mix of stages does not move)."""
    rates = []
    t = np.arange(area.shape[2], dtype=float)
    for k, is_stock in enumerate(stock):
        if is_stock:
            continue
        a = (area[:, k, :] * usable).sum(axis=0)
        c = (cost[:, k, :] * usable).sum(axis=0)
        ok = a > 0
        if ok.sum() >= 3:
            rates.append(np.expm1(np.polyfit(t[ok], np.log(c[ok] / a[ok]), 1)[0]))
    return float(np.median(rates)) if rates else 0.0


def _stage_rates(info, area, bearing, young, new, total, usable) -> tuple[np.ndarray, dict]:
    """Per county × crop rates (bearing, young, new) per mu: crop-wide NNLS, scaled by a county index."""
    C, K, _ = area.shape
    rates = np.zeros((C, K, 3))
    fits = {}
    for k, crop in enumerate(info):
        mask = usable & (area[:, k, :] > 0)
        if not mask.any():
            continue
        if crop.stock:
            X = np.column_stack([bearing[:, k, :][mask], young[:, k, :][mask], new[:, k, :][mask]])
            y = total[:, k, :][mask]
            scale = X.sum(axis=0)
            scale[scale == 0] = 1
            beta, _ = nnls(X / scale, y)
            beta = beta / scale
            # A stage the data never shows (no young or new stands) falls back to the bearing rate.
            for j in (1, 2):
                if X[:, j].sum() == 0 or beta[j] == 0:
                    beta[j] = beta[0]
            fitted = (np.stack([bearing[:, k, :], young[:, k, :], new[:, k, :]], axis=-1) * beta).sum(axis=-1)
        else:
            beta = np.repeat(total[:, k, :][mask].sum() / area[:, k, :][mask].sum(), 3)
            fitted = area[:, k, :] * beta[0]
        actual = (total[:, k, :] * mask).sum(axis=1)
        expected = (fitted * mask).sum(axis=1)
        index = np.where(expected > 0, actual / np.where(expected > 0, expected, 1), 1.0)
        rates[:, k, :] = np.clip(index, *INDEX_RANGE)[:, None] * beta[None, :]
        fits[crop.code] = beta.round(1).tolist()
    return rates, fits


def _outlook(outlook: pl.DataFrame, counties, codes, horizon_years) -> tuple[np.ndarray, ...]:
    C, K, H = len(counties), len(codes), len(horizon_years)
    ci = {c: i for i, c in enumerate(counties)}
    ki = {c: i for i, c in enumerate(codes)}
    hi = {int(y): i for i, y in enumerate(horizon_years)}
    rows = outlook.filter(pl.col("crop").is_in(codes) & pl.col("year").is_in(list(hi)))
    county = rows.filter(pl.col("region_code").is_in(counties))
    price, yield_ = np.full((C, K, H), np.nan), np.full((C, K, H), np.nan)
    c_idx = np.array([ci[c] for c in county["region_code"]], dtype=int)
    k_idx = np.array([ki[c] for c in county["crop"]], dtype=int)
    h_idx = np.array([hi[int(y)] for y in county["year"]], dtype=int)
    price[c_idx, k_idx, h_idx] = county["price_yuan_per_kg"].to_numpy()
    yield_[c_idx, k_idx, h_idx] = county["yield_kg_per_mu"].to_numpy()
    missing = np.isnan(price) | np.isnan(yield_)
    if missing.all(axis=0).any():
        k, h = np.argwhere(missing.all(axis=0))[0]
        raise InvalidPlanInput(f"no price or yield outlook for {codes[k]} in {horizon_years[h]}: rebuild the warehouse "
                               "(`cockpit build`) so that mart.crop_outlook covers the plan's years")
    # A county without its own outlook for a crop takes the mean of the counties that have one.
    price = np.where(np.isnan(price), np.nanmean(price, axis=0, keepdims=True), price)
    yield_ = np.where(np.isnan(yield_), np.nanmean(yield_, axis=0, keepdims=True), yield_)
    sd = rows.group_by("crop", "year").agg(pl.col("price_log_sd").max(), pl.col("yield_log_sd").max())
    price_sd, yield_sd = np.zeros((K, H)), np.zeros((K, H))
    for crop, year, p, y in sd.iter_rows():
        price_sd[ki[crop], hi[int(year)]] = p or 0.0
        yield_sd[ki[crop], hi[int(year)]] = y or 0.0
    return price, yield_, price_sd, yield_sd
