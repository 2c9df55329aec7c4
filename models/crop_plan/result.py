"""What a solved scenario says: the plan per county × crop × year against the no-change baseline, its
income and risk, and the binding constraints — an immutable result with tidy frames."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import polars as pl

from models.crop_plan import risk
from models.crop_plan.data import PlanData
from models.crop_plan.explain import mu, yuan
from models.crop_plan.inputs import PlanInputs
from models.crop_plan.lp import Problem, baseline_x

QUANTILES = {"p05": 0.05, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p95": 0.95}


@dataclass(frozen=True)
class CropPlan:
    """A solved crop-structure scenario.

    Attributes
    ----------
    inputs : PlanInputs
    plan : polars.DataFrame
        One row per county × crop × plan year: area_mu, new_mu, removed_mu, bearing_mu, output_t,
        price_yuan_per_kg (after the demand response), revenue_yuan, cost_yuan, subsidy_yuan,
        net_income_yuan, labour_days, and the same region's no-change ``baseline_*`` columns.
    risk : polars.DataFrame
        Monte Carlo of prices and yields: variant (plan/baseline), year (0 = the whole horizon), mean and
        quantiles p05 … p95 of net income (元).
    binding : tuple of dict
        Binding constraints with shadow prices and zh/en sentences (the grain floor always first).
    summary : mapping
        objective_yuan, baseline_yuan, income_yuan, baseline_income_yuan, solve_seconds, … (see ``to_json``).
    """

    inputs: PlanInputs
    plan: pl.DataFrame
    risk: pl.DataFrame
    binding: tuple[dict, ...]
    summary: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    def area_change(self) -> pl.DataFrame:
        """Per crop: area in the base year and in the plan's last year, and the change (mu)."""
        last = self.plan["year"].max()
        return (self.plan.filter(pl.col("year") == last).group_by("crop")
                .agg(pl.col("baseline_area_mu").sum().alias("base_area_mu"), pl.col("area_mu").sum().alias("plan_area_mu"))
                .with_columns((pl.col("plan_area_mu") - pl.col("base_area_mu")).alias("change_mu"))
                .sort("change_mu"))

    def yearly(self) -> pl.DataFrame:
        """Net income per plan year, plan and baseline (元)."""
        return (self.plan.group_by("year").agg(pl.col("net_income_yuan").sum(), pl.col("baseline_net_income_yuan").sum())
                .sort("year"))

    def to_json(self) -> dict:
        """The summary the command line prints with ``--json``."""
        changes = {row["crop"]: round(row["change_mu"], 1) for row in self.area_change().iter_rows(named=True)}
        return {**dict(self.summary), "area_change_mu": changes,
                "binding": [{k: v for k, v in b.items()} for b in self.binding]}

    def summary_text(self, lang: str = "zh") -> str:
        s = self.summary
        delta = s["income_yuan"] - s["baseline_income_yuan"]
        if lang == "zh":
            return (f"{s['region_name']}{s['first_year']}–{s['last_year']}年：方案农业净收益预计{yuan(s['income_yuan'], 'zh')}，"
                    f"不调整为{yuan(s['baseline_income_yuan'], 'zh')}，多{yuan(delta, 'zh')}；"
                    f"最差5%情形下{yuan(s['income_p05_yuan'], 'zh')}（不调整{yuan(s['baseline_income_p05_yuan'], 'zh')}），"
                    f"方案好于不调整的概率{s['prob_beats_baseline'] * 100:.0f}%；共调整{mu(s['area_moved_mu'], 'zh')}。")
        name = s.get("region_name_en", s["region"])  # scenarios saved before English names have none
        where = s["region"] if name == s["region"] else f"{name} ({s['region']})"
        return (f"{where} {s['first_year']}–{s['last_year']}: the plan's expected net farm income is "
                f"{yuan(s['income_yuan'], 'en')} against {yuan(s['baseline_income_yuan'], 'en')} with no change "
                f"({yuan(delta, 'en')} more); in the worst 5% of price and yield draws {yuan(s['income_p05_yuan'], 'en')} "
                f"(no change: {yuan(s['baseline_income_p05_yuan'], 'en')}); it beats no change in "
                f"{s['prob_beats_baseline'] * 100:.0f}% of draws; {mu(s['area_moved_mu'], 'en')} change crop.")


