"""Roles → pages, scope, and the region a link may show: pure functions, tried exhaustively."""

from __future__ import annotations

import pytest

from cockpit import access, idp
from cockpit.identity import User, from_claims
from cockpit.panel import ROLES, THEMES
from data_marts import regions

USERS = {a.sub: from_claims({"is_logged_in": True, "sub": a.sub, **a.claims()}) for a in idp.ACCOUNTS}
HOSTILE = ["520100", "110000", "' OR 1=1 --", "5" * 5000, "", None, "52", "5205", "520500 ", "５２０５００",
           "<script>", "000000", "-1", "520526\x00"]
CODES = [r.code for r in regions.regions()]


def test_every_role_has_pages_and_every_page_is_someones():
    assert set(access.PAGES) == set(ROLES)
    assert set(THEMES) | {"planner", "status", "rejected"} == {p for pages in access.PAGES.values() for p in pages}
    assert set(access.PAGES["admin"]) == set(THEMES) | {"planner", "status", "rejected"}
    assert access.pages(USERS["分析员"]) == ("status", "rejected")
    assert "status" not in access.pages(USERS["省领导"])
    assert "planner" not in access.pages(USERS["威宁县领导"])


def test_several_roles_open_what_any_of_them_may():
    both = User("x", "x", ("analyst", "planner"), "520000")
    assert set(access.pages(both)) == {"status", "rejected", "planner", "agriculture"}


def _inside(code: str, user: User) -> bool:
    return access.root(user) in regions.ancestors(code)


@pytest.mark.parametrize("account", list(USERS))
def test_a_requested_region_never_widens_scope(account):
    user, scope = USERS[account], access.scope(USERS[account])
    for requested in [*CODES, *HOSTILE]:
        shown, refused = access.resolve_region(requested, user)
        assert scope.allows(shown) and _inside(shown, user), (requested, shown)
        if requested in regions.by_code() and _inside(requested, user):
            assert (shown, refused) == (requested, None)
        elif requested in (None, ""):
            assert (shown, refused) == (access.root(user), None)
        else:
            assert shown == access.root(user)
            of_home = requested in regions.by_code() and access.home_region() in regions.ancestors(requested)
            assert refused == ("outside" if of_home else "invalid"), requested


@pytest.mark.parametrize("account", list(USERS))
def test_pickers_offer_only_the_scope(account):
    user, scope = USERS[account], access.scope(USERS[account])
    for parent in CODES:
        choices = access.options(parent, user)
        for option in choices:
            shown = option or parent
            if not _inside(shown, user):  # only the one way down to the user's region, never a choice
                assert choices == [option] and option in regions.ancestors(access.root(user)), (parent, option)
            else:
                assert scope.allows(shown), (parent, option)


def test_the_bijie_leaders_pickers():
    user = USERS["毕节市领导"]
    assert access.options("520000", user) == ["520500"]
    assert access.options("520500", user)[0] == "" and "520526" in access.options("520500", user)
    assert access.options("520100", user) == []
    weining = USERS["威宁县领导"]
    assert access.options("520000", weining) == ["520500"]
    assert access.options("520500", weining) == ["520526"]


def test_scopes():
    assert access.scope(USERS["毕节市领导"]).prefixes == {"5205"}
    assert access.scope(USERS["威宁县领导"]).prefixes == {"520526"}
    assert access.scope(USERS["省领导"]).prefixes == {"52"}
    assert access.scope(User("a", "a", ("admin",), "520526")).prefixes == {"52"}  # admins: the home region


def test_a_refusal_is_audited(tmp_path, use_home):
    import json

    use_home(tmp_path)
    access.deny("region", USERS["毕节市领导"], reason="outside", requested="5" * 5000)
    record = json.loads(next((tmp_path / "audit").glob("*.jsonl")).read_text())
    assert (record["action"], record["user"], record["what"], record["reason"]) == ("denied", "毕节市领导", "region", "outside")
    assert len(record["requested"]) == 80
