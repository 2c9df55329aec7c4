"""The themed pages' panels, beyond the contract test: what they show, not only that they render.

Each test renders one panel the way the contract test does and reads what reached the screen:
captions, info boxes, and the data and spec of the Altair charts."""

from __future__ import annotations

import json

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from data_marts import regions
from tests.cockpit.screen import charts


def _render(panel_id: str, lang: str, region: str, year: int) -> None:
    from cockpit import charts, panel
    from cockpit.context import PageParams
    from cockpit.views.theme import render_panel

    charts.enable()
    item = next(p for p in panel.registry() if p.id == panel_id)
    render_panel(item, PageParams(region=region, year=year, lang=lang))


@pytest.fixture()
def show(demo_home, monkeypatch):
    """Render a panel on the demo warehouse; returns the AppTest after its first run."""
    monkeypatch.setenv("COCKPIT_HOME", str(demo_home))

    def run(panel_id: str, region: str = "520000", year: int = 2024, lang: str = "zh") -> AppTest:
        at = AppTest.from_function(_render, args=(panel_id, lang, region, year), default_timeout=60)
        at.run()
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        return at

    return run


@pytest.fixture()
def read(demo_home, monkeypatch):
    """A query on the demo warehouse through the cockpit's own connection (DuckDB refuses a second
    connection to one file with another configuration in the same process)."""
    monkeypatch.setenv("COCKPIT_HOME", str(demo_home))
    from cockpit import warehouse

    return warehouse.query


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def frame(chart: tuple[dict, dict[str, pl.DataFrame]], column: str) -> pl.DataFrame:
    """The chart's dataset that has ``column`` (charts also carry small helper sets: a band, a rule)."""
    frames = [f for f in chart[1].values() if column in f.columns]
    assert len(frames) == 1, [f.columns for f in chart[1].values()]
    return frames[0]


# --- 人口 -------------------------------------------------------------------------------------------

def test_pyramid_marks_withheld_cells_as_withheld(show, read):
    region, year, withheld = read("""
        SELECT region_code, year, count(*) FILTER (WHERE suppressed)
        FROM mart.population_structure
        WHERE region_level = 'county'
        GROUP BY ALL
        HAVING count(*) FILTER (WHERE suppressed) BETWEEN 1 AND 20
        ORDER BY year DESC, region_code
        LIMIT 1
    """).row(0)
    at = show("population.pyramid", region, year)
    (spec, _), = charts(at)
    cells = frame(charts(at)[0], "suppressed").filter(pl.col("suppressed"))
    assert cells.height == withheld
    assert cells["persons"].is_null().all() and cells["bar"].is_null().all()  # no made-up bar length
    assert set(cells["shown"]) == {"人数过少，或可据以推算出过少的人数，按规定不公开"}
    texts = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert texts and all(layer["encoding"]["text"] == {"value": "未公开"} for layer in texts)
    assert f"{withheld} 个单元格未公开（人数过少，或可据以推算出过少的人数）" in captions(at)


def test_pyramid_counts_are_scaled_from_the_sample_and_say_so(show, read):
    rate = float(read("SELECT value FROM meta.settings WHERE key = 'person_sample_rate'").item())
    persons = read("SELECT sum(persons)::BIGINT FROM mart.population_structure "
                   "WHERE region_code = '520000' AND year = 2024").item()
    at = show("population.pyramid")
    cells = frame(charts(at)[0], "estimate")
    assert cells["estimate"].sum() == pytest.approx(persons / rate)
    assert "样本记录按比例推算" in captions(at)
    # Men to the left of the axis, women to the right.
    assert (cells.filter(pl.col("sex") == "male")["bar"].drop_nulls() < 0).all()
    assert (cells.filter(pl.col("sex") == "female")["bar"].drop_nulls() > 0).all()


