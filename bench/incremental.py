"""Benchmark: a small load and a rebuild, with the forecast cache (incremental) against without it (every
series refitted, as before issue 11).

Prints JSON lines; never passes or fails.

Takes an existing demo home (``--home``, e.g. one made by ``cockpit demo --no-serve`` at the default scale)
and works on a copy of its staging store, in a temporary home:

1. ``build``, cache empty: every forecast fitted (this also fills the cache);
2. ``ingest`` a statistics-portal file of 11 rows (one region's 2025 months of one indicator), then
   ``build`` with the cache: only the series whose input changed are refitted (**incremental**);
3. the same build again with the cache deleted (**baseline**: the same input, every series refitted).

Each build runs in its own process (``cockpit build``), so nothing is memoised between them.

    .venv/bin/python bench/incremental.py --home /tmp/homeG
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from data_marts import regions  # noqa: E402

COCKPIT = str(Path(sys.executable).with_name("cockpit"))


def emit(record: dict) -> None:
    print(json.dumps(record, ensure_ascii=False), flush=True)


def small_export(staging: Path, folder: Path) -> Path:
    """A portal export of 11 months of 2025 for the first region's year-to-date budget revenue, continuing
    its 2024 path at the 2024 growth rate (11 rows once melted)."""
    with duckdb.connect(str(staging), read_only=True) as con:
        region = con.execute("SELECT min(region_code) FROM base.economy WHERE indicator = 'fiscal_revenue' "
                             "AND measure = '累计值'").fetchone()[0]
        rows = con.execute("SELECT period, value FROM base.economy WHERE region_code = ? AND indicator = 'fiscal_revenue' "
                           "AND measure = '累计值' AND period LIKE '2024-%' ORDER BY period", [region]).fetchall()
    values = {int(p[5:7]): v for p, v in rows}
    name = regions.name(region)
    months = [m for m in range(12, 1, -1) if m in values]
    header = ",".join(["地区", *[f"2025年{m}月" for m in months]])
    line = ",".join([name, *[f"{values[m] * 1.03:.2f}" for m in months]])
    path = folder / f"{name}月度数据_一般公共预算收入_累计值_2025.csv"
    path.write_bytes("\n".join(["数据库：月度数据", "指标：一般公共预算收入_累计值(亿元)", "时间：2025",
                                "版本：2026-01", header, line, ""]).encode("gb18030"))
    return path


def run(home: Path, *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([COCKPIT, *args], env={**os.environ, "COCKPIT_HOME": str(home)}, capture_output=True,
                          text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"cockpit {' '.join(args)} failed: {done.stdout[-400:]} {done.stderr[-400:]}")
    return seconds, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path, required=True, help="a demo COCKPIT_HOME with staging.duckdb")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        home.mkdir(mode=0o700)
        shutil.copy2(args.home / "staging.duckdb", home / "staging.duckdb")
        cache = home / "cache" / "forecasts.json"
        seconds, _ = run(home, "build")
        series = len(json.loads(cache.read_text(encoding="utf-8"))["results"])
        emit({"bench": "incremental", "step": "full build, empty cache", "seconds": round(seconds, 1), "series": series})
        export = small_export(home / "staging.duckdb", Path(tmp))
        seconds, out = run(home, "ingest", str(export), "--library", "economy")
        emit({"bench": "incremental", "step": "ingest 11 rows", "seconds": round(seconds, 1),
              "said": " ".join(out.split())[:160]})
        stored = json.loads(cache.read_text(encoding="utf-8"))["results"]
        seconds, _ = run(home, "build")
        after = json.loads(cache.read_text(encoding="utf-8"))["results"]
        emit({"bench": "incremental", "step": "build after the load, with the cache", "seconds": round(seconds, 1),
              "series": len(after), "refitted": len(set(after) - set(stored))})
        cache.unlink()
        seconds, _ = run(home, "build")
        emit({"bench": "incremental", "step": "baseline: the same build, cache deleted (every series refitted)",
              "seconds": round(seconds, 1)})


if __name__ == "__main__":
    main()
