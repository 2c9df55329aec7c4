"""The crop planner on small instances: a hand-computed optimum, the shadow price it implies, perennials'
first harvest, and clear errors for impossible or invalid inputs."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from models.crop_plan import CropPlanner, InfeasiblePlan, InvalidPlanInput, PlanInputs
from models.crop_plan import lp, planner, risk
from tests.models.crop_plan_instances import hand

FLAT = {"corn": -1e-9, "vegetables": -1e-9, "tea": -1e-9}  # no price response: the optimum stays hand-checkable
HAND = dict(region="520100", years=2, risk_weight=0.0, discount_rate=0.0, appraisal_years=0, excluded=("tea",))


def solve(data, flexibility=FLAT, **values):
    return CropPlanner(PlanInputs(**values), monte_carlo=200, flexibility=flexibility).fit(data)


def test_the_hand_computed_optimum():
    # Vegetables (1,000 元/亩) fill their suitability cap, 1.25 × 30 % × 1,000 = 375 mu; corn (200 元/亩)
    # takes the rest of the 1,000 mu: 625 mu, above the 400-mu grain floor. Year one moves 75 + 25 mu
    # (under 15 % of the land). Income: 625 × 200 + 375 × 1,000 = 500,000 元 a year, 1,000,000 in two.
    fitted = solve(hand(), **HAND)
    plan = fitted.result_.plan
    last = plan.filter(pl.col("year") == 2026)
    area = dict(zip(last["crop"], last["area_mu"]))
    assert area["vegetables"] == pytest.approx(375, abs=1e-6)
    assert area["corn"] == pytest.approx(625, abs=1e-6)
    assert fitted.objective_ == pytest.approx(1_000_000, rel=1e-6)
    s = fitted.result_.summary
    assert s["objective_yuan"] == pytest.approx(1_000_000, rel=1e-6)
    assert s["income_yuan"] == pytest.approx(1_000_000, rel=1e-6)
    assert s["baseline_income_yuan"] == pytest.approx(2 * (600 * 200 + 300 * 1000), rel=1e-6)
    assert not fitted.result_.binding[0]["binding"]  # the grain floor has slack
    # Messages name the region in their language; English adds the code.
    assert (s["region_name"], s["region_name_en"]) == ("甲市", "Jia")
    assert fitted.result_.summary_text("zh").startswith("甲市2025–2026年：")
    assert fitted.result_.summary_text("en").startswith("Jia (520100) 2025–2026: ")


def test_a_binding_grain_floor_and_its_shadow_price_by_hand():
    # A 700-mu floor keeps 700 mu of corn, leaving 300 mu for vegetables: 440,000 元 a year. Each mu more of
    # floor swaps a mu of vegetables (1,000) for corn (200): 800 元 a year, 1,600 over two years, so
    # 100,000 mu more would cost 1.6亿元.
    fitted = solve(hand(), **HAND, grain_floor_mu=700)
    assert fitted.objective_ == pytest.approx(880_000, rel=1e-6)
    grain = fitted.result_.binding[0]
    assert grain["constraint"] == "grain_floor" and grain["binding"]
    assert grain["shadow_price_yuan"] == pytest.approx(1.6e8, rel=1e-6)
    assert "1.60亿元" in grain["zh"] and "160.0 million yuan" in grain["en"]
    assert "把甲市的粮食播种面积底线" in grain["zh"] and "the grain floor of Jia (520100)" in grain["en"]


def test_the_shadow_price_predicts_a_small_change_of_the_floor():
    data = hand()
    fitted = solve(data, **{**HAND, "excluded": (), "risk_weight": 0.3}, grain_floor_mu=650)
    again = solve(data, **{**HAND, "excluded": (), "risk_weight": 0.3}, grain_floor_mu=660)
    per_mu = fitted.result_.binding[0]["shadow_price_yuan"] / 1e5
    assert again.objective_ - fitted.objective_ == pytest.approx(-10 * per_mu, rel=1e-3)


def test_perennials_produce_nothing_before_their_first_harvest_year():
    # Tea (first harvest 3 years after planting, full yield at 5) is worth planting when its later years count.
    fitted = solve(hand(), region="520100", years=6, risk_weight=0.0, discount_rate=0.0, appraisal_years=10)
    tea = fitted.result_.plan.filter(pl.col("crop") == "tea").sort("year")
    assert tea["area_mu"].max() > 0
    planted = tea["new_mu"].to_numpy()
    first = int(np.flatnonzero(planted > 0)[0])
    output = tea["output_t"].to_numpy()
    assert np.all(output[: first + 3] == 0), "nothing bears before three years"
    assert output[first + 3] > 0
    # The ramp: a third of full yield in the first harvest year (60 kg/亩 at full yield).
    assert output[first + 3] * 1000 == pytest.approx(planted[first] * 60 / 3, rel=1e-6)


def test_a_grain_floor_above_the_arable_land_is_refused_before_solving():
    with pytest.raises(InfeasiblePlan) as error:
        solve(hand(), **HAND, grain_floor_mu=5_000)
    assert error.value.constraint == "grain_floor"
    assert "grain floor" in str(error.value) and "arable land" in str(error.value)
    assert "粮食底线" in error.value.zh
    assert "arable land in Jia (520100)" in str(error.value) and "超过了甲市" in error.value.zh


def test_a_floor_out_of_reach_in_the_first_year_names_the_speed_limit():
    with pytest.raises(InfeasiblePlan, match="first year") as error:
        solve(hand(), **HAND, grain_floor_mu=700, max_change_share=0.05)
    assert error.value.constraint == "grain_floor"


def test_the_solver_side_diagnosis_names_the_grain_floor():
    data = hand()
    inputs = PlanInputs(**HAND, grain_floor_mu=5_000)  # past the pre-checks: straight to the LP
    factors = risk.draw(data.price_sd[:, :2], data.yield_sd[:, :2], inputs.scenarios, inputs.seed)
    problem = lp.build(data, inputs, factors, FLAT)
    assert planner.solve(problem).status == 2
    assert planner.diagnose(problem, 30) == "grain_floor"


@pytest.mark.parametrize("values, words", [
    ({"subsidy": {"durian": 100}}, "unknown crop 'durian'"),
    ({"excluded": ("Tea",)}, "not a crop code"),
    ({"years": 11}, "years"),
    ({"risk_weight": 1.5}, "risk_weight"),
    ({"price_shock": {"tea": 0}}, "price_shock.tea"),
    ({"region": "999900"}, "no counties"),
])
def test_invalid_inputs_say_what_is_wrong(values, words):
    with pytest.raises(InvalidPlanInput, match=words.replace("(", r"\(")):
        CropPlanner(PlanInputs.build(**{**HAND, **values})).fit(hand())


def test_inputs_are_settable_by_name():
    inputs = PlanInputs(region="520500")
    changed = (inputs.set("subsidy.tea", "300").set("price_shock.corn", "0.8").set("years", "3")
               .set("grain_floor_mu", "9000000").set("excluded", "fruit, tea").set("risk_weight", "0.5"))
    assert changed.subsidy == {"tea": 300.0} and changed.price_shock == {"corn": 0.8}
    assert (changed.years, changed.grain_floor_mu, changed.excluded, changed.risk_weight) == (3, 9e6, ("fruit", "tea"), 0.5)
    with pytest.raises(InvalidPlanInput, match="unknown input 'colour'"):
        inputs.set("colour", "red")
    with pytest.raises(InvalidPlanInput, match="not a number"):
        inputs.set("years", "five")
