"""Cells that arrive as numbers — an Excel number cell, a Parquet integer, float or decimal — where text is
expected: whether the number is exact, and how it reads.

Identifiers (ID numbers, credit codes, region codes …) are text. Typed into Excel as they are, they become
doubles, which keep 15 significant digits: 520102197009211413 is stored as 520102197009211392 — another
person's number, whose check digit may even pass. Read as text, such a cell cannot be told from a real ID, so
the readers say, for the columns the loader asks about, which cells were numbers: column ``column(header)``
holds ``EXACT`` (an integer type, or a whole number of at most 15 digits: the digits are the ones typed,
apart from leading zeros), ``INEXACT`` (anything else), or null (text, empty). An inexact number reads as the
number it is (``5.201021970092114e17``), never as digits that look like an identifier.
"""

from __future__ import annotations

import polars as pl

PREFIX = "_number:"
EXACT, INEXACT = 1, 2
EXACT_DIGITS = 15  # Excel keeps 15 significant digits; any whole number up to 10^15 is exact in a double
_NUMBER_TEXT = r"^-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$"
_EXACT_TEXT = rf"^-?[0-9]{{1,{EXACT_DIGITS}}}$"


def column(header: str) -> str:
    """The name of the column that marks ``header``'s number cells."""
    return PREFIX + header


def _inexact_as_number(text: pl.Expr) -> pl.Expr:
    return text.cast(pl.Float64, strict=False).cast(pl.String)


def mark_cells(frame: pl.DataFrame, header: str, is_number: pl.Series) -> pl.DataFrame:
    """Mark the number cells of a text column read from Excel (``is_number``: the cell held a number or a
    boolean), and let inexact numbers read as numbers."""
    text = pl.col(header)
    number = pl.lit(is_number.fill_null(False)) & text.str.contains(_NUMBER_TEXT).fill_null(False)
    exact = text.str.contains(_EXACT_TEXT).fill_null(False)
    return frame.with_columns(
        pl.when(number & ~exact).then(_inexact_as_number(text)).otherwise(text).alias(header),
        _marks(pl.when(number).then(text), exact).alias(column(header)))


def _marks(value: pl.Expr, exact: pl.Expr) -> pl.Expr:
    return pl.when(value.is_not_null()).then(pl.when(exact).then(pl.lit(EXACT)).otherwise(pl.lit(INEXACT))).cast(pl.Int8)


def typed_column(name: str, dtype: pl.DataType) -> tuple[pl.Expr, pl.Expr] | None:
    """(text, marks) for a typed (Parquet) column; None when the column does not hold numbers. An integer
    type is exact whatever its size; a float is exact when it is whole and has at most 15 digits."""
    value = pl.col(name)
    if dtype.is_integer():
        return value.cast(pl.String), _marks(value, pl.lit(True))
    if dtype.is_float():
        exact = value.is_finite() & (value == value.floor()) & (value.abs() < 10**EXACT_DIGITS)
        return (pl.when(exact).then(value.cast(pl.Int64).cast(pl.String)).otherwise(value.cast(pl.String)),
                _marks(value, exact))
    if dtype.is_decimal():
        text = value.cast(pl.String)
        return text, _marks(value, text.str.contains(r"^-?[0-9]+$"))
    return None
