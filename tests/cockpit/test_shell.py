"""The frame around every page: the sidebar's region pickers and the breadcrumb name regions in the page
language, and a link (?region=&lang=) opens the same view."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest


def _frame() -> None:
    from cockpit import shell

    shell.breadcrumb(shell.sidebar())


def _open(region: str, lang: str) -> AppTest:
    at = AppTest.from_function(_frame, default_timeout=30)
    at.query_params["region"] = region
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def _crumbs(at: AppTest) -> tuple[list[str], str]:
    """(the buttons that go back up, the current region in bold)."""
    ups = [b.label for b in at.button if (b.key or "").startswith("shell.crumb.")]
    here = next(m.value for m in at.markdown if m.value.startswith("**"))
    return ups, here.strip("*")


@pytest.mark.parametrize(("lang", "province", "bijie", "qixingguan", "weining", "qiannan", "everything"), [
    ("zh", "贵州省", "毕节市", "七星关区", "威宁彝族回族苗族自治县", "黔南布依族苗族自治州", "全部"),
    ("en", "Guizhou Province", "Bijie", "Qixingguan District", "Weining Yi, Hui and Miao Autonomous County",
     "Qiannan Buyei and Miao Autonomous Prefecture", "All"),
])
def test_pickers_and_breadcrumb_name_regions_in_the_page_language(lang, province, bijie, qixingguan, weining,
                                                                  qiannan, everything):
    at = _open("520502", lang)
    prefecture, county = at.selectbox(key="shell.prefecture"), at.selectbox(key="shell.county")
    assert (prefecture.value, county.value) == ("520500", "520502")
    assert prefecture.options[0] == everything and {bijie, qiannan} <= set(prefecture.options)
    assert {qixingguan, weining} <= set(county.options) and len(county.options) == 1 + 8
    assert _crumbs(at) == ([province, bijie], qixingguan)

    at.button(key="shell.crumb.520500").click().run()  # back up to the prefecture
    assert not at.exception, at.exception
    assert at.session_state["shell.county"] == ""
    assert _crumbs(at) == ([province], bijie)


def test_switching_the_language_renames_the_regions():
    at = _open("522700", "zh")
    assert _crumbs(at) == (["贵州省"], "黔南布依族苗族自治州")
    at.radio(key="lang").set_value("en").run()
    assert not at.exception, at.exception
    assert _crumbs(at) == (["Guizhou Province"], "Qiannan Buyei and Miao Autonomous Prefecture")
    assert at.selectbox(key="shell.prefecture").value == "522700"
    assert at.query_params["lang"] in ("en", ["en"])


def _pickers(at: AppTest) -> dict[str, list[str]]:
    return {box.key: box.options for box in at.selectbox if box.key in ("shell.prefecture", "shell.county")}


def test_a_city_home_shows_a_county_picker_only(monkeypatch):
    monkeypatch.setenv("COCKPIT_REGION", "130900")  # 沧州市
    at = _open("130929", "zh")
    pickers = _pickers(at)
    assert list(pickers) == ["shell.prefecture"] and len(pickers["shell.prefecture"]) == 1 + 16
    assert at.selectbox(key="shell.prefecture").label == "县（市、区）" and "献县" in pickers["shell.prefecture"]
    assert _crumbs(at) == (["沧州市"], "献县")  # the breadcrumb starts at home


def test_a_county_home_shows_no_region_picker_and_a_foreign_region_falls_back(monkeypatch):
    monkeypatch.setenv("COCKPIT_REGION", "130929")  # 献县
    at = _open("520502", "en")  # a Guizhou county is not in this deployment
    assert _pickers(at) == {}
    assert _crumbs(at) == ([], "Xian County")


def test_a_province_home_shows_prefecture_then_county(monkeypatch):
    monkeypatch.setenv("COCKPIT_REGION", "130000")
    at = _open("130929", "zh")
    assert at.selectbox(key="shell.prefecture").label == "市（州）"
    assert at.selectbox(key="shell.county").value == "130929" and len(_pickers(at)["shell.prefecture"]) == 1 + 11
