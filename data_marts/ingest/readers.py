"""Open a department file as raw text cells: CSV (any common Chinese encoding), Excel and Parquet.

A file becomes one or more *parts* (a CSV or Parquet file is one part, an Excel workbook one part
per sheet that has a header). A part has the lines above its header (a title, metadata such as
``版本：2025-03-01``), the header, and its data in batches of text cells, each row with the row
number the analyst sees in the file (the line of a text file, the row of the Excel sheet).
Nothing is typed or dropped here, except rows with no value at all and the notes under a table
(``注：…``, ``数据来源：…``), which go to ``Part.notes``.

Large CSVs are never held whole: GBK/GB18030/UTF-16 files are transcoded to a temporary UTF-8
file in one streaming pass (a decode error names the line), and polars reads in batches.
"""

from __future__ import annotations

import bisect
import codecs
import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from data_marts.ingest import numbers as numbers_


class IngestError(Exception):
    """A file that cannot be read, or whose headers do not fit the library: nothing was loaded."""

    exit_code = 2


HeaderTest = Callable[[list[str]], bool]

TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
SUPPORTED = TEXT_SUFFIXES | EXCEL_SUFFIXES | PARQUET_SUFFIXES

ENCODINGS = ("utf-8", "gbk", "gb18030")  # tried in this order on a sample (after a BOM check)
SAMPLE_BYTES = 1 << 20
HEADER_SCAN_ROWS = 10  # the header is the first row among the first 10 that looks like one
DEFAULT_BATCH_ROWS = 500_000
EXTRA_FIELDS = 16  # cells beyond the header that a text row may carry before they are cut off
_TAIL = 200  # rows held back at the end, where notes are looked for
_CHUNK = 16 << 20

NOTE = re.compile(r"^\s*(?:(注|附注|数据来源|资料来源|来源|说明|备注|填报说明|填报单位|制表人|制表单位|制表|审核人)"
                  r"\s*[0-9０-９]*|(?i:notes?|sources?|remarks?))\s*[：:]")
NOTE_MARK = re.compile(r"^\s*[*＊※#＃†‡]")  # a footnote mark (* 表示初步数据): a note when the line stands alone


@dataclass
class Part:
    """One table in a file: a CSV, a Parquet file, or one Excel sheet."""

    name: str | None  # the sheet name, for Excel
    preamble: list[list[str]]  # non-empty rows above the header
    header: list[str]  # unique, non-empty column names
    header_row: int  # row number of the header (0 when the format has no header line)
    estimated_rows: int | None
    read: Callable[[tuple[str, ...]], Iterator[pl.DataFrame]] = field(repr=False)  # (numbers) -> frames
    batch_rows: int = DEFAULT_BATCH_ROWS
    notes: list[str] = field(default_factory=list)
    repeated: dict[str, tuple[int, ...]] = field(default_factory=dict)  # a header written twice -> its columns
    nested: frozenset[str] = frozenset()  # headers whose cells are lists or structures (Parquet)

    def batches(self, numbers: Collection[str] = ()) -> Iterator[pl.DataFrame]:
        """Data rows in file order: one String column per header, ``_source_row`` (Int64) and ``_extra``
        (text cells beyond the header's width, joined; null when there are none).

        For each header in ``numbers`` whose cells may be typed (Excel, Parquet), a column
        ``numbers.column(header)`` marks the cells that arrived as numbers (see ``data_marts.ingest.numbers``).
        Rows without any value are skipped; note lines at the bottom are moved to ``notes`` once the
        last batch has been produced.
        """
        self.notes.clear()
        wanted = tuple(h for h in numbers if h in self.header)
        yield from _rows_then_notes(self.read(wanted), self.header, self.batch_rows, self.notes)

    def frame(self) -> pl.DataFrame:
        """All data rows at once (for small tables such as statistics-portal exports)."""
        frames = list(self.batches())
        return pl.concat(frames) if frames else _empty(self.header)


