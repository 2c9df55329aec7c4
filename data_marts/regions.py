"""Administrative regions (GB/T 2260): the 34 provincial-level regions, Guizhou's prefectures and counties.

Names resolve to codes in full and short forms (贵州省 / 贵州, 黔东南苗族侗族自治州 / 黔东南州 /
黔东南, 内蒙古自治区 / 内蒙古), and with a parent's name in front (贵州省毕节市).

Every region also has an English name, committed in ``regions.csv`` beside its Chinese one (DECISIONS 22):
``name``, ``short_name`` and ``compact_name`` take ``lang="zh"`` (the default) or ``"en"``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from data_marts.paths import REGIONS_CSV

PROVINCE = "520000"  # the demo province
LEVELS = ("province", "prefecture", "county")
LANGUAGES = ("zh", "en")
_ETHNIC = ("维吾尔", "布依族", "仡佬族", "土家族", "壮族", "回族", "苗族", "侗族", "彝族", "水族")
_SUFFIX = re.compile(r"(特别行政区|自治区|自治州|自治县|省|市|特区|区|县)$")
# English: "Weining Yi, Hui and Miao Autonomous County" is the place, its peoples and its designation.
_PEOPLES_EN = ("Miao", "Buyei", "Dong", "Tujia", "Gelao", "Yi", "Hui", "Shui", "Zhuang", "Uygur")
_AUTONOMOUS_EN = re.compile(
    rf"(?P<stem>.+?)(?:(?:,| and)? (?:{'|'.join(_PEOPLES_EN)}))* Autonomous (?P<kind>Prefecture|County|Region)")
_SUFFIX_EN = re.compile(r" (Special Administrative Region|Special District|Province|District|County)$")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    name_en: str
    level: str
    parent_code: str


def _short_forms(name: str) -> list[str]:
    """Short forms of a region name, longest first; the caller drops any that collide."""
    forms: list[str] = []
    stem = name
    autonomous = re.search(r"自治(州|县|区)$", name)
    if autonomous:
        stem = name[: autonomous.start()]
        while True:
            for ethnic in _ETHNIC:
                if stem.endswith(ethnic) and len(stem) > len(ethnic):
                    stem = stem[: -len(ethnic)]
                    break
            else:
                break
        kind = autonomous.group(1)
        if kind in ("州", "县"):
            forms.append(stem + kind)
            forms.append(stem + "自治" + kind)
    else:
        stem = _SUFFIX.sub("", name)
    if len(stem) >= 2 and stem != name:
        forms.append(stem)
    return forms


@lru_cache(maxsize=1)
def regions() -> tuple[Region, ...]:
    """Every region the project knows, in file order (provinces, then Guizhou top-down)."""
    with REGIONS_CSV.open(encoding="utf-8") as handle:
        return tuple(Region(r["code"], r["name"], r["name_en"], r["level"], r["parent_code"])
                     for r in csv.DictReader(handle))


@lru_cache(maxsize=1)
def by_code() -> dict[str, Region]:
    return {r.code: r for r in regions()}


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    table: dict[str, str] = {}
    short: dict[str, set[str]] = {}
    for region in regions():
        table[region.name] = region.code
        for form in _short_forms(region.name):
            short.setdefault(form, set()).add(region.code)
    for form, codes in short.items():
        if len(codes) == 1 and form not in table:
            table[form] = next(iter(codes))
    return table


def resolve(name_or_code: str) -> str:
    """The 6-digit code for a code, full name, short name or parent-prefixed name.

    Raises ``KeyError`` with the name when it is unknown or ambiguous.
    """
    text = re.sub(r"\s+", "", str(name_or_code))
    if text in by_code():
        return text
    names = _names()
    if text in names:
        return names[text]
    # "贵州省毕节市七星关区": peel a known ancestor name off the front and resolve the rest under it.
    for prefix in sorted(names, key=len, reverse=True):
        if text.startswith(prefix) and len(text) > len(prefix):
            parent = names[prefix]
            rest = resolve_or_none(text[len(prefix):])
            if rest and parent in ancestors(rest):
                return rest
    raise KeyError(f"unknown region {name_or_code!r}")


def resolve_or_none(name_or_code: str) -> str | None:
    try:
        return resolve(name_or_code)
    except KeyError:
        return None


def _checked(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    return lang


def name(code: str, lang: str = "zh") -> str:
    """The full name: 毕节市 / Bijie, 黔南布依族苗族自治州 / Qiannan Buyei and Miao Autonomous Prefecture."""
    region = by_code()[code]
    return region.name if _checked(lang) == "zh" else region.name_en


def short_name(code: str, lang: str = "zh") -> str:
    """The shortest unambiguous name, for tight labels on maps and charts: 黔南 / Qiannan, 贵州 / Guizhou."""
    region = by_code()[code]
    if _checked(lang) == "en":
        return _short_names_en()[code]
    forms = [f for f in _short_forms(region.name) if _names().get(f) == code]
    return min(forms, key=len) if forms else region.name


def compact_name(code: str, lang: str = "zh") -> str:
    """The name on a chart axis: the full name, but an autonomous prefecture or county without its peoples
    (黔南州 / Qiannan Prefecture, 威宁县 / Weining County; 毕节市 / Bijie and 七星关区 / Qixingguan District stay)."""
    region = by_code()[code]
    if _checked(lang) == "en":
        autonomous = _AUTONOMOUS_EN.fullmatch(region.name_en)
        return f"{autonomous['stem']} {autonomous['kind']}" if autonomous else region.name_en
    return short_name(code) + region.name[-1] if "自治" in region.name else region.name


FORMS = {"full": name, "short": short_name, "compact": compact_name}


@lru_cache(maxsize=None)
def names(lang: str = "zh", form: str = "full") -> dict[str, str]:
    """Code → name of every region in one language and form (``full``, ``short``, ``compact``); do not modify."""
    if form not in FORMS:
        raise ValueError(f"unknown name form {form!r}; use one of {', '.join(FORMS)}")
    return {r.code: FORMS[form](r.code, lang) for r in regions()}


def _short_form_en(name_en: str) -> str:
    autonomous = _AUTONOMOUS_EN.fullmatch(name_en)
    return autonomous["stem"] if autonomous else _SUFFIX_EN.sub("", name_en)


@lru_cache(maxsize=1)
def _short_names_en() -> dict[str, str]:
    """English short forms (Weining, Qixingguan, Guizhou); a form that another region also has, short or
    full, falls back to the full name."""
    forms = {r.code: _short_form_en(r.name_en) for r in regions()}
    users: dict[str, set[str]] = {}
    for region in regions():
        for form in {forms[region.code], region.name_en}:
            users.setdefault(form, set()).add(region.code)
    return {r.code: forms[r.code] if users[forms[r.code]] == {r.code} else r.name_en for r in regions()}


def ancestors(code: str) -> list[str]:
    """The code itself and every ancestor up to the province (nearest first)."""
    chain = []
    table = by_code()
    while code in table:
        chain.append(code)
        code = table[code].parent_code
    return chain


def children(code: str) -> list[Region]:
    return [r for r in regions() if r.parent_code == code]


def at_level(level: str, within: str = PROVINCE) -> list[Region]:
    """Regions of one level inside ``within`` (``within`` = "000000" for the whole country)."""
    return [r for r in regions() if r.level == level and (within == "000000" or within in ancestors(r.code))]


def counties(within: str = PROVINCE) -> list[Region]:
    return at_level("county", within)


def is_valid_code(code: str, scope: str = "any") -> bool:
    """``scope``: "county" = a Guizhou county; "guizhou" = any Guizhou region;
    "any" = a known region, or a 6-digit code whose province is one of the 34."""
    if not re.fullmatch(r"\d{6}", str(code or "")):
        return False
    region = by_code().get(code)
    if scope == "county":
        return region is not None and region.level == "county"
    if scope == "guizhou":
        return region is not None and region.code.startswith("52")
    return region is not None or (code[:2] + "0000") in by_code() and not code.startswith("52")
