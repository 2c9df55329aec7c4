"""Wall display mode (?display=wall): zoomed with the screen width, sidebar collapsed, kept in the URL;
without the parameter the page is untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "cockpit" / "app.py")


def _styles(at: AppTest) -> list[str]:
    return [h.proto.body for h in at.get("html")]


@pytest.mark.parametrize("wall", [True, False])
def test_wall_mode_comes_from_the_link_and_stays_in_it(demo_home, monkeypatch, wall):
    monkeypatch.setenv("COCKPIT_HOME", str(demo_home))
    at = AppTest.from_file(APP, default_timeout=120)
    if wall:
        at.query_params["display"] = "wall"
    at.run()
    assert not at.exception and not at.error
    zoom = [s for s in _styles(at) if "zoom" in s]
    if wall:
        assert zoom and "@media (min-width: 3200px) { html { zoom: 2; }" in zoom[0]
        assert at.query_params["display"] == "wall"
        assert at.session_state["display"] == "wall"
    else:
        assert not zoom and "display" not in at.query_params


def test_an_unknown_display_is_the_desktop(demo_home, monkeypatch):
    monkeypatch.setenv("COCKPIT_HOME", str(demo_home))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["display"] = "<script>"
    at.run()
    assert not at.exception and not [s for s in _styles(at) if "zoom" in s]
    assert at.session_state["display"] == ""
