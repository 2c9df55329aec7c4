"""The row-rule vocabulary: every kind on good and bad values, reasons, parsers, and contract validation."""

from __future__ import annotations

import importlib
import random
import sys
from datetime import date, datetime

import polars as pl
import pytest

from data_marts import regions
from data_marts.checks import rules
from data_marts.contracts import CONTRACTS, Column, Contract
from data_marts.contracts.model import rule

TODAY = date(2025, 6, 30)


def offending(values, column: Column, the_rule, **frame_columns) -> list[int]:
    frame = pl.DataFrame({column.name: values, **frame_columns}, schema_overrides={column.name: pl.String})
    return rules.evaluate(frame, column, the_rule, today=TODAY)["row"].to_list()


def reasons(values, column: Column, the_rule, **frame_columns) -> list[str]:
    frame = pl.DataFrame({column.name: values, **frame_columns}, schema_overrides={column.name: pl.String})
    return rules.evaluate(frame, column, the_rule, today=TODAY)["reason"].to_list()


TEXT = Column(name="code", type="text", zh="代码", en="Code")


def test_every_contract_uses_only_the_vocabulary():
    for contract in CONTRACTS.values():
        rules.validate_contract(contract)
        assert {r.kind for c in contract.columns for r in c.rules} <= rules.KINDS
    assert {"required", "type", "gb11643", "gb32100", "region_code", "accepted_values", "range", "date_range",
            "pattern", "not_before", "matches_id_birth", "matches_id_sex"} <= rules.KINDS


def test_unknown_rule_kind_and_bad_arguments_are_errors():
    with pytest.raises(rules.UnknownRuleError, match="unknown rule kind 'not_a_rule'"):
        rules.validate_rule(rule("not_a_rule"))
    with pytest.raises(rules.UnknownRuleError, match="missing argument"):
        rules.validate_rule(rule("accepted_values"))
    with pytest.raises(rules.UnknownRuleError, match="unknown argument"):
        rules.validate_rule(rule("range", minimum=3))
    with pytest.raises(rules.UnknownRuleError, match="scope"):
        rules.validate_rule(rule("region_code", scope="planet"))
    with pytest.raises(rules.UnknownRuleError, match="bad regex"):
        rules.validate_rule(rule("pattern", regex="(unclosed"))
    with pytest.raises(ValueError, match="nonsense"):  # a contract cannot even declare it
        Column(name="a", type="text", zh="甲", en="A", rules=(rule("nonsense"),))
    contract = Contract(library="x", table="x", zh="x", en="x", department_zh="x", department_en="x",
                        update_cycle="每年", sharing_class="无条件共享", key=("a",),
                        columns=(Column(name="a", type="text", zh="甲", en="A"),))
    with pytest.raises(rules.UnknownRuleError, match="unknown column 'b'"):
        rules.validate_contract(contract.model_copy(update={"columns": (
            Column(name="a", type="date", zh="甲", en="A", rules=(rule("not_before", other="b"),)),)}))


