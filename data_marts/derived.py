"""Derived marts: marts computed in Python (forecasts, projections, disclosure control) rather than by
one SQL file.

``data_marts`` knows nothing of ``models``: the command line hands the build a list of these (and
``data_marts`` declares its own, ``builtin()``). The build runs each in the same dependency order as the
SQL marts — after the tables it ``reads``, before the marts that read it — inside the same new warehouse
file, so they are published by the same atomic rename and pass the same invariants (unique grain, no
count under k, nothing identifying) and appear in ``meta.catalog`` and ``meta.lineage`` like any other
mart. With ``materialize="temp"`` a derived mart is a build-time helper (``temp.<name>``), never published.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import polars as pl
from pydantic import ConfigDict

from data_marts.mart_files import MartMeta

# ``read(sql, params)``: run a SELECT against the warehouse being built and return a frame.
Reader = Callable[[str, list | None], pl.DataFrame]


def reader(con: duckdb.DuckDBPyConnection) -> Reader:
    """The ``read`` a derived mart's ``compute`` and ``verify`` get for the warehouse being built."""
    def read(sql: str, params: list | None = None) -> pl.DataFrame:
        return pl.from_arrow(con.sql(sql, params=params or None).to_arrow_table())

    return read


class DerivedMart(MartMeta):
    """One mart computed by ``compute(read) -> frame`` at build time.

    ``reads`` names the qualified tables ``compute`` reads (``mart.economy_indicators``): they become
    the mart's lineage edges, and the build runs it only after they exist.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    reads: tuple[str, ...]
    source: str  # where the code lives, for the catalog (e.g. ``cockpit/batch/forecasts.py``)
    compute: Callable[[Reader], pl.DataFrame]
    # A check of the warehouse being built, run with the invariants before it is published: the
    # problems it finds (none = pass) make the build fail and keep the previous warehouse.
    verify: Callable[[Reader], list[str]] | None = None

    @property
    def target(self) -> str:
        return f"{'temp' if self.materialize == 'temp' else 'mart'}.{self.name}"

    @property
    def sources(self) -> tuple[str, ...]:
        return self.reads

    @property
    def depends_on(self) -> tuple[str, ...]:
        """Targets of other marts this one reads (``mart.x`` or ``temp.x``)."""
        return tuple(s for s in self.reads if s.split(".", 1)[0] in ("mart", "temp"))


def builtin() -> list[DerivedMart]:
    """The derived marts ``data_marts`` itself declares, which every build runs."""
    from data_marts.disclosure import step

    return [step.MART]
