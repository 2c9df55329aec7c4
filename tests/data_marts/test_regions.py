import pytest

from data_marts import regions


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
