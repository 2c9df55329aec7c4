"""Every page in a real browser: renders with no error box, Chinese first with 万/亿 on the overview,
drills from the province into a prefecture and back (on a desktop and at phone width), opens every
tab of the tabbed pages (by click and by link), and keeps a full-height screenshot of each page in
test-artifacts/.

Generic on purpose: panels are added to the pages all the time, so nothing here names a panel
except the overview's KPI cards (st.metric)."""

from __future__ import annotations

import re

import pytest

from cockpit.headless import RENDERED
from cockpit.i18n import CATALOG
from tests.e2e.conftest import serving

pytestmark = pytest.mark.browser

THEMED = ["overview", "population", "enterprise", "housing", "economy", "agriculture", "rankings"]
PAGES = [*THEMED, "status"]
TITLES = {**{name: CATALOG[f"page.{name}"]["zh"] for name in THEMED}, "status": CATALOG["status.title"]["zh"]}
PROVINCE, PREFECTURE, PREFECTURE_NAME = "520000", "520500", "毕节市"
TIMEOUT = 90_000  # the first page of a fresh server reads cold marts on a loaded 2-core machine

ERROR_BOXES = "[data-testid='stException'], [data-testid='stAlertContentError']"


def wait_rendered(page, timeout: int = TIMEOUT) -> None:
    page.wait_for_function(RENDERED, timeout=timeout)


def assert_clean(page, where: str) -> None:
    """No exception, no error box, no 'Page not found' dialog."""
    errors = page.locator(ERROR_BOXES).all_inner_texts()
    assert not errors, f"{where}: error boxes on the page: {errors}"
    dialogs = page.locator("[role='dialog']").all_inner_texts()
    assert not dialogs, f"{where}: a dialog is open: {dialogs}"


def screenshot(page, artifacts, name: str) -> None:
    """The whole page: Streamlit scrolls inside its own containers, so make the viewport as tall as the content."""
    size = page.viewport_size
    height = page.evaluate("""() => Math.max(document.documentElement.scrollHeight,
        ...[...document.querySelectorAll("[data-testid='stMain'], [data-testid='stAppViewContainer'],"
          + " [data-testid='stMainBlockContainer']")].map(e => e.scrollHeight))""")
    page.set_viewport_size({"width": size["width"], "height": min(max(height + 40, size["height"]), 16_000)})
    try:
        page.wait_for_timeout(300)  # charts re-lay themselves out at the new size
        wait_rendered(page)
        page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
    finally:
        page.set_viewport_size(size)


def open_page(page, server: str, name: str, query: str = "", path: str | None = None) -> None:
    """Open a page; by default at the address the app serves it (the default page is at the root)."""
    if path is None:
        path = "" if name == "overview" else name
    page.goto(f"{server}/{path}{query}")
    wait_rendered(page)
    title = page.locator("[data-testid='stMain'] h1").first.inner_text().strip()
    assert title == TITLES[name], f"/{name}: title {title!r}, expected {TITLES[name]!r}"


def sidebar_open(page) -> None:
    """At phone width the sidebar starts collapsed; open it the way a user does."""
    expand = page.locator("[data-testid='stExpandSidebarButton']")
    if expand.is_visible():
        expand.click()
        page.wait_for_function("""() => { const r = document.querySelector("[data-testid='stSidebar']")
            .getBoundingClientRect(); return r.left >= 0 && r.width > 0; }""")


def sidebar_close(page) -> None:
    """At phone width the open sidebar covers the page; close it before touching the page."""
    if page.viewport_size["width"] >= 640:
        return
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.hover()
    page.locator("[data-testid='stSidebarCollapseButton'] button").click()
    page.wait_for_function("""() => document.querySelector("[data-testid='stSidebar']")
        .getBoundingClientRect().right <= 1""")


def region_in_url(page, code: str) -> None:
    page.wait_for_url(re.compile(rf"[?&]region={code}(&|$)"), timeout=TIMEOUT)
    wait_rendered(page)


