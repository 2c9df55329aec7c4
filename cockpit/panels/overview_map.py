"""分区地图：下级地区按所选指标着色，点击地区即可下钻 / Map of the sub-regions coloured by a headline indicator; click a region to drill down"""

from __future__ import annotations

import json

import altair as alt
import polars as pl
import streamlit as st

from cockpit import charts, shell
from cockpit.kpis import PROFILE_KPIS
from cockpit.panel import Panel, RegionParam, YearParam

PANEL = Panel(
    id="overview.map", theme="overview", order=20,
    title={"zh": "地区分布图", "en": "Regional map"},
    marts=["regions", "region_shapes", "region_profile"],
    params=(RegionParam(), YearParam()),
    strings={
        "kpi": {"zh": "着色指标", "en": "Colour by"},
        "drill": {"zh": "下钻到", "en": "Drill down to"},
        "switch": {"zh": "切换到同级地区", "en": "Switch to"},
        "pick": {"zh": "选择地区", "en": "Choose a region"},
        "hint": {"zh": "点击地图上的地区即可下钻，也可在上方选择。", "en": "Click a region on the map to drill down, or choose it above."},
        "region": {"zh": "地区", "en": "Region"},
        "value": {"zh": "数值", "en": "Value"},
        "sample": {"zh": "（按{rate}样本推算）", "en": " (estimated from a {rate} sample)"},
        "population": {"zh": "常住人口（人）", "en": "Resident population (persons)"},
        "gdp": {"zh": "地区生产总值（亿元）", "en": "GDP (100 million yuan)"},
        "gdp_growth": {"zh": "地区生产总值增速（%）", "en": "Real GDP growth (%)"},
        "retail": {"zh": "社会消费品零售总额（亿元）", "en": "Retail sales (100 million yuan)"},
        "fiscal": {"zh": "一般公共预算收入（亿元）", "en": "Budget revenue (100 million yuan)"},
        "income": {"zh": "人均可支配收入（元）", "en": "Disposable income per capita (yuan)"},
        "entities": {"zh": "存续法人（家）", "en": "Active legal entities"},
        "entities_new": {"zh": "当年新设法人（家）", "en": "New entities this year"},
        # Legend labels read 400万 / 4m rather than 4,000,000 (Vega expressions; tooltips use ctx.number).
        "legend": {
            "zh": "abs(datum.value) >= 1e8 ? format(datum.value / 1e8, ',.1f') + '亿' : abs(datum.value) >= 1e4 ? "
                  "format(datum.value / 1e4, ',.0f') + '万' : format(datum.value, ',.4~f')",
            "en": "abs(datum.value) >= 1e9 ? format(datum.value / 1e9, ',.1f') + 'bn' : abs(datum.value) >= 1e6 ? "
                  "format(datum.value / 1e6, ',.1f') + 'm' : abs(datum.value) >= 1e4 ? "
                  "format(datum.value / 1e3, ',.0f') + 'k' : format(datum.value, ',.4~f')",
        },
    },
)

KPIS = PROFILE_KPIS  # (key, region_profile column, stored unit, counted from the sample?)


