"""Readers: CSV in every encoding departments use, Excel with a title row, Parquet, damaged files."""

from __future__ import annotations

import datetime

import polars as pl
import pytest
import xlsxwriter

from data_marts.ingest import readers
from data_marts.ingest.readers import IngestError, open_file

HEADER = ["公民身份号码", "姓名"]
TABLE = ("2024年人口信息表\n版本：2025-03-01\n公民身份号码,姓名\n11010519491231002X,张三\n\n"
         "440524188001010014,李四,多余\n注：本表为测试数据\n数据来源：省公安厅\n")


def is_header(cells):
    return "姓名" in cells


def rows(raw):
    return [r for f in raw.parts[0].batches() for r in f.select(*raw.parts[0].header, "_source_row", "_extra").rows()]


@pytest.mark.parametrize(("encoding", "detected"), [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gbk"), ("gb18030", "gbk"), ("utf-16", "utf-16")])
def test_csv_encodings_title_lines_and_notes(tmp_path, encoding, detected):
    path = tmp_path / "people.csv"
    path.write_bytes(TABLE.encode(encoding))
    with open_file(path, is_header=is_header) as raw:
        part = raw.parts[0]
        assert raw.format == "csv" and raw.encoding == detected
        assert part.preamble == [["2024年人口信息表"], ["版本：2025-03-01"]]
        assert part.header == HEADER and part.header_row == 3
        # the blank line is skipped but row numbers stay those of the file; extra cells are kept aside
        assert rows(raw) == [("11010519491231002X", "张三", 4, None), ("440524188001010014", "李四", 6, "多余")]
        assert part.notes == ["注：本表为测试数据", "数据来源：省公安厅"]


def test_gb18030_only_characters_later_in_the_file(tmp_path):
    path = tmp_path / "rare.csv"
    text = "姓名,民族\n" + "张三,汉族\n" * 120000 + "王䶮,汉族\n"  # 䶮 is in GB18030, not in GBK
    path.write_bytes(text.encode("gb18030"))
    assert readers.detect_encoding(path) == "gbk"  # the sample alone looks like GBK
    with open_file(path) as raw:
        assert raw.encoding == "gb18030"
        last = list(raw.parts[0].batches())[-1]
        assert last.select("姓名", "_source_row").row(-1) == ("王䶮", 120002)


def test_decode_error_later_in_the_file_names_the_line(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_bytes("a,b\n".encode() + b"1,2\n" * 400000 + b"3,\xff\xfe\n")
    with open_file(path) as raw, pytest.raises(IngestError, match=r"broken\.csv: line 400002 is not valid UTF-8"):
        list(raw.parts[0].batches())
    gbk = tmp_path / "broken_gbk.csv"
    gbk.write_bytes("姓名,民族\n".encode("gbk") + "张三,汉族\n".encode("gbk") * 200000 + b"\x81\x20,x\n")
    with pytest.raises(IngestError, match=r"broken_gbk\.csv: cannot be read as GB18030 at line 200002"):
        open_file(gbk)


def test_large_files_come_in_batches_with_row_numbers(tmp_path):
    path = tmp_path / "big.csv"
    body = "".join(f"{i},名{i}\n" for i in range(25))
    path.write_text("编号,姓名\n" + body + "\n注：完\n", encoding="utf-8")
    with open_file(path, batch_rows=4) as raw:
        frames = list(raw.parts[0].batches())
        assert [f.height for f in frames] == [4] * 6 + [1]
        assert pl.concat(frames)["_source_row"].to_list() == list(range(2, 27))
        assert raw.parts[0].notes == ["注：完"]


def test_quoted_fields_and_other_delimiters(tmp_path):
    path = tmp_path / "quoted.tsv"
    path.write_text('编号\t地址\n1\t"贵阳市\t云岩区"\n2\t"引号""内"\n', encoding="utf-8")
    with open_file(path) as raw:
        assert rows(raw) == [("1", "贵阳市\t云岩区", 2, None), ("2", '引号"内', 3, None)]


def test_quoted_line_breaks_and_stray_quotes_across_pieces(tmp_path):
    path = tmp_path / "names.csv"
    lines = [f'{i},"公司{i}, ""分""公司\n第二行"' if i % 3 == 0 else f'{i},5"屏{i}' for i in range(30000)]
    path.write_text("编号,名称\n" + "\n".join(lines) + "\n", encoding="utf-8")
    with open_file(path, batch_rows=1000) as raw:  # small pieces, so some cuts fall near quoted line breaks
        frame = pl.concat(list(raw.parts[0].batches()))
    assert frame.height == 30000
    assert frame.row(0)[:3] == ("0", '公司0, "分"公司\n第二行', 2) and frame.row(1)[:2] == ("1", '5"屏1')
    assert frame["编号"].to_list() == [str(i) for i in range(30000)]
    assert frame["_source_row"].to_list() == list(range(2, 30002))  # records: a quoted line break counts once


def test_header_found_below_a_title_line(tmp_path):
    path = tmp_path / "titled.csv"
    path.write_text("县域农业种植情况\n,,\n区县代码,品种,年份\n520102,玉米,2024\n", encoding="utf-8")
    with open_file(path, is_header=lambda cells: "品种" in cells) as raw:
        assert raw.parts[0].header == ["区县代码", "品种", "年份"] and raw.parts[0].header_row == 3


def test_xlsx_with_a_title_row_and_several_sheets(tmp_path):
    path = tmp_path / "people.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("人口")
    sheet.write(0, 0, "2024年人口信息表")
    sheet.write_row(2, 0, ["公民身份号码", "姓名", "出生日期", "人数"])
    sheet.write_row(3, 0, ["11010519491231002X", "张三"])
    sheet.write_datetime(3, 2, datetime.datetime(1949, 12, 31), book.add_format({"num_format": "yyyy-mm-dd"}))
    sheet.write_number(3, 3, 12)
    sheet.write_row(5, 0, ["440524188001010014", "李四", "1880/1/1", 1.5])
    second = book.add_worksheet("二月")
    second.write_row(0, 0, ["公民身份号码", "姓名"])
    second.write_row(1, 0, ["520102198001011235", "王五"])
    book.add_worksheet("说明").write(0, 0, "填表说明")
    book.close()
    with open_file(path, is_header=is_header) as raw:
        assert raw.format == "excel"
        assert [p.name for p in raw.parts] == ["人口", "二月"]
        first = raw.parts[0]
        assert first.preamble == [["2024年人口信息表"]] and first.header_row == 3
        assert first.frame().select("公民身份号码", "姓名", "_source_row").rows() == [
            ("11010519491231002X", "张三", 4), ("440524188001010014", "李四", 6)]
        assert first.frame()["出生日期"].to_list() == ["1949-12-31 00:00:00", "1880/1/1"]
        assert first.frame()["人数"].to_list() == ["12", "1.5"]
        assert raw.parts[1].frame().select("姓名", "_source_row").rows() == [("王五", 2)]
        assert any("说明" in s for s in raw.skipped)


def test_parquet(tmp_path):
    path = tmp_path / "housing.parquet"
    pl.DataFrame({"房屋编码": ["520102-000001-000001", None], "建成年份": [2001, 2020],
                  "建筑面积": [88.5, 120.0], "更新时间": [datetime.datetime(2024, 6, 30, 12), None],
                  "登记日期": [datetime.date(2024, 1, 2), None]}).write_parquet(path)
    with open_file(path, batch_rows=1) as raw:
        assert raw.format == "parquet" and raw.parts[0].estimated_rows == 2
        frames = list(raw.parts[0].batches())
        assert len(frames) == 2
        assert pl.concat(frames).drop("_extra").rows() == [
            ("520102-000001-000001", "2001", "88.5", "2024-06-30 12:00:00", "2024-01-02", 1),
            (None, "2020", "120.0", None, None, 2)]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("garbage.csv", bytes(range(256)) * 20, "not a text file"),
    ("undecodable.csv", "姓名\n张三\n".encode("gbk") + b"\xff\xff\xff\n", "cannot be read as UTF-8, GBK or GB18030"),
    ("empty.csv", b"", "the file is empty"),
    ("blank.csv", b"\n\n\n", "no header row"),
    ("report.docx", b"PK\x03\x04", "unsupported file type"),
])
def test_unreadable_files_raise_one_clear_error_naming_the_file(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError, match=message) as error:
        with open_file(path) as raw:
            list(raw.parts[0].batches())
    assert name in str(error.value)


def _workbook(path):
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("表").write_row(0, 0, ["公民身份号码", "姓名"])
    book.close()


def test_truncated_excel_and_parquet(tmp_path):
    whole = tmp_path / "whole.xlsx"
    _workbook(whole)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole.read_bytes()[:800])
    with pytest.raises(IngestError, match=r"cut\.xlsx: cannot be read as an Excel workbook"):
        open_file(cut)
    table = tmp_path / "whole.parquet"
    pl.DataFrame({"a": list(range(1000))}).write_parquet(table)
    short = tmp_path / "short.parquet"
    short.write_bytes(table.read_bytes()[:-40])
    with pytest.raises(IngestError, match=r"short\.parquet: cannot be read as Parquet"):
        open_file(short)


