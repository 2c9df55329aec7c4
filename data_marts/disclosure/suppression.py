"""Cell suppression that holds: primary suppression under k, complementary suppression until the audit
finds no withheld count under k that can be pinned down to less than ``protection``.

1. *Primary*: every published count under ``k`` (zero included) is withheld.
2. *Relation by relation*, until nothing changes: a relation whose only unknown cell is a withheld one
   gives it away (parent − visible children); a relation whose unknown cells all enter with one sign and
   add up to less than ``protection`` confines each of them to that sum (two withheld zeros under a
   visible total are both zero). Either way the relation's smallest visible count is withheld too.
3. *Audit* (``audit.py``): linear programmes over all relations at once find what step 2 cannot see
   (chains through several relations, cuts of one count in two marts); for each exposed cell the
   smallest visible count of one of its relations is withheld, and steps 2-3 repeat.

The smallest count is taken because it loses the least information; the loop ends because each round
withholds at least one more cell, and fails loudly if an exposed cell has no visible neighbour left.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from data_marts.disclosure.audit import Audit, audit
from data_marts.disclosure.problem import DisclosureError, Problem


@dataclass(frozen=True)
class Suppression:
    primary: np.ndarray  # mask: published counts under k
    complementary: np.ndarray  # mask: counts at or above k withheld to protect the primary ones
    audit: Audit  # the final audit, which found nothing exposed
    rounds: int  # audits run

    @property
    def suppressed(self) -> np.ndarray:
        return self.primary | self.complementary


def suppress(problem: Problem, k: int, protection: float, seed: int = 0) -> Suppression:
    """Withhold every published count under ``k`` and as many others as it takes for the audit to find
    each withheld count under ``k`` feasible over an interval at least ``protection`` wide."""
    primary = problem.published & (problem.values < k)
    hidden = primary.copy()
    lower, upper = np.zeros(problem.size), np.zeros(problem.size)
    rounds, programmes, changed = 0, 0, None
    while True:
        rounds += 1
        before = hidden.copy()
        close_relations(problem, hidden, protection)
        if changed is not None:
            changed |= hidden & ~before
        result = audit(problem, hidden | ~problem.published, primary, protection, seed=seed, changed=changed)
        lower[result.audited], upper[result.audited] = result.lower, result.upper
        programmes += result.programmes
        exposed = result.exposed
        if not exposed.size:
            audited = np.flatnonzero(primary)
            final = Audit(audited, lower[audited], upper[audited], result.protection, programmes, result.components)
            return Suppression(primary, hidden & ~primary, final, rounds)
        before = hidden.copy()
        for cell in exposed:
            if not _withhold_smallest(problem, hidden, problem.matrix[:, [cell]].tocoo().row):
                raise DisclosureError(f"cell {problem.keys.row(int(cell))} cannot be protected: "
                                      "every count it is related to is withheld already")
        changed = hidden & ~before


def close_relations(problem: Problem, hidden: np.ndarray, protection: float) -> None:
    """Step 2: withhold more cells (in ``hidden``, in place) until no single relation gives a withheld
    cell away or confines it to less than ``protection``."""
    matrix = problem.matrix
    present = sparse.csr_array(matrix != 0, dtype=np.int64)
    positive = sparse.csr_array(matrix > 0, dtype=np.int64)
    negative = sparse.csr_array(matrix < 0, dtype=np.int64)
    while True:
        unknown = hidden | ~problem.published
        n_unknown = present @ unknown
        alone = (n_unknown == 1) & (present @ hidden == 1)
        one_sign = (positive @ unknown == 0) | (negative @ unknown == 0)
        narrow = (n_unknown > 0) & (present @ hidden > 0) & one_sign & (present @ (problem.values * unknown) < protection)
        added = 0
        for relation in np.flatnonzero(alone | narrow):  # checked again: an earlier one may have mended it
            if _gives_away(problem, hidden, relation, protection):
                added += _withhold_smallest(problem, hidden, [relation])
        if not added:
            return


def _gives_away(problem: Problem, hidden: np.ndarray, relation: int, protection: float) -> bool:
    start, end = problem.matrix.indptr[relation], problem.matrix.indptr[relation + 1]
    cells, coefs = problem.matrix.indices[start:end], problem.matrix.data[start:end]
    unknown = hidden[cells] | ~problem.published[cells]
    if not hidden[cells].any():
        return False
    if unknown.sum() == 1:
        return True
    signs = np.sign(coefs[unknown])
    return bool((signs == signs[0]).all() and problem.values[cells][unknown].sum() < protection)


def _withhold_smallest(problem: Problem, hidden: np.ndarray, relations) -> bool:
    """Withhold the smallest visible count of the given relations; False if they have none."""
    cells = np.unique(np.concatenate([problem.cells_of(int(r)) for r in relations])) if len(relations) else []
    visible = [c for c in cells if problem.published[c] and not hidden[c]]
    if not visible:
        return False
    hidden[min(visible, key=lambda c: (problem.values[c], c))] = True
    return True
