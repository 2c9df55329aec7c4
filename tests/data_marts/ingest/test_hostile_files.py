"""Hostile files: what a real department sends, through the real command line (`cockpit ingest FILE --library L`).

Every file is its own test. For each: the exit status (0 loaded, quarantine included; 2 refused), one message
that names the file and is neither a traceback nor the CLI's "unexpected failure" fallback, the accounting
in meta.load_log (rows read = loaded + quarantined, and rows read = the records the file holds), and for a
refused file a staging store exactly as it was (every table's row count and the whole load log). The
figures (files tried, handled as documented, tracebacks, rows lost) are printed after the module's tests.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import random
import shutil
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import xlsxwriter

from data_marts.ingest import ingest_file
from tests.data_marts.ingest.test_loader import credit, person

REAL = Path("/work/shared/data/real")
POPULATION = "公民身份号码,姓名,性别,出生日期,现住址行政区划代码"
FIRMS = ["统一社会信用代码", "单位名称", "主体类型", "登记机关行政区划代码", "行业门类", "成立日期"]
HOUSING = ["房屋编码", "所在区县代码", "网格编码", "经度", "纬度", "房屋用途", "建筑面积"]
ECONOMY = "地区代码,指标,时间,口径,数值,单位,数据版本"


def people(count: int, start: int = 1) -> list[str]:
    rows = []
    for i in range(start, start + count):
        number = person("520102", f"19{60 + i % 40:02d}0{1 + i % 9}1{i % 10}", i % 999 + 1)
        rows.append(f"{number},人{i},{'男' if int(number[16]) % 2 else '女'},"
                    f"{number[6:10]}-{number[10:12]}-{number[12:14]},520102")
    return rows


def text(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def workbook(path: Path, sheets: dict[str, list[list]], numbers: bool = True) -> Path:
    """Cells as given: str as text, int/float as Excel numbers (unless ``numbers`` is False)."""
    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str) or not numbers:
                    sheet.write_string(r, c, str(value))
                else:
                    sheet.write_number(r, c, value)
    book.close()
    return path


def population_rows(count: int) -> list[list]:
    return [row.split(",") for row in people(count)]


# -- the files ---------------------------------------------------------------------------------------

def _ragged(d):
    rows = people(4)
    return text(d / "ragged.csv", [POPULATION, rows[0] + ",多,余", rows[1].rsplit(",", 2)[0], rows[2], rows[3]])


def _unclosed(d):
    rows = people(20)
    rows[3] = rows[3].replace(",人4,", ',"人4,')
    return text(d / "unclosed.csv", [POPULATION, *rows])


def _quotes(d):
    rows = people(3)
    a, b, c = (r.split(",") for r in rows)
    return text(d / "quotes.csv", [POPULATION, f'{a[0]},"张""三""",{",".join(a[2:])}',
                                   f'{b[0]},5"屏{b[1]},{",".join(b[2:])}', f'{c[0]},"李\n四",{",".join(c[2:])}'])


def _huge_head(d):
    rows = people(3)
    first = rows[1].split(",")
    first[1] = "长" * 140_000
    return text(d / "huge.csv", [POPULATION, rows[0], ",".join(first), rows[2]])


def _huge_late(d):
    rows = people(6000)
    late = rows[5000].split(",")
    late[1] = "长" * 200_000
    rows[5000] = ",".join(late)
    rows[5001] = rows[5001].replace(",人", ',5"人', 1)  # a stray quote: polars hands this piece to Python's csv
    return text(d / "huge_late.csv", [POPULATION, *rows])


def _bom_gbk(d):
    path = d / "bom_gbk.csv"
    path.write_bytes(codecs.BOM_UTF8 + ("\n".join([POPULATION, *people(3)]) + "\n").encode("gbk"))
    return path


def _bom16_utf8(d):
    path = d / "bom16.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + ("\n".join([POPULATION, *people(3)]) + "\n").encode("utf-8"))
    return path


