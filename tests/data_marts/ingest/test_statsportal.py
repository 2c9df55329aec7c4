"""Statistics-portal exports: periods, indicator headers, the three layouts, notes, and unknown names."""

from __future__ import annotations

import duckdb
import pytest

from data_marts.ingest import ingest_file, statsportal
from data_marts.ingest.readers import IngestError, open_file


@pytest.mark.parametrize(("label", "period"), [
    ("2024年", "2024"), ("2024", "2024"), ("2024年3月", "2024-03"), ("2024年03月", "2024-03"),
    ("2024年1-2月", "2024-02"), ("2024年1—2月", "2024-02"), ("2024年1~12月", "2024-12"),
    ("2024年第一季度", "2024-Q1"), ("2024年一季度", "2024-Q1"), ("2024年第1季度", "2024-Q1"), ("2024Q1", "2024-Q1"),
    ("2024q4", "2024-Q4"), ("2024-Q2", "2024-Q2"), ("2024年上半年", "2024-Q2"), ("2024年前三季度", "2024-Q3"),
    ("2024年1-3季度", "2024-Q3"), ("2024-03", "2024-03"), ("202403", "2024-03"),
    ("2024年13月", None), ("2024年第五季度", None), ("最近5年", None), ("2024年4-6月", None),
])
def test_periods(label, period):
    assert statsportal.parse_period(label) == period


def test_indicator_headers():
    assert statsportal.parse_indicator("社会消费品零售总额_累计值(亿元)") == statsportal.IndicatorHeader("retail", "累计值", "亿元")
    assert statsportal.parse_indicator("社会消费品零售总额_累计增长（%）") == statsportal.IndicatorHeader("retail", "累计增速", "%")
    assert statsportal.parse_indicator("地区生产总值(亿元)") == statsportal.IndicatorHeader("gdp", "当期值", "亿元")
    assert statsportal.parse_indicator("居民消费价格指数(上年同月=100)").unit == "上年同月=100"
    assert statsportal.parse_indicator("固定资产投资(不含农户)_累计增长(%)") == statsportal.IndicatorHeader("fai", "累计增速", "%")
    assert statsportal.parse_indicator("地区生产总值_累计增长") == statsportal.IndicatorHeader("gdp", "累计增速", "%")
    with pytest.raises(KeyError, match="unknown indicator '粮食产量'"):
        statsportal.parse_indicator("粮食产量(万吨)")
    with pytest.raises(KeyError, match="unknown measure '年均'"):
        statsportal.parse_indicator("地区生产总值_年均(亿元)")


def test_values_lose_footnote_marks_and_blanks_are_blank():
    assert statsportal.parse_value("22645.7*") == "22645.7"
    assert statsportal.parse_value(" 1,349,084.1① ") == "1,349,084.1"
    assert [statsportal.parse_value(v) for v in ("", "--", "—", "…", None)] == [None] * 5


