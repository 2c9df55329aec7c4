"""Who the user is comes from the token's claims only, and claims that grant nothing give no user."""

from __future__ import annotations

import pytest

from cockpit import identity

BIJIE = {"is_logged_in": True, "sub": "毕节市领导", "name": "毕节市领导", "roles": ["prefecture_leader"], "region": "520500"}


def test_a_leaders_claims_give_their_user():
    user = identity.from_claims(BIJIE)
    assert user == identity.User(id="毕节市领导", name="毕节市领导", roles=("prefecture_leader",), region="520500")
    assert identity.refusal(BIJIE) is None


@pytest.mark.parametrize(("change", "reason"), [
    ({"is_logged_in": False}, "signed_out"),
    ({"sub": "", "email": ""}, "no_subject"),
    ({"region": None}, "no_region"),
    ({"region": ""}, "no_region"),
    ({"region": "520599"}, "no_region"),  # not a region
    ({"region": "110000"}, "no_region"),  # a region outside the home region
    ({"region": "' OR 1=1 --"}, "no_region"),
    ({"roles": []}, "no_role"),
    ({"roles": ["superuser", "root"]}, "no_role"),
    ({"roles": None}, "no_role"),
    ({"roles": {"admin": True}}, "no_role"),
])
def test_claims_that_grant_nothing_give_no_user_and_say_why(change, reason):
    claims = {**BIJIE, **change}
    assert identity.from_claims(claims) is None
    assert identity.refusal(claims) == reason


def test_claim_names_are_configurable_for_keycloak(monkeypatch):
    monkeypatch.setenv("COCKPIT_ROLES_CLAIM", "realm_access.roles")
    monkeypatch.setenv("COCKPIT_REGION_CLAIM", "xzqh")
    monkeypatch.setenv("COCKPIT_NAME_CLAIM", "preferred_username")
    monkeypatch.setenv("COCKPIT_ROLE_NAMES", "ldjsc_shi=prefecture_leader, offline_access=none")
    claims = {"sub": "u-1", "preferred_username": "张三", "xzqh": "520500",
              "realm_access": {"roles": ["offline_access", "ldjsc_shi"]}}
    assert identity.from_claims(claims) == identity.User("u-1", "张三", ("prefecture_leader",), "520500")


def test_roles_in_one_string_and_repeated():
    user = identity.from_claims({**BIJIE, "roles": "analyst, planner analyst"})
    assert user.roles == ("analyst", "planner")


def test_no_login_is_a_local_admin_of_the_home_region(monkeypatch):
    monkeypatch.setenv(identity.NO_LOGIN_ENV, "1")
    assert identity.current() == identity.User("local", "local", ("admin",), "520000")
