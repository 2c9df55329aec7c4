import csv
import re

import pytest

from data_marts import paths, reference_tables, regions


def test_region_table_has_the_expected_levels():
    levels = [r.level for r in regions.regions()]
    assert levels.count("province") == 34
    assert levels.count("prefecture") == 9
    assert levels.count("county") == 88
    for county in regions.counties():
        assert regions.by_code()[county.parent_code].level == "prefecture"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("贵州省", "520000"), ("贵州", "520000"),
        ("黔东南苗族侗族自治州", "522600"), ("黔东南州", "522600"), ("黔东南", "522600"),
        ("内蒙古自治区", "150000"), ("内蒙古", "150000"), ("广西壮族自治区", "450000"), ("广西", "450000"),
        ("毕节市", "520500"), ("毕节", "520500"),
        ("威宁彝族回族苗族自治县", "520526"), ("威宁县", "520526"), ("威宁", "520526"),
        ("六枝特区", "520203"), ("水城区", "520204"),
        ("贵州省毕节市", "520500"), ("贵州省毕节市七星关区", "520502"), (" 520502 ", "520502"),
    ],
)
def test_names_resolve_in_full_and_short_forms(name, code):
    assert regions.resolve(name) == code


def test_unknown_region_names_raise_with_the_name():
    with pytest.raises(KeyError, match="火星市"):
        regions.resolve("火星市")


def test_short_forms_never_collide():
    seen = {}
    for region in regions.regions():
        short = regions.short_name(region.code)
        assert regions.resolve(short) == region.code
        assert short not in seen, (short, seen.get(short), region.code)
        seen[short] = region.code


def test_ancestors_and_code_validity():
    assert regions.ancestors("520502") == ["520502", "520500", "520000"]
    assert regions.is_valid_code("520502", "county")
    assert not regions.is_valid_code("520500", "county")
    assert regions.is_valid_code("510104", "any")  # a Chengdu district: another province's county
    assert not regions.is_valid_code("529999", "any")  # unknown Guizhou code
    assert not regions.is_valid_code("5205", "any")


# -- English names (DECISIONS 22) ----------------------------------------------------------------------

def _csv_rows() -> list[dict[str, str]]:
    with paths.REGIONS_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_region_has_an_ascii_english_name():
    rows = _csv_rows()
    assert len(rows) == 34 + 9 + 88
    for row in rows:
        name_en = row["name_en"]
        assert name_en and name_en == name_en.strip() and "  " not in name_en, row
        assert name_en.isascii() and re.fullmatch(r"[A-Z][A-Za-z' ,]*[a-z]", name_en), row
    assert len({r["name_en"] for r in rows}) == len(rows)  # no two regions read the same in English


PREFECTURES_EN = {
    "520100": "Guiyang", "520200": "Liupanshui", "520300": "Zunyi", "520400": "Anshun", "520500": "Bijie",
    "520600": "Tongren", "522300": "Qianxinan Buyei and Miao Autonomous Prefecture",
    "522600": "Qiandongnan Miao and Dong Autonomous Prefecture", "522700": "Qiannan Buyei and Miao Autonomous Prefecture",
}
PROVINCES_EN = {
    "520000": "Guizhou Province", "140000": "Shanxi Province", "610000": "Shaanxi Province",
    "150000": "Inner Mongolia Autonomous Region", "540000": "Xizang Autonomous Region",
    "450000": "Guangxi Zhuang Autonomous Region", "640000": "Ningxia Hui Autonomous Region",
    "650000": "Xinjiang Uygur Autonomous Region", "110000": "Beijing", "500000": "Chongqing",
    "710000": "Taiwan Province", "810000": "Hong Kong Special Administrative Region",
    "820000": "Macao Special Administrative Region",
}
# Characters read more than one way (都 dū/dōu, 长 cháng/zhǎng, 六 liù/lù), syllables that need an
# apostrophe (瓮安 Weng'an, 普安 Pu'an), the designations, and every people of Guizhou's autonomous areas.
COUNTIES_EN = {
    "522701": "Duyun", "522732": "Sandu Shui Autonomous County", "522729": "Changshun County",
    "520203": "Liuzhi Special District", "522725": "Weng'an County", "522323": "Pu'an County",
    "520330": "Xishui County", "520281": "Panzhou", "520324": "Zheng'an County", "520382": "Renhuai",
    "520502": "Qixingguan District", "520526": "Weining Yi, Hui and Miao Autonomous County",
    "520325": "Daozhen Gelao and Miao Autonomous County", "520423": "Zhenning Buyei and Miao Autonomous County",
    "520425": "Ziyun Miao and Buyei Autonomous County", "520622": "Yuping Dong Autonomous County",
    "520625": "Yinjiang Tujia and Miao Autonomous County", "520627": "Yanhe Tujia Autonomous County",
    "520581": "Qianxi",
}


