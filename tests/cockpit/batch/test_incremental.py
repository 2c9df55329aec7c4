"""The forecast batch reuses what did not change: a build after a small load refits only the series
whose input changed, and a change of the model code refits everything."""

import shutil

import duckdb
import numpy as np
import polars as pl

from cockpit.batch import derived_marts, forecasts
from data_marts.build import build


def _tasks(n=3, years=12):
    return [{"region_code": f"52000{i}", "indicator": "population", "freq": "A", "measure": "current", "county": False,
             "festival": "stock", "periods": [str(2000 + y) for y in range(years)],
             "values": [100.0 * (1.02 + 0.01 * i) ** y for y in range(years)]} for i in range(n)]


def test_reuse_by_input_hash_refits_only_the_changed_series(tmp_path, monkeypatch):
    monkeypatch.setenv("COCKPIT_BATCH_WORKERS", "1")
    cache = tmp_path / "forecasts.json"
    tasks = _tasks()
    first = forecasts.run_incremental(tasks, cache)
    assert forecasts.LAST_RUN == {"series": 3, "refit": 3, "reused": 0}
    again = forecasts.run_incremental(tasks, cache)
    assert forecasts.LAST_RUN == {"series": 3, "refit": 0, "reused": 3}
    assert again == first
    changed = [dict(t) for t in tasks]
    changed[1]["values"] = [*changed[1]["values"][:-1], changed[1]["values"][-1] * 0.9]  # a revised last year
    third = forecasts.run_incremental(changed, cache)
    assert forecasts.LAST_RUN == {"series": 3, "refit": 1, "reused": 2}
    assert third[0] == first[0] and third[2] == first[2]
    assert third[1]["forecasts"][0]["mean"] != first[1]["forecasts"][0]["mean"]
    assert (cache.stat().st_mode & 0o777) == 0o600


def test_a_change_of_the_model_code_refits_everything(tmp_path, monkeypatch):
    monkeypatch.setenv("COCKPIT_BATCH_WORKERS", "1")
    cache = tmp_path / "forecasts.json"
    tasks = _tasks(n=2)
    forecasts.run_incremental(tasks, cache)
    version = forecasts.code_version()
    monkeypatch.setattr(forecasts, "code_version", lambda: version + "-edited")
    forecasts.run_incremental(tasks, cache)
    assert forecasts.LAST_RUN["refit"] == 2


def test_the_code_version_covers_every_module_of_models_forecast(tmp_path, monkeypatch):
    """Editing any module of models/forecast (here: a copy of it, never the source itself) changes the
    version, so every series is refitted."""
    before = forecasts.code_version()
    copy = tmp_path / "forecast"
    shutil.copytree(forecasts.MODEL_SOURCES, copy)
    monkeypatch.setattr(forecasts, "MODEL_SOURCES", copy)
    assert forecasts.code_version() == before and len(list(copy.glob("*.py"))) > 5
    with open(copy / "drift.py", "a", encoding="utf-8") as handle:
        handle.write("\n# an edit\n")
    edited = forecasts.code_version()
    (copy / "drift.py").unlink()
    assert len({before, edited, forecasts.code_version()}) == 3


def test_a_build_after_a_small_change_refits_only_that_series(demo_home, staged_home):
    """Two builds in a copy of the demo home (with the demo build's cache): nothing changed → nothing
    refitted; one revised value in staging → one series refitted, the others' forecasts unchanged."""
    shutil.copytree(demo_home / "cache", staged_home / "cache")
    forecasts._RESULTS.clear()  # the demo build of this process memoised the same input
    build(derived=derived_marts())
    assert forecasts.LAST_RUN["refit"] == 0 and forecasts.LAST_RUN["reused"] == forecasts.LAST_RUN["series"] > 100

    def published():
        with duckdb.connect(str(staged_home / "warehouse.duckdb"), read_only=True) as con:
            return pl.from_arrow(con.sql("SELECT region_code, indicator, measure, period, mean FROM mart.forecasts "
                                         "ORDER BY ALL").to_arrow_table())

    before = published()
    with duckdb.connect(str(staged_home / "staging.duckdb")) as con:
        period = con.execute("SELECT max(period) FROM base.economy WHERE region_code = '520000' AND indicator = 'retail' "
                             "AND measure = '累计值'").fetchone()[0]
        con.execute("UPDATE base.economy SET value = value * 1.05 WHERE region_code = '520000' AND indicator = 'retail' "
                    "AND measure = '累计值' AND period = ?", [period])
    build(derived=derived_marts())
    assert forecasts.LAST_RUN["refit"] == 1
    after = published()
    key = ["region_code", "indicator", "measure", "period"]
    joined = before.join(after, on=key, suffix="_after")
    moved = joined.filter((pl.col("mean") - pl.col("mean_after")).abs() > 1e-9)
    assert set(zip(moved["region_code"], moved["indicator"])) == {("520000", "retail")}
    assert np.isclose(joined.filter(pl.col("indicator") != "retail")["mean"].to_numpy(),
                      joined.filter(pl.col("indicator") != "retail")["mean_after"].to_numpy()).all()