def test_a_contract_with_an_unknown_rule_kind_fails_at_import(tmp_path, monkeypatch):
    (tmp_path / "bad_contract_for_test.py").write_text(
        "from data_marts.contracts.model import Column, rule\n"
        "COLUMN = Column(name='a', type='text', zh='甲', en='A', rules=(rule('no_such_rule'),))\n",
        encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("bad_contract_for_test", None)
    with pytest.raises(ValueError, match="no_such_rule"):
        importlib.import_module("bad_contract_for_test")


def test_required():
    column = Column(name="name", type="text", zh="姓名", en="Name", required=True)
    assert offending(["张三", "", None, "   "], column, rule("required")) == [1, 2, 3]
    assert reasons([None], column, rule("required")) == ["姓名（name）为空 / name is empty"]


@pytest.mark.parametrize(("ctype", "good", "bad"), [
    ("int", ["12", "1,234", "7.0", " 3 ", "-5"], ["1.5", "abc", "nan", "1e400"]),
    ("float", ["1.5", "1,234.5", "-0.25", "3"], ["abc", "nan", "inf", "1.2.3"]),
    ("date", ["2024-03-05", "2024/3/5", "2024.03.05", "20240305", "2024年3月5日", "45356", "2024-03-05 00:00:00"],
     ["2024-02-30", "2024-13-01", "2024", "20241301", "3月5日", "abc", "2024-03"]),
    ("timestamp", ["2024-03-05 14:30:00", "2024/3/5 9:30", "2024-03-05", "20240305143000", "45356.5",
                   "2024-03-05T14:30:00", "2024-03-05 14:30:00.123456"], ["2024-03-05 25:00:00", "x", "2024"]),
])
def test_type(ctype, good, bad):
    column = Column(name="v", type=ctype, zh="值", en="Value")
    assert offending(good + bad + [None, ""], column, rule("type")) == list(range(len(good), len(good) + len(bad)))


def test_parsed_values():
    parsed = rules.parse_series(pl.Series(["2024/3/5", "2024年3月5日", "20240305", "45356", "2024-03-05 08:00:00"]), "date")
    assert parsed.to_list() == [date(2024, 3, 5)] * 5
    stamps = rules.parse_series(pl.Series(["2024/3/5 9:30", "45356.5", "2024-03-05"]), "timestamp")
    assert stamps.to_list() == [datetime(2024, 3, 5, 9, 30), datetime(2024, 3, 5, 12), datetime(2024, 3, 5)]
    assert rules.parse_series(pl.Series(["1,234", "12.0", "1.5"]), "int").to_list() == [1234, 12, None]


def test_parse_series_agrees_with_parse():
    rng = random.Random(3)
    pieces = ["2024", "-", "/", "年", "3", "03", "月", "5", "05", "日", " ", "10:30", ":00", "45356", ".5", "x", "1,2"]
    values = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 7))) for _ in range(3000)] + [None]
    for ctype in ("int", "float", "date", "timestamp"):
        series = pl.Series("v", values, dtype=pl.String)
        expected = series.to_frame().select(rules.parse(pl.col("v"), ctype)).to_series()
        assert rules.parse_series(series, ctype).to_list() == expected.to_list(), ctype


def test_gb11643_and_gb32100():
    person = Column(name="id_number", type="text", zh="公民身份号码", en="ID")
    assert offending(["11010519491231002X", "110105194912310021", None], person, rule("gb11643")) == [1]
    assert reasons(["110105194912310021"], person, rule("gb11643")) == [
        "公民身份号码（id_number）「110105194912310021」：校验码应为X，实为1 / check digit should be X, got 1"]
    entity = Column(name="credit_code", type="text", zh="统一社会信用代码", en="Code")
    assert offending(["91350100M000100Y43", "91350100M000100Y4Z", ""], entity, rule("gb32100")) == [1]


def test_region_code_scopes():
    code = Column(name="code", type="text", zh="区划", en="Region")
    values = ["520102", "520100", "520000", "110105", "999999", "529999", "毕节", None]
    assert offending(values, code, rule("region_code", scope="county")) == [1, 2, 3, 4, 5, 6]
    assert offending(values, code, rule("region_code", scope="home")) == [3, 4, 5, 6]
    assert offending(values, code, rule("region_code")) == [4, 5, 6]
    text = reasons(["529999", "毕节"], code, rule("region_code", scope="county"))
    assert "「529999」不是本地区的区县代码" in text[0] and "a county-level code in the home region" in text[0]
    assert "neither a 6-digit code nor a known region name" in text[1]


def test_region_code_scopes_follow_the_home_region(monkeypatch):
    monkeypatch.setenv("COCKPIT_REGION", "130900")  # 沧州市
    code = Column(name="code", type="text", zh="区划", en="Region")
    values = ["130929", "130900", "130105", "520102", "130999", "529999"]
    assert offending(values, code, rule("region_code", scope="county")) == [1, 2, 3, 4, 5]
    assert offending(values, code, rule("region_code", scope="home")) == [2, 3, 4, 5]
    assert offending(values, code, rule("region_code")) == [4]  # unknown inside home; 529999 is another's


def test_region_code_matches_regions_is_valid_code():
    rng = random.Random(8)
    known = [r.code for r in regions.regions()]
    values = [rng.choice(known) for _ in range(400)] + [f"{rng.randint(0, 999999):06d}" for _ in range(1600)]
    values += [c[:2] + f"{rng.randint(0, 9999):04d}" for c in rng.sample(known, 60)] + ["52010", "abcdef", "5201021"]
    frame = pl.DataFrame({"v": values})
    for scope in ("county", "home", "any"):
        got = frame.select(rules.region_valid_expr(pl.col("v"), scope))["v"].to_list()
        assert got == [regions.is_valid_code(v, scope) for v in values], scope


