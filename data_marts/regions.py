"""Administrative regions (GB/T 2260): every provincial, prefecture- and county-level unit of China.

The table (``regions.csv``) holds the codes the Ministry of Civil Affairs lists as in use at the end of
its vintage year (see its first line and docs/data.md); ``region_changes.csv`` maps codes retired or renamed
since 2010 to today's unit, so that old rows and old names still resolve.

Names resolve to codes in full and short forms (河北省 / 河北, 黔东南苗族侗族自治州 / 黔东南州 /
黔东南, 内蒙古自治区 / 内蒙古), and with a parent's name in front (河北省沧州市献县). A name that several
regions share (朝阳区, 新华区) resolves to the one inside the deployment's home region (``home()``), and
is ambiguous otherwise.

Every region also has an English name, committed in ``regions.csv`` beside its Chinese one (DECISIONS 22):
``name``, ``short_name`` and ``compact_name`` take ``lang="zh"`` (the default) or ``"en"``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from data_marts.paths import REGION_CHANGES_CSV, REGIONS_CSV

COUNTRY = "000000"
LEVELS = ("province", "prefecture", "county")
LANGUAGES = ("zh", "en")
# The peoples that autonomous areas name, with their English names (GB/T 3304).
PEOPLES = {
    "蒙古族": "Mongol", "蒙古": "Mongol", "回族": "Hui", "藏族": "Tibetan", "维吾尔": "Uygur", "苗族": "Miao",
    "彝族": "Yi", "壮族": "Zhuang", "布依族": "Buyei", "朝鲜族": "Korean", "满族": "Manchu", "侗族": "Dong",
    "瑶族": "Yao", "白族": "Bai", "土家族": "Tujia", "哈尼族": "Hani", "哈萨克族": "Kazak", "哈萨克": "Kazak",
    "傣族": "Dai", "黎族": "Li", "傈僳族": "Lisu", "佤族": "Va", "畲族": "She", "拉祜族": "Lahu", "水族": "Shui",
    "东乡族": "Dongxiang", "纳西族": "Naxi", "景颇族": "Jingpo", "柯尔克孜": "Kirgiz", "土族": "Tu",
    "达斡尔族": "Daur", "仫佬族": "Mulao", "羌族": "Qiang", "布朗族": "Blang", "撒拉族": "Salar",
    "毛南族": "Maonan", "仡佬族": "Gelao", "锡伯": "Xibe", "普米族": "Pumi", "塔吉克": "Tajik", "怒族": "Nu",
    "鄂温克族": "Ewenki", "保安族": "Bonan", "裕固族": "Yugur", "独龙族": "Derung", "鄂伦春": "Oroqen",
    "各族": "Various Nationalities",
}
_ETHNIC = tuple(sorted(PEOPLES, key=len, reverse=True))
_SUFFIX = re.compile(r"(特别行政区|自治区|自治州|自治县|自治旗|地区|省|市|特区|区|县|盟|旗)$")
# English: "Weining Yi, Hui and Miao Autonomous County" is the place, its peoples and its designation.
_PEOPLES_EN = tuple(sorted(set(PEOPLES.values()), key=len, reverse=True))
_AUTONOMOUS_EN = re.compile(
    rf"(?P<stem>.+?)(?:(?:,| and)? (?:{'|'.join(_PEOPLES_EN)}))* Autonomous (?P<kind>Prefecture|County|Region|Banner)")
_SUFFIX_EN = re.compile(r" (Special Administrative Region|Special District|Forestry District|Province|District|"
                        r"County|Prefecture|League|Banner)$")


def home() -> str:
    """The deployment's home region (``COCKPIT_REGION``, ``cockpit.toml``, else the shipped default)."""
    from data_marts import settings

    return settings.home_region()


def __getattr__(attribute: str):
    # ``regions.PROVINCE``: the old name of the home region, kept for callers written before it was a setting.
    if attribute == "PROVINCE":
        return home()
    raise AttributeError(f"module {__name__!r} has no attribute {attribute!r}")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    name_en: str
    level: str
    parent_code: str


@lru_cache(maxsize=None)
def _short_forms(name: str) -> tuple[str, ...]:
    """Short forms of a region name, longest first; the caller drops any that collide."""
    forms: list[str] = []
    stem = name
    autonomous = re.search(r"自治(州|县|区|旗)$", name)
    if autonomous:
        stem = name[: autonomous.start()]
        while True:
            for ethnic in _ETHNIC:
                if stem.endswith(ethnic) and len(stem) - len(ethnic) >= 2:
                    stem = stem[: -len(ethnic)]
                    break
            else:
                break
        kind = autonomous.group(1)
        if kind in ("州", "县", "旗"):
            forms.append(stem + kind)
            forms.append(stem + "自治" + kind)
    else:
        stem = _SUFFIX.sub("", name)
    if len(stem) >= 2 and stem != name:
        forms.append(stem)
    return tuple(forms)


