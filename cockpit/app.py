"""Streamlit entry point: the shell (language, region, year), then the selected page."""

from __future__ import annotations

import streamlit as st

from cockpit import audit, charts, display, errors, shell
from cockpit.i18n import t
from cockpit.panel import THEMES
from cockpit.views import planner, rejected, status, theme

st.set_page_config(page_title="决策驾驶舱 · Decision Cockpit", page_icon="📊", layout="wide",
                   initial_sidebar_state=display.sidebar_state())
charts.enable()
params = shell.sidebar()
display.apply()

pages = [
    st.Page(theme.page(name, lambda: params), title=t(f"page.{name}"), default=name == "overview",
            url_path="start" if name == "overview" else name)
    for name in THEMES
]
pages.append(st.Page(planner.page(lambda: params), title=t("planner.title"), url_path="planner"))
pages.append(st.Page(status.render, title=t("status.title"), url_path="status"))
pages.append(st.Page(rejected.render, title=t("rejected.title"), url_path="rejected"))  # analysts, admins
# The default page is served at "/"; this hidden twin makes a shared "/overview" link work too.
pages.append(st.Page(theme.page("overview", lambda: params), title=t("page.overview"), url_path="overview",
                     visibility="hidden"))
# The last line of defence: what no page foresaw is one sentence in the page language, the details logged.
with errors.guard("page"):
    page = st.navigation(pages)
    # Every page view, whatever the page (audit.md): which page, for which region and year.
    audit.record("view", page=page.url_path or "start", shown_region=params.region, year=params.year)
    page.run()
