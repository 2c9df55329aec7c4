"""Small hand-made tables for the disclosure engine's tests."""

from __future__ import annotations

import polars as pl

from data_marts.disclosure import Problem


def problem(values: dict[str, int], relations: dict[str, dict[str, int]], latent: tuple[str, ...] = ()) -> Problem:
    """Cells named by strings; ``relations``: {name: {cell: coef}} with sum(coef * value) = 0."""
    cells = pl.DataFrame({"cell": list(values), "value": list(values.values()),
                          "published": [c not in latent for c in values]})
    rows = [(name, cell, coef) for name, terms in relations.items() for cell, coef in terms.items()]
    frame = pl.DataFrame(rows, schema=["relation", "cell", "coef"], orient="row")
    return Problem.from_frames(cells, frame, ["cell"])


def table(rows: list[list[int]]) -> Problem:
    """A two-way table with row, column and grand totals: cells x<i><j>, r<i>, c<j>, t."""
    values = {f"x{i}{j}": v for i, row in enumerate(rows) for j, v in enumerate(row)}
    values |= {f"r{i}": sum(row) for i, row in enumerate(rows)}
    values |= {f"c{j}": sum(row[j] for row in rows) for j in range(len(rows[0]))}
    values["t"] = sum(map(sum, rows))
    relations = {f"row{i}": {f"r{i}": 1, **{f"x{i}{j}": -1 for j in range(len(row))}} for i, row in enumerate(rows)}
    relations |= {f"col{j}": {f"c{j}": 1, **{f"x{i}{j}": -1 for i in range(len(rows))}} for j in range(len(rows[0]))}
    relations["total"] = {"t": 1, **{f"r{i}": -1 for i in range(len(rows))}}
    return problem(values, relations)


def names(problem: Problem, mask) -> set[str]:
    return set(problem.keys.filter(pl.Series(mask))["cell"])
