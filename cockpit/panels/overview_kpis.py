"""核心指标：当年值、同比、近十年走势与目标完成情况 / Headline indicators: this year, year on year, ten-year trend and targets"""

from __future__ import annotations

import streamlit as st

from cockpit.panel import Panel, RegionParam, YearParam

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
        "income": {"zh": "人均可支配收入", "en": "Disposable income per capita"},
        "retail": {"zh": "社会消费品零售总额", "en": "Retail sales"},
        "yoy": {"zh": "同比", "en": "YoY"},
        "source": {"zh": "来源：{department}；口径：{definition}；期别：{period}", "en": "Source: {department}; definition: {definition}; period: {period}"},
        "sample": {"zh": "标 * 的人口、法人、房屋数按 {rate} 样本记录推算。", "en": "Counts marked * (persons, entities, dwellings) are estimated from a {rate} sample of records."},
        "growth": {"zh": "地区生产总值增速（%）", "en": "GDP growth (%)"},
        "growth_target_col": {"zh": "地区生产总值目标增速（%）", "en": "GDP growth target (%)"},
        "targets": {"zh": "年度目标完成情况（截至 {period}，序时进度 {schedule}）", "en": "Annual targets (to {period}; share of year elapsed {schedule})"},
        "growth_target": {"zh": "{name}：增速 {actual}，目标 {target}", "en": "{name}: growth {actual}, target {target}"},
        "level_target": {"zh": "{name}：完成 {actual}，目标 {target}", "en": "{name}: {actual} of the target {target}"},
        "no_targets": {"zh": "该地区该年度未设目标。", "en": "No targets set for this region and year."},
        "chance": {"zh": "；截至{as_of}达成概率 {p}", "en": "; {p} likely as of {as_of}"},
    },
)

# (key, profile column, unit, department, definition zh/en, higher is better, person-sample count?)
CARDS = [
    ("population", "population", "人", "省公安厅", ("年末常住人口（人口基础库重建）", "year-end residents rebuilt from the register"), True, True),
    ("gdp", "gdp_yi", "亿元", "省统计局", ("当年价格，增速按不变价", "current prices; growth at constant prices"), True, False),
    ("fiscal", "fiscal_revenue_yi", "亿元", "省财政厅", ("地方一般公共预算收入，全年累计", "general budget revenue, full year"), True, False),
    ("retail", "retail_yi", "亿元", "省统计局", ("社会消费品零售总额，全年累计", "retail sales, full year"), True, False),
    ("income", "disposable_income_yuan", "元", "省统计局", ("全体居民人均可支配收入", "all residents, per capita"), True, False),
    ("entities", "entities_stock", "家", "省市场监管局", ("年末存续法人单位", "legal entities active at year end"), True, True),
    ("entities_new", "entities_new", "家", "省市场监管局", ("当年新设立登记", "registered in the year"), True, True),
    ("housing", "housing_units", "套", "省住建厅", ("截至年末已建成房屋", "units built by year end"), True, True),
]


def render(ctx) -> None:
    profile = ctx.query(
        "SELECT * FROM mart.region_profile WHERE region_code = ? ORDER BY year", [ctx.params.region])
    sample = ctx.sample_rate()
    this = profile.filter(profile["year"] == ctx.params.year)
    last = profile.filter(profile["year"] == ctx.params.year - 1)
    if this.is_empty():
        st.info(ctx.t("page.no_data"))
        return
    columns = st.columns(4)
    for index, (key, column, unit, department, definition, higher, sampled) in enumerate(CARDS):
        value, previous = this[column][0], (last[column][0] if not last.is_empty() else None)
        scale = ctx.sample_scale() if sampled else 1
        shown = None if value is None else value * scale
        label = ctx.t(key) + (" *" if scale != 1 else "")
        if key == "gdp" and this["gdp_growth_pct"][0] is not None:
            growth = this["gdp_growth_pct"][0]
        else:
            growth = None if (value is None or not previous) else 100 * (value / previous - 1)
        series = [v * scale for v in profile[column].to_list() if v is not None]
        columns[index % 4].metric(
            label, ctx.number(shown, unit, compact=True),
            delta=None if growth is None else f"{growth:+.1f}%",
            delta_color="normal" if higher else "inverse",
            delta_description=ctx.t("yoy"),
            chart_data=series or None, border=True,
            help=ctx.t("source", department=department, definition=definition[0 if ctx.lang == "zh" else 1],
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
    """Each target against 序时进度 (the share of the year elapsed) at the latest period of the year."""
    rows = ctx.query(
        """
        WITH latest AS (
            SELECT e.indicator, i.zh, i.en, i.unit, e.period, e.yoy_cumulative_pct, e.target_growth_pct,
                   e.cumulative_value, e.target_value, e.completion_pct, e.schedule_pct
            FROM mart.economy_indicators AS e JOIN mart.indicators AS i ON i.code = e.indicator
            WHERE e.region_code = ? AND e.year = ? AND e.freq <> 'A'
              AND (e.target_growth_pct IS NOT NULL OR e.target_value IS NOT NULL)
            QUALIFY e.month_end = max(e.month_end) OVER (PARTITION BY e.indicator)
        ), chance AS (  -- the latest judgement made while the year was still open (mart.target_attainment)
            SELECT indicator, as_of, probability FROM mart.target_attainment
            WHERE region_code = ? AND year = ? AND method = 'analog'
            QUALIFY as_of = max(as_of) OVER (PARTITION BY indicator)
        )
        SELECT latest.*, chance.as_of, chance.probability
        FROM latest LEFT JOIN chance USING (indicator)
        ORDER BY indicator
        """, [ctx.params.region, ctx.params.year, ctx.params.region, ctx.params.year])
    if rows.is_empty():
        st.caption(ctx.t("no_targets"))
        return
    latest = rows.sort("schedule_pct")[-1]
    st.markdown("**" + ctx.t("targets", period=latest["period"][0], schedule=f"{latest['schedule_pct'][0]:.0f}%") + "**")
    lines = []
    for row in rows.iter_rows(named=True):
        name = row["zh"] if ctx.lang == "zh" else row["en"]
        if row["target_value"] is not None and row["completion_pct"] is not None:
            colour = _rag(row["completion_pct"] - row["schedule_pct"], 5)
            text = ctx.t("level_target", name=name, actual=f"{row['completion_pct']:.1f}%",
                         target=ctx.number(row["target_value"], row["unit"]))
            lines.append(f":{colour}[● {text}]")
        if row["target_growth_pct"] is not None and row["yoy_cumulative_pct"] is not None:
            colour = _rag(row["yoy_cumulative_pct"] - row["target_growth_pct"], 1)
            text = ctx.t("growth_target", name=name, actual=ctx.change(row["yoy_cumulative_pct"], "none"),
                         target=f"{row['target_growth_pct']:.1f}%")
            if row["as_of"] is not None:
                text += ctx.t("chance", as_of=row["as_of"], p=f"{row['probability']:.0%}")
            lines.append(f":{colour}[● {text}]")
    st.markdown("  \n".join(lines))
