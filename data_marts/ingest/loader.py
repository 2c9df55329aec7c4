"""Load one department file into the staging store: all of it or, on any error, nothing.

read (``readers``) -> map headers and names (``mapping``, or ``statsportal`` for portal exports)
-> row rules (``checks.rules``; a record that breaks any rule is quarantined once, with one
quarantine row per broken rule) -> cast -> duplicate keys inside the file (the first occurrence
loads) -> in ONE staging transaction: insert, replace stored rows with the same key, quarantine,
``meta.load_log`` and ``meta.quality``.

Row accounting always holds: rows_read = rows_loaded + rows_quarantined. A record is a data row
of a table, or one data cell of a statistics-portal export. Rows of a versioned table (one with a
``vintage`` column: the economy) replace stored rows only when their vintage is the same or newer;
an older row is quarantined with rule ``vintage``.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl
from pydantic import BaseModel, ConfigDict

from data_marts import paths, staging, units
from data_marts.checks import rules
from data_marts.masking import mask, mask_identifiers
from data_marts.contracts import LIBRARIES, Contract
from data_marts.ingest import mapping as mapping_
from data_marts.ingest import numbers, readers, statsportal, vintages
from data_marts.ingest.readers import IngestError

Progress = Callable[[int, int], None]
EXTRA_RULE = "columns"  # a text row with more cells than the header
NUMBER_RULE = "stored_as_number"  # an identifier that arrived as a number
UNIQUE_RULE = "unique"
VINTAGE_RULE = "vintage"


class RuleCount(BaseModel):
    """How many records one rule checked and rejected in one load."""

    model_config = ConfigDict(frozen=True)
    rule: str
    column: str | None
    rows_checked: int
    rows_failed: int
    example: str | None = None


class LoadResult(BaseModel):
    """What one ingest did; ``rows_read == rows_loaded + rows_quarantined`` always."""

    model_config = ConfigDict(frozen=True)
    load_id: int
    library: str
    table: str
    source_file: str
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    rows_replaced: int
    vintage: str
    quality: tuple[RuleCount, ...] = ()
    notes: tuple[str, ...] = ()
    ignored_columns: tuple[str, ...] = ()
    encoding: str | None = None
    seconds: float = 0.0


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while chunk := handle.read(8 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class _Batch:
    """Mapped rows of one batch and where their original cells are."""

    rows: pl.DataFrame  # contract columns (clean text) + _record, _source_row, _pos [, _source_column, _raw]
    raw: pl.DataFrame | None  # the original cells, row ``_pos`` (None when ``rows`` carries ``_raw``)
    source_columns: dict[str, str]  # contract column -> header in the file
    sheet: str | None


def _raw_json(batch: _Batch, picked: pl.DataFrame) -> pl.Series:
    if "_raw" in picked.columns:
        return picked["_raw"]
    rows = batch.raw[picked["_pos"]]
    cells = [c for c in rows.columns if c not in ("_source_row", "_extra")]
    return rows.select(  # the cells past the header's width appear as "_extra" where there are any
        pl.when(pl.col("_extra").is_null()).then(pl.struct(cells).struct.json_encode())
        .otherwise(pl.struct([*cells, "_extra"]).struct.json_encode())).to_series()


class _Load:
    """The work of one load inside the open staging transaction."""

    def __init__(self, con: duckdb.DuckDBPyConnection, contract: Contract, load_id: int, source_file: str,
                 vintage: str, today: date):
        self.con, self.contract, self.load_id = con, contract, load_id
        self.source_file, self.vintage, self.today = source_file, vintage, today
        self.table = staging.quote(contract.table)
        self.key = list(contract.key)
        self.versioned = "vintage" in {c.name for c in contract.columns}
        self.typed = {c.name: f"__typed_{c.name}" for c in contract.columns if c.type != "text"}
        self.checks = rules.checks_for(contract, today=today, clean=True, parsed_columns=self.typed)
        self.pii = contract.pii_kinds  # column -> how it is masked
        self.identifiers = {c.name: bool(c.rules) for c in contract.columns if c.identifier}  # name -> has a format
        self.unit = next(((c.name, r.args) for c in contract.columns for r in c.rules if r.kind == "unit"), None)
        self.counts: dict[tuple[str, str | None], list] = {}  # (rule, column) -> [checked, failed, example]
        self.rows_read = self.rows_loaded = self.records_quarantined = 0
        self.loaded_any = False

    def _count(self, rule: str, column: str | None, checked: int, failed: int, example: str | None) -> None:
        """Add to a rule's counts; its example (the first reason) is kept with every identifier masked."""
        entry = self.counts.setdefault((rule, column), [0, 0, None])
        entry[0] += checked
        entry[1] += failed
        if entry[2] is None and example:
            entry[2] = mask_identifiers(example)

    def _example(self, column: str | None, reason: str, value: str | None) -> str:
        if column in self.pii and value:
            return reason.replace(value, mask(value, self.pii[column]))
        return reason

    def _quarantine(self, batch: _Batch, entries: list[pl.DataFrame]) -> None:
        if not entries:
            return
        found = pl.concat(entries, how="diagonal_relaxed")
        source = self.source_file + (f"#{batch.sheet}" if batch.sheet else "")
        frame = found.select(
            pl.lit(self.load_id, dtype=pl.Int64).alias("load_id"),
            pl.col("_record").cast(pl.Int64).alias("record"),
            pl.lit(source).alias("source_file"),
            pl.col("_source_row").cast(pl.Int64).alias("row_number"),
            pl.col("source_column").cast(pl.String),
            pl.col("column_name").cast(pl.String),
            pl.col("rule").cast(pl.String),
            pl.col("reason").cast(pl.String),
            _raw_json(batch, found).alias("raw"),
        )
        quarantine_batch = frame  # noqa: F841 - read by DuckDB's replacement scan (see _insert)
        names = ", ".join(frame.columns)
        self.con.execute(f"INSERT INTO quarantine.{self.table} ({names}) SELECT {names} FROM quarantine_batch")

    def _entries(self, rows: pl.DataFrame, failing: pl.Series | None, column: str | None, rule: str,
                 reason: pl.Expr, source_columns: dict[str, str]) -> pl.DataFrame:
        """Quarantine entries for the ``failing`` rows (all rows when None)."""
        picked = rows if failing is None else rows.filter(failing)
        source = (pl.col("_source_column") if "_source_column" in rows.columns
                  else pl.lit(source_columns.get(column or "", column)))
        keep = [c for c in ("_raw", "_pos") if c in rows.columns]
        return picked.select("_record", "_source_row", source.alias("source_column"),
                             pl.lit(column, dtype=pl.String).alias("column_name"), pl.lit(rule).alias("rule"),
                             reason.alias("reason"), *keep, *([column] if column in rows.columns else []))

    def pre_rejected(self, batch: _Batch, rejects: pl.DataFrame, records: int) -> None:
        """Records a parser already rejected (statistics-portal cells it could not place)."""
        self.rows_read += rejects["_record"].n_unique() if rejects.height else 0
        self.records_quarantined += rejects["_record"].n_unique() if rejects.height else 0
        for (rule, column), group in rejects.group_by(["rule", "column_name"], maintain_order=True):
            self._count(rule, column, records, group["_record"].n_unique(), group["reason"][0])
        if rejects.height:
            entries = rejects.rename({"_source_column": "source_column"})
            self._quarantine(batch, [entries])

    def add(self, batch: _Batch) -> None:
        rows = batch.rows
        self.rows_read += rows.height
        rows = rows.with_columns([rules.parse_series(rows[name], self.contract.column(name).type).alias(typed)
                                  for name, typed in self.typed.items()])
        rows = self._in_declared_units(rows)
        fails = rows.lazy().select([c.fails.alias(f"f{i}") for i, c in enumerate(self.checks)]).collect()
        fails, found = self._stored_as_numbers(rows, fails)
        if self.versioned:
            rows, vintage = self._row_vintages(rows)
            found.append(vintage)
        broken = fails.select(pl.any_horizontal(pl.all()).alias("any")).to_series() if self.checks else \
            pl.Series([False] * rows.height)
        entries = []
        for name, rule, failing, reason in found:  # the loader's own rules on single values
            failed = int(failing.sum())
            example = None
            if failed:
                picked = self._entries(rows, failing, name, rule, reason, batch.source_columns)
                entries.append(picked.drop(name))
                example = self._example(name, picked["reason"][0], picked[name][0])
            self._count(rule, name, rows.height, failed, example)
            broken = broken | failing
        if "_extra" in rows.columns:
            extra = rows["_extra"].is_not_null()
            failed = int(extra.sum())
            reason = rules.say("该行的字段比表头多（可能有未加引号的逗号）：多出「", pl.col("_extra"),
                                "」 / the row has more cells than the header (an unquoted comma?): extra '",
                                pl.col("_extra"), "'")
            example = None
            if failed:
                entries.append(self._entries(rows, extra, None, EXTRA_RULE, reason, batch.source_columns)
                               .with_columns(pl.lit("(多余字段 / extra cells)").alias("source_column")))
                example = entries[-1]["reason"][0]
            self._count(EXTRA_RULE, None, rows.height, failed, example)
            broken = broken | extra
        for i, check in enumerate(self.checks):
            failing = fails[f"f{i}"]
            failed = int(failing.sum())
            example = None
            if failed:
                found = self._entries(rows, failing, check.column, check.rule, check.reason, batch.source_columns)
                entries.append(found.drop(check.column, strict=False))
                example = self._example(check.column, found["reason"][0], found[check.column][0]
                                        if check.column in found.columns else None)
            self._count(check.rule, check.column, rows.height, failed, example)
        self.records_quarantined += int(broken.sum())
        good, later = self._duplicates(rows.filter(~broken), batch)
        entries += later
        if self.versioned:
            good, older = self._older_than_stored(good, batch)
            entries += older
        self._quarantine(batch, entries)
        self._insert(good)

    def _in_declared_units(self, rows: pl.DataFrame) -> pl.DataFrame:
        """Values in the unit their contract declares (``units``): converted where that is exact (万元 → 亿元
        divides by 10^4), the unit filled in where the file gives none; any other unit is left for the
        ``unit`` rule to quarantine."""
        if self.unit is None:
            return rows
        unit, args = self.unit
        what, how, value = args["indicator"], args["measure"], self.typed.get(args["value"], args["value"])
        table = []
        for indicator, measure, written in rows.select(what, how, unit).unique().iter_rows():
            target = units.expected(indicator, measure)
            power = 0 if written is None else units.exponent(written, target)
            if target is not None and power is not None:
                table.append((indicator, measure, written, target, power))
        if not table:
            return rows
        known = pl.DataFrame(table, schema={what: pl.String, how: pl.String, unit: pl.String, "_to_unit": pl.String,
                                            "_power": pl.Int64}, orient="row")
        rows = rows.join(known, on=[what, how, unit], how="left", nulls_equal=True, maintain_order="left")
        power, number = pl.col("_power"), pl.col(value)
        scale = pl.lit(10.0) ** power.abs()  # one multiplication or division by an exact power of ten
        return rows.with_columns(
            pl.when(power > 0).then(number * scale).when(power < 0).then(number / scale).otherwise(number).alias(value),
            pl.coalesce("_to_unit", unit).alias(unit)).drop("_to_unit", "_power")

    def _row_vintages(self, rows: pl.DataFrame) -> tuple[pl.DataFrame, tuple[str, str, pl.Series, pl.Expr]]:
        """A row's own vintage (the load's where it has none), as stored; one that is not a date, month or
        year, or that lies in the future, is quarantined (rule ``vintage``)."""
        rows = rows.with_columns(pl.col("vintage").fill_null(self.vintage))
        stored, wrong = {}, {}
        for text in rows["vintage"].unique().to_list():
            trouble = vintages.problem(text, self.today, zh="数据版本（vintage）", en="vintage")
            if trouble:
                wrong[text] = " / ".join(trouble)
            else:
                stored[text] = vintages.normalise(text)
        failing = rows["vintage"].is_in(list(wrong))
        reason = pl.col("vintage").replace_strict(wrong, default=None, return_dtype=pl.String)
        return rows.with_columns(pl.col("vintage").replace(stored)), ("vintage", VINTAGE_RULE, failing, reason)

    def _stored_as_numbers(self, rows: pl.DataFrame, fails: pl.DataFrame) -> tuple[pl.DataFrame, list]:
        """Identifier cells that arrived as numbers and do not provably round-trip: an inexact number
        (digits lost), or an exact one that the column's own rules reject (leading zeros lost) or that no
        rule can confirm (a column without a format). The column's other failures on those rows are left
        out: the one reason is how the value was stored."""
        found = []
        for name, has_format in self.identifiers.items():
            marks = numbers.column(name)
            if marks not in rows.columns:
                continue
            own = [f"f{i}" for i, check in enumerate(self.checks) if check.column == name]
            rejected = fails.select(pl.any_horizontal(own)).to_series() if own else pl.Series([False] * rows.height)
            kind = rows[marks]
            failing = ((kind == numbers.INEXACT) | ((kind == numbers.EXACT) & (rejected | (not has_format)))).fill_null(False)
            if failing.any() and own:
                fails = fails.with_columns(pl.col(own) & pl.lit(~failing))
            label = f"{self.contract.column(name).zh}（{name}）"
            reason = rules.say(f"{label}「", pl.col(name), f"」存为数字，可能已丢失位数，请把该列设为文本后重新导出 / {name} '",
                               pl.col(name), "' stored as a number, digits may be lost; format the column as text "
                               "and export again")
            found.append((name, NUMBER_RULE, failing, reason))
        return fails, found

    def _duplicates(self, good: pl.DataFrame, batch: _Batch) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
        """Split off later occurrences of a key (in this batch, or loaded by an earlier batch of the file)."""
        checked = good.height
        first = good.with_columns(pl.col("_source_row").first().over(self.key).alias("_first_row"),
                                  pl.struct(self.key).is_first_distinct().alias("_is_first"))
        again = first.filter(~pl.col("_is_first"))
        candidates = first.filter(pl.col("_is_first"))
        if self.loaded_any and candidates.height:
            earlier = self._stored(candidates, same_load=True)
            again = pl.concat([again, candidates.join(earlier, on="_record").with_columns(
                pl.col("_stored_row").alias("_first_row")).drop("_stored_row")], how="diagonal_relaxed")
            candidates = candidates.join(earlier.select("_record"), on="_record", how="anti")
        # A personal key (an ID number, a sole proprietor's credit code) is named masked: 5201**********123X.
        key_text = pl.concat_str([pl.col(k).cast(pl.String).map_elements(lambda v, kind=self.pii[k]: mask(v, kind),
                                                                         return_dtype=pl.String)
                                  if k in self.pii else pl.col(k).cast(pl.String) for k in self.key], separator=" | ")
        entries = []
        if again.height:
            shown = pl.concat_str([pl.lit("（"), key_text, pl.lit("）")])
            reason = rules.say("键", shown, "与第 ", pl.col("_first_row"), " 行重复，只载入第一次出现的行 / duplicate key",
                                shown.str.replace("（", " (").str.replace("）", ")"), " of row ", pl.col("_first_row"),
                                "; only the first occurrence loads")
            entries.append(self._entries(again, None, self.key[0], UNIQUE_RULE, reason,
                                         batch.source_columns).with_columns(
                pl.lit(", ".join(batch.source_columns.get(k, k) for k in self.key)).alias("source_column"),
                pl.lit(",".join(self.key)).alias("column_name")))
        self._count(UNIQUE_RULE, ",".join(self.key), checked, again.height,
                    entries[0]["reason"][0] if entries else None)
        self.records_quarantined += again.height
        return candidates.drop("_first_row", "_is_first"), entries

    def _stored(self, frame: pl.DataFrame, same_load: bool) -> pl.DataFrame:
        keys = frame.select(*self.key, "_record", *(["vintage"] if self.versioned else []))
        on = " AND ".join(f"b.{staging.quote(k)} = i.{staging.quote(k)}" for k in self.key)
        incoming_keys = keys  # noqa: F841 - read by DuckDB's replacement scan (see _insert)
        if same_load:
            sql = (f"SELECT i._record, min(b._source_row) AS _stored_row FROM incoming_keys i "
                   f"JOIN base.{self.table} b ON {on} WHERE b._load_id = ? GROUP BY i._record")
        else:
            sql = (f"SELECT i._record, max(b.vintage) AS _stored_vintage FROM incoming_keys i "
                   f"JOIN base.{self.table} b ON {on} WHERE b._load_id <> ? AND b.vintage > i.vintage "
                   f"GROUP BY i._record")
        found = pl.from_arrow(self.con.sql(sql, params=[self.load_id]).to_arrow_table())
        return found.with_columns(pl.col("_record").cast(pl.Int64))

    def _older_than_stored(self, rows: pl.DataFrame, batch: _Batch) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
        """Split off rows whose key is stored with a newer vintage (a versioned table keeps the newest)."""
        older = self._stored(rows, same_load=False) if rows.height else pl.DataFrame({"_record": []})
        entries = []
        if older.height:
            hit = rows.join(older, on="_record")
            reason = rules.say("库中已有更新的版本 ", pl.col("_stored_vintage"), "，本行版本 ", pl.col("vintage"),
                                " 不覆盖它 / a newer vintage (", pl.col("_stored_vintage"), ") is already loaded; this row (",
                                pl.col("vintage"), ") does not replace it")
            entries.append(self._entries(hit, None, "vintage", VINTAGE_RULE, reason,
                                         batch.source_columns).drop("vintage", strict=False))
            rows = rows.join(older.select("_record"), on="_record", how="anti")
        # rows checked were counted by the row vintages' check (``_row_vintages``): only failures add here
        self._count(VINTAGE_RULE, "vintage", 0, older.height, entries[0]["reason"][0] if entries else None)
        self.records_quarantined += older.height
        return rows, entries

    def _insert(self, good: pl.DataFrame) -> None:
        if not good.height:
            return
        columns = [pl.col(self.typed.get(c.name, c.name)).cast(rules.POLARS_TYPES[c.type]).alias(c.name)
                   for c in self.contract.columns]
        frame = good.select(*columns, pl.lit(self.load_id, dtype=pl.Int64).alias("_load_id"),
                            pl.col("_source_row").cast(pl.Int64))
        # DuckDB reads the local variable by name (a replacement scan): unlike con.register, this
        # keeps no copy of the batch alive, so memory stays flat over a 46 M-row file.
        base_batch = frame  # noqa: F841
        names = ", ".join(staging.quote(c) for c in frame.columns)
        self.con.execute(f"INSERT INTO base.{self.table} ({names}) SELECT {names} FROM base_batch")
        self.rows_loaded += good.height
        self.loaded_any = True

    def replace_stored(self) -> int:
        """Delete the stored rows whose key this load brought again; returns how many."""
        on = " AND ".join(f"n.{staging.quote(k)} = o.{staging.quote(k)}" for k in self.key)
        return self.con.execute(
            f"DELETE FROM base.{self.table} AS o WHERE o._load_id <> $id AND EXISTS "
            f"(SELECT 1 FROM base.{self.table} AS n WHERE n._load_id = $id AND {on})", {"id": self.load_id}
        ).fetchall()[0][0]

    def quality(self) -> tuple[RuleCount, ...]:
        return tuple(RuleCount(rule=rule, column=column, rows_checked=v[0], rows_failed=v[1], example=v[2])
                     for (rule, column), v in self.counts.items())