def test_population_trend_shows_ten_years_and_ageing_shares(show):
    at = show("population.trend", "520500")
    residents, flows, ageing = charts(at)
    assert frame(residents, "value")["year"].to_list() == list(range(2015, 2025))
    assert set(frame(flows, "component")["component"]) == {"births", "deaths", "net_moves"}
    shares = frame(ageing, "group")
    sixty = shares.filter(pl.col("group") == "aged_60")["pct"]
    sixty_five = shares.filter(pl.col("group") == "aged_65")["pct"]
    assert ((sixty - sixty_five).drop_nulls() > 0).all()  # 65+ is part of 60+
    assert [m.label for m in at.metric][:2] == ["年末常住人口", "出生率"]


# --- 法人 -------------------------------------------------------------------------------------------

def test_industries_name_every_section_in_both_languages(show):
    for lang, name in (("zh", "F 批发和零售业"), ("en", "F Wholesale and retail trade")):
        labels = frame(charts(show("enterprise.industries", lang=lang))[0], "label")["label"].to_list()
        assert name in labels
        assert not [label for label in labels if len(label) == 1], "a section shown as a bare code"


def test_enterprise_trend_is_monthly_over_ten_years(show):
    at = show("enterprise.trend")
    months = frame(charts(at)[0], "month")["month"].unique().sort()
    assert months.len() == 120 and str(months[0]) == "2015-01-01" and str(months[-1]) == "2024-12-01"
    assert "春节" in captions(at) and "2020年一季度" in captions(at)


def test_survival_curves_never_rise_and_cards_read_the_right_cohorts(show, read):
    rows = read("""
        SELECT region_code, cohort_year, years_since, cohort_entities, surviving_entities, survival_rate
        FROM mart.enterprise_survival ORDER BY region_code, cohort_year, years_since
    """)
    assert (rows["surviving_entities"] <= rows["cohort_entities"]).all()
    assert (rows["cohort_year"] + rows["years_since"] <= 2024).all()
    falls = rows.with_columns(
        pl.col("surviving_entities").diff().over("region_code", "cohort_year").alias("step"),
        pl.col("cohort_entities").n_unique().over("region_code", "cohort_year").alias("sizes"))
    assert (falls["step"].drop_nulls() <= 0).all() and (falls["sizes"] == 1).all()
    set_up = read("SELECT count(*) FROM base.legal_entities WHERE year(established_date) = 2020").item()
    assert rows.filter((pl.col("region_code") == "520000") & (pl.col("cohort_year") == 2020))["cohort_entities"][0] == set_up

    at = show("enterprise.survival", year=2024)
    assert [m.label for m in at.metric] == ["1年存活率（2023年设立）", "3年存活率（2021年设立）", "5年存活率（2019年设立）"]
    three = rows.filter((pl.col("region_code") == "520000") & (pl.col("cohort_year") == 2021) & (pl.col("years_since") == 3))
    assert at.metric[1].value == f"{100 * three['survival_rate'][0]:.1f}%"


# --- 房屋 -------------------------------------------------------------------------------------------

def test_housing_grid_mart_adds_up_and_gives_cell_centres_only(read):
    mismatched = read("""
        SELECT g.region_code FROM (SELECT region_code, sum(units) AS units FROM mart.housing_grid GROUP BY ALL) AS g
        JOIN (SELECT region_code, sum(units) AS units FROM mart.housing_stock GROUP BY ALL) AS s USING (region_code)
        WHERE g.units <> s.units
    """).rows()
    assert mismatched == []
    off_centre = read("""
        SELECT count(*) FROM mart.housing_grid
        WHERE round(cell_lon * 1000)::BIGINT % 10 <> 5 OR round(cell_lat * 1000)::BIGINT % 10 <> 5
    """).item()
    assert off_centre == 0


