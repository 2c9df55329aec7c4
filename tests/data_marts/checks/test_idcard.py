"""GB 11643 citizen ID numbers: the standard's examples, every failure reason, and scalar == vectorised."""

from __future__ import annotations

import random
from datetime import date

import polars as pl
import pytest

from data_marts.checks import idcard

TODAY = date(2025, 6, 30)
PUBLISHED = ["11010519491231002X", "440524188001010014"]  # GB 11643-1999 annex A examples


def make(address: str, born: str, sequence: str) -> str:
    body = address + born + sequence
    return body + idcard.check_char(body)


@pytest.mark.parametrize("number", PUBLISHED)
def test_published_examples_are_valid(number):
    assert idcard.is_valid(number, TODAY)
    assert idcard.explain(number, TODAY) is None
    assert idcard.check_char(number[:17]) == number[17]


def test_birth_and_sex_of_published_examples():
    assert idcard.birth_date("11010519491231002X") == date(1949, 12, 31)
    assert idcard.sex("11010519491231002X") == "女"  # sequence 002: even
    assert idcard.birth_date("440524188001010014") == date(1880, 1, 1)
    assert idcard.sex("440524188001010014") == "男"  # sequence 001: odd


def test_check_char_needs_17_digits():
    with pytest.raises(ValueError):
        idcard.check_char("1101051949123100")


@pytest.mark.parametrize(("number", "expected"), [
    ("110105194912310021", "校验码应为X，实为1 / check digit should be X, got 1"),
    ("11010519491231002x", "upper-case X"),
    ("1101051949123100", "should have 18 characters, got 16"),
    ("11010519491231A02X", "must be digits"),
    ("990105194912310021", "address code 990105"),
    ("110105194902300021", "birth date 19490230 is not a real date"),
    ("", "empty"),
    (None, "empty"),
    ("5.20102199001011E+17", "scientific notation"),
])
def test_reasons(number, expected):
    assert not idcard.is_valid(number, TODAY)
    assert expected in idcard.explain(number, TODAY)


def test_future_birth_date_is_rejected():
    number = make("520102", "20300101", "123")
    assert "in the future" in idcard.explain(number, TODAY)
    assert idcard.is_valid(number, date(2030, 1, 2))


def test_historical_guizhou_address_codes_stay_valid():
    # 毕节地区 5224xx codes were replaced in 2011, but an ID number keeps its first address code for life
    assert idcard.is_valid(make("522401", "19800101", "123"), TODAY)


def test_legacy_15_digit_numbers_are_recognised_not_loaded():
    legacy = "520102800101123"
    assert idcard.is_legacy(legacy, TODAY)
    assert not idcard.is_valid(legacy, TODAY)
    upgraded = idcard.upgrade_legacy(legacy)
    assert upgraded[:17] == "52010219800101123" and idcard.is_valid(upgraded, TODAY)
    reason = idcard.explain(legacy, TODAY)
    assert "15位旧号码" in reason and "legacy" in reason and upgraded in reason
    assert idcard.birth_date(legacy) == date(1980, 1, 1)
    assert idcard.sex(legacy) == "男"
    assert not idcard.is_legacy("520102801301123", TODAY)  # month 13


def _random_values(count: int, seed: int = 11) -> list[str | None]:
    rng = random.Random(seed)
    provinces = sorted(idcard.provinces()) + ["99", "00"]
    values: list[str | None] = []
    for _ in range(count):
        born = date(rng.randint(1790, 2035), rng.randint(1, 12), rng.randint(1, 28)).strftime("%Y%m%d")
        number = make(rng.choice(provinces) + f"{rng.randint(0, 9999):04d}", born, f"{rng.randint(0, 999):03d}")
        roll = rng.random()
        if roll < 0.3:
            position = rng.randrange(18)
            number = number[:position] + rng.choice("0123456789X") + number[position + 1:]
        elif roll < 0.35:
            number = number[:10] + f"{rng.randint(13, 99)}" + number[12:]  # impossible month
        elif roll < 0.4:
            number = number[: rng.randint(0, 19)]
        elif roll < 0.45:
            number = number.lower()
        elif roll < 0.48:
            number = None
        values.append(number)
    return values


def test_vectorised_check_agrees_with_the_scalar_one():
    values = _random_values(6000)
    frame = pl.DataFrame({"id": values}, schema={"id": pl.String})
    result = frame.select(idcard.valid_expr("id", TODAY).alias("ok"),
                          idcard.birth_expr("id").alias("born"),
                          idcard.sex_expr("id").alias("sex"))
    expected = [None if v is None else idcard.is_valid(v, TODAY) for v in values]
    assert result["ok"].to_list() == expected
    assert sum(e for e in expected if e) > 1000  # the sample holds plenty of valid numbers too
    for value, born, sex in zip(values, result["born"].to_list(), result["sex"].to_list()):
        if value is not None and len(value) == 18 and value[:17].isdigit() and value[17] in "0123456789X":
            assert born == idcard.birth_date(value)
            assert sex == idcard.sex(value)
        else:
            assert born is None and sex is None