def _utf16_cut(d):
    path = d / "utf16_cut.csv"
    path.write_bytes(("\n".join([POPULATION, *people(3)]) + "\n").encode("utf-16")[:-1])
    return path


def _gbk_then_utf8(d):
    head = ("\n".join(",".join(r) for r in [HOUSING, *_units(3)]) + "\n").encode("gbk")
    tail = ",".join(_units(1, start=9)[0]) + "\n"  # 住宅 in UTF-8 also decodes as GBK: 浣忓畢
    path = d / "gbk_utf8.csv"
    path.write_bytes(head + tail.encode("utf-8"))
    return path


def _utf8_then_gbk(d):
    rows = people(30000)  # past the 1 MB sample, which is UTF-8
    path = d / "utf8_gbk.csv"
    path.write_bytes(("\n".join([POPULATION, *rows]) + "\n").encode("utf-8") + (people(1, 20000)[0] + "\n").encode("gbk"))
    return path


def _nul_late(d):
    rows = people(30000)  # past the 1 MB sample, which has no NUL
    path = d / "nul.csv"
    path.write_bytes(("\n".join([POPULATION, *rows]) + "\n").encode() + people(1, 30000)[0].replace("人", "人\x00").encode()
                     + b"\n")
    return path


def _controls(d):
    rows = people(3)
    return text(d / "controls.csv", [POPULATION, rows[0].replace("人", "人\x07"), rows[1].replace("人", "\x1b[31m人"),
                                     rows[2]])


def _whitespace_rows(d):
    rows = people(3)
    return text(d / "spaces.csv", [POPULATION, rows[0], " , ,\u3000, , ", "\t", rows[1], "    ", rows[2]])


def _duplicate_header(d):
    return text(d / "dup_header.csv", ["公民身份号码,姓名,姓名,性别,出生日期,现住址行政区划代码",
                                       *[r.replace(",人", ",人,另", 1) for r in people(2)]])


def _duplicate_unused(d):
    return text(d / "dup_remark.csv", [POPULATION + ",备注,备注", *[r + ",甲,乙" for r in people(2)]])


def _same_column_twice(d):
    return text(d / "two_ids.csv", ["公民身份号码,身份证号,姓名,性别,出生日期,现住址行政区划代码",
                                    *[r.split(",", 1)[0] + "," + r for r in people(2)]])


def _scientific(d):
    rows = people(3)
    return text(d / "sci.csv", [POPULATION, rows[0], "5.20102E+17," + rows[1].split(",", 1)[1], rows[2]])


def _legacy_id(d):
    return text(d / "legacy.csv", [POPULATION, "520102900101113,张三,男,1990-01-01,520102", *people(2)])


def _notes(d):
    rows = people(3)
    return text(d / "notes.csv", ["2024年人口信息表", "版本：2025-03-01", POPULATION, *rows, "* 表示已注销",
                                  "注：1.本表由省公安厅提供", "Source: public security, 2025", "　　2.续注",
                                  "数据来源：省公安厅"])


def _markup_dir(d):
    (d / "月报[").mkdir()
    return text(d / "月报[" / "x].csv", [POPULATION, *people(2)])


def _markup_garbage(d):
    (d / "[bold red]人口[").mkdir()  # the path reads …/[bold red]人口[/bold red].csv
    return _write(d / "[bold red]人口[" / "bold red].csv", bytes(range(256)) * 8)


def _units(count: int, start: int = 1) -> list[list]:
    return [[f"520102-000001-{i:06d}", "520102", f"{i:06d}", "106.7", "26.6", "住宅", "88.5"]
            for i in range(start, start + count)]


# Excel

def _zip_renamed(d):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    path = d / "zip.xlsx"
    path.write_bytes(buffer.getvalue())
    return path


def _truncated_xlsx(d):
    whole = workbook(d / "whole.xlsx", {"人口": [POPULATION.split(","), *population_rows(200)]})
    path = d / "cut.xlsx"
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    whole.unlink()
    return path


