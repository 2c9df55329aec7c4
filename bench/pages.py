"""Benchmark: each cockpit page's render time, server-side (AppTest, cold and warm) and in headless
Chromium (time to a complete first render), against a raw-DuckDB baseline in the same run.

Prints one JSON line per figure; never passes or fails on time.

Server side (in this process, Streamlit's AppTest running the real ``cockpit/app.py``):
  cold  the query layer's caches emptied first (``st.cache_data`` and the SQL-rewrite cache); the
        DuckDB connection and the OS file cache stay warm;
  warm  the same page run again (median of ``--repeat`` runs).
Baseline: every warehouse read the cold run made, run again straight on a fresh DuckDB connection
(median of 3), so ``cold - baseline`` is what Streamlit, Python and the cache layer add.
These times end with the script's last line: what the server does after a run before the browser
hears it has finished (e.g. a file-watcher scan, a forced garbage collection) shows only in the
browser figures.

Browser (``cockpit serve`` in a subprocess, Debian's Chromium through Playwright), for each page a
fresh server, warmed by one visit to /status (imports, no mart reads):
  first   a new browser opening the page: the page's mart reads are cold on the server;
  warm    another new browser opening it again (server caches warm);
  cached  a new tab of that second browser: a new Streamlit session, but the browser already holds
          Streamlit's scripts (served as immutable for a year), as for a leader coming back.
Baseline: the same three figures for bench/floor_app.py, a Streamlit page holding only a title,
served the same way (``"page": "streamlit-floor"``): what Streamlit itself costs a new browser here.
Each new browser starts with an empty cache, so first and warm include loading ~5 MB of
Streamlit's JavaScript; cached does not.
A page with tabs is measured once per tab (``"tab"`` in the record; the first tab is what a link to
the page opens, the others are opened by their link ``?tab.<page>=<label>``).
"Complete" means Streamlit's script run has finished, no loading skeleton is left and every chart
has drawn (the same condition as tests/e2e/test_pages_browser.py).

    .venv/bin/python bench/pages.py --home /tmp/homeG          # a prepared COCKPIT_HOME
    .venv/bin/python bench/pages.py --home /tmp/homeG --login-compare 5   # overview behind sign-in vs --no-login
    .venv/bin/python bench/pages.py --scales 0.1 1             # build demos into temporary folders
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cockpit.headless import CHROMIUM, CHROMIUM_ARGS, RENDERED  # noqa: E402

PAGES = ["overview", "population", "enterprise", "housing", "economy", "agriculture", "rankings", "status"]


def views(pages: list[str]) -> list[tuple[str, str | None]]:
    """(page, tab) for every page and each tab after its first (None: the page as a link opens it)."""
    from cockpit import panel
    from cockpit.views.theme import sections

    found = []
    for name in pages:
        found.append((name, None))
        if name in panel.THEMES:
            found += [(name, label) for label in list(sections(panel.for_theme(name), "zh"))[1:]]
    return found


def emit(record: dict) -> None:
    print(json.dumps(record, ensure_ascii=False), flush=True)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)



def build_demo(home: Path, scale: float) -> None:
    from cockpit.batch import derived_marts
    from data_marts.build import build
    from data_marts.demo import generate
    from data_marts.ingest import ingest_folder

    started = time.perf_counter()
    generate.generate(home / "inbox", scale=scale, seed=20241231)
    ingest_folder(home / "inbox")
    # With the derived marts (forecasts, projections), as `cockpit build` makes them: pages read them.
    build(settings={"person_sample_rate": str(scale), "demo_seed": "20241231"}, derived=derived_marts())
    emit({"bench": "pages", "scale": scale, "phase": "demo_build", "seconds": round(time.perf_counter() - started, 1)})


def sample_rate(home: Path) -> float | None:
    import duckdb

    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        row = con.execute("SELECT value FROM meta.settings WHERE key = 'person_sample_rate'").fetchone()
    return float(row[0]) if row else None



@contextmanager
def recording_reads():
    """Record every warehouse read (sql, params, seconds) the page makes; the one way into DuckDB."""
    from cockpit import warehouse

    original, reads = warehouse.query, []

    def query(sql, params=None):
        started = time.perf_counter()
        result = original(sql, params)  # a failing read is the page's problem, not a baseline to replay
        reads.append((sql, list(params or []), time.perf_counter() - started))
        return result

    warehouse.query = query
    try:
        yield reads
    finally:
        warehouse.query = original


@contextmanager
def timing_panels(runs: dict[str, list[float]]):
    """Seconds per panel (by id) of every page run, through the themed page's one call per panel."""
    from cockpit.views import theme

    original = theme.render_panel

    def render_panel(item, params):
        started = time.perf_counter()
        try:
            return original(item, params)
        finally:
            runs.setdefault(item.id, []).append(time.perf_counter() - started)

    theme.render_panel = render_panel
    try:
        yield runs
    finally:
        theme.render_panel = original


