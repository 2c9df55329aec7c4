"""预警：目标进度滞后、指标连续走弱、数据质量问题，每条注明来源 / Early warnings: targets behind schedule, indicators weakening, data-quality problems, each with its source"""

from __future__ import annotations

import polars as pl
import streamlit as st

from cockpit import fmt
from cockpit.escape import markdown
from cockpit.panel import Panel, RegionParam, YearParam
from data_marts.contracts import CONTRACTS

QUALITY_THRESHOLD_PCT = 0.1  # a rule that rejects one row in a thousand or more is worth a leader's glance
LINES = 5  # per kind on screen, worst first; the table below lists them all
UNLIKELY = 0.5  # a target the forecast gives less than even odds of meeting
COLUMNS = ("kind", "severity", "subject", "detail", "source")

PANEL = Panel(
    id="overview.warnings", theme="overview", order=30,
    title={"zh": "预警提示", "en": "Early warnings"},
    marts=["economy_indicators", "indicators", "quality_alerts", "target_attainment"],
    params=(RegionParam(), YearParam()),
    strings={
        "targets": {"zh": "目标进度滞后", "en": "Behind target"},
        "weakening": {"zh": "连续走弱", "en": "Weakening"},
        "quality": {"zh": "数据质量", "en": "Data quality"},
        "none_targets": {"zh": "各项指标均达到序时进度和年度目标。", "en": "Every indicator is on schedule and on target."},
        "none_weakening": {"zh": "没有连续两期走弱的指标。", "en": "No indicator has weakened two periods running."},
        "none_quality": {"zh": "最近一次入库中，各规则问题率均低于{threshold}。",
                         "en": "In the latest loads every rule failed fewer than {threshold} of rows."},
        "quality_note": {"zh": "全省基础库最近一次入库中问题率不低于{threshold}的检查规则（省大数据局汇总）。",
                         "en": "Rules that failed {threshold} or more of the rows in the latest loads of the base libraries (province data bureau)."},
        "schedule": {"zh": "累计完成年度目标的{actual}，序时进度{goal}，落后{gap}个百分点",
                     "en": "{actual} of the annual target reached with {goal} of the year gone: {gap} pp behind"},
        "growth": {"zh": "累计增长{actual}，比目标增速{goal}低{gap}个百分点",
                   "en": "{actual} year to date, {gap} pp below the {goal} target"},
        "ceiling": {"zh": "为{actual}，高于控制目标{goal}", "en": "at {actual}, above the ceiling of {goal}"},
        "unlikely": {"zh": "截至{as_of}，实现{goal}目标的概率仅{p}（预期{expected}）",
                     "en": "as of {as_of}, only {p} likely to reach the {goal} target (expected {expected})"},
        "falling": {"zh": "连续两期{measure}下降：{values}", "en": "down {measure} two periods running: {values}"},
        "slowing": {"zh": "{measure}增速连续两期回落：{values}", "en": "{measure} growth slowed two periods running: {values}"},
        "rising": {"zh": "{measure}涨幅连续两期扩大：{values}", "en": "{measure} rise quickened two periods running: {values}"},
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
        "rule.required": {"zh": "必填项缺失", "en": "required value missing"},
        "rule.type": {"zh": "类型或格式错误", "en": "wrong type or format"},
        "rule.pattern": {"zh": "格式错误", "en": "wrong format"},
        "rule.unique": {"zh": "重复记录", "en": "duplicate records"},
        "rule.range": {"zh": "数值超出合理范围", "en": "value out of range"},
        "rule.date_range": {"zh": "日期超出合理范围", "en": "date out of range"},
        "rule.not_before": {"zh": "日期先后矛盾", "en": "dates out of order"},
        "rule.accepted_values": {"zh": "取值不在允许范围", "en": "value not allowed"},
        "rule.region_code": {"zh": "行政区划代码无效", "en": "invalid region code"},
        "rule.gb11643": {"zh": "校验不通过（GB 11643）", "en": "fails the GB 11643 check"},
        "rule.gb32100": {"zh": "校验不通过（GB 32100）", "en": "fails the GB 32100 check"},
        "rule.matches_id_sex": {"zh": "性别与身份号码不符", "en": "sex does not match the ID number"},
        "rule.vintage": {"zh": "数据版本早于已入库版本", "en": "older vintage than the one loaded"},
        "rule.links": {"zh": "关联不上", "en": "does not link"},
        "rule.timeliness": {"zh": "更新不及时", "en": "not updated in time"},
    },
)


