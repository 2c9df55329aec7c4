"""各县亩均净收益：所选作物在各区县的亩均净收益排序 / Net income per mu by county: the chosen crop's net income per mu in each county, ranked"""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from cockpit import charts
from cockpit.panel import Panel, RegionParam, YearParam

PANEL = Panel(
    id="agriculture.counties", theme="agriculture", order=30, section={"zh": "县域比较", "en": "Counties"},
    title={"zh": "各县亩均净收益", "en": "Net income per mu by county"},
    marts=["agriculture", "crops", "regions"],
    params=(RegionParam(), YearParam()),
    strings={
        "crop": {"zh": "作物", "en": "Crop"},
        "county": {"zh": "区县", "en": "County"},
        "prefecture": {"zh": "市州", "en": "Prefecture"},
        "net": {"zh": "亩均净收益", "en": "Net income per mu"},
        "area": {"zh": "种植面积", "en": "Area"},
        "rank": {"zh": "位次", "en": "Rank"},
        "axis": {"zh": "{year}年亩均净收益（元/亩）", "en": "Net income per mu, {year} (yuan)"},
        "reading": {"zh": "共 {n} 个区县种植{crop}；竖线为{region}平均（按面积加权）{mean}/亩，最高{top}、最低{bottom}。亏损的县标为灰色。",
                    "en": "{n} counties grow {crop}; the line is the {region} average (area-weighted), {mean} per mu; highest {top}, lowest {bottom}. Counties losing money are grey."},
        "county_level": {"zh": "本面板比较一个市州或全省内的各区县；请在左侧选择市州或全省。",
                         "en": "This panel compares the counties of a prefecture or of the province: pick one in the sidebar."},
        "no_crop": {"zh": "{year}年本地区没有作物种植数据。", "en": "No crop data for this region in {year}."},
        "rest": {"zh": "⋯ 其余 {n} 个区县", "en": "⋯ {n} other counties"},
        "rest_range": {"zh": "{low} 至 {high}", "en": "{low} to {high}"},
        "trimmed": {"zh": "图中列出最高和最低各 {top} 个区县；全部 {n} 个区县的数据见下方 CSV / Excel 下载。",
                    "en": "The chart shows the top and bottom {top} counties; the downloads below hold all {n}."},
    },
)

TOP = 10  # a province has 88 counties: the chart names the ten best and worst and summarises the rest


