"""Exports of the national statistics data portal (国家数据), turned into the economy contract's long rows.

An export has metadata lines, a table and notes::

    数据库：分省年度数据
    指标：地区生产总值(亿元)
    时间：最近5年
    地区,2024年,2023年,2022年
    北京市,49843.1,47761.2,44653.1
    河北省,47526.9,43944.1,
    注：2023年及以前数据为最终核实数。
    数据来源：国家统计局

The first header cell names the row dimension (地区, 指标 or 时间), the other header cells are a
second dimension, and the third is fixed by a metadata line (指标：…, 地区：… or 时间：…). Each
non-blank cell becomes one record: region code, indicator, period, measure (口径), value, unit.
Periods read 2024年, 2024年3月, 2024年1-2月 (cumulative to February: 2024-02), 2024年第一季度 /
2024年一季度 / 2024Q1 (2024-Q1), 2024年上半年 (2024-Q2), 2024年前三季度 (2024-Q3). Indicator headers
such as ``社会消费品零售总额_累计值(亿元)`` split into indicator, measure and unit; no suffix means
当期值; without a unit in brackets a value is in the unit of a 单位：line, else the catalogue's (the loader
then converts or quarantines units, ``data_marts.units``). Blank cells (empty, -, —, …) hold no data and are counted, not loaded; footnote marks on
values are dropped. A cell whose region, indicator, measure or period cannot be recognised is
rejected with the reason, and the rest of the file loads.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import polars as pl

from data_marts import indicators, regions
from data_marts.ingest import readers, vintages
from data_marts.ingest.readers import IngestError, Part

DIMENSIONS = {"地区": "region", "指标": "indicator", "时间": "period"}
_ZH = {v: k for k, v in DIMENSIONS.items()}
METADATA = re.compile(r"^\s*(数据库|指标|地区|时间|版本|数据版本|发布日期|单位|频度|地区范围)\s*[：:]\s*(.*?)\s*$")
BLANKS = {"", "-", "--", "—", "——", "–", "…", "……", "...", "．．．"}
_MARKS = "*＊#＃†‡§①②③④⑤⑥⑦⑧⑨⑩¹²³⁴⁵⁶⁷⁸⁹⁰"
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
ROW_COLUMNS = ("region_code", "indicator", "period", "measure", "value", "unit", "vintage")


@dataclass(frozen=True)
class IndicatorHeader:
    code: str
    measure: str
    unit: str


@dataclass(frozen=True)
class PortalTable:
    """A parsed export: loadable ``rows`` and rejected cells, both one record per data cell."""

    rows: pl.DataFrame  # ROW_COLUMNS (text) + _record, _source_row, _source_column, _raw
    rejects: pl.DataFrame  # _record, _source_row, _source_column, column_name, rule, reason, _raw
    metadata: dict[str, str]
    blank_cells: int
    vintage: str | None

    @property
    def records(self) -> int:
        return self.rows.height + (self.rejects["_record"].n_unique() if self.rejects.height else 0)


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text or "")).strip()


def is_header(cells: list[str]) -> bool:
    """A portal table's header: the first cell is 地区, 指标 or 时间 and more cells follow."""
    filled = [c for c in cells if c]
    return bool(filled) and "".join(_nfkc(cells[0]).split()) in DIMENSIONS and len(filled) >= 2


def metadata(preamble: list[list[str]]) -> dict[str, str]:
    """The ``key：value`` lines above the table."""
    found: dict[str, str] = {}
    for row in preamble:
        match = METADATA.match("".join(c for c in row if c))
        if match:
            found.setdefault(match.group(1), match.group(2))
    return found


def looks_like(part: Part) -> bool:
    """Whether a part is laid out as a portal export (rather than as the contract's long table)."""
    meta = metadata(part.preamble)
    return is_header(part.header) or bool({"数据库", "指标", "地区"} & set(meta))


def parse_period(text: str) -> str | None:
    """The contract's period (2024, 2024-03, 2024-Q1) for a portal period label, or None."""
    t = "".join(_nfkc(text).split())
    t = re.sub(r"[~～—–至到]", "-", t)
    match = re.fullmatch(r"(\d{4})(?:年|年度|年全年)?", t) or re.fullmatch(r"(\d{4})\.0", t)
    if match:
        return match.group(1)
    match = (re.fullmatch(r"(\d{4})年(\d{1,2})月份?", t) or re.fullmatch(r"(\d{4})年1-(\d{1,2})月份?", t)
             or re.fullmatch(r"(\d{4})[-/.](\d{1,2})", t) or re.fullmatch(r"(\d{4})(\d{2})", t))
    if match:
        month = int(match.group(2))
        return f"{match.group(1)}-{month:02d}" if 1 <= month <= 12 else None
    match = (re.fullmatch(r"(\d{4})年第?([一二三四1-4])季度?", t) or re.fullmatch(r"(\d{4})-?[Qq]([1-4])", t)
             or re.fullmatch(r"(\d{4})年(?:第)?(?:1|一)-(?:第)?([一二三四1-4])季度", t))
    if match:
        return f"{match.group(1)}-Q{_QUARTERS[match.group(2)]}"
    match = re.fullmatch(r"(\d{4})年(上半年|前三季度)", t)
    if match:
        return f"{match.group(1)}-Q{2 if match.group(2) == '上半年' else 3}"
    return None


