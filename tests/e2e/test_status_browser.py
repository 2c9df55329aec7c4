"""The status page in a real browser: renders, Chinese text, no error box; screenshots kept."""

import pytest

pytestmark = pytest.mark.browser


def _wait_rendered(page):
    page.wait_for_selector("h1", timeout=60_000)
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)


def test_status_page_in_chinese(server, page, artifacts):
    page.goto(f"{server}/status")
    _wait_rendered(page)
    assert page.locator("h1").first.inner_text().strip() == "数据底座"
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("全部平衡").count() >= 1
    page.screenshot(path=str(artifacts / "status-zh.png"), full_page=True)


def test_status_page_switches_to_english(server, page, artifacts):
    page.goto(f"{server}/status")
    _wait_rendered(page)
    page.get_by_text("English").click()
    page.wait_for_function("() => document.querySelector('h1')?.innerText.includes('Warehouse status')",
                           timeout=30_000)
    _wait_rendered(page)
    assert page.locator("[data-testid='stException']").count() == 0
    page.screenshot(path=str(artifacts / "status-en.png"), full_page=True)
