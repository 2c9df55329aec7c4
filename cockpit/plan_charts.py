"""Charts of a crop plan, drawn the same way on the planner page and in the exported brief."""

from __future__ import annotations

import json

import altair as alt
import polars as pl

from cockpit import charts, fmt

UP, DOWN = "#3A9D6B", "#5F6B7A"


def _label(lang: str) -> str:
    return "zh" if lang == "zh" else "en"


def area_change(change: pl.DataFrame, names: dict[str, str], lang: str, title: str, axis: str) -> alt.Chart:
    """Diverging bars: each crop's area change from the base year to the plan's last year (万亩 / k mu)."""
    scale = 1e4 if lang == "zh" else 1e3
    data = change.with_columns(
        pl.col("crop").replace_strict(names, default=pl.col("crop")).alias("name"),
        (pl.col("change_mu") / scale).alias("axis"),
        pl.Series("shown", [fmt.number(v, "亩", lang) for v in change["change_mu"].to_list()]),
        pl.Series("now", [fmt.number(v, "亩", lang) for v in change["base_area_mu"].to_list()]),
        pl.Series("then", [fmt.number(v, "亩", lang) for v in change["plan_area_mu"].to_list()]),
    ).filter((pl.col("base_area_mu") > 0) | (pl.col("plan_area_mu") > 0)).sort("change_mu")
    order = data["name"].to_list()
    # Every value is written right of its bar's end or of the zero line (never over the crop names, at any
    # width): leave room on the right for it.
    low, high = min(data["axis"].min() or 0, 0), max(data["axis"].max() or 0, 0)
    bars = alt.Chart(data).mark_bar().encode(
        y=alt.Y("name:N", sort=order, title=None, axis=alt.Axis(labelLimit=160)),
        x=alt.X("axis:Q", title=axis, scale=alt.Scale(domain=[low, high + 0.6 * (high - low or 1)], nice=False)),
        color=alt.condition("datum.change_mu < 0", alt.value(DOWN), alt.value(UP)),
        tooltip=[alt.Tooltip("name:N", title=" "), alt.Tooltip("now:N", title="←"), alt.Tooltip("then:N", title="→"),
                 alt.Tooltip("shown:N", title="Δ")],
    )
    grow = bars.transform_filter("datum.change_mu >= 0").mark_text(align="left", dx=4, fontSize=11, color="#1F2933")
    shrink = bars.transform_filter("datum.change_mu < 0").mark_text(align="left", dx=4, fontSize=11, color="#1F2933")
    labels = [grow.encode(text="shown:N"), shrink.encode(text="shown:N", x=alt.datum(0))]
    return alt.layer(bars, *labels).properties(height=26 * max(len(order), 1) + 50, title=title)


def income_band(risk: pl.DataFrame, lang: str, labels: dict[str, str], title: str, axis: str) -> alt.LayerChart:
    """Net income per plan year, plan and no change: the mean line and the 5–95 % Monte Carlo band."""
    divisor = 1e8 if lang == "zh" else 1e9
    data = risk.filter(pl.col("year") > 0).with_columns(
        pl.col("variant").replace_strict(labels).alias("label"),
        *[(pl.col(c) / divisor).alias(c) for c in ("mean", "p05", "p25", "p50", "p75", "p95")],
    )
    colour = alt.Color("label:N", title=None, scale=alt.Scale(domain=[labels["plan"], labels["baseline"]],
                                                               range=[charts.PALETTE[0], charts.PALETTE[5]]),
                       legend=charts.top_legend())
    x = alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0))
    band = alt.Chart(data).mark_area(opacity=0.18).encode(x=x, y=alt.Y("p05:Q", title=axis), y2="p95:Q", color=colour)
    inner = alt.Chart(data).mark_area(opacity=0.25).encode(x=x, y="p25:Q", y2="p75:Q", color=colour)
    line = alt.Chart(data).mark_line(point=True).encode(
        x=x, y=alt.Y("mean:Q", scale=alt.Scale(zero=False)), color=colour,
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("year:O"),
                 alt.Tooltip("mean:Q", format=",.2f"), alt.Tooltip("p05:Q", format=",.2f"),
                 alt.Tooltip("p95:Q", format=",.2f")])
    return alt.layer(band, inner, line).properties(height=320, title=title)


def change_map(areas: pl.DataFrame, values: pl.DataFrame, title: str, lang: str, diverging: bool) -> alt.LayerChart:
    """Counties coloured by the plan's change (``values``: code, value, shown); ``areas``: code, short_name,
    geojson, label_lon, label_lat."""
    joined = areas.join(values, on="code", how="left")
    features = [{"type": "Feature", "geometry": json.loads(row.pop("geojson")), "properties": {}, **row}
                for row in joined.to_dicts()]
    largest = max(abs(v) for v in values["value"].to_list()) if values.height else 1.0
    scale = (alt.Scale(scheme="redblue", domain=[-largest or -1, largest or 1], reverse=True) if diverging
             else alt.Scale(scheme=charts.SEQUENTIAL))
    base = alt.Chart(alt.Data(values=features))
    shapes = base.mark_geoshape(stroke="white", strokeWidth=1).encode(
        color=alt.when("isValid(datum.value)").then(alt.Color(
            "value:Q", title=title, scale=scale,
            legend=alt.Legend(orient="bottom", direction="horizontal", titleLimit=480, gradientLength=260))
        ).otherwise(alt.value("#E5E8EC")),
        tooltip=[alt.Tooltip("short_name:N", title=" "), alt.Tooltip("shown:N", title=title)],
    )
    text = dict(longitude="label_lon:Q", latitude="label_lat:Q", text="short_name:N")
    halo = base.mark_text(fontSize=11, stroke="white", strokeWidth=3, strokeOpacity=0.8).encode(**text)
    labels = base.mark_text(fontSize=11, color="#1F2933").encode(**text)
    return alt.layer(shapes, halo, labels).project(type="mercator").properties(height=460)


def compare(changes: pl.DataFrame, names: dict[str, str], lang: str, axis: str) -> alt.Chart:
    """Area change per crop, one bar per saved scenario (``changes``: scenario, crop, change_mu)."""
    scale = 1e4 if lang == "zh" else 1e3
    data = changes.with_columns(pl.col("crop").replace_strict(names, default=pl.col("crop")).alias("name"),
                                (pl.col("change_mu") / scale).alias("axis"))
    order = (data.group_by("name").agg(pl.col("change_mu").mean()).sort("change_mu")["name"].to_list())
    return alt.Chart(data).mark_bar().encode(
        y=alt.Y("name:N", sort=order, title=None), yOffset="scenario:N", x=alt.X("axis:Q", title=axis),
        color=alt.Color("scenario:N", title=None, legend=charts.top_legend()),
        tooltip=["scenario:N", "name:N", alt.Tooltip("axis:Q", format=",.1f")],
    ).properties(height=max(len(order), 1) * 14 * max(data["scenario"].n_unique(), 1) + 60)