def _numeric_ids(d):
    rows = [POPULATION.split(",")]
    for i, (number, name, sex, born, _) in enumerate(population_rows(300), start=1):
        cell = number if i % 7 == 0 or number.endswith("X") else int(number)  # Excel's default is a number
        rows.append([cell, name, sex, born, 520102])  # the region code as a number too: exact and valid
    return workbook(d / "ids.xlsx", {"人口": rows})


def _numeric_grid(d):
    rows = [HOUSING] + [[u[0], int(u[1]), int(u[2]), float(u[3]), float(u[4]), u[5], float(u[6])] for u in _units(5)]
    return workbook(d / "grid.xlsx", {"房屋": rows})


def _two_datasets(d):
    crops = [["区县代码", "品种", "年份", "种植面积（亩）"], ["520502", "玉米", "2024", "350000"]]
    land = [["区县代码", "年份", "耕地面积（亩）"], ["520502", "2024", "900000"]]
    return workbook(d / "two.xlsx", {"种植": crops, "耕地": land}, numbers=False)


def _xlsx_notes(d):
    return workbook(d / "titled.xlsx", {
        "填表说明": [["本表请按要求填写"]],
        "人口": [["贵阳市人口信息"], ["版本：2025-03-01"], POPULATION.split(","), *population_rows(4), ["* 表示已注销"],
               ["注：本表为测试数据"], ["Source: PSB"]]}, numbers=False)


def _formula_error(d):
    path = d / "formula.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("房屋")
    sheet.write_row(0, 0, HOUSING)
    for r, unit in enumerate(_units(2), start=1):
        sheet.write_row(r, 0, unit)
    sheet.write_formula(2, 3, "=1/0", None, "#DIV/0!")
    book.close()
    return path


# Parquet

def _population_frame(count: int) -> pl.DataFrame:
    return pl.DataFrame([r.split(",") for r in people(count)], schema=POPULATION.split(","), orient="row")


def _parquet_ids(d, dtype):
    frame = _population_frame(6).filter(~pl.col("公民身份号码").str.ends_with("X"))
    path = d / f"ids_{dtype}.parquet"
    frame.with_columns(pl.col("公民身份号码").cast(pl.Int64).cast(dtype)).write_parquet(path)
    return path


def _parquet_list(d, mapped: bool):
    frame = _population_frame(2)
    frame = (frame.with_columns(pl.col("姓名").map_elements(lambda v: [v, v + "2"], return_dtype=pl.List(pl.String)))
             if mapped else frame.with_columns(pl.Series("电话", [["138"], ["139", "136"]])))
    path = d / f"list_{'mapped' if mapped else 'extra'}.parquet"
    frame.write_parquet(path)
    return path


def _parquet_truncated(d):
    whole = d / "whole.parquet"
    _population_frame(500).write_parquet(whole)
    path = d / "short.parquet"
    path.write_bytes(whole.read_bytes()[:-100])
    whole.unlink()
    return path


def _parquet_duplicate_names(d):
    columns = [pa.array([c]) for c in people(1)[0].split(",")]
    path = d / "dup.parquet"
    pq.write_table(pa.table([columns[0], columns[1], columns[1], *columns[2:]],
                            names=["公民身份号码", "姓名", "姓名", "性别", "出生日期", "现住址行政区划代码"]), path)
    return path


def _parquet_empty(d):
    path = d / "empty.parquet"
    _population_frame(1).clear().write_parquet(path)
    return path


# Economy

PORTAL = """数据库：分省年度数据
指标：{indicator}
时间：最近2年
{version}地区,2024年,2023年
北京市,49843.1,47761.2
贵州省,22645.7,21513.7
云南省,31534.1,30021.1
"""


def _portal(d, name, indicator="地区生产总值(亿元)", version="版本：2025-03-01\n", tail=""):
    path = d / name
    path.write_bytes((PORTAL.format(indicator=indicator, version=version) + tail).encode("gbk"))
    return path