def test_housing_map_draws_boundaries_and_merges_cells_above_county(show, read):
    at = show("housing.grid", "520500")
    (spec, frames), = charts(at)
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks.count("geoshape") == 2 and "circle" in marks
    borders = [layer for layer in spec["layer"] if layer["mark"]["type"] == "geoshape"][1]["data"]
    assert borders["format"] == {"type": "json"}  # JSON text Vega parses, not lists Altair walks
    outline = json.loads(borders["values"])
    counties = read("SELECT count(*) FROM mart.regions WHERE parent_code = '520500'").item()
    assert len(outline) == counties
    cells = frame((spec, frames), "lon")
    total = read("SELECT sum(units)::BIGINT FROM mart.housing_grid WHERE region_code = '520500'").item()
    assert cells["units"].sum() == total
    finest = read("SELECT count(*) FROM mart.housing_grid WHERE region_code = '520500'").item()
    assert cells.height < finest  # 2 km cells at prefecture level
    assert "下钻到区县" in captions(at)


def test_housing_stock_reads_names_not_codes(show):
    at = show("housing.stock", lang="en")
    by_period, occupancy = charts(at)
    built = frame(by_period, "period_label")
    assert "2010–2019" in built["period_label"].to_list()
    assert "Residential" in frame(occupancy, "use_label")["use_label"].to_list()
    assert not {"住宅", "-1979"} & (set(built["use_label"]) | set(built["period_label"]))


# --- 经济 -------------------------------------------------------------------------------------------

def _y_title(at: AppTest) -> str:
    spec, _ = charts(at)[0]
    layers = [spec]
    while layers:
        layer = layers.pop()
        if "y" in layer.get("encoding", {}) and "title" in layer["encoding"]["y"]:
            return layer["encoding"]["y"]["title"]
        layers.extend(layer.get("layer", []))
    raise AssertionError("no y title")


def _series(at: AppTest) -> set[str]:
    return set(frame(charts(at)[0], "series")["series"])


def test_explorer_switches_measure_and_draws_the_matching_target(show):
    at = show("economy.explorer", "520502")
    assert _y_title(at) == "累计同比增速（%）"
    assert "目标增速" in _series(at)

    at.selectbox(key="economy.explorer.indicator").set_value("retail")
    at.segmented_control(key="economy.explorer.measure").set_value("cumulative")
    at.run()
    assert not at.error and _y_title(at) == "累计值（亿元）"
    assert _series(at) == {"实际", "序时目标（年度目标×序时进度）"}

    at.segmented_control(key="economy.explorer.measure").set_value("mom")
    at.run()
    assert not at.error, [e.value for e in at.error]
    assert not at.info, [i.value for i in at.info]
    assert _y_title(at) == "环比增速（%）" and _series(at) == {"实际"}

    at.selectbox(key="economy.explorer.indicator").set_value("fai")
    at.segmented_control(key="economy.explorer.measure").set_value("current")
    at.run()
    assert not at.error and "只发布增速" in at.info[0].value


def test_explorer_reads_a_price_index_against_its_ceiling(show):
    at = show("economy.explorer")
    at.selectbox(key="economy.explorer.indicator").set_value("cpi")
    at.segmented_control(key="economy.explorer.measure").set_value("current")
    at.run()
    series = frame(charts(at)[0], "series")
    assert set(series.filter(pl.col("series") == "调控目标")["value"]) == {103.0}


def test_compare_ranks_the_children_and_sends_a_county_up(show, read):
    at = show("economy.compare", "520500")
    bars = frame(charts(at)[0], "rank")
    counties = read("SELECT count(*) FROM mart.regions WHERE parent_code = '520500'").item()
    assert bars.height == counties
    assert bars["growth"].to_list() == sorted(bars["growth"].to_list(), reverse=True)
    assert not [n for n in bars["name"] if "自治" in n]  # 威宁彝族回族苗族自治县 reads as 威宁县
    assert "区县没有下级地区" in show("economy.compare", "520502").info[0].value


# --- 农业 -------------------------------------------------------------------------------------------