@dataclass
class RawFile:
    """An opened file; use as a context manager so temporary files are removed."""

    path: Path
    format: str  # "csv" | "excel" | "parquet"
    encoding: str | None
    parts: list[Part]
    skipped: list[str] = field(default_factory=list)  # sheets without a header, and why
    _temporary: list[Path] = field(default_factory=list, repr=False)

    def close(self) -> None:
        for path in self._temporary:
            path.unlink(missing_ok=True)
        self._temporary.clear()

    def __enter__(self) -> "RawFile":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _first_line(error: BaseException) -> str:
    """An error's first line, for a one-sentence message (its type when it says nothing)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _empty(header: list[str]) -> pl.DataFrame:
    return pl.DataFrame(schema={**{h: pl.String for h in header}, "_source_row": pl.Int64, "_extra": pl.String})


def _cell(value: object) -> str:
    return "" if value is None else str(value).strip()


def _trimmed(row: list) -> list[str]:
    cells = [_cell(c) for c in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def unique_header(cells: list[str]) -> list[str]:
    """Header names made usable as columns: blanks become 列N, repeats get a suffix _2, _3 ...,
    and a leading underscore (reserved for the reader's own columns) gets 列 in front."""
    names: list[str] = []
    seen: set[str] = set()
    for index, cell in enumerate(cells, start=1):
        base = re.sub(r"\s+", " ", _cell(cell).lstrip("\ufeff")) or f"列{index}"
        if base.startswith("_"):  # _source_row, _extra ... are ours
            base = "列" + base
        name, n = base, 1
        while name in seen:
            n += 1
            name = f"{base}_{n}"
        seen.add(name)
        names.append(name)
    return names


def repeated_headers(cells: list) -> dict[str, tuple[int, ...]]:
    """Headers written more than once (blank ones aside), each with its column numbers (1-based)."""
    seen: dict[str, list[int]] = {}
    for index, cell in enumerate(cells, start=1):
        name = re.sub(r"\s+", " ", _cell(cell).lstrip("\ufeff"))
        if name:
            seen.setdefault(name, []).append(index)
    return {name: tuple(where) for name, where in seen.items() if len(where) > 1}


def written_twice(header: str, where: tuple[int, ...]) -> str:
    """The end of the sentence refusing a repeated header."""
    numbers = ", ".join(str(n) for n in where[:-1]) + f" and {where[-1]}"
    return f"is written twice, in columns {numbers}; keep one of them or rename the other"


def _find_header(rows: list[list[str]], is_header: HeaderTest | None) -> int:
    """Index of the header among ``rows``: the first of the first 10 that ``is_header`` accepts,
    else the first non-empty one."""
    candidates = [i for i, row in enumerate(rows[:HEADER_SCAN_ROWS]) if any(_cell(c) for c in row)]
    if is_header is not None:
        for i in candidates:
            if is_header([_cell(c) for c in rows[i]]):
                return i
    if candidates:
        return candidates[0]
    raise ValueError("no header row")


def _rows_then_notes(frames: Iterator[pl.DataFrame], header: list[str], batch_rows: int,
                     notes: list[str]) -> Iterator[pl.DataFrame]:
    cells = [c for c in header] + ["_extra"]
    pending: list[pl.DataFrame] = []
    size = 0
    for frame in frames:
        present = [c for c in cells if c in frame.columns]
        if present:  # a row whose every cell is empty or only spaces is not a record
            frame = frame.filter(_has_value(frame, present))
        if frame.height == 0:
            continue
        pending.append(frame)
        size += frame.height
        if size > batch_rows + _TAIL:
            buffer = pl.concat(pending)
            while buffer.height > batch_rows + _TAIL:
                yield buffer.slice(0, batch_rows)
                buffer = buffer.slice(batch_rows)
            pending, size = [buffer], buffer.height
    if not pending:
        return
    buffer = pl.concat(pending)
    keep = _notes_start(buffer, header, cells) if header else buffer.height
    notes.extend(" ".join(_cell(row[c]) for c in cells if c in row and _cell(row[c]))
                 for row in buffer.slice(keep).iter_rows(named=True))
    buffer = buffer.slice(0, keep)
    for offset in range(0, buffer.height, batch_rows):
        yield buffer.slice(offset, batch_rows)


def _has_value(frame: pl.DataFrame, cells: list[str]) -> pl.Series:
    """Whether each row has a cell that is more than spaces. Most rows' first cell starts with a character;
    only the others are searched cell by cell (ten times faster on a large file)."""
    found = frame[cells[0]].str.contains(r"^\S").fill_null(False)
    others = (~found).arg_true()
    if len(others):
        found = found.scatter(others, frame[others].select(
            pl.any_horizontal(pl.col(cells).str.contains(r"\S")).fill_null(False)).to_series())
    return found


def _notes_start(buffer: pl.DataFrame, header: list[str], cells: list[str]) -> int:
    """Where the notes under the table begin: the bottom block of rows that are notes (a 注：/数据来源： line
    whatever its other cells hold, or any line with nothing beyond its first cell), from its first row that
    is recognisably a note (注：…, * …, Source: …) down. Lines of the block above that stay data rows."""
    first, rest = header[0], [c for c in cells[1:] if c in buffer.columns]
    start = buffer.height
    for index in range(buffer.height - 1, max(buffer.height - _TAIL, 0) - 1, -1):
        row = buffer.row(index, named=True)
        text = _cell(row.get(first))
        alone = not any(_cell(row[c]) for c in rest)
        if NOTE.match(text) or (alone and NOTE_MARK.match(text)):
            start = index
        elif not alone:
            break
    return start


def open_file(path: str | Path, *, is_header: HeaderTest | None = None, batch_rows: int = DEFAULT_BATCH_ROWS,
              work_dir: str | Path | None = None) -> RawFile:
    """Open ``path`` for reading; raises ``IngestError`` with one sentence naming the file.

    ``is_header(cells)`` tells a header row from a title or metadata row; ``work_dir`` is where a
    transcoded copy of a non-UTF-8 text file is written (default: the system temporary folder).
    """
    path = Path(path)
    if not path.is_file():
        raise IngestError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise IngestError(f"{path}: unsupported file type {suffix or '(none)'!r}; "
                          "use CSV (.csv/.txt/.tsv), Excel (.xlsx/.xls) or Parquet (.parquet)")
    if path.stat().st_size == 0:
        raise IngestError(f"{path}: the file is empty")
    if suffix in EXCEL_SUFFIXES:
        return _open_excel(path, is_header, batch_rows)
    if suffix in PARQUET_SUFFIXES:
        return _open_parquet(path, batch_rows)
    return _open_text(path, is_header, batch_rows, work_dir)


def _sample(path: Path) -> bytes:
    with path.open("rb") as handle:
        data = handle.read(SAMPLE_BYTES)
        if len(data) == SAMPLE_BYTES:  # stop at the last full line so no character is cut in two
            data = data[: data.rfind(b"\n") + 1] or data
    return data


def _first_bad_line(data: bytes, error: UnicodeDecodeError) -> int:
    return data[: error.start].count(b"\n") + 1


def detect_encoding(path: str | Path) -> str:
    """The encoding of a text file: utf-8-sig, utf-16 (by BOM), else the first of UTF-8, GBK,
    GB18030 that decodes a sample strictly. Raises ``IngestError`` when none does, and when a
    byte-order mark announces an encoding the text after it is not in."""
    path = Path(path)
    sample = _sample(path)
    if sample.startswith(codecs.BOM_UTF8):
        _check_after_mark(path, sample[len(codecs.BOM_UTF8):], "UTF-8", "utf-8")
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if b"\x00" not in sample[2:]:  # UTF-16 text has a zero byte in every ASCII character (digits, commas)
            _check_after_mark(path, sample[2:], "UTF-16", None)
        return "utf-16"
    if b"\x00" in sample:
        raise IngestError(f"{path}: this is not a text file (it contains binary data); "
                          "send CSV, Excel or Parquet")
    return _first_decoding(path, sample)


def _first_decoding(path: Path, sample: bytes) -> str:
    errors = []
    for encoding in ENCODINGS:
        try:
            sample.decode(encoding)
            return encoding
        except UnicodeDecodeError as error:
            errors.append(error)
    line = _first_bad_line(sample, max(errors, key=lambda e: e.start))  # where the likeliest encoding failed
    raise IngestError(f"{path}: cannot be read as UTF-8, GBK or GB18030 (undecodable bytes on line {line}); "
                      "save it again as UTF-8 or GBK CSV")


def _check_after_mark(path: Path, body: bytes, mark: str, codec: str | None) -> None:
    """Refuse a file whose byte-order mark names an encoding its text is not in (a BOM glued onto a GBK
    export, a UTF-16 mark before UTF-8 text), saying what the text is."""
    if codec is not None:
        try:
            body.decode(codec)
            return
        except UnicodeDecodeError as error:
            line = f"line {_first_bad_line(body, error)}"
    else:
        line = "the text"
    try:
        actual = _first_decoding(path, body).upper()
    except IngestError:
        actual = "not UTF-8, GBK or GB18030"
    raise IngestError(f"{path}: starts with a {mark} byte-order mark but {line} is {actual}; "
                      f"save it again in one encoding (UTF-8 or GBK)")


def _transcode(path: Path, encoding: str, work_dir: str | Path | None,
               carriage_returns: bool = False) -> tuple[Path, str]:
    """Stream ``path`` into a temporary UTF-8 file; returns (file, the encoding actually used).

    A file that starts as valid GBK but later holds a character only GB18030 has (rare name
    characters often do) is read as GB18030 instead. UTF-8 lines in a GBK file (two exports pasted
    together) are refused even where their bytes happen to decode as GBK: they would load garbled.
    ``carriage_returns``: the lines end with CR alone (old Mac files), written out as LF.
    """
    folder = Path(work_dir) if work_dir is not None else None
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix="cockpit-ingest-", suffix=".csv", dir=folder)
    target = Path(name)
    try:
        with path.open("rb") as source, os.fdopen(handle, "wb") as sink:
            decoder = codecs.getincrementaldecoder(encoding)("strict")
            lines = 0
            unchecked, checked_lines = b"", 0  # the bytes after the last whole line looked at for UTF-8
            while True:
                chunk = source.read(_CHUNK)
                if encoding in ("gbk", "gb18030"):
                    data = unchecked + chunk
                    end = len(data) if not chunk else data.rfind(b"\n") + 1
                    found = _utf8_line(data[:end])
                    if found is not None:
                        line = checked_lines + data[:found].count(b"\n") + 1
                        raise IngestError(f"{path}: mixes encodings at line {line}: that line is UTF-8, the lines "
                                          f"before it {encoding.upper()}; save the whole file again in one encoding")
                    checked_lines += data[:end].count(b"\n")
                    unchecked = data[end:]
                try:
                    text = decoder.decode(chunk, final=not chunk)
                except UnicodeDecodeError as error:
                    if encoding == "gbk":
                        target.unlink(missing_ok=True)
                        return _transcode(path, "gb18030", work_dir, carriage_returns)
                    line = lines + error.object[: error.start].count(b"\n") + 1
                    where = "the end of the file (it is cut off)" if not chunk else f"line {line}"
                    raise IngestError(f"{path}: cannot be read as {encoding.upper()} at {where}; "
                                      "the file is damaged or mixes encodings") from None
                sink.write((text.replace("\r", "\n") if carriage_returns else text).encode("utf-8"))
                if not chunk:
                    break
                lines += chunk.count(b"\n")
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target, encoding