def render(ctx) -> None:
    level = ctx.query("SELECT level FROM mart.regions WHERE code = ?", [ctx.params.region])
    if level.is_empty() or level["level"][0] == "county":
        st.info(ctx.t("county_level"))
        return
    crops = ctx.query("""
        SELECT c.code, c.zh, c.en
        FROM mart.agriculture AS a
        JOIN mart.crops AS c ON c.code = a.crop
        WHERE a.region_code = ? AND a.year = ? AND a.area_mu > 0
        ORDER BY a.area_mu DESC
    """, [ctx.params.region, ctx.params.year])
    if crops.is_empty():
        st.info(ctx.t("no_crop", year=ctx.params.year))
        return
    names = {code: (zh if ctx.lang == "zh" else en) for code, zh, en in crops.iter_rows()}
    options = list(names)
    crop = st.selectbox(ctx.t("crop"), options, index=options.index("corn") if "corn" in options else 0,
                        format_func=names.get, key=ctx.key("crop"))

    df = ctx.query("""
        SELECT a.region_code, r.parent_code, a.area_mu, a.net_income_per_mu
        FROM mart.agriculture AS a
        JOIN mart.region_ancestors AS x ON x.code = a.region_code AND x.ancestor_code = ?
        JOIN mart.regions AS r ON r.code = a.region_code
        WHERE r.level = 'county' AND a.crop = ? AND a.year = ? AND a.area_mu > 0
        ORDER BY a.net_income_per_mu DESC
    """, [ctx.params.region, crop, ctx.params.year])
    # 玉屏侗族自治县 reads as 玉屏县 (Yuping County) on a chart axis.
    df = df.select("region_code", ctx.region_names("region_code", "compact").alias("name"),
                   ctx.region_names("parent_code", "compact").alias("prefecture"), "area_mu", "net_income_per_mu")
    mean = ctx.query("SELECT net_income_per_mu FROM mart.agriculture WHERE region_code = ? AND crop = ? AND year = ?",
                     [ctx.params.region, crop, ctx.params.year])
    if df.is_empty():
        st.info(ctx.t("page.no_data"))
        return
    province = level["level"][0] == "province"
    shown = df.with_columns(
        pl.int_range(1, df.height + 1).alias("rank"),
        pl.Series("net_shown", [ctx.number(v, "元") for v in df["net_income_per_mu"].to_list()]),
        pl.Series("area_shown", [ctx.number(v, "亩") for v in df["area_mu"].to_list()]),
        # County names can repeat across prefectures: add the prefecture where they do.
        (pl.col("name") + pl.when(pl.col("name").is_duplicated()).then(" · " + pl.col("prefecture")).otherwise(pl.lit("")))
        .alias("label"),
    )
    drawn = _top_and_bottom(ctx, shown)
    order = drawn["label"].to_list()
    tooltip = [alt.Tooltip("rank:O", title=ctx.t("rank")), alt.Tooltip("label:N", title=ctx.t("county")),
               alt.Tooltip("prefecture:N", title=ctx.t("prefecture")), alt.Tooltip("net_shown:N", title=ctx.t("net")),
               alt.Tooltip("area_shown:N", title=ctx.t("area"))]
    # Three legend columns fit a phone; five ran off its edge and hid two prefectures.
    colour = (alt.Color("prefecture:N", title=ctx.t("prefecture"), legend=charts.top_legend(columns=3))
              if province else alt.value("#3A9D6B"))
    # The domain is the list itself, so the summary row (no bar) keeps its place between the two ends.
    y = alt.Y("label:N", sort=order, scale=alt.Scale(domain=order), title=None,
              axis=alt.Axis(labelFontSize=12, labelOverlap=False, labelLimit=200))
    base = alt.Chart(drawn).encode(y=y)
    bars = base.mark_bar().encode(
        x=alt.X("net_income_per_mu:Q", title=ctx.t("axis", year=ctx.params.year),
                axis=alt.Axis(orient="top") if len(order) > 12 else alt.Axis()),
        color=alt.condition("datum.net_income_per_mu < 0", alt.value("#9AA5B1"), colour),
        tooltip=tooltip,
    ).transform_filter("isValid(datum.net_income_per_mu)")
    rest = base.mark_text(align="left", dx=4, color="#5F6B7A", fontSize=12).encode(
        x=alt.datum(0), text="rest_range:N").transform_filter("!isValid(datum.net_income_per_mu)")
    layers = [bars, rest]
    average = None if mean.is_empty() else mean["net_income_per_mu"][0]
    if average is not None:
        layers.append(alt.Chart().mark_rule(color="#1F2933", strokeDash=[5, 4], strokeWidth=1.5)
                      .encode(x=alt.datum(average)))
    ctx.chart(alt.layer(*layers).properties(height=24 * len(order) + 60), df, name="counties")
    if drawn.height < shown.height:
        st.caption(ctx.t("trimmed", top=TOP, n=shown.height))

    top, bottom = shown.row(0, named=True), shown.row(-1, named=True)
    st.caption(ctx.t("reading", n=df.height, crop=names[crop], region=ctx.region_name(ctx.params.region),
                     mean=ctx.number(average, "元"),
                     top=f"{top['label']} {top['net_shown']}", bottom=f"{bottom['label']} {bottom['net_shown']}"))


def _top_and_bottom(ctx, shown: pl.DataFrame) -> pl.DataFrame:
    """The best and worst ``TOP`` counties with one row between them standing for the rest (no bar:
    its label says how many, its text the range of their net income)."""
    if shown.height <= 2 * TOP + 1:
        return shown.with_columns(pl.lit(None, pl.String).alias("rest_range"))
    middle = shown.slice(TOP, shown.height - 2 * TOP)
    low, high = middle["net_income_per_mu"].min(), middle["net_income_per_mu"].max()
    rest = pl.DataFrame({
        "label": [ctx.t("rest", n=middle.height)],
        "rest_range": [ctx.t("rest_range", low=ctx.number(low, "元"), high=ctx.number(high, "元"))],
    })
    return pl.concat([shown.head(TOP), rest, shown.tail(TOP)], how="diagonal_relaxed")
