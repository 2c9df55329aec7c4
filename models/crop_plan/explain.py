"""Binding constraints and their shadow prices, in plain words (zh and en).

HiGHS reports, for each ``A_ub x ≤ b_ub`` row, how the minimised objective moves per unit of ``b_ub``
(``res.ineqlin.marginals``), and the same for variable upper bounds (``res.upper.marginals``). The
objective here is minus the planner's (risk-adjusted, discounted) income, so ``y = −marginal`` is the
income gained per unit of slack given to a constraint. Each family is turned into the change a planner
would actually make ("raise the grain floor by 10万亩") by multiplying ``y`` by how that change moves the
rows' right-hand sides.
"""

from __future__ import annotations

import numpy as np

from models.crop_plan.data import PlanData
from models.crop_plan.inputs import PlanInputs
from models.crop_plan.lp import Problem

TOL = 1e-6  # yuan per unit: below this a dual is numerical noise


def counties(n: int) -> str:
    return f"{n} county" if n == 1 else f"{n} counties"


def yuan(value: float, lang: str) -> str:
    """Money as a leader reads it: 3.2亿元 / 12.5万元; 320 million yuan."""
    v = float(value)
    sign = "−" if v < 0 else ""
    v = abs(v)
    if lang == "zh":
        if v >= 1e8:
            return f"{sign}{v / 1e8:,.2f}亿元"
        if v >= 1e4:
            return f"{sign}{v / 1e4:,.1f}万元"
        return f"{sign}{v:,.0f}元"
    if v >= 1e9:
        return f"{sign}{v / 1e9:,.2f} billion yuan"
    if v >= 1e6:
        return f"{sign}{v / 1e6:,.1f} million yuan"
    return f"{sign}{v:,.0f} yuan"


def mu(value: float, lang: str) -> str:
    v = float(value)
    if lang == "zh":
        return f"{v / 1e4:,.1f}万亩" if abs(v) >= 1e4 else f"{v:,.0f}亩"
    return f"{v / 1e3:,.0f} thousand mu" if abs(v) >= 1e4 else f"{v:,.0f} mu"