def render(ctx) -> None:
    # The children of the selected region; for a county, its prefecture's counties (the county highlighted).
    areas = ctx.query("""
        SELECT r.code, s.geojson, s.label_lon, s.label_lat,
               p.population, p.gdp_yi, p.gdp_growth_pct, p.retail_yi, p.fiscal_revenue_yi,
               p.disposable_income_yuan, p.entities_stock, p.entities_new
        FROM mart.regions AS r
        JOIN mart.region_shapes AS s ON s.code = r.code
        LEFT JOIN mart.region_profile AS p ON p.region_code = r.code AND p.year = ?
        WHERE r.parent_code = (SELECT CASE WHEN level = 'county' THEN parent_code ELSE code END
                               FROM mart.regions WHERE code = ?)
        ORDER BY r.code""", [ctx.params.year, ctx.params.region])
    if areas.is_empty():
        st.info(ctx.t("page.no_data"))
        return
    areas = areas.with_columns(name=ctx.region_names("code"), short_name=ctx.region_names("code", "short"))
    is_county = ctx.params.region in areas["code"].to_list()
    names = dict(zip(areas["code"], areas["name"]))

    kpi_column, picker_column = st.columns(2)
    key = kpi_column.selectbox(ctx.t("kpi"), [k[0] for k in KPIS], format_func=ctx.t, key=ctx.key("kpi"))
    _, column, unit, sampled = next(k for k in KPIS if k[0] == key)
    sample = ctx.sample_rate()
    scale = ctx.sample_scale() if sampled else 1
    title = ctx.t(key) + (ctx.t("sample", rate=f"{sample * 100:g}%") if scale != 1 else "")

    def drill() -> None:  # the picker beside the map does what a click does
        code = st.session_state.get(ctx.key("drill"))
        st.session_state[ctx.key("drill")] = None
        if code:
            shell.set_region(code)

    picker_column.selectbox(ctx.t("switch" if is_county else "drill"),
                            [c for c in names if c != ctx.params.region], index=None, format_func=names.get,
                            placeholder=ctx.t("pick"), key=ctx.key("drill"), on_change=drill)

    values = areas.select("code", "name", "short_name", "label_lon", "label_lat",
                          (pl.col(column) * scale).fill_nan(None).alias("value"))  # JSON has no NaN
    values = values.with_columns(pl.Series("shown", [
        ctx.change(v, "none") if unit == "%" else ctx.number(v, unit) for v in values["value"]]))
    # The boundaries go to the browser as one JSON text that Vega parses: as Python lists, Altair
    # validates and copies every coordinate on each rerun (most of this panel's time).
    features = ",".join(
        f'{{"type":"Feature","geometry":{geometry},"properties":{{}},{json.dumps(row, ensure_ascii=False)[1:]}'
        for geometry, row in zip(areas["geojson"], values.to_dicts()))

    pick = alt.selection_point(name="pick", fields=["code"], on="click")
    here = alt.datum.code == ctx.params.region
    boundaries = alt.Data(values=f"[{features}]", format=alt.DataFormat(type="json"))
    shapes = alt.Chart(boundaries).mark_geoshape(stroke="white", strokeWidth=1, cursor="pointer").encode(
        color=alt.when("isValid(datum.value)").then(alt.Color(
            "value:Q", title=title, scale=alt.Scale(scheme=charts.SEQUENTIAL),
            legend=alt.Legend(orient="bottom", direction="horizontal", titleLimit=480, gradientLength=260, offset=12,
                              labelExpr=ctx.t("legend")),
        )).otherwise(alt.value("#E5E8EC")),
        stroke=alt.when(here).then(alt.value("#1F2933")).otherwise(alt.value("white")),
        strokeWidth=alt.when(here).then(alt.value(3)).otherwise(alt.value(1)),
        opacity=alt.when(here).then(alt.value(1)).otherwise(alt.value(0.6 if is_county else 1)),
        tooltip=[alt.Tooltip("name:N", title=ctx.t("region")), alt.Tooltip("shown:N", title=title)],
    ).add_params(pick)
    text = dict(longitude="label_lon:Q", latitude="label_lat:Q", text="short_name:N")
    base = alt.Chart(values.select("label_lon", "label_lat", "short_name"))  # labels need no boundary
    halo = base.mark_text(fontSize=11, stroke="white", strokeWidth=3, strokeOpacity=0.8).encode(**text)
    labels = base.mark_text(fontSize=11, color="#1F2933").encode(**text)
    chart = alt.layer(shapes, halo, labels).project(type="mercator").properties(height=460)

    event = ctx.chart(chart, values.drop("label_lon", "label_lat"), on_select="rerun",
                      name=f"map_{ctx.params.region}")  # a fresh key per region: no stale click
    clicked = [point.get("code") for point in (event.selection.get("pick") or [])] if event else []
    target = next((code for code in clicked if code in names and code != ctx.params.region), None)
    if target:
        shell.set_region(target)
        st.rerun()
    st.caption(ctx.t("hint"))