def _mapping_file(mapping: str | Path | mapping_.MappingFile | None) -> mapping_.MappingFile | None:
    if mapping is None or isinstance(mapping, mapping_.MappingFile):
        return mapping
    return mapping_.load_mapping(mapping)


def _header_test(library: str, mapping: mapping_.MappingFile | None) -> readers.HeaderTest:
    known = mapping_.header_test(library, mapping)
    if library == "economy":
        return lambda cells: known(cells) or statsportal.is_header(cells)
    return known


@dataclass
class _Source:
    """One part of the file, ready to produce batches."""

    part: readers.Part
    plan: mapping_.Plan | None  # None for a statistics-portal part
    contract: Contract


def _sources(raw: readers.RawFile, library: str, mapping: mapping_.MappingFile | None) -> list[_Source]:
    found = []
    for part in raw.parts:
        where = f"{raw.path}" + (f" (sheet {part.name})" if part.name and len(raw.parts) > 1 else "")
        try:
            plan = mapping_.plan(part.header, library, mapping, source=where, repeated=part.repeated)
            for column, header in plan.columns.items():
                if header in part.nested:
                    raise IngestError(f"{where}: column {header!r} ({column}) holds lists or structures, not single "
                                      "values; export one value per cell")
            found.append(_Source(part, plan, plan.contract))
        except IngestError:
            if library == "economy" and statsportal.looks_like(part):
                found.append(_Source(part, None, LIBRARIES["economy"][0]))
            else:
                raise
    tables = {s.contract.table for s in found}
    if len(tables) > 1:
        described = ", ".join(f"{s.part.name or raw.path.name} -> {s.contract.table}" for s in found)
        raise IngestError(f"{raw.path}: the sheets hold different datasets ({described}); "
                          "put each dataset in its own file")
    return found


