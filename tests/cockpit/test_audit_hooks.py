"""What the cockpit records as it is used: page views, queries (a cached one too), exports when the file
is made, scenario saves and deletions."""

from __future__ import annotations

import polars as pl
import pytest

from cockpit import audit, exports, query, scenarios
from models.crop_plan import CropPlanner, PlanInputs
from tests.cockpit.pages import open_app
from tests.models.crop_plan_instances import hand


@pytest.fixture()
def log(tmp_path, monkeypatch):
    folder = tmp_path / "audit"
    folder.mkdir()
    monkeypatch.setattr(audit, "folder", lambda: folder)
    return folder


def actions() -> list[dict]:
    return [entry for _, _, entry in audit.records()]


def test_every_query_is_recorded_with_panel_scope_and_fingerprint_cached_or_not(demo_home, use_home, log):
    use_home(demo_home)
    sql = "SELECT region_code, year FROM mart.region_profile WHERE year = ?"
    bijie = query.Scope.of("520500")
    first = query.run(sql, [2024], bijie, panel="test.panel")
    query.run(sql, [2024], bijie, panel="test.panel")  # served from the cache: the user still saw it
    entries = actions()
    assert [e["action"] for e in entries] == ["query", "query"]
    expected = query.fingerprint(query.scoped_sql(sql, bijie), (2024,))
    assert all(e["panel"] == "test.panel" and e["scope"] == "5205" and e["sql_hash"] == expected
               and e["rows"] == first.height for e in entries)
    query.run(sql, [2023], bijie, panel="test.panel")
    assert actions()[-1]["sql_hash"] != expected  # the parameters are part of the fingerprint
    assert audit.verify().intact


def test_a_page_view_is_recorded(demo_home, use_home, log):
    use_home(demo_home)
    at = open_app("status")
    assert not at.exception
    views = [e for e in actions() if e["action"] == "view"]
    assert [(v["page"], v["shown_region"]) for v in views] == [("status", "520000")]


def test_an_export_is_recorded_when_the_file_is_made(log):
    frame = pl.DataFrame({"a": [1, 2, 3]})
    make = exports.recorded(exports.csv, frame, "x.csv", panel="p")
    assert actions() == []  # drawing the button makes nothing
    data = make()
    (entry,) = actions()
    assert (entry["action"], entry["file"], entry["rows"], entry["bytes"], entry["panel"]) == \
        ("export", "x.csv", 3, len(data), "p")


def test_scenario_saves_and_deletions_are_recorded(tmp_path, use_home, log):
    use_home(tmp_path)
    result = CropPlanner(PlanInputs(region="520100", years=2), monte_carlo=50).fit(hand()).result_
    scenario_id = scenarios.save("稳粮增收", result, by="张三")
    assert scenarios.delete(scenario_id)
    entries = actions()
    assert [(e["action"], e["scenario"]) for e in entries] == [("scenario_save", scenario_id),
                                                               ("scenario_delete", scenario_id)]
    assert entries[0]["name"] == "稳粮增收" and entries[0]["region_code"] == "520100"
