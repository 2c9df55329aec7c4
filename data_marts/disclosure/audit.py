"""The attacker's audit: how narrowly can each withheld count be pinned down from what is published?

With every published value fixed, the withheld cells (and the latent ones) can take any whole-number
values ``x >= 0`` that satisfy the relations ``A x = b``. A withheld cell is *recoverable* when only one
value is feasible, and *exposed* when its feasible values span less than ``protection``.

Each connected group of unknown cells is one feasible set, solved with HiGHS (highspy, warm-started
from one objective to the next). Most cells are cleared without a programme of their own:
- one programme finds every cell that can grow without bound (``_unbounded``);
- every solution that is a whole-number table is a feasible table, a *witness*: a cell whose values
  across witnesses (the true table among them) differ by ``protection`` is protected. Tables that push
  all open cells up, then down, then in random directions clear most of them;
- only the rest get their own maximum and minimum, first over the linear relaxation (an outer bound:
  narrower than ``protection`` there means exposed), then, when the relaxation's optima are fractional,
  as integer programmes.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from data_marts.disclosure.problem import Problem

TOLERANCE = 1e-6
RANDOM_ROUNDS = 8  # programmes with random objectives per component before the cell-by-cell bounds


@dataclass(frozen=True)
class Audit:
    """The result of an audit. ``lower``/``upper`` hold, for every audited cell, values it can take
    (the true feasible interval contains them; for an exposed cell they are its exact bounds)."""

    audited: np.ndarray  # indices of the cells the audit was asked about
    lower: np.ndarray  # per audited cell
    upper: np.ndarray
    protection: float
    programmes: int  # linear programmes solved
    components: int  # connected groups of unknown cells that held an audited cell

    @property
    def width(self) -> np.ndarray:
        return self.upper - self.lower

    @property
    def exposed(self) -> np.ndarray:
        """Audited cells whose feasible interval is narrower than ``protection``."""
        return self.audited[self.width < self.protection - TOLERANCE]

    @property
    def recoverable(self) -> np.ndarray:
        """Audited cells whose value is the only feasible one."""
        return self.audited[self.width < TOLERANCE]


def components(problem: Problem, unknown: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(cell indices of the unknown cells, their component labels): two unknown cells are connected
    when a relation holds both."""
    cells = np.flatnonzero(unknown)
    incidence = sparse.csr_array(problem.matrix[:, cells] != 0, dtype=np.int8)
    adjacency = (incidence.T @ incidence).tocsr()
    _, labels = connected_components(adjacency, directed=False)
    return cells, labels


def audit(problem: Problem, unknown: np.ndarray, targets: np.ndarray, protection: float, seed: int = 0,
          changed: np.ndarray | None = None) -> Audit:
    """Bound every cell in ``targets`` (a mask) given that the cells in ``unknown`` (a mask holding the
    targets, the other withheld cells and the latent ones) are not published.

    ``changed`` (a mask): audit only the targets whose component holds one of these cells; the others'
    programmes would be the same as at the last audit (the suppression loop passes the cells it has
    withheld since)."""
    if (targets & ~unknown).any():
        raise ValueError("a cell to audit is published")
    rng = np.random.default_rng(seed)
    cells, labels = components(problem, unknown)
    if changed is not None:
        dirty = np.isin(labels, np.unique(labels[changed[cells]]))
        targets = targets.copy()
        targets[cells[~dirty]] = False
    lower = problem.values.astype(float)
    upper = problem.values.astype(float)
    count, groups = 0, 0
    wanted = np.isin(labels, np.unique(labels[targets[cells]]))
    order = np.argsort(labels[wanted], kind="stable")
    members = cells[wanted][order]
    bounds_at = np.flatnonzero(np.diff(labels[wanted][order])) + 1
    for group in np.split(members, bounds_at):
        if not group.size:
            continue
        groups += 1
        count += _bound(problem, unknown, group, targets[group], protection, rng, lower, upper)
    audited = np.flatnonzero(targets)
    return Audit(audited, lower[audited], upper[audited], float(protection), count, groups)