@dataclass(frozen=True)
class _Values:
    area: np.ndarray
    new: np.ndarray
    removed: np.ndarray
    bearing: np.ndarray
    output: np.ndarray
    revenue: np.ndarray      # after the price falls
    cost: np.ndarray
    subsidy: np.ndarray
    labour: np.ndarray
    penalty: np.ndarray      # (K, T) undiscounted price-fall loss
    objective_parts: tuple[float, np.ndarray]  # (expected discounted income, scenario incomes)
    after: float             # discounted net value of perennials after the horizon


def _values(problem: Problem, x: np.ndarray) -> _Values:
    Cr, K, T = problem.shape
    NC = Cr * K * T
    off = problem.offsets
    shape = (Cr, K, T)

    def ev(name: str) -> np.ndarray:
        return (problem.expr[name] @ x + problem.const[name]).reshape(shape)

    output = ev("output")
    expected = problem.price * output
    S = problem.widths.shape[2]
    e = x[off["e"]:off["e"] + K * T * S].reshape(K, T, S)
    penalty = (e * problem.slopes).sum(axis=2)
    total = expected.sum(axis=0)
    share = np.divide(expected, total[None], out=np.zeros_like(expected), where=total[None] > 0)
    revenue = expected - share * penalty[None]
    R = total.ravel()
    V = problem.terminal["exist_rev"] + _terminal(problem, x)
    D = float((problem.expr["det"] @ x)[0] + problem.const["det"][0])
    mean = float((np.tile(problem.discount, K) * R).sum() + V.sum() + D)
    scen = (problem.factors * problem.discount[None, None, :]).reshape(-1, K * T) @ R \
        + problem.factors[:, :, T - 1] @ V + D
    n = x[off["n"]:off["n"] + NC].reshape(shape)
    u = x[off["u"]:off["u"] + NC].reshape(shape)
    tm = problem.terminal
    et = x[off["et"]:off["et"] + tm["slopes"].size].reshape(tm["slopes"].shape)
    a_last = x[off["a"]:off["a"] + NC].reshape(shape)[:, :, -1]
    after = float(V.sum() - (tm["cost_n"] * n + tm["cost_u"] * u).sum() - (tm["cost_a"] * a_last).sum() - tm["cost_c"][0]
                  - (tm["slopes"] * et).sum())
    return _Values(area=x[off["a"]:off["a"] + NC].reshape(shape), new=x[off["n"]:off["n"] + NC].reshape(shape),
                   removed=x[off["u"]:off["u"] + NC].reshape(shape), bearing=ev("bearing"), output=output,
                   revenue=revenue, cost=ev("cost"), subsidy=ev("subsidy"), labour=ev("labour"), penalty=penalty,
                   objective_parts=(mean, scen), after=after)


def _terminal(problem: Problem, x: np.ndarray) -> np.ndarray:
    Cr, K, T = problem.shape
    NC = Cr * K * T
    off = problem.offsets
    n = x[off["n"]:off["n"] + NC].reshape(Cr, K, T)
    u = x[off["u"]:off["u"] + NC].reshape(Cr, K, T)
    a_last = x[off["a"]:off["a"] + NC].reshape(Cr, K, T)[:, :, -1]
    return ((problem.terminal["rev_n"] * n + problem.terminal["rev_u"] * u).sum(axis=(0, 2))
            + (problem.terminal["rev_a"] * a_last).sum(axis=0))