def _real(d, name):
    if not (REAL / name).is_file():
        pytest.skip(f"the real export {REAL / name} is not on this machine")
    return shutil.copyfile(REAL / name, d / name)


# -- the cases ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    id: str
    library: str
    build: Callable[[Path], Path]
    exit: int
    says: str = ""  # part of the one sentence (refused) or of the printed table (loaded)
    rows: int | None = None  # records the file holds (loaded files): rows read must be this many
    rule: str | None = None  # a quarantine rule the load must have used
    loaded: int | None = None


CASES = [
    # text: empty, headers, shape
    Case("csv-empty", "population", lambda d: _write(d / "empty.csv", b""), 2, "the file is empty"),
    Case("csv-blank-lines", "population", lambda d: _write(d / "blank.csv", b"\n \n\t\n"), 2, "no header row"),
    Case("csv-header-only", "population", lambda d: text(d / "header.csv", [POPULATION]), 0, rows=0, loaded=0),
    Case("csv-wrong-library", "housing", lambda d: text(d / "people.csv", [POPULATION, *people(2)]), 2,
         "do not fit library 'housing'"),
    Case("csv-unknown-headers", "population", lambda d: text(d / "other.csv", ["a,b,c", "1,2,3"]), 2, "is missing"),
    Case("csv-ragged-rows", "population", _ragged, 0, rows=4, rule="columns"),
    Case("csv-unclosed-quote", "population", _unclosed, 2, "line 5 opens a quoted field that is never closed"),
    Case("csv-quotes", "population", _quotes, 0, rows=3),
    Case("csv-huge-field", "population", _huge_head, 0, rows=3, loaded=3),
    Case("csv-huge-field-late", "population", _huge_late, 0, rows=6000),
    Case("csv-semicolons", "population", lambda d: text(d / "semi.csv", [r.replace(",", ";") for r in
                                                                         [POPULATION, *people(3)]]), 0, rows=3, loaded=3),
    Case("csv-cr-line-endings", "population", lambda d: _write(d / "mac.csv", "\r".join([POPULATION, *people(3)])
                                                               .encode("gbk")), 0, rows=3, loaded=3),
    Case("csv-whitespace-rows", "population", _whitespace_rows, 0, rows=3, loaded=3),
    Case("csv-title-and-unknown-notes", "population", _notes, 0, rows=3, loaded=3),
    # text: encodings and bytes
    Case("csv-bom-then-gbk", "population", _bom_gbk, 2, "UTF-8 byte-order mark but line 1 is GBK"),
    Case("csv-utf16-bom-utf8-body", "population", _bom16_utf8, 2, "UTF-16 byte-order mark but the text is UTF-8"),
    Case("csv-utf16", "population", lambda d: text(d / "utf16.csv", [POPULATION, *people(3)], "utf-16"), 0, rows=3,
         loaded=3),
    Case("csv-utf16-cut-off", "population", _utf16_cut, 2, "cut off"),
    Case("csv-gbk-then-utf8", "housing", _gbk_then_utf8, 2, "mixes encodings at line 5"),
    Case("csv-utf8-then-gbk", "population", _utf8_then_gbk, 2, "line 30002 is not valid UTF-8"),
    Case("csv-undecodable", "population", lambda d: _write(d / "bad.csv", "姓名\n".encode("gbk") + b"\xff\xfe\xfd\n"), 2,
         "cannot be read as UTF-8, GBK or GB18030"),
    Case("csv-binary", "population", lambda d: _write(d / "binary.csv", bytes(range(256)) * 4), 2, "not a text file"),
    Case("csv-nul-after-first-mb", "population", _nul_late, 0, rows=30001, rule="control_chars"),
    Case("csv-control-characters", "population", _controls, 0, rows=3, rule="control_chars", loaded=1),
    # text: headers and values
    Case("csv-duplicate-header", "population", _duplicate_header, 2, "'姓名' (name) is written twice, in columns 2 and 3"),
    Case("csv-duplicate-unused-header", "population", _duplicate_unused, 0, rows=2, loaded=2),
    Case("csv-two-headers-one-column", "population", _same_column_twice, 2, "mean the same column"),
    Case("csv-scientific-id", "population", _scientific, 0, rows=3, rule="gb11643", loaded=2),
    Case("csv-legacy-15-digit-id", "population", _legacy_id, 0, rows=3, rule="gb11643", loaded=2),
    # names
    Case("name-markup-folder", "population", _markup_dir, 0, "x].csv", rows=2, loaded=2),
    Case("name-markup-garbage", "population", _markup_garbage, 2, "[bold red]人口[/bold red].csv"),
    Case("name-unsupported-type", "population", lambda d: _write(d / "report.docx", b"PK\x03\x04"), 2,
         "unsupported file type"),
    Case("name-missing-file", "population", lambda d: d / "nowhere.csv", 2, "does not exist"),
    # Excel
    Case("xlsx-truncated", "population", _truncated_xlsx, 2, "cannot be read as an Excel workbook"),
    Case("xlsx-zip-renamed", "population", _zip_renamed, 2, "cannot be read as an Excel workbook"),
    Case("xlsx-csv-renamed", "population", lambda d: text(d / "csv.xlsx", [POPULATION, *people(2)]), 2,
         "is a text file, not an Excel workbook"),
    Case("xls-html-table", "population", lambda d: text(d / "web.xls", ["<html><body><table><tr><td>姓名</td></tr>"
                                                                        "</table></body></html>"]), 2,
         "is a web page (HTML), not an Excel workbook"),
    Case("xls-fake-ole", "population", lambda d: _write(d / "old.xls", bytes.fromhex("D0CF11E0A1B11AE1") + b"\x3c" * 600),
         2, "cannot be read as an Excel workbook"),
    Case("xlsx-empty-sheet", "population", lambda d: workbook(d / "empty.xlsx", {"Sheet1": []}), 2,
         "every sheet of the workbook is empty"),
    Case("xlsx-header-only", "population", lambda d: workbook(d / "head.xlsx", {"人口": [POPULATION.split(",")]}), 0,
         rows=0, loaded=0),
    Case("xlsx-numeric-ids", "population", _numeric_ids, 0, rows=300, rule="stored_as_number"),
    Case("xlsx-numeric-grid-ids", "housing", _numeric_grid, 0, rows=5, rule="stored_as_number", loaded=0),
    Case("xlsx-two-datasets", "agriculture", _two_datasets, 2, "different datasets"),
    Case("xlsx-title-notes-instructions", "population", _xlsx_notes, 0, rows=4, loaded=4),
    Case("xlsx-formula-error", "housing", _formula_error, 0, rows=2, loaded=1),
    # Parquet
    Case("parquet-float-ids", "population", lambda d: _parquet_ids(d, pl.Float64), 0, rule="stored_as_number", loaded=0),
    Case("parquet-int-ids", "population", lambda d: _parquet_ids(d, pl.Int64), 0, loaded=None),
    Case("parquet-list-mapped", "population", lambda d: _parquet_list(d, True), 2, "holds lists or structures"),
    Case("parquet-list-extra", "population", lambda d: _parquet_list(d, False), 0, rows=2, loaded=2),
    Case("parquet-truncated", "population", _parquet_truncated, 2, "cannot be read as Parquet"),
    Case("parquet-text-renamed", "population", lambda d: text(d / "csv.parquet", [POPULATION, *people(2)]), 2,
         "cannot be read as Parquet"),
    Case("parquet-duplicate-names", "population", _parquet_duplicate_names, 2, "is written twice"),
    Case("parquet-zero-rows", "population", _parquet_empty, 0, rows=0, loaded=0),
    # economy: units, vintages, layouts
    Case("portal-usd-units", "economy", lambda d: _portal(d, "usd.csv", "地区生产总值(万美元)"), 0, rows=6, rule="unit",
         loaded=0),
    Case("portal-future-vintage", "economy", lambda d: _portal(d, "future.csv", "地区生产总值(万美元)",
                                                               "版本：2099-12-31\n"), 2, "is in the future"),
    Case("portal-vintage-not-a-date", "economy", lambda d: _portal(d, "latest.csv", version="版本：最新版\n"), 2,
         "is not a date"),
    Case("portal-wan-yuan", "economy", lambda d: _portal(d, "wan.csv", "地区生产总值(万元)"), 0, rows=6, loaded=6),
    Case("portal-index-other-base", "economy", lambda d: _portal(d, "cpi.csv", "居民消费价格指数(上年=100)"), 0, rows=6,
         rule="unit", loaded=0),
    Case("portal-unknown-notes", "economy", lambda d: _portal(
        d, "notes.csv", tail="* 表示初步数据\n注：2023年数据为最终核实数。\nSource: NBS, 2025\n数据来源：国家统计局\n"), 0,
         rows=6, loaded=6),
    Case("portal-period-twice", "economy", lambda d: _write(d / "twice.csv", "数据库：分省年度数据\n指标：地区生产总值(亿元)\n"
                                                             "地区,2024年,2024年\n贵州省,1,2\n".encode("gbk")), 2,
         "written twice"),
    Case("long-units", "economy", lambda d: text(d / "long.csv", [
        ECONOMY, "520000,gdp,2024,当期值,226457000,万元,2025-03", "520100,gdp,2024,当期值,1500,万美元,2025-03",
        "520000,gdp,2024,累计增速,5.3,百分点,2025-03"]), 0, rows=3, rule="unit", loaded=1),
    Case("long-row-vintage-future", "economy", lambda d: text(d / "rowv.csv", [
        ECONOMY, "520000,gdp,2024,当期值,22645.7,亿元,2099-01-01", "520100,gdp,2024,当期值,5000,亿元,2025-03"]), 0,
         rows=2, rule="vintage", loaded=1),
    Case("real-nbs-monthly-cpi", "economy", lambda d: _real(d, "nbs_monthly_cpi_trade_2016_2020.csv"), 2,
         "the 地区 must be given"),
    Case("real-nbs-quarterly-gdp", "economy", lambda d: _real(d, "nbs_quarterly_gdp_2020q4_2022q1.csv"), 2,
         "the 地区 must be given"),
]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# -- running them ------------------------------------------------------------------------------------

