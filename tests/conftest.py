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


@pytest.fixture(scope="session")
def warehouse(demo_home) -> duckdb.DuckDBPyConnection:
    # Same configuration as the cockpit's own connection: DuckDB refuses two configs for one file.
    con = duckdb.connect(str(demo_home / "warehouse.duckdb"), read_only=True,
                         config={"enable_external_access": False})
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
