"""The browser baseline for bench/pages.py: Streamlit with the cockpit's config and nothing else of
the cockpit (a title, no sidebar, no data), i.e. what any Streamlit page costs a new browser here."""

import streamlit as st

st.set_page_config(page_title="floor", layout="wide")
st.title("Streamlit")
