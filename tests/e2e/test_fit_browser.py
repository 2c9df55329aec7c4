"""Nothing cut off, at the three sizes a leader reads at. The overview's KPI cards in Chinese and in
English: on a 390 px phone they read in the desktop's order (top to bottom, left to right), and no card's
figure or label is cut off or runs out of its card, at either width. On a 4K wall display every chart
fits its frame."""

from __future__ import annotations

import pytest

from cockpit.panels.overview_kpis import CARDS, PANEL
from tests.e2e.test_pages_browser import assert_clean, wait_rendered

pytestmark = pytest.mark.browser

# The KPI cards are the overview's first st.metric elements, one per entry of CARDS. For each: its label,
# the width its label and figure take when laid out in full (a Range over the text ignores the ellipsis
# Streamlit cuts long text with; scrollWidth is the browser's own overflow, a single pixel of which
# already turns "per capita" into "per cap…") against the width they are given, and its box against the card's.
CARDS_JS = """(n) => [...document.querySelectorAll("[data-testid='stMetric']")].slice(0, n).map(card => {
  const text = (el) => { const r = document.createRange(); r.selectNodeContents(el); return r.getBoundingClientRect(); };
  const label = card.querySelector("[data-testid='stMetricLabel'] [data-testid='stMarkdownContainer']");
  const value = card.querySelector("[data-testid='stMetricValue'] [data-testid='stMarkdownContainer']");
  const box = card.getBoundingClientRect(), shown = text(value);
  return {label: label.innerText.trim(), value: value.innerText.trim(), top: box.top, left: box.left,
          label_needs: text(label).width, label_has: label.getBoundingClientRect().width,
          value_needs: shown.width, value_has: value.getBoundingClientRect().width,
          label_cut: label.scrollWidth > label.clientWidth, value_cut: value.scrollWidth > value.clientWidth,
          inside: shown.left >= box.left - 0.5 && shown.right <= box.right + 0.5};
})"""


def _cards(page, server: str, lang: str) -> list[dict]:
    page.goto(f"{server}/?region=520000&year=2024&lang={lang}")
    wait_rendered(page)
    assert_clean(page, f"/ ({lang}, {page.viewport_size['width']} px)")
    cards = page.evaluate(CARDS_JS, len(CARDS))
    assert len(cards) == len(CARDS), f"{len(cards)} KPI cards on the page, expected {len(CARDS)}"
    return cards


def _reading_order(cards: list[dict]) -> list[str]:
    """Labels as a reader meets them: row by row (cards within 2 px of one top share a row), left to right."""
    return [c["label"] for c in sorted(cards, key=lambda c: (round(c["top"] / 2), c["left"]))]


def _expected(lang: str) -> list[str]:
    return [PANEL.strings[key][lang] for key, *_ in CARDS]


def _assert_fits(cards: list[dict], where: str) -> None:
    for c in cards:
        assert c["value_needs"] <= c["value_has"] + 0.5 and not c["value_cut"] and c["inside"], \
            f"{where}: the figure {c['value']!r} of {c['label']!r} is cut off ({c['value_needs']:.0f} px in {c['value_has']:.0f} px)"
        assert c["label_needs"] <= c["label_has"] + 0.5 and not c["label_cut"], \
            f"{where}: the label {c['label']!r} is cut off ({c['label_needs']:.0f} px in {c['label_has']:.0f} px)"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_kpi_cards_keep_the_desktop_order_on_a_phone_and_fit_their_cards(server, page, phone, lang):
    desk, small = _cards(page, server, lang), _cards(phone, server, lang)
    expected = _expected(lang)
    strip = lambda labels: [label.removesuffix("*").strip() for label in labels]  # noqa: E731 (sampled counts carry " *")
    assert strip(_reading_order(desk)) == expected, "the desktop shows the cards in the order of CARDS"
    assert strip(_reading_order(small)) == expected, "a phone shows the cards in the desktop's order"
    assert len({round(c["left"]) for c in small}) == 1, "a phone shows one card per row"
    _assert_fits(desk, f"1440 px, {lang}")
    _assert_fits(small, f"390 px, {lang}")


# Every chart's drawing against the frame it sits in: Streamlit sizes a chart from a box that the wall's
# CSS zoom has already enlarged, so without the counter-zoom (cockpit/display.py) each was drawn twice as
# wide as its frame and cut off on the right.
CHARTS_JS = """() => [...document.querySelectorAll("[data-testid='stVegaLiteChart']")].map(chart => {
  const drawn = chart.querySelector('canvas, svg').getBoundingClientRect();
  const frame = chart.parentElement.getBoundingClientRect();
  return {drawn: drawn.right, frame: frame.right};
})"""


def test_charts_fit_their_frames_on_a_wall_display(server, wall):
    wall.goto(f"{server}/agriculture?region=520000&year=2024&lang=en&display=wall")
    wait_rendered(wall)
    assert_clean(wall, "/agriculture?display=wall")
    found = wall.evaluate(CHARTS_JS)
    assert found, "the agriculture page draws charts"
    for chart in found:
        assert chart["drawn"] <= chart["frame"] + 1, f"a chart runs {chart['drawn'] - chart['frame']:.0f} px out of its frame"
