"""Clean kills: a killed build leaves no worker processes and no half-written files beyond the next
build (issue #10, item 8)."""

import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import duckdb
import pytest

from data_marts import generations, workers


def _marked(marker: str) -> list[int]:
    """Processes whose environment carries ``marker`` (the build and everything it started)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _gone(marker: str, seconds: float = 15) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := _marked(marker)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def test_pool_workers_die_with_the_process_that_made_them(tmp_path):
    marker = f"COCKPIT_TEST_MARK={uuid.uuid4().hex}"
    script = (
        "import time\nfrom data_marts import workers\n"
        "with workers.pool(2) as pool:\n"
        "    futures = [pool.submit(time.sleep, 60) for _ in range(2)]\n"
        "    time.sleep(2); print('running', flush=True); time.sleep(60)\n"
    )
    env = {**os.environ, "COCKPIT_HOME": str(tmp_path), marker.split("=")[0]: marker.split("=")[1]}
    owner = subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, text=True)
    assert owner.stdout.readline().strip() == "running"
    assert len(list((tmp_path / workers.FOLDER).iterdir())) == 2  # each worker left its record
    assert len(_marked(marker)) >= 4  # the owner, its forkserver, two workers (and a resource tracker)
    owner.send_signal(signal.SIGKILL)
    owner.wait(timeout=10)
    assert _gone(marker) == []


def test_the_next_build_reaps_what_a_dead_build_left(tmp_path):
    folder = tmp_path / workers.FOLDER
    folder.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    orphan = subprocess.Popen(["sleep", "60"])
    alive = subprocess.Popen(["sleep", "60"])
    try:
        (folder / f"{dead_pid}-{orphan.pid}").write_text(
            f"build {dead_pid} 1\nworker {orphan.pid} {workers._start_time(orphan.pid)}\n")
        (folder / f"{os.getpid()}-{alive.pid}").write_text(  # a build that is still running: left alone
            f"build {os.getppid()} {workers._start_time(os.getppid())}\nworker {alive.pid} {workers._start_time(alive.pid)}\n")
        (folder / f"{dead_pid}-999999").write_text(f"build {dead_pid} 1\nworker 999999 123\n")  # long gone
        assert workers.reap_abandoned(tmp_path) == [orphan.pid]
        assert orphan.wait(timeout=10) == -signal.SIGKILL
        assert alive.poll() is None
        assert sorted(p.name for p in folder.iterdir()) == [f"{os.getpid()}-{alive.pid}"]
    finally:
        for process in (orphan, alive):
            process.kill()
            process.wait()


def _build_ids(home: Path) -> list[str]:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        return [r[0] for r in con.execute("SELECT build_id FROM meta.build_log ORDER BY finished_at").fetchall()]


@pytest.mark.slow
def test_builds_killed_at_random_points_leave_nothing_behind(demo_home, tmp_path, use_home):
    """`cockpit build` (with the forecast batch) killed at several points: each time the last warehouse
    stays readable, no process outlives the build, and the next build leaves no half-written file."""
    home = tmp_path
    shutil.copyfile(demo_home / "staging.duckdb", home / "staging.duckdb")
    shutil.copytree(generations.current(demo_home).parent, home / "generations")
    os.symlink(Path("generations") / generations.current(demo_home).name, home / "warehouse.duckdb")
    before = _build_ids(home)
    rng = random.Random(20261203)
    points = [("staging", rng.uniform(0.5, 3)), ("marts", rng.uniform(3, 10)),
              ("forecast pool", None), ("forecast pool", rng.uniform(2, 12))]
    report = []
    for where, delay in points:
        marker = uuid.uuid4().hex
        child = subprocess.Popen([sys.executable, "-m", "cockpit.cli", "build"], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL,
                                 env={**os.environ, "COCKPIT_HOME": str(home), "COCKPIT_TEST_MARK": marker})
        started = time.monotonic()
        if where == "forecast pool":  # wait until the pool's workers have registered, then a while more
            while not list((home / workers.FOLDER).glob(f"{child.pid}-*")) and child.poll() is None:
                time.sleep(0.05)
            time.sleep(delay or 0)
        else:
            time.sleep(delay)
        assert child.poll() is None, f"the build finished before the kill point ({where})"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        left = _gone(marker)
        report.append((where, round(time.monotonic() - started, 1), left))
        assert left == [], f"processes outlived a build killed at {where}: {left}"
        assert _build_ids(home) == before, "the last good warehouse changed or became unreadable"
    from data_marts.build import build

    use_home(home)
    build()
    assert not list((home / "generations").glob(".building-*"))
    assert not list(home.glob(".warehouse.*"))
    assert list((home / workers.FOLDER).iterdir()) == []
    assert len(_build_ids(home)) == len(before) + 1
    print(report)
