"""Warehouse codes in words, for the tables a reader sees: departments, sharing classes, base tables and
their columns, check rules and severities, marts (the status page and every panel's provenance).

The warehouse stores codes (``housing``, ``timeliness``, ``warn``) and Chinese department names; these
functions swap them for the reader's language, leaving any value they do not know as it is.
"""

from __future__ import annotations

import polars as pl

from data_marts.checks import labels
from data_marts.contracts import CONTRACTS
from data_marts.glossary import DEPARTMENTS, SHARING_CLASSES


def _column_names(table: str, columns: str | None, lang: str) -> str | None:
    """``id_number,sex`` of ``population`` → 公民身份号码 + 性别."""
    contract = CONTRACTS.get(table)
    if columns is None or contract is None:
        return columns
    named = {c.name: getattr(c, lang) for c in contract.columns}
    return " + ".join(named.get(c, c) for c in columns.split(","))


def quality(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """A quality report (department, table_name, rule, column_name, severity, …) in words."""
    columns = [_column_names(t, c, lang) for t, c in zip(frame["table_name"], frame["column_name"])]
    return frame.with_columns(
        pl.Series("column_name", columns, dtype=pl.String),
        pl.col("department").replace(DEPARTMENTS if lang == "en" else {}),
        pl.col("table_name").replace({name: getattr(c, lang) for name, c in CONTRACTS.items()}),
        pl.col("rule").replace({code: label[lang == "en"] for code, label in labels.RULES.items()}),
        pl.col("severity").replace({code: label[lang == "en"] for code, label in labels.SEVERITIES.items()}),
    )


def catalog(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """``meta.catalog`` rows with their owner and sharing class in ``lang``."""
    if lang != "en":
        return frame
    return frame.with_columns(pl.col("owner").replace(DEPARTMENTS), pl.col("sharing_class").replace(SHARING_CLASSES))


def lineage(edges: pl.DataFrame, names: dict[str, str], lang: str) -> pl.DataFrame:
    """Lineage edges (source, target) with tables named as ``names`` says (``base.housing`` → 房屋基础库)
    and departments in ``lang``."""
    words = {**(DEPARTMENTS if lang == "en" else {}), **names}
    return edges.with_columns(pl.col("source").replace(words), pl.col("target").replace(words))
