"""Streamlit entry point: the shell (language, region, year), then the selected page."""

from __future__ import annotations

import streamlit as st

from cockpit import charts, shell
from cockpit.i18n import t
from cockpit.panel import THEMES
from cockpit.views import status, theme

st.set_page_config(page_title="决策驾驶舱 · Decision Cockpit", page_icon="📊", layout="wide")
charts.enable()
params = shell.sidebar()

pages = [
    st.Page(theme.page(name, lambda: params), title=t(f"page.{name}"), url_path=name, default=name == "overview")
    for name in THEMES
]
pages.append(st.Page(status.render, title=t("status.title"), url_path="status"))
st.navigation(pages).run()
