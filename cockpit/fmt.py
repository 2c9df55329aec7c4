"""Numbers as a Chinese leader reads them: 3,856.2万人, 2.26万亿元, 同比 +5.3%, 环比 −0.4%.

Pure functions of (value, unit, language): no Streamlit here, so they are tested directly.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

MINUS = "−"  # a real minus sign, not a hyphen: it reads as one in both languages

# Units whose values are stored in a base unit and shown scaled: (threshold, divisor, suffix).
_SCALES_ZH = ((1e12, 1e12, "万亿"), (1e8, 1e8, "亿"), (1e4, 1e4, "万"))
_SCALES_EN = ((1e12, 1e12, " trillion"), (1e9, 1e9, " billion"), (1e6, 1e6, " million"))
_SCALES_EN_COMPACT = ((1e12, 1e12, " tn"), (1e9, 1e9, " bn"), (1e6, 1e6, " mn"))
# Statistics units already scaled: 亿元 means the stored value is in 100 million yuan.
_PRESCALED = {"亿元": 1e8, "万元": 1e4, "万人": 1e4, "万亩": 1e4, "万户": 1e4, "万吨": 1e4}
_BASE_UNIT = {"亿元": "元", "万元": "元", "万人": "人", "万亩": "亩", "万户": "户", "万吨": "吨"}
_EN_UNIT = {"元": " yuan", "人": " persons", "亩": " mu", "户": " households", "吨": " t", "套": " units",
            "家": " entities", "平方米": " m²", "公斤": " kg", "‰": "‰", "%": "%"}
_EN_COUNTS = {"人", "户", "套", "家"}  # the card's label says what is counted


# Statistics units as an English reader reads them (Chinese shows the unit as it is).
UNIT_NAMES_EN = {"亿元": "100 million yuan", "万元": "10,000 yuan", "元": "yuan", "万人": "10,000 persons",
                 "人": "persons", "万亩": "10,000 mu", "亩": "mu", "上年同月=100": "same month last year = 100"}


def unit_name(unit: str, lang: str = "zh") -> str:
    """A unit label for an axis or legend: 亿元 / 100 million yuan."""
    return unit if lang == "zh" else UNIT_NAMES_EN.get(unit, unit)


INDEX_UNIT = "上年同月=100"  # a price index: the value already is the year-on-year comparison


def value(value, unit: str, lang: str = "zh") -> str:
    """An indicator's value as its unit reads: a growth rate as a change, an index as it is, an amount scaled.
    >>> value(5.3, "%")
    '+5.3%'
    >>> value(101.2, INDEX_UNIT)
    '101.2'
    """
    if _missing(value):
        return "—"
    if unit == "%":
        return change(value, lang, "none")
    if unit == INDEX_UNIT:
        return f"{value:.1f}"
    return number(value, unit, lang)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value, unit: str = "", lang: str = "zh", digits: int = 1, compact: bool = False) -> str:
    """A magnitude with its unit, scaled to 万/亿/万亿 (zh) or million/billion (en).

    ``unit`` is the stored unit; 亿元/万人 etc. are understood as already scaled. ``compact`` is for
    a KPI card whose label names the quantity: English drops count units and writes ¥ and mn/bn/tn
    (Chinese is already short and does not change).
    >>> number(38562148, "人")
    '3,856.2万人'
    >>> number(22645.7, "亿元")
    '2.26万亿元'
    >>> number(22645.7, "亿元", "en", compact=True)
    '¥2.26 tn'
    """
    if _missing(value):
        return "—"
    base = float(value) * _PRESCALED.get(unit, 1)
    unit = _BASE_UNIT.get(unit, unit)
    compact = compact and lang != "zh"
    scales = _SCALES_ZH if lang == "zh" else (_SCALES_EN_COMPACT if compact else _SCALES_EN)
    prefix, suffix_unit = "", unit if lang == "zh" else _EN_UNIT.get(unit, f" {unit}" if unit else "")
    if compact and unit in _EN_COUNTS:
        suffix_unit = ""
    elif compact and unit == "元":
        prefix, suffix_unit = "¥", ""
    for threshold, divisor, suffix in scales:
        if abs(base) >= threshold:
            scaled = base / divisor
            places = 2 if abs(scaled) < 10 else digits
            return _prefixed(prefix, _signed_plain(scaled, places)) + f"{suffix}{suffix_unit}"
    places = 0 if float(base).is_integer() else digits
    return _prefixed(prefix, _signed_plain(base, places)) + suffix_unit


def _prefixed(prefix: str, text: str) -> str:
    """¥ after the sign: −¥1.50 bn."""
    return f"{MINUS}{prefix}{text[1:]}" if text.startswith(MINUS) else f"{prefix}{text}"


def _half_up(value: float, places: int) -> Decimal:
    # Statistics round half up (4,311.65 -> 4,311.7); binary floats would give 4,311.6.
    return Decimal(repr(round(abs(value), 9))).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def _signed_plain(value: float, places: int) -> str:
    rounded = _half_up(value, places)
    text = f"{rounded:,.{places}f}"
    return f"{MINUS}{text}" if value < 0 and rounded != 0 else text


def change(pct, lang: str = "zh", kind: str = "yoy", digits: int = 1) -> str:
    """A change in percent with its sign and its name: 同比 +5.3% / YoY +5.3%."""
    label = {"yoy": ("同比", "YoY"), "mom": ("环比", "MoM"), "none": ("", "")}[kind][0 if lang == "zh" else 1]
    if _missing(pct):
        return f"{label} —".strip()
    sign = "+" if pct > 0 else (MINUS if pct < 0 else "±")
    return f"{label} {sign}{_half_up(pct, digits):.{digits}f}%".strip()


def points(pp, lang: str = "zh", digits: int = 1) -> str:
    """A difference of two percentages: +1.2个百分点 / +1.2 pp."""
    if _missing(pp):
        return "—"
    sign = "+" if pp > 0 else (MINUS if pp < 0 else "±")
    return f"{sign}{_half_up(pp, digits):.{digits}f}" + ("个百分点" if lang == "zh" else " pp")


COLOURS = {"good": "#1E8E3E", "bad": "#C5221F", "neutral": "#5F6368", "amber": "#E37400"}


def rank(position: int, previous: int | None, lang: str = "zh") -> str:
    """第3位，较上期 ▲2 / No. 3, ▲2 on last period (a smaller number is a better rank)."""
    if previous is None or previous == position:
        move = "较上期持平" if lang == "zh" else "unchanged"
    else:
        arrow = "▲" if position < previous else "▼"
        move = (f"较上期 {arrow}{abs(previous - position)}" if lang == "zh"
                else f"{arrow}{abs(previous - position)} on last period")
    return f"第{position}位，{move}" if lang == "zh" else f"No. {position}, {move}"
