"""预警：目标进度滞后、指标连续走弱、数据质量问题，每条注明来源 / Early warnings: targets behind schedule, indicators weakening, data-quality problems, each with its source"""

from __future__ import annotations

import polars as pl
import streamlit as st

from cockpit import fmt
from cockpit.escape import markdown
from cockpit.panel import Panel, RegionParam, YearParam
from cockpit.targets import Target
from cockpit.targets import read as read_targets
from data_marts.checks import labels
from data_marts.contracts import CONTRACTS
from data_marts.glossary import department
from data_marts.indicators import BY_CODE

QUALITY_THRESHOLD_PCT = 0.1  # a rule that rejects one row in a thousand or more is worth a leader's glance
LINES = 5  # per kind on screen, worst first; the table below lists them all
UNLIKELY = 0.5  # a target the forecast gives less than even odds of meeting
COLUMNS = ("kind", "severity", "subject", "detail", "source")

PANEL = Panel(
    id="overview.warnings", theme="overview", order=30,
    title={"zh": "预警提示", "en": "Early warnings"},
    marts=["economy_indicators", "quality_alerts", "target_attainment"],
    params=(RegionParam(), YearParam()),
    strings={
        "targets": {"zh": "目标进度滞后", "en": "Behind target"},
        "weakening": {"zh": "连续走弱", "en": "Weakening"},
        "quality": {"zh": "数据质量", "en": "Data quality"},
        "none_targets": {"zh": "各项年度目标均已完成或达到序时进度。", "en": "Every annual target is met or on schedule."},
        "none_weakening": {"zh": "没有连续两期向不利方向变化的指标。", "en": "No indicator has moved the wrong way two periods running."},
        "none_quality": {"zh": "最近一次入库中，各规则问题率均低于{threshold}。",
                         "en": "In the latest loads every rule failed fewer than {threshold} of rows."},
        "quality_note": {"zh": "全省基础库最近一次入库中问题率不低于{threshold}的检查规则（省大数据局汇总）。",
                         "en": "Rules that failed {threshold} or more of the rows in the latest loads of the base libraries (province data bureau)."},
        "schedule": {"zh": "累计完成年度目标的{actual}，序时进度{goal}，落后{gap}个百分点",
                     "en": "{actual} of the annual target reached with {goal} of the year gone: {gap} pp behind"},
        "growth": {"zh": "累计增长{actual}，比目标增速{goal}低{gap}个百分点",
                   "en": "{actual} year to date, {gap} pp below the {goal} target"},
        "ceiling": {"zh": "年内平均{actual}，高于控制目标{goal}", "en": "{actual} on average so far, above the ceiling of {goal}"},
        "missed_level": {"zh": "全年完成目标的{actual}，未完成{goal}的年度目标", "en": "{actual} of the annual target of {goal}: missed"},
        "missed_growth": {"zh": "全年增长{actual}，未完成{goal}的目标增速", "en": "grew {actual} in the year: the {goal} target was missed"},
        "missed_ceiling": {"zh": "全年平均{actual}，超过控制目标{goal}", "en": "{actual} on average in the year: above the ceiling of {goal}"},
        "unlikely": {"zh": "截至{as_of}，实现{goal}目标的概率仅{p}（预期{expected}）",
                     "en": "as of {as_of}, only {p} likely to reach the {goal} target (expected {expected})"},
        "falling": {"zh": "连续两期{measure}下降：{values}", "en": "down {measure} two periods running: {values}"},
        "slowing": {"zh": "{measure}增速连续两期回落：{values}", "en": "{measure} growth slowed two periods running: {values}"},
        "rising": {"zh": "{measure}涨幅连续两期扩大：{values}", "en": "{measure} rise quickened two periods running: {values}"},
        "leaving": {"zh": "{measure}连续两期偏离{band}的适宜区间：{values}", "en": "{measure} moved further outside the {band} range two periods running: {values}"},
        "current": {"zh": "当期同比", "en": "year-on-year"},
        "cumulative": {"zh": "累计同比", "en": "year-to-date"},
        "failed": {"zh": "{column}：{rule}，{failed}/{checked}行未通过（{rate}）",
                   "en": "{column}: {rule}, {failed} of {checked} rows failed ({rate})"},
        "more": {"zh": "另有{n}条，见下表。", "en": "{n} more in the table below."},
        "bad": {"zh": "红色", "en": "red"},
        "amber": {"zh": "黄色", "en": "amber"},
        "col.kind": {"zh": "类别", "en": "Kind"},
        "col.severity": {"zh": "预警级别", "en": "Level"},
        "col.subject": {"zh": "对象", "en": "Subject"},
        "col.detail": {"zh": "说明", "en": "Detail"},
        "col.source": {"zh": "来源", "en": "Source"},
        "src.economy": {"zh": "宏观经济指标", "en": "Macro indicators"},
        "src.attainment": {"zh": "目标达成预测", "en": "Target attainment forecast"},
        "src.quality": {"zh": "数据质量预警", "en": "Data-quality alerts"},
    },
)