def test_header_names_are_made_unique():
    assert readers.unique_header(["姓名", "", "姓名", " 年龄 ", "_x"]) == ["姓名", "列2", "姓名_2", "年龄", "列_x"]


def _refusal(path, **kwargs):
    with pytest.raises(IngestError) as error:
        with open_file(path, **kwargs) as raw:
            for part in raw.parts:
                list(part.batches())
    message = str(error.value)
    assert path.name in message and "\n" not in message
    return message


def test_a_utf8_byte_order_mark_before_gbk_text_is_refused_saying_what_it_is(tmp_path):
    path = tmp_path / "bom_gbk.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "公民身份号码,姓名\n11010519491231002X,张三\n".encode("gbk"))
    message = _refusal(path, is_header=is_header)
    assert "UTF-8 byte-order mark" in message and "GBK" in message and "line 1" in message


def test_a_utf16_byte_order_mark_before_utf8_text_is_refused_saying_what_it_is(tmp_path):
    path = tmp_path / "bom16.csv"
    path.write_bytes(b"\xff\xfe" + "公民身份号码,姓名\n11010519491231002X,张三\n".encode("utf-8"))
    message = _refusal(path, is_header=is_header)
    assert "UTF-16 byte-order mark" in message and "UTF-8" in message and "cut off" not in message


