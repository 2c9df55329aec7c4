"""Benchmark: what the audit log costs. Prints one JSON line per figure; never passes or fails on time.

  record    µs per ``audit.record`` (lock, head file, chained hash, append, head update), median of
            ``--repeat`` batches of ``--n`` records, in a fresh folder;
  baseline  µs per plain append of the same JSON line to a file opened once (no lock, no hash, no head):
            the floor any log costs; ``baseline_reopen``: opening the file for each line, as a logger
            shared by several processes must;
  verify    µs per record to verify the chain just written;
  page      a page's server-side render (AppTest running cockpit/app.py, warm caches) with the audit
            hooks on and with ``audit.record`` replaced by a no-op, median of ``--repeat`` runs each,
            and how many records one render wrote (needs a built warehouse: ``--home``).

    .venv/bin/python bench/audit.py --home /tmp/homeG --page overview
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _records(n: int, repeat: int) -> None:
    from cockpit import audit

    details = {"panel": "population.pyramid", "scope": "5205", "sql_hash": "0" * 64, "rows": 120}
    per, plain, reopened, checks = [], [], [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as home:
            os.environ["COCKPIT_HOME"] = home
            start = time.perf_counter()
            for _ in range(n):
                audit.record("query", user="bench", role="analyst", region="520000", **details)
            per.append((time.perf_counter() - start) / n * 1e6)
            start = time.perf_counter()
            assert audit.verify().intact
            checks.append((time.perf_counter() - start) / n * 1e6)
            line = json.dumps({"action": "query", "user": "bench", **details, "prev": "0" * 64, "hash": "0" * 64})
            with open(Path(home) / "plain.jsonl", "a", encoding="utf-8") as out:
                start = time.perf_counter()
                for _ in range(n):
                    out.write(line + "\n")
                    out.flush()
                plain.append((time.perf_counter() - start) / n * 1e6)
            start = time.perf_counter()
            for _ in range(n):
                with open(Path(home) / "reopened.jsonl", "a", encoding="utf-8") as out:
                    out.write(line + "\n")
            reopened.append((time.perf_counter() - start) / n * 1e6)
    for name, values in (("record", per), ("baseline", plain), ("baseline_reopen", reopened), ("verify", checks)):
        print(json.dumps({"figure": name, "us_per_record": round(statistics.median(values), 1), "n": n,
                          "repeat": repeat}))


def _page(home: str, page: str, repeat: int) -> None:
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    os.environ["COCKPIT_HOME"] = home
    from cockpit import audit
    from tests.cockpit.pages import open_app

    real = audit.record
    written: list[str] = []

    def counting(*args, **kwargs):
        written.append(args[0])
        return real(*args, **kwargs)

    def render(record_fn) -> float:
        audit.record = record_fn
        start = time.perf_counter()
        at = open_app(page)
        elapsed = time.perf_counter() - start
        assert not at.exception, at.exception
        return elapsed

    with tempfile.TemporaryDirectory() as folder:
        audit.folder = lambda: Path(folder)  # the bench's records go to a throwaway folder
        render(counting), render(lambda *a, **k: {})  # warm: imports, connection, query caches
        on, off = [], []
        written.clear()
        for _ in range(repeat):  # alternated, so that load on the machine falls on both alike
            on.append(render(counting))
            off.append(render(lambda *a, **k: {}))
    audit.record = real
    on_s, off_s = statistics.median(on), statistics.median(off)
    print(json.dumps({"figure": "page", "page": page, "with_audit_s": round(on_s, 3), "without_audit_s": round(off_s, 3),
                      "overhead_ms": round((on_s - off_s) * 1000, 1), "records_per_render": len(written) // repeat,
                      "repeat": repeat}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--home", help="a COCKPIT_HOME with a built warehouse, for the page figure")
    parser.add_argument("--page", default="overview")
    args = parser.parse_args()
    _records(args.n, args.repeat)
    if args.home:
        _page(args.home, args.page, args.repeat)


if __name__ == "__main__":
    main()
