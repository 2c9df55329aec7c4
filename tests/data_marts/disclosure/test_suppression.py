"""Primary and complementary suppression on small tables: each case fails if complementary suppression
is left out (the audit of the primary pattern alone finds the cell), and passes with it."""

import numpy as np
import pytest

from data_marts.disclosure import suppress
from data_marts.disclosure.audit import audit

from .tables import names, problem, table

K, PROTECTION = 10, 5


def _audit(p, hidden, targets):
    return audit(p, hidden | ~p.published, targets, PROTECTION)


def _check(p):
    """The primary pattern alone gives a cell away; suppress() withholds more, and then nothing is exposed."""
    primary = p.published & (p.values < K)
    assert _audit(p, primary, primary).exposed.size > 0
    result = suppress(p, K, PROTECTION)
    assert (result.primary == primary).all() and result.complementary.any()
    final = _audit(p, result.suppressed, primary)
    assert final.exposed.size == 0 and (final.width >= PROTECTION).all()
    return result


def test_a_county_under_k_takes_a_sibling_with_it():
    """Prefecture = three counties; one county under k: parent − visible children would give it back."""
    p = problem({"prefecture": 53, "a": 3, "b": 20, "c": 30}, {"sum": {"prefecture": 1, "a": -1, "b": -1, "c": -1}})
    result = _check(p)
    assert names(p, result.complementary) == {"b"}  # the smallest visible count goes too


def test_two_levels_protect_each_other():
    """Province = two prefectures, each = two counties; the withheld prefecture count is protected in
    the province's relation as well as in its own."""
    values = {"province": 90, "p1": 40, "p2": 50, "a": 4, "b": 36, "c": 25, "d": 25}
    p = problem(values, {"province": {"province": 1, "p1": -1, "p2": -1},
                         "p1": {"p1": 1, "a": -1, "b": -1}, "p2": {"p2": 1, "c": -1, "d": -1}})
    result = _check(p)
    hidden = names(p, result.suppressed)
    assert {"a", "b"} <= hidden or {"a", "p1", "p2"} <= hidden


def test_withheld_zeros_under_a_visible_total_are_not_left_alone():
    """0 + 0 + 25 = 25: both zeros are withheld, but with the total and the third cell visible they must
    both be 0 (counts are not negative). Another visible cell has to go."""
    p = problem({"total": 25, "a": 0, "b": 0, "c": 25}, {"sum": {"total": 1, "a": -1, "b": -1, "c": -1}})
    primary = p.published & (p.values < K)
    assert _audit(p, primary, primary).recoverable.size == 2
    result = _check(p)
    assert len(names(p, result.complementary)) == 1


def test_a_two_way_table_needs_a_rectangle():
    """One small cell in a table with row and column totals: withholding one cell per row and column
    is not enough, the classic pattern is a rectangle of four."""
    p = table([[3, 40, 50], [30, 20, 60], [45, 35, 25]])
    result = _check(p)
    hidden = names(p, result.suppressed)
    assert "x00" in hidden and len(hidden) >= 4
    assert sum(c.startswith("x0") for c in hidden) >= 2 and sum(c.endswith("0") and c.startswith("x") for c in hidden) >= 2


def test_what_no_single_relation_shows_the_audit_finds():
    """Moves in of two counties = the prefecture's + the moves between them (never published); the moves
    out say how many those were. No relation has one unknown, yet county a's moves in are pinned."""
    values = {"in_p": 30, "in_a": 4, "in_b": 36, "out_p": 20, "out_a": 12, "out_b": 18, "within": 10}
    relations = {"in": {"in_a": 1, "in_b": 1, "in_p": -1, "within": -1},
                 "out": {"out_a": 1, "out_b": 1, "out_p": -1, "within": -1}}
    p = problem(values, relations, latent=("within",))
    result = _check(p)
    assert result.rounds > 1  # the relation-by-relation step alone did not see it


def test_latent_cells_are_never_published_and_need_no_protection():
    p = problem({"total": 25, "a": 12, "hidden": 13}, {"sum": {"total": 1, "a": -1, "hidden": -1}}, latent=("hidden",))
    result = suppress(p, K, PROTECTION)
    assert not result.suppressed.any()


def test_a_cell_with_nothing_left_to_withhold_fails_loudly():
    from data_marts.disclosure import DisclosureError

    # Everything withheld tells nothing: t = a + b with all three unknown leaves each free.
    p = problem({"a": 3, "b": 0, "t": 3}, {"sum": {"t": 1, "a": -1, "b": -1}})
    assert suppress(p, K, PROTECTION).audit.exposed.size == 0
    # But two counts that add up to nothing are zero however much is withheld.
    p = problem({"a": 0, "b": 0}, {"nothing": {"a": 1, "b": 1}})
    with pytest.raises(DisclosureError, match="cannot be protected"):
        suppress(p, K, PROTECTION)


def test_whole_numbers_are_asked_for_when_the_relaxation_is_fractional():
    """b = 2a and b + c = 3 (a, b, c withheld, true 1, 2, 1): the linear relaxation lets a reach 1.5, but
    whole numbers allow only a = 0 or 1. Asked for 1.2, the audit must say exposed."""
    p = problem({"a": 1, "b": 2, "c": 1, "three": 3},
                {"double": {"a": 2, "b": -1}, "sum": {"b": 1, "c": 1, "three": -1}})
    unknown = np.array([True, True, True, False])
    a = np.array([True, False, False, False])
    assert audit(p, unknown, a, 1.2).exposed.size == 1
    assert audit(p, unknown, a, 1.0).exposed.size == 0
