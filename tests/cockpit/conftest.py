"""Cockpit tests run as the single-user laptop (``cockpit serve --no-login``: a local administrator of
the home region) unless marked ``signed_in``: those (tests/cockpit/test_scope.py, test_signin.py) give
AppTest a token's claims and test sign-in, roles and scope themselves."""

from __future__ import annotations

import pytest

from cockpit.identity import NO_LOGIN_ENV


@pytest.fixture(autouse=True)
def _single_user(request, monkeypatch):
    if request.node.get_closest_marker("signed_in"):
        monkeypatch.delenv(NO_LOGIN_ENV, raising=False)
    else:
        monkeypatch.setenv(NO_LOGIN_ENV, "1")
