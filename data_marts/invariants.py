"""What every published mart must satisfy, checked by each build before it is swapped in:
its grain is unique, no person count under k is visible or recoverable from what is visible (a derived
mart's ``verify``: the disclosure audit), and nothing identifies a person or entity."""

from __future__ import annotations

import duckdb

from data_marts.contracts import CONTRACTS
from data_marts.derived import DerivedMart, reader
from data_marts.mart_files import MartFile

# Columns that identify a person, an entity or a dwelling never appear in a mart, whatever their name.
IDENTIFYING_COLUMNS = frozenset(
    {c.name for contract in CONTRACTS.values() for c in contract.columns if c.pii}
    | {"id_number", "credit_code", "name", "legal_rep", "housing_id"}
)
# Values shaped like a citizen ID number (18 or 15 digits) or a unified social credit code.
IDENTIFYING_PATTERNS = {
    "citizen ID number": r"^\d{17}[\dXx]$|^\d{15}$",
    "unified social credit code": r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$",
}


def violations(con: duckdb.DuckDBPyConnection, mart: MartFile, k_min: int) -> list[str]:
    found: list[str] = []
    columns = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'mart' AND table_name = ? ORDER BY ordinal_position",
        [mart.name],
    ).fetchall()
    names = [c for c, _ in columns]
    missing = [g for g in mart.grain if g not in names]
    if missing:
        found.append(f"mart.{mart.name}: grain column(s) {', '.join(missing)} not in the result")
    else:
        grain = ", ".join(mart.grain)
        dupes = con.execute(
            f"SELECT count(*) FROM (SELECT {grain} FROM mart.{mart.name} GROUP BY ALL HAVING count(*) > 1)"
        ).fetchall()[0][0]
        if dupes:
            found.append(f"mart.{mart.name}: {dupes} grain value(s) ({grain}) occur more than once")
    for column in mart.k_columns:
        if column not in names:
            found.append(f"mart.{mart.name}: k column {column} not in the result")
            continue
        small = con.execute(
            f"SELECT count(*) FROM mart.{mart.name} WHERE {column} IS NOT NULL AND {column} < ?", [k_min]
        ).fetchall()[0][0]
        if small:
            found.append(f"mart.{mart.name}: {small} value(s) of {column} under k={k_min} are visible")
    for column, data_type in columns:
        if data_type == "HUGEINT" or data_type.startswith("DECIMAL"):
            found.append(f"mart.{mart.name}: column {column} is {data_type}; cast counts to BIGINT, measures to DOUBLE")
        if column in IDENTIFYING_COLUMNS:
            found.append(f"mart.{mart.name}: column {column} identifies a person or entity")
        if data_type == "VARCHAR":
            for what, pattern in IDENTIFYING_PATTERNS.items():
                hits = con.execute(
                    f'SELECT count(*) FROM mart.{mart.name} WHERE regexp_matches("{column}", ?)', [pattern]
                ).fetchall()[0][0]
                if hits:
                    found.append(f"mart.{mart.name}: column {column} holds {hits} value(s) shaped like a {what}")
    return found


def assert_marts(con: duckdb.DuckDBPyConnection, marts: list[MartFile | DerivedMart], k_min: int) -> None:
    """Raise ``BuildError`` unless every published mart passes ``violations`` and every derived mart's own
    ``verify`` (the disclosure audit among them: docs/disclosure.md) finds nothing."""
    from data_marts.build import BuildError

    problems = [p for mart in marts if mart.materialize == "table" for p in violations(con, mart, k_min)]
    problems += [p for mart in marts if isinstance(mart, DerivedMart) and mart.verify
                 for p in mart.verify(reader(con))]
    if problems:
        raise BuildError("mart invariants failed: " + "; ".join(problems))
