"""Saved scenarios: a solved plan round-trips exactly through $COCKPIT_HOME/scenarios.duckdb, with who
and when; listing, deleting and a missing id behave."""

from __future__ import annotations

import getpass

import polars as pl
import pytest

from cockpit import scenarios
from models.crop_plan import CropPlanner, PlanInputs
from tests.models.crop_plan_instances import hand


@pytest.fixture()
def home(tmp_path, use_home):
    return use_home(tmp_path)


@pytest.fixture(scope="module")
def result():
    inputs = PlanInputs(region="520100", years=3, risk_weight=0.4, subsidy={"tea": 250.0},
                        price_shock={"vegetables": 0.85}, excluded=("corn",))
    return CropPlanner(inputs, monte_carlo=300).fit(hand()).result_


def test_a_saved_scenario_round_trips_exactly(home, result):
    scenario_id = scenarios.save("稳粮增收", result, by="张三")
    saved = scenarios.load(scenario_id)
    assert (saved.name, saved.created_by) == ("稳粮增收", "张三")
    assert saved.inputs == result.inputs
    assert saved.result.plan.equals(result.plan) and saved.result.plan.schema == result.plan.schema
    assert saved.result.risk.equals(result.risk)
    assert dict(saved.result.summary) == dict(result.summary)
    assert list(saved.result.binding) == list(result.binding)
    assert saved.result.to_json() == result.to_json()
    assert (home / "scenarios.duckdb").exists() and not (home / "warehouse.duckdb").exists()


def test_listing_is_newest_first_and_deleting_removes_everything(home, result):
    first = scenarios.save("A", result, by="甲")
    second = scenarios.save("B", result)
    listing = scenarios.listing()
    assert set(listing["id"]) == {first, second}
    assert listing.filter(pl.col("id") == second)["created_by"][0] == getpass.getuser()
    assert listing["income_yuan"][0] == pytest.approx(result.summary["income_yuan"])
    assert scenarios.listing(region="999999").is_empty()
    assert scenarios.delete(first) and not scenarios.delete(first)
    with pytest.raises(scenarios.ScenarioError, match=first):
        scenarios.load(first)
    assert scenarios.load(second).result.plan.equals(result.plan)


def test_an_empty_store_lists_nothing_and_creates_no_file(home):
    assert scenarios.listing().is_empty()
    assert not (home / "scenarios.duckdb").exists()
    with pytest.raises(scenarios.ScenarioError):
        scenarios.load("nope")


def test_a_scenario_needs_a_name(home, result):
    with pytest.raises(ValueError, match="name"):
        scenarios.save("  ", result)
