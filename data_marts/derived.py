"""Derived marts: marts computed in Python (forecasts, projections) rather than by one SQL file.

``data_marts`` knows nothing of ``models``: the command line hands the build a list of these, and
the build runs each after the SQL marts, inside the same new warehouse file, so they are published
by the same atomic rename and pass the same invariants (unique grain, no count under k, nothing
identifying) and appear in ``meta.catalog`` and ``meta.lineage`` like any other mart.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
from pydantic import ConfigDict

from data_marts.mart_files import MartMeta

# ``read(sql, params)``: run a SELECT against the warehouse being built and return a frame.
Reader = Callable[[str, list | None], pl.DataFrame]


class DerivedMart(MartMeta):
    """One mart computed by ``compute(read) -> frame`` at build time.

    ``reads`` names the qualified tables ``compute`` reads (``mart.economy_indicators``): they become
    the mart's lineage edges, and the build runs it only after they exist.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    reads: tuple[str, ...]
    source: str  # where the code lives, for the catalog (e.g. ``cockpit/batch/forecasts.py``)
    compute: Callable[[Reader], pl.DataFrame]

    @property
    def target(self) -> str:
        return f"mart.{self.name}"

    @property
    def sources(self) -> tuple[str, ...]:
        return self.reads