def binding(problem: Problem, marginals: np.ndarray, upper: np.ndarray, x: np.ndarray, data: PlanData,
            inputs: PlanInputs) -> list[dict]:
    """One entry per binding constraint family (and always one for the grain floor), most valuable first."""
    Cr, K, T = problem.shape
    y = -np.asarray(marginals)
    y_upper = -np.asarray(upper)
    names = {lang: data.place(inputs.region, lang) for lang in ("zh", "en")}
    codes = [data.counties[i] for i in problem.counties]
    county_name = lambda i, lang="zh": data.place(codes[i], lang)  # noqa: E731
    out: list[dict] = []

    def rows(family: str) -> np.ndarray:
        return y[problem.rows[family]]

    # Grain floor: +Δ for the region, split over counties by their share of the floor, every year.
    g = rows("grain_floor").reshape(Cr, T)
    share = problem.floors / problem.floors.sum() if problem.floors.sum() > 0 else np.full(Cr, 1 / Cr)
    per_mu = float((g * share[:, None]).sum())
    hit = int((g > TOL).any(axis=1).sum())
    step = 1e5
    if hit:
        zh = (f"粮食底线在{hit}个县起约束作用：把{names['zh']}的粮食播种面积底线提高10万亩，"
              f"预计农民收入减少约{yuan(per_mu * step, 'zh')}（规划期现值，计风险）。")
        en = (f"The grain floor binds in {counties(hit)}: raising the grain floor of {names['en']} by 100,000 mu "
              f"costs about {yuan(per_mu * step, 'en')} of farm income (present value over the plan, risk-adjusted).")
    else:
        zh = "粮食底线未起约束作用：方案保留的粮食面积高于底线，提高底线在一定范围内不减少收入。"
        en = "The grain floor does not bind: the plan keeps more grain than required, so a somewhat higher floor costs nothing."
    out.append({"constraint": "grain_floor", "crop": None, "counties": hit, "binding": bool(hit),
                "shadow_price_yuan": per_mu * step, "unit": "per 100,000 mu of grain floor", "zh": zh, "en": en})

    land = (rows("annual_land") + rows("land")).reshape(Cr, T, -1).sum(axis=(1, 2))  # over years and seasons
    if (land > TOL).any():
        top = int(np.argmax(land))
        mean = float(land[land > TOL].mean())
        n = int((land > TOL).sum())
        out.append({"constraint": "arable_land", "crop": None, "counties": n, "binding": True,
                    "shadow_price_yuan": mean, "unit": "per mu of arable land",
                    "zh": f"耕地在{n}个县已用满：每多1亩耕地，规划期内平均增收约{yuan(mean, 'zh')}"
                          f"（最高为{county_name(top)}，{yuan(land[top], 'zh')}）。",
                    "en": f"Arable land is fully used in {counties(n)}: each extra mu would add about {yuan(mean, 'en')} "
                          f"over the plan (most in {county_name(top, 'en')}: {yuan(land[top], 'en')})."})

    labour = rows("labour").reshape(Cr, T).sum(axis=1) * inputs.labour_days_per_worker
    if (labour > TOL).any():
        n = int((labour > TOL).sum())
        mean = float(labour[labour > TOL].mean())
        out.append({"constraint": "labour", "crop": None, "counties": n, "binding": True,
                    "shadow_price_yuan": mean, "unit": "per farm worker",
                    "zh": f"农业劳动力在{n}个县用满：每多一名劳动力（每年{inputs.labour_days_per_worker:g}个工日），"
                          f"规划期内约增收{yuan(mean, 'zh')}。",
                    "en": f"Farm labour is fully used in {counties(n)}: one more worker ({inputs.labour_days_per_worker:g} "
                          f"days a year) would add about {yuan(mean, 'en')} over the plan."})

    land_c = data.arable[problem.counties] + data.garden[problem.counties]
    change = rows("change").reshape(Cr, T)
    value = float((change * land_c[:, None]).sum() * 0.01)
    if value > TOL:
        n = int((change > TOL).any(axis=1).sum())
        pct = inputs.max_change_share * 100
        out.append({"constraint": "change_speed", "crop": None, "counties": n, "binding": True,
                    "shadow_price_yuan": value, "unit": "per percentage point of farmland changing crop a year",
                    "zh": f"调整速度（每年最多{pct:g}%的耕地换种）在{n}个县起约束作用：每放宽1个百分点，增收约{yuan(value, 'zh')}。",
                    "en": f"The speed limit (at most {pct:g}% of farmland changing crop a year) binds in {counties(n)}: "
                          f"each extra percentage point adds about {yuan(value, 'en')}."})

    corn = rows("corn_cut")
    if corn.size and (corn > TOL).any():
        k = data.crop_index("corn")
        corn0 = data.area0[problem.counties, k].sum()
        value = float(corn.sum() * 0.1 * corn0)
        pct = inputs.max_corn_cut_share * 100
        out.append({"constraint": "corn_cut", "crop": "corn", "counties": Cr, "binding": True,
                    "shadow_price_yuan": value, "unit": "per 10 points more corn cut allowed",
                    "zh": f"玉米调减上限（最多调减{pct:g}%）起约束作用：多允许调减10个百分点（{mu(0.1 * corn0, 'zh')}），"
                          f"增收约{yuan(value, 'zh')}。",
                    "en": f"The corn-cut limit (at most {pct:g}%) binds: allowing 10 points more "
                          f"({mu(0.1 * corn0, 'en')}) adds about {yuan(value, 'en')}."})

    removal = rows("removal")
    stock = [k for k, c in enumerate(data.crops) if c.stock]
    if removal.size:
        rem = removal.reshape(Cr, len(stock))
        for j, k in enumerate(stock):
            if (rem[:, j] > TOL).any():
                crop = data.crops[k]
                n = int((rem[:, j] > TOL).sum())
                out.append({"constraint": "removal", "crop": crop.code, "counties": n, "binding": True,
                            "shadow_price_yuan": float(rem[:, j].max()), "unit": "per mu of existing stands",
                            "zh": f"{crop.zh}：{n}个县的现有种植园已全部改种。",
                            "en": f"{crop.en}: every existing stand is replaced in {counties(n)}."})

    off = problem.offsets
    a_cols = off["a"] + np.arange(Cr * K * T).reshape(Cr, K, T)
    caps = y_upper[a_cols].sum(axis=2)                                   # (Cr, K) per mu of cap, all years
    at_cap = y_upper[a_cols] > TOL
    for k, crop in enumerate(data.crops):
        if crop.code in inputs.excluded:
            continue
        hit = at_cap[:, k, :].any(axis=1)
        if hit.any():
            value = float(caps[hit, k].mean() * 1e4)
            n = int(hit.sum())
            out.append({"constraint": "suitability", "crop": crop.code, "counties": n, "binding": True,
                        "shadow_price_yuan": value, "unit": "per 10,000 mu more suitable land",
                        "zh": f"{crop.zh}在{n}个县已达适宜面积上限（按海拔、坡度相近县的种植情况）：每多1万亩适宜地约增收{yuan(value, 'zh')}。",
                        "en": f"{crop.en} reaches its suitability limit (what counties of similar altitude and slope grow) "
                              f"in {counties(n)}: each 10,000 mu more would add about {yuan(value, 'en')}."})

    e_cols = off["e"] + np.arange(K * T * problem.widths.shape[2]).reshape(K, T, -1)
    full = (x[e_cols[:, :, -1]] >= problem.widths[:, :, -1] * (1 - 1e-9)) & (problem.widths[:, :, -1] > 0)
    for k in np.flatnonzero(full.any(axis=1)):
        crop = data.crops[k]
        out.append({"constraint": "market", "crop": crop.code, "counties": Cr, "binding": True,
                    "shadow_price_yuan": float(y_upper[e_cols[k, :, -1]].sum()), "unit": "per kg more the market takes",
                    "zh": f"{crop.zh}的市场已饱和：价格已跌到头，再多种也卖不出去。",
                    "en": f"The market for {crop.en} is saturated: its price has fallen as far as the model allows."})
    for item in out:
        item["shadow_price_yuan"] = round(float(item["shadow_price_yuan"]), 2)
        item["counties"] = int(item["counties"])
    # Families in a fixed order (their shadow prices are in different units), the most valuable first within one.
    order = {name: i for i, name in enumerate(("grain_floor", "change_speed", "arable_land", "labour", "corn_cut",
                                                "suitability", "market", "removal"))}
    return sorted(out, key=lambda item: (order.get(item["constraint"], 99), -abs(item["shadow_price_yuan"])))


