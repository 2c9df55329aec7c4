"""The staging store: one DuckDB file that ingest writes and ``cockpit build`` copies into a warehouse.

Schemas: ``base`` (one table per contract: its columns typed, plus ``_load_id`` and ``_source_row``),
``quarantine`` (one table per contract: every rejected record with the broken rule, the reason and
the whole original row as JSON), ``meta`` (``load_log``, ``quality``). The cockpit never opens this
file. DuckDB lets one process write a file at a time, so a second ingest or a build running while
an ingest holds the file gets ``StagingBusyError`` instead of waiting.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from data_marts import paths
from data_marts.checks.rules import DUCKDB_TYPES
from data_marts.contracts import CONTRACTS, Contract

SYSTEM_COLUMNS = {"_load_id": "BIGINT", "_source_row": "BIGINT"}

QUARANTINE_COLUMNS = {
    "load_id": "BIGINT",
    "record": "BIGINT",  # the n-th record of the file (= row for tables; one per data cell in portal exports)
    "source_file": "VARCHAR",
    "row_number": "BIGINT",  # as the analyst sees it: the line in a text file, the row in the Excel sheet
    "source_column": "VARCHAR",  # the header in the file (for portal exports, the cell's column header)
    "column_name": "VARCHAR",  # the contract column
    "rule": "VARCHAR",
    "reason": "VARCHAR",
    "raw": "JSON",  # the whole original row, header -> text
}

LOAD_LOG_DDL = """
CREATE TABLE IF NOT EXISTS meta.load_log (
    load_id BIGINT PRIMARY KEY,
    library VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    rows_read BIGINT NOT NULL,
    rows_loaded BIGINT NOT NULL,
    rows_quarantined BIGINT NOT NULL,
    rows_replaced BIGINT NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    vintage VARCHAR,
    notes VARCHAR
)"""

QUALITY_DDL = """
CREATE TABLE IF NOT EXISTS meta.quality (
    load_id BIGINT,
    library VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL,
    department VARCHAR,
    rule VARCHAR NOT NULL,
    column_name VARCHAR,
    rows_checked BIGINT,
    rows_failed BIGINT,
    severity VARCHAR NOT NULL,
    example VARCHAR,
    checked_at TIMESTAMP NOT NULL
)"""


class StagingBusyError(RuntimeError):
    """Another process (an ingest or a build) holds the staging file."""

    exit_code = 3


def quote(name: str) -> str:
    """A DuckDB identifier, quoted."""
    return '"' + name.replace('"', '""') + '"'


def base_columns(contract: Contract) -> dict[str, str]:
    """Column -> DuckDB type of ``base.<table>``."""
    return {**{c.name: DUCKDB_TYPES[c.type] for c in contract.columns}, **SYSTEM_COLUMNS}


def _create_table(con: duckdb.DuckDBPyConnection, schema: str, table: str, columns: dict[str, str]) -> None:
    body = ", ".join(f"{quote(name)} {kind}" for name, kind in columns.items())
    con.execute(f"CREATE TABLE IF NOT EXISTS {schema}.{quote(table)} ({body})")
    existing = {row[0] for row in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
        [schema, table]).fetchall()}
    for name, kind in columns.items():  # a contract that gained a column: add it, older rows read NULL
        if name not in existing:
            con.execute(f"ALTER TABLE {schema}.{quote(table)} ADD COLUMN {quote(name)} {kind}")


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every schema and table that is missing (idempotent)."""
    for schema in ("base", "quarantine", "meta"):
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    for contract in CONTRACTS.values():
        _create_table(con, "base", contract.table, base_columns(contract))
        _create_table(con, "quarantine", contract.table, QUARANTINE_COLUMNS)
    con.execute(LOAD_LOG_DDL)
    con.execute(QUALITY_DDL)


def connect(path: str | Path | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the staging store (default ``paths.staging()``), creating what is missing unless read-only.

    Raises ``StagingBusyError`` when another process holds the file, and ``FileNotFoundError`` for a
    read-only open of a store that does not exist yet.
    """
    target = Path(path) if path is not None else paths.staging()
    if read_only and not target.exists():
        raise FileNotFoundError(f"the staging store {target} does not exist yet: ingest something first")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(target), read_only=read_only)
    except (duckdb.IOException, duckdb.ConnectionException) as error:
        message = str(error)
        if "lock" in message.lower() or "different configuration" in message:
            raise StagingBusyError(
                f"the staging store is busy (another ingest or build is running): {target}: {message}") from None
        raise
    if not read_only:
        paths.owner_only(target)
        try:
            ensure_schema(con)
        except BaseException:
            con.close()
            raise
    return con


def next_load_id(con: duckdb.DuckDBPyConnection) -> int:
    """The id for a new load (call inside the load's transaction: one writer at a time)."""
    return con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM meta.load_log").fetchall()[0][0]