def _utf8_line(data: bytes) -> int | None:
    """The offset of the first line of ``data`` (bytes read as GBK) that is really UTF-8 Chinese text.

    Chinese in UTF-8 is three bytes a character (E4–E9, then two of 80–BF); two such characters in a row
    are rare in GBK text, so numpy finds the few candidate lines. A candidate is UTF-8 when the whole line
    decodes as UTF-8 and that gives at least as many Chinese characters as reading it as GBK gives common
    (GB2312) ones: GBK text read as UTF-8 is never mostly Chinese, UTF-8 read as GBK is mostly rare characters.
    """
    if len(data) < 6:
        return None
    byte = np.frombuffer(data, dtype=np.uint8)
    continuation = (byte >= 0x80) & (byte <= 0xBF)
    chinese = (byte[:-2] >= 0xE4) & (byte[:-2] <= 0xE9) & continuation[1:-1] & continuation[2:]
    seen_to = -1
    for start in np.flatnonzero(chinese[:-3] & chinese[3:]).tolist():
        if start < seen_to:
            continue
        first = data.rfind(b"\n", 0, start) + 1
        seen_to = data.find(b"\n", start)
        seen_to = len(data) if seen_to < 0 else seen_to
        line = data[first:seen_to]
        try:
            as_utf8 = line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        as_gbk = line.decode("gb18030", errors="replace")
        if sum("\u4e00" <= c <= "\u9fff" for c in as_utf8) >= sum(_is_gb2312(c) for c in as_gbk):
            return first
    return None


