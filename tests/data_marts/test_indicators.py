"""Each indicator declares which way is good, and that one declaration judges moves, warnings and targets."""

import pytest

from data_marts.indicators import BY_CODE, INDICATORS, Direction

CPI = BY_CODE["cpi"].direction
GDP = BY_CODE["gdp"].direction


def test_every_indicator_declares_its_direction():
    assert {i.direction.good for i in INDICATORS} <= {"higher", "lower", "band"}
    assert CPI == Direction(good="band", low=0.0, high=3.0)  # 控制在3%左右, and no deflation


@pytest.mark.parametrize("values, kind", [
    ((-0.2, -0.1, 0.1), None),  # CPI coming back into its band is not 走弱 (issue #11)
    ((1.0, 2.0, 2.8), None),  # rising inside the band
    ((3.2, 3.5, 3.9), "leaving"),  # above the ceiling and rising
    ((-0.5, -0.8, -1.2), "leaving"),  # deflation deepening
    ((3.9, 3.5, 3.2), None),  # coming back
])
def test_a_banded_indicator_warns_only_when_it_leaves_its_band(values, kind):
    assert CPI.wrong_way(*values) == kind


def test_higher_and_lower_is_better():
    assert GDP.wrong_way(6.0, 5.5, 5.0) == "slowing"
    assert GDP.wrong_way(1.0, -0.5, -1.0) == "falling"
    assert GDP.wrong_way(5.0, 5.5, 6.0) is None
    lower = Direction(good="lower")
    assert lower.wrong_way(1.0, 1.5, 2.0) == "rising"
    assert lower.wrong_way(2.0, 1.5, 1.0) is None
    assert GDP.wrong_way(None, 1.0, 2.0) is None


def test_tone_of_a_move():
    assert GDP.tone(5.0, 6.0) == "good" and GDP.tone(6.0, 5.0) == "bad"
    assert Direction(good="lower").tone(2.0, 3.0) == "bad"
    assert CPI.tone(-0.2, 0.1) == "good"  # back into the band
    assert CPI.tone(1.0, 2.0) == "neutral"  # inside the band either way
    assert CPI.tone(3.1, 3.6) == "bad"
    assert GDP.tone(None, 1.0) == "neutral"


def test_targets_are_floors_or_ceilings_as_declared():
    assert GDP.meets(5.6, 5.5) and not GDP.meets(5.4, 5.5)
    assert CPI.meets(102.4, 103) and not CPI.meets(103.2, 103)
