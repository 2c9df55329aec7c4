"""The statistics data portal's CSV export layout (数据库/指标/时间 lines, a wide table, 注 and 数据来源).

Exports from the national and provincial statistics portals share one shape, in three orientations:

* regions as rows (``指标：…`` fixed): ``地区,2024年12月,2024年11月,…``
* periods as rows (``指标：…`` fixed, transposed): ``时间,贵州省,贵阳市,…``
* indicators as rows (``地区：…`` fixed): ``指标,2024年,2023年,…``

Headers read ``<indicator>_<measure>(<unit>)``, e.g. ``社会消费品零售总额_累计值(亿元)``; an index
whose unit is its base reads ``居民消费价格指数(上年同月=100)_当期``. Periods are newest first.
The demo generator and the ingest tests both write through this module.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from data_marts import indicators, regions

ENCODING = "gbk"
_QUARTERS = "一二三四"
# What the portal writes after the underscore for each stored measure.
MEASURE_LABELS = {"累计值": "累计值", "累计增速": "累计增长", "当期值": "当期", "当期增速": "当期增长",
                  "目标值": "目标值", "目标增速": "目标增速"}


def period_label(period: str) -> str:
    """'2024-12' → '2024年12月'; '2024-Q4' → '2024年第四季度'; '2024' → '2024年'."""
    if m := re.fullmatch(r"(\d{4})-(\d{2})", period):
        return f"{m[1]}年{int(m[2])}月"
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", period):
        return f"{m[1]}年第{_QUARTERS[int(m[2]) - 1]}季度"
    if re.fullmatch(r"\d{4}", period):
        return f"{period}年"
    raise ValueError(f"not a period: {period!r}")


def period_from_label(label: str) -> str:
    """The inverse of :func:`period_label` ('2024年第四季度' → '2024-Q4')."""
    text = label.strip()
    if m := re.fullmatch(r"(\d{4})年(\d{1,2})月", text):
        return f"{m[1]}-{int(m[2]):02d}"
    if m := re.fullmatch(r"(\d{4})年第([一二三四1-4])季度", text):
        q = m[2] if m[2].isdigit() else str(_QUARTERS.index(m[2]) + 1)
        return f"{m[1]}-Q{q}"
    if m := re.fullmatch(r"(\d{4})年", text):
        return m[1]
    raise ValueError(f"not a period label: {label!r}")


def header(indicator_zh: str, measure: str | None, unit: str | None) -> str:
    """The portal's name for one series: ``社会消费品零售总额_累计值(亿元)``.

    ``measure`` None gives the annual-database form without a measure (``地区生产总值(亿元)``);
    a unit that is an index base (contains '=') goes right after the indicator.
    """
    if measure is None:
        return f"{indicator_zh}({unit})" if unit else indicator_zh
    label = MEASURE_LABELS[measure]
    if unit and "=" in unit:
        return f"{indicator_zh}({unit})_{label}"
    return f"{indicator_zh}_{label}({unit})" if unit else f"{indicator_zh}_{label}"


def format_value(value: float | None, decimals: int = 2) -> str:
    """Up to ``decimals`` places without trailing zeros; empty for a missing value."""
    if value is None or value != value:
        return ""
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class PortalTable:
    """One export: metadata lines, a header row, data rows, notes and the source line."""

    database: str                                   # 数据库：…
    meta: tuple[tuple[str, str], ...]               # further "key：value" lines, in order (指标/地区, 时间, 版本)
    corner: str                                     # first header cell: 地区, 时间 or 指标
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]   # (row label, formatted cells)
    notes: tuple[str, ...] = ()                     # without the leading 注：
    source: str = "贵州省统计局"

    def lines(self) -> list[list[str]]:
        out = [[f"数据库：{self.database}"]]
        out += [[f"{key}：{value}"] for key, value in self.meta]
        out.append([self.corner, *self.columns])
        out += [[label, *cells] for label, cells in self.rows]
        out += [[f"注：{note}"] for note in self.notes]
        out.append([f"数据来源：{self.source}"])
        return out


def write_table(table: PortalTable, path: Path, encoding: str = ENCODING) -> Path:
    """Write ``table`` as the portal does (CRLF line ends, GBK by default)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(table.lines())
    return path


