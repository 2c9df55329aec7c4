"""The linear programme of one scenario, built with sparse matrices (no loop over coefficients).

Decision variables for every county c, crop k and plan year t (all in mu):

* ``a[c,k,t]`` area; ``n[c,k,t]`` new area (planting for perennials, expansion for annual crops);
  ``u[c,k,t]`` area taken out (uprooting today's stands for perennials, a cut for annual crops), with
  ``a[t] = a[t-1] + n[t] - u[t]`` from the base year's area;
* ``e[k,t,s]`` the region's extra output of crop k above its baseline, by demand segment s (kg);
* ``R[k,t]`` revenue at the outlook price, ``V[k]`` discounted revenue of perennials after the horizon,
  ``D`` the discounted deterministic rest (costs, subsidies, price falls): definitions, so that the
  scenario rows of the CVaR stay short;
* ``eta`` and ``z[j]``: the CVaR of income over the scenarios (Rockafellar–Uryasev).

Output of a perennial in year t counts today's stands (bearing as the history says) minus those uprooted,
plus each year's planting times its yield ramp (0 before ``first_harvest_year``). Costs count bearing,
young and newly planted area at their own rates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from models.crop_plan import demand
from models.crop_plan.data import PlanData
from models.crop_plan.inputs import PlanInputs

# Families of inequality rows, in the order they are stacked (explain.py words them).
FAMILIES = ("annual_land", "land", "grain_floor", "change", "labour", "removal", "corn_cut", "market",
            "market_after", "cvar")


@dataclass
class Problem:
    """``min c·x`` s.t. ``A_ub x ≤ b_ub``, ``A_eq x = b_eq``, ``lb ≤ x ≤ ub`` — plus what reading it needs."""

    c: np.ndarray
    A_ub: sp.csr_array
    b_ub: np.ndarray
    A_eq: sp.csr_array
    b_eq: np.ndarray
    lb: np.ndarray
    ub: np.ndarray
    rows: dict[str, slice]               # inequality family → its rows
    shape: tuple[int, int, int]          # (counties, crops, years)
    counties: np.ndarray                 # indices into PlanData.counties
    offsets: dict[str, int]
    expr: dict[str, sp.csr_array]        # per-cell linear expressions of x: output, bearing, cost, labour, subsidy
    const: dict[str, np.ndarray]         # their constant parts
    price: np.ndarray                    # (Cr, K, T) expected price after the shock
    discount: np.ndarray                 # (T,)
    slopes: np.ndarray                   # (K, T, S) demand segments
    widths: np.ndarray
    province_output: np.ndarray          # (K, T) baseline output of the province, kg
    region_output: np.ndarray            # (K, T) baseline output of the region, kg
    avg_price: np.ndarray                # (K, T)
    factors: np.ndarray                  # (S, K, T) scenario revenue factors
    floors: np.ndarray                   # (Cr,) grain floor per county
    labour_cap: np.ndarray               # (Cr,)
    terminal: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def n_vars(self) -> int:
        return self.c.size


def _coo(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]], shape: tuple[int, int]) -> sp.csr_array:
    rows = np.concatenate([np.ravel(p[0]) for p in parts]) if parts else np.zeros(0, int)
    cols = np.concatenate([np.ravel(p[1]) for p in parts]) if parts else np.zeros(0, int)
    vals = np.concatenate([np.ravel(p[2]) for p in parts]) if parts else np.zeros(0)
    keep = vals != 0
    return sp.csr_array((vals[keep], (rows[keep], cols[keep])), shape=shape)


def build(data: PlanData, inputs: PlanInputs, factors: np.ndarray, flexibility: dict[str, float] | None = None) -> Problem:
    """The LP of ``inputs`` on ``data``; ``factors`` (S, K, T) are the CVaR scenarios' revenue factors and
    ``flexibility`` overrides the demand curves' price flexibilities by crop code."""
    idx = data.county_indices(inputs.region)
    Cr, K, T = idx.size, len(data.crops), inputs.years
    NC = Cr * K * T
    crops = data.crops
    stock = np.array([c.stock for c in crops])
    perennial = np.array([c.perennial for c in crops])
    grain = np.array([c.grain for c in crops])
    fh = np.array([c.first_harvest_year for c in crops])
    t_ = np.arange(T)

    shock = np.array([inputs.price_shock.get(c.code, 1.0) for c in crops])
    subsidy = np.array([inputs.subsidy.get(c.code, 0.0) for c in crops])
    excluded = np.array([c.code in inputs.excluded for c in crops])
    price = data.price[idx][:, :, :T] * shock[None, :, None]
    yld = data.yield_[idx][:, :, :T]
    bex = data.bearing_existing[idx][:, :, :T]
    area0 = data.area0[idx]
    inflation = (1 + data.cost_growth) ** (t_ + 1)
    cost = data.cost[idx]            # (Cr, K, 3)
    labour = data.labour[idx]
    arable, garden, rho = data.arable[idx], data.garden[idx], data.rho[idx]
    discount = (1 + inputs.discount_rate) ** -(t_ + 1.0)

    # Variable layout.
    S_seg = demand.BREAKS.size - 1
    n_scen = factors.shape[0] if inputs.risk_weight > 0 else 0
    off = {"a": 0, "n": NC, "u": 2 * NC, "e": 3 * NC}
    off["et"] = off["e"] + K * T * S_seg        # extra output after the horizon, by demand segment
    off["R"] = off["et"] + K * S_seg
    off["V"] = off["R"] + K * T
    off["D"] = off["V"] + K
    off["eta"] = off["D"] + 1
    off["z"] = off["eta"] + 1
    n_vars = off["z"] + n_scen

    cell = np.arange(NC).reshape(Cr, K, T)
    cc, kk, tt = np.meshgrid(np.arange(Cr), np.arange(K), t_, indexing="ij")
    a_col, n_col, u_col = off["a"] + cell, off["n"] + cell, off["u"] + cell

    # Per-cell expressions: output (kg) and bearing area, for perennials a sum over planting years s ≤ t.
    ramp = np.stack([c.ramp(t_[:, None] - t_[None, :]) for c in crops])        # (K, T, T): [k, t, s]
    lower = t_[None, :, None] >= t_[None, None, :]                               # s ≤ t
    bears = (t_[None, :, None] - t_[None, None, :]) >= fh[:, None, None]         # planted long enough ago
    C4 = np.broadcast_to(np.arange(Cr)[:, None, None, None], (Cr, K, T, T))
    K4 = np.broadcast_to(np.arange(K)[None, :, None, None], (Cr, K, T, T))
    Tt = np.broadcast_to(t_[None, None, :, None], (Cr, K, T, T))
    Ts = np.broadcast_to(t_[None, None, None, :], (Cr, K, T, T))
    row4 = cell[C4, K4, Tt]
    n4, u4 = off["n"] + cell[C4, K4, Ts], off["u"] + cell[C4, K4, Ts]
    is_stock4 = stock[K4] & lower[0][None, None]
    y4 = yld[C4, K4, Tt]

    annual_cells = ~stock[kk]
    out_parts = [(cell[annual_cells], a_col[annual_cells], yld[annual_cells])]
    m = is_stock4
    out_parts += [(row4[m], n4[m], (y4 * ramp[K4, Tt, Ts])[m]), (row4[m], u4[m], -y4[m])]
    output = _coo(out_parts, (NC, n_vars))
    output_c = np.where(stock[kk], yld * bex, 0.0).ravel()

    mb = m & bears[K4, Tt, Ts]
    bear = _coo([(cell[annual_cells], a_col[annual_cells], np.ones(annual_cells.sum())),
                 (row4[mb], n4[mb], np.ones(mb.sum())), (row4[m], u4[m], -np.ones(m.sum()))], (NC, n_vars))
    bear_c = np.where(stock[kk], bex, 0.0).ravel()

    def staged(rates: np.ndarray, scale: np.ndarray) -> tuple[sp.csr_array, np.ndarray]:
        """cost = young·a + (new − young)·n + (bearing − young)·bearing-area, for perennials."""
        cb, cy, cn = (rates[:, :, j][:, :, None] * scale[None, None, :] for j in range(3))
        cb, cy, cn = (np.broadcast_to(x, (Cr, K, T)) for x in (cb, cy, cn))
        on_a = np.where(stock[kk], cy, cb)
        on_n = np.where(stock[kk], cn - cy, 0.0)
        on_bear = np.where(stock[kk], cb - cy, 0.0)
        matrix = (_coo([(cell, a_col, on_a), (cell, n_col, on_n)], (NC, n_vars))
                  + sp.diags_array(on_bear.ravel()) @ bear)
        return sp.csr_array(matrix), on_bear.ravel() * bear_c

    cost_m, cost_c = staged(cost, inflation)
    lab_m, lab_c = staged(labour, np.ones(T))
    sub_m = _coo([(cell, a_col, np.broadcast_to(subsidy[None, :, None], (Cr, K, T)))], (NC, n_vars))

    # Aggregations of cells to (k, t) and to (c, t).
    agg_kt = _coo([(kk * T + tt, cell, np.ones((Cr, K, T)))], (K * T, NC))
    agg_ct = _coo([(cc * T + tt, cell, np.ones((Cr, K, T)))], (Cr * T, NC))

    # Demand: baselines of the province (every county, nothing changed) and of the region.
    base_out_all = np.where(stock[None, :, None], data.bearing_existing[:, :, :T], data.area0[:, :, None]) * data.yield_[:, :, :T]
    province_output = base_out_all.sum(axis=0)
    region_output = base_out_all[idx].sum(axis=0)
    avg_price = ((data.price[:, :, :T] * base_out_all).sum(axis=0) / np.maximum(province_output, 1e-9)) * shock[:, None]
    widths = np.zeros((K, T, S_seg))
    slopes = np.zeros((K, T, S_seg))
    for k, crop in enumerate(crops):
        widths[k], slopes[k] = demand.segments(avg_price[k], demand.flexibility(crop.code, flexibility, data.assumptions), province_output[k],
                                               region_output[k])
    e_col = off["e"] + np.arange(K * T * S_seg).reshape(K, T, S_seg)
    et_col = off["et"] + np.arange(K * S_seg).reshape(K, S_seg)

    # ---- Equalities
    eq_parts, b_eq = [], []
    r0 = 0
    dyn = [(cell, a_col, np.ones((Cr, K, T))), (cell, n_col, -np.ones((Cr, K, T))), (cell, u_col, np.ones((Cr, K, T)))]
    later = tt > 0
    dyn.append((cell[later], (a_col - 1)[later], -np.ones(later.sum())))  # a[t-1]: t is the last index
    eq_parts += dyn
    rhs = np.zeros((Cr, K, T))
    rhs[:, :, 0] = area0
    b_eq.append(rhs.ravel())
    r0 += NC

    rev_m = (agg_kt @ sp.diags_array(price.ravel()) @ output).tocoo()
    rev_c = agg_kt @ (price.ravel() * output_c)
    eq_parts.append((r0 + rev_m.row, rev_m.col, -rev_m.data))
    eq_parts.append((r0 + np.arange(K * T), off["R"] + np.arange(K * T), np.ones(K * T)))
    b_eq.append(rev_c)
    r0 += K * T

    # Value after the horizon, years T+1 … T+L at the last plan year's price, yield and cost: perennial
    # stands by planting year (they bear along their ramp), and annual crops at their last-year area (the
    # structure goes on) — without the annual part, crops that outlive the horizon would win by default.
    L = inputs.appraisal_years
    after = (1 + inputs.discount_rate) ** -(T + np.arange(1, L + 1.0))                    # (L,)
    age_end = (T - 1) - t_                                                                # age of year-s planting at T-1
    ages = age_end[None, :, None] + np.arange(1, L + 1)[None, None, :]                    # (1, T, L)
    w_rev = np.stack([(c.ramp(ages[0]) * after[None, :]).sum(axis=1) for c in crops])   # (K, T) per planting year
    w_bear = np.stack([((ages[0] >= c.first_harvest_year) * after[None, :]).sum(axis=1) for c in crops])
    w_exist = after.sum()
    py_end = price[:, :, T - 1] * yld[:, :, T - 1]                                       # (Cr, K)
    cb_end = cost[:, :, 0] * inflation[T - 1]
    cy_end = cost[:, :, 1] * inflation[T - 1]
    if L == 0:
        w_rev[:], w_bear[:], w_exist = 0.0, 0.0, 0.0
    st = np.broadcast_to(stock[None, :, None], (Cr, K, T))
    v_n = np.where(st, py_end[:, :, None] * w_rev[None], 0.0)
    v_u = np.where(st, -py_end[:, :, None] * w_exist, 0.0)
    eq_parts += [(r0 + kk[st], n_col[st], -v_n[st]), (r0 + kk[st], u_col[st], -v_u[st])]
    annual_k = np.flatnonzero(~stock)
    v_a = np.where(stock[None, :], 0.0, py_end * w_exist)                                # (Cr, K) on a[T-1]
    eq_parts.append((r0 + np.broadcast_to(annual_k[None, :], (Cr, annual_k.size)), a_col[:, annual_k, T - 1],
                     -v_a[:, annual_k]))
    eq_parts.append((r0 + np.arange(K), off["V"] + np.arange(K), np.ones(K)))
    b_eq.append(np.where(stock, (py_end * area0).sum(axis=0) * w_exist, 0.0))
    r0 += K
    # Their costs after the horizon (young rate until they bear, then the bearing rate) go into D.
    young_w = np.stack([((ages[0] < c.first_harvest_year) * after[None, :]).sum(axis=1) for c in crops])
    if L == 0:
        young_w[:] = 0.0
    tc_n = np.where(st, cb_end[:, :, None] * w_bear[None] + cy_end[:, :, None] * young_w[None], 0.0)
    tc_u = np.where(st, -cb_end[:, :, None] * w_exist, 0.0)
    term_cost_c = float(np.where(stock[None, :], cb_end * area0, 0.0).sum() * w_exist)
    tc_a = np.where(stock[None, :], 0.0, cb_end * w_exist)

    # D = Σ_t δ_t (subsidy − cost) − Σ δ_t · price falls − costs after the horizon.
    det = sp.diags_array(np.repeat(discount[None, None, :], Cr * K, axis=0).ravel()) @ (sub_m - cost_m)
    det = det.sum(axis=0)                                                                   # (n_vars,)
    det = np.asarray(det).ravel()
    det_c = -(discount[None, None, :] * cost_c.reshape(Cr, K, T)).sum()
    det[n_col[st]] -= tc_n[st]
    det[u_col[st]] -= tc_u[st]
    det[a_col[:, annual_k, T - 1]] -= tc_a[:, annual_k]
    det_c -= term_cost_c
    seg_disc = np.broadcast_to(discount[None, :, None], (K, T, S_seg))
    det[e_col.ravel()] -= (seg_disc * slopes).ravel()
    # After the horizon the extra output (perennials at full bearing) meets the same demand curve, in every
    # appraisal year (so planting for the long run cannot ignore what it does to prices).
    mature_all = data.area0 * data.yield_[:, :, T - 1]
    term_province = mature_all.sum(axis=0)
    term_region = mature_all[idx].sum(axis=0)
    term_price = ((data.price[:, :, T - 1] * mature_all).sum(axis=0) / np.maximum(term_province, 1e-9)) * shock
    term_widths = np.zeros((K, S_seg))
    term_slopes = np.zeros((K, S_seg))
    for k, crop in enumerate(crops):
        w_, s_ = demand.segments(term_price[k:k + 1], demand.flexibility(crop.code, flexibility, data.assumptions), term_province[k:k + 1],
                                 term_region[k:k + 1])
        term_widths[k], term_slopes[k] = w_[0], s_[0]
    det[et_col.ravel()] -= (w_exist * term_slopes).ravel()
    nz = np.flatnonzero(det)
    eq_parts.append((np.full(nz.size, r0), nz, -det[nz]))
    eq_parts.append((np.array([r0]), np.array([off["D"]]), np.array([1.0])))
    b_eq.append(np.array([det_c]))
    r0 += 1
    A_eq = _coo(eq_parts, (r0, n_vars))
    b_eq = np.concatenate(b_eq)

    # ---- Inequalities
    ub_parts, b_ub, rows = [], [], {}
    r = 0

    def add(name: str, parts, rhs) -> None:
        nonlocal r
        count = np.asarray(rhs).size
        ub_parts.extend((r + rr, cc_, vv) for rr, cc_, vv in parts)
        b_ub.append(np.asarray(rhs, dtype=float).ravel())
        rows[name] = slice(r, r + count)
        r += count

    ct_row = cc * T + tt
    ann = ~perennial[kk]
    seasons = data.assumptions.seasons
    if not seasons:
        # One season: annual crops share the arable land up to the county's multiple-cropping index ρ.
        inv_rho = np.broadcast_to((1 / rho)[:, None, None], (Cr, K, T))
        add("annual_land", [(ct_row[ann], a_col[ann], inv_rho[ann])], np.repeat(arable, T))
        land_coef = np.where(ann, inv_rho, 1.0)
        add("land", [(ct_row, a_col, land_coef)], np.repeat(arable + garden, T))
    else:
        # Seasons (winter wheat, then summer corn on the same field): in each season the annual crops that
        # occupy it fit on the arable land, and with the perennials on the farmland; rows (county, year, season).
        Ns = len(seasons)
        occupies = np.array([[s in data.assumptions.occupies(c.code) for s in seasons] for c in crops])  # (K, Ns)
        parts_annual, parts_land = [], []
        for j in range(Ns):
            row = ct_row * Ns + j
            in_season = ann & occupies[kk, j]
            parts_annual.append((row[in_season], a_col[in_season], np.ones(in_season.sum())))
            uses = in_season | ~ann
            parts_land.append((row[uses], a_col[uses], np.ones(uses.sum())))
        # As ρ does for one season: a county whose data already sow more in a season keeps that much.
        annual0 = area0 * (~perennial)[None, :]
        used = annual0 @ occupies                                                    # (Cr, Ns)
        season_arable = np.maximum(arable[:, None], used)
        season_land = np.maximum((arable + garden)[:, None], used + (area0 * perennial[None, :]).sum(axis=1)[:, None])
        add("annual_land", parts_annual, np.repeat(season_arable[:, None, :], T, axis=1).ravel())
        add("land", parts_land, np.repeat(season_land[:, None, :], T, axis=1).ravel())
        # A change of crop moves the land for the seasons the crop occupies.
        land_coef = np.where(ann, occupies.sum(axis=1)[kk] / Ns, 1.0)

    floors = data.grain_task[idx].copy()
    if inputs.grain_floor_mu is not None:
        total = floors.sum()
        floors = (floors / total * inputs.grain_floor_mu) if total > 0 else np.full(Cr, inputs.grain_floor_mu / Cr)
    g = grain[kk]
    add("grain_floor", [(ct_row[g], a_col[g], -np.ones(g.sum()))], -np.repeat(floors, T))
    add("change", [(ct_row, n_col, land_coef)], np.repeat(inputs.max_change_share * (arable + garden), T))

    lab_rows = (agg_ct @ lab_m).tocoo()
    lab_base = (agg_ct @ (lab_m @ _baseline_x(area0, Cr, K, T, n_vars, off) + lab_c)).reshape(Cr, T)
    labour_cap = np.maximum(inputs.labour_days_per_worker * data.farm_labour[idx], lab_base.max(axis=1))
    add("labour", [(lab_rows.row, lab_rows.col, lab_rows.data)],
        np.repeat(labour_cap, T) - (agg_ct @ lab_c))

    # Uprooting takes today's stands that bear at the start of the plan, and no more over the horizon (one
    # row per county and perennial rather than one per year: a third fewer rows).
    ck_row = np.broadcast_to((np.arange(Cr)[:, None] * K + np.arange(K)[None, :])[:, :, None], (Cr, K, T))
    stock_ck = np.flatnonzero(np.tile(stock, Cr))
    compact = np.full(Cr * K, -1)
    compact[stock_ck] = np.arange(stock_ck.size)
    add("removal", [(compact[ck_row[st]], u_col[st], np.ones(st.sum()))], bex[:, :, 0].ravel()[stock_ck])

    corn = [k for k, c in enumerate(crops) if c.code == "corn"]
    if corn and inputs.max_corn_cut_share < 1:
        k = corn[0]
        add("corn_cut", [(np.repeat(t_[None, :], Cr, axis=0), a_col[:, k, :], -np.ones((Cr, T)))],
            -np.full(T, (1 - inputs.max_corn_cut_share) * area0[:, k].sum()))
    else:
        rows["corn_cut"] = slice(r, r)

    out_kt = (agg_kt @ output).tocoo()
    seg_rows = np.broadcast_to((np.arange(K)[:, None, None] * T + t_[None, :, None]), (K, T, S_seg))
    add("market", [(out_kt.row, out_kt.col, out_kt.data), (seg_rows, e_col, -np.ones((K, T, S_seg)))],
        region_output.ravel() - agg_kt @ output_c)

    # Extra output after the horizon: perennials Σ_c yield · (Σ_s n_s − Σ_s u_s), annual crops
    # Σ_c yield · a[T-1] above today's, ≤ Σ_s et_s.
    yend = np.broadcast_to(yld[:, :, T - 1][:, :, None], (Cr, K, T))
    add("market_after", [(kk[st], n_col[st], yend[st]), (kk[st], u_col[st], -yend[st]),
                         (np.broadcast_to(annual_k[None, :], (Cr, annual_k.size)), a_col[:, annual_k, T - 1],
                          yld[:, annual_k, T - 1]),
                         (np.broadcast_to(np.arange(K)[:, None], (K, S_seg)), et_col, -np.ones((K, S_seg)))],
        np.where(stock, 0.0, term_region))

    if n_scen:
        j = np.arange(n_scen)
        kt = np.arange(K * T)
        coef_R = -(factors * discount[None, None, :]).reshape(n_scen, K * T)
        coef_V = -factors[:, :, T - 1]
        add("cvar", [(np.repeat(j, K * T), off["R"] + np.tile(kt, n_scen), coef_R),
                     (np.repeat(j, K), off["V"] + np.tile(np.arange(K), n_scen), coef_V),
                     (j, np.full(n_scen, off["D"]), -np.ones(n_scen)),
                     (j, np.full(n_scen, off["eta"]), np.ones(n_scen)),
                     (j, off["z"] + j, -np.ones(n_scen))], np.zeros(n_scen))
    else:
        rows["cvar"] = slice(r, r)
    A_ub = _coo(ub_parts, (r, n_vars))
    b_ub = np.concatenate(b_ub)

    # ---- Bounds and objective
    lb = np.zeros(n_vars)
    ub = np.full(n_vars, np.inf)
    ub[a_col] = np.broadcast_to(data.cap[idx][:, :, None], (Cr, K, T))
    ub[n_col[excluded[kk]]] = 0.0
    ub[e_col] = widths
    ub[et_col] = term_widths
    free = np.r_[off["R"]:off["eta"] + 1]
    lb[free] = -np.inf
    lam = inputs.risk_weight
    c = np.zeros(n_vars)
    c[off["R"]:off["R"] + K * T] = -(1 - lam) * np.tile(discount, K)
    c[off["V"]:off["V"] + K] = -(1 - lam)
    c[off["D"]] = -(1 - lam)
    if n_scen:
        c[off["eta"]] = -lam
        c[off["z"]:] = lam / ((1 - inputs.cvar_alpha) * n_scen)

    return Problem(c=c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, lb=lb, ub=ub, rows=rows, shape=(Cr, K, T),
                   counties=idx, offsets=off,
                   expr={"output": output, "bearing": bear, "cost": cost_m, "labour": lab_m, "subsidy": sub_m,
                         "det": sp.csr_array(det[None, :])},
                   const={"output": output_c, "bearing": bear_c, "cost": cost_c, "labour": lab_c,
                          "subsidy": np.zeros(NC), "det": np.array([det_c])},
                   price=price, discount=discount, slopes=slopes, widths=widths, province_output=province_output,
                   region_output=region_output, avg_price=avg_price, factors=factors[:, :, :T], floors=floors,
                   labour_cap=labour_cap,
                   terminal={"rev_n": v_n, "rev_u": v_u, "rev_a": v_a, "cost_n": tc_n, "cost_u": tc_u, "cost_a": tc_a,
                             "cost_c": np.array([term_cost_c]),
                             "exist_rev": np.where(stock, (py_end * area0).sum(axis=0) * w_exist, 0.0),
                             "slopes": w_exist * term_slopes, "widths": term_widths})


def _baseline_x(area0: np.ndarray, Cr: int, K: int, T: int, n_vars: int, off: dict[str, int]) -> np.ndarray:
    """The no-change plan: today's area every year, nothing planted or uprooted."""
    x = np.zeros(n_vars)
    x[off["a"]:off["a"] + Cr * K * T] = np.repeat(area0.ravel(), T)
    return x


def baseline_x(problem: Problem, data: PlanData) -> np.ndarray:
    Cr, K, T = problem.shape
    return _baseline_x(data.area0[problem.counties], Cr, K, T, problem.n_vars, problem.offsets)
