"""The crop-structure planner: validate, build the LP, solve with HiGHS, read the result."""

from __future__ import annotations

import time

import numpy as np
from scipy.optimize import linprog

from models.crop_plan import explain, lp, result, risk
from models.crop_plan.data import PlanData
from models.crop_plan.errors import InfeasiblePlan, InvalidPlanInput, PlanError
from models.crop_plan.explain import mu
from models.crop_plan.inputs import PlanInputs

# Constraint families relaxed one at a time to name the one that makes a scenario impossible.
DIAGNOSE = ("grain_floor", "change", "corn_cut", "labour", "annual_land", "land", "removal")


class CropPlanner:
    """Propose areas per county × crop × year that maximise risk-adjusted farm income.

    Parameters
    ----------
    inputs : PlanInputs
        The scenario (region, horizon, grain floor, shocks, subsidies, risk weight …).
    monte_carlo : int
        Draws of prices and yields for the risk band of the result (not part of the optimisation).
    time_limit : float
        Seconds HiGHS may take.
    flexibility : dict, optional
        Price flexibility by crop code, overriding the region's assumptions file (negative numbers).

    Attributes
    ----------
    result_ : CropPlan
        The solved plan, its baseline, risk band and binding constraints.
    problem_ : lp.Problem
        The LP as built (matrices, bounds, row families).
    solution_ : ndarray
        HiGHS's solution vector (layout in ``problem_.offsets``).
    objective_ : float
        The optimised objective: present value of income, risk-adjusted (元).

    Examples
    --------
    >>> plan = CropPlanner(PlanInputs(region=prefecture)).fit(data).result_   # doctest: +SKIP
    >>> plan.summary["income_yuan"] - plan.summary["baseline_income_yuan"]  # doctest: +SKIP
    """

    def __init__(self, inputs: PlanInputs, monte_carlo: int = 2000, time_limit: float = 60.0,
                 flexibility: dict[str, float] | None = None) -> None:
        self.inputs = inputs
        self.monte_carlo = monte_carlo
        self.time_limit = time_limit
        self.flexibility = flexibility

    def fit(self, data: PlanData) -> "CropPlanner":
        """Check the inputs, build and solve the scenario; raises :class:`InvalidPlanInput` or
        :class:`InfeasiblePlan` with a sentence naming what cannot be met."""
        inputs = self.inputs
        check(data, inputs)
        T = inputs.years
        factors = risk.draw(data.price_sd[:, :T], data.yield_sd[:, :T], inputs.scenarios, inputs.seed)
        started = time.perf_counter()
        problem = lp.build(data, inputs, factors, self.flexibility)
        build_seconds = time.perf_counter() - started
        started = time.perf_counter()
        res = solve(problem, self.time_limit)
        solve_seconds = time.perf_counter() - started
        if res.status == 2:
            family = diagnose(problem, self.time_limit)
            en, zh = explain.infeasible_sentence(family, data, inputs)
            raise InfeasiblePlan(en, zh=zh, constraint=family)
        if res.status != 0:
            raise PlanError(f"the solver stopped without a plan: {res.message}")
        binding = explain.binding(problem, res.ineqlin.marginals, res.upper.marginals, res.x, data, inputs)
        self.problem_ = problem
        self.solution_ = res.x
        self.result_ = result.read(problem, data, inputs, res.x, binding, build_seconds, solve_seconds,
                                   self.monte_carlo)
        self.objective_ = -float(res.fun)
        return self


def solve(problem: lp.Problem, time_limit: float = 60.0, b_ub: np.ndarray | None = None):
    """HiGHS on the sparse LP (``b_ub`` replaces the inequality right-hand sides, for diagnosis)."""
    return linprog(problem.c, A_ub=problem.A_ub, b_ub=problem.b_ub if b_ub is None else b_ub,
                   A_eq=problem.A_eq, b_eq=problem.b_eq, bounds=np.column_stack([problem.lb, problem.ub]),
                   method="highs", options={"time_limit": time_limit, "presolve": True})


