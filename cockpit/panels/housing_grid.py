"""房屋分布图：按约1公里网格汇总的房屋套数，叠加行政区边界 / Housing map: units summed over ~1 km grid cells, on the region's boundaries"""

from __future__ import annotations

import json

import altair as alt
import polars as pl
import streamlit as st

from cockpit.panel import Panel, RegionParam, YearParam

PANEL = Panel(
    id="housing.grid", theme="housing", order=20, section={"zh": "网格分布", "en": "Grid map"},
    title={"zh": "房屋分布图", "en": "Where the housing is"},
    marts=["housing_grid", "region_shapes", "regions"],
    params=(RegionParam(),),
    strings={
        "units": {"zh": "套数", "en": "Units"},
        "vacant": {"zh": "空置", "en": "Vacant"},
        "area": {"zh": "面积", "en": "Floor area"},
        "region": {"zh": "地区", "en": "Region"},
        "cell": {"zh": "网格中心", "en": "Cell centre"},
        "legend": {"zh": "每格套数", "en": "Units per cell"},
        "reading": {"zh": "每个点是一个约 {km} 公里见方的网格，点越大、颜色越深，房屋越多；共 {cells} 个有房屋的网格，套数最多的 10% 网格集中了 {top} 的房屋。",
                    "en": "Each dot is a grid cell about {km} km across; bigger and darker means more housing. {cells} cells hold housing, and the busiest 10% of them hold {top} of the units."},
        "coarse": {"zh": "为便于阅读，本级按约 {km} 公里网格合并显示；下钻到区县可看约1公里网格。",
                   "en": "For legibility cells are merged to about {km} km at this level; drill down to a county for ~1 km cells."},
        "sample": {"zh": "演示数据：套数由 {rate} 的样本记录按比例推算。",
                   "en": "Demo data: unit counts are estimated from a {rate} sample of records."},
    },
)

# Degrees per displayed cell by level: the mart's 0.01° (~1 km) cells, merged where a region is large.
CELL = {"county": 0.01, "prefecture": 0.02, "province": 0.05}


def render(ctx) -> None:
    region = ctx.query("SELECT code, name, level FROM mart.regions WHERE code = ?", [ctx.params.region])
    if region.is_empty():
        st.info(ctx.t("page.no_data"))
        return
    step = CELL.get(region["level"][0], 0.01)
    cells = ctx.query("""
        SELECT round(floor(cell_lon / ?) * ? + ? / 2, 3) AS lon,
               round(floor(cell_lat / ?) * ? + ? / 2, 3) AS lat,
               sum(units)::BIGINT AS units,
               round(sum(floor_area_m2), 1) AS floor_area_m2,
               sum(vacant_units)::BIGINT AS vacant_units
        FROM mart.housing_grid
        WHERE region_code = ?
        GROUP BY ALL
        ORDER BY units
    """, [step, step, step, step, step, step, ctx.params.region])
    if cells.is_empty():
        st.info(ctx.t("page.no_data"))
        return
    shapes = ctx.query("""
        SELECT s.code, s.geojson, s.code = ? AS is_region
        FROM mart.region_shapes AS s
        JOIN mart.regions AS r ON r.code = s.code
        WHERE s.code = ? OR r.parent_code = ?
    """, [ctx.params.region] * 3)
    sample = ctx.sample_rate()
    scale = ctx.sample_scale()

    shown = cells.with_columns(
        (pl.col("units") * scale).alias("estimate"),
        pl.Series("units_shown", [ctx.number(v * scale, "套") for v in cells["units"].to_list()]),
        pl.Series("vacant_shown", [ctx.number(v * scale, "套") for v in cells["vacant_units"].to_list()]),
        pl.Series("area_shown", [ctx.number(v * scale, "平方米") for v in cells["floor_area_m2"].to_list()]),
        pl.format("{}°E, {}°N", "lon", "lat").alias("centre"),
    )
    features = [{"type": "Feature", "geometry": _clockwise(json.loads(g)),
                 "properties": {"name": ctx.region_name(code), "outer": bool(o)}} for code, g, o in shapes.iter_rows()]
    land = alt.Chart(_inline([f for f in features if f["properties"]["outer"]])).mark_geoshape(
        fill="#F4F1EC", stroke="#7B8794", strokeWidth=1.2).project(type="mercator")
    borders = alt.Chart(_inline([f for f in features if not f["properties"]["outer"]])).mark_geoshape(
        filled=False, stroke="#B8C0CA", strokeWidth=0.8).encode(
        tooltip=[alt.Tooltip("properties.name:N", title=ctx.t("region"))]).project(type="mercator")
    legend = alt.Legend(orient="right", labelExpr=(
        "datum.value >= 10000 ? format(datum.value / 10000, ',~f') + '万' : format(datum.value, ',~f')"
        if ctx.lang == "zh" else "format(datum.value, ',~f')"))
    dots = alt.Chart(shown).mark_circle(opacity=0.75, stroke="white", strokeWidth=0.3).encode(
        longitude="lon:Q", latitude="lat:Q",
        size=alt.Size("estimate:Q", title=ctx.t("legend"), scale=alt.Scale(range=[6, 260]),
                      legend=legend),
        # Same field, title and legend as size, so Vega-Lite merges them into one legend.
        color=alt.Color("estimate:Q", title=ctx.t("legend"), scale=alt.Scale(scheme="reds", type="sqrt"),
                        legend=legend),
        tooltip=[alt.Tooltip("centre:N", title=ctx.t("cell")), alt.Tooltip("units_shown:N", title=ctx.t("units")),
                 alt.Tooltip("area_shown:N", title=ctx.t("area")), alt.Tooltip("vacant_shown:N", title=ctx.t("vacant"))],
    ).project(type="mercator")
    layers = [land, borders, dots] if len(features) > 1 else [land, dots]
    ctx.chart(alt.layer(*layers).properties(height=560), cells, name="map")

    ranked = cells["units"].sort(descending=True)
    top = ranked.head(max(1, ranked.len() // 10)).sum() / ranked.sum()
    km = round(step * 100)
    st.caption(ctx.t("reading", km=km, cells=f"{cells.height:,}", top=f"{100 * top:.0f}%"))
    if step > min(CELL.values()):
        st.caption(ctx.t("coarse", km=km))
    if sample < 1:
        st.caption(ctx.t("sample", rate=f"{sample * 100:g}%"))


def _inline(features: list[dict]) -> alt.Data:
    """Boundaries as one JSON text that Vega parses: as Python lists, Altair walks every coordinate on
    each rerun (most of this panel's time)."""
    return alt.Data(values=json.dumps(features, ensure_ascii=False), format=alt.DataFormat(type="json"))


def _clockwise(geometry: dict) -> dict:
    """Vega's spherical geoshapes want exterior rings clockwise and holes anticlockwise (d3-geo)."""
    def ring(points: list, exterior: bool) -> list:
        area = sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in zip(points, points[1:]))
        return points[::-1] if (area > 0) == exterior else points

    def polygon(rings: list) -> list:
        return [ring(r, i == 0) for i, r in enumerate(rings)]

    if geometry["type"] == "Polygon":
        return {**geometry, "coordinates": polygon(geometry["coordinates"])}
    if geometry["type"] == "MultiPolygon":
        return {**geometry, "coordinates": [polygon(p) for p in geometry["coordinates"]]}
    return geometry
