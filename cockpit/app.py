"""Streamlit entry point: frames every page and holds the sidebar (language)."""

from __future__ import annotations

import streamlit as st

from cockpit.i18n import LANGUAGES, t
from cockpit.views import status

st.set_page_config(page_title="决策驾驶舱 · Decision Cockpit", page_icon="📊", layout="wide")

with st.sidebar:
    st.radio(t("lang.label"), options=list(LANGUAGES), format_func=LANGUAGES.get, key="lang", horizontal=True)

pages = [st.Page(status.render, title=t("status.title"), url_path="status", default=True)]  # served at /
st.navigation(pages).run()