def _is_gb2312(char: str) -> bool:
    if char < "\u0080":
        return False
    try:
        char.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def _delimiter(lines: list[str], suffix: str) -> str:
    if suffix == ".tsv":
        return "\t"
    counts = {d: sum(line.count(d) for line in lines) for d in (",", "\t", ";", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


@contextmanager
def _any_field_length() -> Iterator[None]:
    """Python's csv module refuses fields over 131,072 characters; a department's field may be longer
    (polars, which reads the body, has no such limit)."""
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, 2**31 - 1))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _head_records(text_path: Path, delimiter: str, path: Path) -> tuple[list[list[str]], list[int]]:
    """The first records (csv-quoted) and the line number each starts on."""
    records, starts = [], []
    line = 1
    try:
        with text_path.open(encoding="utf-8-sig", newline="") as handle, _any_field_length():
            reader = csv.reader(handle, delimiter=delimiter)
            for record in reader:
                records.append(record)
                starts.append(line)
                line = reader.line_num + 1
                if len(records) >= HEADER_SCAN_ROWS + 2:
                    break
    except (csv.Error, UnicodeDecodeError) as error:
        raise IngestError(f"{path}: cannot be read as CSV from line {line} ({_first_line(error)})") from None
    return records, starts


def _quoted_fields(data: bytes, delimiter: str) -> list[re.Match]:
    """The quoted fields of ``data`` (which starts at a record start). A quote opens a field only at the
    start of a field, as CSV readers see it; a stray quote inside a field, as in ``5"屏``, is text. A field
    still open at the end runs to the end (its group ``close`` is then None)."""
    if b'"' not in data:
        return []
    separator = re.escape(delimiter.encode())
    pattern = re.compile(rb'(?<![^' + separator + rb'\n])"[^"]*(?:""[^"]*)*(?:(?P<close>")|\Z)')
    return list(pattern.finditer(data))