def test_a_field_longer_than_the_python_csv_limit_is_read(tmp_path):
    path = tmp_path / "long.csv"
    long_name = "长" * 140_000
    path.write_text(f"公民身份号码,姓名\n11010519491231002X,{long_name}\n440524188001010014,5\"屏\n",
                    encoding="utf-8")
    with open_file(path, is_header=is_header) as raw:
        assert [r[1] for r in rows(raw)] == [long_name, '5"屏']


def test_gbk_rows_followed_by_utf8_rows_are_refused_naming_the_line(tmp_path):
    path = tmp_path / "mixed.csv"
    gbk = "房屋编码,房屋用途,使用状态\n" + "520102-000001-000001,住宅,自住\n" * 3
    utf8 = "520102-000001-000009,住宅,空置\n"  # even runs of Chinese: every byte pair is also valid GBK
    path.write_bytes(gbk.encode("gbk") + utf8.encode("utf-8"))
    assert (gbk.encode("gbk") + utf8.encode("utf-8")).decode("gbk")  # the trap: it all decodes as GBK
    message = _refusal(path)
    assert "mixes encodings at line 5" in message


def test_a_gbk_file_whose_lines_happen_to_be_valid_utf8_is_not_called_mixed(tmp_path):
    path = tmp_path / "pure.csv"
    text = "房屋编码,房屋用途\n" + "".join(f"520102-000001-{i:06d},住宅\n" for i in range(20000))
    path.write_bytes(text.encode("gbk"))  # 住宅 in GBK (D7A1 D5AC) is also well-formed UTF-8
    with open_file(path) as raw:
        assert raw.encoding == "gbk" and sum(f.height for f in raw.parts[0].batches()) == 20000


