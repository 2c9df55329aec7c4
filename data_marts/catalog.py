"""The warehouse's own description, written by every build: ``meta.catalog`` (tables),
``meta.catalog_columns``, ``meta.lineage`` (department → base table → mart, column-level where the
SQL allows), ``meta.settings`` and ``meta.build_log``."""

from __future__ import annotations

import duckdb
import polars as pl

from data_marts import glossary, reference_tables
from data_marts.contracts import CONTRACTS
from data_marts.derived import DerivedMart
from data_marts.mart_files import MartFile

BUILD_LOG_DDL = """
CREATE TABLE IF NOT EXISTS meta.build_log (
    build_id VARCHAR, started_at TIMESTAMP, finished_at TIMESTAMP, seconds DOUBLE, status VARCHAR,
    k_min INTEGER, tables JSON, step_seconds JSON
)"""

_SYSTEM_TABLES = {
    ("meta", "load_log"): ("入库日志：每个文件读入、入库、隔离行数", "Load log: rows read, loaded and quarantined per file"),
    ("meta", "quality"): ("数据质量：每次入库、每个部门、每条规则的检查结果", "Quality results per load, department and rule"),
    ("meta", "catalog"): ("数据目录：表", "Catalog: tables"),
    ("meta", "catalog_columns"): ("数据目录：字段", "Catalog: columns"),
    ("meta", "lineage"): ("血缘：部门 → 基础库 → 专题库", "Lineage: department → base table → mart"),
    ("meta", "settings"): ("构建参数", "Build settings"),
    ("meta", "build_log"): ("构建日志", "Build log"),
}


def _tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int]]:
    return con.execute(
        "SELECT schema_name, table_name, estimated_size FROM duckdb_tables() "
        "WHERE database_name = current_database() AND NOT temporary ORDER BY ALL"
    ).fetchall()


def _columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_catalog = current_database() AND table_schema = ? AND table_name = ? ORDER BY ordinal_position",
        [schema, table],
    ).fetchall()


def _frame(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    frame = pl.DataFrame(rows, infer_schema_length=None)
    con.register("_rows", frame.to_arrow())
    con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM _rows")
    con.unregister("_rows")


def write(con: duckdb.DuckDBPyConnection, marts: list[MartFile | DerivedMart]) -> None:
    by_name = {m.name: m for m in marts if m.materialize == "table"}
    tables, columns = [], []
    for schema, table, _ in _tables(con):
        row = {"schema_name": schema, "table_name": table, "zh": None, "en": None, "owner": None,
               "update_cycle": None, "sharing_class": None, "grain": None, "source": None}
        if schema in ("base", "quarantine") and table in CONTRACTS:
            contract = CONTRACTS[table]
            row.update(zh=contract.zh if schema == "base" else f"{contract.zh}（隔离区）",
                       en=contract.en if schema == "base" else f"{contract.en} (quarantine)",
                       owner=contract.department_zh, update_cycle=contract.update_cycle,
                       sharing_class=contract.sharing_class if schema == "base" else "不予共享",
                       grain=", ".join(contract.key) if schema == "base" else "load_id, row_number, rule",
                       source=contract.department_zh)
        elif schema == "mart" and table in by_name:
            mart = by_name[table]
            row.update(zh=mart.zh, en=mart.en, owner=mart.owner, update_cycle="随构建", sharing_class=mart.sharing,
                       grain=", ".join(mart.grain), source=_source(mart))
        elif schema == "mart" and table in reference_tables.META:
            meta = reference_tables.META[table]
            row.update(zh=meta["zh"], en=meta["en"], owner="省大数据局", update_cycle="随构建",
                       sharing_class="无条件共享", grain=", ".join(meta["grain"]), source=meta["source"])
        elif (schema, table) in _SYSTEM_TABLES:
            zh, en = _SYSTEM_TABLES[(schema, table)]
            row.update(zh=zh, en=en, owner="省大数据局", update_cycle="随构建", sharing_class="有条件共享")
        row["row_count"] = con.execute(f'SELECT count(*) FROM {schema}."{table}"').fetchall()[0][0]
        tables.append(row)
        for column, data_type in _columns(con, schema, table):
            zh = en = None
            pii = False
            if schema == "base" and table in CONTRACTS and column in {c.name for c in CONTRACTS[table].columns}:
                declared = CONTRACTS[table].column(column)
                zh, en, pii = declared.zh, declared.en, declared.pii
            elif schema == "mart":
                described = glossary.describe(column)
                zh, en = described if described else (None, None)
            columns.append({"schema_name": schema, "table_name": table, "column_name": column,
                            "data_type": data_type, "zh": zh, "en": en, "pii": pii})
    _frame(con, "meta.catalog", tables)
    _frame(con, "meta.catalog_columns", columns)
    _frame(con, "meta.lineage", lineage_edges(con, marts))


def _source(mart) -> str:
    """Where a mart is defined: its SQL file, or the Python module of a derived mart."""
    return mart.source if isinstance(mart, DerivedMart) else str(mart.path.relative_to(mart.path.parents[2]))


def lineage_edges(con: duckdb.DuckDBPyConnection, marts: list[MartFile | DerivedMart]) -> list[dict]:
    """Edges department → base table, source → reference mart, and table.column → mart.column."""
    edge = lambda sk, s, sc, tk, t, tc: {  # noqa: E731
        "source_kind": sk, "source": s, "source_column": sc, "target_kind": tk, "target": t, "target_column": tc}
    edges = [edge("department", c.department_zh, None, "base", f"base.{c.table}", None) for c in CONTRACTS.values()]
    edges += [edge("file", meta["source"], None, "mart", f"mart.{name}", None)
              for name, meta in reference_tables.META.items()]
    schema: dict[str, dict[str, dict[str, str]]] = {}
    for mart in marts:
        for source in mart.sources:
            db, table = source.split(".", 1)
            if table not in schema.get(db, {}):
                cols = _columns(con, "main" if db == "temp" else db, table) if db != "temp" else con.execute(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_catalog = 'temp' AND table_name = ? ORDER BY ordinal_position", [table]).fetchall()
                schema.setdefault(db, {})[table] = {c: t for c, t in cols}
        kind = "helper" if mart.materialize == "temp" else "mart"
        for source in mart.sources:
            edges.append(edge(source.split(".", 1)[0], source, None, kind, mart.target, None))
        if isinstance(mart, DerivedMart):
            continue  # computed in Python: table-level lineage only
        for column, source, source_column in mart.column_lineage(schema):
            edges.append(edge(source.split(".", 1)[0], source, source_column, kind, mart.target, column))
    return edges


def write_quality(con: duckdb.DuckDBPyConnection) -> None:
    """Append the set-level checks (links, timeliness, uniqueness) of every base table to meta.quality."""
    from data_marts.checks import dataset

    for contract in CONTRACTS.values():
        dataset.record(con, contract)


def write_settings(con: duckdb.DuckDBPyConnection, settings: dict[str, str]) -> None:
    _frame(con, "meta.settings", [{"key": k, "value": str(v)} for k, v in sorted(settings.items())])