def _quoted_spans(data: bytes, delimiter: str) -> list[tuple[int, int]]:
    return [match.span() for match in _quoted_fields(data, delimiter)]


def _unclosed_quote(data: bytes, delimiter: str) -> int | None:
    """Where a quoted field opens that the end of ``data`` (the end of the file) leaves open, if one does."""
    fields = _quoted_fields(data, delimiter)
    return fields[-1].start() if fields and fields[-1].group("close") is None else None


def _has_stray_quote(data: bytes, delimiter: str) -> bool:
    """A quote that neither opens nor closes a field (text such as 5"屏): quote parity is then no guide."""
    separator = re.escape(delimiter.encode())
    return re.search(rb'[^' + separator + rb'\n"]"[^' + separator + rb'\r\n"]', data) is not None


def _skip_records(data: bytes, count: int, delimiter: str) -> int | None:
    """The offset just after the first ``count`` records of ``data``, or None if it holds fewer."""
    spans = _quoted_spans(data, delimiter)
    starts = [s for s, _ in spans]
    offset = 0
    for _ in range(count):
        newline = data.find(b"\n", offset)
        while newline >= 0:
            inside = bisect.bisect_right(starts, newline) - 1
            if inside < 0 or spans[inside][1] <= newline:
                break
            newline = data.find(b"\n", spans[inside][1])
        if newline < 0:
            return None
        offset = newline + 1
    return offset


def _last_boundary(data: bytes, delimiter: str) -> int | None:
    """The offset just after the last complete record of ``data`` (which starts at a record start)."""
    newline = data.rfind(b"\n")
    if b'"' not in data:
        return newline + 1 if newline >= 0 else None
    if not _has_stray_quote(data, delimiter):  # well-formed quoting: a newline outside quotes has even parity
        while newline >= 0 and data.count(b'"', 0, newline) % 2:
            newline = data.rfind(b"\n", 0, newline)
        return newline + 1 if newline >= 0 else None
    limit = len(data)
    for start, end in reversed(_quoted_spans(data, delimiter)):
        newline = data.rfind(b"\n", end, limit)
        if newline >= 0:
            return newline + 1
        limit = start
    newline = data.rfind(b"\n", 0, limit)
    return newline + 1 if newline >= 0 else None


