"""Properties any sound crop plan has, checked on a twelve-county instance with the demand curves on:
more land never lowers the optimum, a higher grain floor never raises it, a lower price never grows a
crop, and the scenario and Monte Carlo sides agree with the objective."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import polars as pl
import pytest

from models.crop_plan import CropPlanner, PlanInputs
from tests.models.crop_plan_instances import province


@pytest.fixture(scope="module")
def data():
    return province()


def fit(data, **values):
    return CropPlanner(PlanInputs(**{"region": "520000", "years": 4, **values}), monte_carlo=300).fit(data)


@pytest.mark.parametrize("risk_weight", [0.0, 0.5])
def test_more_land_never_lowers_the_optimum(data, risk_weight):
    before = fit(data, risk_weight=risk_weight).objective_
    for factor in (1.05, 1.3):
        more = replace(data, arable=data.arable * factor, garden=data.garden * factor)
        assert fit(more, risk_weight=risk_weight).objective_ >= before - 1e-6 * abs(before)


@pytest.mark.parametrize("region", ["520000", "520100"])
def test_raising_the_grain_floor_never_raises_income(data, region):
    task = data.grain_task[data.county_indices(region)].sum()
    objectives = [fit(data, region=region, risk_weight=0.3, grain_floor_mu=task * share).objective_
                  for share in (0.8, 1.0, 1.1, 1.2, 1.3)]
    assert all(b <= a + 1e-6 * abs(a) for a, b in zip(objectives, objectives[1:])), objectives


@pytest.mark.parametrize("crop", ["vegetables", "tea", "corn"])
@pytest.mark.parametrize("risk_weight", [0.0, 0.4])
def test_a_price_shock_to_a_crop_never_raises_its_area(data, crop, risk_weight):
    areas = []
    for shock in (1.3, 1.0, 0.8, 0.5):
        plan = fit(data, risk_weight=risk_weight, price_shock={crop: shock}).result_.plan
        areas.append(plan.filter(pl.col("crop") == crop)["area_mu"].sum())
    assert all(b <= a * (1 + 1e-6) + 1e-3 for a, b in zip(areas, areas[1:])), areas


def test_excluded_crops_do_not_grow(data):
    plan = fit(data, excluded=("vegetables",), risk_weight=0.0).result_.plan
    veg = plan.filter(pl.col("crop") == "vegetables")
    assert (veg["new_mu"] <= 1e-6).all()
    assert (veg["area_mu"] <= veg["baseline_area_mu"] + 1e-6).all()


def test_the_corn_cut_limit_holds(data):
    plan = fit(data, max_corn_cut_share=0.1, risk_weight=0.0).result_.plan
    corn = plan.filter(pl.col("crop") == "corn").group_by("year").agg(pl.col("area_mu").sum(), pl.col("baseline_area_mu").sum())
    assert (corn["area_mu"] >= 0.9 * corn["baseline_area_mu"] - 1e-3).all()


def test_land_labour_and_the_floor_hold_every_year(data):
    fitted = fit(data, risk_weight=0.2)
    plan = fitted.result_.plan
    idx = data.county_indices("520000")
    floors = dict(zip([data.counties[i] for i in idx], data.grain_task[idx]))
    grain = plan.filter(pl.col("crop") == "corn").group_by("region_code", "year").agg(pl.col("area_mu").sum())
    for county, _, area in grain.iter_rows():
        assert area >= floors[county] - 1e-6
    arable = dict(zip(data.counties, data.arable))
    garden = dict(zip(data.counties, data.garden))
    rho = dict(zip(data.counties, data.rho))
    land = plan.with_columns(pl.when(pl.col("crop") == "tea").then(pl.col("area_mu"))
                             .otherwise(pl.col("area_mu") / pl.col("region_code").replace_strict(rho)).alias("land"))
    for county, _, used in land.group_by("region_code", "year").agg(pl.col("land").sum()).iter_rows():
        assert used <= arable[county] + garden[county] + 1e-6


def test_the_objective_blends_expectation_and_cvar(data):
    # The LP's objective equals (1 − λ)·E + λ·CVaR recomputed from the plan and the scenarios.
    for risk_weight in (0.0, 0.5, 1.0):
        fitted = fit(data, risk_weight=risk_weight)
        assert fitted.result_.summary["objective_yuan"] == pytest.approx(fitted.objective_, rel=1e-6)


def test_more_risk_aversion_never_lowers_the_worst_case(data):
    cvars = [fit(data, risk_weight=w).result_.summary["cvar_income_yuan"] for w in (0.0, 0.5, 1.0)]
    assert all(b >= a - 1e-6 * abs(a) for a, b in zip(cvars, cvars[1:])), cvars


def test_the_monte_carlo_is_reproducible_and_brackets_the_mean(data):
    one, two = fit(data).result_.risk, fit(data).result_.risk
    assert one.equals(two)
    for row in one.iter_rows(named=True):
        assert row["p05"] <= row["p50"] <= row["p95"]
        assert row["p05"] <= row["mean"] <= row["p95"]
    plan = fit(data).result_
    total = plan.risk.filter((pl.col("variant") == "plan") & (pl.col("year") == 0))["mean"][0]
    assert total == pytest.approx(plan.summary["income_yuan"], rel=1e-9)
    assert np.isfinite(plan.summary["prob_beats_baseline"])