def infeasible_sentence(family: str, data: PlanData, inputs: PlanInputs) -> tuple[str, str]:
    """(en, zh) for a constraint family that makes the plan impossible."""
    texts = {
        "grain_floor": ("the grain floor cannot be met with the land, suitability and speed-of-change limits",
                        "粮食底线无法满足：耕地、适宜性或调整速度不允许"),
        "change": (f"the speed limit (max_change_share={inputs.max_change_share:g}) is too tight to reach the other targets in time",
                   f"调整速度限制（每年最多{inputs.max_change_share * 100:g}%）太紧，无法按期达到其他目标"),
        "corn_cut": ("the corn-cut limit cannot be kept together with the other limits",
                     "玉米调减上限与其他约束不能同时满足"),
        "labour": ("the farm labour available cannot work the required crops", "农业劳动力不足以完成所需种植"),
        "annual_land": ("the arable land cannot hold the required annual crops", "耕地容纳不下所需的一年生作物"),
        "land": ("the farmland cannot hold the required crops", "土地容纳不下所需的作物"),
        "removal": ("more perennial stands would have to be uprooted than exist", "需要改种的多年生作物面积超过现有面积"),
    }
    en, zh = texts.get(family, (f"the {family} constraint cannot be met", f"{family} 约束无法满足"))
    return (f"No plan for {data.place(inputs.region, 'en')} meets every constraint: {en}.",
            f"{data.place(inputs.region, 'zh')}无可行方案：{zh}。")
