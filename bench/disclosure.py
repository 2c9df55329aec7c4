"""Benchmark: disclosure control — person counts withheld under k (primary) and to protect them
(complementary), per mart and measure, what the audit found, and what it costs the build.

Prints one JSON line per figure. Baseline, in the same run: the same build with primary suppression only
(the disclosure step swapped for one that withholds the counts under k and nothing else, without the
audit), so the difference in build time is the price of complementary suppression and of both audits.
Each build runs in its own process (bench/build.py's ``run_phase``), on the same demo data.

    .venv/bin/python bench/disclosure.py --scales 0.002 0.01
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import tempfile
from pathlib import Path

_spec = importlib.util.spec_from_file_location("bench_build", Path(__file__).with_name("build.py"))
bench_build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_build)

# Which mart shows each measure (the population also as population_prev, and in region_profile).
MARTS = {"persons": "population_structure", "births": "population_dynamics", "deaths": "population_dynamics",
         "moved_in": "population_dynamics", "moved_out": "population_dynamics", "population": "population_dynamics",
         "residents": "person_housing_link", "residents_linked": "person_housing_link", "children": "school_places"}

_PRIMARY_ONLY = """
from data_marts import derived
from data_marts.disclosure import step
def compute(read):
    cells = step.problem(read)
    primary = cells.published & (cells.values < step.k_min(read))
    return step.pattern(cells, primary, primary & False)
derived.builtin = lambda: [step.MART.model_copy(update=dict(compute=compute, verify=None))]
"""
_BUILD = """
import json
from cockpit.batch import population_projection, school_places
from data_marts.build import build
r = build(derived=[population_projection.MART, school_places.MART])
print("STEPS=" + json.dumps(r.step_seconds))
print("JSON=" + json.dumps({{"build_seconds": round(r.seconds, 2)}}))
"""
_FIGURES = """
import json, shutil, time
import duckdb, numpy as np
from data_marts import mart_files, paths
from data_marts.derived import reader
from data_marts.disclosure import step, suppress
from data_marts.disclosure.audit import audit
copy = paths.home() / "bench-disclosure.duckdb"
shutil.copyfile(paths.warehouse().resolve(), copy)
con = duckdb.connect(str(copy))
con.execute("SET VARIABLE k_min = 10")
marts = {{m.name: m for m in mart_files.discover()}}
for name in ("residence_spells", "population_events", "person_counts", "person_count_relations"):
    con.execute(f"CREATE TEMP TABLE {{name}} AS {{marts[name].sql}}")
read = reader(con)
t = time.perf_counter(); cells = step.problem(read); load = time.perf_counter() - t
k = step.k_min(read)
t = time.perf_counter(); result = suppress(cells, k, step.protection(k)); seconds = time.perf_counter() - t
t = time.perf_counter()
final = audit(cells, result.suppressed | ~cells.published, result.primary, step.protection(k)); again = time.perf_counter() - t
primary_only = audit(cells, result.primary | ~cells.published, result.primary, step.protection(k))
measures = cells.keys["measure"].to_numpy()
for measure in np.unique(measures[cells.published]):
    m = (measures == measure) & cells.published
    print("JSON=" + json.dumps({{"measure": measure, "mart": {marts}[measure], "cells": int(m.sum()),
                                 "primary": int((result.primary & m).sum()),
                                 "complementary": int((result.complementary & m).sum())}}))
print("JSON=" + json.dumps({{
    "cells": int(cells.published.sum()), "latent_cells": int((~cells.published).sum()),
    "relations": len(cells.relations), "k": k, "protection": step.protection(k),
    "primary": int(result.primary.sum()), "complementary": int(result.complementary.sum()),
    "rounds": result.rounds, "programmes": result.audit.programmes,
    "recoverable": int(final.recoverable.size), "exposed": int(final.exposed.size),
    "narrowest_interval": float(final.width.min(initial=np.inf)),
    "recoverable_with_primary_only": int(primary_only.recoverable.size),
    "exposed_with_primary_only": int(primary_only.exposed.size),
    "load_seconds": round(load, 2), "suppress_seconds": round(seconds, 2), "audit_seconds": round(again, 2),
}}))
con.close(); copy.unlink()
"""
PHASES = {
    "generate": bench_build.PHASES["generate"],
    "ingest": bench_build.PHASES["ingest"],
    "build_primary_only": _PRIMARY_ONLY + _BUILD,
    "build": _BUILD,
    "figures": _FIGURES.replace("{marts}", repr(MARTS).replace("{", "{{").replace("}", "}}")),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=float, nargs="+", default=[0.002, 0.01])
    parser.add_argument("--home", type=Path, help="keep the data here instead of a temporary folder")
    args = parser.parse_args()
    for scale in args.scales:
        with tempfile.TemporaryDirectory(prefix="cockpit-bench-") as tmp:
            home = (args.home / f"scale-{scale}") if args.home else Path(tmp)
            home.mkdir(parents=True, exist_ok=True)
            names = list(PHASES) if not (home / "staging.duckdb").exists() else list(PHASES)[2:]
            for name in names:
                record = bench_build.run_phase(name, home, scale, phases=PHASES, bench="disclosure")
                figures = record.pop("figures", [])
                if name.startswith("build"):
                    record.update(*figures)
                    figures = []
                print(json.dumps(record, ensure_ascii=False), flush=True)
                for figure in figures:
                    print(json.dumps({"bench": "disclosure", "scale": scale, "phase": name, **figure},
                                     ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
