"""A table set to protect: cells with true values and the linear relations between them.

A cell is a count a mart publishes (``published``) or a count no mart shows but that an attacker can
reason with (a latent cell: a single year of age inside a published age group, moves inside a region).
A relation says ``sum(coef * value) = 0`` over its cells; together with ``value >= 0`` the relations are
what someone who reads every published table knows besides the visible values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy import sparse


class DisclosureError(ValueError):
    """The cells or relations are not what they claim (a relation does not hold, a cell is unknown)."""


@dataclass(frozen=True)
class Problem:
    keys: pl.DataFrame  # one row per cell: the key columns, in the cells' order
    values: np.ndarray  # int64, >= 0
    published: np.ndarray  # bool: False for a latent cell
    matrix: sparse.csr_array  # relations x cells, integer coefficients
    relations: tuple[str, ...]  # relation ids, in the matrix's row order

    @classmethod
    def from_frames(cls, cells: pl.DataFrame, relations: pl.DataFrame, key: list[str] | tuple[str, ...]) -> Problem:
        """``cells``: key columns, ``value``, ``published``; ``relations``: ``relation``, key columns, ``coef``.

        Raises ``DisclosureError`` when a key repeats, a relation names a cell that does not exist, a value
        is negative or missing, or a relation does not hold exactly on the values: a relation that is not
        true would make the audit protect against the wrong attacker.
        """
        key = list(key)
        cells = cells.select(*key, "value", "published").with_row_index("_cell")
        if cells.select(key).is_duplicated().any():
            raise DisclosureError(f"cells repeat a key: {cells.filter(cells.select(key).is_duplicated()).head(3).rows()}")
        if cells["value"].null_count() or (cells["value"] < 0).any():
            raise DisclosureError("cell values must be counts: none missing, none negative")
        entries = relations.select("relation", *key, "coef").join(cells.select(*key, "_cell"), on=key, how="left",
                                                                   nulls_equal=True)
        unknown = entries.filter(pl.col("_cell").is_null())
        if unknown.height:
            raise DisclosureError(f"{unknown.height} relation entries name no cell, e.g. {unknown.head(3).rows()}")
        entries = entries.with_columns((pl.col("relation").rank("dense") - 1).alias("_row"))
        names = entries["relation"].unique().sort()
        matrix = sparse.csr_array(
            (entries["coef"].to_numpy().astype(np.int64), (entries["_row"].to_numpy(), entries["_cell"].to_numpy())),
            shape=(names.len(), cells.height))
        problem = cls(cells.select(key), cells["value"].to_numpy().astype(np.int64),
                      cells["published"].to_numpy().astype(bool), matrix, tuple(names.to_list()))
        problem.check()
        return problem

    @property
    def size(self) -> int:
        return len(self.values)

    def check(self) -> None:
        residual = self.matrix @ self.values
        broken = np.flatnonzero(residual)
        if broken.size:
            examples = ", ".join(f"{self.relations[r]} (off by {residual[r]})" for r in broken[:3])
            raise DisclosureError(f"{broken.size} relation(s) do not hold on the data, e.g. {examples}")

    def cells_of(self, relation: int) -> np.ndarray:
        """Cell indices of one relation."""
        return self.matrix.indices[self.matrix.indptr[relation]:self.matrix.indptr[relation + 1]]