@pytest.mark.parametrize(("code", "name_en"), [*PREFECTURES_EN.items(), *PROVINCES_EN.items(), *COUNTIES_EN.items()])
def test_known_english_names(code, name_en):
    assert regions.name(code, "en") == name_en
    assert regions.by_code()[code].name_en == name_en


@pytest.mark.parametrize(
    ("code", "short", "compact"),
    [
        ("520000", "Guizhou", "Guizhou Province"), ("520500", "Bijie", "Bijie"),
        ("522700", "Qiannan", "Qiannan Prefecture"), ("520526", "Weining", "Weining County"),
        ("520502", "Qixingguan", "Qixingguan District"), ("520203", "Liuzhi", "Liuzhi Special District"),
        ("522732", "Sandu", "Sandu County"), ("150000", "Inner Mongolia", "Inner Mongolia Region"),
        ("650000", "Xinjiang", "Xinjiang Region"), ("810000", "Hong Kong", "Hong Kong Special Administrative Region"),
    ],
)
def test_english_short_and_compact_forms(code, short, compact):
    assert regions.short_name(code, "en") == short
    assert regions.compact_name(code, "en") == compact


def test_chinese_names_are_unchanged_by_the_language_argument():
    assert regions.name("520526") == regions.name("520526", "zh") == "威宁彝族回族苗族自治县"
    assert regions.short_name("520526", "zh") == "威宁" and regions.compact_name("520526") == "威宁县"
    assert regions.compact_name("522700") == "黔南州" and regions.compact_name("520502") == "七星关区"
    assert regions.names("zh", "short")["520000"] == "贵州" and regions.names("en")["520500"] == "Bijie"
    with pytest.raises(ValueError, match="fr"):
        regions.name("520500", "fr")
    with pytest.raises(ValueError, match="tiny"):
        regions.names("en", "tiny")


def test_english_short_forms_never_collide():
    shorts = [regions.short_name(r.code, "en") for r in regions.regions()]
    assert len(set(shorts)) == len(shorts)
    fulls = {r.name_en: r.code for r in regions.regions()}
    for region, short in zip(regions.regions(), shorts):
        assert fulls.get(short, region.code) == region.code, (short, region.code)
        assert region.name_en.startswith(short)


def test_the_reference_mart_carries_both_languages():
    frame = reference_tables.regions_frame()
    assert {"name", "short_name", "name_en", "short_name_en"} <= set(frame.columns)
    bijie = frame.filter(frame["code"] == "520526").row(0, named=True)
    assert (bijie["name"], bijie["short_name"]) == ("威宁彝族回族苗族自治县", "威宁")
    assert (bijie["name_en"], bijie["short_name_en"]) == ("Weining Yi, Hui and Miao Autonomous County", "Weining")


def test_the_built_warehouse_has_english_region_names(warehouse):
    rows = warehouse.execute(
        "SELECT code, name, name_en, short_name_en FROM mart.regions WHERE code IN ('520000', '522600') ORDER BY code"
    ).fetchall()
    assert rows == [("520000", "贵州省", "Guizhou Province", "Guizhou"),
                    ("522600", "黔东南苗族侗族自治州", "Qiandongnan Miao and Dong Autonomous Prefecture", "Qiandongnan")]
    assert warehouse.execute("SELECT count(*) FROM mart.regions WHERE name_en IS NULL OR name_en = ''").fetchone() == (0,)
