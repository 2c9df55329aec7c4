"""Files the cockpit hands to users (CSV, Excel), inert: a text cell that a spreadsheet would read as a
formula (``=HYPERLINK(…)``, ``+1``, ``-2+3``, ``@SUM(…)``) is written with a leading ``'``, the OWASP
rule against CSV injection. Names of scenarios, savers and anything from department files can reach a
download; numbers are never touched. Every download goes through ``inert`` (docs/DECISIONS.md 26)."""

from __future__ import annotations

import io

import polars as pl

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
