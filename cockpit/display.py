"""Wall display (大屏) mode: ``?display=wall`` opens the cockpit for a large screen seen from across
a room: the sidebar starts collapsed and the whole page is zoomed with the screen's width, so a 4K
wall (3840 px) lays the page out like a 1920 px desktop at twice the size. Without the parameter
nothing changes. The mode is kept in the URL and for the rest of the session."""

from __future__ import annotations

import streamlit as st

WALL = "wall"
# CSS zoom scales text and widgets; media queries see the real viewport, so the zoom never feeds back
# into which rule applies. A chart is the exception: Streamlit sizes it to its container's
# getBoundingClientRect(), which is already zoomed, and the zoom would then apply a second time (a chart
# twice as wide as its frame, cut off on the right). Charts are zoomed back to 1, where the two agree.
WALL_CSS = """<style>
@media (min-width: 1800px) { html { zoom: 1.25; } [data-testid='stVegaLiteChart'] { zoom: 0.8; } }
@media (min-width: 2400px) { html { zoom: 1.5; } [data-testid='stVegaLiteChart'] { zoom: 0.6667; } }
@media (min-width: 3200px) { html { zoom: 2; } [data-testid='stVegaLiteChart'] { zoom: 0.5; } }
</style>"""


def mode() -> str:
    """``"wall"`` or ``""``: read from the URL once per session."""
    if "display" not in st.session_state:
        st.session_state["display"] = WALL if st.query_params.get("display") == WALL else ""
    return st.session_state["display"]


def sidebar_state() -> str:
    return "collapsed" if mode() == WALL else "auto"


def apply() -> None:
    """Keep the mode in the URL (page switches drop the query string) and zoom the page."""
    if mode() == WALL:
        st.query_params["display"] = WALL
        st.html(WALL_CSS)  # style only: Streamlit puts it where it takes no space