def _parse_slowly(text: str, names: list[str], delimiter: str) -> pl.DataFrame:
    """Python's csv module for a piece polars' fast reader rejects (quotes that do not open a field);
    same result shape: an empty line is an all-null row, cells past ``names`` are dropped."""
    width = len(names)
    rows = []
    with _any_field_length():
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    for record in records:
        cells = [c if c != "" else None for c in record[:width]]
        rows.append(cells + [None] * (width - len(cells)))
    return pl.DataFrame(rows, schema={n: pl.String for n in names}, orient="row")


def _open_text(path: Path, is_header: HeaderTest | None, batch_rows: int, work_dir) -> RawFile:
    encoding = detect_encoding(path)
    temporary: list[Path] = []
    text_path = path
    head = _sample(path)
    carriage_returns = b"\r" in head and b"\n" not in head  # old Mac line endings: CR alone ends a line
    if encoding not in ("utf-8", "utf-8-sig") or carriage_returns:
        text_path, encoding = _transcode(path, encoding, work_dir, carriage_returns)
        temporary.append(text_path)
    try:
        sample = _sample(text_path).decode("utf-8-sig", errors="replace")
        lines = sample.splitlines()[: HEADER_SCAN_ROWS + 2]
        delimiter = _delimiter(lines, path.suffix.lower())
        records, starts = _head_records(text_path, delimiter, path)
        try:
            index = _find_header(records, is_header)
        except ValueError:
            raise IngestError(f"{path}: the file has no header row (its first {HEADER_SCAN_ROWS} rows are empty)") from None
        header = unique_header(records[index])
        preamble = [_trimmed(r) for r in records[:index] if any(_cell(c) for c in r)]
        header_row = starts[index]
        line_bytes = len(sample.encode("utf-8")) / max(sample.count("\n"), 1)
        estimated_rows = max(int(text_path.stat().st_size / max(line_bytes, 1)) - header_row, 0)
    except BaseException:
        for temp in temporary:
            temp.unlink(missing_ok=True)
        raise

    extras = [f"_extra_{i}" for i in range(1, EXTRA_FIELDS + 1)]
    schema = {name: pl.String for name in [*header, *extras]}

    def parse(piece: bytes, first_row: int, lines_before: int) -> pl.DataFrame:
        try:
            frame = pl.read_csv(piece, has_header=False, schema=schema, missing_columns="insert",
                                truncate_ragged_lines=True, separator=delimiter, quote_char='"', encoding="utf8")
        except pl.exceptions.PolarsError as error:
            try:
                text = piece.decode("utf-8")
            except UnicodeDecodeError as bad:
                line = lines_before + piece[: bad.start].count(b"\n") + 1
                raise IngestError(f"{path}: line {line} is not valid UTF-8; the file is damaged or mixes encodings "
                                  "(save it again as UTF-8 or GBK)") from None
            try:  # polars' fast reader trips on quotes that do not open a field (5"屏); Python's does not
                frame = _parse_slowly(text, list(schema), delimiter)
            except csv.Error as slow:
                raise IngestError(f"{path}: cannot be read as CSV after line {lines_before} "
                                  f"({_first_line(error)}; {slow})") from None
        return frame.select(
            *header,
            pl.int_range(first_row, first_row + frame.height, dtype=pl.Int64).alias("_source_row"),
            pl.when(pl.any_horizontal(pl.col(extras).is_not_null()))
            .then(pl.concat_str(extras, separator=delimiter, ignore_nulls=True)).alias("_extra"),
        )

    def read(numbers: tuple[str, ...] = ()) -> Iterator[pl.DataFrame]:
        """Cut the file into pieces at record boundaries (newlines outside quotes) and parse each:
        memory stays at one piece however large the file is. (Text has no number cells.)"""
        piece_bytes = max(1 << 16, min(_CHUNK, batch_rows * 64))  # about one batch per piece
        with text_path.open("rb") as handle:
            buffer, start, eof = b"", None, False
            while start is None and not eof:
                more = handle.read(piece_bytes)
                eof = not more
                buffer += more
                start = _skip_records(buffer, index + 1, delimiter)
            if start is None:
                return
            lines_before = buffer[:start].count(b"\n")
            buffer, row = buffer[start:], header_row + 1
            while buffer or not eof:
                if not eof and len(buffer) < piece_bytes:
                    more = handle.read(piece_bytes)
                    eof = not more
                    buffer += more
                    continue
                cut = len(buffer) if eof else _last_boundary(buffer, delimiter)
                if cut is None:  # one record longer than a piece: read on
                    more = handle.read(piece_bytes)
                    eof = not more
                    buffer += more
                    continue
                piece, buffer = buffer[:cut], buffer[cut:]
                opened = _unclosed_quote(piece, delimiter) if eof else None
                if opened is not None:  # the reader would take the rest of the file for one value
                    line = lines_before + piece[:opened].count(b"\n") + 1
                    raise IngestError(f"{path}: line {line} opens a quoted field that is never closed (a missing \"?); "
                                      "the rest of the file would be read as one value")
                if piece.strip():
                    frame = parse(piece, row, lines_before)
                    row += frame.height
                    yield frame
                lines_before += piece.count(b"\n")

    part = Part(name=None, preamble=preamble, header=header, header_row=header_row,
                estimated_rows=estimated_rows, read=read, batch_rows=batch_rows,
                repeated=repeated_headers(records[index]))
    return RawFile(path=path, format="csv", encoding=encoding, parts=[part], _temporary=temporary)


