"""Hostile input in a real browser (issue #10): Markdown links and images, HTML and script in every URL
parameter of every page, and in saved scenario names and savers (saved with cockpit.scenarios.save and
typed into the page), never become live. The browser sends no request for an injected URL (Playwright's
request events), the DOM holds no link, image or handler from the injected text, no script of it runs,
and the page shows no error box. Screenshots of the planner with a hostile link, at 1440 and 390 px in
Chinese and English, go to test-artifacts/."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from cockpit.escape import JOINER
from cockpit.i18n import CATALOG
from tests.e2e.test_pages_browser import PAGES, TIMEOUT, assert_clean, screenshot, wait_rendered
from tests.e2e.test_planner_browser import open_planner

pytestmark = pytest.mark.browser

TRAP = "127.0.0.1:9"  # the discard port: nothing answers, but a request for it would be seen
LINK = f"[x](http://{TRAP}/link)"
IMAGE = f"![x](http://{TRAP}/image.png)"
HTML = f"<img src=http://{TRAP}/html.png onerror=window.__injected=1><script>window.__injected=2</script>"
AUTOLINK = f"http://{TRAP}/bare www.{TRAP}"
# What the DOM must not hold: an element made from the injected text, or a handler it carried.
INJECTED_DOM = f"""() => [...document.querySelectorAll(
    "a[href*='{TRAP}'], img[src*='{TRAP}'], [src*='{TRAP}'], [href*='{TRAP}'], [onerror]")]
    .map(e => e.outerHTML).concat(window.__injected ? ['a script ran: ' + window.__injected] : [])"""


def trap(page) -> list[str]:
    """Every URL the page requests from now on that goes to the trap."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url) if TRAP in request.url else None)
    return seen


def assert_inert(page, seen: list[str], where: str) -> None:
    page.wait_for_timeout(500)  # an image the page would load has been asked for by now
    assert not seen, f"{where}: the browser requested {seen}"
    assert not page.evaluate(INJECTED_DOM), f"{where}: live markup in the DOM: {page.evaluate(INJECTED_DOM)}"
    assert_clean(page, where)


def hostile_query(page_name: str, **fixed: str) -> str:
    values = {"region": LINK, "year": IMAGE, "lang": HTML, "display": IMAGE, f"tab.{page_name}": HTML,
              "scenario": IMAGE}
    return "?" + urlencode({**values, **fixed})


@pytest.mark.parametrize("name", [*PAGES, "planner"])
def test_every_url_parameter_of_every_page_stays_text(page, server, name):
    seen = trap(page)
    path = "" if name == "overview" else name
    page.goto(f"{server}/{path}{hostile_query(name)}")
    names = CATALOG["link.and"]["zh"].join(CATALOG[f"link.{n}"]["zh"] for n in ("lang", "region", "year", "display"))
    toast = CATALOG["shell.bad_link"]["zh"].format(names=names)  # the page says the link was not valid
    page.locator("[data-testid='stToast']").filter(has_text=toast).wait_for(timeout=TIMEOUT)
    wait_rendered(page, TIMEOUT)
    assert_inert(page, seen, f"/{path} with hostile parameters")
    if name == "planner":
        main = page.locator("[data-testid='stMain']").inner_text()
        assert CATALOG["planner.shared_invalid"]["zh"] in main
    assert "region=520000" in page.url and "year=2024" in page.url and "lang=zh" in page.url, page.url


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("device", ["page", "phone"])  # 1440 px, and 390 px with touch
def test_the_planner_with_a_hostile_scenario_link(request, server, artifacts, device, lang):
    page = request.getfixturevalue(device)
    seen = trap(page)
    query = urlencode({"scenario": f"{IMAGE} {LINK} {HTML}", "region": "520500", "lang": lang, "year": IMAGE})
    page.goto(f"{server}/planner?{query}")
    toast = CATALOG["shell.bad_link"][lang].format(names=CATALOG["link.year"][lang])
    page.locator("[data-testid='stToast']").filter(has_text=toast).wait_for(timeout=TIMEOUT)  # shown for 10 s
    open_planner(page, server, "?" + query)
    assert_inert(page, seen, f"/planner?scenario=<hostile> ({lang}, {device})")
    assert CATALOG["planner.shared_invalid"][lang] in page.locator("[data-testid='stMain']").inner_text()
    screenshot(page, artifacts, f"injection-planner-{lang}-{page.viewport_size['width']}")


def test_hostile_saved_names_and_savers_stay_text(page, server, artifacts, demo_home, monkeypatch):
    from cockpit import crop_plan, scenarios
    from models.crop_plan import PlanInputs

    monkeypatch.setenv("COCKPIT_HOME", str(demo_home))
    result = crop_plan.solve(PlanInputs(region="520500", years=2), monte_carlo=100)
    name, by = f"{IMAGE} {HTML} {AUTOLINK}", f"{LINK} =HYPERLINK(\"http://{TRAP}\")"
    ids = [scenarios.save(name, result, by=by), scenarios.save(name, result, by=by)]  # the same name and saver
    seen = trap(page)
    open_planner(page, server, "?" + urlencode({"scenario": ids[0], "region": "520500"}))
    assert page.get_by_label(CATALOG["planner.save_name"]["zh"]).input_value() == name
    compare = page.get_by_role("combobox", name=CATALOG["planner.compare"]["zh"])
    for chosen in range(1, len(ids) + 1):
        compare.click()
        option = page.get_by_role("option").filter(has_text=TRAP).first
        if not option.is_visible():  # the click may land while the page reruns: open the list by key
            page.keyboard.press("ArrowDown")
        option.click()
        page.keyboard.press("Escape")  # close the list: the choice reruns the page
        page.wait_for_function(f"""() => document.querySelectorAll(
            "[data-testid='stMultiSelect'] [data-tag]").length === {chosen}""", timeout=TIMEOUT)
        wait_rendered(page, TIMEOUT)
    page.wait_for_function("""() => document.querySelectorAll("[data-testid='stVegaLiteChart']").length >= 4""",
                           timeout=TIMEOUT)
    wait_rendered(page, TIMEOUT)
    assert_inert(page, seen, "/planner comparing two hostile scenarios with the same name and saver")
    screenshot(page, artifacts, "injection-planner-compare")
    for scenario_id in ids:
        scenarios.delete(scenario_id)


def test_a_hostile_name_typed_into_the_page_stays_text(phone, server, artifacts, demo_home, monkeypatch):
    from cockpit import scenarios

    monkeypatch.setenv("COCKPIT_HOME", str(demo_home))
    page = phone  # typed on a phone: 390 px
    seen = trap(page)
    open_planner(page, server, "?region=520500")
    name = f"{IMAGE} {HTML}"
    page.get_by_label(CATALOG["planner.save_name"]["zh"]).fill(name)
    page.get_by_role("textbox", name=CATALOG["planner.save_by"]["zh"]).fill(LINK)
    page.get_by_role("button", name=CATALOG["planner.save"]["zh"]).click()
    saved = page.locator("[data-testid='stAlertContentSuccess']").filter(has_text="已保存")  # not the headline
    saved.wait_for(timeout=TIMEOUT)
    wait_rendered(page, TIMEOUT)
    assert_inert(page, seen, "/planner after saving a hostile name")
    said = saved.inner_text().replace(JOINER, "")
    assert name in said, f"the name is shown as typed, as text: {said!r}"
    screenshot(page, artifacts, "injection-planner-saved-phone")
    scenarios.delete(page.url.split("scenario=")[1].split("&")[0])
