"""Files the cockpit hands to users (CSV, Excel), inert: a text cell that a spreadsheet would read as a
formula (``=HYPERLINK(…)``, ``+1``, ``-2+3``, ``@SUM(…)``) is written with a leading ``'``, the OWASP
rule against CSV injection. Names of scenarios, savers and anything from department files can reach a
download; numbers are never touched. Every download goes through ``inert`` (docs/DECISIONS.md 26)."""

from __future__ import annotations

import io
from collections.abc import Callable

import polars as pl

from cockpit import audit

# What starts a formula in Excel, LibreOffice and Google Sheets: =, +, -, @, a tab or a carriage return.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert_text(value: str) -> str:
    """One text cell, made inert."""
    return f"'{value}" if value.startswith(FORMULA_START) else value


def inert(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with every text cell and column name that starts a formula prefixed with ``'``."""

    def cells(name: str) -> pl.Expr:
        text = pl.col(name).cast(pl.String)
        formula = pl.any_horizontal(text.str.starts_with(start) for start in FORMULA_START)
        return pl.when(formula).then(pl.lit("'") + text).otherwise(text).alias(name)

    texts = [name for name, dtype in frame.schema.items() if isinstance(dtype, (pl.String, pl.Categorical, pl.Enum))]
    return frame.with_columns(cells(name) for name in texts).rename(inert_text)


def csv(frame: pl.DataFrame) -> bytes:
    """CSV, UTF-8 with a BOM so that Excel opens the Chinese correctly."""
    return inert(frame).write_csv().encode("utf-8-sig")


def excel(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    inert(frame).write_excel(buffer, autofit=True)
    return buffer.getvalue()


def recorded(make: Callable[..., bytes], frame: pl.DataFrame | None, file_name: str, **details) -> Callable[[], bytes]:
    """A download button's callable: makes the file (``make(frame)``, or ``make()`` without a frame) and
    records it in the audit log (``export``: file name, rows, bytes) when it is made, i.e. when clicked."""

    def build() -> bytes:
        data = make(frame) if frame is not None else make()
        audit.record("export", file=file_name, rows=None if frame is None else frame.height, bytes=len(data), **details)
        return data

    return build
