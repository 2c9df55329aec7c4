"""Who may open what: the role → pages table, the user's region scope, and the region a link may show.

Roles and pages are data (``PAGES``), documented in docs/sign-in.md. A user holding several roles may
open every page any of them may. A user's scope is their region and everything below it; an admin's is
the whole home region. Nothing here reads the URL: ``resolve_region`` judges a requested region
against the user's, and the caller falls back, says so and records the refusal (``deny``).
"""

from __future__ import annotations

import threading

from cockpit import audit, query
from cockpit.identity import User
from cockpit.panel import THEMES, Panel
from data_marts import regions

# Which pages each role may open. Leaders read the themed pages; the planner plans at prefecture level
# and above, so a county leader has no planner. Analysts keep the data base (quality, loads, catalog)
# and the rows the ingest rejected (masked); planners the planner and the agriculture page it rests on;
# admins everything.
PAGES: dict[str, tuple[str, ...]] = {
    "province_leader": (*THEMES, "planner"),
    "prefecture_leader": (*THEMES, "planner"),
    "county_leader": THEMES,
    "analyst": ("status", "rejected"),
    "planner": ("planner", "agriculture"),
    "admin": (*THEMES, "planner", "status", "rejected"),
}


def home_region() -> str:
    """The deployment's home region (the ``COCKPIT_REGION`` setting, data_marts/settings.py)."""
    return regions.home()


def pages(user: User) -> tuple[str, ...]:
    """The pages ``user`` may open, in the order of the first role that grants each."""
    return tuple(dict.fromkeys(page for role in user.roles for page in PAGES.get(role, ())))


def may_open(user: User, page: str) -> bool:
    return page in pages(user)


def panel_allowed(user: User, panel: Panel) -> bool:
    return any(role in panel.roles for role in user.roles)


def scope(user: User) -> query.Scope:
    """The region-code prefixes ``user`` may read: their region and below; an admin's home region."""
    return query.Scope.of(home_region() if user.has("admin") else user.region)


def root(user: User) -> str:
    """The region a user's view starts from and may not go above."""
    return home_region() if user.has("admin") else user.region


def resolve_region(requested: str | None, user: User) -> tuple[str, str | None]:
    """(the region to show, why the requested one was refused or None). No request: the user's root;
    not a region of this deployment (unknown, or outside the home region): "invalid"; a region of the
    deployment outside the user's scope: "outside"."""
    start = root(user)
    if requested is None or requested == "":
        return start, None
    if requested not in regions.by_code() or home_region() not in regions.ancestors(requested):
        return start, "invalid"
    if start not in regions.ancestors(requested):
        return start, "outside"
    return requested, None


def options(parent: str, user: User) -> list[str]:
    """A picker's choices below ``parent``: "" (the parent itself) and its children when the user may
    see the parent; only the child on the way to the user's region when the user sits below it."""
    start = root(user)
    if start in regions.ancestors(parent):  # the parent is the user's region or below it
        return ["", *[r.code for r in regions.children(parent)]]
    if parent in regions.ancestors(start):  # the user's region is below the parent
        path = regions.ancestors(start)
        return [path[path.index(parent) - 1]]
    return []


def deny(what: str, user: User | None, **details) -> None:
    """Record a refused access in the audit log (the caller says so on the page)."""
    short = {k: (v[:80] if isinstance(v, str) else v) for k, v in details.items()}
    if user is None:
        audit.record("denied", user="anonymous", what=what, **short)
    else:
        audit.record("denied", user=user.id, role=user.role, region=user.region, what=what, **short)


_seen: set[tuple[str, str]] = set()
_seen_lock = threading.Lock()


def note_signin(user: User, claims: dict) -> None:
    """Record a sign-in once per identity token (its subject and issue time): Streamlit starts a new
    session for every tab, and the callback itself runs no script."""
    token = (user.id, str(claims.get("iat") or claims.get("exp") or ""))
    with _seen_lock:
        if token in _seen:
            return
        _seen.add(token)
    audit.record("signin", user=user.id, role=user.role, region=user.region, roles=",".join(user.roles))


def note_signout(user: User) -> None:
    audit.record("signout", user=user.id, role=user.role, region=user.region)