def test_whitespace_only_rows_are_skipped_like_empty_rows(tmp_path):
    path = tmp_path / "spaces.csv"
    path.write_text("公民身份号码,姓名\n11010519491231002X,张三\n  ,\u3000\n \t \n440524188001010014,李四\n",
                    encoding="utf-8")
    with open_file(path, is_header=is_header) as raw:
        assert [(r[0], r[2]) for r in rows(raw)] == [("11010519491231002X", 2), ("440524188001010014", 5)]


def test_every_note_line_at_the_bottom_is_a_note_even_unrecognised_ones(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("公民身份号码,姓名\n11010519491231002X,张三\n* 表示初步数据\n注：1.本表为测试数据\n"
                    "Source: provincial public security department, 2025\n　　2.续注\n数据来源：省公安厅\n",
                    encoding="utf-8")
    with open_file(path, is_header=is_header) as raw:
        assert [r[0] for r in rows(raw)] == ["11010519491231002X"]
        assert raw.parts[0].notes == ["* 表示初步数据", "注：1.本表为测试数据",
                                      "Source: provincial public security department 2025", "2.续注",
                                      "数据来源：省公安厅"]


def test_a_data_row_below_the_table_that_starts_with_a_star_is_not_taken_for_a_note(tmp_path):
    path = tmp_path / "star.csv"
    path.write_text("单位名称,统一社会信用代码\n甲公司,91520100MA6DXXXX1X\n*ST 乙公司,91520100MA6DYYYY2Y\n",
                    encoding="utf-8")
    with open_file(path, is_header=lambda cells: "单位名称" in cells) as raw:
        assert [r[0] for r in rows(raw)] == ["甲公司", "*ST 乙公司"] and raw.parts[0].notes == []


def test_a_parquet_list_column_reads_as_one_line(tmp_path):
    path = tmp_path / "lists.parquet"
    pl.DataFrame({"姓名": ["张三", "李四"], "电话": [["138", "139"], None]}).write_parquet(path)
    with open_file(path) as raw:
        frame = raw.parts[0].frame()
    assert frame["电话"].to_list() == ['["138", "139"]', None]


def test_a_quote_never_closed_is_refused_naming_its_line_instead_of_swallowing_the_rest(tmp_path):
    path = tmp_path / "unclosed.csv"
    lines = ["公民身份号码,姓名"] + [f"11010519491231{i:03d}X,张{i}" for i in range(30)]
    lines[3] = '11010519491231002X,"张2'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = _refusal(path, is_header=is_header)
    assert "line 4 opens a quoted field that is never closed" in message


def test_old_mac_line_endings_are_lines(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes("公民身份号码,姓名\r11010519491231002X,张三\r440524188001010014,李四\r".encode("gbk"))
    with open_file(path, is_header=is_header) as raw:
        assert [(r[1], r[2]) for r in rows(raw)] == [("张三", 2), ("李四", 3)]
    utf8 = tmp_path / "mac8.csv"
    utf8.write_bytes("公民身份号码,姓名\r11010519491231002X,张三\r".encode("utf-8"))
    with open_file(utf8, is_header=is_header) as raw:
        assert [(r[1], r[2]) for r in rows(raw)] == [("张三", 2)]