def parse_indicator(text: str, unit_line: str | None = None) -> IndicatorHeader:
    """Indicator, measure and unit of a header like ``社会消费品零售总额_累计值(亿元)``.

    Without a unit in brackets, a value measure is in the unit of the export's ``单位：`` line
    (``unit_line``), else in the catalogue's unit; a rate measure (增速) in %.
    Raises ``KeyError`` with a bilingual reason (and ``args[1]`` = the contract column at fault).
    """
    full = _nfkc(text)
    match = re.fullmatch(r"(.*?)\s*\(([^()]*)\)", full)
    candidates = [(match.group(1), match.group(2)), (full, None)] if match else [(full, None)]
    problem: tuple[str, str] | None = None
    for base, unit in candidates:
        name, sep, suffix = base.rpartition("_")
        if not sep:
            name, measure = base, "当期值"
        elif suffix in indicators.MEASURES:
            measure = indicators.MEASURES[suffix]
        else:
            problem = problem or (f"口径「{suffix}」无法识别（可用 {'、'.join(indicators.MEASURES)}） / unknown measure "
                                  f"{suffix!r}", "measure")
            continue
        try:
            found = indicators.resolve(name)
        except KeyError:
            problem = problem or (f"指标「{name}」无法识别 / unknown indicator {name!r}", "indicator")
            continue
        default = "%" if measure.endswith("增速") else (unit_line or found.unit)
        return IndicatorHeader(found.code, measure, unit or default)
    raise KeyError(*(problem or (f"指标「{full}」无法识别 / unknown indicator {full!r}", "indicator")))


def parse_value(text: str | None) -> str | None:
    """The number in a cell without footnote marks; None for a blank cell (empty, -, …)."""
    t = str(text or "").strip().strip(_MARKS + " \u3000")  # marks first: NFKC turns ① into 1
    t = _nfkc(t).strip(_MARKS + " ")
    return None if t in BLANKS else t


@dataclass(frozen=True)
class _Placed:
    """What one region, indicator or period label means: contract values, or why it cannot be placed."""

    values: dict[str, str]
    problem: tuple[str, str, str] | None = None  # (contract column, rule, reason)


def _place_region(text: str) -> _Placed:
    code = regions.resolve_or_none(_nfkc(text))
    if code:
        return _Placed({"region_code": code})
    return _Placed({}, ("region_code", "region_code", f"地区「{text}」无法识别 / unknown region {text!r}"))


def _place_period(text: str) -> _Placed:
    period = parse_period(text)
    if period:
        return _Placed({"period": period})
    return _Placed({}, ("period", "pattern", f"时间「{text}」无法识别（如 2024年、2024年3月、2024年1-2月、2024年第一季度） / "
                                              f"unrecognised period {text!r} (e.g. 2024年, 2024年3月, 2024年1-2月, 2024年第一季度)"))


def _place_indicator(text: str, unit_line: str | None = None) -> _Placed:
    try:
        found = parse_indicator(text, unit_line)
    except KeyError as error:
        reason, column = error.args
        return _Placed({}, (column, "accepted_values", reason))
    return _Placed({"indicator": found.code, "measure": found.measure, "unit": found.unit})


_PLACE = {"region": _place_region, "period": _place_period, "indicator": _place_indicator}
_PLACED_COLUMNS = {"region": ("region_code",), "period": ("period",), "indicator": ("indicator", "measure", "unit")}
_REJECT_SCHEMA = {"_record": pl.Int64, "_source_row": pl.Int64, "_source_column": pl.String, "column_name": pl.String,
                  "rule": pl.String, "reason": pl.String, "_raw": pl.String}


def _column_dimension(row_dim: str, headers: list[str], meta: dict[str, str]) -> str:
    periods = sum(parse_period(h) is not None for h in headers)
    if row_dim != "period" and periods * 2 >= len(headers):
        return "period"
    if row_dim == "period":
        if "指标" in meta and "地区" not in meta:
            return "region"
        if "地区" in meta and "指标" not in meta:
            return "indicator"
        known = sum(regions.resolve_or_none(_nfkc(h)) is not None for h in headers)
        return "region" if known * 2 >= len(headers) else "indicator"
    return "indicator" if row_dim == "region" else "region"


