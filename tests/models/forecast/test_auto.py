"""``models.forecast``: the automatic choice, the 累计值 round trip and the fallback that says so."""

import numpy as np
import polars as pl
import pytest

from models import forecast
from models.forecast.base import ForecastFailed
from models.forecast.registry import make
from models.forecast.sarimax import SARIMAX


def test_the_chosen_model_is_the_best_backtested_candidate(monkeypatch):
    series = pl.DataFrame({"period": [f"{y}-Q{q}" for y in range(2012, 2025) for q in range(1, 5)],
                           "value": [100 + 3 * i + 12 * (i % 4 == 3) for i in range(52)]})
    result = forecast(series, horizon=4, freq="Q")
    assert result.model == result.candidates[0].model == result.scores.model
    assert [s.mase for s in result.candidates] == sorted(s.mase for s in result.candidates)
    # A clean trend with a season: a trend model must beat repeating last year.
    assert result.scores.mase < result.scores.baseline_mase


def test_year_to_date_totals_are_forecast_as_period_values_and_converted_back():
    periods = [f"{y}-{m:02d}" for y in range(2016, 2025) for m in range(2, 13)]
    current = np.tile(np.r_[20.0, np.full(10, 10.0)], 9) * np.repeat(1.05 ** np.arange(9), 11)
    cumulative = np.concatenate([np.cumsum(current[i:i + 11]) for i in range(0, len(current), 11)])
    result = forecast(pl.DataFrame({"period": periods, "value": cumulative}), horizon=11, cumulative=True)
    frame = result.to_frame()
    assert any("累计值" in n for n in result.notes)
    assert result.current is not None
    assert np.allclose(frame["mean"].to_numpy(), np.cumsum(result.current.mean))
    assert frame["mean"][0] == pytest.approx(20.0 * 1.05 ** 9, rel=0.05)
    assert frame["mean"][-1] == pytest.approx(120.0 * 1.05 ** 9, rel=0.05)


def test_a_model_that_fails_falls_back_and_says_so(monkeypatch):
    def broken(self, z):
        raise ForecastFailed("the likelihood optimisation did not converge")

    monkeypatch.setattr(SARIMAX, "_fit", broken)
    model = make("sarimax").fit(pl.DataFrame({"period": [str(y) for y in range(2000, 2025)],
                                              "value": np.linspace(10, 40, 25)}))
    assert model.used_.name == "ets"
    assert model.notes_ == ["sarimax failed (the likelihood optimisation did not converge); fell back to ets"]
    assert model.predict(2).model == "ets"


def test_a_missing_value_is_named():
    with pytest.raises(ValueError, match="2021"):
        forecast(pl.DataFrame({"period": ["2019", "2020", "2021", "2022"], "value": [1.0, 2.0, None, 4.0]}), 1)


def test_the_annual_arima_drift_is_a_constant_not_a_growing_trend():
    """ARIMA(0,1,1) with a constant on logs: the forecast grows by the same rate every year. With the
    old trend="t" the yearly growth itself grew with the horizon."""
    rng = np.random.default_rng(2)
    values = 1000 * np.exp(np.cumsum(0.08 + rng.normal(0, 0.01, 20)))
    model = make("sarimax").fit(pl.DataFrame({"period": [str(2000 + i) for i in range(20)], "value": values}))
    assert model.used_.name == "sarimax"
    growth = np.diff(np.log(model.predict(6).mean))
    assert np.ptp(growth) < 1e-6
    assert 0.06 < growth[0] < 0.10


def test_a_candidate_too_short_for_an_early_origin_is_still_scored_on_the_others():
    """SARIMAX needs 6 annual points: at the earliest origins its fallback forecasts, and it is not
    dropped from the backtest (it used to be, leaving the trend regression to win)."""
    from models.forecast.backtest import backtest

    rng = np.random.default_rng(4)
    values = 100 * np.exp(np.cumsum(0.07 + rng.normal(0, 0.02, 12)))
    series = pl.DataFrame({"period": [str(2010 + i) for i in range(12)], "value": values})
    result = backtest(series, horizon=3, origins=9, step=1)  # origins from 3 points on
    assert "sarimax" in {s.model for s in result.scores}
    used = result.points.filter(pl.col("model") == "sarimax")["used"].to_list()
    assert "sarimax" in used and any(u != "sarimax" for u in used)
    assert result.fallbacks["sarimax"] >= 1


@pytest.mark.parametrize("n", [3, 4, 5, 6])
def test_every_series_of_three_points_or_more_gets_a_forecast(n):
    series = pl.DataFrame({"period": [str(2015 + i) for i in range(n)], "value": [3500.0 + 20 * i for i in range(n)]})
    result = forecast(series, horizon=2)
    assert result.horizon == 2 and np.all(np.isfinite(result.mean))
    assert result.mean[0] > 3500 + 20 * (n - 1)  # the drift carries on
    if n == 3:
        assert any("too few to backtest" in note for note in result.notes)


def test_the_festival_kind_chooses_the_regressors():
    rng = np.random.default_rng(8)
    periods = [f"{y}-{m:02d}" for y in range(2012, 2020) for m in range(1, 13)]
    series = pl.DataFrame({"period": periods, "value": 100.0 * np.exp(np.cumsum(0.01 + rng.normal(0, 0.01, len(periods))))})
    widths = {}
    for kind in ("flow", "stock"):
        model = make("sarimax", festival=kind).fit(series)
        assert model.used_ is model
        widths[kind] = model.result_.model.exog.shape[1]
    assert widths == {"flow": 1, "stock": 2}
    assert make("sarimax", festival=None).fit(series).result_.model.exog is None
