"""Citizen ID numbers (公民身份号码, GB 11643-1999): check character, birth date, sex, legacy form.

An 18-character number is: 6-digit address code (GB/T 2260) + birth date YYYYMMDD + 3-digit
sequence (odd = male, even = female) + a check character computed with ISO 7064 MOD 11-2.
The address code is the county where the person was first registered and never changes, so
codes that no longer exist (毕节地区 5224xx before 2011, for instance) are still valid: the check
is that the code's province is one of the 34. The 15-digit numbers issued before 1999 (two-digit
year, no check character) are recognised and reported as legacy, not loaded.

``is_valid``/``explain`` work on one value; ``valid_expr`` is the same test as a polars
expression for whole columns (the tests hold the two to agreement on random values).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

import polars as pl

from data_marts import regions

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # 2^(18-i) mod 11
CHECK_CHARS = "10X98765432"  # indexed by (sum of digit x weight) mod 11
EARLIEST_BIRTH = date(1800, 1, 1)

_FULL = re.compile(r"[0-9]{17}[0-9X]")
_LEGACY = re.compile(r"[0-9]{15}")
_SCIENTIFIC = re.compile(r"[0-9](\.[0-9]+)?[eE]\+?[0-9]+")


@lru_cache(maxsize=1)
def provinces() -> frozenset[str]:
    """The two-digit prefixes of the 34 provincial-level regions."""
    return frozenset(r.code[:2] for r in regions.regions() if r.level == "province")


def check_char(body: str) -> str:
    """The check character for the first 17 digits."""
    if not re.fullmatch(r"[0-9]{17}", body or ""):
        raise ValueError(f"an ID body is 17 digits, got {body!r}")
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def _date(text: str) -> date | None:
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def birth_date(number: str) -> date | None:
    """The birth date encoded in an 18- or 15-digit number (None if it is not a real date)."""
    number = str(number or "")
    if _FULL.fullmatch(number):
        return _date(number[6:14])
    if _LEGACY.fullmatch(number):
        return _date("19" + number[6:12])
    return None


def sex(number: str) -> str | None:
    """男 or 女 from the sequence code's last digit (odd = male), for 18- and 15-digit numbers."""
    number = str(number or "")
    if _FULL.fullmatch(number):
        digit = number[16]
    elif _LEGACY.fullmatch(number):
        digit = number[14]
    else:
        return None
    return "男" if int(digit) % 2 else "女"


def is_legacy(number: str, today: date | None = None) -> bool:
    """A well-formed 15-digit number of the pre-1999 form (known province, real birth date)."""
    number = str(number or "")
    born = birth_date(number) if _LEGACY.fullmatch(number) else None
    return born is not None and number[:2] in provinces() and born <= (today or date.today())


def upgrade_legacy(number: str) -> str:
    """The 18-digit form of a 15-digit number: insert the century 19 and append the check character."""
    if not _LEGACY.fullmatch(str(number or "")):
        raise ValueError(f"not a 15-digit ID number: {number!r}")
    body = number[:6] + "19" + number[6:]
    return body + check_char(body)


def explain(number: str | None, today: date | None = None) -> str | None:
    """Why ``number`` is not a valid 18-character ID number (Chinese / English), or None if it is."""
    today = today or date.today()
    text = "" if number is None else str(number)
    if text == "":
        return "号码为空 / the number is empty"
    if _SCIENTIFIC.fullmatch(text):
        return ("号码被存成了科学计数法的数字，后几位已丢失（请在 Excel 中把该列设为文本） / the number was stored "
                "as a number in scientific notation and its last digits are lost (format the column as text)")
    if _LEGACY.fullmatch(text):
        if is_legacy(text, today):
            upgraded = upgrade_legacy(text)
            return (f"15位旧号码（1999年以前的格式），不能直接入库；对应的18位号码为 {upgraded} / legacy 15-digit "
                    f"number (pre-1999 form), not loaded; its 18-digit form is {upgraded}")
        return "15位号码的地址码或出生日期无效 / 15-digit number with an invalid address code or birth date"
    if len(text) != 18:
        return f"应为18位，实为{len(text)}位 / should have 18 characters, got {len(text)}"
    if re.fullmatch(r"[0-9]{17}x", text):
        return "末位校验码应为大写 X / the check character must be an upper-case X"
    if not _FULL.fullmatch(text):
        return ("前17位应为数字、末位为数字或 X / the first 17 characters must be digits and the last a digit or X")
    if text[:2] not in provinces():
        return (f"地址码 {text[:6]} 不属于34个省级行政区 / address code {text[:6]} is not in one of the 34 "
                "provincial-level regions")
    born = _date(text[6:14])
    if born is None:
        return f"出生日期 {text[6:14]} 不是有效日期 / birth date {text[6:14]} is not a real date"
    if born > today:
        return f"出生日期 {born.isoformat()} 晚于今天 / birth date {born.isoformat()} is in the future"
    if born < EARLIEST_BIRTH:
        return f"出生日期 {born.isoformat()} 早于1800年 / birth date {born.isoformat()} is before 1800"
    expected = check_char(text[:17])
    if text[17] != expected:
        return f"校验码应为{expected}，实为{text[17]} / check digit should be {expected}, got {text[17]}"
    return None


def is_valid(number: str | None, today: date | None = None) -> bool:
    """True for a loadable 18-character ID number (a 15-digit legacy number is not)."""
    return explain(number, today) is None


def _as_expr(column: str | pl.Expr) -> pl.Expr:
    return pl.col(column) if isinstance(column, str) else column


def valid_expr(column: str | pl.Expr, today: date | None = None) -> pl.Expr:
    """``is_valid`` as a boolean polars expression (null stays null)."""
    value = _as_expr(column).cast(pl.String)
    total = sum(value.str.slice(i, 1).cast(pl.Int32, strict=False) * w for i, w in enumerate(WEIGHTS))
    expected = (total % 11).replace_strict(dict(enumerate(CHECK_CHARS)), default=None, return_dtype=pl.String)
    born = value.str.slice(6, 8).str.to_date("%Y%m%d", strict=False)
    ok = (
        value.str.contains(r"^[0-9]{17}[0-9X]$")
        & value.str.slice(0, 2).is_in(sorted(provinces()))
        & born.is_not_null()
        & (born <= (today or date.today()))
        & (born >= EARLIEST_BIRTH)
        & (value.str.slice(17, 1) == expected)
    )
    return pl.when(value.is_not_null()).then(ok.fill_null(False))


def birth_expr(column: str | pl.Expr) -> pl.Expr:
    """The birth date of an 18-character number as a polars Date (null when not well formed)."""
    value = _as_expr(column).cast(pl.String)
    born = value.str.slice(6, 8).str.to_date("%Y%m%d", strict=False)
    return pl.when(value.str.contains(r"^[0-9]{17}[0-9X]$")).then(born).otherwise(None)


def sex_expr(column: str | pl.Expr) -> pl.Expr:
    """男/女 from an 18-character number as a polars expression (null when not well formed)."""
    value = _as_expr(column).cast(pl.String)
    digit = value.str.slice(16, 1).cast(pl.Int32, strict=False)
    return pl.when(value.str.contains(r"^[0-9]{17}[0-9X]$")).then(
        pl.when(digit % 2 == 1).then(pl.lit("男")).otherwise(pl.lit("女"))
    )