def picker(page, label: str):
    """A sidebar selectbox by its label (a combobox whose input holds the chosen option)."""
    return page.locator("[data-testid='stSidebar']").get_by_role("combobox", name=label, exact=True)


def drill_to_prefecture(page) -> None:
    """Pick 毕节市 in the sidebar's 市（州） selectbox: click it, then click the option."""
    sidebar_open(page)
    picker(page, "市（州）").click()
    page.get_by_role("option", name=PREFECTURE_NAME, exact=True).click()
    region_in_url(page, PREFECTURE)
    assert picker(page, "市（州）").input_value() == PREFECTURE_NAME
    assert picker(page, "县（市、区）").count() == 1, "picking a prefecture offers its counties"
    sidebar_close(page)


def back_to_province(page) -> None:
    """The breadcrumb on top of the page has a button for 贵州省."""
    crumb = page.locator("[data-testid='stMain']").get_by_role("button", name="贵州省", exact=True)
    assert crumb.count() == 1, "the breadcrumb offers 贵州省 once drilled down"
    crumb.click()
    region_in_url(page, PROVINCE)
    sidebar_open(page)
    assert picker(page, "市（州）").input_value() == "全部", "back at the province the prefecture picker reads 全部"
    assert picker(page, "县（市、区）").count() == 0
    sidebar_close(page)


@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_in_chinese_without_error_boxes(server, page, artifacts, name):
    open_page(page, server, name, path=name)  # /overview too: a link to it must not say "Page not found"
    screenshot(page, artifacts, f"page-{name}")  # first, so that a failing page leaves its picture
    assert_clean(page, f"/{name}")
    assert re.search(r"[\u4e00-\u9fff]", page.locator("[data-testid='stMain']").inner_text())


@pytest.mark.parametrize("name", THEMED)
def test_every_themed_page_drills_into_a_prefecture_and_back(server, page, artifacts, name):
    open_page(page, server, name, f"?region={PROVINCE}")
    drill_to_prefecture(page)
    main = page.locator("[data-testid='stMain']")
    assert main.get_by_text(PREFECTURE_NAME, exact=True).count() >= 1, "the breadcrumb names the prefecture"
    assert page.locator("[data-testid='stMain'] h1").first.inner_text().strip() == TITLES[name]
    screenshot(page, artifacts, f"page-{name}-{PREFECTURE}")
    assert_clean(page, f"/{name} at {PREFECTURE_NAME}")
    back_to_province(page)
    assert_clean(page, f"/{name} back at 贵州省")


TABS = "[data-testid='stMain'] [role='tab']"
# Only the open tab's panels run and reach the page: its panel is the one tab panel in the DOM.
TAB_DRAWN = """() => { const panels = document.querySelectorAll("[role='tabpanel']");
  return panels.length === 1 && panels[0].querySelector('h3') !== null; }"""


def open_tab(page) -> str:
    """The selected tab's label, once its panels are drawn."""
    page.wait_for_function(TAB_DRAWN, timeout=TIMEOUT)
    wait_rendered(page)
    return page.locator(f"{TABS}[aria-selected='true']").inner_text().strip()


@pytest.mark.parametrize("name", THEMED)
def test_every_tab_of_every_page_renders_when_clicked_and_from_a_link(server, page, artifacts, name):
    open_page(page, server, name, path=name)
    labels = [label.strip() for label in page.locator(TABS).all_inner_texts()]
    if not labels:
        pytest.skip(f"/{name} has its panels in one section: no tabs")
    assert labels[0] == "概况" and open_tab(page) == "概况"
    for index, label in enumerate(labels[1:], start=1):
        page.locator(TABS).nth(index).click()
        page.wait_for_url(re.compile(rf"[?&]tab\.{name}="), timeout=TIMEOUT)
        assert open_tab(page) == label
        screenshot(page, artifacts, f"page-{name}-tab{index}")
        assert_clean(page, f"/{name}, tab {label}")
    shared = page.url  # the last tab, in the link
    page.goto("about:blank")
    page.goto(shared)
    assert open_tab(page) == labels[-1], "a link opens the tab it was made on"
    assert_clean(page, f"/{name} opened at tab {labels[-1]} from a link")