def test_accepted_values():
    sex = Column(name="sex", type="text", zh="性别", en="Sex")
    assert offending(["男", "女", "男女", "1", None], sex, rule("accepted_values", values=["男", "女"])) == [2, 3]
    assert reasons(["1"], sex, rule("accepted_values", values=["男", "女"])) == [
        "性别（sex）「1」不在允许值中（男、女） / sex '1' is not one of 男, 女"]


def test_range_with_this_year():
    year = Column(name="build_year", type="int", zh="建成年份", en="Year")
    assert offending(["1899", "1900", "2025", "2026", "x", None], year, rule("range", min=1900, max="this_year")) == [0, 3]
    text = reasons(["1899", "2026"], year, rule("range", min=1900, max="this_year"))
    assert "小于最小值 1900" in text[0] and "is above the maximum 2025" in text[1]
    area = Column(name="area", type="float", zh="面积", en="Area")
    assert offending(["-0.5", "0", "12.5"], area, rule("range", min=0)) == [0]


def test_date_range_with_today():
    born = Column(name="birth_date", type="date", zh="出生日期", en="Born")
    the_rule = rule("date_range", min="1900-01-01", max="today")
    assert offending(["1899-12-31", "1900-01-01", "2025-06-30", "2025-07-01", "bad"], born, the_rule) == [0, 3]


def test_pattern():
    code = Column(name="industry_code", type="text", zh="行业代码", en="Industry")
    assert offending(["01", "1", "011", "ab", None], code, rule("pattern", regex=r"^\d{2}$")) == [1, 2, 3]


def test_not_before():
    settled = Column(name="settle_date", type="date", zh="迁入日期", en="Settled")
    the_rule = rule("not_before", other="birth_date")
    result = offending(["1989-12-31", "1990-01-01", "2000/1/1", None, "1980-01-01"], settled, the_rule,
                       birth_date=["1990-01-01", "1990-01-01", "1990-01-01", "1990-01-01", None])
    assert result == [0]
    text = reasons(["1989-12-31"], settled, the_rule, birth_date=["1990-01-01"])
    assert text == ["迁入日期（settle_date）「1989-12-31」早于birth_date「1990-01-01」 / settle_date 1989-12-31 is before "
                    "birth_date 1990-01-01"]


def test_cross_column_rules_use_contract_labels():
    population = CONTRACTS["population"]
    frame = pl.DataFrame({"id_number": ["11010519491231002X"] * 3, "sex": ["女", "男", "女"],
                          "birth_date": ["1949-12-31", "1949-12-31", "1950-01-01"]})
    sex = rules.evaluate(frame, population.column("sex"), rule("matches_id_sex", other="id_number"),
                         contract=population, today=TODAY)
    assert sex["row"].to_list() == [1]
    assert "与公民身份号码（id_number）第17位所示性别「女」不一致" in sex["reason"][0]
    born = rules.evaluate(frame, population.column("birth_date"), rule("matches_id_birth", other="id_number"),
                          contract=population, today=TODAY)
    assert born["row"].to_list() == [2]
    assert "1949-12-31" in born["reason"][0] and "birth_date 1950-01-01" in born["reason"][0]


def test_cross_column_rules_skip_when_the_other_column_is_missing():
    born = Column(name="birth_date", type="date", zh="出生日期", en="Born")
    assert offending(["1950-01-01"], born, rule("matches_id_birth", other="id_number")) == []


def test_checks_for_implies_required_and_type():
    housing = CONTRACTS["housing"]
    checks = rules.checks_for(housing, today=TODAY)
    kinds = {(c.column, c.rule) for c in checks}
    assert ("housing_id", "required") in kinds and ("lon", "type") in kinds and ("build_year", "range") in kinds
    assert ("grid_id", "type") not in kinds  # text needs no type check
    frame = pl.DataFrame({c.name: ["x"] for c in housing.columns})
    broken = {(c.column, c.rule) for c in checks if frame.select(c.fails).item()}
    assert ("lon", "type") in broken and ("housing_id", "pattern") in broken and ("county_code", "region_code") in broken
