"""`cockpit plan crops` as a script uses it: JSON with the agreed keys, inputs set by name, clear
sentences and exit codes for impossible or invalid inputs, and saving a scenario."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from cockpit.cli import app

runner = CliRunner()


@pytest.fixture()
def home(tmp_path, use_home, demo_home):
    """A copy of the demo warehouse, so saved scenarios stay in this test."""
    shutil.copyfile(demo_home / "warehouse.duckdb", tmp_path / "warehouse.duckdb")
    return use_home(tmp_path)


@pytest.mark.parametrize("command", [["plan"], ["plan", "crops"], ["plan", "scenarios"]])
def test_plan_commands_have_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def test_list_crops_names_every_code(home):
    result = runner.invoke(app, ["plan", "crops", "--list-crops", "--json"])
    assert result.exit_code == 0, result.output
    codes = {row["code"] for row in json.loads(result.output)}
    assert {"corn", "rice", "potato", "tea", "rosa_roxburghii", "oil_tea"} <= codes and len(codes) == 15


def test_bijie_json_has_the_agreed_keys(home):
    result = runner.invoke(app, ["plan", "crops", "--region", "520500", "--years", "4", "--set", "risk_weight=0.3",
                                 "--set", "subsidy.herbs=200", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    for key in ("objective_yuan", "baseline_yuan", "solve_seconds", "area_change_mu", "binding"):
        assert key in out
    assert out["first_year"] + 3 == out["last_year"] and out["risk_weight"] == 0.3
    assert out["counties"] == 8 and set(out["area_change_mu"]) >= {"corn", "potato", "vegetables"}
    assert out["grain_area_last_year_mu"] >= out["grain_floor_mu"] - 1
    assert out["binding"][0]["constraint"] == "grain_floor" and out["binding"][0]["en"]
    assert out["subsidy_yuan"] > 0


def test_the_human_summary_prints_the_table_and_the_constraints(home):
    result = runner.invoke(app, ["plan", "crops", "--region", "520500", "--years", "2"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Area by crop" in result.output and "玉米 corn" in result.output and "grain floor" in result.output


def test_a_grain_floor_above_the_arable_land_exits_3_naming_it(home):
    result = runner.invoke(app, ["plan", "crops", "--region", "520500", "--set", "grain_floor_mu=900000000"],
                           terminal_width=300)
    assert result.exit_code == 3
    assert "grain floor" in result.output and "arable land" in result.output


@pytest.mark.parametrize("argument, words", [("subsidy.durian=100", "unknown crop"), ("years=0", "years"),
                                             ("colour=red", "unknown input"), ("risk_weight", "NAME=VALUE")])
def test_invalid_inputs_exit_2_with_a_sentence(home, argument, words):
    result = runner.invoke(app, ["plan", "crops", "--region", "520500", "--set", argument], terminal_width=300)
    assert result.exit_code == 2, result.output
    assert words in result.output


def test_a_region_is_required(home):
    result = runner.invoke(app, ["plan", "crops"])
    assert result.exit_code != 0 and "--region" in result.output


def test_save_then_list_and_delete(home):
    result = runner.invoke(app, ["plan", "crops", "--region", "520500", "--years", "2", "--json", "--save", "毕节稳粮",
                                 "--by", "李四"])
    assert result.exit_code == 0, result.output
    scenario_id = json.loads(result.output)["scenario_id"]
    listing = runner.invoke(app, ["plan", "scenarios"], terminal_width=200)
    assert scenario_id in listing.output and "李四" in listing.output
    assert runner.invoke(app, ["plan", "scenarios", "--delete", scenario_id]).exit_code == 0
    assert runner.invoke(app, ["plan", "scenarios", "--delete", scenario_id]).exit_code == 1