def _open_excel(path: Path, is_header: HeaderTest | None, batch_rows: int) -> RawFile:
    try:
        sheets = pl.read_excel(path, sheet_id=0, has_header=False, drop_empty_rows=False, drop_empty_cols=False,
                               raise_if_empty=False,
                               read_options={"header_row": None, "skip_rows": 0, "dtypes": "string"})
    except Exception as error:  # calamine reports damaged files in many ways
        instead = _not_a_workbook(path)
        raise IngestError(f"{path}: {instead}" if instead else f"{path}: cannot be read as an Excel workbook "
                          f"({_first_line(error)}); is it damaged or password-protected?") from None
    found: list[tuple[str, pl.DataFrame, list[list[str]], int, bool]] = []
    skipped: list[str] = []
    for sheet, frame in sheets.items():
        frame = frame.with_columns(pl.all().cast(pl.String))
        head = [list(row) for row in frame.head(HEADER_SCAN_ROWS).iter_rows()]
        try:
            index = _find_header(head, is_header)
        except ValueError:
            skipped.append(f"工作表「{sheet}」为空 / sheet {sheet!r} is empty")
            continue
        matched = is_header is None or is_header([_cell(c) for c in head[index]])
        found.append((sheet, frame, head, index, matched))
    if any(matched for *_, matched in found):  # read the sheets with a known header, name the others
        skipped += [f"工作表「{s}」没有可识别的表头，未读取 / sheet {s!r} has no recognisable header; not read"
                    for s, *_, matched in found if not matched]
        found = [f for f in found if f[-1]]
    if not found:
        raise IngestError(f"{path}: every sheet of the workbook is empty")
    parts = []
    for sheet, frame, head, index, _ in found:
        header = unique_header(head[index])
        body = frame.slice(index + 1).with_row_index("_i").select(
            *[pl.col(old).alias(new) for old, new in zip(frame.columns, header)],
            (pl.col("_i").cast(pl.Int64) + index + 2).alias("_source_row"),
            pl.lit(None, dtype=pl.String).alias("_extra"),
        )
        blank = [h for h, cell in zip(header, head[index]) if not _cell(cell) and body[h].null_count() == body.height]
        if blank:  # columns with neither a header nor a value (e.g. an empty column A)
            body = body.drop(blank)
            header = [h for h in header if h not in blank]
        preamble = [_trimmed(r) for r in head[:index] if any(_cell(c) for c in r)]
        positions = {h: i for i, h in enumerate(unique_header(head[index]))}
        read = (lambda numbers, sheet=sheet, body=body, positions=positions, first=index + 1:
                iter([_excel_numbers(path, sheet, body, {h: positions[h] for h in numbers}, first)]))
        parts.append(Part(name=sheet, preamble=preamble, header=header, header_row=index + 1,
                          repeated=repeated_headers(head[index]),
                          estimated_rows=body.height, read=read, batch_rows=batch_rows))
    return RawFile(path=path, format="excel", encoding=None, parts=parts, skipped=skipped)


