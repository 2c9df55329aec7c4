"""Masking per kind of identifying column, with its edge cases."""

from __future__ import annotations

import re

import pytest

from data_marts import masking
from data_marts.contracts import CONTRACTS
from data_marts.masking import mask


@pytest.mark.parametrize(("value", "kind", "shown"), [
    ("52010219900101123X", "id_number", "5201**********123X"),
    ("520102900101113", "id_number", "5201*******1113"),  # a 15-digit number of before 1999
    ("91520102MA6DX0013J", "credit_code", "9152**********013J"),
    ("13812345678", "phone", "138****5678"),
    ("0851-86812345", "phone", "085******2345"),
    ("张三", "name", "张*"),
    ("欧阳娜娜", "name", "欧***"),
    ("贵州省毕节市七星关区洪山街道12号", "address", "贵州省毕节市****"),
    ("短址", "address", "短****"),
    ("abcdefghij", "text", "abcd**ghij"),
])
def test_each_kind(value, kind, shown):
    assert mask(value, kind) == shown


@pytest.mark.parametrize("kind", masking.KINDS)
def test_edge_cases_never_show_a_short_value_whole(kind):
    assert mask(None, kind) is None
    assert mask("", kind) == ""
    assert mask("张", kind) == "*"
    for value in ("12", "1234", "12345678"):
        shown = mask(value, kind)
        assert shown != value and "*" in shown and len(shown) >= 2


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown PII kind"):
        mask("x", "passport")


def test_identifier_shaped_text_is_masked_anywhere():
    text = "身份证号 52010219900101123X 校验位错误，联系 13812345678，2024-03-05"
    assert masking.mask_identifiers(text) == "身份证号 5201**********123X 校验位错误，联系 138****5678，2024-03-05"


def test_a_row_masks_declared_pii_and_headers_it_cannot_place():
    kinds = {"身份证号": "id_number", "姓名": "name", "性别": None}
    row = {"身份证号": "52010219900101123X", "姓名": "张三", "性别": "男", "证件持有人": "李四四"}
    assert masking.mask_row(row, kinds) == {"身份证号": "5201**********123X", "姓名": "张*", "性别": "男",
                                            "证件持有人": "李**"}


def test_reason_text_hides_the_rows_own_values():
    reason = "姓名 张三 与身份证 52010219900101123X 不符"
    assert masking.mask_text(reason, [("张三", "name"), ("52010219900101123X", "id_number")]) == \
        "姓名 张* 与身份证 5201**********123X 不符"


def test_the_contracts_declare_a_kind_for_every_personal_column():
    kinds = {f"{c.table}.{name}": kind for c in CONTRACTS.values() for name, kind in c.pii_kinds.items()}
    assert kinds["population.id_number"] == "id_number"
    assert kinds["population.name"] == "name"
    assert kinds["legal_entities.legal_rep"] == "name"
    assert kinds["legal_entities.credit_code"] == "credit_code"
    assert all(kind in masking.KINDS for kind in kinds.values())


def test_quality_examples_in_the_demo_warehouse_show_no_personal_value(warehouse):
    """Every example a quality report can print (meta.quality, `cockpit check`, the status page)."""
    examples = [e for (e,) in warehouse.execute("SELECT example FROM meta.quality WHERE example IS NOT NULL").fetchall()]
    assert examples
    ids = {v for (v,) in warehouse.execute("SELECT id_number FROM base.population").fetchall()}
    names = {v for (v,) in warehouse.execute("SELECT name FROM base.population WHERE length(name) >= 3").fetchall()}
    rejected = {v for (v,) in warehouse.execute(
        "SELECT raw->>'公民身份号码' FROM quarantine.population UNION SELECT raw->>'姓名' FROM quarantine.population"
    ).fetchall() if v and len(v) >= 3}
    text = "\n".join(examples)
    assert not [v for v in ids | names | rejected if v in text]
    assert not re.search(r"[0-9]{15}", text)
