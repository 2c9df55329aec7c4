"""The estimator contract, run over every registered forecaster (a new one is tested the moment it
is registered): fit returns self, predict before fit raises, horizon length, ordered intervals,
determinism, and no look-ahead in the backtest."""

import numpy as np
import polars as pl
import pytest

from models.forecast import FORECASTERS, NotFittedError, backtest
from models.forecast.periods import label


def monthly(n_years=8, combined=False, seed=1):
    rng = np.random.default_rng(seed)
    months = range(2, 13) if combined else range(1, 13)
    periods = [label("M", y, m) for y in range(2016, 2016 + n_years) for m in months]
    t = np.arange(len(periods))
    season = np.array([1 + 0.15 * np.sin(2 * np.pi * int(p[-2:]) / 12) for p in periods])
    return pl.DataFrame({"period": periods, "value": 100 * np.exp(0.004 * t) * season * np.exp(rng.normal(0, 0.02, len(t)))})


def quarterly(seed=2):
    rng = np.random.default_rng(seed)
    periods = [f"{y}-Q{q}" for y in range(2013, 2025) for q in range(1, 5)]
    return pl.DataFrame({"period": periods, "value": [50 + i + 8 * (i % 4 == 3) + rng.normal(0, 1) for i in range(48)]})


def annual():
    return pl.DataFrame({"period": [str(y) for y in range(2006, 2025)], "value": [2292.3 * 1.1 ** i for i in range(19)]})


SERIES = {"monthly": monthly(), "monthly_1_2_combined": monthly(combined=True), "quarterly": quarterly(), "annual": annual()}
CASES = [(name, key) for name in FORECASTERS for key in SERIES]
# Short series: every forecaster (or the fallback it gives way to) must forecast 3, 4 and 6 points.
SHORT = {f"{freq}_{n}": pl.DataFrame({"period": periods[:n], "value": [50.0 * 1.05 ** i + (i % 2) for i in range(n)]})
         for freq, periods in (("annual", [str(y) for y in range(2015, 2030)]),
                               ("quarterly", [f"{y}-Q{q}" for y in range(2020, 2025) for q in range(1, 5)]),
                               ("monthly", [label("M", 2023, m) for m in range(1, 13)]))
         for n in (3, 4, 6)}
SHORT_CASES = [(name, key) for name in FORECASTERS for key in SHORT]


@pytest.mark.parametrize("name,key", CASES)
def test_fit_returns_self_and_predict_has_the_horizon_and_ordered_intervals(name, key):
    model = FORECASTERS[name]()
    assert model.fit(SERIES[key]) is model
    forecast = model.predict(7)
    frame = forecast.to_frame()
    assert frame.columns == ["period", "mean", "lower_80", "upper_80", "lower_95", "upper_95"]
    assert frame.height == 7 and forecast.horizon == 7
    assert all(frame[c].is_finite().all() for c in frame.columns[1:])
    ordered = frame.select(
        (pl.col("lower_95") <= pl.col("lower_80")) & (pl.col("lower_80") <= pl.col("mean"))
        & (pl.col("mean") <= pl.col("upper_80")) & (pl.col("upper_80") <= pl.col("upper_95")))
    assert ordered.to_series().all(), frame


@pytest.mark.parametrize("name,key", SHORT_CASES)
def test_short_series_get_a_forecast_with_ordered_intervals(name, key):
    model = FORECASTERS[name]()
    forecast = model.fit(SHORT[key]).predict(4)
    frame = forecast.to_frame()
    assert frame.height == 4 and all(frame[c].is_finite().all() for c in frame.columns[1:])
    assert (frame["lower_95"] <= frame["lower_80"]).all() and (frame["upper_80"] <= frame["upper_95"]).all()
    assert (frame["lower_80"] <= frame["mean"]).all() and (frame["mean"] <= frame["upper_80"]).all()
    if model.used_ is not model:  # too short for this model: its fallback forecast, and the notes say so
        assert model.notes_ and model.notes_[0].startswith(f"{name} failed")


@pytest.mark.parametrize("name", FORECASTERS)
def test_two_points_are_refused_with_a_reason(name):
    with pytest.raises(ValueError, match="at least 3"):
        FORECASTERS[name]().fit(pl.DataFrame({"period": ["2023", "2024"], "value": [1.0, 2.0]}))


@pytest.mark.parametrize("name", FORECASTERS)
def test_predict_before_fit_raises(name):
    with pytest.raises(NotFittedError):
        FORECASTERS[name]().predict(3)


@pytest.mark.parametrize("name", FORECASTERS)
def test_the_same_seed_gives_the_same_forecast_and_paths(name):
    a = FORECASTERS[name](seed=3).fit(SERIES["monthly"]).predict(12)
    b = FORECASTERS[name](seed=3).fit(SERIES["monthly"]).predict(12)
    assert a.to_frame().equals(b.to_frame())
    assert np.array_equal(a.paths, b.paths)


@pytest.mark.parametrize("name", FORECASTERS)
def test_periods_continue_the_calendar(name):
    forecast = FORECASTERS[name]().fit(SERIES["monthly_1_2_combined"]).predict(12)
    assert forecast.periods[:2] == ("2024-02", "2024-03")  # the 1–2月 figure is labelled February
    assert forecast.periods[-1] == "2025-02"


@pytest.mark.parametrize("name", FORECASTERS)
def test_forecast_results_cannot_be_changed(name):
    forecast = FORECASTERS[name]().fit(SERIES["quarterly"]).predict(4)
    with pytest.raises(ValueError):
        forecast.mean[0] = 0.0


def test_the_backtest_never_sees_the_window_it_scores():
    """Change every value after the first origin: what was forecast from that origin must not move."""
    series = SERIES["monthly"]
    first = backtest(series, horizon=12, origins=3).points
    origin = first["origin"][0]
    cut = series["period"].to_list().index(origin) + 1
    changed = series.with_columns(pl.when(pl.int_range(pl.len()) >= cut).then(pl.col("value") * 1.5)
                                  .otherwise(pl.col("value")).alias("value"))
    second = backtest(changed, horizon=12, origins=3).points
    keep = ["model", "period", "mean", "lower_80", "upper_80", "lower_95", "upper_95"]
    both = set(first["model"]) & set(second["model"])  # a model may fail on the changed later windows
    assert len(both) >= 3
    pick = (pl.col("origin") == origin) & pl.col("model").is_in(list(both))
    assert first.filter(pick).select(keep).equals(second.filter(pick).select(keep))
    # ...while the actual values it is scored against did change, so the test can fail.
    assert not first.filter(pl.col("origin") == origin)["actual"].equals(second.filter(pl.col("origin") == origin)["actual"])