def _rows(path) -> list[dict[str, str]]:
    """A reference CSV's rows; lines starting with # (its provenance) are skipped."""
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


@lru_cache(maxsize=1)
def regions() -> tuple[Region, ...]:
    """Every region the project knows, in file order (by code: each province, then its units)."""
    return tuple(Region(r["code"], r["name"], r["name_en"], r["level"], r["parent_code"]) for r in _rows(REGIONS_CSV))


@lru_cache(maxsize=1)
def by_code() -> dict[str, Region]:
    return {r.code: r for r in regions()}


@lru_cache(maxsize=1)
def vintage() -> str:
    """The provenance line of the region table (which MCA list, as of which date)."""
    with REGIONS_CSV.open(encoding="utf-8") as handle:
        return handle.readline().lstrip("# ").strip()


def vintage_date() -> str:
    """The date the region table's codes were in use (2024-12-31)."""
    found = re.search(r"\d{4}-\d{2}-\d{2}", vintage())
    return found.group(0) if found else vintage()


@dataclass(frozen=True)
class Change:
    old_code: str
    old_name: str
    new_code: str
    new_name: str
    year: int
    kind: str
    source: str


@lru_cache(maxsize=1)
def changes() -> tuple[Change, ...]:
    """Codes retired or renamed since 2010, each with the unit in use today (``region_changes.csv``)."""
    return tuple(Change(r["old_code"], r["old_name"], r["new_code"], r["new_name"], int(r["year"]), r["kind"],
                        r["source"]) for r in _rows(REGION_CHANGES_CSV))


@lru_cache(maxsize=1)
def _successors() -> dict[str, str]:
    return {c.old_code: c.new_code for c in changes() if c.old_code != c.new_code and c.old_code not in by_code()}


def successor(code: str) -> str | None:
    """Today's code for a code retired since 2010 (沧县 130921 stays; 藁城市 130182 -> 藁城区 130109), else None."""
    return _successors().get(code)


def predecessors(code: str) -> list[str]:
    """Earlier codes of the same area (撤县设区, 撤县设市, a rename or a new code; not a merge), newest first:
    where a source still files a unit under its old code (祁阳市 431181, once 祁阳县 431121)."""
    found = [c for c in changes() if c.new_code == code and c.old_code != code and c.kind != "merge"]
    return [c.old_code for c in sorted(found, key=lambda c: -c.year)]


def _group(code: str) -> str:
    return code[:2]


@lru_cache(maxsize=1)
def _valid_short_forms() -> dict[str, list[str]]:
    """Each region's short forms that no other region of its province, nor any province, uses as a name or
    short form; a province's are checked against the provinces and its own units."""
    provinces = [r for r in regions() if r.level == "province"]
    usage: dict[str, dict[str, set[str]]] = {}
    for region in regions():
        for form in {region.name, *_short_forms(region.name)}:
            groups = [_group(p.code) for p in provinces] if region.level == "province" else [_group(region.code)]
            for group in groups:
                usage.setdefault(group, {}).setdefault(form, set()).add(region.code)
    return {r.code: [f for f in _short_forms(r.name) if usage[_group(r.code)][f] == {r.code}] for r in regions()}


@lru_cache(maxsize=1)
def _names() -> dict[str, frozenset[str]]:
    """Name or short form -> the codes it may mean (several for 朝阳区, 新华区); old names of renamed units too."""
    table: dict[str, set[str]] = {}
    for region in regions():
        table.setdefault(region.name, set()).add(region.code)
    for code, forms in _valid_short_forms().items():
        for form in forms:
            table.setdefault(form, set()).add(code)
    for change in changes():
        if change.old_name not in table and change.new_code in by_code():
            table.setdefault("\0" + change.old_name, set()).add(change.new_code)
    return {name: frozenset(codes) for name, codes in table.items()}


def _in_home(code: str, home_code: str) -> bool:
    return home_code == COUNTRY or home_code in ancestors(code) or code in ancestors(home_code)


def _pick(codes: frozenset[str] | None, under: str | None) -> str | None:
    """The one code among ``codes`` (inside ``under`` if given, else preferring the home region)."""
    if not codes:
        return None
    if under is not None:
        codes = frozenset(c for c in codes if under in ancestors(c) and c != under)
    if len(codes) == 1:
        return next(iter(codes))
    inside = [c for c in codes if _in_home(c, home())]
    return inside[0] if len(inside) == 1 else None