FIGURES: list[dict] = []


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> Path:
    """A staging store holding one good load of every library, copied for each case."""
    home = tmp_path_factory.mktemp("hostile-baseline")
    store = home / "staging.duckdb"
    files = {
        "population": text(home / "p.csv", [POPULATION, *people(5, 500)]),
        "legal_entities": text(home / "f.csv", [",".join(FIRMS), f"{credit('MA6DX001')},甲,企业,520102,C,2020-01-01"]),
        "housing": text(home / "h.csv", [",".join(HOUSING), *[",".join(u) for u in _units(2, 900)]]),
        "economy": text(home / "e.csv", [ECONOMY, "520000,gdp,2024,当期值,22645.7,亿元,2025-03"]),
        "agriculture": text(home / "a.csv", ["区县代码,年份,耕地面积（亩）", "520102,2024,1000"]),
    }
    for library, path in files.items():
        ingest_file(path, library, staging_path=store)
    return store


@pytest.fixture(scope="module", autouse=True)
def figures(request):
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or not FIGURES:
        return
    handled = sum(f["handled"] for f in FIGURES)
    summary = (f"hostile files: tried {len(FIGURES)}, handled as documented {handled} "
               f"(refused {sum(f['exit'] == 2 for f in FIGURES)}, loaded {sum(f['exit'] == 0 for f in FIGURES)}), "
               f"tracebacks {sum(f['traceback'] for f in FIGURES)}, unexpected failures "
               f"{sum(f['unexpected'] for f in FIGURES)}, rows lost {sum(f['rows_lost'] for f in FIGURES)}")
    lines = [summary] + [f"  not handled: {f['id']} (exit {f['exit']})" for f in FIGURES if not f["handled"]]
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        reporter.write_line("")
        for line in lines:
            reporter.write_line(line)


