"""Set-level checks: SQL queries over loaded tables that return the offending rows (zero rows = pass).

- ``unique_key``: keys held by more than one row;
- ``links``: a value with no match in the linked library (``Contract.links``): reported, never rejected;
- ``timeliness``: rows whose ``timeliness_column`` is older than ``max_age_days`` before the
  reference date (the load's vintage if it is a date, else the newest value of that column).

``run`` counts them for one contract; ``record`` also writes the counts to ``meta.quality`` with
severity ``warn`` (row rules, which reject, are written at ingest with severity ``reject``). Each
finding carries its SQL, so a reader can always see the query behind a number.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import duckdb
from pydantic import BaseModel, ConfigDict

from data_marts.contracts import LIBRARIES, Contract, Link
from data_marts.masking import mask_identifiers, mask_text  # noqa: F401 - mask_identifiers: the checks' public name


class QualityFinding(BaseModel):
    """One set-level check of one table: how many rows it looked at and how many it flags."""

    model_config = ConfigDict(frozen=True)
    library: str
    table: str
    department: str
    rule: str
    column_name: str | None
    rows_checked: int
    rows_failed: int
    severity: str = "warn"
    example: str | None = None
    sql: str


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table(schema: str, table: str) -> str:
    return f"{schema}.{_q(table)}"


def unique_key(contract: Contract, schema: str = "base") -> str:
    """Keys held by more than one row, with the number of copies."""
    keys = ", ".join(_q(k) for k in contract.key)
    return (f"SELECT {keys}, count(*) AS copies FROM {_table(schema, contract.table)} "
            f"GROUP BY {keys} HAVING count(*) > 1")


def link_target(link: Link) -> Contract:
    """The dataset of ``link.library`` that holds ``link.target_column``."""
    for contract in LIBRARIES.get(link.library, []):
        if link.target_column in {c.name for c in contract.columns}:
            return contract
    raise KeyError(f"no dataset of library {link.library!r} has a column {link.target_column!r}")


def links(contract: Contract, link: Link, schema: str = "base") -> str:
    """Rows whose ``link.column`` has no match in the linked table."""
    target = link_target(link)
    keys = ", ".join(f"s.{_q(k)}" for k in contract.key)
    return (f"SELECT {keys}, s.{_q(link.column)} FROM {_table(schema, contract.table)} AS s "
            f"WHERE s.{_q(link.column)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {_table(schema, target.table)} AS t "
            f"WHERE t.{_q(link.target_column)} = s.{_q(link.column)})")


def timeliness(contract: Contract, schema: str = "base") -> str | None:
    """Rows older than the cut-off (bound as the one parameter ``?``); None without a timeliness column."""
    if not contract.timeliness_column or contract.max_age_days is None:
        return None
    keys = ", ".join(_q(k) for k in contract.key)
    column = _q(contract.timeliness_column)
    return (f"SELECT {keys}, {column} FROM {_table(schema, contract.table)} "
            f"WHERE {column} < CAST(? AS TIMESTAMP)")


def _exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?",
                            [schema, table]).fetchall()[0][0])


def _latest_load(con: duckdb.DuckDBPyConnection, contract: Contract) -> tuple[int | None, str | None]:
    if not _exists(con, "meta", "load_log"):
        return None, None
    rows = con.execute("SELECT load_id, vintage FROM meta.load_log WHERE table_name = ? ORDER BY load_id DESC LIMIT 1",
                       [contract.table]).fetchall()
    return (rows[0][0], rows[0][1]) if rows else (None, None)


def default_reference_date(con: duckdb.DuckDBPyConnection, contract: Contract, schema: str = "base") -> date | None:
    """The date timeliness is measured from: the latest load's vintage if it is a date (YYYY-MM-DD),
    else the newest value of the timeliness column (None when the table is empty)."""
    _, vintage = _latest_load(con, contract)
    if vintage:
        try:
            return date.fromisoformat(vintage)
        except ValueError:
            pass
    if not contract.timeliness_column or not _exists(con, schema, contract.table):
        return None
    newest = con.execute(f"SELECT max({_q(contract.timeliness_column)}) FROM {_table(schema, contract.table)}"
                         ).fetchall()[0][0]
    if isinstance(newest, datetime):
        return newest.date()
    return newest


def _describe(contract: Contract, row: tuple, extra: str) -> str:
    kinds = contract.pii_kinds
    pii = [(str(value), kinds[name]) for name, value in zip(contract.key, row) if name in kinds and value is not None]
    return mask_text(f"{', '.join(f'{name}={value}' for name, value in zip(contract.key, row))}: {extra}", pii)


def _offenders(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None,
               order: str = "") -> tuple[int, tuple | None]:
    """Run a check's query once (offending rows are few), then count and pick an example from that."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _offending AS {sql}", params or [])
    try:
        count = con.execute("SELECT count(*) FROM _offending").fetchall()[0][0]
        first = con.execute(f"SELECT * FROM _offending {order} LIMIT 1").fetchall()
    finally:
        con.execute("DROP TABLE IF EXISTS _offending")
    return count, (first[0] if first else None)