def _cells(body: pl.DataFrame, header: list[str], value_headers: list[str]) -> tuple[pl.DataFrame, int]:
    """One row per non-blank data cell, in reading order (row by row), with its row's label, its column's
    header, its value, a record number and the whole original row as JSON; and how many cells were blank."""
    raw_columns = [*header] + (["_extra"] if body["_extra"].null_count() < body.height else [])
    order = {h: i for i, h in enumerate(value_headers)}
    cells = (
        body.with_columns(pl.struct(raw_columns).struct.json_encode().alias("_raw"))
        .unpivot(on=value_headers, index=[header[0], "_source_row", "_raw"], variable_name="_source_column",
                 value_name="_text")
        .with_columns(pl.col("_source_column").replace_strict(order, return_dtype=pl.Int32).alias("_position"))
        .sort("_source_row", "_position")
        .rename({header[0]: "_row_key"})
    )
    values = cells["_text"].map_elements(parse_value, return_dtype=pl.String, skip_nulls=False)
    cells = cells.with_columns(values.alias("value")).filter(pl.col("value").is_not_null())
    return cells.with_columns(pl.int_range(1, cells.height + 1, dtype=pl.Int64).alias("_record")), int(values.is_null().sum())


def parse(part: Part, source: str = "") -> PortalTable:
    """Parse one part (a CSV or a sheet) laid out as a portal export; raises ``IngestError`` when the
    layout itself is not understood (no dimension header, the fixed dimension missing)."""
    prefix = f"{source}: " if source else ""
    header = part.header
    row_key = "".join(_nfkc(header[0]).split()) if header else ""
    if row_key not in DIMENSIONS:
        raise IngestError(f"{prefix}a statistics-portal table starts with a 地区, 指标 or 时间 header cell, "
                          f"found {header[0] if header else 'nothing'!r}")
    if part.repeated:  # two columns for the same period (or region, indicator): which one is meant is unknown
        header_text, where = next(iter(part.repeated.items()))
        raise IngestError(f"{prefix}the header {header_text!r} {readers.written_twice(header_text, where)}")
    meta = metadata(part.preamble)
    body = part.frame()
    value_headers = [h for h in header[1:] if body[h].null_count() < body.height]
    if not value_headers:
        raise IngestError(f"{prefix}the statistics-portal table has no values")
    row_dim = DIMENSIONS[row_key]
    col_dim = _column_dimension(row_dim, value_headers, meta)
    fixed_dim = ({"region", "indicator", "period"} - {row_dim, col_dim}).pop()
    fixed_text = meta.get(_ZH[fixed_dim])
    if not fixed_text:
        raise IngestError(f"{prefix}the table has {_ZH[row_dim]} rows and {_ZH[col_dim]} columns, so the "
                          f"{_ZH[fixed_dim]} must be given on a '{_ZH[fixed_dim]}：…' line above it")
    if fixed_dim == "period" and parse_period(fixed_text) is None:
        raise IngestError(f"{prefix}the '时间：{fixed_text}' line is not one period (e.g. 时间：2024年); "
                          "export with the time as rows or columns instead")

    cells, blank = _cells(body, header, value_headers)
    labels = {row_dim: pl.col("_row_key").fill_null(""), col_dim: pl.col("_source_column"), fixed_dim: pl.lit(fixed_text)}
    cells = cells.with_columns(**{f"_{dim}": label for dim, label in labels.items()})
    place = {**_PLACE, "indicator": lambda text: _place_indicator(text, meta.get("单位") or None)}
    placed = {dim: {text: place[dim](text) for text in cells[f"_{dim}"].unique().to_list()} for dim in _PLACE}
    cells = cells.with_columns(
        *[pl.col(f"_{dim}").replace_strict({text: p.values.get(column) for text, p in table.items()}, default=None,
                                           return_dtype=pl.String).alias(column)
          for dim, table in placed.items() for column in _PLACED_COLUMNS[dim]],
        pl.lit(None, dtype=pl.String).alias("vintage"),
    )
    problems = [
        cells.filter(pl.col(f"_{dim}") == text).select(
            "_record", "_source_row", "_source_column", pl.lit(column).alias("column_name"), pl.lit(rule).alias("rule"),
            pl.lit(reason).alias("reason"), "_raw")
        for dim, table in placed.items() for text, p in table.items() if p.problem
        for column, rule, reason in [p.problem]
    ]
    rejects = pl.concat(problems).sort("_record") if problems else pl.DataFrame(schema=_REJECT_SCHEMA)
    rows = cells.join(rejects.select("_record").unique(), on="_record", how="anti").select(
        *ROW_COLUMNS, "_record", "_source_row", "_source_column", "_raw")
    vintage = next((meta[k] for k in vintages.KEYS if meta.get(k)), None)
    return PortalTable(rows=rows, rejects=rejects.select(list(_REJECT_SCHEMA)), metadata=meta, blank_cells=blank,
                       vintage=vintage)