def open_page(at, name: str) -> None:
    """Point an AppTest at one of the app's st.navigation pages (function pages have no file, so
    AppTest.switch_page cannot reach them; match the registered url path instead)."""
    pages = getattr(at, "_registered_pages", None)
    if not pages:
        raise SystemExit("this Streamlit's AppTest does not expose registered pages; update bench/pages.py")
    wanted = "" if name == "overview" else name  # the default page is served at the root
    match = [h for h, info in pages.items() if info.get("url_pathname") in (wanted, name)]
    if not match:
        raise SystemExit(f"page {name!r} is not registered: {[i.get('url_pathname') for i in pages.values()]}")
    at._page_hash = match[0]


def problems(at) -> list[str]:
    found = [f"exception: {e.value}"[:200] for e in at.exception]
    return found + [f"error: {e.value}"[:200] for e in at.error]


def raw_duckdb(path: Path, reads: list[tuple[str, list, float]], repeat: int = 3) -> float:
    """Seconds to run the same reads on a fresh read-only connection (median of ``repeat``)."""
    import duckdb

    # Same configuration as the cockpit's connection: DuckDB refuses two configurations of one file
    # in a process (the database instance, and so its buffer cache, is shared: a warm baseline).
    con = duckdb.connect(str(path), read_only=True, config={"enable_external_access": False})
    try:
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            for sql, params, _ in reads:
                con.sql(sql, params=params or None).to_arrow_table()
            times.append(time.perf_counter() - started)
        return statistics.median(times)
    finally:
        con.close()


def server_side(home: Path, scale: float | None, pages: list[str], repeat: int) -> dict[str, dict]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from cockpit import query

    results = {}
    for name, tab in views(pages):
        at = AppTest.from_file(str(ROOT / "cockpit" / "app.py"), default_timeout=900)
        started = time.perf_counter()
        at.run()  # registers the pages (and renders the default one)
        first_session = time.perf_counter() - started
        open_page(at, name)
        if tab:
            at.session_state[f"tab.{name}"] = tab  # what a click on the tab (or its link) sets
        st.cache_data.clear()
        query.scoped_sql.cache_clear()
        with recording_reads() as reads:
            started = time.perf_counter()
            at.run()
            cold = time.perf_counter() - started
        trouble = problems(at)
        warm_runs, panel_runs = [], {}
        with recording_reads() as warm_reads, timing_panels(panel_runs):
            for _ in range(repeat):
                started = time.perf_counter()
                at.run()
                warm_runs.append(time.perf_counter() - started)
        baseline = raw_duckdb(home / "warehouse.duckdb", reads)
        title = at.title[0].value if at.title else None
        record = {
            "bench": "pages", "scale": scale, "page": name, "tab": tab, "kind": "server", "title": title,
            "cold_ms": ms(cold), "warm_ms": ms(statistics.median(warm_runs)),
            "warm_runs_ms": [ms(t) for t in warm_runs],
            "reads": len(reads), "reads_in_cold_ms": ms(sum(t for *_, t in reads)),
            "baseline_duckdb_ms": ms(baseline),
            "cold_over_baseline_ms": ms(cold - baseline),
            "uncached_reads_per_warm_run": round(len(warm_reads) / max(repeat, 1), 1),
            "panels_warm_ms": {k: ms(statistics.median(v)) for k, v in panel_runs.items()},
            "new_session_first_run_ms": ms(first_session),
            "problems": trouble,
        }
        emit(record)
        results[(name, tab)] = record
    return results