def _batches(source: _Source, raw: readers.RawFile, first_record: int) -> Iterator[tuple[_Batch, pl.DataFrame | None, int]]:
    """(batch, rejects already found by a parser, records in the batch) for one part."""
    record = first_record
    if source.plan is None:
        portal = statsportal.parse(source.part, source=str(raw.path))
        offset = record - 1
        rows = portal.rows.with_columns((pl.col("_record") + offset).alias("_record"),
                                        pl.int_range(0, portal.rows.height, dtype=pl.Int64).alias("_pos"))
        rejects = portal.rejects.with_columns((pl.col("_record") + offset).alias("_record"))
        yield _Batch(rows=rows, raw=None, source_columns={}, sheet=source.part.name), rejects, portal.records
        source.part.notes.extend(f"{k}：{v}" for k, v in portal.metadata.items())
        if portal.blank_cells:
            source.part.notes.append(f"空白单元格 {portal.blank_cells} 个（无数据，未计入） / {portal.blank_cells} blank "
                                     "cells (no data; not records)")
        return
    for frame in source.part.batches(numbers=mapping_.identifier_headers(source.plan)):
        mapped = mapping_.apply(frame, source.plan).with_columns(
            pl.int_range(record, record + frame.height, dtype=pl.Int64).alias("_record"),
            pl.int_range(0, frame.height, dtype=pl.Int64).alias("_pos"),
            frame["_extra"])
        record += frame.height
        yield _Batch(rows=mapped, raw=frame, source_columns=dict(source.plan.columns), sheet=source.part.name), None, \
            frame.height