def test_overview_kpi_cards_read_in_wan_and_yi(server, page):
    open_page(page, server, "overview")
    values = page.locator("[data-testid='stMetricValue']").all_inner_texts()
    assert len(values) >= 4, f"the overview shows KPI cards, found {values}"
    assert any("万" in v for v in values) and any("亿" in v for v in values), values
    labels = " ".join(page.locator("[data-testid='stMetricLabel']").all_inner_texts())
    assert re.search(r"[\u4e00-\u9fff]", labels), labels


def test_a_shared_link_opens_the_same_view(server, page):
    open_page(page, server, "overview", f"?region={PREFECTURE}&year=2023&lang=zh")
    assert picker(page, "市（州）").input_value() == PREFECTURE_NAME
    assert picker(page, "年份").input_value() == "2023"
    assert_clean(page, f"/overview?region={PREFECTURE}&year=2023")


def test_overview_on_a_phone(server, phone, artifacts):
    open_page(phone, server, "overview", f"?region={PROVINCE}")
    screenshot(phone, artifacts, "phone-overview")
    assert_clean(phone, "/overview at 390 px")
    overflow = phone.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the overview scrolls sideways by {overflow} px on a phone"
    values = phone.locator("[data-testid='stMetricValue']").all_inner_texts()
    assert any("万" in v for v in values) and any("亿" in v for v in values), values
    drill_to_prefecture(phone)
    screenshot(phone, artifacts, f"phone-overview-{PREFECTURE}")
    assert_clean(phone, f"/overview at 390 px, {PREFECTURE_NAME}")
    back_to_province(phone)
    assert_clean(phone, "/overview at 390 px, back at 贵州省")


KPI_VALUE_HEIGHT = """() => document.querySelector("[data-testid='stMetricValue']").getBoundingClientRect().height"""


def test_overview_on_a_wall_display(server, page, wall, artifacts):
    open_page(page, server, "overview")
    desk = page.evaluate(KPI_VALUE_HEIGHT)
    open_page(wall, server, "overview", f"?region={PROVINCE}&display=wall")
    wall.screenshot(path=str(artifacts / "wall-overview.png"))  # the screen as the room sees it
    assert_clean(wall, "/overview?display=wall at 3840 px")
    assert wall.evaluate(KPI_VALUE_HEIGHT) >= 1.8 * desk, "the KPI figures are drawn about twice the desktop size"
    overflow = wall.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the wall display scrolls sideways by {overflow} px"
    assert wall.locator("[data-testid='stSidebar'][aria-expanded='true']").count() == 0, "the sidebar starts collapsed"
    charts = wall.locator("[data-testid='stVegaLiteChart']")
    assert charts.count() >= 1 and charts.first.bounding_box()["width"] > 1440, "charts fill the wide screen"
    assert "display=wall" in wall.url, "the mode stays in the link"


@pytest.fixture(scope="module")
def cangzhou_server(cangzhou_home):
    """The second demo deployment (沧州市) served from its own home, with Cangzhou as the home region."""
    yield from serving(cangzhou_home, COCKPIT_REGION="130900")


@pytest.mark.parametrize("name", ["overview", "agriculture"])
def test_cangzhou_pages_at_desktop_and_phone_width(cangzhou_server, page, phone, artifacts, name):
    """The Cangzhou cockpit in a real browser at 1440 px and 390 px: clean, the city and its counties by name,
    nothing of Guizhou; screenshots in test-artifacts/cangzhou-<page>-<width>.png."""
    for view, width in ((page, 1440), (phone, 390)):
        open_page(view, cangzhou_server, name)
        wait_rendered(view)
        assert_clean(view, f"Cangzhou {name} at {width} px")
        text = view.locator("body").inner_text()
        assert "沧州" in text and "贵州" not in text and "毕节" not in text, name
        screenshot(view, artifacts, f"cangzhou-{name}-{width}")
