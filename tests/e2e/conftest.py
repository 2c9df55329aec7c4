"""Browser tests: `cockpit serve` on a free port over the demo warehouse, driven in Debian's Chromium."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from cockpit.headless import CHROMIUM, CHROMIUM_ARGS

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(demo_home):
    """Base URL of a running cockpit (single-user, no sign-in); the server is stopped after the session."""
    yield from serving(demo_home)


def serving(home: Path, **env: str):
    """Serve the cockpit of ``home`` (single-user, no sign-in; extra environment ``env``) on a free port:
    yields its base URL, stops the server after."""
    process, url = start_cockpit(home, "serve.log", "--no-login", env=env)
    yield url
    _stop(process)


def start_cockpit(home: Path, log_name: str, *args: str, port: int | None = None,
                  env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """`cockpit serve ARGS` on a free port over ``home``, once it answers: (process, base URL)."""
    port = port or _free_port()
    log = open(home / log_name, "w")  # noqa: SIM115 - the server writes to it while it runs
    process = subprocess.Popen(
        [sys.executable, "-m", "cockpit.cli", "serve", "--port", str(port), *args],
        env={**os.environ, "COCKPIT_HOME": str(home), **(env or {})}, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,  # `cockpit serve` runs `streamlit run` as a child: stop the whole group
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
            return process, url
        except OSError:
            if process.poll() is not None:
                raise RuntimeError((home / log_name).read_text())
            time.sleep(0.5)
    _stop(process)
    raise RuntimeError("the cockpit did not start within 60 s")


@pytest.fixture(scope="session")
def login_server(demo_home):
    """Base URL of a cockpit behind sign-in through the local demo provider (cockpit/idp.py)."""
    from cockpit import idp

    idp_port, port = _free_port(), _free_port()
    provider = idp.start(idp_port, log=demo_home / "idp.log", own_group=True)
    secrets = idp.write_secrets(f"http://127.0.0.1:{port}", idp_port, demo_home / "login-secrets.toml")
    process, url = start_cockpit(demo_home, "serve-login.log", "--secrets", str(secrets), port=port)
    yield url
    _stop(process)
    _stop(provider)


def _stop(process: subprocess.Popen) -> None:
    """Stop `cockpit serve` and the Streamlit server it started (terminating only the wrapper
    would leave the server running with the warehouse open)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium; or set COCKPIT_CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _page_of(browser, **options):
    """A page in a new browser context (its own cookies and cache), closed after the test."""
    context = browser.new_context(locale="zh-CN", **options)
    yield context.new_page()
    context.close()


@pytest.fixture()
def page(browser):
    yield from _page_of(browser, viewport={"width": 1440, "height": 2600})


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture()
def phone(browser):
    """A phone-sized page (390 px wide, like an iPhone 12-15) with touch and a 2x screen."""
    yield from _page_of(browser, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                        has_touch=True)


@pytest.fixture()
def wall(browser):
    """A 4K wall display (3840 x 2160 CSS pixels, as a wall PC drives it at 100%)."""
    yield from _page_of(browser, viewport={"width": 3840, "height": 2160})
