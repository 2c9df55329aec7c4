"""Driving the cockpit in headless Chromium (Debian's, not a downloaded one): shared by the browser
tests and bench/pages.py so both wait for the same thing."""

import os

CHROMIUM = os.environ.get("COCKPIT_CHROMIUM", "/usr/bin/chromium")
# The machine has no network: without the background-networking flags Chromium keeps trying to reach
# its own services at every start.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# A page is completely rendered when the script has stopped running (Streamlit marks 'notRunning'
# before the first run and 'running' during one), the session is connected, no running indicator,
# a title, no loading skeleton, and every chart drawn.
RENDERED = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (document.querySelector("[data-testid='stStatusWidget']")) return false;
  if (!document.querySelector("[data-testid='stMain'] h1")) return false;
  if (document.querySelector("[data-testid='stSkeleton']")) return false;
  return [...document.querySelectorAll("[data-testid='stVegaLiteChart']")]
    .every(chart => chart.querySelector('canvas, svg'));
}"""