def render(ctx) -> None:
    region, year = ctx.params.region, ctx.params.year
    # (a) Targets missed (a finished year), behind 序时进度 or unlikely to be met (an open year).
    found = read_targets(ctx.query, region, year)
    # (b) Growth on a year earlier moving the wrong way, as each indicator declares it, two periods running.
    weakening = ctx.query("""
        WITH chain AS (
            SELECT e.indicator, e.freq, e.year, e.month_end, e.period,
                   e.yoy_current_pct AS c0, lag(e.yoy_current_pct) OVER w AS c1, lag(e.yoy_current_pct, 2) OVER w AS c2,
                   e.yoy_cumulative_pct AS a0, lag(e.yoy_cumulative_pct) OVER w AS a1,
                   lag(e.yoy_cumulative_pct, 2) OVER w AS a2
            FROM mart.economy_indicators AS e
            WHERE e.region_code = ? AND e.year <= ? AND e.freq <> 'A'
            WINDOW w AS (PARTITION BY e.indicator, e.freq ORDER BY e.year, e.month_end)
        )
        SELECT indicator, period,
               CASE WHEN c0 IS NOT NULL AND c1 IS NOT NULL AND c2 IS NOT NULL THEN 'current' ELSE 'cumulative' END AS measure,
               CASE WHEN measure = 'current' THEN c0 ELSE a0 END AS g0,
               CASE WHEN measure = 'current' THEN c1 ELSE a1 END AS g1,
               CASE WHEN measure = 'current' THEN c2 ELSE a2 END AS g2
        FROM chain WHERE year = ?
        QUALIFY row_number() OVER (PARTITION BY indicator ORDER BY month_end DESC) = 1
        ORDER BY indicator""", [region, year, year])
    # (c) Data-quality alerts of the latest loads (the province's data bureau owns them).
    quality = ctx.query("""
        SELECT department, table_name, rule, column_name, rows_checked, rows_failed, failure_pct, loaded_at
        FROM mart.quality_alerts WHERE failure_pct >= ? ORDER BY failure_pct DESC, department, table_name""",
                        [QUALITY_THRESHOLD_PCT])

    groups = {"targets": _target_rows(ctx, found), "weakening": _weakening_rows(ctx, weakening),
              "quality": _quality_rows(ctx, quality)}
    for column, (kind, rows) in zip(st.columns(3), groups.items()):
        column.metric(ctx.t(kind), len(rows), border=True)
    threshold = f"{QUALITY_THRESHOLD_PCT:g}%"
    _section(ctx, "targets", groups["targets"], ctx.t("none_targets"))
    _section(ctx, "weakening", groups["weakening"], ctx.t("none_weakening"))
    _section(ctx, "quality", groups["quality"], ctx.t("none_quality", threshold=threshold),
             ctx.t("quality_note", threshold=threshold))
    table = pl.DataFrame([r for rows in groups.values() for r in rows], schema={c: pl.String for c in COLUMNS})
    ctx.table(table.with_columns(pl.col("severity").replace({s: ctx.t(s) for s in ("bad", "amber")})),
              labels={c: ctx.t(f"col.{c}") for c in COLUMNS}, name="warnings", collapsed=True)


def _section(ctx, kind: str, rows: list[dict], empty: str, note: str | None = None) -> None:
    """One kind of warning: a line each, red first, coloured by severity, with where it comes from."""
    st.markdown(f"**{ctx.t(kind)}**")
    if note:
        st.caption(note)
    for r in rows[:LINES]:
        st.markdown(
            f'<span style="color:{fmt.COLOURS[r["severity"]]}">●</span> <b>{markdown(r["subject"], None)}</b> '
            f'{markdown(r["detail"], None)} <span style="color:{fmt.COLOURS["neutral"]};font-size:0.85em">'
            f'· {markdown(r["source"], None)}</span>', unsafe_allow_html=True)
    if len(rows) > LINES:
        st.caption(ctx.t("more", n=len(rows) - LINES))
    if not rows:
        st.caption(empty)


def _pct(ctx, value) -> str:
    """5.0% / −5.5%: one decimal, a real minus, no plus sign."""
    return ctx.change(value, "none").lstrip("+±")


