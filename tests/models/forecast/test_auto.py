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
