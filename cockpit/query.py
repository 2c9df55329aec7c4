"""The one scoped query layer: every panel read goes through ``run`` (security lives here).

A panel's SQL may read marts only. Before it runs, every ``mart.<table>`` it names is replaced by a
subquery filtered to the user's region scope (a set of GB/T 2260 prefixes), so a panel cannot read a
region outside its scope however it writes its SQL; ``base``, ``quarantine`` and ``meta`` are refused.
Values come in as bound parameters, never formatted into the SQL. Results are cached per warehouse
generation, so a rebuilt warehouse is picked up without restarting the server.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache

import polars as pl
import sqlglot
import streamlit as st
from sqlglot import exp

from cockpit import audit, warehouse
from data_marts import regions

ALL = ""  # the prefix that matches every region code


class ScopeError(PermissionError):
    """A panel asked for something outside what it may read."""


@dataclass(frozen=True)
class Scope:
    """Region-code prefixes a user may see: {""} = everything, {"5205"} = 毕节市 and its counties."""

    prefixes: frozenset[str]

    @classmethod
    def everything(cls) -> "Scope":
        return cls(frozenset({ALL}))

    @classmethod
    def of(cls, *codes: str) -> "Scope":
        """The scope of a leader of these regions: each region and everything below it."""
        return cls(frozenset(prefix(code) for code in codes))

    def allows(self, code: str) -> bool:
        return any(code.startswith(p) for p in self.prefixes)


def prefix(code: str) -> str:
    """The prefix shared by a region and everything below it (13 / 1309 / 130921)."""
    level = regions.by_code()[code].level
    return code[:2] if level == "province" else code[:4] if level == "prefecture" else code


# Which column of a mart carries its region; reference marts without one are not filtered.
_REGION_COLUMN = {"regions": "code", "region_shapes": "code", "region_ancestors": "code",
                  "crops": None, "indicators": None}


def _condition(column: str, scope: Scope) -> exp.Expression:
    if ALL in scope.prefixes:
        return exp.true()
    for p in scope.prefixes:
        if not re.fullmatch(r"\d{2,6}", p):
            raise ScopeError(f"invalid region prefix {p!r} in scope")
    return sqlglot.parse_one(
        " OR ".join(f"starts_with({column}, '{p}')" for p in sorted(scope.prefixes)), dialect="duckdb"
    )


@lru_cache(maxsize=256)
def scoped_sql(sql: str, scope: Scope) -> str:
    """``sql`` with every mart replaced by its in-scope rows; raises ScopeError for anything else."""
    tree = sqlglot.parse_one(sql, dialect="duckdb")
    if not isinstance(tree, (exp.Select, exp.Union, exp.Except, exp.Intersect)):
        raise ScopeError("panels may only run SELECT queries")
    if any(isinstance(node, (exp.Insert, exp.Update, exp.Delete, exp.Create, exp.Drop, exp.Command, exp.Copy))
           for node in tree.walk()):
        raise ScopeError("panels may only run SELECT queries")
    ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    for table in list(tree.find_all(exp.Table)):
        if not isinstance(table.this, exp.Identifier):
            if isinstance(table.this, (exp.GenerateSeries, exp.Unnest)):
                continue  # range(2015, 2025) and friends read no data
            raise ScopeError(f"panels may not call table functions such as {table.this.sql('duckdb')[:40]}")
        if not table.db:
            if table.name in ctes:
                continue
            raise ScopeError(f"qualify {table.name!r} as mart.{table.name}: panels read marts only")
        if table.db != "mart" or table.catalog:
            raise ScopeError(f"panels read marts only, not {table.db}.{table.name}")
        column = _REGION_COLUMN.get(table.name, "region_code")
        inner = exp.select("*").from_(exp.table_(table.name, db="mart"))
        if column:
            inner = inner.where(_condition(column, scope))
        table.replace(exp.Subquery(this=inner, alias=exp.TableAlias(this=exp.to_identifier(table.alias_or_name))))
    return tree.sql(dialect="duckdb")


@st.cache_data(max_entries=1024, show_spinner=False)
def _cached(generation: tuple[str, int, int], sql: str, params: tuple) -> pl.DataFrame:
    return warehouse.query(sql, list(params))


def fingerprint(rewritten: str, params: tuple) -> str:
    """What the audit log records of a read: SHA-256 of the rewritten (scoped) SQL and its parameters."""
    return hashlib.sha256(json.dumps([rewritten, list(params)], ensure_ascii=False, default=str).encode()).hexdigest()


def run(sql: str, params: list | tuple | None = None, scope: Scope | None = None, *,
        panel: str | None = None) -> pl.DataFrame:
    """Run a panel's read in ``scope`` with bound parameters; cached per warehouse generation. Every read
    is audited, a cached one too: what a user was shown must be provable, not only what was computed."""
    scope = scope or Scope.everything()
    rewritten = scoped_sql(sql, scope)
    values = tuple(params or ())
    result = _cached(warehouse.generation(), rewritten, values)
    audit.record("query", panel=panel, scope=",".join(sorted(scope.prefixes)) or "*",
                 sql_hash=fingerprint(rewritten, values), rows=result.height)
    return result
