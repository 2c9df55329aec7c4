import pytest

from cockpit import fmt


@pytest.mark.parametrize(("value", "unit", "lang", "text"), [
    (38562148, "人", "zh", "3,856.2万人"),
    (3856.2148, "万人", "zh", "3,856.2万人"),
    (22645.7, "亿元", "zh", "2.26万亿元"),
    (4311.65, "亿元", "zh", "4,311.7亿元"),
    (965.3, "亿元", "zh", "965.3亿元"),
    (8500, "元", "zh", "8,500元"),
    (54172, "元", "zh", "5.42万元"),
    (-12345, "人", "zh", "−1.23万人"),
    (22645.7, "亿元", "en", "2.26 trillion yuan"),
    (38562148, "人", "en", "38.6 million persons"),
    (None, "人", "zh", "—"),
    (float("nan"), "人", "en", "—"),
])
def test_number_reads_in_wan_and_yi(value, unit, lang, text):
    assert fmt.number(value, unit, lang) == text


def test_changes_and_points():
    assert fmt.change(5.3) == "同比 +5.3%"
    assert fmt.change(-0.4, kind="mom") == "环比 −0.4%"
    assert fmt.change(0.0) == "同比 ±0.0%"
    assert fmt.change(1.25, lang="en") == "YoY +1.3%"  # half up, as statistics bureaus round
    assert fmt.change(None) == "同比 —"
    assert fmt.points(-1.2) == "−1.2个百分点"
    assert fmt.points(0.5, "en") == "+0.5 pp"


def test_rank_change():
    assert fmt.rank(3, 5) == "第3位，较上期 ▲2"
    assert fmt.rank(4, 2) == "第4位，较上期 ▼2"
    assert fmt.rank(1, 1) == "第1位，较上期持平"
    assert fmt.rank(3, 5, "en") == "No. 3, ▲2 on last period"


def test_unit_names():
    assert fmt.unit_name("亿元", "zh") == "亿元"
    assert fmt.unit_name("亿元", "en") == "100 million yuan"
    assert fmt.unit_name("上年同月=100", "en") == "same month last year = 100"
    assert fmt.unit_name("公里", "en") == "公里"  # unknown units are shown as they are


@pytest.mark.parametrize(("value", "unit", "text"), [
    (38562148, "人", "38.6 mn"), (22645.7, "亿元", "¥2.26 tn"), (248.6, "亿元", "¥24.9 bn"),
    (24079, "元", "¥24,079"), (227940, "家", "227,940"), (2.68e6, "套", "2.68 mn"),
    (-1.5e9, "元", "−¥1.50 bn"), (12.5, "%", "12.5%"), (None, "元", "—"),
])
def test_compact_english_fits_a_kpi_card(value, unit, text):
    assert fmt.number(value, unit, "en", compact=True) == text


def test_compact_chinese_is_the_usual_form():
    assert fmt.number(38562148, "人", "zh", compact=True) == fmt.number(38562148, "人", "zh") == "3,856.2万人"
