"""Sign-in in a real browser through the local demo provider: a signed-out browser sees only the
sign-in page on every address; 毕节市领导 signs in and sees Bijie and its counties, not Guiyang, and a
link to Guiyang falls back to Bijie; every demo account is offered exactly its pages, in its region.
Screenshots at 1440 and 390 px in test-artifacts/."""

from __future__ import annotations

import pytest

from cockpit import access, idp
from cockpit.i18n import CATALOG
from cockpit.identity import from_claims
from cockpit.panel import THEMES
from data_marts import regions
from tests.e2e.test_pages_browser import TIMEOUT, screenshot, wait_rendered

pytestmark = pytest.mark.browser

SIGN_IN = CATALOG["signin.button"]["zh"]


def sign_in(page, server: str, account: str) -> None:
    """Through the provider's page; Streamlit brings the browser back to the root (the overview)."""
    page.goto(server)
    page.get_by_role("button", name=SIGN_IN).click(timeout=TIMEOUT)
    page.wait_for_url("**/oauth2/authorize**", timeout=TIMEOUT)
    page.get_by_role("button", name=account, exact=True).click()
    page.wait_for_url(f"{server}/**", timeout=TIMEOUT)
    wait_rendered(page)


@pytest.mark.parametrize("path", ["", "rankings?region=520100", "status", "planner?region=110000", "overview"])
def test_a_signed_out_browser_sees_only_the_sign_in_page(login_server, page, path):
    page.goto(f"{login_server}/{path}")
    wait_rendered(page)
    body = page.inner_text("[data-testid='stMain']")
    assert CATALOG["signin.signed_out"]["zh"] in body
    assert page.get_by_role("button", name=SIGN_IN).is_visible()
    assert not page.locator("[data-testid='stSidebar']").count() or not page.locator(
        "[data-testid='stSidebar'] [data-testid='stSelectbox']").count()
    assert not page.locator("[data-testid='stVegaLiteChart'], [data-testid='stMetric'], [data-testid='stDataFrame']").count()
    assert "贵阳" not in body and "毕节" not in body


def test_the_bijie_leader_sees_bijie_and_its_counties_not_guiyang(login_server, page, phone, artifacts):
    sign_in(page, login_server, "毕节市领导")
    screenshot(page, artifacts, "signin-bijie-overview-1440")
    page.goto(f"{login_server}/rankings")
    wait_rendered(page)
    main = page.inner_text("[data-testid='stMain']")
    assert "毕节市" in main and "威宁" in main, main[:500]
    assert "贵阳" not in main and "遵义" not in main
    sidebar = page.inner_text("[data-testid='stSidebar']")
    assert "毕节市领导" in sidebar
    screenshot(page, artifacts, "signin-bijie-rankings-1440")
    # A link to Guiyang falls back to Bijie, with a notice.
    page.goto(f"{login_server}/?region=520100")
    wait_rendered(page)
    assert CATALOG["shell.out_of_scope"]["zh"].format(region="毕节市") in page.inner_text("body")
    assert "贵阳" not in page.inner_text("[data-testid='stMain']")
    screenshot(page, artifacts, "signin-bijie-guiyang-link-1440")
    # Pages the role may not open are not offered.
    assert CATALOG["status.title"]["zh"] not in page.inner_text("[data-testid='stSidebar']")
    sign_in(phone, login_server, "毕节市领导")
    assert "贵阳" not in phone.inner_text("[data-testid='stMain']")
    screenshot(phone, artifacts, "signin-bijie-overview-390")


def test_signing_out_returns_to_the_sign_in_page(login_server, page):
    sign_in(page, login_server, "威宁县领导")
    page.get_by_role("button", name=CATALOG["signin.signout"]["zh"]).click()
    page.wait_for_timeout(1000)
    page.goto(login_server)
    wait_rendered(page)
    assert page.get_by_role("button", name=SIGN_IN).is_visible()


def _title(name: str) -> str:
    key = {"planner": "planner.title", "status": "status.title", "rejected": "rejected.title"}.get(name, f"page.{name}")
    return CATALOG[key]["zh"]


@pytest.mark.parametrize("account", [a.sub for a in idp.ACCOUNTS])
def test_every_demo_account_is_offered_exactly_its_pages_in_its_region(login_server, page, artifacts, account):
    """Each demo role, signed in through the provider: the navigation lists the pages its roles may open
    and no other, and a leader's first page is about the leader's own region."""
    claims = next(a for a in idp.ACCOUNTS if a.sub == account).claims()
    user = from_claims({"sub": account, **claims})
    sign_in(page, login_server, account)
    offered = {text.strip() for text in page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()}
    allowed = access.pages(user)
    for name in (*THEMES, "planner", "status", "rejected"):
        assert (_title(name) in offered) == (name in allowed), (account, name, offered)
    main = page.inner_text("[data-testid='stMain']")
    if user.has("province_leader", "prefecture_leader", "county_leader"):
        assert regions.name(user.region) in main, main[:300]
    screenshot(page, artifacts, f"signin-{user.role}-first-page-1440")