def read(problem: Problem, data: PlanData, inputs: PlanInputs, x: np.ndarray, binding: list[dict],
         build_seconds: float, solve_seconds: float, monte_carlo: int) -> CropPlan:
    """Turn a solution vector into a :class:`CropPlan` (and evaluate the no-change baseline the same way)."""
    Cr, K, T = problem.shape
    lam, alpha = inputs.risk_weight, inputs.cvar_alpha
    plan = _values(problem, x)
    base = _values(problem, baseline_x(problem, data))
    objective = (1 - lam) * plan.objective_parts[0] + lam * risk.tail_mean(plan.objective_parts[1], alpha)
    base_objective = (1 - lam) * base.objective_parts[0] + lam * risk.tail_mean(base.objective_parts[1], alpha)

    years = data.base_year + 1 + np.arange(T)
    counties = np.array([data.counties[i] for i in problem.counties])
    codes = np.array(data.crop_codes)
    cc, kk, tt = np.meshgrid(np.arange(Cr), np.arange(K), np.arange(T), indexing="ij")
    net = plan.revenue - plan.cost + plan.subsidy
    base_net = base.revenue - base.cost + base.subsidy
    with np.errstate(divide="ignore", invalid="ignore"):
        price = np.where(plan.output > 0, plan.revenue / plan.output, problem.price)
    frame = pl.DataFrame({
        "region_code": counties[cc.ravel()], "crop": codes[kk.ravel()], "year": years[tt.ravel()].astype(np.int64),
        "area_mu": plan.area.ravel(), "new_mu": plan.new.ravel(), "removed_mu": plan.removed.ravel(),
        "bearing_mu": plan.bearing.ravel(), "output_t": plan.output.ravel() / 1000,
        "price_yuan_per_kg": price.ravel(), "revenue_yuan": plan.revenue.ravel(), "cost_yuan": plan.cost.ravel(),
        "subsidy_yuan": plan.subsidy.ravel(), "net_income_yuan": net.ravel(), "labour_days": plan.labour.ravel(),
        "baseline_area_mu": base.area.ravel(), "baseline_output_t": base.output.ravel() / 1000,
        "baseline_net_income_yuan": base_net.ravel(),
    })
    # Tiny negatives and 1e-9 areas are solver noise, not a plan.
    numeric = [c for c in frame.columns if frame.schema[c] == pl.Float64]
    frame = frame.with_columns([pl.when(pl.col(c).abs() < 1e-6).then(0.0).otherwise(pl.col(c)).alias(c) for c in numeric])
    keep = frame.group_by("region_code", "crop").agg((pl.col("area_mu").abs().max() + pl.col("baseline_area_mu").abs().max()).alias("any"))
    frame = frame.join(keep.filter(pl.col("any") > 0).drop("any"), on=["region_code", "crop"], how="semi")

    draws = risk.draw(data.price_sd[:, :T], data.yield_sd[:, :T], monte_carlo, inputs.seed + 1)
    rows = []
    totals = {}
    for variant, v in (("plan", plan), ("baseline", base)):
        income = risk.band(v.revenue.sum(axis=0), (v.subsidy - v.cost).sum(axis=(0, 1)), draws)
        totals[variant] = income.sum(axis=1)
        for j, year in enumerate([0, *years.tolist()]):
            values = totals[variant] if year == 0 else income[:, j - 1]
            rows.append({"variant": variant, "year": int(year), "mean": float(values.mean()),
                         **{name: float(np.quantile(values, q)) for name, q in QUANTILES.items()}})
    risk_frame = pl.DataFrame(rows)

    moved = float(np.maximum(plan.area[:, :, -1] - base.area[:, :, -1], 0).sum())
    price_change = {}
    for k, code in enumerate(codes):
        expected = (problem.price[:, k, -1] * plan.output[:, k, -1]).sum()
        if expected > 0:
            price_change[str(code)] = round(float(-plan.penalty[k, -1] / expected), 4)
    summary = {
        "region": inputs.region, "region_name": data.place(inputs.region, "zh"),
        "region_name_en": data.region_names_en.get(inputs.region, inputs.region),
        "first_year": int(years[0]), "last_year": int(years[-1]), "counties": int(Cr),
        "objective_yuan": round(objective, 0), "baseline_yuan": round(base_objective, 0),
        "income_yuan": round(float(net.sum()), 0), "baseline_income_yuan": round(float(base_net.sum()), 0),
        "after_plan_value_yuan": round(plan.after, 0), "baseline_after_plan_value_yuan": round(base.after, 0),
        "subsidy_yuan": round(float(plan.subsidy.sum()), 0),
        "income_p05_yuan": round(float(np.quantile(totals["plan"], 0.05)), 0),
        "baseline_income_p05_yuan": round(float(np.quantile(totals["baseline"], 0.05)), 0),
        "prob_beats_baseline": round(float((totals["plan"] > totals["baseline"]).mean()), 4),
        "cvar_income_yuan": round(risk.tail_mean(plan.objective_parts[1], alpha), 0),
        "baseline_cvar_income_yuan": round(risk.tail_mean(base.objective_parts[1], alpha), 0),
        "area_moved_mu": round(moved, 1), "price_change_last_year": price_change,
        "grain_floor_mu": round(float(problem.floors.sum()), 1),
        "grain_area_last_year_mu": round(float(plan.area[:, [k for k, c in enumerate(data.crops) if c.grain], -1].sum()), 1),
        "risk_weight": inputs.risk_weight, "build_seconds": round(build_seconds, 4),
        "solve_seconds": round(solve_seconds, 4), "variables": int(problem.n_vars),
        "constraints": int(problem.A_ub.shape[0] + problem.A_eq.shape[0]), "monte_carlo_draws": int(monte_carlo),
        "outlook_method": data.calibration.get("outlook_method", ""),
    }
    return CropPlan(inputs=inputs, plan=frame, risk=risk_frame, binding=tuple(binding), summary=MappingProxyType(summary))
