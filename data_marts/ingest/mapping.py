"""Match a file's headers to a contract's columns, and its cells to the values the contract expects.

Headers are compared after normalising (full-width and half-width forms made equal, spaces
removed, letters case-folded), against each column's name, Chinese label and aliases. A mapping
file (TOML or JSON) adds headers and value codes a department uses, e.g.::

    table = "population"            # optional: which dataset of the library this file holds
    [headers]                       # header in the file = contract column (name or Chinese label)
    "证件号" = "id_number"
    "户籍地区划" = "residence_code"
    [values.sex]                    # codes in a column -> the contract's values
    "1" = "男"
    "2" = "女"

Where a column expects codes, names are turned into codes: regions (河北省沧州市 -> 130900; a code or name
retired since 2010 -> today's unit),
crops (玉米 -> corn), indicators (地区生产总值 -> gdp) and measures (累计 -> 累计值). A name that
cannot be resolved is kept as it is, so the column's rule reports it.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import polars as pl
from pydantic import BaseModel, ConfigDict, ValidationError

from data_marts import crops, indicators, regions
from data_marts.contracts import LIBRARIES, Column, Contract
from data_marts.ingest import numbers
from data_marts.ingest.readers import HeaderTest, IngestError, written_twice

NULL_TEXT = ("NULL", "null", "\\N")  # how database exports write a missing value


class MappingFile(BaseModel):
    """A department's own headers and value codes for one library (see the module docstring)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    table: str | None = None
    headers: dict[str, str] = {}
    values: dict[str, dict[str, str]] = {}


def load_mapping(path: str | Path) -> MappingFile:
    """Read a mapping file (.toml or .json); raises ``IngestError`` naming the file and the problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise IngestError(f"mapping file {path}: cannot be read ({error})") from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as error:
        raise IngestError(f"mapping file {path}: not valid {'JSON' if path.suffix.lower() == '.json' else 'TOML'} "
                          f"({error})") from None
    unknown = sorted(set(data) - {"table", "headers", "values"}) if isinstance(data, dict) else ["(not a table)"]
    if unknown:
        raise IngestError(f"mapping file {path}: only 'table', [headers] and [values.<column>] are allowed, "
                          f"found {', '.join(unknown)}")
    try:
        return MappingFile(
            table=data.get("table"),
            headers={str(k): str(v) for k, v in data.get("headers", {}).items()},
            values={str(k): {str(code): str(v) for code, v in codes.items()} for k, codes in data.get("values", {}).items()},
        )
    except (ValidationError, AttributeError, TypeError) as error:
        first = str(error).splitlines()[0]
        raise IngestError(f"mapping file {path}: [headers] maps header to column, [values.<column>] maps code to "
                          f"value ({first})") from None


def normalise(header: str) -> str:
    """A header as compared: NFKC (full-width -> half-width), no whitespace, case-folded."""
    text = unicodedata.normalize("NFKC", str(header or "")).lstrip("\ufeff")
    return "".join(text.split()).casefold()


@dataclass(frozen=True)
class Plan:
    """How one file's columns become one contract's columns."""

    contract: Contract
    columns: dict[str, str]  # contract column -> header in the file
    ignored: tuple[str, ...]  # headers that match no column (they stay in the quarantine's raw JSON)
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # contract column -> code -> value


def _column_for(contract: Contract, target: str) -> str | None:
    wanted = normalise(target)
    for column in contract.columns:
        if wanted in {normalise(h) for h in column.headers}:
            return column.name
    return None


def _candidates(library: str, mapping: MappingFile | None) -> list[Contract]:
    if library not in LIBRARIES:
        raise IngestError(f"unknown library {library!r}; choose one of {', '.join(LIBRARIES)}")
    contracts = LIBRARIES[library]
    if mapping is not None and mapping.table:
        chosen = [c for c in contracts if c.table == mapping.table]
        if not chosen:
            raise IngestError(f"mapping file: table {mapping.table!r} is not a dataset of library {library!r} "
                              f"({', '.join(c.table for c in contracts)})")
        return chosen
    return contracts


def _index(contract: Contract, mapping: MappingFile | None) -> dict[str, str]:
    index = {normalise(h): c.name for c in contract.columns for h in c.headers}
    for header, target in (mapping.headers if mapping else {}).items():
        column = _column_for(contract, target)
        if column is not None:
            index[normalise(header)] = column
    return index


def header_test(library: str, mapping: MappingFile | None = None) -> HeaderTest:
    """Whether a row of cells is this library's header row: two or more cells are known headers."""
    known = set().union(*(_index(c, mapping) for c in _candidates(library, mapping)))
    return lambda cells: sum(normalise(c) in known for c in cells if c) >= 2


def _label(column: Column) -> str:
    return f"{column.zh} ({column.name})"