def write(tmp_path, name, text, encoding="gbk"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def load(tmp_path, name, text, **kwargs):
    store = tmp_path / "staging.duckdb"
    result = ingest_file(write(tmp_path, name, text), "economy", staging_path=store, **kwargs)
    con = duckdb.connect(str(store), read_only=True)
    try:
        rows = con.execute("SELECT region_code, indicator, period, measure, value, unit, vintage FROM base.economy "
                           "WHERE _load_id = ? ORDER BY _source_row, period, indicator, measure",
                           [result.load_id]).fetchall()
        quarantined = con.execute("SELECT record, row_number, source_column, column_name, rule, reason, raw "
                                  "FROM quarantine.economy WHERE load_id = ? ORDER BY record",
                                  [result.load_id]).fetchall()
    finally:
        con.close()
    return result, rows, quarantined


REGIONS_BY_PERIODS = """数据库：分省年度数据
指标：地区生产总值(亿元)
时间：最近3年
地区,2024年,2023年,2022年
北京市,49843.1,47761.2,44653.1
贵州,22645.7*,21513.7,
全国,1349084.1,1294271.7,1204724.0
注：2023年及以前数据为最终核实数。
数据来源：国家统计局
"""


def test_regions_as_rows_periods_as_columns_with_an_unknown_region(tmp_path):
    result, rows, quarantined = load(tmp_path, "gdp.csv", REGIONS_BY_PERIODS, vintage="2025-03-01")
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (8, 5, 3)  # one blank cell: no record
    assert rows[:3] == [("110000", "gdp", "2022", "当期值", 44653.1, "亿元", "2025-03-01"),
                        ("110000", "gdp", "2023", "当期值", 47761.2, "亿元", "2025-03-01"),
                        ("110000", "gdp", "2024", "当期值", 49843.1, "亿元", "2025-03-01")]
    assert ("520000", "gdp", "2024", "当期值", 22645.7, "亿元", "2025-03-01") in rows
    assert [(q[1], q[2], q[3], q[4]) for q in quarantined] == [(7, "2024年", "region_code", "region_code"),
                                                              (7, "2023年", "region_code", "region_code"),
                                                              (7, "2022年", "region_code", "region_code")]
    assert "地区「全国」无法识别 / unknown region '全国'" == quarantined[0][5]
    assert '"地区":"全国"' in quarantined[0][6] and '"2022年":"1204724.0"' in quarantined[0][6]
    assert any(n.startswith("注：2023年") for n in result.notes) and any("数据来源" in n for n in result.notes)
    assert any("blank" in n for n in result.notes)


def test_periods_as_rows_with_the_region_in_the_metadata(tmp_path):
    text = ("数据库：分省月度数据\n地区：贵州省\n时间：最近3个月\n"
            "时间,社会消费品零售总额_累计值(亿元),社会消费品零售总额_累计增长(%),社会消费品零售总额_当期值(亿元)\n"
            "2024年3月,2500.5,4.1,900.3\n2024年1-2月,1600.2,4.5,\n")
    result, rows, quarantined = load(tmp_path, "retail.csv", text)
    assert result.rows_read == 5 and result.rows_quarantined == 0
    assert rows == [("520000", "retail", "2024-03", "当期值", 900.3, "亿元", result.vintage),
                    ("520000", "retail", "2024-03", "累计值", 2500.5, "亿元", result.vintage),
                    ("520000", "retail", "2024-03", "累计增速", 4.1, "%", result.vintage),
                    ("520000", "retail", "2024-02", "累计值", 1600.2, "亿元", result.vintage),
                    ("520000", "retail", "2024-02", "累计增速", 4.5, "%", result.vintage)]


def test_indicators_as_rows_quarters_as_columns_and_an_unknown_indicator(tmp_path):
    text = ("数据库：分省季度数据\n地区：毕节市\n版本：2025年4月18日\n"
            "指标,2024年第四季度,2024年三季度,2024Q2\n"
            "地区生产总值_累计值(亿元),2400.1,1700.2,1100.3\n"
            "粮食产量(万吨),100,,\n"
            "全体居民人均可支配收入_累计增长(%),5.1,5.2,5.3\n")
    result, rows, quarantined = load(tmp_path, "bijie.csv", text)
    assert result.vintage == "2025-04-18"
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (7, 6, 1)
    assert ("520500", "gdp", "2024-Q4", "累计值", 2400.1, "亿元", "2025-04-18") in rows
    assert ("520500", "disposable_income", "2024-Q2", "累计增速", 5.3, "%", "2025-04-18") in rows
    assert [(q[1], q[2], q[3], q[4]) for q in quarantined] == [(6, "2024年第四季度", "indicator", "accepted_values")]
    assert "unknown indicator '粮食产量'" in quarantined[0][5]


def test_regions_as_rows_indicators_as_columns_with_the_period_in_the_metadata(tmp_path):
    text = ("数据库：分省年度数据\n时间：2023年\n"
            "地区,地区生产总值(亿元),年末常住人口(万人)\n贵州省,21513.7,3865\n黔东南苗族侗族自治州,1400.2,375.3\n")
    result, rows, _ = load(tmp_path, "y2023.csv", text)
    assert rows == [("520000", "gdp", "2023", "当期值", 21513.7, "亿元", result.vintage),
                    ("520000", "population", "2023", "当期值", 3865.0, "万人", result.vintage),
                    ("522600", "gdp", "2023", "当期值", 1400.2, "亿元", result.vintage),
                    ("522600", "population", "2023", "当期值", 375.3, "万人", result.vintage)]


def test_xlsx_export(tmp_path):
    import xlsxwriter

    path = tmp_path / "portal.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("年度数据")
    sheet.write(0, 0, "数据库：分省年度数据")
    sheet.write(1, 0, "指标：年末常住人口(万人)")
    sheet.write_row(2, 0, ["地区", "2024年", "2023年"])
    sheet.write_row(3, 0, ["贵州省", 3860, 3865])
    sheet.write(5, 0, "数据来源：国家统计局")
    book.close()
    result = ingest_file(path, "economy", staging_path=tmp_path / "staging.duckdb")
    assert (result.rows_read, result.rows_loaded) == (2, 2)


def test_layout_errors_name_the_problem(tmp_path):
    path = write(tmp_path, "nofix.csv", "数据库：分省年度数据\n地区,地区生产总值(亿元),年末常住人口(万人)\n贵州省,1,2\n")
    with open_file(path, is_header=statsportal.is_header) as raw:
        with pytest.raises(IngestError, match="时间"):
            statsportal.parse(raw.parts[0], source=str(path))
    text = "数据库：分省年度数据\n时间：最近5年\n地区,地区生产总值(亿元)\n贵州省,1\n"
    with pytest.raises(IngestError, match="is not one period"):
        ingest_file(write(tmp_path, "recent.csv", text), "economy", staging_path=tmp_path / "staging.duckdb")


def test_long_economy_files_are_not_taken_for_portal_exports(tmp_path):
    text = "地区,指标,时间,口径,数值,单位\n贵州省,地区生产总值,2024年,当期值,22645.7,亿元\n520100,gdp,2024,累计,5000,亿元\n"
    result, rows, _ = load(tmp_path, "long.csv", text)
    assert result.rows_loaded == 1 and result.rows_quarantined == 1  # "2024年" is not the contract's period form
    assert rows == [("520100", "gdp", "2024", "累计值", 5000.0, "亿元", result.vintage)]


def test_values_in_another_unit_are_converted_when_exact_and_quarantined_otherwise(tmp_path):
    """The hostile tester's export: GDP in 万美元 loaded next to the 亿元 series and topped the rankings."""
    dollars = REGIONS_BY_PERIODS.replace("地区生产总值(亿元)", "地区生产总值(万美元)").replace("全国", "云南")
    result, rows, quarantined = load(tmp_path, "usd.csv", dollars, vintage="2025-03-01")
    assert (result.rows_loaded, result.rows_quarantined) == (0, 8)
    assert {q[4] for q in quarantined} == {"unit"}
    assert quarantined[0][5].startswith("单位（unit）「万美元」不是 gdp 当期值 的单位「亿元」，且不能换算")
    assert "unit '万美元' is not the unit of gdp 当期值 (亿元) and cannot be converted" in quarantined[0][5]

    ten_thousands = REGIONS_BY_PERIODS.replace("地区生产总值(亿元)", "地区生产总值(万元)").replace("全国", "云南")
    result, rows, _ = load(tmp_path, "wan.csv", ten_thousands, vintage="2025-03-02")
    assert result.rows_loaded == 8 and {r[5] for r in rows} == {"亿元"}
    assert ("110000", "gdp", "2024", "当期值", 4.98431, "亿元", "2025-03-02") in rows  # 49843.1 万元, divided once

    line = ("数据库：分省年度数据\n指标：地区生产总值\n单位：元\n时间：最近1年\n地区,2024年\n北京市,4984310000000\n"
            "贵州省,2264570000000\n")
    result, rows, _ = load(tmp_path, "yuan.csv", line, vintage="2025-03-03")
    assert [(r[0], r[4], r[5]) for r in rows] == [("110000", 49843.1, "亿元"), ("520000", 22645.7, "亿元")]


def test_an_index_with_another_base_is_another_unit(tmp_path):
    text = ("数据库：分省月度数据\n地区：贵州省\n时间：最近2个月\n"
            "时间,居民消费价格指数(上年同月=100),居民消费价格指数_累计值(上年=100),居民消费价格指数_当期增长(％)\n"
            "2024年2月,100.9,100.6,0.9\n2024年1月,100.2,100.2,0.2\n")
    result, rows, quarantined = load(tmp_path, "cpi.csv", text, vintage="2025-03-01")
    assert {(r[3], r[5]) for r in rows} == {("当期增速", "%"), ("当期值", "上年同月=100")}
    assert result.rows_quarantined == 2 and {q[2] for q in quarantined} == {"居民消费价格指数_累计值(上年=100)"}
    assert "「上年=100」不是 cpi 累计值 的单位「上年同月=100」" in quarantined[0][5]


def test_a_header_written_twice_in_a_portal_export_is_refused(tmp_path):
    text = "数据库：分省年度数据\n指标：地区生产总值(亿元)\n地区,2024年,2023年,2024年\n贵州省,1,2,3\n"
    with pytest.raises(IngestError, match=r"twice\.csv: the header '2024年' is written twice, in columns 2 and 4"):
        load(tmp_path, "twice.csv", text)
