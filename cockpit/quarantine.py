"""Rejected rows (``quarantine.*`` in the warehouse) as an analyst may see them: masked, in the user's
region scope, and one record at a time unmasked for an admin who states why (audited).

A record's id is ``<table>:<load_id>:<record>``. Its region is the first contract column with a
``region_code`` rule, read from the original row; a row whose region code is missing or broken is
shown only to users whose scope covers the home region (it cannot be placed lower, so it is not shown
lower). Person-level values are masked per ``Column.pii_kind`` (``data_marts.masking``); a header the
contract does not know is masked too (docs/audit.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import PurePath

import polars as pl

from cockpit import audit, query, warehouse
from data_marts import masking, regions
from data_marts.contracts import CONTRACTS, Contract

MIN_REASON = 8  # characters: "核对校验位" is not a reason, "核对身份证号校验位错误" is
LIMIT = 2000
COLUMNS = ("id", "department", "table", "file", "row", "column", "rule", "reason", "values")


class UnmaskRefused(PermissionError):
    """Not an admin, no stated reason, or no such record."""


def region_column(contract: Contract) -> str | None:
    return next((c.name for c in contract.columns if any(r.kind == "region_code" for r in c.rules)), None)


def _kinds(contract: Contract) -> dict[str, str | None]:
    """Every header the contract knows -> its PII kind (None: not personal)."""
    return {header: (column.pii_kind if column.pii else None) for column in contract.columns
            for header in column.headers}


def _region_sql(contract: Contract) -> tuple[str, list[str]]:
    column = region_column(contract)
    if column is None:
        return "NULL", []
    headers = contract.column(column).headers
    return (f"coalesce({', '.join('json_extract_string(raw, ?)' for _ in headers)})",
            [f'$."{h}"' for h in headers])


def scope_of(user) -> query.Scope | None:
    """The rows a user may see: an admin everything, anyone else their region and below; None (nothing)
    for no user or an unknown region."""
    if user is None:
        return None
    if user.has("admin"):
        return query.Scope.everything()
    try:
        return query.Scope.of(user.region)
    except KeyError:
        return None


def _scope_sql(scope: query.Scope) -> tuple[str, list[str]]:
    """A condition on ``_region`` (the row's region code) for ``scope``, with its parameters."""
    if query.ALL in scope.prefixes:
        return "TRUE", []
    placed = " OR ".join("starts_with(_region, ?)" for _ in scope.prefixes)
    # A row that names no valid county cannot be placed below the home region: only the home region's users see it.
    unplaced = "TRUE" if scope.allows(regions.PROVINCE) else "FALSE"
    return (f"(CASE WHEN regexp_full_match(coalesce(_region, ''), '\\d{{6}}') THEN ({placed}) ELSE {unplaced} END)",
            sorted(scope.prefixes))


def _read(contract: Contract, scope: query.Scope, where: str = "TRUE", params: list | None = None,
          limit: int = LIMIT) -> pl.DataFrame:
    region, region_params = _region_sql(contract)
    condition, scope_params = _scope_sql(scope)
    sql = (f"SELECT * FROM (SELECT *, {region} AS _region FROM quarantine.{contract.table}) "
           f"WHERE ({where}) AND {condition} ORDER BY load_id, record, rule LIMIT {int(limit)}")
    return warehouse.query(sql, [*region_params, *(params or []), *scope_params])


def _shown(contract: Contract, frame: pl.DataFrame) -> pl.DataFrame:
    """The rows as anyone but an unmasking admin sees them."""
    kinds = _kinds(contract)
    out = []
    for row in frame.iter_rows(named=True):
        raw = json.loads(row["raw"]) if row["raw"] else {}
        personal = [(str(v), kinds.get(h) or "text") for h, v in raw.items()
                    if v not in (None, "") and (kinds.get(h) or (h not in kinds and len(str(v)) >= 2))]
        values = masking.mask_row(raw, kinds)
        out.append({"id": f"{contract.table}:{row['load_id']}:{row['record']}", "department": contract.department_zh,
                    "table": contract.table, "file": PurePath(row["source_file"]).name, "row": row["row_number"],
                    "column": row["source_column"] or row["column_name"], "rule": row["rule"],
                    "reason": masking.mask_text(row["reason"], personal),
                    "values": "; ".join(f"{h}={'' if v is None else v}" for h, v in values.items()),
                    "region_code": row["_region"]})
    return pl.DataFrame(out, schema={**{c: pl.String for c in COLUMNS}, "row": pl.Int64, "region_code": pl.String})


def listing(scope: query.Scope | None, *, file: str | None = None, department: str | None = None,
            limit: int = LIMIT) -> pl.DataFrame:
    """Rejected rows in ``scope`` (None: none), masked, newest loads last; ``file`` matches part of the
    file name, ``department`` the contract's department (Chinese or English name)."""
    frames = []
    if scope is None:
        return _shown(CONTRACTS["population"], pl.DataFrame())
    for contract in CONTRACTS.values():
        if department and department not in (contract.department_zh, contract.department_en):
            continue
        where, params = ("contains(source_file, ?)", [file]) if file else ("TRUE", [])
        frames.append(_shown(contract, _read(contract, scope, where, params, limit)))
    rows = pl.concat(frames).head(limit)
    # Person-level rows, masked or not: who listed which, in which scope, is recorded like a panel's read.
    audit.record("query", panel="quarantine", scope=",".join(sorted(scope.prefixes)) or "*", file=file or "",
                 department=department or "", rows=rows.height)
    return rows


def files(scope: query.Scope | None) -> list[str]:
    """The names of the files that have rejected rows in ``scope`` (for the page's filter)."""
    if scope is None:
        return []
    found: set[str] = set()
    for contract in CONTRACTS.values():
        region, region_params = _region_sql(contract)
        condition, scope_params = _scope_sql(scope)
        names = warehouse.query(f"SELECT DISTINCT source_file FROM (SELECT source_file, {region} AS _region "
                                f"FROM quarantine.{contract.table}) WHERE {condition}", [*region_params, *scope_params])
        found |= {PurePath(f).name for f in names["source_file"]}
    return sorted(found)


@dataclass(frozen=True)
class Unmasked:
    id: str
    file: str
    row: int
    values: dict[str, object]


def unmask(record_id: str, reason: str, user) -> Unmasked:
    """One rejected record whole, for an admin who states why; recorded (``unmask``) before it is shown."""
    if user is None or not user.has("admin"):
        audit.record("denied", what="unmask", record=record_id)
        raise UnmaskRefused("only an admin may unmask a record")
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise UnmaskRefused(f"state why you need this record unmasked (at least {MIN_REASON} characters)")
    table, _, rest = record_id.partition(":")
    load_id, _, number = rest.partition(":")
    if table not in CONTRACTS or not load_id.isdigit() or not number.isdigit():
        raise UnmaskRefused(f"no rejected record {record_id!r} (ids look like population:3:17)")
    found = warehouse.query(f"SELECT source_file, row_number, raw FROM quarantine.{table} "
                            "WHERE load_id = ? AND record = ? LIMIT 1", [int(load_id), int(number)])
    if found.is_empty():
        raise UnmaskRefused(f"no rejected record {record_id!r}")
    file, row = PurePath(found["source_file"][0]).name, found["row_number"][0]
    audit.record("unmask", user=user.id, role=user.role, region=user.region, record=record_id, reason=reason,
                 file=file, row=row)
    return Unmasked(record_id, file, row, json.loads(found["raw"][0] or "{}"))
