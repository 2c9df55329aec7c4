"""核心指标：当年值、同比、近十年走势与目标完成情况 / Headline indicators: this year, year on year, ten-year trend and targets"""

from __future__ import annotations

import streamlit as st

from cockpit.panel import Panel, RegionParam, YearParam
from cockpit.targets import read as read_targets
from data_marts.glossary import department as department_name
from data_marts.indicators import BY_CODE

PANEL = Panel(
    id="overview.kpis", theme="overview", order=10,
    title={"zh": "核心指标", "en": "Headline indicators"},
    marts=["region_profile", "economy_indicators", "target_attainment"],
    params=(RegionParam(), YearParam()),
    strings={
        "population": {"zh": "常住人口", "en": "Resident population"},
        "gdp": {"zh": "地区生产总值", "en": "GDP"},
        "entities": {"zh": "存续法人", "en": "Active legal entities"},
        "entities_new": {"zh": "当年新设法人", "en": "New entities this year"},
        "housing": {"zh": "房屋套数", "en": "Housing units"},
        "fiscal": {"zh": "一般公共预算收入", "en": "Budget revenue"},
        "income": {"zh": "人均可支配收入", "en": "Income per capita"},
        "retail": {"zh": "社会消费品零售总额", "en": "Retail sales"},
        "yoy": {"zh": "同比", "en": "YoY"},
        "source": {"zh": "来源：{department}；口径：{definition}；期别：{period}", "en": "Source: {department}; definition: {definition}; period: {period}"},
        "sample": {"zh": "标 * 的人口、法人、房屋数按 {rate} 样本记录推算。", "en": "Counts marked * (persons, entities, dwellings) are estimated from a {rate} sample of records."},
        "growth": {"zh": "地区生产总值增速（%）", "en": "GDP growth (%)"},
        "growth_target_col": {"zh": "地区生产总值目标增速（%）", "en": "GDP growth target (%)"},
        "targets": {"zh": "年度目标完成情况（截至 {period}，序时进度 {schedule}）", "en": "Annual targets (to {period}; share of year elapsed {schedule})"},
        "targets_closed": {"zh": "{year}年目标完成情况（全年）", "en": "Targets for {year} (the whole year)"},
        "growth_target": {"zh": "{name}：增速 {actual}，目标 {target}", "en": "{name}: growth {actual}, target {target}"},
        "growth_target_closed": {"zh": "{name}：全年增长 {actual}，目标 {target}", "en": "{name}: grew {actual} in the year, target {target}"},
        "level_target": {"zh": "{name}：完成 {actual}，目标 {target}", "en": "{name}: {actual} of the target {target}"},
        "level_target_closed": {"zh": "{name}：全年完成目标的 {actual}，目标 {target}", "en": "{name}: {actual} of the target {target} in the year"},
        "ceiling_target": {"zh": "{name}：年内平均 {actual}，控制目标 {target}", "en": "{name}: {actual} on average so far, ceiling {target}"},
        "ceiling_target_closed": {"zh": "{name}：全年平均 {actual}，控制目标 {target}", "en": "{name}: {actual} on average in the year, ceiling {target}"},
        "met": {"zh": "，已完成", "en": ": met"},
        "missed": {"zh": "，未完成", "en": ": missed"},
        "no_targets": {"zh": "该地区该年度未设目标。", "en": "No targets set for this region and year."},
        "chance": {"zh": "；截至{as_of}达成概率 {p}", "en": "; {p} likely as of {as_of}"},
    },
)

# (key, profile column, unit, department, definition zh/en, the indicator whose declared direction colours
# 同比 (None: more is better, as for counts from the registers), person-sample count?)
CARDS = [
    ("population", "population", "人", "省公安厅", ("年末常住人口（人口基础库重建）", "year-end residents rebuilt from the register"), None, True),
    ("gdp", "gdp_yi", "亿元", "省统计局", ("当年价格，增速按不变价", "current prices; growth at constant prices"), "gdp", False),
    ("fiscal", "fiscal_revenue_yi", "亿元", "省财政厅", ("地方一般公共预算收入，全年累计", "general budget revenue, full year"), "fiscal_revenue", False),
    ("retail", "retail_yi", "亿元", "省统计局", ("社会消费品零售总额，全年累计", "retail sales, full year"), "retail", False),
    ("income", "disposable_income_yuan", "元", "省统计局", ("全体居民人均可支配收入", "all residents, per capita"), "disposable_income", False),
    ("entities", "entities_stock", "家", "省市场监管局", ("年末存续法人单位", "legal entities active at year end"), None, True),
    ("entities_new", "entities_new", "家", "省市场监管局", ("当年新设立登记", "registered in the year"), None, True),
    ("housing", "housing_units", "套", "省住建厅", ("截至年末已建成房屋", "units built by year end"), None, True),
]