def _target_rows(ctx, found: list[Target]) -> list[dict]:
    """A missed target of a finished year; in an open year, one behind 序时进度 or given less than even odds."""
    rows = []
    for target in found:
        name = getattr(BY_CODE[target.indicator], ctx.lang)
        source = f"{ctx.t('src.economy')} · {name} · {target.period}"
        if target.closed:
            if target.met:
                continue
            detail = ctx.t(f"missed_{target.kind}", actual=_shown(ctx, target), goal=_goal(ctx, target))
            rows.append({"kind": ctx.t("targets"), "severity": "bad", "subject": name, "detail": detail, "source": source})
            continue
        if not target.met:
            gap = abs(target.gap)
            detail = ctx.t({"level": "schedule", "growth": "growth", "ceiling": "ceiling"}[target.kind],
                           actual=_shown(ctx, target), goal=_goal(ctx, target), gap=f"{gap:.1f}")
            severity = "bad" if target.kind == "ceiling" or gap >= 3 else "amber"
            rows.append({"kind": ctx.t("targets"), "severity": severity, "subject": name, "detail": detail, "source": source})
        if target.probability is not None and target.probability < UNLIKELY:
            rows.append({"kind": ctx.t("targets"), "severity": "bad" if target.probability < UNLIKELY / 2 else "amber",
                         "subject": name,
                         "detail": ctx.t("unlikely", as_of=target.period, goal=_goal(ctx, target),
                                         p=f"{target.probability:.0%}", expected=_expected(ctx, target)),
                         "source": f"{ctx.t('src.attainment')} · {name} · {target.period}"})
    return sorted(rows, key=lambda r: r["severity"] != "bad")  # red first


def _shown(ctx, target: Target) -> str:
    return f"{target.actual:.1f}" if target.kind == "ceiling" else _pct(ctx, target.actual)


def _goal(ctx, target: Target) -> str:
    if target.kind == "level":
        return _pct(ctx, target.schedule) if not target.closed else ctx.number(target.target_value, BY_CODE[target.indicator].unit)
    return f"{target.target:g}" if target.kind == "ceiling" else _pct(ctx, target.target)


def _expected(ctx, target: Target) -> str:
    return f"{target.expected:.1f}" if target.kind == "ceiling" else _pct(ctx, target.expected)


def _weakening_rows(ctx, weakening: pl.DataFrame) -> list[dict]:
    """Indicators whose growth moved the wrong way two periods running, as their direction declares it."""
    rows = []
    for r in weakening.iter_rows(named=True):
        direction = BY_CODE[r["indicator"]].direction
        kind = direction.wrong_way(r["g2"], r["g1"], r["g0"])
        if kind is None:
            continue
        values = " → ".join(_pct(ctx, v) for v in (r["g2"], r["g1"], r["g0"]))
        band = f"{direction.low:g}%–{direction.high:g}%" if direction.good == "band" else ""
        name = getattr(BY_CODE[r["indicator"]], ctx.lang)
        rows.append({"kind": ctx.t("weakening"), "severity": "bad" if kind in ("falling", "leaving") else "amber",
                     "subject": name, "detail": ctx.t(kind, measure=ctx.t(r["measure"]), values=values, band=band),
                     "source": f"{ctx.t('src.economy')} · {name} · {r['period']}"})
    return sorted(rows, key=lambda r: r["severity"] != "bad")  # red first


def _quality_rows(ctx, quality: pl.DataFrame) -> list[dict]:
    rows = []
    for r in quality.iter_rows(named=True):
        contract = CONTRACTS.get(r["table_name"])
        columns = {c.name: getattr(c, ctx.lang) for c in contract.columns} if contract else {}
        rule = labels.rule(r["rule"], ctx.lang)
        rows.append({
            "kind": ctx.t("quality"), "severity": "bad" if r["failure_pct"] >= 1 else "amber",
            "subject": f"{department(r['department'], ctx.lang)} · "
                       f"{getattr(contract, ctx.lang) if contract else r['table_name']}",
            "detail": ctx.t("failed", column=" + ".join(columns.get(c, c) for c in r["column_name"].split(",")), rule=rule,
                            failed=f"{r['rows_failed']:,}", checked=f"{r['rows_checked']:,}",
                            rate=f"{r['failure_pct']:.2f}%"),
            "source": f"{ctx.t('src.quality')} · {r['loaded_at']:%Y-%m-%d}",
        })
    return sorted(rows, key=lambda r: r["severity"] != "bad")  # red first
