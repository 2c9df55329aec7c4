"""Always fresh: every reader sees a new build at its next read, reads during rebuilds never fail, and
old generations are let go of (issue #10, item 1)."""

import os
import shutil
import subprocess
import sys
import threading
import time

import pytest

from cockpit import warehouse
from data_marts import generations
from data_marts.build import build

LATEST = "SELECT build_id FROM meta.build_log ORDER BY finished_at DESC LIMIT 1"


@pytest.fixture()
def home(staged_home):
    """A fresh COCKPIT_HOME with the demo's staging store and one good build."""
    build()
    return staged_home


def _latest() -> str:
    return warehouse.query(LATEST)["build_id"][0]


def test_a_rebuild_is_seen_at_the_next_read_without_a_restart(home):
    before = _latest()
    result = build()
    assert result.build_id != before
    assert _latest() == result.build_id


def test_a_warehouse_file_replaced_in_place_is_read_anew(home):
    """A plain file swapped at the same path (a restored backup, or the layout before generations):
    DuckDB keeps one database per path in a process, so the reader must let go before it reopens."""
    first_file, first = home / "first.duckdb", _latest()
    shutil.copyfile(generations.current(home), first_file)
    second = build().build_id
    second_file = home / "second.duckdb"
    shutil.copyfile(generations.current(home), second_file)
    pointer = home / "warehouse.duckdb"
    pointer.unlink()
    shutil.copyfile(first_file, pointer)
    assert _latest() == first
    os.replace(second_file, pointer)  # same path, new file
    assert _latest() == second


def test_reads_during_rebuilds_never_fail_and_never_go_stale(home):
    errors, reads, stop = [], [0], threading.Event()

    def reader():
        while not stop.is_set():
            try:
                frame = warehouse.query("SELECT count(*) AS n FROM mart.population_structure")
                assert frame["n"][0] > 0
                reads[0] += 1
            except Exception as error:  # noqa: BLE001 - counted, then asserted to be none
                errors.append(repr(error))

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    stale = 0
    try:
        for _ in range(3):
            result = build()
            stale += _latest() != result.build_id
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert errors == [] and reads[0] > 0
    assert stale == 0
    _latest()  # the next read lets go of what the readers had open
    assert [p.name for p in (home / "generations").glob("warehouse-*")] == [generations.current(home).name]


def test_another_process_sees_each_build_and_lets_go_of_the_old_file(home):
    script = ("import sys\nfrom cockpit import warehouse\n"
              "for line in sys.stdin:\n"
              f"    print(warehouse.query({LATEST!r})['build_id'][0], flush=True)\n")
    reader = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True, env={**os.environ, "COCKPIT_HOME": str(home)})

    def read() -> str:
        reader.stdin.write("read\n")
        reader.stdin.flush()
        return reader.stdout.readline().strip()

    try:
        first = generations.current(home)
        assert read() == _latest()
        result = build()
        assert first.exists(), "the other process still had it open"
        assert read() == result.build_id
        deadline = time.monotonic() + 10
        while first.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not first.exists(), "the old generation was not removed once its reader let go"
    finally:
        reader.stdin.close()
        reader.wait(timeout=30)


def test_a_reader_moving_to_another_home_leaves_the_first_homes_warehouse_alone(home, tmp_path_factory, use_home):
    first = generations.current(home)
    _latest()
    other = tmp_path_factory.mktemp("other-home")
    shutil.copyfile(home / "staging.duckdb", other / "staging.duckdb")
    use_home(other)
    build()
    _latest()  # lets go of the first home's generation: it is still that home's current one
    assert first.exists() and generations.current(home) == first
