"""GB 32100 unified social credit codes (with the GB 11714 check at position 17): examples, reasons,
scalar == vectorised."""

from __future__ import annotations

import random

import polars as pl
import pytest

from data_marts.checks import credit_code

PUBLISHED = "91350100M000100Y43"  # GB 32100-2015 worked example


def make(prefix: str, region: str, org_body: str) -> str:
    body = prefix + region + org_body + credit_code.org_check_char(org_body)
    return body + credit_code.check_char(body)


def test_published_example():
    assert credit_code.is_valid(PUBLISHED)
    assert credit_code.check_char("91350100M000100Y4") == "3"  # sum 1640, 1640 mod 31 = 28, 31 - 28 = 3
    assert credit_code.org_check_char("M000100Y") == "4"  # GB 11714: sum 139, 11 - 139 mod 11 = 4


def test_the_standards_invalid_input_is_rejected():
    reason = credit_code.explain("91350100M000100Y4Z")
    assert "'Z' is not allowed" in reason and "I、O、Z、S、V" in reason


@pytest.mark.parametrize(("code", "expected"), [
    ("91350100M000100Y44", "check character should be 3, got 4"),
    ("91350100M000100Y53", "position 17 (organisation-code check) should be 4, got 5"),
    ("91350100m000100y43", "upper case"),
    ("9135010OM000100Y43", "character 8 'O' is not allowed"),
    ("91350I00M000100Y43", "'I' is not allowed"),
    ("91A50100M000100Y43", "positions 3–8"),
    ("91350100M000100Y4", "should have 18 characters, got 17"),
    ("", "empty"),
])
def test_reasons(code, expected):
    assert not credit_code.is_valid(code)
    assert expected in credit_code.explain(code)


def test_check_characters_may_be_x_and_zero():
    bodies = ["".join(random.Random(i).choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8)) for i in range(400)]
    checks = {credit_code.org_check_char(b) for b in bodies}
    assert {"X", "0"} <= checks
    for body in bodies[:50]:
        assert credit_code.is_valid(make("91", "520102", body))


def _random_codes(count: int, seed: int = 5) -> list[str | None]:
    rng = random.Random(seed)
    letters = credit_code.CHARSET
    codes: list[str | None] = []
    for _ in range(count):
        code = make(rng.choice(["91", "92", "93", "12", "52", "Y1"]), f"{rng.randint(0, 999999):06d}",
                    "".join(rng.choice(letters) for _ in range(8)))
        roll = rng.random()
        if roll < 0.35:
            position = rng.randrange(18)
            code = code[:position] + rng.choice(letters + "IOZSV") + code[position + 1:]
        elif roll < 0.4:
            code = code[: rng.randint(0, 19)]
        elif roll < 0.45:
            code = code.lower()
        elif roll < 0.48:
            code = None
        codes.append(code)
    return codes


def test_vectorised_check_agrees_with_the_scalar_one():
    codes = _random_codes(6000)
    result = pl.DataFrame({"c": codes}, schema={"c": pl.String}).select(credit_code.valid_expr("c"))["c"].to_list()
    expected = [None if c is None else credit_code.is_valid(c) for c in codes]
    assert result == expected
    assert sum(e for e in expected if e) > 1000