def _bound(problem: Problem, unknown: np.ndarray, group: np.ndarray, is_target: np.ndarray, protection: float,
           rng: np.random.Generator, lower: np.ndarray, upper: np.ndarray) -> int:
    """Bound the target cells of one component; writes into ``lower``/``upper``; returns programmes solved."""
    rows = np.unique(problem.matrix[:, group].tocoo().row)
    block = problem.matrix[rows]
    known = ~unknown
    a_eq = block[:, group].tocsc()
    b_eq = -(block[:, known] @ problem.values[known])
    values = problem.values[group].astype(float)
    # Capping each cell keeps every programme bounded and cannot make a cell look better protected than
    # it is (the capped set lies inside the true one). The cap leaves room for every cell of the group to
    # move by ``protection`` at once, so a total over many withheld cells does not hold them back.
    programme = _Programme(_lp(a_eq, b_eq, b_eq, values + protection * group.size + 1.0))
    seen_lo, seen_hi = values.copy(), values.copy()
    targets = np.flatnonzero(is_target)
    solved = 0

    def solve(objective: np.ndarray, integer: bool = False) -> np.ndarray:
        """Solve, and count the solution as a witness only if it is a table of whole numbers."""
        nonlocal solved
        solved += 1
        x = programme.solve(objective, integer)
        if np.all(np.abs(x - np.round(x)) < TOLERANCE):
            np.minimum(seen_lo, x, out=seen_lo)
            np.maximum(seen_hi, x, out=seen_hi)
        return x

    def open_targets() -> np.ndarray:
        return targets[seen_hi[targets] - seen_lo[targets] < protection - TOLERANCE]

    # Cells that can grow without bound (a direction d >= 0 with A d = 0 that moves them) are protected.
    pending = open_targets()
    if pending.size:
        solved += 1
        seen_hi[pending[_unbounded(a_eq, pending)]] = np.inf
    # Tables that push many open cells at once: all up, all down, then random directions.
    pending = open_targets()
    for round_ in range(RANDOM_ROUNDS + 2):
        if not pending.size:
            break
        objective = np.zeros(group.size)
        objective[pending] = -1.0 if round_ == 0 else 1.0 if round_ == 1 else rng.choice([-1.0, 1.0], size=pending.size)
        solve(objective)
        still = open_targets()
        if round_ > 1 and still.size > 0.9 * pending.size:
            break  # random directions stopped paying: the rest get programmes of their own
        pending = still
    for cell in pending:
        wide = lambda: seen_hi[cell] - seen_lo[cell] >= protection - TOLERANCE  # noqa: E731
        objective = np.zeros(group.size)
        for integer in (False, True):
            if wide():
                break  # cleared, possibly by another cell's programme
            objective[cell] = -1.0
            high = solve(objective, integer)[cell]
            if wide():
                break
            objective[cell] = 1.0
            low = solve(objective, integer)[cell]
            if high - low < protection - TOLERANCE:  # exposed: these are its exact bounds
                seen_lo[cell], seen_hi[cell] = low, high
                break
            # else the relaxation is wide but its extreme tables are fractional: ask for whole numbers
    lower[group[targets]] = seen_lo[targets]
    upper[group[targets]] = seen_hi[targets]
    return solved


def _unbounded(a_eq: sparse.csc_array, cells: np.ndarray) -> np.ndarray:
    """Which of ``cells`` (column indices) some direction ``d >= 0`` with ``A d = 0`` moves: along it a
    feasible table grows without bound, over whole numbers too (the cone is rational, so it holds an
    integer direction with the same support). One programme finds the largest such support: maximise
    the number of cells with ``d >= 1``, which scaling makes the same as ``d > 0``."""
    rows, n = a_eq.shape
    m = cells.size
    # columns: d (n), t (m); rows: A d = 0 (rows), t_j - d_cells[j] <= 0 (m)
    link = sparse.hstack([-sparse.csc_array((np.ones(m), (np.arange(m), cells)), shape=(m, n)),
                          sparse.identity(m, format="csc")])
    matrix = sparse.vstack([sparse.hstack([a_eq, sparse.csc_array((rows, m))]), link]).tocsc()
    programme = _Programme(_lp(matrix, np.concatenate([np.zeros(rows), np.full(m, -np.inf)]), np.zeros(rows + m),
                               np.concatenate([np.full(n, float(10 * (n + 1))), np.ones(m)])))
    return programme.solve(np.concatenate([np.zeros(n), -np.ones(m)]))[n:] > 0.5


def _lp(matrix: sparse.csc_array, row_lower: np.ndarray, row_upper: np.ndarray, col_upper: np.ndarray) -> highspy.HighsLp:
    """``row_lower <= matrix @ x <= row_upper``, ``0 <= x <= col_upper``, no costs yet."""
    lp = highspy.HighsLp()
    lp.num_row_, lp.num_col_ = matrix.shape
    lp.col_cost_ = np.zeros(lp.num_col_)
    lp.col_lower_, lp.col_upper_ = np.zeros(lp.num_col_), col_upper.astype(float)
    lp.row_lower_, lp.row_upper_ = row_lower.astype(float), row_upper.astype(float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_ = matrix.indptr, matrix.indices
    lp.a_matrix_.value_ = matrix.data.astype(float)
    return lp


class _Programme:
    """A feasible set (a component's ``{0 <= x <= upper, A x = b}``), solved for one objective after
    another; HiGHS starts each from the last optimal basis, which makes the later solves cheap."""

    def __init__(self, lp: highspy.HighsLp):
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.passModel(lp)
        self.columns = np.arange(lp.num_col_, dtype=np.int32)
        self.integer = False

    def solve(self, objective: np.ndarray, integer: bool = False) -> np.ndarray:
        """A solution minimising ``objective @ x``: a vertex, or with ``integer`` a table of whole numbers."""
        kind = highspy.HighsVarType.kInteger if integer else highspy.HighsVarType.kContinuous
        if integer != self.integer:
            self.highs.changeColsIntegrality(self.columns.size, self.columns, np.full(self.columns.size, kind))
            self.integer = integer
        self.highs.changeColsCost(self.columns.size, self.columns, objective.astype(float))
        self.highs.run()
        status = self.highs.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:  # the true table is feasible and the caps bound the rest
            raise RuntimeError(f"disclosure audit: a linear programme ended {self.highs.modelStatusToString(status)}")
        return np.asarray(self.highs.getSolution().col_value)
