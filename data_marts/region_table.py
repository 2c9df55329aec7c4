"""Regenerate ``regions.csv`` (every provincial, prefecture- and county-level unit of China) and
``region_changes.csv`` (codes retired or renamed since 2010) from a checkout of ``yescallop/areacodes``,
which carries the Ministry of Civil Affairs' 县级以上行政区划代码 for every year with the changes between
them (CC0). Run by a maintainer when a new year's list is out; the cockpit only reads the two CSVs:

    python -m data_marts.region_table /path/to/areacodes [--commit SHA]

English names: the committed ones are kept (the 34 provinces and the shipped demo region's, DECISIONS 22); every other
region's is derived from the Chinese name by the same rules — Hanyu Pinyin for the place (``pypinyin``,
with the place readings below for characters it reads wrong in place names), English for the designation,
an autonomous area's peoples between them.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

from data_marts import paths, regions, settings

VINTAGE = 2024  # the newest year of the MCA list the table holds (codes in use on 31 December)
FIRST_HISTORY_YEAR = 2010  # the crosswalk covers codes in use in any year from this one on

# Designations, longest first: Chinese suffix -> (English designation or "" for a city, is autonomous).
DESIGNATIONS = (
    ("特别行政区", "Special Administrative Region"), ("自治区", "Autonomous Region"),
    ("自治州", "Autonomous Prefecture"), ("自治县", "Autonomous County"), ("自治旗", "Autonomous Banner"),
    ("地区", "Prefecture"), ("特区", "Special District"),
    ("省", "Province"), ("市", ""), ("区", "District"), ("县", "County"), ("盟", "League"), ("旗", "Banner"),
)
# Characters pypinyin reads otherwise but places read one way (长沙 Changsha, 成都 Chengdu), and whole
# place names whose reading is their own.
CHAR_READINGS = {"长": "chang", "都": "du", "什": "shi", "乐": "le", "勒": "le"}
PLACE_READINGS = {
    "朝阳": "Chaoyang", "单": "Shan", "浚": "Xun", "洪洞": "Hongtong", "漯河": "Luohe",
    "东阿": "Dong'e", "番禺": "Panyu", "蚌埠": "Bengbu", "六安": "Lu'an", "乐清": "Yueqing", "乐亭": "Laoting",
    "铅山": "Yanshan", "蔚": "Yu", "尉犁": "Yuli", "莘": "Shen", "枞阳": "Zongyang", "泌阳": "Biyang",
    "重庆": "Chongqing", "长子": "Zhangzi", "大冶": "Daye", "曲沃": "Quwo", "茌平": "Chiping",
    "泊头": "Botou", "蚌山": "Bengshan", "闵行": "Minhang", "伽师": "Jiashi",
}
NAMES_EN = {"神农架林区": "Shennongjia Forestry District"}  # the one forestry district


def pinyin_place(stem: str) -> str:
    """Hanyu Pinyin of a place, one capitalised word, an apostrophe before a syllable starting a/o/e."""
    from pypinyin import Style, lazy_pinyin

    if stem in PLACE_READINGS:
        return PLACE_READINGS[stem]
    syllables = lazy_pinyin(stem, style=Style.NORMAL, errors="ignore")
    if len(syllables) != len(stem):
        raise ValueError(f"no pinyin for every character of {stem!r}")
    syllables = [CHAR_READINGS.get(ch, s) for ch, s in zip(stem, syllables)]
    word = syllables[0] + "".join(("'" + s) if s[0] in "aoe" else s for s in syllables[1:])
    return word[0].upper() + word[1:]


def english_name(name: str) -> str:
    """沧州市 -> Cangzhou, 献县 -> Xian County, 孟村回族自治县 -> Mengcun Hui Autonomous County."""
    if name in NAMES_EN:
        return NAMES_EN[name]
    for suffix, designation in DESIGNATIONS:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            break
    else:
        raise ValueError(f"no designation in {name!r}")
    peoples: list[str] = []
    if suffix.startswith("自治"):
        while True:
            for people in sorted(regions.PEOPLES, key=len, reverse=True):
                if stem.endswith(people):
                    if len(stem) == len(people):  # 东乡族自治县: the people names the place
                        return f"{regions.PEOPLES[people]} {designation}"
                    stem = stem[: -len(people)]
                    peoples.insert(0, regions.PEOPLES[people])
                    break
            else:
                break
        if not peoples or "族" in stem:
            raise ValueError(f"unknown people in {name!r}")
    place = pinyin_place(stem)
    if peoples:
        listed = peoples[0] if len(peoples) == 1 else ", ".join(peoples[:-1]) + " and " + peoples[-1]
        return f"{place} {listed} {designation}"
    return f"{place} {designation}".strip()


def _level(code: str) -> str:
    return "province" if code.endswith("0000") else "prefecture" if code.endswith("00") else "county"


def read_list(areacodes: Path, year: int) -> dict[str, str]:
    """code -> name of the MCA list for ``year`` (units in use on 31 December)."""
    table = {}
    for line in (areacodes / "data" / f"{year}.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            code, name = line.split(maxsplit=1)
            table[code] = name.strip()
    return table


def region_rows(areacodes: Path) -> list[dict[str, str]]:
    current = read_list(areacodes, VINTAGE)
    committed = {r.code: r for r in regions.regions()}
    # English names reviewed by hand (DECISIONS 22): the provinces and the shipped demo region's units
    shipped = regions.prefix(settings.default_region())
    rows = []
    for code, name in current.items():
        level = _level(code)
        if level == "province":
            parent = "000000"
        else:
            prefecture = code[:4] + "00"
            parent = prefecture if level == "county" and prefecture in current else code[:2] + "0000"
        kept = committed.get(code)
        reviewed = kept is not None and kept.name == name and (level == "province" or code.startswith(shipped))
        name_en = kept.name_en if reviewed else english_name(name)
        rows.append({"code": code, "name": name, "name_en": name_en, "level": level, "parent_code": parent})
    return rows


def change_rows(areacodes: Path) -> list[dict[str, str]]:
    """One row per code in use at some time since ``FIRST_HISTORY_YEAR`` that is not in today's list and
    whose area went to one unit in use today, or mostly to the one that kept its name (水城县 -> 水城区, a
    corner to 钟山区); a code split among several others has no successor and is left out: such rows stay
    unresolved and are quarantined."""
    current = read_list(areacodes, VINTAGE)
    with (areacodes / "result.csv").open(encoding="utf-8-sig") as handle:
        records = list(csv.DictReader(handle))
    retired: dict[str, tuple[str, int, list[str]]] = {}
    for r in records:
        if r["状态"] != "弃用" or not r["变更/弃用时间"] or int(r["变更/弃用时间"]) <= FIRST_HISTORY_YEAR:
            continue
        successors = [c for c in r["新代码"].split(";") if c and "[" not in c]
        # the latest retirement of a code wins (a code reused and retired again)
        year = int(r["变更/弃用时间"])
        if r["代码"] not in retired or retired[r["代码"]][1] < year:
            retired[r["代码"]] = (r["名称"], year, successors)
    rows = []
    for code, (name, year, successors) in sorted(retired.items()):
        target, seen = successors, {code}
        while len(target) == 1 and target[0] not in current and target[0] in retired and target[0] not in seen:
            seen.add(target[0])
            target = retired[target[0]][2]
        if len(target) > 1:  # split: the successor that keeps the place's name takes the row (水城县 -> 水城区)
            target = [c for c in target if _stem(current.get(c, "")) == _stem(name)] or target
        if len(target) != 1 or target[0] not in current:
            continue
        new = target[0]
        # the first step names the change (黔西县 given a new code in 2011 is a recode, though it became 黔西市 later)
        first = retired[successors[0]][0] if len(seen) > 1 else current[new]
        rows.append({"old_code": code, "old_name": name, "new_code": new, "new_name": current[new],
                     "year": str(year), "kind": first, "source": f"areacodes diff/{year - 1}-{year}.diff"})
    sources: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row["new_code"], row["year"])
        sources[key] = sources.get(key, 0) + 1
    for row in rows:
        merged = sources[(row["new_code"], row["year"])] > 1 or _in_use_before(records, row)
        row["kind"] = _kind(row, merged)
    # renames that kept the code (e.g. a county renamed in place) resolve by their old name
    for r in records:
        code = r["代码"]
        if (r["状态"] == "弃用" and r["变更/弃用时间"] and int(r["变更/弃用时间"]) > FIRST_HISTORY_YEAR
                and code in current and r["名称"] != current[code] and code not in retired):
            rows.append({"old_code": code, "old_name": r["名称"], "new_code": code, "new_name": current[code],
                         "year": r["变更/弃用时间"], "kind": "rename",
                         "source": f"areacodes diff/{int(r['变更/弃用时间']) - 1}-{r['变更/弃用时间']}.diff"})
    return sorted(rows, key=lambda row: (row["old_code"], row["year"]))


def _stem(name: str) -> str:
    for suffix, _ in DESIGNATIONS:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _in_use_before(records: list[dict], row: dict) -> bool:
    """Whether the successor already existed when the old code was retired (a merge into it)."""
    for r in records:
        if r["代码"] == row["new_code"] and int(r["启用时间"]) < int(row["year"]):
            return True
    return False


def _kind(row: dict, merged: bool) -> str:
    old, new = row["old_name"], row["kind"]  # the name right after the change
    if merged:
        return "merge"
    if old[-1] in "县市旗" and new.endswith("区"):
        return "撤县设区"
    if old[-1] in "县旗" and new.endswith("市"):
        return "撤县设市"
    return "recode" if old == new else "rename"


def write(rows: list[dict[str, str]], path: Path, header: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(header)
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("areacodes", type=Path, help="a checkout of github.com/yescallop/areacodes")
    parser.add_argument("--commit", default="", help="the checkout's commit, recorded in the files' header")
    args = parser.parse_args(argv)
    stamp = f"areacodes@{args.commit[:12]}" if args.commit else "areacodes"
    write(region_rows(args.areacodes), paths.REGIONS_CSV,
          f"# GB/T 2260 codes in use on {VINTAGE}-12-31 (MCA 县级以上行政区划代码), from {stamp} data/{VINTAGE}.txt\n")
    write(change_rows(args.areacodes), paths.REGION_CHANGES_CSV,
          f"# Codes retired or renamed {FIRST_HISTORY_YEAR + 1}-{VINTAGE} with their successor today, "
          f"from {stamp} result.csv\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
