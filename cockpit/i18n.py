"""User-facing strings, Chinese first: ``t(key)`` in the session's language (``zh`` or ``en``)."""

from __future__ import annotations

import os

import streamlit as st

LANGUAGES = {"zh": "中文", "en": "English"}
DEFAULT = os.environ.get("COCKPIT_LANG", "zh") if os.environ.get("COCKPIT_LANG") in LANGUAGES else "zh"

CATALOG: dict[str, dict[str, str]] = {
    "app.title": {"zh": "决策驾驶舱", "en": "Decision Cockpit"},
    "lang.label": {"zh": "语言 / Language", "en": "Language / 语言"},
    "status.title": {"zh": "数据底座", "en": "Warehouse status"},
    "status.caption": {"zh": "基础库入库、专题库构建与数据质量一览", "en": "Base-library loads, mart build and data quality at a glance"},
    "status.no_warehouse": {"zh": "尚未构建数仓。请先运行 `cockpit demo --no-serve` 或 `cockpit build`。",
                            "en": "No warehouse has been built yet. Run `cockpit demo --no-serve` or `cockpit build` first."},
    "status.built_at": {"zh": "最近构建", "en": "Last build"},
    "status.base_rows": {"zh": "基础库记录", "en": "Base-library rows"},
    "status.marts": {"zh": "专题库", "en": "Marts"},
    "status.quarantined": {"zh": "隔离记录", "en": "Quarantined rows"},
    "status.quality_findings": {"zh": "质量问题条数", "en": "Quality findings"},
    "status.sample_note": {"zh": "演示数据：人口、法人、房屋为按 {rate} 比例合成的样本记录，计数未放大；经济与农业为全量口径。数据为合成数据，按公开数据校准，不是官方统计。",
                           "en": "Demo data: persons, entities and dwellings are a synthetic {rate} sample (counts not expanded); economy and agriculture are full totals. Synthetic data calibrated to published figures, not official statistics."},
    "status.loads_per_file": {"zh": "逐个文件（{n} 个）", "en": "Per file ({n})"},
    "status.loads": {"zh": "入库记录（读入 = 入库 + 隔离）", "en": "Loads (read = loaded + quarantined)"},
    "status.balanced": {"zh": "全部平衡", "en": "All balanced"},
    "status.unbalanced": {"zh": "存在不平衡的入库记录", "en": "Some loads do not balance"},
    "status.tables": {"zh": "数据目录", "en": "Catalog"},
    "status.quality": {"zh": "各部门数据质量", "en": "Data quality by department"},
    "status.lineage": {"zh": "数据血缘（部门 → 基础库 → 专题库）", "en": "Lineage (department → base table → mart)"},
    "col.file": {"zh": "文件", "en": "File"},
    "col.files": {"zh": "文件数", "en": "Files"},
    "col.library": {"zh": "基础库", "en": "Library"},
    "col.table": {"zh": "表", "en": "Table"},
    "col.rows_read": {"zh": "读入", "en": "Read"},
    "col.rows_loaded": {"zh": "入库", "en": "Loaded"},
    "col.rows_quarantined": {"zh": "隔离", "en": "Quarantined"},
    "col.vintage": {"zh": "版本", "en": "Vintage"},
    "col.loaded_at": {"zh": "入库时间", "en": "Loaded at"},
    "col.description": {"zh": "说明", "en": "Description"},
    "col.owner": {"zh": "责任部门", "en": "Owner"},
    "col.sharing": {"zh": "共享属性", "en": "Sharing class"},
    "col.rows": {"zh": "行数", "en": "Rows"},
    "col.department": {"zh": "部门", "en": "Department"},
    "col.rule": {"zh": "规则", "en": "Rule"},
    "col.column": {"zh": "字段", "en": "Column"},
    "col.checked": {"zh": "检查行数", "en": "Checked"},
    "col.failed": {"zh": "问题行数", "en": "Failed"},
    "col.rate": {"zh": "问题率", "en": "Rate"},
    "col.severity": {"zh": "处理", "en": "Action"},
    "col.source": {"zh": "来源", "en": "Source"},
    "col.target": {"zh": "去向", "en": "Target"},
}


def language() -> str:
    return st.session_state.get("lang", DEFAULT)


def t(key: str, **values) -> str:
    text = CATALOG[key][language()]
    return text.format(**values) if values else text

CATALOG.update({
    "panel.csv": {"zh": "下载 CSV", "en": "Download CSV"},
    "panel.xlsx": {"zh": "下载 Excel", "en": "Download Excel"},
    "panel.provenance": {"zh": "数据是怎么来的", "en": "How this number was made"},
    "panel.marts": {"zh": "专题库：", "en": "Marts:"},
    "panel.built": {"zh": "最近构建：", "en": "Last build:"},
    "panel.params": {"zh": "参数", "en": "parameters"},
})

CATALOG.update({
    "shell.prefecture": {"zh": "市（州）", "en": "Prefecture"},
    "shell.county": {"zh": "县（市、区）", "en": "County"},
    "shell.all": {"zh": "全部", "en": "All"},
    "shell.year": {"zh": "年份", "en": "Year"},
    "page.overview": {"zh": "总览", "en": "Overview"},
    "page.population": {"zh": "人口", "en": "Population"},
    "page.enterprise": {"zh": "法人", "en": "Legal entities"},
    "page.housing": {"zh": "房屋", "en": "Housing"},
    "page.economy": {"zh": "经济", "en": "Economy"},
    "page.agriculture": {"zh": "农业", "en": "Agriculture"},
    "page.rankings": {"zh": "竞技场", "en": "Rankings"},
    "page.panel_failed": {"zh": "面板 {panel} 出错：{error}", "en": "Panel {panel} failed: {error}"},
    "page.no_panels": {"zh": "此页面暂无面板。", "en": "No panels on this page yet."},
})

CATALOG.update({
    "page.no_data": {"zh": "该地区、该年份暂无数据。", "en": "No data for this region and year."},
})
