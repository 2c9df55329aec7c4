"""Mart definitions: one plain DuckDB ``SELECT`` per ``.sql`` file under ``data_marts/marts/<theme>/``.

Each file starts with a metadata header of ``-- key: value`` comment lines::

    -- name: population_structure
    -- theme: population
    -- grain: region_code, year, sex, age_group
    -- zh: 分地区、年份、性别、五岁年龄组的年末常住人口
    -- en: Year-end residents by region, year, sex and five-year age group
    -- sharing: 有条件共享
    -- owner: 省大数据局
    -- k_columns: persons          (person counts that are suppressed under k)
    -- materialize: temp           (optional: a build-time helper table ``temp.<name>`` that is
                                    not published; person-level helpers stay out of ``mart``)

Dependencies and column lineage are parsed from the SQL with sqlglot, never kept by hand.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

import sqlglot
from pydantic import BaseModel, ConfigDict
from sqlglot import exp
from sqlglot.lineage import lineage

from data_marts.paths import MARTS_DIR

REQUIRED_KEYS = ("name", "theme", "grain", "zh", "en", "sharing", "owner")
_HEADER = re.compile(r"^--\s*([a-z_]+):\s*(.*?)\s*$")


class MartMeta(BaseModel):
    """What every mart declares, whether a SQL file or computed in Python (``derived.DerivedMart``)."""

    model_config = ConfigDict(frozen=True)
    name: str
    theme: str
    grain: tuple[str, ...]
    zh: str
    en: str
    sharing: str
    owner: str
    k_columns: tuple[str, ...] = ()
    materialize: str = "table"


class MartFile(MartMeta):
    model_config = ConfigDict(frozen=True, ignored_types=(cached_property,))
    path: Path
    sql: str

    @property
    def target(self) -> str:
        """Where the build puts the result: ``mart.<name>``, or ``temp.<name>`` for helpers."""
        return f"{'temp' if self.materialize == 'temp' else 'mart'}.{self.name}"

    @cached_property
    def tree(self) -> exp.Expression:
        return sqlglot.parse_one(self.sql, dialect="duckdb")

    @cached_property
    def sources(self) -> tuple[str, ...]:
        """Qualified tables the mart reads (``base.population``, ``mart.regions``).

        Marts always qualify the tables they read, so an unqualified name is a CTE or a
        table function and is not a dependency.
        """
        found = {f"{table.db}.{table.name}" for table in self.tree.find_all(exp.Table) if table.db}
        return tuple(sorted(found))

    @property
    def depends_on(self) -> tuple[str, ...]:
        """Targets of other mart files this one reads (``mart.x`` or ``temp.x``)."""
        return tuple(s for s in self.sources if s.split(".", 1)[0] in ("mart", "temp"))

    def column_lineage(self, schema: dict) -> list[tuple[str, str, str]]:
        """(output column, source table, source column) for every output column of the mart.

        ``schema`` is ``{db: {table: {column: type}}}`` for the tables the mart reads.
        """
        edges: set[tuple[str, str, str]] = set()
        for column in self.tree.named_selects:
            node = lineage(column, self.tree, schema=schema, dialect="duckdb")
            for leaf in node.walk():
                if isinstance(leaf.expression, exp.Table):
                    table = f"{leaf.expression.db}.{leaf.expression.name}"
                    edges.add((column, table, leaf.name.split(".")[-1]))
        return sorted(edges)


def parse(path: Path) -> MartFile:
    """Read one mart file; raises ``ValueError`` naming the file and the missing or bad header key."""
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    for line in text.splitlines():
        match = _HEADER.match(line)
        if not match:
            break
        meta[match.group(1)] = match.group(2)
    missing = [key for key in REQUIRED_KEYS if not meta.get(key)]
    if missing:
        raise ValueError(f"{path}: header is missing {', '.join(missing)}")
    if meta.get("materialize", "table") not in ("table", "temp"):
        raise ValueError(f"{path}: materialize must be 'table' or 'temp'")
    if meta["name"] != path.stem:
        raise ValueError(f"{path}: header name {meta['name']!r} differs from the file name")
    split = lambda value: tuple(v.strip() for v in value.split(",") if v.strip())  # noqa: E731
    return MartFile(
        path=path, name=meta["name"], theme=meta["theme"], grain=split(meta["grain"]), zh=meta["zh"],
        en=meta["en"], sharing=meta["sharing"], owner=meta["owner"],
        k_columns=split(meta.get("k_columns", "")), materialize=meta.get("materialize", "table"),
        sql=text.strip().rstrip(";"),
    )


def discover(folder: Path = MARTS_DIR) -> list[MartFile]:
    """Every mart under ``folder``, in an order where each comes after the marts it reads."""
    return in_order([parse(p) for p in sorted(folder.glob("*/*.sql"))])


def in_order(marts: list) -> list:
    """``marts`` (SQL files and derived marts alike: anything with ``target`` and ``depends_on``) in an
    order where each comes after the marts it reads."""
    order, placed = [], set()
    targets = {m.target for m in marts}
    if len(targets) < len(marts):
        raise ValueError("two marts have the same target")
    waiting = list(marts)
    while waiting:  # stable: of the marts whose inputs exist, the first given goes first
        ready = next((m for m in waiting if all(d in placed or d not in targets for d in m.depends_on)), None)
        if ready is None:
            raise ValueError(f"marts read each other in a cycle: {', '.join(m.target for m in waiting)}")
        order.append(ready)
        placed.add(ready.target)
        waiting.remove(ready)
    return order