# Cards per row. One st.columns(4) holding two cards each would stack column by column on a phone
# (population, income, GDP, …); a row of columns per four cards keeps the desktop's reading order.
PER_ROW = 4

# st.metric colours a rise green ("normal"), red ("inverse"), or not at all: a banded indicator's
# change is good or bad depending on where it stands, which one arrow cannot say.
DELTA_COLOUR = {"higher": "normal", "lower": "inverse", "band": "off"}


def render(ctx) -> None:
    profile = ctx.query(
        "SELECT * FROM mart.region_profile WHERE region_code = ? ORDER BY year", [ctx.params.region])
    sample = ctx.sample_rate()
    this = profile.filter(profile["year"] == ctx.params.year)
    last = profile.filter(profile["year"] == ctx.params.year - 1)
    if this.is_empty():
        st.info(ctx.t("page.no_data"))
        return
    for index, (key, column, unit, department, definition, indicator, sampled) in enumerate(CARDS):
        if index % PER_ROW == 0:  # a row of columns per 4 cards: on a phone rows stack in reading order
            columns = st.columns(PER_ROW)
        value, previous = this[column][0], (last[column][0] if not last.is_empty() else None)
        scale = ctx.sample_scale() if sampled else 1
        shown = None if value is None else value * scale
        label = ctx.t(key) + (" *" if scale != 1 else "")
        if key == "gdp" and this["gdp_growth_pct"][0] is not None:
            growth = this["gdp_growth_pct"][0]
        else:
            growth = None if (value is None or not previous) else 100 * (value / previous - 1)
        series = [v * scale for v in profile[column].to_list() if v is not None]
        columns[index % PER_ROW].metric(
            label, ctx.number(shown, unit, compact=True),
            delta=None if growth is None else f"{growth:+.1f}%",
            delta_color=DELTA_COLOUR[BY_CODE[indicator].direction.good if indicator else "higher"],
            delta_description=ctx.t("yoy"),
            chart_data=series or None, border=True,
            help=ctx.t("source", department=department_name(department, ctx.lang), definition=definition[0 if ctx.lang == "zh" else 1],
                       period=str(ctx.params.year)),
        )
    if sample < 1:
        st.caption(ctx.t("sample", rate=f"{sample * 100:g}%"))
    targets(ctx)
    labels = {column: ctx.t(key) for key, column, *_ in CARDS}
    labels.update(gdp_growth_pct=ctx.t("growth"), gdp_target_growth_pct=ctx.t("growth_target_col"))
    ctx.table(this.select(list(labels)), labels=labels, name="values", collapsed=True)


def _rag(gap: float, amber: float) -> str:
    """Red/amber/green: on or ahead of the target is green, within ``amber`` behind is amber."""
    return "green" if gap >= 0 else ("orange" if gap >= -amber else "red")


def targets(ctx) -> None:
    """Each target: its outcome once the year is over, else progress against 序时进度 and the chance
    of meeting it as of the latest period (cockpit/targets.py)."""
    found = read_targets(ctx.query, ctx.params.region, ctx.params.year)
    if not found:
        st.caption(ctx.t("no_targets"))
        return
    latest = max(found, key=lambda t: t.schedule)
    header = (ctx.t("targets_closed", year=ctx.params.year) if latest.closed
              else ctx.t("targets", period=latest.period, schedule=f"{latest.schedule:.0f}%"))
    st.markdown("**" + header + "**")
    lines = []
    for target in found:
        indicator = BY_CODE[target.indicator]
        name, unit = getattr(indicator, ctx.lang), indicator.unit
        if target.kind == "level":
            values = dict(actual=f"{target.actual:.1f}%", target=ctx.number(target.target_value, unit))
        elif target.kind == "growth":
            values = dict(actual=ctx.change(target.actual, "none"), target=f"{target.target:.1f}%")
        else:
            values = dict(actual=f"{target.actual:.1f}", target=f"{target.target:g}")
        text = ctx.t(f"{target.kind}_target" + ("_closed" if target.closed else ""), name=name, **values)
        if target.closed:
            text += ctx.t("met" if target.met else "missed")
            colour = "green" if target.met else "red"
        else:
            if target.probability is not None:
                text += ctx.t("chance", as_of=target.period, p=f"{target.probability:.0%}")
            colour = _rag(target.gap, 5 if target.kind == "level" else 1)
        lines.append(f":{colour}[● {text}]")
    st.markdown("  \n".join(lines))