def run(con: duckdb.DuckDBPyConnection, contract: Contract, reference_date: date | None = None,
        schema: str = "base") -> list[QualityFinding]:
    """Run every set-level check of ``contract``; zero ``rows_failed`` means the check passes."""
    if not _exists(con, schema, contract.table):
        return []
    table = _table(schema, contract.table)
    total = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    common = dict(library=contract.library, table=contract.table, department=contract.department_zh)
    findings: list[QualityFinding] = []

    sql = unique_key(contract, schema)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _duplicates AS {sql}")
    try:
        failed = con.execute("SELECT coalesce(sum(copies), 0) FROM _duplicates").fetchall()[0][0]
        top = con.execute("SELECT * FROM _duplicates ORDER BY copies DESC LIMIT 1").fetchall()
    finally:
        con.execute("DROP TABLE IF EXISTS _duplicates")
    example = None
    if top:
        row = top[0]
        example = _describe(contract, row, f"{row[-1]} 行同键 / {row[-1]} rows share this key")
    findings.append(QualityFinding(**common, rule="unique", column_name=",".join(contract.key), rows_checked=total,
                                   rows_failed=int(failed), example=example, sql=sql))

    for link in contract.links:
        target = link_target(link)
        checked = con.execute(f"SELECT count({_q(link.column)}) FROM {table}").fetchall()[0][0]
        sql = links(contract, link, schema)
        if not _exists(con, schema, target.table):
            findings.append(QualityFinding(**common, rule="links", column_name=link.column, rows_checked=checked,
                                           rows_failed=checked, sql=sql,
                                           example=f"{schema}.{target.table} 尚未载入 / {schema}.{target.table} "
                                                   "is not loaded"))
            continue
        failed, row = _offenders(con, sql)
        example = None
        if failed:
            example = _describe(contract, row, f"{link.column}「{row[-1]}」在 {schema}.{target.table} 中找不到 / "
                                               f"{link.column} {row[-1]!r} is not in {schema}.{target.table}")
        findings.append(QualityFinding(**common, rule="links", column_name=link.column, rows_checked=checked,
                                       rows_failed=failed, example=example, sql=sql))

    sql = timeliness(contract, schema)
    if sql is not None:
        reference = reference_date if reference_date is not None else default_reference_date(con, contract, schema)
        if reference is not None:
            cutoff = datetime.combine(reference - timedelta(days=contract.max_age_days), datetime.min.time())
            failed, row = _offenders(con, sql, [cutoff])
            example = None
            if failed:
                example = _describe(contract, row, f"{contract.timeliness_column} {row[-1]} 早于 {cutoff.date()}"
                                                   f"（参考日 {reference} 前 {contract.max_age_days} 天） / older than "
                                                   f"{cutoff.date()} ({contract.max_age_days} days before {reference})")
            findings.append(QualityFinding(**common, rule="timeliness", column_name=contract.timeliness_column,
                                           rows_checked=total, rows_failed=failed, example=example,
                                           sql=sql.replace("?", f"TIMESTAMP '{cutoff}'")))
    return findings


def record(con: duckdb.DuckDBPyConnection, contract: Contract, reference_date: date | None = None,
           schema: str = "base") -> list[QualityFinding]:
    """``run`` and append the findings to ``meta.quality`` (load_id = the table's latest load)."""
    findings = run(con, contract, reference_date, schema)
    if not findings:
        return findings
    con.execute("CREATE SCHEMA IF NOT EXISTS meta")
    from data_marts.staging import QUALITY_DDL

    con.execute(QUALITY_DDL)
    load_id, _ = _latest_load(con, contract)
    now = datetime.now().replace(microsecond=0)
    con.executemany("INSERT INTO meta.quality VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        [load_id, f.library, f.table, f.department, f.rule, f.column_name, f.rows_checked, f.rows_failed,
         f.severity, f.example, now] for f in findings])
    return findings