def _not_a_workbook(path: Path) -> str | None:
    """What a file named like a workbook is instead, when that is plain: systems that "export to Excel"
    often write a web page or a text table under an .xls/.xlsx name."""
    head = _sample(path)[:4096]
    if head.startswith((b"PK\x03\x04", bytes.fromhex("D0CF11E0A1B11AE1"))) or b"\x00" in head:
        return None  # a zip or OLE container, or binary: calamine's own words say more
    if re.match(rb"\s*(<!DOCTYPE html|<html|<table|<\?xml)", head, re.IGNORECASE):
        return "is a web page (HTML), not an Excel workbook; open it in Excel and save it as .xlsx"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            head.decode("gb18030")
        except UnicodeDecodeError:
            return None
    return "is a text file, not an Excel workbook; if it is a table, rename it to .csv"


def _excel_numbers(path: Path, sheet: str, body: pl.DataFrame, columns: dict[str, int], first: int) -> pl.DataFrame:
    """``body`` with the number cells of ``columns`` (header -> column of the sheet's range) marked.

    The text read (calamine, every cell as a string) does not say which cells were numbers, so the
    columns asked about are read again as booleans: a number (or a boolean) cell is then true or false,
    a text or empty cell null. Reading again costs about as much as the first read (measured in
    docs/ingest.md), and only files with identifier columns pay it.
    """
    if not columns:
        return body
    import fastexcel

    try:
        marks = pl.from_arrow(fastexcel.read_excel(path).load_sheet(
            sheet, header_row=None, skip_rows=0, dtypes="boolean", eager=True,
            use_columns=[f"__UNNAMED__{i}" for i in columns.values()])).slice(first)
    except Exception as error:  # calamine reports damaged files in many ways
        raise IngestError(f"{path}: cannot tell number cells from text in sheet {sheet!r} ({_first_line(error)})") from None
    if marks.height != body.height:
        raise IngestError(f"{path}: cannot tell number cells from text in sheet {sheet!r} "
                          f"({marks.height} rows read as numbers, {body.height} as text)")
    for header, column in zip(columns, marks.columns):
        body = numbers_.mark_cells(body, header, marks[column])
    return body



def _as_text(frame: pl.DataFrame) -> pl.DataFrame:
    columns = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if dtype == pl.Date:
            columns.append(column.dt.to_string("%Y-%m-%d"))
        elif isinstance(dtype, pl.Datetime):
            columns.append(column.dt.to_string("%Y-%m-%d %H:%M:%S"))
        elif dtype.is_nested():  # a list or structure as one line of JSON, not polars' multi-line printout
            columns.append(column.map_elements(_json_line, return_dtype=pl.String, skip_nulls=True))
        else:
            columns.append(column.cast(pl.String, strict=False))
    return frame.select(columns)


def _json_line(value: object) -> str:
    plain = value.to_list() if isinstance(value, pl.Series) else value
    return json.dumps(plain, ensure_ascii=False, default=str)


def _open_parquet(path: Path, batch_rows: int) -> RawFile:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        handle = pq.ParquetFile(path)
        names = list(handle.schema_arrow.names)
        total = handle.metadata.num_rows
    except Exception as error:
        raise IngestError(f"{path}: cannot be read as Parquet ({_first_line(error)}); is it cut off?") from None
    header = unique_header(names)

    def read(numbers: tuple[str, ...] = ()) -> Iterator[pl.DataFrame]:
        offset = 0
        try:
            for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_rows):
                typed = pl.from_arrow(batch.rename_columns(header))
                frame = _as_text(typed)
                for name in numbers:  # number cells marked, exact ones as their digits (130921, not 130921.0)
                    found = numbers_.typed_column(name, typed.schema[name])
                    if found is not None:
                        text, marks = found
                        frame = frame.with_columns(typed.select(text.alias(name), marks.alias(numbers_.column(name))))
                yield frame.with_columns(
                    pl.int_range(offset + 1, offset + 1 + frame.height, dtype=pl.Int64).alias("_source_row"),
                    pl.lit(None, dtype=pl.String).alias("_extra"))
                offset += frame.height
        except IngestError:
            raise
        except Exception as error:
            raise IngestError(f"{path}: cannot be read as Parquet after row {offset} "
                              f"({_first_line(error)})") from None

    nested = frozenset(h for h, kind in zip(header, handle.schema_arrow.types) if pa.types.is_nested(kind))
    part = Part(name=None, preamble=[], header=header, header_row=0, estimated_rows=total, read=read,
                repeated=repeated_headers(names), nested=nested,
                batch_rows=batch_rows)
    return RawFile(path=path, format="parquet", encoding=None, parts=[part])