def _time_span(periods: Iterable[str]) -> str:
    years = sorted({p[:4] for p in periods})
    return years[0] if len(years) == 1 else f"{years[0]}-{years[-1]}"


def _periods_newest_first(periods: Iterable[str]) -> list[str]:
    return sorted(set(periods), reverse=True)


def _decimals(measure: str, unit: str | None) -> int:
    return 1 if measure in ("累计增速", "当期增速", "目标增速") or (unit and "=" in unit) else 2


def _series_header(df: pl.DataFrame) -> tuple[str, str, str | None]:
    indicator_code, measure = df["indicator"][0], df["measure"][0]
    unit = df["unit"][0]
    return header(indicators.BY_CODE[indicator_code].zh, measure, unit), measure, unit


def _one_series(df: pl.DataFrame) -> None:
    if df.select(pl.struct("indicator", "measure").n_unique()).item() != 1:
        raise ValueError("a portal table by region or by period holds exactly one indicator × measure")


def _region_order(codes: Iterable[str]) -> list[str]:
    order = {r.code: i for i, r in enumerate(regions.regions())}
    return sorted(set(codes), key=lambda c: order.get(c, len(order)))


def _vintage_meta(vintage: str | None) -> tuple[tuple[str, str], ...]:
    return (("版本", vintage),) if vintage else ()


def by_region(df: pl.DataFrame, database: str, *, notes: Sequence[str] = (), source: str = "贵州省统计局",
              vintage: str | None = None) -> PortalTable:
    """Regions as rows, periods (newest first) as columns, for one indicator × measure of a long frame."""
    _one_series(df)
    title, measure, unit = _series_header(df)
    periods = _periods_newest_first(df["period"])
    cells = {(r, p): v for r, p, v in df.select("region_code", "period", "value").iter_rows()}
    decimals = _decimals(measure, unit)
    rows = tuple((regions.name(code), tuple(format_value(cells.get((code, p)), decimals) for p in periods))
                 for code in _region_order(df["region_code"]))
    return PortalTable(database, (("指标", title), ("时间", _time_span(periods)), *_vintage_meta(vintage)),
                       "地区", tuple(period_label(p) for p in periods), rows, tuple(notes), source)


def by_period(df: pl.DataFrame, database: str, *, notes: Sequence[str] = (), source: str = "贵州省统计局",
              vintage: str | None = None) -> PortalTable:
    """The transposed layout: periods (newest first) as rows, regions as columns."""
    _one_series(df)
    title, measure, unit = _series_header(df)
    periods = _periods_newest_first(df["period"])
    codes = _region_order(df["region_code"])
    cells = {(r, p): v for r, p, v in df.select("region_code", "period", "value").iter_rows()}
    decimals = _decimals(measure, unit)
    rows = tuple((period_label(p), tuple(format_value(cells.get((c, p)), decimals) for c in codes)) for p in periods)
    return PortalTable(database, (("指标", title), ("时间", _time_span(periods)), *_vintage_meta(vintage)),
                       "时间", tuple(regions.name(c) for c in codes), rows, tuple(notes), source)


def by_indicator(df: pl.DataFrame, database: str, region_code: str, *, notes: Sequence[str] = (),
                 source: str = "贵州省统计局", vintage: str | None = None) -> PortalTable:
    """One region fixed in a ``地区：`` line; indicator × measure series as rows, periods as columns."""
    mine = df.filter(pl.col("region_code") == region_code)
    periods = _periods_newest_first(mine["period"])
    rows = []
    for (indicator_code, measure), series in mine.group_by("indicator", "measure", maintain_order=True):
        title, _, unit = _series_header(series)
        cells = dict(series.select("period", "value").iter_rows())
        decimals = _decimals(measure, unit)
        rows.append((title, tuple(format_value(cells.get(p), decimals) for p in periods)))
    return PortalTable(database, (("地区", regions.name(region_code)), ("时间", _time_span(periods)),
                                  *_vintage_meta(vintage)),
                       "指标", tuple(period_label(p) for p in periods), tuple(rows), tuple(notes), source)