def plan(headers: list[str], library: str, mapping: MappingFile | None = None, source: str = "",
         repeated: dict[str, tuple[int, ...]] | None = None) -> Plan:
    """Choose the library's dataset whose required columns the headers cover and map them.

    Raises ``IngestError`` naming what is missing when no dataset fits, when two headers in the
    file mean the same column, and when a header the contract uses is written twice (``repeated``:
    header -> its column numbers; which copy holds the data cannot be known).
    """
    candidates = _candidates(library, mapping)
    if mapping is not None:
        for header, target in mapping.headers.items():
            if not any(_column_for(c, target) for c in candidates):
                raise IngestError(f"mapping file: header {header!r} maps to {target!r}, which is not a column of "
                                  f"{' or '.join(c.table for c in candidates)}")
    prefix = f"{source}: " if source else ""
    fits, misses = [], []
    for contract in candidates:
        index = _index(contract, mapping)
        columns: dict[str, str] = {}
        clashes: list[str] = []
        for header in headers:
            column = index.get(normalise(header))
            if column is None:
                continue
            if column in columns:
                clashes.append(f"「{columns[column]}」和「{header}」都对应 {column} / {columns[column]!r} and "
                               f"{header!r} both mean {column}")
            else:
                columns[column] = header
        missing = [_label(contract.column(c)) for c in contract.required if c not in columns]
        if missing:
            misses.append(f"{contract.table} 缺少 / is missing {', '.join(missing)}")
        else:
            fits.append((contract, columns, clashes))
    if not fits:
        raise IngestError(f"{prefix}the headers do not fit library {library!r}: {'; '.join(misses)} "
                          f"(headers found: {', '.join(headers)}); add the missing columns or map them in a mapping file")
    contract, columns, clashes = max(fits, key=lambda fit: len(fit[1]))
    index = _index(contract, mapping)
    for header, where in (repeated or {}).items():
        if normalise(header) in index:
            raise IngestError(f"{prefix}the header {header!r} ({index[normalise(header)]}) "
                              f"{written_twice(header, where)}")
    if clashes:
        raise IngestError(f"{prefix}two headers mean the same column: {'; '.join(clashes)}; "
                          "remove one or map it elsewhere in a mapping file")
    values: dict[str, dict[str, str]] = {}
    for target, codes in (mapping.values if mapping else {}).items():
        column = _column_for(contract, target)
        if column is None:
            raise IngestError(f"mapping file: [values.{target}] is not a column of {contract.table}")
        values[column] = dict(codes)
    used = set(columns.values())
    return Plan(contract=contract, columns=columns, ignored=tuple(h for h in headers if h not in used), values=values)


def _region(text: str) -> str | None:
    return _region_in(text, regions.home())


@lru_cache(maxsize=65536)
def _region_in(text: str, home: str) -> str | None:
    """Today's code for a name, or for a code retired since 2010 (region_changes.csv); a name that several
    regions share means the one in the home region."""
    if re.fullmatch(r"[0-9]{6}", text):  # already a code: only a retired one changes; the region_code rule judges it
        return regions.successor(text)
    return regions.resolve_or_none(text)


@lru_cache(maxsize=4096)
def _crop(text: str) -> str | None:
    try:
        return crops.resolve(text).code
    except KeyError:
        return None


@lru_cache(maxsize=4096)
def _indicator(text: str) -> str | None:
    try:
        return indicators.resolve(unicodedata.normalize("NFKC", text)).code
    except KeyError:
        return None


def resolver(column: Column) -> Callable[[str], str | None] | None:
    """How names become codes in ``column`` (None when the column holds free values)."""
    if any(r.kind == "region_code" for r in column.rules):
        return _region
    for rule in column.rules:
        if rule.kind != "accepted_values":
            continue
        values = {str(v) for v in rule.args.get("values", ())}
        if values and values <= {c.code for c in crops.CROPS}:
            return _crop
        if values and values <= {i.code for i in indicators.INDICATORS}:
            return _indicator
        if values and values <= set(indicators.MEASURE_VALUES):
            return indicators.MEASURES.get
    return None


def _identifier(column: Column) -> bool:
    return any(r.kind in ("gb11643", "gb32100") for r in column.rules)


def clean(value: pl.Expr, codes: dict[str, str] | None = None, identifier: bool = False) -> pl.Expr:
    """Strip spaces, apply value codes, turn empty and NULL into null; identifiers upper-case, without
    the leading ' that Excel users type to keep digits as text."""
    text = value.cast(pl.String).str.strip_chars()
    if codes:
        text = text.replace(codes)
    if identifier:
        text = text.str.strip_chars_start("'").str.to_uppercase()
    return pl.when(~text.is_in(["", *NULL_TEXT])).then(text)


def resolve_names(frame: pl.DataFrame, contract: Contract) -> pl.DataFrame:
    """Replace names by codes in every column that expects codes (unknown names stay as they are)."""
    changes = []
    for column in contract.columns:
        resolve = resolver(column)
        if resolve is None or column.name not in frame.columns:
            continue
        found = {}
        for text in frame[column.name].drop_nulls().unique().to_list():
            code = resolve(text)
            if code is not None and code != text:
                found[text] = code
        if found:
            changes.append(pl.col(column.name).replace(found))
    return frame.with_columns(changes) if changes else frame


def apply(frame: pl.DataFrame, plan: Plan) -> pl.DataFrame:
    """The file's rows as the contract's columns (clean text, names resolved) plus ``_source_row``;
    a contract column the file lacks is all null. Where the reader marked number cells of a column's
    header (``numbers.column(header)``), they come along as ``numbers.column(<contract column>)``."""
    columns = []
    for column in plan.contract.columns:
        header = plan.columns.get(column.name)
        source = pl.col(header) if header is not None else pl.lit(None, dtype=pl.String)
        columns.append(clean(source, plan.values.get(column.name), _identifier(column)).alias(column.name))
        if header is not None and numbers.column(header) in frame.columns:
            columns.append(pl.col(numbers.column(header)).alias(numbers.column(column.name)))
    return resolve_names(frame.select(*columns, "_source_row"), plan.contract)


def identifier_headers(plan: Plan) -> list[str]:
    """The file's headers of the contract's identifier columns (whose number cells the reader marks)."""
    return [plan.columns[c] for c in plan.contract.identifiers if c in plan.columns]