def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


FLOOR_APP = ROOT / "bench" / "floor_app.py"


@contextmanager
def serving(home: Path, app: Path | None = None, serve_args: tuple[str, ...] = ("--no-login",),
            port: int | None = None):
    """``cockpit serve`` on a free port (single-user unless ``serve_args`` say otherwise); with ``app``,
    plain ``streamlit run app`` (same config)."""
    port = port or free_port()
    command = ([sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port)] if app
               else [sys.executable, "-m", "cockpit.cli", "serve", "--port", str(port), *serve_args])
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "COCKPIT_HOME": str(home)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)  # `cockpit serve` runs streamlit as a child
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("cockpit serve did not start")
                time.sleep(0.3)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the wrapper and the Streamlit server it started
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


SCRIPT_DONE = """() => document.querySelector("[data-testid='stApp']")
    ?.getAttribute('data-test-script-state') === 'notRunning'"""


def new_browser(browser):
    return browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")


def visit(context, url: str, timeout_ms: int) -> dict:
    """A new tab of ``context`` opening ``url`` (a new Streamlit session): milliseconds to the page's
    load event, to the end of the script run, and to the complete render; problems (error boxes, a
    timeout) as text."""
    page = context.new_page()
    figures: dict = {"problems": []}
    try:
        started = time.perf_counter()
        page.goto(url)
        figures["load_ms"] = ms(time.perf_counter() - started)
        page.wait_for_function(SCRIPT_DONE, timeout=timeout_ms)
        figures["script_done_ms"] = ms(time.perf_counter() - started)
        page.wait_for_function(RENDERED, timeout=timeout_ms)
        figures["complete_ms"] = ms(time.perf_counter() - started)
        errors = page.locator("[data-testid='stException'], [data-testid='stAlertContentError']").all_inner_texts()
        figures["problems"] = [e[:200] for e in errors]
    except Exception as error:  # a page that never completes is a figure too, not a crash
        figures["problems"].append(f"{type(error).__name__}: {str(error).splitlines()[0][:200]}")
    finally:
        page.close()
    return figures


