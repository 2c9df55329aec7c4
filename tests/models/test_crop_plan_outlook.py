"""The planner's outlook step: forecasts per crop from history (the shared forecaster, or the documented
damped-trend fallback), counties at their own level, spreads from the 80 % intervals."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from models.crop_plan import expectations
from models.crop_plan.expectations import CropOutlook, forecast_series, log_sd_from_interval


def history() -> pl.DataFrame:
    rows = []
    for year in range(2015, 2025):
        i = year - 2015
        rows.append({"region_code": "520000", "region_level": "province", "crop": "tea", "year": year,
                     "area_mu": 1000.0, "price_yuan_per_kg": 100 * 1.02**i, "yield_kg_per_mu": 50.0 + i})
        for county, level in (("520101", 1.1), ("520102", 0.9)):
            rows.append({"region_code": county, "region_level": "county", "crop": "tea", "year": year,
                         "area_mu": 500.0 if county == "520101" or year < 2020 else 0.0,
                         "price_yuan_per_kg": 100 * 1.02**i * level, "yield_kg_per_mu": (50.0 + i) / level})
    return pl.DataFrame(rows)


@pytest.mark.parametrize("shared", [True, False])
def test_the_outlook_covers_every_county_crop_and_year(monkeypatch, shared):
    if not shared:
        monkeypatch.setattr(expectations, "_shared_forecaster", lambda: None)
    out = CropOutlook(horizon=4).fit(history(), province="520000").outlook_
    assert out.height == 3 * 4
    assert set(out["year"]) == {2025, 2026, 2027, 2028}
    assert out.select(pl.col("price_log_sd").min() >= 0, pl.col("yield_log_sd").min() >= 0).row(0) == (True, True)
    method = out["method"][0]
    assert method.startswith("price: models.forecast") if shared else "ets_damped" in method
    top = out.filter(pl.col("region_code") == "520000").sort("year")
    one = out.filter(pl.col("region_code") == "520101").sort("year")
    # A county keeps its level relative to the province (1.1 × the price, 1/1.1 × the yield) …
    assert np.allclose(one["price_yuan_per_kg"] / top["price_yuan_per_kg"], 1.1)
    assert np.allclose(one["yield_kg_per_mu"] / top["yield_kg_per_mu"], 1 / 1.1)
    # … and a county that stopped growing the crop years ago takes the province's.
    two = out.filter(pl.col("region_code") == "520102").sort("year")
    assert np.allclose(two["price_yuan_per_kg"], top["price_yuan_per_kg"])


def test_the_fallback_follows_a_trend_and_widens_nothing_it_should_not(monkeypatch):
    monkeypatch.setattr(expectations, "_shared_forecaster", lambda: None)
    values = 100 * 1.05 ** np.arange(10)
    mean, log_sd, method = forecast_series(list(range(2015, 2025)), values, 5)
    assert method == "ets_damped"
    assert mean[0] > values[-1] and np.all(np.diff(mean) > 0)   # damped, still rising
    assert np.all(np.diff(mean) < values[-1] * 0.05 * 1.01)      # and no faster than history
    assert np.all(log_sd >= 0)


def test_a_failing_shared_forecast_falls_back_and_says_so(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("no")

    monkeypatch.setattr(expectations, "_shared_forecaster", lambda: broken)
    _, _, method = forecast_series(list(range(2015, 2025)), np.linspace(1, 2, 10), 3)
    assert method == "ets_damped (models.forecast failed: RuntimeError)"


def test_the_log_spread_of_an_interval():
    assert log_sd_from_interval(1.0, np.exp(-1.2815515655446004), np.exp(1.2815515655446004)) == pytest.approx(1.0)
