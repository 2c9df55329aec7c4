"""The cockpit's one way into the warehouse: read-only connections per warehouse generation.

A build swaps a new file in with a rename; the next read sees a new (inode, mtime) generation and
opens it, while readers of the old generation finish on the old file. Nothing here writes.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

import duckdb
import polars as pl
import streamlit as st

from data_marts import paths

_lock = threading.Lock()
T = TypeVar("T")


def generation() -> tuple[str, int, int]:
    """(path, inode, mtime_ns) of the current warehouse; raises FileNotFoundError with advice."""
    path = paths.warehouse()
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        raise FileNotFoundError(
            f"no warehouse at {path}: run `cockpit demo --no-serve` or `cockpit build` first"
        ) from None
    return str(path), stat.st_ino, stat.st_mtime_ns


@lru_cache(maxsize=2)
def _connection(gen: tuple[str, int, int]) -> duckdb.DuckDBPyConnection:
    # No file system or network access from cockpit queries: they read this file and nothing else.
    return duckdb.connect(gen[0], read_only=True, config={"enable_external_access": False})


def query(sql: str, params: list | None = None) -> pl.DataFrame:
    """Run a read-only query with bound parameters on the current warehouse generation."""
    gen = generation()
    with _lock:
        cursor = _connection(gen).cursor()
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