def in_browser(home: Path, scale: float | None, pages: list[str], timeout_s: int, rounds: int = 1) -> dict:
    """Browser figures per view; with ``rounds`` > 1 every view is measured that many times, one round
    over all views after another (so a passing burst of load on the machine hits one round, not one
    page), and the median of each figure is reported with every run."""
    from playwright.sync_api import sync_playwright

    runs: dict[tuple[str, str | None], list[dict]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _ in range(rounds):
                # The baseline first in each round: Streamlit alone, no cockpit (bench/floor_app.py).
                runs.setdefault(("streamlit-floor", None), []).append(_visits(browser, home, None, None, timeout_s))
                for name, tab in views(pages):
                    runs.setdefault((name, tab), []).append(_visits(browser, home, name, tab, timeout_s))
        finally:
            browser.close()
    results = {}
    for (name, tab), measured in runs.items():
        figures = {kind: _median([m[kind].get("complete_ms") for m in measured]) for kind in ("first", "warm", "cached")}
        record = {"bench": "pages", "scale": scale, "page": name, "tab": tab, "kind": "browser", "rounds": len(measured),
                  **{f"{kind}_ms": value for kind, value in figures.items()},
                  "first_runs_ms": [m["first"].get("complete_ms") for m in measured], "runs": measured,
                  "problems": [p for m in measured for kind in ("first", "warm", "cached") for p in m[kind]["problems"]]}
        emit(record)
        results[(name, tab)] = record
    return results


def _median(values: list) -> float | None:
    return None if None in values else round(statistics.median(values), 1)


def _visits(browser, home: Path, name: str | None, tab: str | None, timeout_s: int) -> dict:
    """One fresh server for the view: a warm-up visit (/status; the floor app's page itself when
    ``name`` is None), then first, warm and cached."""
    path = "" if name in ("overview", None) else name  # the default page is served at the root
    path += f"?{urllib.parse.urlencode({f'tab.{name}': tab})}" if tab else ""
    with serving(home, FLOOR_APP if name is None else None) as url:
        figures = {}
        warmup = f"{url}/" if name is None else f"{url}/status"
        for kind, address in (("warmup", warmup), ("first", f"{url}/{path}")):
            context = new_browser(browser)
            figures[kind] = visit(context, address, timeout_s * 1000)
            context.close()
        context = new_browser(browser)
        figures["warm"] = visit(context, f"{url}/{path}", timeout_s * 1000)
        figures["cached"] = visit(context, f"{url}/{path}", timeout_s * 1000)  # same browser, new tab
        context.close()
    return figures


@contextmanager
def demo_provider(folder: Path):
    """The local demo sign-in provider (cockpit/idp.py) in a child process, logging into ``folder``: (its port)."""
    from cockpit import idp

    port = free_port()
    process = idp.start(port, log=folder / "idp.log", own_group=True)
    try:
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


def sign_in_cookies(browser, url: str, account: str, timeout_ms: int) -> list[dict]:
    """Sign ``account`` in through the demo provider in a new browser; its cookies."""
    from cockpit.i18n import CATALOG

    context = new_browser(browser)
    try:
        page = context.new_page()
        page.goto(f"{url}/status")
        page.get_by_role("button", name=CATALOG["signin.button"]["zh"]).click(timeout=timeout_ms)
        page.wait_for_url("**/oauth2/authorize**", timeout=timeout_ms)
        page.get_by_role("button", name=account, exact=True).click()
        page.wait_for_url(f"{url}/**", timeout=timeout_ms)
        page.wait_for_function(SCRIPT_DONE, timeout=timeout_ms)
        return context.cookies()
    finally:
        context.close()


def login_compare(home: Path, scale: float | None, repeat: int, timeout_s: int) -> None:
    """The overview's first render behind sign-in (省领导, signed in before) against ``--no-login``, in
    the same run: for each repetition and mode a fresh server, a warm-up visit to /status (no mart
    reads; a leader is refused it in one sentence), then a new browser opening the overview."""
    from playwright.sync_api import sync_playwright

    from cockpit import idp

    figures: dict[str, list] = {"no_login": [], "login": []}
    with (tempfile.TemporaryDirectory(prefix="cockpit-login-") as tmp, sync_playwright() as playwright,
          demo_provider(Path(tmp)) as idp_port):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        port = free_port()  # one port for every login server: the cookie names its origin
        secrets = idp.write_secrets(f"http://127.0.0.1:{port}", idp_port, Path(tmp) / "secrets.toml")
        login_args = ("--secrets", str(secrets))
        with serving(home, serve_args=login_args, port=port) as url:
            cookies = sign_in_cookies(browser, url, "省领导", timeout_s * 1000)
        emit({"bench": "pages", "phase": "signed_in", "cookies": len(cookies)})
        try:
            for _ in range(repeat):
                for mode, args in (("no_login", ("--no-login",)), ("login", login_args)):
                    with serving(home, serve_args=args, port=port) as url:
                        for kind in ("warmup", "first"):
                            context = new_browser(browser)
                            if mode == "login":
                                context.add_cookies(cookies)
                            measured = visit(context, f"{url}/{'status' if kind == 'warmup' else ''}", timeout_s * 1000)
                            context.close()
                        figures[mode].append(measured)
                        emit({"bench": "pages", "page": "overview", "kind": "browser-first-run", "mode": mode,
                              "complete_ms": measured.get("complete_ms"), "problems": measured["problems"]})
        finally:
            browser.close()
    for mode, runs in figures.items():
        emit({"bench": "pages", "scale": scale, "page": "overview", "kind": "browser-first", "mode": mode,
              "repeat": len(runs), "first_ms": _median([r.get("complete_ms") for r in runs]),
              "runs_ms": [r.get("complete_ms") for r in runs], "problems": [p for r in runs for p in r["problems"]]})


def worst(values) -> float | None:
    """The largest figure; None when there is none or a page never completed."""
    values = list(values)
    return None if not values or None in values else max(values)


def run(home: Path, scale: float | None, args) -> None:
    os.environ["COCKPIT_HOME"] = str(home)
    scale = scale if scale is not None else sample_rate(home)
    if args.login_compare:
        login_compare(home, scale, args.login_compare, args.timeout)
        return
    os.environ["COCKPIT_NO_LOGIN"] = "1"  # the server-side figures run as the single-user laptop (AppTest)
    server = server_side(home, scale, args.pages, args.repeat)
    browser = {} if args.no_browser else in_browser(home, scale, args.pages, args.timeout, args.rounds)
    emit({
        "bench": "pages", "scale": scale, "summary": True, "home": str(home),
        "server_warm_ms_max": max(r["warm_ms"] for r in server.values()),
        "server_cold_ms_max": max(r["cold_ms"] for r in server.values()),
        "baseline_duckdb_ms_max": max(r["baseline_duckdb_ms"] for r in server.values()),
        "browser_first_ms_max": worst(r["first_ms"] for v, r in browser.items() if v[0] != "streamlit-floor"),
        "browser_floor_first_ms": browser.get(("streamlit-floor", None), {}).get("first_ms"),
        "browser_warm_ms_max": worst(r["warm_ms"] for v, r in browser.items() if v[0] != "streamlit-floor"),
        "browser_cached_ms_max": worst(r["cached_ms"] for v, r in browser.items() if v[0] != "streamlit-floor"),
        "pages_with_problems": sorted({"/".join(filter(None, v)) for v, r in [*server.items(), *browser.items()]
                                       if r["problems"]}),
    })


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--home", type=Path, help="a prepared COCKPIT_HOME (read only: the warehouse is only read)")
    where.add_argument("--scales", type=float, nargs="+", default=[0.1, 1.0],
                       help="build a demo at each scale into a temporary folder (default 0.1 and 1)")
    parser.add_argument("--pages", nargs="+", default=PAGES, choices=PAGES)
    parser.add_argument("--repeat", type=int, default=5, help="warm runs per page (median reported)")
    parser.add_argument("--timeout", type=int, default=300, help="seconds a browser waits for one page")
    parser.add_argument("--no-browser", action="store_true", help="server-side figures only")
    parser.add_argument("--rounds", type=int, default=1, help="browser rounds over all pages (medians reported)")
    parser.add_argument("--login-compare", type=int, default=0, metavar="N",
                        help="only the overview's first render behind sign-in against --no-login, N repetitions each")
    args = parser.parse_args()
    if args.home:
        if not (args.home / "warehouse.duckdb").exists():
            parser.error(f"{args.home} holds no warehouse.duckdb")
        run(args.home.resolve(), None, args)
        return
    for scale in args.scales:
        with tempfile.TemporaryDirectory(prefix="cockpit-pages-") as tmp:
            os.environ["COCKPIT_HOME"] = tmp
            build_demo(Path(tmp), scale)
            run(Path(tmp), scale, args)


if __name__ == "__main__":
    main()
