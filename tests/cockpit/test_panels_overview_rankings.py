"""Overview map and warnings, regional and provincial rankings: what the contract test cannot see —
drill-down from the picker beside the map, rank-change texts, the warnings on the demo data, and the
provincial ranking once a statistics-portal export of provincial data is loaded."""

from __future__ import annotations

import json
import shutil

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from cockpit import fmt
from data_marts import regions
from data_marts.indicators import BY_CODE
from tests.cockpit.screen import charts

YEAR = 2024


def _render(panel_id: str, lang: str, region: str, year: int) -> None:
    from cockpit import charts, panel
    from cockpit.context import PageParams
    from cockpit.views.theme import render_panel

    charts.enable()
    item = next(p for p in panel.registry() if p.id == panel_id)
    render_panel(item, PageParams(region=region, year=year, lang=lang))


def _framed(panel_id: str) -> None:
    """One panel inside the real shell (sidebar pickers, pending drill-downs), as a page shows it."""
    from cockpit import charts, panel, shell
    from cockpit.views.theme import render_panel

    charts.enable()
    params = shell.sidebar()
    render_panel(next(p for p in panel.registry() if p.id == panel_id), params)


def _app(home, monkeypatch, function, *args) -> AppTest:
    monkeypatch.setenv("COCKPIT_HOME", str(home))
    at = AppTest.from_function(function, args=args, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def _tables(at: AppTest, column: str) -> list[pl.DataFrame]:
    """The tables on screen with this column (the provenance expanders hold tables too)."""
    return [pl.from_pandas(d.value) for d in at.dataframe if column in d.value.columns]


def _table(at: AppTest, column: str) -> pl.DataFrame:
    return _tables(at, column)[0]


# -- map ---------------------------------------------------------------------------------------------

def _features(spec: dict) -> list[dict]:
    """The map's features: inline JSON text that Vega parses in the browser."""
    data = spec["layer"][0]["data"]
    assert data["format"] == {"type": "json"}
    return json.loads(data["values"])


def test_the_map_draws_the_children_offline_with_formatted_values(demo_home, monkeypatch):
    at = _app(demo_home, monkeypatch, _render, "overview.map", "zh", "520000", YEAR)
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    features = _features(spec)
    assert sorted(f["code"] for f in features) == sorted(
        c for c in _codes("SELECT code FROM mart.regions WHERE parent_code = '520000'"))
    assert all(f["type"] == "Feature" and f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in features)
    assert all(f["shown"].endswith("万人") for f in features)  # population, scaled up from the sample
    assert spec["params"][0]["select"]["fields"] == ["code"]
    assert "url" not in json.dumps(spec)  # no tiles, no fetched data: the map works offline


@pytest.mark.parametrize(("lang", "bijie", "qiannan", "qiannan_short"), [
    ("zh", "毕节市", "黔南布依族苗族自治州", "黔南"),
    ("en", "Bijie", "Qiannan Buyei and Miao Autonomous Prefecture", "Qiannan"),
])
def test_the_map_names_regions_in_the_page_language(demo_home, monkeypatch, lang, bijie, qiannan, qiannan_short):
    at = _app(demo_home, monkeypatch, _render, "overview.map", lang, "520000", YEAR)
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    features = {f["code"]: f for f in _features(spec)}
    assert features["520500"]["name"] == bijie  # the tooltip
    assert (features["522700"]["name"], features["522700"]["short_name"]) == (qiannan, qiannan_short)  # tooltip, label
    labels = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert labels and all(layer["encoding"]["text"]["field"] == "short_name" for layer in labels)
    assert {bijie, qiannan} <= set(at.selectbox(key="overview.map.drill").options)


def test_a_county_map_shows_its_prefecture_with_the_county_highlighted(demo_home, monkeypatch):
    at = _app(demo_home, monkeypatch, _render, "overview.map", "en", "520502", YEAR)
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert {f["code"] for f in _features(spec)} == set(
        _codes("SELECT code FROM mart.regions WHERE parent_code = '520500'"))
    assert "520502" in json.dumps(spec["layer"][0]["encoding"]["strokeWidth"])


def test_the_picker_beside_the_map_drills_down(demo_home, monkeypatch):
    at = _app(demo_home, monkeypatch, _framed, "overview.map")
    picker = at.selectbox(key="overview.map.drill")
    assert picker.value is None and len(picker.options) == 9
    picker.set_value("520500").run()
    assert not at.exception and not at.error
    assert at.session_state["shell.prefecture"] == "520500"
    assert at.query_params["region"] in ("520500", ["520500"])  # the shared link follows the drill
    # The map now shows Bijie's counties, and the picker is ready for the next step down.
    picker = at.selectbox(key="overview.map.drill")
    assert picker.value is None and len(picker.options) == 8
    picker.set_value("520502").run()
    assert at.session_state["shell.county"] == "520502"
    assert at.selectbox(key="overview.map.drill").label in ("切换到同级地区", "Switch to")


# -- warnings ----------------------------------------------------------------------------------------

def test_warnings_on_the_demo_data_are_traceable(demo_home, monkeypatch):
    at = _app(demo_home, monkeypatch, _render, "overview.warnings", "zh", "520000", YEAR)
    counts = {m.label: int(m.value) for m in at.metric}
    assert counts["数据质量"] >= 1  # the demo injects defects into every department's exports
    assert not _tables(at, "类别"), "the full list waits in a collapsed 明细表 until opened"
    at.session_state["overview.warnings.warnings.table"] = True  # what a click on the expander sets
    at.run()
    table = _table(at, "类别")
    quality = table.filter(pl.col("类别") == "数据质量")
    assert quality.height == counts["数据质量"]
    assert quality["来源"].str.starts_with("数据质量预警 · ").all()
    assert quality["说明"].str.contains("公民身份号码：校验不通过（GB 11643）").any()  # defects in the police export
    # 2024 is over: every target warning is a target missed, traced to the year's last period in the mart;
    # no probability is given for a finished year.
    targets = table.filter(pl.col("类别") == "目标进度滞后")
    assert targets.height == counts["目标进度滞后"] >= 1  # 2024: the demo's GDP and investment fell short
    codes = {indicator.zh: code for code, indicator in BY_CODE.items()}
    for source, detail in zip(targets["来源"], targets["说明"]):
        mart, name, period = source.split(" · ")  # named in words: the mart, the indicator, the period
        assert mart == "宏观经济指标", source
        indicator = codes[name]
        assert "概率" not in detail and ("未完成" in detail or "超过" in detail), detail
        missed = _read(
            "SELECT month_end = 12 AND (completion_pct < 100 OR yoy_cumulative_pct < target_growth_pct) "
            "FROM mart.economy_indicators WHERE region_code = '520000' AND indicator = ? AND period = ?",
            [indicator, period])
        assert missed == [(True,)], source
    levels = set(table["预警级别"])
    assert levels <= {"红色", "黄色"}
    for _, group in table.group_by("类别", maintain_order=True):  # red before amber within each kind
        assert group["预警级别"].to_list() == sorted(group["预警级别"], key=lambda level: level != "红色")


def test_quality_alerts_mart_reads_the_latest_loads(demo_home, monkeypatch):
    monkeypatch.setenv("COCKPIT_HOME", str(demo_home))
    rows = _read("""
        SELECT department, table_name, rule, column_name, rows_checked, rows_failed, failure_pct
        FROM mart.quality_alerts WHERE table_name = 'population' AND rule = 'gb11643'""")
    assert len(rows) == 1
    department, _, _, column, checked, failed, pct = rows[0]
    assert (department, column) == ("省公安厅", "id_number") and failed > 0
    assert pct == pytest.approx(100 * failed / checked, abs=0.001)
    assert _read("SELECT DISTINCT region_code FROM mart.quality_alerts") == [("520000",)]


# -- regional rankings -------------------------------------------------------------------------------

def test_regional_ranking_shows_the_change_of_rank_since_last_year(demo_home, monkeypatch):
    at = _app(demo_home, monkeypatch, _render, "rankings.regions", "zh", "520000", YEAR)
    at.selectbox(key="rankings.regions.kpi").set_value("profile.gdp").run()
    assert not at.exception and not at.error
    shown = _table(at, "较上年")
    expected = {}
    for year in (YEAR, YEAR - 1):
        ordered = _read(
            "SELECT r.name FROM mart.region_profile AS p JOIN mart.regions AS r ON r.code = p.region_code "
            "WHERE r.level = 'prefecture' AND p.year = ? ORDER BY p.gdp_yi DESC", [year])
        expected[year] = {name: position for position, (name,) in enumerate(ordered, start=1)}
    assert shown["地区"].to_list() == list(expected[YEAR])
    assert shown["较上年"].to_list() == [fmt.rank(expected[YEAR][n], expected[YEAR - 1][n]) for n in shown["地区"]]
    assert shown["较上年"][0].startswith("第1位，较上期")


def test_regional_ranking_names_regions_in_english(demo_home, monkeypatch):
    at = _app(demo_home, monkeypatch, _render, "rankings.regions", "en", "520000", YEAR)
    at.selectbox(key="rankings.regions.kpi").set_value("profile.gdp").run()
    assert not at.exception and not at.error
    ordered = [code for code, in _read(
        "SELECT r.code FROM mart.region_profile AS p JOIN mart.regions AS r ON r.code = p.region_code "
        "WHERE r.level = 'prefecture' AND p.year = ? ORDER BY p.gdp_yi DESC", [YEAR])]
    table = _table(at, "On last year")
    assert table["Region"].to_list() == [regions.name(code, "en") for code in ordered]
    assert "Qiannan Buyei and Miao Autonomous Prefecture" in table["Region"].to_list()
    (spec, frames), = charts(at)
    bars = next(f for f in frames.values() if "short_name" in f.columns)
    assert set(bars["short_name"]) == {regions.short_name(code, "en") for code in ordered}  # the axis
    assert spec["layer"][0]["encoding"]["y"]["field"] == "short_name"


def test_a_banded_indicator_ranks_by_its_distance_from_the_band(demo_home, monkeypatch):
    at = _app(demo_home, monkeypatch, _render, "rankings.regions", "en", "520500", YEAR)
    at.selectbox(key="rankings.regions.kpi").set_value("economy.cpi").run()
    assert not at.exception and not at.error
    assert any("best between 0%–3%" in c.value for c in at.caption)
    table = _table(at, "Value")
    growth = [float(v) - 100 for v in table["Value"].str.replace("−", "-")]
    outside = [max(0.0 - g, g - 3.0, 0.0) for g in growth]
    assert outside == sorted(outside)  # nearest the band first
    ranks = table["Rank"].to_list()
    assert all((a == b) == (x == y) for a, b, x, y in zip(ranks, ranks[1:], outside, outside[1:]))


def test_a_county_is_ranked_among_its_prefectures_counties(demo_home, monkeypatch):
    at = _app(demo_home, monkeypatch, _render, "rankings.regions", "zh", "520502", YEAR)
    headline = [m.value for m in at.markdown if m.value.startswith("**七星关区：")]
    assert headline and "第" in headline[0] and "（共8个地区）" in headline[0]
    at = _app(demo_home, monkeypatch, _render, "rankings.regions", "en", "520502", YEAR)
    headline = [m.value for m in at.markdown if m.value.startswith("**Qixingguan District: ")]
    assert headline and headline[0].endswith("(of 8)**")


# -- provincial rankings -----------------------------------------------------------------------------

def test_provincial_ranking_explains_how_to_load_provincial_data(demo_home, monkeypatch):
    at = _app(demo_home, monkeypatch, _render, "rankings.provinces", "zh", "520000", YEAR)
    assert "cockpit ingest 分省年度数据.csv --library economy" in at.info[0].value


def test_provincial_ranking_after_loading_a_portal_export(demo_home, tmp_path, monkeypatch):
    from data_marts.build import build
    from data_marts.demo import statsportal_format as portal
    from data_marts.ingest import ingest_file

    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(demo_home / "staging.duckdb", home / "staging.duckdb")  # never touch the shared store
    values = {("110000", "2023"): 90.0, ("520000", "2023"): 95.0, ("530000", "2023"): 70.0,
              ("110000", "2024"): 100.0, ("520000", "2024"): 80.0, ("530000", "2024"): 70.0}
    long = pl.DataFrame([{"region_code": code, "indicator": "gdp", "measure": "当期值", "period": period,
                          "value": value, "unit": "亿元"} for (code, period), value in values.items()])
    export = portal.write_table(portal.by_region(long, "分省年度数据", source="国家统计局", vintage="2025-06"),
                                tmp_path / "分省年度数据.csv")
    monkeypatch.setenv("COCKPIT_HOME", str(demo_home))
    rate = _codes("SELECT value FROM meta.settings WHERE key = 'person_sample_rate'")[0]
    monkeypatch.setenv("COCKPIT_HOME", str(home))
    loaded = ingest_file(export, "economy")
    assert (loaded.rows_loaded, loaded.rows_quarantined) == (6, 0)
    build(settings={"person_sample_rate": rate})

    at = _app(home, monkeypatch, _render, "rankings.provinces", "zh", "520502", YEAR)
    assert not at.info
    headline = next(m.value for m in at.markdown if m.value.startswith("**贵州省"))
    assert headline == "**贵州省（2024）：第2位，较上期 ▼1（共3个省份）**"
    table = _table(at, "省份")
    assert table["省份"].to_list() == ["北京市", "贵州省", "云南省"]
    assert table["较上年"].to_list() == ["第1位，较上期 ▲1", "第2位，较上期 ▼1", "第3位，较上期持平"]

    at.segmented_control(key="rankings.provinces.measure").set_value("growth").run()
    assert not at.exception and not at.error
    table = _table(at, "省份")
    assert table["省份"].to_list() == ["北京市", "云南省", "贵州省"]  # +11.1%, ±0%, −15.8%
    assert table["数值"][2] == "−15.8%"

    at = _app(home, monkeypatch, _render, "rankings.provinces", "en", "520502", YEAR)
    assert next(m.value for m in at.markdown if m.value.startswith("**Guizhou")).startswith("**Guizhou Province, 2024: ")
    assert _table(at, "Province")["Province"].to_list() == ["Beijing", "Guizhou Province", "Yunnan Province"]
    bars = next(f for f in charts(at)[0][1].values() if "short_name" in f.columns)
    assert bars["short_name"].to_list() == ["Beijing", "Guizhou", "Yunnan"]


def _read(sql: str, params: list | None = None) -> list[tuple]:
    """Read the warehouse of the current COCKPIT_HOME through the cockpit's own connection (DuckDB refuses
    a second connection to the same file with another configuration)."""
    from cockpit import warehouse

    return warehouse.query(sql, params).rows()


def _codes(sql: str) -> list[str]:
    return [row[0] for row in _read(sql)]


# -- headline targets --------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, met, missed, chance", [("zh", "已完成", "未完成", "概率"), ("en", ": met", ": missed", "likely")])
def test_a_finished_year_states_each_targets_outcome(demo_home, monkeypatch, lang, met, missed, chance):
    at = _app(demo_home, monkeypatch, _render, "overview.kpis", lang, "520000", YEAR)
    lines = [m.value for m in at.markdown if "●" in m.value]
    assert lines, "no target lines"
    text = "\n".join(lines)
    assert chance not in text  # 2024 is over: no probability, the outcome
    assert text.count("●") == text.count(met) + text.count(missed)
    expected = _read("SELECT count(*) FILTER (WHERE yoy_cumulative_pct < target_growth_pct) FROM mart.economy_indicators "
                     "WHERE region_code = '520000' AND year = ? AND month_end = 12 AND freq <> 'A' "
                     "AND target_growth_pct IS NOT NULL", [YEAR])[0][0]
    assert text.count(missed) >= expected >= 1
