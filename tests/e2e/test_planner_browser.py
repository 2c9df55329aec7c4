"""The planner page in a real browser: /planner renders a plan with its charts and no error box, on a
desktop and at phone width, in Chinese and English, and a share link opens a saved scenario."""

from __future__ import annotations

import os

import pytest

from cockpit.i18n import CATALOG
from tests.e2e.test_pages_browser import TIMEOUT, assert_clean, screenshot, wait_rendered

pytestmark = pytest.mark.browser


def open_planner(page, server: str, query: str = "") -> None:
    page.goto(f"{server}/planner{query}")
    wait_rendered(page, TIMEOUT)
    page.wait_for_function("""() => document.querySelectorAll("[data-testid='stVegaLiteChart']").length >= 3""",
                           timeout=TIMEOUT)
    wait_rendered(page, TIMEOUT)


def test_the_planner_renders_in_chinese_on_a_desktop(page, server, artifacts):
    open_planner(page, server, "?region=520500")
    assert_clean(page, "/planner")
    assert page.locator("[data-testid='stMain'] h1").first.inner_text().strip() == CATALOG["planner.title"]["zh"]
    assert page.locator("[data-testid='stMetric']").count() == 4
    assert "粮食底线" in page.locator("[data-testid='stMain']").inner_text()
    screenshot(page, artifacts, "planner-desktop")


def test_the_planner_in_english_at_phone_width(phone, server, artifacts):
    open_planner(phone, server, "?region=520500&lang=en")
    assert_clean(phone, "/planner (phone)")
    assert phone.locator("[data-testid='stMain'] h1").first.inner_text().strip() == CATALOG["planner.title"]["en"]
    width = phone.evaluate("() => document.querySelector(\"[data-testid='stMain']\").scrollWidth")
    assert width <= 400, f"the page scrolls sideways at phone width ({width} px)"
    screenshot(phone, artifacts, "planner-phone")


def test_a_share_link_opens_the_saved_scenario(page, server, demo_home, monkeypatch):
    from cockpit import crop_plan, scenarios
    from models.crop_plan import PlanInputs

    monkeypatch.setenv("COCKPIT_HOME", str(demo_home))
    result = crop_plan.solve(PlanInputs(region="520500", years=2, risk_weight=0.5), monte_carlo=200)
    scenario_id = scenarios.save("浏览器分享测试", result, by="测试")
    open_planner(page, server, f"?scenario={scenario_id}")
    assert_clean(page, "/planner?scenario")
    assert page.get_by_label(CATALOG["planner.save_name"]["zh"]).input_value() == "浏览器分享测试"
    assert os.path.exists(demo_home / "scenarios.duckdb")
