"""Streamlit entry point: sign-in first (fail closed), then the shell (language, region, year) and the
pages the user's roles may open (cockpit/access.py)."""

from __future__ import annotations

import streamlit as st

from cockpit import access, audit, charts, display, errors, identity, shell
from cockpit.i18n import t
from cockpit.panel import THEMES
from cockpit.views import planner, rejected, signin, status, theme

st.set_page_config(page_title="决策驾驶舱 · Decision Cockpit", page_icon="📊", layout="wide",
                   initial_sidebar_state=display.sidebar_state())
user = identity.current()
if user is None:  # no signed-in user, or a token that grants nothing: the sign-in page and nothing else
    with errors.guard("sign-in page"):
        signin.render()
    st.stop()
if not identity.no_login():
    access.note_signin(user, identity.claims())
charts.enable()
signin.banner()
params = shell.sidebar(user)
signin.sidebar(user)
display.apply()
allowed = access.pages(user)


def _page(name: str, render, **options) -> st.Page:
    """A page the user may open, or a hidden one that refuses (a typed address still lands somewhere)."""
    if name in allowed:
        return st.Page(render, **options)
    return st.Page(signin.denied(name, user, options["title"]), **{**options, "visibility": "hidden"})


default = allowed[0]
pages = [
    _page(name, theme.page(name, lambda: params), title=t(f"page.{name}"), default=name == default,
          url_path="start" if name == "overview" else name)
    for name in THEMES
]
pages.append(_page("planner", planner.page(lambda: params), title=t("planner.title"), url_path="planner",
                   default=default == "planner"))
pages.append(_page("status", status.page(lambda: params), title=t("status.title"), url_path="status",
                   default=default == "status"))
pages.append(_page("rejected", rejected.render, title=t("rejected.title"), url_path="rejected",
                   default=default == "rejected"))
# The default page is served at "/"; this hidden twin makes a shared "/overview" link work too.
pages.append(st.Page(theme.page("overview", lambda: params) if "overview" in allowed
                     else signin.denied("overview", user, t("page.overview")),
                     title=t("page.overview"), url_path="overview", visibility="hidden"))
# The last line of defence: what no page foresaw is one sentence in the page language, the details logged.
with errors.guard("page"):
    page = st.navigation(pages)
    # Every page view, whatever the page (audit.md): which page, for which region and year.
    audit.record("view", page=page.url_path or "start", shown_region=params.region, year=params.year)
    page.run()
