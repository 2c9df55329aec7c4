"""Planner assumptions per region (models/crop_plan/assumptions/): which file applies, what a bad one says,
and a wheat–corn double-cropping county planned season by season, worked out by hand."""

from __future__ import annotations

import polars as pl
import pytest

from models.crop_plan import Assumptions, CropPlanner, InvalidPlanInput, PlanData, PlanInputs, assumptions
from tests.models import crop_plan_instances as inst

DOUBLE = Assumptions(source="test", crops=("wheat", "corn", "vegetables"), seasons=("winter", "summer"),
                     season_of={"wheat": ("winter",), "corn": ("summer",)})
FLAT = {"wheat": -1e-9, "corn": -1e-9, "vegetables": -1e-9}


def test_the_file_of_the_region_then_prefecture_then_province_then_the_default(tmp_path):
    shipped = assumptions.for_region("520526")  # a county of the shipped demo province: the province's file
    assert shipped.source == "520000.toml" and shipped.seasons == ()
    assert shipped.crops[:3] == ("corn", "rice", "potato") and "wheat" not in shipped.crops
    assert shipped.flexibility["corn"] == -0.05 and shipped.flexibility["rosa_roxburghii"] == -0.80
    for name in ("default.toml", "130000.toml"):
        (tmp_path / name).write_text(f'[planner]\ncrops = []\n# {name}\n', encoding="utf-8")
    assert assumptions.for_region("130929", tmp_path).source == "130000.toml"
    (tmp_path / "130900.toml").write_text('[land]\nseasons = ["winter", "summer"]\n[land.season_of]\nwheat = ["winter"]\n',
                                          encoding="utf-8")
    found = assumptions.for_region("130929", tmp_path)
    assert found.source == "130900.toml" and found.occupies("wheat") == ("winter",)
    assert found.occupies("cotton") == ("winter", "summer")  # not listed: the whole year
    assert assumptions.for_region("440100", tmp_path).source == "default.toml"


@pytest.mark.parametrize(("text", "words"), [
    ('[land]\nseasons = ["winter"]\n[land.season_of]\nwheat = ["spring"]\n', "spring"),
    ('[demand.flexibility]\ncorn = 0.1\n', "negative"),
    ('[demand]\nflex = 1\n', "flex"),
    ('[land\n', "cannot be read as TOML"),
])
def test_a_bad_assumptions_file_is_one_sentence_naming_it(tmp_path, text, words):
    path = tmp_path / "default.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidPlanInput) as error:
        assumptions.for_region("130900", tmp_path)
    assert str(error.value).startswith(str(path)) and words in str(error.value)


def _double(assumed: Assumptions | None) -> PlanData:
    """One county, 1,000 mu of arable land: winter wheat 900 mu then summer corn 900 mu on the same fields,
    and 100 mu of vegetables the year round. Wheat 2.4 元/kg × 400 kg − 700 = 260 元/亩."""
    econ = {**inst.ECON, "wheat": (2.4, 400.0, 700.0)}
    crops = pl.concat([inst.CROPS.filter(pl.col("code") != "tea"), pl.DataFrame({
        "code": ["wheat"], "zh": ["小麦"], "en": ["Wheat"], "crop_group": ["grain"], "perennial": [False],
        "first_harvest_year": [0], "full_yield_year": [0]})])
    old = inst.ECON.copy()
    inst.ECON.update(econ)
    try:
        f = inst.frames({"130929": {"wheat": 900.0, "corn": 900.0, "vegetables": 100.0}}, {"130929": 1000.0},
                        {"130929": 1500.0})
    finally:
        inst.ECON.clear()
        inst.ECON.update(old)
    return PlanData.from_frames(f["history"], f["land"], crops, f["outlook"],
                                {"130900": ("130929",)}, {"130900": "沧州市"}, {"130900": "Cangzhou"}, assumed)


def _plan(data: PlanData) -> dict[str, float]:
    inputs = PlanInputs(region="130900", years=2, risk_weight=0.0, discount_rate=0.0, appraisal_years=0)
    fitted = CropPlanner(inputs, monte_carlo=100, flexibility=FLAT).fit(data)
    last = fitted.result_.plan.filter(pl.col("year") == fitted.result_.plan["year"].max())
    return {**dict(zip(last["crop"], last["area_mu"])), "objective": fitted.objective_}


def test_wheat_and_corn_share_the_land_season_by_season():
    # Vegetables (1,000 元/亩) fill their cap, 1.25 × 10 % × 1,000 = 125 mu, in both seasons; wheat takes
    # the rest of the winter (875 mu) and corn the rest of the summer (875 mu): 1,750 mu of grain sown on
    # 875 mu of fields. Income 125 × 1,000 + 875 × 260 + 875 × 200 = 527,500 元 a year.
    plan = _plan(_double(DOUBLE))
    assert plan["vegetables"] == pytest.approx(125, abs=1e-6)
    assert plan["wheat"] == pytest.approx(875, abs=1e-6) and plan["corn"] == pytest.approx(875, abs=1e-6)
    assert plan["objective"] == pytest.approx(2 * 527_500, rel=1e-6)
    assert plan["wheat"] + plan["vegetables"] <= 1000 + 1e-6 and plan["corn"] + plan["vegetables"] <= 1000 + 1e-6


def test_without_seasons_the_same_county_would_crowd_one_season():
    # One season and the history's index ρ = 1.9: wheat, the better grain, goes past what a winter holds.
    plan = _plan(_double(Assumptions(crops=("wheat", "corn", "vegetables"))))
    assert plan["wheat"] + plan["vegetables"] > 1000
