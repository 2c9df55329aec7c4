"""The atomic warehouse build: staging + reference tables + mart SQL files -> a new warehouse file,
published as a new generation (``data_marts.generations``). Readers never see a half-built warehouse,
see the new one at their next read, and a failed or killed build leaves the last good one in place
(its half-written file, and any worker process it left, are removed by the next build)."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from data_marts import catalog, generations, history, invariants, mart_files, paths, reference_tables, workers
from data_marts.derived import DerivedMart, builtin, reader
from data_marts.contracts import CONTRACTS

Progress = Callable[[str, int, int], None]


class BuildError(RuntimeError):
    """A build that could not finish; the previous warehouse is untouched."""


@dataclass(frozen=True)
class BuildResult:
    build_id: str
    path: Path  # the pointer readers open (warehouse.duckdb)
    generation: Path  # the file this build wrote, which the pointer names until the next build
    seconds: float
    tables: dict[str, int] = field(default_factory=dict)
    step_seconds: dict[str, float] = field(default_factory=dict)


@contextmanager
def _build_lock(home: Path):
    with open(home / ".build.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError("another build is running in this COCKPIT_HOME; wait for it to finish") from None
        yield


def _start_from_staging(staging: Path, building: Path) -> dict[str, int]:
    """Start the new warehouse as a file copy of staging (base, quarantine, meta are already there).

    Copying the file runs at disk speed; re-inserting tens of millions of rows would not. Staging is
    checkpointed first (which also proves no ingest holds it), so the copy has no pending WAL.
    """
    try:
        con = duckdb.connect(str(staging))
    except duckdb.IOException as error:
        raise BuildError(f"the staging store is busy (an ingest is running?): {error}") from None
    try:
        con.execute("CHECKPOINT")
    finally:
        con.close()
    shutil.copyfile(staging, building)
    building.chmod(0o600)  # person-level rows: readable by the owner only (the folder is 0700 too)
    con = duckdb.connect(str(building))
    try:
        rows = con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name IN ('base', 'quarantine', 'meta') "
            "ORDER BY ALL").fetchall()
        counts = {f"{schema}.{table}": con.execute(f'SELECT count(*) FROM {schema}."{table}"').fetchall()[0][0]
                  for schema, table in rows}
    finally:
        con.close()
    missing = [t for t in CONTRACTS if f"base.{t}" not in counts]
    if missing:
        raise BuildError(
            f"the staging store has no table for {', '.join(missing)}; ingest those libraries first "
            "(cockpit ingest PATH --library NAME, or cockpit demo)"
        )
    return counts


def _previous_build_log(con: duckdb.DuckDBPyConnection, warehouse: Path) -> None:
    con.execute(catalog.BUILD_LOG_DDL)
    if not warehouse.exists():
        return
    try:
        con.execute(f"ATTACH '{warehouse}' AS old (READ_ONLY)")
    except duckdb.Error:
        return  # an unreadable old warehouse only loses its history; the build goes on
    try:
        has_log = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'old' AND schema_name = 'meta' "
            "AND table_name = 'build_log'"
        ).fetchall()[0][0]
        if has_log:
            con.execute("INSERT INTO meta.build_log BY NAME SELECT * FROM old.meta.build_log")
    finally:
        con.execute("DETACH old")


def create_mart(con: duckdb.DuckDBPyConnection, mart: mart_files.MartFile) -> int:
    """Run one mart file into its target; returns its row count."""
    kind = "TEMP TABLE" if mart.materialize == "temp" else "TABLE"
    name = mart.name if mart.materialize == "temp" else mart.target
    con.execute(f"CREATE OR REPLACE {kind} {name} AS\n{mart.sql}")
    return con.execute(f"SELECT count(*) FROM {mart.target}").fetchall()[0][0]


def create_derived(con: duckdb.DuckDBPyConnection, mart: DerivedMart) -> int:
    """Compute one derived mart from the warehouse being built and store it; returns its row count."""
    frame = mart.compute(reader(con))
    if not isinstance(frame, pl.DataFrame):
        raise BuildError(f"{mart.source}: compute() for {mart.target} returned {type(frame).__name__}, not a polars DataFrame")
    kind, name = ("TEMP TABLE", mart.name) if mart.materialize == "temp" else ("TABLE", mart.target)
    con.register("_derived", frame.to_arrow())
    try:
        con.execute(f"CREATE OR REPLACE {kind} {name} AS SELECT * FROM _derived")
    finally:
        con.unregister("_derived")
    return frame.height


def build(k_min: int = 10, progress: Progress | None = None, settings: dict[str, str] | None = None,
          derived: Sequence[DerivedMart] = ()) -> BuildResult:
    """Build a new warehouse from the staging store and swap it in atomically.

    ``k_min``: person counts under this are suppressed in every mart (and so are the counts that would
    give them back: docs/disclosure.md). ``settings`` are stored in ``meta.settings`` (e.g. the demo's
    person sample rate). ``derived``: marts computed in Python (the command line passes the batch
    forecasts and projections); they run with the SQL marts and ``data_marts``' own derived marts in
    one dependency order, each after what it reads. Raises ``BuildError`` with a clear sentence; on any
    failure the previous warehouse stays in place.
    """
    home = paths.home()
    staging, target = paths.staging(), paths.warehouse()
    if not staging.exists():
        raise BuildError(f"nothing has been ingested yet ({staging} does not exist): run cockpit ingest or cockpit demo")
    marts = mart_files.in_order([*mart_files.discover(), *builtin(), *derived])
    steps = ["staging", "reference", "checks", *[m.name for m in marts], "invariants", "catalog", "publish"]
    build_id = f"{datetime.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"
    started, timings, tables = time.perf_counter(), {}, {}
    started_at = datetime.now()

    def step(name: str) -> None:
        timings[name] = time.perf_counter()
        if progress:
            progress(name, steps.index(name), len(steps))

    with _build_lock(home):
        generations.remove_abandoned(home)
        workers.reap_abandoned(home)
        building = generations.building_path(build_id, home)
        try:
            step("staging")
            tables.update(_start_from_staging(staging, building))
            con = duckdb.connect(str(building), config=_limits())
            try:
                for schema in ("base", "quarantine", "mart", "meta"):
                    con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
                _previous_build_log(con, target)
                step("reference")
                tables.update({f"mart.{k}": v for k, v in reference_tables.create(con).items()})
                con.execute(f"SET VARIABLE k_min = {int(k_min)}")
                window = history.set_variables(con)  # the home region and the years of data, for the marts
                step("checks")  # set-level checks of the base tables first: marts report on them
                catalog.write_quality(con)
                for mart in marts:
                    step(mart.name)
                    create = create_derived if isinstance(mart, DerivedMart) else create_mart
                    tables[mart.target] = create(con, mart)
                step("invariants")
                invariants.assert_marts(con, marts, k_min)
                step("catalog")
                catalog.write(con, marts)
                timings["done"] = time.perf_counter()
                seconds = timings["done"] - started
                catalog.write_settings(con, {"k_min": str(k_min), **window, **(settings or {})})
                con.execute(
                    "INSERT INTO meta.build_log VALUES (?, ?, ?, ?, 'ok', ?, ?, ?)",
                    [build_id, started_at, datetime.now(), round(seconds, 3), k_min,
                     json.dumps({t: n for t, n in tables.items()}, ensure_ascii=False),
                     json.dumps(_durations(timings), ensure_ascii=False)],
                )
                con.execute("CHECKPOINT")
            finally:
                con.close()
            step("publish")
            published = generations.publish(building, build_id, home)
        except BaseException as error:
            building.unlink(missing_ok=True)
            Path(str(building) + ".wal").unlink(missing_ok=True)
            if isinstance(error, (BuildError, KeyboardInterrupt, SystemExit)):
                raise
            raise BuildError(f"the build failed and the previous warehouse was kept: {error}") from error
        generations.remove_unused(home)  # earlier generations that no one reads any more
    return BuildResult(build_id, target, published, time.perf_counter() - started, tables, _durations(timings))


def _limits() -> dict[str, str]:
    """DuckDB settings for the build: a memory ceiling (spilling to disk beyond it) so a full-province
    build stays well inside a 2-core/8 GiB budget; ``COCKPIT_BUILD_MEMORY`` overrides it."""
    return {"memory_limit": os.environ.get("COCKPIT_BUILD_MEMORY", "5GB"), "preserve_insertion_order": "false"}


def _durations(marks: dict[str, float]) -> dict[str, float]:
    names = list(marks)
    return {a: round(marks[b] - marks[a], 3) for a, b in zip(names, names[1:])}