def test_bijie_corn_cut_of_2018_is_in_the_trend(show):
    at = show("agriculture.trend", "520500")
    area = frame(charts(at)[0], "crop")
    corn = dict(area.filter(pl.col("crop") == "corn").select("year", "area_mu").iter_rows())
    assert corn[2018] < 0.75 * corn[2017]
    assert "玉米 2018年面积" in captions(at)


def test_crops_table_is_in_wan_and_yi(show, read):
    at = show("agriculture.crops", "520500")
    assert not at.dataframe, "the table details the chart: drawn once its 明细表 is opened"
    at.session_state["agriculture.crops.crops.table"] = True
    at.run()
    table = next(d.value for d in at.dataframe if "作物" in d.value.columns)
    assert {"面积（万亩）", "产值（亿元）", "亩均净收益（元）"} <= set(table.columns)
    corn = read("SELECT area_mu, value_yuan FROM mart.agriculture "
                "WHERE region_code = '520500' AND crop = 'corn' AND year = 2024").row(0)
    row = table[table["作物"] == "玉米"].iloc[0]
    assert row["面积（万亩）"] == pytest.approx(corn[0] / 1e4, abs=0.01)
    assert row["产值（亿元）"] == pytest.approx(corn[1] / 1e8, abs=0.01)


def test_counties_are_ranked_for_the_chosen_crop(show):
    at = show("agriculture.counties", "520500")
    at.selectbox(key="agriculture.counties.crop").set_value("potato")
    at.run()
    bars = frame(charts(at)[0], "rank")
    assert bars["net_income_per_mu"].to_list() == sorted(bars["net_income_per_mu"].to_list(), reverse=True)
    assert "马铃薯" in captions(at)
    assert "请在左侧选择市州或全省" in show("agriculture.counties", "520502").info[0].value


@pytest.mark.parametrize(("lang", "sandu", "qiannan", "average"), [
    ("zh", "三都县", "黔南州", "竖线为黔南布依族苗族自治州平均"),
    ("en", "Sandu County", "Qiannan Prefecture", "the line is the Qiannan Buyei and Miao Autonomous Prefecture average"),
])
def test_counties_are_named_in_the_page_language(show, lang, sandu, qiannan, average):
    at = show("agriculture.counties", "522700", lang=lang)
    bars = frame(charts(at)[0], "rank")
    assert bars["label"].to_list() == [regions.compact_name(code, lang) for code in bars["region_code"]]
    assert sandu in bars["label"].to_list()  # 三都水族自治县 reads as 三都县 / Sandu County on the axis
    assert set(bars["prefecture"]) == {qiannan}
    assert average in captions(at)


def test_the_province_chart_names_the_ten_best_and_worst_counties_and_downloads_all(show, read, monkeypatch):
    from cockpit.context import Ctx

    downloads = {}
    footer = Ctx._footer
    monkeypatch.setattr(Ctx, "_footer", lambda ctx, data, name: (downloads.__setitem__(name, data), footer(ctx, data, name)))
    at = show("agriculture.counties", "520000")
    growing = read("""SELECT a.region_code, a.net_income_per_mu FROM mart.agriculture AS a
                      JOIN mart.regions AS r ON r.code = a.region_code
                      WHERE r.level = 'county' AND a.crop = 'corn' AND a.year = 2024 AND a.area_mu > 0
                      ORDER BY a.net_income_per_mu DESC""")
    assert growing.height > 21, "the demo province grows corn in more counties than the chart names"
    drawn = frame(charts(at)[0], "rank")
    bars = drawn.filter(pl.col("net_income_per_mu").is_not_null())
    assert bars["region_code"].to_list() == [*growing["region_code"][:10], *growing["region_code"][-10:]]
    rest = drawn.filter(pl.col("net_income_per_mu").is_null())
    assert rest["label"].to_list() == [f"⋯ 其余 {growing.height - 20} 个区县"]
    assert drawn["label"].to_list().index(rest["label"][0]) == 10  # between the best and the worst
    assert downloads["counties"].height == growing.height  # the download holds every county
    assert f"全部 {growing.height} 个区县" in captions(at)
