"""The Spring Festival regressors on known calendars: 2018 (16 February) and 2015 (19 February),
for flows (share of the festival window in the month) and for stocks (where the month's last day
stands relative to 正月初一)."""

import numpy as np
import pytest

from models.forecast.holidays import festival_regressor, festival_share, festival_stock, spring_festival


def test_the_known_dates():
    assert spring_festival(2018).isoformat() == "2018-02-16"
    assert spring_festival(2015).isoformat() == "2015-02-19"


@pytest.mark.parametrize("year", [2018, 2015])
def test_flow_a_mid_february_festival_falls_wholly_in_february(year):
    # window: 7 days before to 7 days after (2018: 9–23 Feb; 2015: 12–26 Feb)
    assert festival_share(f"{year}-02") == 1.0
    assert festival_share(f"{year}-01") == 0.0 and festival_share(f"{year}-03") == 0.0


def test_flow_a_late_january_festival_is_split_by_days():
    # 2020: 25 January → window 18 Jan – 1 Feb: 14 days in January, 1 in February
    assert festival_share("2020-01") == pytest.approx(14 / 15)
    assert festival_share("2020-02") == pytest.approx(1 / 15)


def test_stock_2018_january_ends_16_days_before_and_february_12_days_after():
    before, after = festival_stock("2018-01")
    assert before == pytest.approx(1 - 15 / 21) and after == 0.0
    before, after = festival_stock("2018-02")
    assert before == 0.0 and after == pytest.approx(1 - 12 / 21)


def test_stock_2015_january_ends_19_days_before_and_february_9_days_after():
    assert festival_stock("2015-01") == pytest.approx((1 - 18 / 21, 0.0))
    assert festival_stock("2015-02") == pytest.approx((0.0, 1 - 9 / 21))


def test_stock_a_month_ending_on_the_eve_is_at_its_peak_and_far_months_are_zero():
    assert spring_festival(2003).isoformat() == "2003-02-01"
    assert festival_stock("2003-01") == (1.0, 0.0)  # January 2003 ends on the eve
    assert festival_stock("2014-01") == (0.0, 1.0)  # 正月初一 2014 was 31 January: the month ends on it
    assert festival_stock("2023-12") == (0.0, 0.0) and festival_stock("2018-04") == (0.0, 0.0)


def test_flow_and_stock_differ_where_they_should():
    """2015: a flow regressor puts the festival wholly in February; the stock one gives January's end
    (19 days before) a little and February's end (9 days after) more."""
    flow = festival_regressor(["2015-01", "2015-02"], "flow")
    stock = festival_regressor(["2015-01", "2015-02"], "stock")
    assert flow.shape == (2, 1) and stock.shape == (2, 2)
    assert flow[:, 0].tolist() == [0.0, 1.0]
    assert 0 < stock[0, 0] < stock[1, 1] < 1


def test_a_stock_regressor_helps_a_series_with_a_stock_festival_effect():
    """Money at month-end rises before the festival and stays up shortly after; SARIMAX with the stock
    regressors must forecast such a series better than with the flow one."""
    from models.forecast.registry import make
    import polars as pl

    periods = [f"{y}-{m:02d}" for y in range(2008, 2021) for m in range(1, 13)]
    x = festival_regressor(periods, "stock")
    rng = np.random.default_rng(3)
    log_value = np.log(1000) + 0.008 * np.arange(len(periods)) + 0.15 * x[:, 0] + 0.10 * x[:, 1] \
        + rng.normal(0, 0.004, len(periods))
    series = pl.DataFrame({"period": periods[:-24], "value": np.exp(log_value[:-24])})
    actual = np.exp(log_value[-24:])
    errors = {}
    for kind in ("flow", "stock"):
        forecast = make("sarimax", festival=kind).fit(series).predict(24)
        errors[kind] = float(np.mean(np.abs(forecast.mean - actual)))
    assert errors["stock"] < 0.6 * errors["flow"]