def _estimated(raw: readers.RawFile) -> int:
    return sum(p.estimated_rows or 0 for p in raw.parts)


def ingest_file(path: str | Path, library: str, mapping: str | Path | mapping_.MappingFile | None = None,
                vintage: str | None = None, progress: Progress | None = None,
                staging_path: str | Path | None = None, *, today: date | None = None,
                batch_rows: int = readers.DEFAULT_BATCH_ROWS) -> LoadResult:
    """Load one file into ``library``'s base table in the staging store (one transaction).

    ``mapping``: a mapping file (TOML/JSON) or ``MappingFile``; ``vintage``: overrides the file's;
    ``progress(done, total)`` is called after each batch (total is an estimate until the end).
    Raises ``IngestError`` (nothing loaded) for a file that cannot be read or mapped, and
    ``staging.StagingBusyError`` when another ingest or a build holds the store.
    """
    started = time.perf_counter()
    path = Path(path).resolve()
    today = today or date.today()
    if library not in LIBRARIES:
        raise IngestError(f"unknown library {library!r}; choose one of {', '.join(LIBRARIES)}")
    if not path.is_file():
        raise IngestError(f"{path}: no such file")
    mapping_file = _mapping_file(mapping)
    store = Path(staging_path) if staging_path is not None else paths.staging()
    con = staging.connect(store)
    in_transaction = False
    try:
        with readers.open_file(path, is_header=_header_test(library, mapping_file), batch_rows=batch_rows,
                               work_dir=store.parent / "tmp") as raw:
            sources = _sources(raw, library, mapping_file)
            contract = sources[0].contract
            meta = statsportal.metadata([row for s in sources for row in s.part.preamble])
            written, origin = vintages.resolve(vintage, meta, path, today)
            trouble = vintages.problem(written, today)
            if trouble:  # one sentence, nothing loaded: a wrong vintage would block every revision after it
                raise IngestError(f"{path}: {trouble[1]} ({origin}); correct it, or give the right one with --vintage")
            load_vintage = vintages.normalise(written)
            digest = file_sha256(path)
            con.execute("BEGIN TRANSACTION")
            in_transaction = True
            load_id = staging.next_load_id(con)
            load = _Load(con, contract, load_id, str(path), load_vintage, today)
            total, record = max(_estimated(raw), 1), 1
            for source in sources:
                for batch, rejects, records in _batches(source, raw, record):
                    record += records
                    if rejects is not None:
                        load.pre_rejected(batch, rejects, records)
                    if batch.rows.height:
                        load.add(batch)
                    if progress is not None:
                        total = max(total, load.rows_read)
                        progress(load.rows_read, total)
            replaced = load.replace_stored()
            notes = [*raw.skipped, *(n for s in sources for n in s.part.notes)]
            ignored = tuple(dict.fromkeys(h for s in sources if s.plan for h in s.plan.ignored))
            if ignored:
                notes.append(f"未使用的列 / columns not in the contract: {', '.join(ignored)}")
            result = LoadResult(
                load_id=load_id, library=library, table=contract.table, source_file=str(path),
                rows_read=load.rows_read, rows_loaded=load.rows_loaded, rows_quarantined=load.records_quarantined,
                rows_replaced=replaced, vintage=load_vintage, quality=load.quality(), notes=tuple(notes),
                ignored_columns=ignored, encoding=raw.encoding, seconds=time.perf_counter() - started)
            if result.rows_read != result.rows_loaded + result.rows_quarantined:
                raise RuntimeError(f"row accounting does not balance for {path}: read {result.rows_read}, "
                                   f"loaded {result.rows_loaded}, quarantined {result.rows_quarantined}")
            _log(con, result, digest, contract)
            con.execute("COMMIT")
            in_transaction = False
        if progress is not None:
            progress(result.rows_read, result.rows_read)
        return result.model_copy(update={"seconds": time.perf_counter() - started})
    except BaseException:
        if in_transaction:
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:
                pass  # the connection is gone; DuckDB discards the open transaction with it
        raise
    finally:
        con.close()


