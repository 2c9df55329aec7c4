"""Who is using the cockpit: the signed-in user, their roles and their region, from the identity
provider's token claims (``st.user``), never from the URL or the session a browser can edit.

Fails closed: no signed-in user, or a user whose token carries no region or no known role, is
``None`` and sees nothing but the sign-in page. ``COCKPIT_NO_LOGIN=1`` (set only by
``cockpit serve --no-login`` for a single-user laptop) is the one way to run without a provider: it
yields a local administrator of the home region, and every page says so in red.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cockpit.panel import ROLES

NO_LOGIN_ENV = "COCKPIT_NO_LOGIN"
# Claim names, overridable by a bureau whose provider names them otherwise (docs/sign-in.md).
ROLES_CLAIM = os.environ.get("COCKPIT_ROLES_CLAIM", "roles")
REGION_CLAIM = os.environ.get("COCKPIT_REGION_CLAIM", "region")


@dataclass(frozen=True)
class User:
    id: str  # the token's subject (or e-mail), what the audit log records
    name: str
    roles: tuple[str, ...]
    region: str  # GB/T 2260 code of the region the user may see, with everything below it

    @property
    def role(self) -> str:
        """The user's first known role (a user may hold several; pages check ``has``)."""
        return self.roles[0]

    def has(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)


def no_login() -> bool:
    return os.environ.get(NO_LOGIN_ENV) == "1"


def from_claims(claims: dict) -> User | None:
    """A ``User`` from a token's claims, or None when the claims do not name a region and a known role."""
    raw = claims.get(ROLES_CLAIM) or ()
    if isinstance(raw, str):
        raw = raw.replace(",", " ").split()
    roles = tuple(role for role in raw if role in ROLES)
    region = str(claims.get(REGION_CLAIM) or "").strip()
    subject = str(claims.get("sub") or claims.get("email") or "").strip()
    if not roles or not region or not subject:
        return None
    return User(id=subject, name=str(claims.get("name") or subject), roles=roles, region=region)


def current() -> User | None:
    """The user of this browser session, or None (not signed in, or claims that grant nothing)."""
    if no_login():
        from data_marts import regions

        return User(id="local", name="local", roles=("admin",), region=regions.PROVINCE)
    import streamlit as st

    if not st.user.is_logged_in:
        return None
    return from_claims(st.user.to_dict())