def cockpit(capsys, *args: str) -> tuple[int, str, str]:
    """`cockpit ARGS` as the installed entry point runs it (``cockpit.cli:main``, its last-resort handler
    included); returns (exit status, stdout, stderr)."""
    from cockpit import cli

    argv, mask = sys.argv, os.umask(0o022)
    os.umask(mask)
    sys.argv = ["cockpit", *args]
    code = 0
    widths = cli.console.width, cli.err.width
    cli.console.width = cli.err.width = 100_000  # no wrapping: a one-sentence message is one line
    try:
        cli.main()
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    finally:
        sys.argv = argv
        os.umask(mask)
        cli.console.width, cli.err.width = widths
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def state(store: Path) -> dict:
    """Every table's row count and the whole load log."""
    con = duckdb.connect(str(store), read_only=True)
    try:
        tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() ORDER BY ALL").fetchall()
        counts = {f"{s}.{t}": con.execute(f'SELECT count(*) FROM {s}."{t}"').fetchone()[0] for s, t in tables}
        return {"counts": counts, "load_log": con.execute("SELECT * FROM meta.load_log ORDER BY load_id").fetchall()}
    finally:
        con.close()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_file(case, baseline, tmp_path, monkeypatch, capsys):
    home = tmp_path / "home"
    home.mkdir()
    store = home / "staging.duckdb"
    shutil.copyfile(baseline, store)
    monkeypatch.setenv("COCKPIT_HOME", str(home))
    random.seed(case.id)
    files = tmp_path / "files"
    files.mkdir()
    path = case.build(files)
    before = state(store)

    code, out, err = cockpit(capsys, "ingest", str(path), "--library", case.library)
    said = out + err
    figure = {"id": case.id, "exit": code, "traceback": "Traceback" in out + err,
              "unexpected": "unexpected failure" in out + err, "rows_lost": 0, "handled": False}
    FIGURES.append(figure)

    assert not figure["traceback"] and not figure["unexpected"], out + err
    assert code == case.exit, out + err
    assert path.name in said, out + err
    if case.says:
        assert case.says in said, out + err
    after = state(store)
    if code == 2:
        assert err.startswith("error: ") and err.strip().count("\n") == 0 and not out.strip(), out + err
        assert after == before  # a refused file changes nothing
    else:
        assert after["load_log"][: len(before["load_log"])] == before["load_log"]
        new = after["load_log"][len(before["load_log"]):]
        assert len(new) == 1
        load_id, read, loaded, quarantined = new[0][0], new[0][5], new[0][6], new[0][7]
        figure["rows_lost"] = (read - loaded - quarantined) + max((case.rows if case.rows is not None else read) - read, 0)
        assert read == loaded + quarantined
        if case.rows is not None:
            assert read == case.rows
        if case.loaded is not None:
            assert loaded == case.loaded
        if case.rule:
            con = duckdb.connect(str(store), read_only=True)
            table = new[0][2]
            rules = {r[0] for r in con.execute(f'SELECT DISTINCT rule FROM quarantine."{table}" WHERE load_id = ?',
                                               [load_id]).fetchall()}
            reasons = [r[0] for r in con.execute(f'SELECT reason FROM quarantine."{table}" WHERE load_id = ?',
                                                 [load_id]).fetchall()]
            con.close()
            assert case.rule in rules, rules
            assert all("\n" not in r for r in reasons)  # every reason is one line
    figure["handled"] = True