def _log(con: duckdb.DuckDBPyConnection, result: LoadResult, digest: str, contract: Contract) -> None:
    now = datetime.now().replace(microsecond=0)
    con.execute(
        "INSERT INTO meta.load_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [result.load_id, result.library, result.table, result.source_file, digest, result.rows_read,
         result.rows_loaded, result.rows_quarantined, result.rows_replaced, now, result.vintage,
         json.dumps(list(result.notes), ensure_ascii=False) if result.notes else None])
    rows = [[result.load_id, result.library, result.table, contract.department_zh, q.rule, q.column, q.rows_checked,
             q.rows_failed, "reject", q.example, now] for q in result.quality]
    if rows:
        con.executemany("INSERT INTO meta.quality VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def ingest_folder(inbox: str | Path | None = None, *, staging_path: str | Path | None = None,
                  progress: Callable[[str, int, int], None] | None = None,
                  skip_unchanged: bool = False) -> list[LoadResult]:
    """Ingest every file under ``inbox/<library>/`` (libraries, then files, in name order).

    A ``mapping.toml`` or ``mapping.json`` in a library folder applies to that folder's files.
    ``progress(label, done, total)``; ``skip_unchanged`` skips files already loaded (same SHA-256).
    Stops at the first file that cannot be loaded (``IngestError``), keeping the loads before it.
    """
    inbox = Path(inbox) if inbox is not None else paths.inbox()
    folders = sorted(p for p in inbox.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    unknown = [f.name for f in folders if f.name not in LIBRARIES]
    if unknown:
        raise IngestError(f"{inbox}: folder(s) {', '.join(unknown)} are not libraries; "
                          f"name each folder after one of {', '.join(LIBRARIES)}")
    loaded: set[tuple[str, str]] = set()
    store = Path(staging_path) if staging_path is not None else paths.staging()
    if skip_unchanged and store.exists():
        con = staging.connect(store, read_only=True)
        try:
            loaded = set(con.execute("SELECT library, file_sha256 FROM meta.load_log").fetchall())
        finally:
            con.close()
    results = []
    for folder in folders:
        mapping_path = next((folder / n for n in ("mapping.toml", "mapping.json") if (folder / n).is_file()), None)
        files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith((".", "~$"))
                       and p.suffix.lower() in readers.SUPPORTED)
        for file in files:
            if skip_unchanged and (folder.name, file_sha256(file)) in loaded:
                continue
            label = f"{folder.name}/{file.name}"
            report = (lambda done, total, label=label: progress(label, done, total)) if progress else None
            results.append(ingest_file(file, folder.name, mapping=mapping_path, progress=report,
                                       staging_path=staging_path))
    return results