def diagnose(problem: lp.Problem, time_limit: float) -> str:
    """The first constraint family whose removal makes the LP feasible (``unknown`` if none alone does)."""
    for family in DIAGNOSE:
        rows = problem.rows.get(family)
        if rows is None or rows.stop == rows.start:
            continue
        relaxed = problem.b_ub.copy()
        relaxed[rows] = 1e15
        if solve(problem, time_limit, relaxed).status == 0:
            return family
    return "unknown"


def check(data: PlanData, inputs: PlanInputs) -> None:
    """Catch impossible or invalid inputs before solving, with the constraint named."""
    for code in [*inputs.subsidy, *inputs.price_shock, *inputs.excluded]:
        data.crop_index(code)
    idx = data.county_indices(inputs.region)
    if inputs.years > data.price.shape[2]:
        raise InvalidPlanInput(f"years={inputs.years} is beyond the {data.price.shape[2]}-year outlook")
    region, region_en = data.place(inputs.region, "zh"), data.place(inputs.region, "en")
    grain = np.array([c.grain for c in data.crops])
    excluded = np.array([c.code in inputs.excluded for c in data.crops])
    task = data.grain_task[idx]
    floors = task if inputs.grain_floor_mu is None else (
        task / task.sum() * inputs.grain_floor_mu if task.sum() > 0 else np.full(idx.size, inputs.grain_floor_mu / idx.size))
    arable, garden, rho = data.arable[idx], data.garden[idx], data.rho[idx]
    sown = rho * arable
    floor = floors.sum()
    if floor > sown.sum() + 1e-6:
        raise InfeasiblePlan(
            f"The grain floor of {floor:,.0f} mu is above the {sown.sum():,.0f} mu of grain that the "
            f"{arable.sum():,.0f} mu of arable land in {region_en} can sow (at most {rho.max():.2f} crops a year): "
            "lower grain_floor_mu.",
            zh=f"粮食底线{mu(floor, 'zh')}超过了{region}{mu(arable.sum(), 'zh')}耕地最多能播种的{mu(sown.sum(), 'zh')}：请降低粮食底线。",
            constraint="grain_floor")
    caps = np.where(excluded[None, :], data.area0[idx], data.cap[idx])[:, grain].sum(axis=1)
    suitable = np.minimum(caps, sown)
    if floor > suitable.sum() + 1e-6:
        raise InfeasiblePlan(
            f"The grain floor of {floor:,.0f} mu is above the {suitable.sum():,.0f} mu of land suitable for grain "
            f"in {region_en} (by altitude, slope and paddy fields, with excluded crops kept at today's area).",
            zh=f"粮食底线{mu(floor, 'zh')}超过了{region}适宜种粮的{mu(suitable.sum(), 'zh')}（按海拔、坡度和水田）。",
            constraint="grain_floor")
    grain0 = data.area0[idx][:, grain].sum(axis=1)
    reach = grain0 + rho * inputs.max_change_share * (arable + garden)
    short = floors - np.minimum(reach, suitable)
    if (short > 1e-6).any():
        i = int(np.argmax(short))
        county = data.counties[idx[i]]
        raise InfeasiblePlan(
            f"The grain floor cannot be met in {data.place(county, 'en')}: its share is {floors[i]:,.0f} mu of grain, "
            f"but it grows {grain0[i]:,.0f} mu now and can reach at most {min(reach[i], suitable[i]):,.0f} mu in the first year "
            f"(max_change_share={inputs.max_change_share:g} and its suitable land).",
            zh=f"{data.place(county, 'zh')}分到的粮食底线为{mu(floors[i], 'zh')}，现种{mu(grain0[i], 'zh')}，第一年最多只能达到"
               f"{mu(min(reach[i], suitable[i]), 'zh')}（受调整速度和适宜面积限制）：请降低粮食底线或放宽调整速度。",
            constraint="grain_floor")
