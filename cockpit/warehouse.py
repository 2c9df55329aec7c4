"""The cockpit's one way into the warehouse: read-only connections, one per warehouse generation.

Each build publishes a new file and points ``warehouse.duckdb`` at it (``data_marts.generations``). A
read resolves the pointer first, so every reader — a cockpit session, a ``cockpit`` command, a test —
sees a new build at its next read without a restart; a read in progress finishes on the generation it
started on. Once no read is in progress on an older generation, its connection is closed and its
file deleted if no other process reads it. Nothing here writes to the warehouse.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import duckdb
import polars as pl
import streamlit as st

from data_marts import generations, paths

_lock = threading.Lock()
T = TypeVar("T")
Generation = tuple[str, int, int]


def generation() -> Generation:
    """(file, inode, mtime_ns) of the current warehouse generation; raises FileNotFoundError with advice."""
    try:
        path = generations.current()
        stat = os.stat(path)
    except FileNotFoundError:
        raise FileNotFoundError(
            f"no warehouse at {paths.warehouse()}: run `cockpit demo --no-serve` or `cockpit build` first"
        ) from None
    return str(path), stat.st_ino, stat.st_mtime_ns


@dataclass
class _Open:
    connection: duckdb.DuckDBPyConnection
    reads: int = 0  # reads in progress


_open: dict[Generation, _Open] = {}


def _connect(gen: Generation) -> _Open:
    """The open generation ``gen`` (under ``_lock``), opening it and letting go of older ones."""
    entry = _open.get(gen)
    if entry is None:
        # Let go of idle older generations first: DuckDB hands out one database per path in a process,
        # so a warehouse file replaced in place (a restored backup) is only read anew once it is closed.
        _release_idle(keep=gen)
        # No file system or network access from cockpit queries: they read this file and nothing else.
        entry = _open[gen] = _Open(duckdb.connect(gen[0], read_only=True, config={"enable_external_access": False}))
    return entry


def _release_idle(keep: Generation) -> None:
    """Close older generations no read is using, and delete their files if no other process reads them."""
    for gen, entry in list(_open.items()):
        if gen != keep and entry.reads == 0:
            del _open[gen]
            entry.connection.close()
            generations.remove_if_unused(Path(gen[0]))


@contextmanager
def _reading() -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the current generation for one read. A build can swap the pointer (and delete the
    file it named) between resolving it and opening the file: then resolve again."""
    for attempt in range(5):
        gen = generation()
        try:
            with _lock:
                entry = _connect(gen)
                entry.reads += 1
        except (duckdb.IOException, FileNotFoundError):
            if attempt == 4:
                raise
            continue
        cursor = entry.connection.cursor()
        try:
            yield cursor
        finally:
            cursor.close()
            with _lock:
                entry.reads -= 1
                newest = max(_open, key=lambda g: g[2], default=gen)
                _release_idle(keep=newest)
        return


def query(sql: str, params: list | None = None) -> pl.DataFrame:
    """Run a read-only query with bound parameters on the current warehouse generation."""
    with _reading() as cursor:
        return pl.from_arrow(cursor.sql(sql, params=params or None).to_arrow_table())


@st.cache_data(max_entries=256, show_spinner=False)
def _cached(gen: tuple[str, int, int], sql: str, params: tuple) -> pl.DataFrame:
    return query(sql, list(params))


def cached(sql: str, params: list | tuple | None = None) -> pl.DataFrame:
    """``query`` cached per warehouse generation: for the framework's own meta reads (settings,
    build time, lineage), which every panel makes and which only change with a new build."""
    return _cached(generation(), sql, tuple(params or ()))


@st.cache_resource(max_entries=8, show_spinner=False)
def _derived(gen: tuple[str, int, int], name: str, _build: Callable[[], T]) -> T:
    return _build()


def per_generation(name: str, build: Callable[[], T]) -> T:
    """An object computed from the warehouse (e.g. the crop planner's calibrated inputs), made once per
    warehouse generation and shared by every session: ``build`` runs again only after a new build."""
    return _derived(generation(), name, build)


def quality_report() -> pl.DataFrame:
    """Quality results of the latest load of every source file, and of the latest build, per department."""
    return query(
        """
        WITH latest AS (
            SELECT q.* FROM meta.quality AS q
            WHERE q.load_id IS NULL
               OR q.load_id IN (SELECT max(load_id) FROM meta.load_log GROUP BY source_file)
        )
        SELECT department, table_name, rule, column_name, severity,
               sum(rows_checked)::BIGINT AS rows_checked, sum(rows_failed)::BIGINT AS rows_failed, any_value(example) AS example
        FROM latest
        GROUP BY ALL
        ORDER BY department, table_name, rows_failed DESC
        """
    )
