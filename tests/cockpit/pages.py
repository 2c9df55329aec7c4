"""The real cockpit (cockpit/app.py) in AppTest, opened on any of its pages with a query string."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

APP = Path(__file__).resolve().parents[2] / "cockpit" / "app.py"
THEMED = ("overview", "population", "enterprise", "housing", "economy", "agriculture", "rankings")
PAGES = (*THEMED, "planner", "status", "rejected")


def open_app(page: str, query: dict[str, str] | None = None, timeout: int = 180) -> AppTest:
    """Run cockpit/app.py once with ``query`` as the URL's parameters, on ``page`` (a url_path).

    AppTest.switch_page takes page files only; the cockpit's pages are functions, which Streamlit 1.67
    identifies by the hash of their url_path (the overview is served at "/", its url_path is "start")."""
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    at._page_hash = calc_hash("start" if page == "overview" else page)
    return at.run()
