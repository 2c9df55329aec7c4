import polars as pl
import pytest

from data_marts.disclosure import DisclosureError, Problem

from .tables import problem


def test_a_relation_that_does_not_hold_is_refused():
    with pytest.raises(DisclosureError, match="do not hold.*sum \\(off by 1\\)"):
        problem({"t": 10, "a": 4, "b": 5}, {"sum": {"t": 1, "a": -1, "b": -1}})


def test_a_relation_naming_no_cell_is_refused():
    with pytest.raises(DisclosureError, match="name no cell"):
        problem({"t": 9, "a": 4, "b": 5}, {"sum": {"t": 1, "a": -1, "c": -1}})


def test_keys_are_unique_and_values_are_counts():
    relations = pl.DataFrame({"relation": ["r"], "cell": ["a"], "coef": [0]})
    with pytest.raises(DisclosureError, match="repeat a key"):
        Problem.from_frames(pl.DataFrame({"cell": ["a", "a"], "value": [1, 1], "published": [True, True]}), relations, ["cell"])
    with pytest.raises(DisclosureError, match="counts"):
        Problem.from_frames(pl.DataFrame({"cell": ["a"], "value": [-1], "published": [True]}), relations, ["cell"])


def test_a_key_of_several_columns_with_nulls_is_matched():
    cells = pl.DataFrame({"region": ["1", "2", None], "sex": ["m", "m", "m"], "value": [3, 4, 7], "published": [True] * 3})
    relations = pl.DataFrame({"relation": ["r"] * 3, "region": [None, "1", "2"], "sex": ["m"] * 3, "coef": [1, -1, -1]})
    p = Problem.from_frames(cells, relations, ["region", "sex"])
    assert p.matrix.shape == (1, 3) and p.matrix.nnz == 3
