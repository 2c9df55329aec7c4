"""Conformal calibration: on simulated series whose model intervals are too narrow (or too wide),
factors learnt from backtest errors make the stated coverage the real one on later windows."""

import numpy as np
import polars as pl
import pytest

from models.forecast.calibration import (calibration_from, conformal_quantile, recalibrate,
                                         standardized_errors)
from models.forecast.result import Forecast


def _points(actual, centre, half80):
    # one window (origin) per point: independent errors, as across series and years
    return pl.DataFrame({"origin": [str(i) for i in range(len(actual))], "step": np.ones(len(actual), dtype=np.int64), "actual": actual,
                         "lower_80": centre - half80, "upper_80": centre + half80})


def test_the_conformal_quantile_is_the_ceiling_rank():
    scores = np.arange(1.0, 11.0)  # n = 10: the ⌈11·0.8⌉ = 9th smallest
    assert conformal_quantile(scores, 0.8) == 9.0
    assert conformal_quantile(scores, 0.95) == 10.0  # ⌈11·0.95⌉ = 11 > n: the largest


@pytest.mark.parametrize("true_sd", [3.0, 0.5])  # the model believes sd = 1: too narrow, then too wide
def test_calibrated_intervals_cover_what_they_state_on_simulated_series(true_sd):
    rng = np.random.default_rng(11)
    half80 = 1.2816  # the model's 80% half-width for its believed sd of 1
    # Calibrate on 400 backtest errors, then judge 4000 later forecasts of the same kind.
    past = rng.normal(0, true_sd, 400)
    cal = calibration_from(standardized_errors(_points(past + 50, np.full(400, 50.0), half80), log=False), "sim")
    future = rng.normal(0, true_sd, 4000) + 50
    periods = tuple(f"{2000 + i}" for i in range(1))
    inside80, inside95, raw80 = [], [], []
    for value in future[:400]:
        raw = Forecast(periods, np.array([50.0]), np.array([50 - half80]), np.array([50 + half80]),
                       np.array([50 - 1.96]), np.array([50 + 1.96]), model="sim")
        fixed = recalibrate(raw, cal, log=False)
        raw80.append(raw.lower_80[0] <= value <= raw.upper_80[0])
        inside80.append(fixed.lower_80[0] <= value <= fixed.upper_80[0])
        inside95.append(fixed.lower_95[0] <= value <= fixed.upper_95[0])
    assert abs(np.mean(raw80) - 0.8) > 0.15  # the model's own intervals are off: the test can fail
    assert 0.75 <= np.mean(inside80) <= 0.86
    assert 0.92 <= np.mean(inside95) <= 0.99


def test_random_walk_forecasts_calibrated_by_their_backtest_cover_80_percent():
    """End to end through models.forecast: random walks with drift whose shocks are fat-tailed, where
    the model's Gaussian intervals mislead; calibrated on each series' own backtest."""
    from models import forecast

    rng = np.random.default_rng(5)
    inside = []
    for k in range(40):
        shocks = rng.standard_t(3, 160) * 0.01
        values = np.exp(np.log(100) + np.cumsum(0.003 + shocks))
        periods = [f"{2008 + i // 12}-{i % 12 + 1:02d}" for i in range(160)]
        train = pl.DataFrame({"period": periods[:148], "value": values[:148]})
        result = forecast(train, 12, models=["drift"], origins=11, n_paths=0, festival=None)
        assert result.calibration is not None
        inside += list((values[148:] >= result.lower_80) & (values[148:] <= result.upper_80))
    assert 0.7 <= np.mean(inside) <= 0.9


def test_errors_from_too_few_windows_teach_nothing():
    """24 monthly points from two origins are two observations: no factor is learnt from them."""
    points = pl.DataFrame({"origin": ["2019-12"] * 12 + ["2020-12"] * 12, "step": list(range(1, 13)) * 2,
                           "actual": np.full(24, 100.0), "lower_80": np.full(24, 90.0), "upper_80": np.full(24, 110.0)})
    assert calibration_from(standardized_errors(points), "two origins") is None
    many = pl.concat([points.with_columns((pl.lit(f"s{i}|") + pl.col("origin")).alias("origin")) for i in range(5)])
    assert calibration_from(standardized_errors(many), "ten windows") is not None