def _lookup(text: str, under: str | None = None) -> str | None:
    names = _names()
    found = _pick(names.get(text), under)
    if found is None and text not in names:
        found = _pick(names.get("\0" + text), under)  # a unit's name before it was renamed or merged
    return found


def resolve(name_or_code: str) -> str:
    """The 6-digit code for a code, full name, short name or parent-prefixed name, as of today's table:
    a code or name retired since 2010 resolves to its successor (``region_changes.csv``).

    Raises ``KeyError`` with the name when it is unknown or ambiguous.
    """
    text = re.sub(r"\s+", "", str(name_or_code))
    if text in by_code():
        return text
    if text in _successors():
        return _successors()[text]
    found = _lookup(text)
    if found:
        return found
    # "河北省沧州市献县": peel a known ancestor name off the front and resolve the rest under it.
    names = _names()
    for cut in range(len(text) - 1, 1, -1):
        prefix, rest = text[:cut], text[cut:]
        if prefix not in names:
            continue
        for parent in names[prefix]:
            code = _lookup(rest, under=parent)
            if code is None and len(rest) > 2:
                code = _resolve_under(rest, parent)
            if code:
                return code
    raise KeyError(f"unknown region {name_or_code!r}")


def _resolve_under(text: str, parent: str) -> str | None:
    names = _names()
    for cut in range(len(text) - 1, 1, -1):
        prefix, rest = text[:cut], text[cut:]
        for middle in names.get(prefix, ()):
            if parent in ancestors(middle):
                code = _lookup(rest, under=middle)
                if code:
                    return code
    return None


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
    """The shortest name no other region of its province uses, for tight labels on maps and charts:
    黔南 / Qiannan, 河北 / Hebei."""
    region = by_code()[code]
    if _checked(lang) == "en":
        return _short_names_en()[code]
    forms = _valid_short_forms()[code]
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
    """English short forms (Weining, Qixingguan, Hebei); a form that another region of the same province
    (or a province) also has, short or full, falls back to the full name."""
    forms = {r.code: _short_form_en(r.name_en) for r in regions()}
    provinces = [_group(r.code) for r in regions() if r.level == "province"]
    users: dict[tuple[str, str], set[str]] = {}
    for region in regions():
        groups = provinces if region.level == "province" else [_group(region.code)]
        for form in {forms[region.code], region.name_en}:
            for group in groups:
                users.setdefault((group, form), set()).add(region.code)
    return {r.code: forms[r.code] if users[(_group(r.code), forms[r.code])] == {r.code} else r.name_en
            for r in regions()}


@lru_cache(maxsize=None)
def ancestors(code: str) -> list[str]:
    """The code itself and every ancestor up to the province (nearest first); do not modify."""
    chain = []
    table = by_code()
    while code in table:
        chain.append(code)
        code = table[code].parent_code
    return chain


@lru_cache(maxsize=1)
def _children() -> dict[str, list[Region]]:
    table: dict[str, list[Region]] = {}
    for region in regions():
        table.setdefault(region.parent_code, []).append(region)
    return table


def children(code: str) -> list[Region]:
    return list(_children().get(code, ()))


def within(code: str, area: str) -> bool:
    """Whether ``code`` is ``area`` or lies inside it (``area`` = "000000" is the whole country)."""
    return area == COUNTRY or area in ancestors(code)


def at_level(level: str, within: str | None = None) -> list[Region]:
    """Regions of one level inside ``within`` (default: the home region; "000000" for the whole country)."""
    area = home() if within is None else within
    return [r for r in regions() if r.level == level and (area == COUNTRY or area in ancestors(r.code))]


def counties(within: str | None = None) -> list[Region]:
    return at_level("county", within)


def subtree(code: str | None = None) -> list[Region]:
    """A region and every region inside it (default: the home region), top-down in code order."""
    area = home() if code is None else code
    return [r for r in regions() if area in ancestors(r.code)]


def is_valid_code(code: str, scope: str = "any") -> bool:
    """``scope``: "county" = a county-level unit in the home region; "home" = the home region or a unit in
    it; "any" = a known region, or a 6-digit code of a known province outside the home region."""
    if not re.fullmatch(r"\d{6}", str(code or "")):
        return False
    region = by_code().get(code)
    if scope == "county":
        return region is not None and region.level == "county" and within(code, home())
    if scope == "home":
        return region is not None and within(code, home())
    return region is not None or (code[:2] + "0000") in by_code() and not code.startswith(prefix(home()))


def prefix(code: str) -> str:
    """The code prefix every unit inside a region shares: 13 for 130000, 1309 for 130900, "" for the country."""
    if code == COUNTRY:
        return ""
    return code[:2] if code.endswith("0000") else code[:4] if code.endswith("00") else code