def render(ctx) -> None:
    region, year = ctx.params.region, ctx.params.year
    # (a) The latest period of the year against 序时进度 and the annual targets.
    targets = ctx.query("""
        WITH latest AS (
            SELECT e.*, i.zh, i.en, i.higher_is_better
            FROM mart.economy_indicators AS e JOIN mart.indicators AS i ON i.code = e.indicator
            WHERE e.region_code = ? AND e.year = ?
            QUALIFY row_number() OVER (PARTITION BY e.indicator ORDER BY e.month_end DESC, e.freq = 'A') = 1
        )
        SELECT 'schedule' AS kind, indicator, zh, en, period, completion_pct AS actual, schedule_pct AS goal
        FROM latest WHERE higher_is_better AND completion_pct < schedule_pct
        UNION ALL
        SELECT 'growth', indicator, zh, en, period, yoy_cumulative_pct, target_growth_pct
        FROM latest WHERE higher_is_better AND yoy_cumulative_pct < target_growth_pct
        UNION ALL
        SELECT 'ceiling', indicator, zh, en, period, current_value, target_value
        FROM latest WHERE NOT higher_is_better AND current_value > target_value
        ORDER BY indicator, kind""", [region, year])
    # (a2) Targets the forecast says are unlikely to be met (mart.target_attainment, latest judgement).
    unlikely = ctx.query("""
        SELECT a.indicator, i.zh, i.en, a.as_of, a.target, a.probability, a.expected
        FROM mart.target_attainment AS a JOIN mart.indicators AS i ON i.code = a.indicator
        WHERE a.region_code = ? AND a.year = ? AND a.method = 'analog'
        QUALIFY a.as_of = max(a.as_of) OVER (PARTITION BY a.indicator) AND a.probability < ?
        ORDER BY a.probability""", [region, year, UNLIKELY])
    # (b) Growth on a year earlier moving the wrong way in each of the last two periods.
    weakening = ctx.query("""
        WITH chain AS (
            SELECT e.indicator, e.freq, e.year, e.month_end, e.period,
                   e.yoy_current_pct AS c0, lag(e.yoy_current_pct) OVER w AS c1, lag(e.yoy_current_pct, 2) OVER w AS c2,
                   e.yoy_cumulative_pct AS a0, lag(e.yoy_cumulative_pct) OVER w AS a1,
                   lag(e.yoy_cumulative_pct, 2) OVER w AS a2
            FROM mart.economy_indicators AS e
            WHERE e.region_code = ? AND e.year <= ? AND e.freq <> 'A'
            WINDOW w AS (PARTITION BY e.indicator, e.freq ORDER BY e.year, e.month_end)
        ),
        latest AS (
            SELECT c.*, i.zh, i.en, i.higher_is_better,
                   c0 IS NOT NULL AND c1 IS NOT NULL AND c2 IS NOT NULL AS on_current
            FROM chain AS c JOIN mart.indicators AS i ON i.code = c.indicator
            WHERE c.year = ?
            QUALIFY row_number() OVER (PARTITION BY c.indicator ORDER BY c.month_end DESC) = 1
        ),
        series AS (
            SELECT indicator, zh, en, period, higher_is_better,
                   CASE WHEN on_current THEN 'current' ELSE 'cumulative' END AS measure,
                   CASE WHEN on_current THEN c0 ELSE a0 END AS g0,
                   CASE WHEN on_current THEN c1 ELSE a1 END AS g1,
                   CASE WHEN on_current THEN c2 ELSE a2 END AS g2
            FROM latest
        ),
        judged AS (
            SELECT *, CASE
                WHEN higher_is_better AND g0 < 0 AND g1 < 0 THEN 'falling'
                WHEN higher_is_better AND g0 < g1 AND g1 < g2 THEN 'slowing'
                WHEN NOT higher_is_better AND g0 > g1 AND g1 > g2 THEN 'rising'
            END AS kind
            FROM series
        )
        SELECT * FROM judged WHERE kind IS NOT NULL ORDER BY indicator""", [region, year, year])
    # (c) Data-quality alerts of the latest loads (the province's data bureau owns them).
    quality = ctx.query("""
        SELECT department, table_name, rule, column_name, rows_checked, rows_failed, failure_pct, loaded_at
        FROM mart.quality_alerts WHERE failure_pct >= ? ORDER BY failure_pct DESC, department, table_name""",
                        [QUALITY_THRESHOLD_PCT])

    behind = sorted(_target_rows(ctx, targets) + _unlikely_rows(ctx, unlikely), key=lambda r: r["severity"] != "bad")
    groups = {"targets": behind, "weakening": _weakening_rows(ctx, weakening),
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


def _target_rows(ctx, targets: pl.DataFrame) -> list[dict]:
    rows = []
    for r in targets.iter_rows(named=True):
        gap = abs(r["actual"] - r["goal"])
        if r["kind"] == "ceiling":
            detail, severity = ctx.t("ceiling", actual=f"{r['actual']:g}", goal=f"{r['goal']:g}"), "bad"
        else:
            detail = ctx.t(r["kind"], actual=_pct(ctx, r["actual"]), goal=_pct(ctx, r["goal"]), gap=f"{gap:.1f}")
            severity = "bad" if gap >= 3 else "amber"
        rows.append({"kind": ctx.t("targets"), "severity": severity, "subject": r[ctx.lang], "detail": detail,
                     "source": f"mart.economy_indicators · {r['indicator']} · {r['period']}"})
    return sorted(rows, key=lambda r: r["severity"] != "bad")  # red first


def _unlikely_rows(ctx, unlikely: pl.DataFrame) -> list[dict]:
    return [{"kind": ctx.t("targets"), "severity": "bad" if r["probability"] < UNLIKELY / 2 else "amber",
             "subject": r[ctx.lang],
             "detail": ctx.t("unlikely", as_of=r["as_of"], goal=_pct(ctx, r["target"]), p=f"{r['probability']:.0%}",
                             expected=_pct(ctx, r["expected"])),
             "source": f"mart.target_attainment · {r['indicator']} · {r['as_of']}"} for r in unlikely.iter_rows(named=True)]


def _weakening_rows(ctx, weakening: pl.DataFrame) -> list[dict]:
    rows = []
    for r in weakening.iter_rows(named=True):
        values = " → ".join(_pct(ctx, v) for v in (r["g2"], r["g1"], r["g0"]))
        rows.append({"kind": ctx.t("weakening"), "severity": "bad" if r["kind"] == "falling" else "amber",
                     "subject": r[ctx.lang], "detail": ctx.t(r["kind"], measure=ctx.t(r["measure"]), values=values),
                     "source": f"mart.economy_indicators · {r['indicator']} · {r['period']}"})
    return sorted(rows, key=lambda r: r["severity"] != "bad")  # red first


def _quality_rows(ctx, quality: pl.DataFrame) -> list[dict]:
    departments = {c.department_zh: getattr(c, f"department_{ctx.lang}") for c in CONTRACTS.values()}
    rows = []
    for r in quality.iter_rows(named=True):
        contract = CONTRACTS.get(r["table_name"])
        columns = {c.name: getattr(c, ctx.lang) for c in contract.columns} if contract else {}
        rule = ctx.t(f"rule.{r['rule']}") if f"rule.{r['rule']}" in PANEL.strings else r["rule"]
        rows.append({
            "kind": ctx.t("quality"), "severity": "bad" if r["failure_pct"] >= 1 else "amber",
            "subject": f"{departments.get(r['department'], r['department'])} · "
                       f"{getattr(contract, ctx.lang) if contract else r['table_name']}",
            "detail": ctx.t("failed", column=" + ".join(columns.get(c, c) for c in r["column_name"].split(",")), rule=rule,
                            failed=f"{r['rows_failed']:,}", checked=f"{r['rows_checked']:,}",
                            rate=f"{r['failure_pct']:.2f}%"),
            "source": f"mart.quality_alerts · {r['table_name']}.{r['column_name']} · {r['rule']} · "
                      f"{r['loaded_at']:%Y-%m-%d}",
        })
    return sorted(rows, key=lambda r: r["severity"] != "bad")  # red first
