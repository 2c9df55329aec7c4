"""The atomic build: a failed or killed build leaves the last good warehouse in place and readable."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from data_marts import build as build_module
from data_marts.build import BuildError, build


@pytest.fixture()
def home(staged_home):
    """A fresh COCKPIT_HOME with the demo's staging store and one good build."""
    build()
    return staged_home


def _build_ids(path: Path) -> list[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        return [r[0] for r in con.execute("SELECT build_id FROM meta.build_log ORDER BY finished_at").fetchall()]


def test_a_build_keeps_the_history_of_earlier_builds(home):
    first = _build_ids(home / "warehouse.duckdb")
    build()
    second = _build_ids(home / "warehouse.duckdb")
    assert second[:-1] == first and len(second) == len(first) + 1


def test_a_failing_build_keeps_the_previous_warehouse(home, monkeypatch):
    before = _build_ids(home / "warehouse.duckdb")
    real = build_module.create_mart

    def failing(con, mart):
        if mart.name == "population_dynamics":
            raise RuntimeError("disk full (simulated)")
        return real(con, mart)

    monkeypatch.setattr(build_module, "create_mart", failing)
    with pytest.raises(BuildError, match="previous warehouse was kept: disk full"):
        build()
    assert _build_ids(home / "warehouse.duckdb") == before
    assert not list((home / "generations").glob(".building-*"))


def test_a_killed_build_keeps_the_previous_warehouse_and_the_next_build_cleans_up(home):
    before = _build_ids(home / "warehouse.duckdb")
    script = (
        "import time\n"
        "from data_marts import build as b\n"
        "real = b.create_mart\n"
        "def slow(con, mart):\n"
        "    if mart.name == 'population_structure':\n"
        "        print('building', flush=True); time.sleep(60)\n"
        "    return real(con, mart)\n"
        "b.create_mart = slow\n"
        "b.build()\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], env={**os.environ, "COCKPIT_HOME": str(home)},
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "building"
    assert list((home / "generations").glob(".building-*"))
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert _build_ids(home / "warehouse.duckdb") == before  # still there, still readable
    build()
    assert not list((home / "generations").glob(".building-*"))
    assert len(_build_ids(home / "warehouse.duckdb")) == len(before) + 1


def test_readers_keep_their_generation_while_a_new_one_is_swapped_in(home):
    old = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    before = old.execute("SELECT count(*) FROM meta.build_log").fetchone()[0]
    build()
    assert old.execute("SELECT count(*) FROM meta.build_log").fetchone()[0] == before
    old.close()
    assert len(_build_ids(home / "warehouse.duckdb")) == before + 1


def test_building_without_staging_says_what_to_do(tmp_path, use_home):
    use_home(tmp_path)
    with pytest.raises(BuildError, match="nothing has been ingested yet"):
        build()


def test_the_warehouse_is_published_by_renames_of_a_complete_file(home, monkeypatch):
    """A finished file is renamed into its generation, then the pointer is swapped by one rename."""
    from data_marts import generations

    calls = []
    real = os.replace
    monkeypatch.setattr(generations.os, "replace", lambda a, b: (calls.append((Path(a), Path(b))), real(a, b)))
    result = build()
    assert len(calls) == 2
    (built, generation), (link, pointer) = calls
    assert built.name.startswith(".building-") and generation == result.generation
    assert pointer == home / "warehouse.duckdb" and pointer.resolve() == result.generation


def _derived(name="derived_probe", compute=None, grain=("region_code",)):
    from data_marts.derived import DerivedMart

    return DerivedMart(
        name=name, theme="overview", grain=grain, zh="测试派生专题", en="Test derived mart", sharing="无条件共享",
        owner="省大数据局", reads=("mart.regions",), source="tests/data_marts/test_build.py",
        compute=compute or (lambda read: read("SELECT code AS region_code, level FROM mart.regions WHERE level = ?",
                                              ["prefecture"])))


def test_a_derived_mart_is_published_catalogued_and_traced(home):
    build(derived=[_derived()])
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM mart.derived_probe").fetchall()[0][0] == 333  # every prefecture-level unit of China (MCA 2024)
        source = con.execute("SELECT source FROM meta.catalog WHERE table_name = 'derived_probe'").fetchall()
        assert source == [("tests/data_marts/test_build.py",)]
        edges = con.execute("SELECT source FROM meta.lineage WHERE target = 'mart.derived_probe'").fetchall()
        assert edges == [("mart.regions",)]


def test_a_derived_mart_with_a_duplicate_grain_fails_the_build_and_keeps_the_warehouse(home):
    before = _build_ids(home / "warehouse.duckdb")
    with pytest.raises(BuildError, match="derived_probe.*more than once"):
        build(derived=[_derived(grain=("level",))])
    assert _build_ids(home / "warehouse.duckdb") == before


def test_a_suppression_pattern_that_gives_a_count_away_is_not_published(home, monkeypatch):
    """The disclosure step swapped for one that withholds only the counts under k: the invariants' audit
    finds counts that subtraction recovers, and the previous warehouse stays (docs/disclosure.md)."""
    from data_marts.disclosure import step

    def primary_only(read):
        cells = step.problem(read)
        primary = cells.published & (cells.values < step.k_min(read))
        return step.pattern(cells, primary, primary & False)

    before = _build_ids(home / "warehouse.duckdb")
    monkeypatch.setattr(build_module, "builtin", lambda: [step.MART.model_copy(update={"compute": primary_only})])
    with pytest.raises(BuildError, match=r"disclosure audit: \d+ withheld count\(s\) under k=10 .* recovered exactly"):
        build()
    assert _build_ids(home / "warehouse.duckdb") == before
