"""Shared fixtures: one small demo warehouse per test session, built the way `cockpit demo` builds it."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

TEST_SCALE = 0.002  # ~0.09 M person records: small, and still above k in prefecture cells


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory) -> Path:
    """A COCKPIT_HOME holding demo exports, a staging store and a built warehouse."""
    from cockpit.batch import derived_marts
    from data_marts.build import build
    from data_marts.demo import generate
    from data_marts.ingest import ingest_folder

    home = tmp_path_factory.mktemp("cockpit-home")
    previous = os.environ.get("COCKPIT_HOME")
    os.environ["COCKPIT_HOME"] = str(home)
    try:
        generate.generate(home / "inbox", scale=TEST_SCALE, seed=7)
        ingest_folder(home / "inbox")
        build(settings={"person_sample_rate": str(TEST_SCALE)}, derived=derived_marts())
    finally:
        if previous is None:
            os.environ.pop("COCKPIT_HOME", None)
        else:
            os.environ["COCKPIT_HOME"] = previous
    return home


def run_cockpit(*args: str, home: Path, timeout: int = 900) -> "subprocess.CompletedProcess":
    """``cockpit ARGS`` in a process of its own with ``COCKPIT_HOME=home`` and no COCKPIT_REGION."""
    import subprocess
    import sys

    env = {**os.environ, "COCKPIT_HOME": str(home)}
    env.pop("COCKPIT_REGION", None)
    return subprocess.run([sys.executable, "-c", "from cockpit.cli import main; main()", *args],
                          env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def cangzhou_home(tmp_path_factory) -> Path:
    """A COCKPIT_HOME holding the Cangzhou demo (``cockpit demo --region 130900``) at TEST_SCALE: made by the
    command line in a process of its own, because the demo modules read the home region's facts on import."""
    home = tmp_path_factory.mktemp("cangzhou")
    run = run_cockpit("demo", "--region", "130900", "--no-serve", "--scale", str(TEST_SCALE), "--seed", "7", home=home)
    assert run.returncode == 0, run.stderr[-3000:]
    return home


@pytest.fixture()
def use_home(monkeypatch):
    """Point COCKPIT_HOME at a folder for one test."""

    def point(home: Path) -> Path:
        monkeypatch.setenv("COCKPIT_HOME", str(home))
        return home

    return point


@pytest.fixture()
def staged_home(demo_home, tmp_path, use_home) -> Path:
    """A fresh COCKPIT_HOME (this test's tmp_path) holding the demo's staging store and no warehouse yet."""
    import shutil

    use_home(tmp_path)
    shutil.copyfile(demo_home / "staging.duckdb", tmp_path / "staging.duckdb")
    return tmp_path


def open_warehouse(home: Path) -> duckdb.DuckDBPyConnection:
    """The warehouse of a home, read-only, with the cockpit's own configuration (DuckDB refuses two
    configurations for one file)."""
    return duckdb.connect(str(home / "warehouse.duckdb"), read_only=True, config={"enable_external_access": False})


@pytest.fixture(scope="session")
def warehouse(demo_home) -> duckdb.DuckDBPyConnection:
    con = open_warehouse(demo_home)
    yield con
    con.close()


@pytest.fixture(autouse=True)
def _keep_main_module():
    """An AppTest run can leave ``sys.modules['__main__']`` replaced by the script it ran; a later test that
    spawns a process (multiprocessing pickles by ``__main__``) would then fail. Put it back after each test."""
    import sys

    main = sys.modules.get("__main__")
    yield
    if main is not None and sys.modules.get("__main__") is not main:
        sys.modules["__main__"] = main
