"""Benchmark: the crop planner — model build and solve, separately, for the whole province (88 counties ×
15 crops × 5 years) and a prefecture re-solve (毕节 520500), and the Monte Carlo — each with a baseline in
the same run. Prints one JSON line per figure; never passes or fails on time.

Baselines: for the LP, HiGHS on the same model without its CVaR rows (risk weight 0) and the evaluation of
the no-change plan (matrix–vector products: the floor of reading any plan); for the Monte Carlo, the same
draws evaluated one at a time in a Python loop.

    COCKPIT_HOME=/tmp/chome .venv/bin/python bench/optimizer.py [--repeat 3] [--draws 2000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


CPU: list[float] = []  # CPU seconds of the last timed() call: the machine is shared, so wall time alone misleads


def timed(fn, repeat: int) -> tuple[float, object]:
    times, cpu, out = [], [], None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    CPU[:] = [statistics.median(cpu)]
    return statistics.median(times), out


def emit(**record) -> None:
    print(json.dumps({"bench": "optimizer", **record, "cpu_seconds": round(CPU[0], 4) if CPU else None},
                     ensure_ascii=False), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--draws", type=int, default=2000)
    args = parser.parse_args()

    import logging

    for name in ("streamlit.runtime.caching.cache_data_api", "streamlit.runtime.caching.cache_resource_api"):
        logging.getLogger(name).setLevel(logging.ERROR)
    from cockpit import crop_plan
    from models.crop_plan import CropPlanner, PlanInputs, lp, planner, result, risk

    seconds, data = timed(crop_plan._load, 1)
    emit(case="inputs", what="read marts and calibrate (once per warehouse)", seconds=round(seconds, 3),
         counties=len(data.counties), crops=len(data.crops))

    for case, region, repeat in (("province", "520000", args.repeat), ("prefecture", "520500", max(args.repeat, 5))):
        inputs = PlanInputs(region=region)
        T = inputs.years
        factors = risk.draw(data.price_sd[:, :T], data.yield_sd[:, :T], inputs.scenarios, inputs.seed)
        build_s, problem = timed(lambda: lp.build(data, inputs, factors), repeat)
        emit(case=case, region=region, what="build", seconds=round(build_s, 4), variables=problem.n_vars,
             constraints=problem.A_ub.shape[0] + problem.A_eq.shape[0], nonzeros=problem.A_ub.nnz + problem.A_eq.nnz)
        solve_s, res = timed(lambda: planner.solve(problem), repeat)
        emit(case=case, region=region, what="solve", seconds=round(solve_s, 4), status=int(res.status),
             iterations=int(res.nit), risk_weight=inputs.risk_weight)
        flat = PlanInputs(region=region, risk_weight=0.0)
        flat_problem = lp.build(data, flat, factors)
        flat_s, flat_res = timed(lambda: planner.solve(flat_problem), repeat)
        emit(case=case, region=region, what="baseline: solve without the CVaR rows (risk weight 0)",
             seconds=round(flat_s, 4), iterations=int(flat_res.nit))
        x0 = lp.baseline_x(problem, data)
        eval_s, _ = timed(lambda: result._values(problem, x0), repeat)
        emit(case=case, region=region, what="baseline: evaluate the no-change plan", seconds=round(eval_s, 4))
        # What the page does when an input changes: build, solve, read, Monte Carlo (inputs already cached).
        resolve = PlanInputs(region=region, risk_weight=0.3)
        total_s, fitted = timed(lambda: CropPlanner(resolve, monte_carlo=args.draws).fit(data), repeat)
        s = fitted.result_.summary
        emit(case=case, region=region, what="re-solve, everything (build + solve + result + Monte Carlo)",
             seconds=round(total_s, 4), build_seconds=s["build_seconds"], solve_seconds=s["solve_seconds"],
             target_seconds=2.0 if case == "province" else 0.3)

    # Monte Carlo of one plan (the province's): vectorised against one draw at a time.
    plan = CropPlanner(PlanInputs(region="520000"), monte_carlo=10).fit(data)
    values = result._values(plan.problem_, plan.solution_)
    revenue, rest = values.revenue.sum(axis=0), (values.subsidy - values.cost).sum(axis=(0, 1))
    T = revenue.shape[1]

    def vectorised():
        draws = risk.draw(data.price_sd[:, :T], data.yield_sd[:, :T], args.draws, 7)
        return risk.band(revenue, rest, draws)

    def looped():
        draws = risk.draw(data.price_sd[:, :T], data.yield_sd[:, :T], args.draws, 7)
        return np.array([[float((draws[j, :, t] * revenue[:, t]).sum() + rest[t]) for t in range(T)]
                         for j in range(args.draws)])

    mc_s, fast = timed(vectorised, args.repeat)
    emit(case="monte_carlo", what=f"{args.draws} draws of prices and yields, province plan", seconds=round(mc_s, 4))
    loop_s, slow = timed(looped, 1)
    emit(case="monte_carlo", what="baseline: the same draws one at a time in Python", seconds=round(loop_s, 4))
    assert np.allclose(fast, slow)


if __name__ == "__main__":
    main()
