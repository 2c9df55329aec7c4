"""Benchmark: demo generation, ingest and mart build — time and peak memory — against baselines.

Prints one JSON line per figure. Baselines, in the same run:
  (a) a pandas implementation of population_structure and enterprise_dynamics;
  (b) one DuckDB scan of base.population (the floor any population mart must read).
Each phase runs in its own process so its peak RSS is its own (os.wait4).

    .venv/bin/python bench/build.py --scales 0.1 1
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PHASES = {
    "generate": "from data_marts.demo.generate import generate; from data_marts import paths; "
                "generate(paths.inbox(), scale={scale}, seed=20241231)",
    "ingest": "from data_marts.ingest import ingest_folder; from data_marts import paths; ingest_folder(paths.inbox())",
    "build": "import json; from data_marts.build import build; r = build(); "
             "print('STEPS=' + json.dumps(r.step_seconds))",
    "floor_scan": "import duckdb, time; from data_marts import paths; "
                  "con = duckdb.connect(str(paths.warehouse()), read_only=True); t = time.perf_counter(); "
                  "con.execute(\"SELECT count(*), count(DISTINCT residence_code), min(birth_date), max(settle_date), "
                  "max(origin_code), max(leave_date), max(death_date), max(sex), max(housing_id) "
                  "FROM base.population\").fetchall(); print('SECONDS=' + str(time.perf_counter() - t))",
    "pandas_baseline": "import runpy; runpy.run_path('bench/pandas_marts.py', run_name='__main__')",
}


def run_phase(name: str, home: Path, scale: float, phases: dict[str, str] = PHASES, bench: str = "build") -> dict:
    """Run one phase's code in its own process; each line ``JSON={...}`` it prints is kept in ``figures``."""
    code = phases[name].format(scale=scale)
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "COCKPIT_HOME": str(home)})
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"phase {name} failed with status {status}")
    record = {"bench": bench, "scale": scale, "phase": name, "seconds": round(seconds, 2),
              "peak_rss_gib": round(usage.ru_maxrss / 2**20, 3)}
    for line in output.splitlines():
        if line.startswith("STEPS="):
            record["step_seconds"] = json.loads(line[6:])
        elif line.startswith("SECONDS="):
            record["query_seconds"] = round(float(line[8:]), 3)
        elif line.startswith("PANDAS="):
            record.update(json.loads(line[7:]))
        elif line.startswith("JSON="):
            record.setdefault("figures", []).append(json.loads(line[5:]))
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=float, nargs="+", default=[0.1, 1.0])
    parser.add_argument("--home", type=Path, help="keep the data here instead of a temporary folder")
    parser.add_argument("--phases", nargs="+", choices=list(PHASES), default=list(PHASES),
                        help="run only these phases (e.g. build floor_scan over a kept --home)")
    args = parser.parse_args()
    for scale in args.scales:
        with tempfile.TemporaryDirectory(prefix="cockpit-bench-") as tmp:
            home = (args.home / f"scale-{scale}") if args.home else Path(tmp)
            home.mkdir(parents=True, exist_ok=True)
            records = {}
            for name in args.phases:
                records[name] = run_phase(name, home, scale)
                print(json.dumps(records[name], ensure_ascii=False), flush=True)
            if not {"build", "floor_scan"} <= set(records):
                continue
            steps = records["build"].get("step_seconds", {})
            population = sum(steps.get(k, 0) for k in
                             ("residence_spells", "population_events", "person_counts", "person_counts_shown",
                              "population_structure", "population_dynamics", "person_housing_link"))
            floor = records["floor_scan"]["query_seconds"]
            pandas = records.get("pandas_baseline", {})  # from an earlier run if not measured now
            print(json.dumps({
                "bench": "build", "scale": scale, "summary": True,
                "build_seconds": records["build"]["seconds"],
                "build_peak_rss_gib": records["build"]["peak_rss_gib"],
                "population_marts_seconds": round(population, 3),
                # complementary suppression (the audit run again before publishing is in "invariants")
                "disclosure_seconds": round(steps.get("person_count_relations", 0) + steps.get("person_count_suppression", 0), 3),
                "floor_scan_seconds": floor,
                "population_marts_over_floor": round(population / floor, 2) if floor else None,
                "duckdb_population_structure_seconds": steps.get("population_structure"),
                "duckdb_enterprise_dynamics_seconds": steps.get("enterprise_dynamics"),
                "pandas_population_structure_seconds": pandas.get("pandas_population_structure_seconds"),
                "pandas_enterprise_dynamics_seconds": pandas.get("pandas_enterprise_dynamics_seconds"),
            }, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
