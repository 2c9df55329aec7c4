"""Who is using the cockpit: the signed-in user, their roles and their region, from the identity
provider's token claims (``st.user``), never from the URL or the session a browser can edit.

Fails closed: no signed-in user, or a user whose token carries no region or no known role, is
``None`` and sees nothing but the sign-in page (``refusal`` says which in one word). ``COCKPIT_NO_LOGIN=1``
(set only by ``cockpit serve --no-login`` for a single-user laptop) is the one way to run without a
provider: it yields a local administrator of the home region, and every page says so in red.

Claim names are configurable for a bureau whose provider names them otherwise (docs/sign-in.md):
``COCKPIT_ROLES_CLAIM`` (default ``roles``; a dotted path such as ``realm_access.roles`` reads
Keycloak's realm roles), ``COCKPIT_REGION_CLAIM`` (default ``region``), ``COCKPIT_NAME_CLAIM``
(default ``name``) and ``COCKPIT_ROLE_NAMES`` (``provider-role=cockpit-role`` pairs separated by commas,
for a platform whose role names are its own, e.g. ``ldjsc_sheng=province_leader``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cockpit.panel import ROLES

NO_LOGIN_ENV = "COCKPIT_NO_LOGIN"


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


def _claim(claims: dict, path: str):
    """A claim by name, or by a dotted path into nested claims (``realm_access.roles``)."""
    value = claims
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _role_names() -> dict[str, str]:
    pairs = (item.split("=", 1) for item in os.environ.get("COCKPIT_ROLE_NAMES", "").split(",") if "=" in item)
    return {outside.strip(): ours.strip() for outside, ours in pairs}


def roles_of(claims: dict) -> tuple[str, ...]:
    """The known cockpit roles a token grants, in the token's order, each once."""
    raw = _claim(claims, os.environ.get("COCKPIT_ROLES_CLAIM", "roles")) or ()
    if isinstance(raw, str):
        raw = raw.replace(",", " ").split()
    if not isinstance(raw, (list, tuple)):
        return ()
    names = _role_names()
    mapped = (names.get(str(role), str(role)) for role in raw)
    return tuple(dict.fromkeys(role for role in mapped if role in ROLES))


def region_of(claims: dict) -> str | None:
    """The token's region if it is a known region inside the deployment's home region, else None."""
    from cockpit import access
    from data_marts import regions

    code = str(_claim(claims, os.environ.get("COCKPIT_REGION_CLAIM", "region")) or "").strip()
    if code not in regions.by_code():
        return None
    return code if access.home_region() in regions.ancestors(code) else None


def refusal(claims: dict) -> str | None:
    """Why these claims grant nothing ("signed_out", "no_subject", "no_region", "no_role"), or None."""
    if not claims.get("is_logged_in"):
        return "signed_out"
    if not str(claims.get("sub") or claims.get("email") or "").strip():
        return "no_subject"
    if region_of(claims) is None:
        return "no_region"
    if not roles_of(claims):
        return "no_role"
    return None


def from_claims(claims: dict) -> User | None:
    """A ``User`` from a token's claims, or None when the claims do not name a region and a known role
    (or say outright that no one is signed in)."""
    if claims.get("is_logged_in") is False:
        return None
    roles, region = roles_of(claims), region_of(claims)
    subject = str(claims.get("sub") or claims.get("email") or "").strip()
    if not roles or not region or not subject:
        return None
    name = str(_claim(claims, os.environ.get("COCKPIT_NAME_CLAIM", "name")) or subject)
    return User(id=subject, name=name, roles=roles, region=region)


def claims() -> dict:
    """The session's token claims (``st.user``); ``is_logged_in`` is False when no one signed in."""
    import streamlit as st

    found = st.user.to_dict()
    return {**found, "is_logged_in": bool(found.get("is_logged_in"))}


def current() -> User | None:
    """The user of this browser session, or None (not signed in, or claims that grant nothing)."""
    if no_login():
        from cockpit import access

        return User(id="local", name="local", roles=("admin",), region=access.home_region())
    found = claims()
    return from_claims(found) if found["is_logged_in"] else None
