"""The scenario brief: a zip with the plan as an Excel workbook (sheets in the page language) and the
charts as PNG images rendered without a browser."""

from __future__ import annotations

import io
import zipfile

import polars as pl

from cockpit import plan_brief, plan_charts
from cockpit.i18n import CATALOG
from models.crop_plan import CropPlanner, PlanInputs
from tests.models.crop_plan_instances import hand


def test_the_brief_holds_the_workbook_and_the_charts():
    result = CropPlanner(PlanInputs(region="520100", years=3), monte_carlo=200).fit(hand()).result_
    names = {"corn": "玉米", "vegetables": "蔬菜", "tea": "茶叶", "520101": "甲县"}
    label = lambda key: CATALOG[key]["zh"]  # noqa: E731
    figures = {"area_change": plan_charts.area_change(result.area_change(), names, "zh", "结构", "万亩"),
               "income_risk": plan_charts.income_band(result.risk, "zh", {"plan": "方案", "baseline": "不调整"}, "收益", "亿元")}
    archive = zipfile.ZipFile(io.BytesIO(plan_brief.brief(result, names, label, "zh", figures)))
    assert sorted(archive.namelist()) == ["area_change.png", "income_risk.png", "plan.xlsx"]
    for name in ("area_change.png", "income_risk.png"):
        assert archive.read(name)[:8] == b"\x89PNG\r\n\x1a\n"
    book = io.BytesIO(archive.read("plan.xlsx"))
    sheets = pl.read_excel(book, sheet_id=0)
    assert set(sheets) == {CATALOG[f"planner.brief.sheet_{s}"]["zh"] for s in ("summary", "inputs", "change", "plan", "binding", "risk")}
    plan = sheets[CATALOG["planner.brief.sheet_plan"]["zh"]]
    assert plan.height == result.plan.height and "甲县" in plan["county"].to_list()
    summary = sheets[CATALOG["planner.brief.sheet_summary"]["zh"]]
    assert f"{result.summary['income_yuan']:,.0f}" in summary[CATALOG["planner.brief.value"]["zh"]].to_list()
