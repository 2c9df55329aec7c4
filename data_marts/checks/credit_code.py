"""Unified social credit codes (统一社会信用代码, GB 32100-2015), with the GB 11714 check at position 17.

18 characters from a 31-character set (no I, O, Z, S, V): registration authority (1), organisation
category (1), registration authority's region code (positions 3–8, six digits), the 9-character
organisation code of GB 11714 (positions 9–17, whose last character is its own check character)
and the check character (position 18, MOD 31 with weights 3^(i-1) mod 31).

``is_valid``/``explain`` work on one value; ``valid_expr`` is the same test as a polars expression.
"""

from __future__ import annotations

import re
import string

import polars as pl

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # value = index
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3^(i-1) mod 31
ORG_CHARSET = string.digits + string.ascii_uppercase  # GB 11714: 0-9 = 0-9, A = 10 ... Z = 35
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

_VALUES = {c: i for i, c in enumerate(CHARSET)}
_ORG_VALUES = {c: i for i, c in enumerate(ORG_CHARSET)}
_SHAPE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}")


def check_char(body: str) -> str:
    """The position-18 check character for the first 17 characters."""
    if len(body or "") != 17 or any(c not in _VALUES for c in body):
        raise ValueError(f"a credit-code body is 17 characters of {CHARSET}, got {body!r}")
    return CHARSET[(31 - sum(_VALUES[c] * w for c, w in zip(body, WEIGHTS)) % 31) % 31]


def org_check_char(body: str) -> str:
    """The GB 11714 check character (position 17) for the 8 characters at positions 9–16."""
    if len(body or "") != 8 or any(c not in _ORG_VALUES for c in body):
        raise ValueError(f"an organisation-code body is 8 characters of 0-9A-Z, got {body!r}")
    value = 11 - sum(_ORG_VALUES[c] * w for c, w in zip(body, ORG_WEIGHTS)) % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def explain(code: str | None) -> str | None:
    """Why ``code`` is not a valid credit code (Chinese / English), or None if it is."""
    text = "" if code is None else str(code)
    if text == "":
        return "代码为空 / the code is empty"
    if len(text) != 18:
        return f"应为18位，实为{len(text)}位 / should have 18 characters, got {len(text)}"
    if text != text.upper() and _SHAPE.fullmatch(text.upper()):
        return "应使用大写字母 / letters must be upper case"
    for position, char in enumerate(text, start=1):
        if char not in _VALUES:
            return (f"第{position}位「{char}」不是允许的字符（不使用 I、O、Z、S、V） / character {position} "
                    f"'{char}' is not allowed (I, O, Z, S and V are not used)")
    if not text[2:8].isdigit():
        return (f"第3–8位登记管理机关行政区划码「{text[2:8]}」应为6位数字 / positions 3–8 (registration "
                f"region code) must be six digits, got {text[2:8]}")
    reasons = []
    org = org_check_char(text[8:16])
    if text[16] != org:
        reasons.append((f"第17位（组织机构代码校验码）应为{org}，实为{text[16]}",
                        f"position 17 (organisation-code check) should be {org}, got {text[16]}"))
    expected = check_char(text[:17])
    if text[17] != expected:
        reasons.append((f"校验码应为{expected}，实为{text[17]}", f"check character should be {expected}, got {text[17]}"))
    if not reasons:
        return None
    return "；".join(zh for zh, _ in reasons) + " / " + "; ".join(en for _, en in reasons)


def is_valid(code: str | None) -> bool:
    """True for a code that passes the character set, region-code format and both check characters."""
    return explain(code) is None


def valid_expr(column: str | pl.Expr) -> pl.Expr:
    """``is_valid`` as a boolean polars expression (null stays null)."""
    value = (pl.col(column) if isinstance(column, str) else column).cast(pl.String)

    def char(i: int, table: dict[str, int]) -> pl.Expr:
        return value.str.slice(i, 1).replace_strict(table, default=None, return_dtype=pl.Int32)

    total = sum(char(i, _VALUES) * w for i, w in enumerate(WEIGHTS))
    expected = ((31 - total % 31) % 31).replace_strict(dict(enumerate(CHARSET)), default=None, return_dtype=pl.String)
    org_total = sum(char(8 + i, _ORG_VALUES) * w for i, w in enumerate(ORG_WEIGHTS))
    org_expected = (11 - org_total % 11).replace_strict(
        {**{i: str(i) for i in range(10)}, 10: "X", 11: "0"}, default=None, return_dtype=pl.String)
    ok = (
        value.str.contains(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")
        & (value.str.slice(16, 1) == org_expected)
        & (value.str.slice(17, 1) == expected)
    )
    return pl.when(value.is_not_null()).then(ok.fill_null(False))
