"""Known answers: period calendars, the Spring Festival regressor and 累计值 ↔ 当期值."""

import numpy as np
import pytest

from models.forecast.cumulative import to_cumulative, to_current
from models.forecast.holidays import festival_share, spring_festival
from models.forecast.periods import calendar_of


def test_spring_festival_dates_come_from_the_lunar_calendar():
    assert [spring_festival(y).isoformat() for y in (2023, 2024, 2025, 2026)] == \
        ["2023-01-22", "2024-02-10", "2025-01-29", "2026-02-17"]


def test_the_festival_window_is_split_between_january_and_february_by_days():
    # 2025: 29 January; the window 22 Jan – 5 Feb has 10 days in January and 5 in February.
    assert festival_share("2025-01") == pytest.approx(10 / 15)
    assert festival_share("2025-02") == pytest.approx(5 / 15)
    assert festival_share("2024-02") == 1.0 and festival_share("2024-01") == 0.0
    assert festival_share("2024-07") == 0.0


def test_a_monthly_series_without_january_is_jan_feb_combined():
    cal = calendar_of(["2023-02", "2023-03"])
    assert cal.jan_feb_combined and cal.season == 11
    assert cal.following("2023-12", 2) == ["2024-02", "2024-03"]


def test_a_gap_is_named():
    with pytest.raises(ValueError, match="expected 2024-Q3 but found 2024-Q4"):
        calendar_of(["2024-Q1", "2024-Q2", "2024-Q4"])


def test_cumulative_to_current_with_jan_feb_combined():
    labels = ["2024-02", "2024-03", "2024-04"]
    assert list(to_current(labels, [200.0, 330.0, 470.0])) == [200.0, 130.0, 140.0]


def test_cumulative_resets_each_year_and_round_trips():
    labels = ["2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4", "2024-Q1", "2024-Q2"]
    cumulative = np.array([10.0, 25.0, 45.0, 70.0, 12.0, 30.0])
    current = to_current(labels, cumulative)
    assert list(current) == [10.0, 15.0, 20.0, 25.0, 12.0, 18.0]
    assert np.allclose(to_cumulative(labels, current), cumulative)


def test_a_forecast_that_starts_mid_year_carries_the_year_to_date_total():
    assert list(to_cumulative(["2024-Q3", "2024-Q4", "2025-Q1"], [20.0, 25.0, 11.0], carried=25.0)) == [45.0, 70.0, 11.0]


def test_a_year_to_date_series_must_start_at_the_start_of_a_year():
    with pytest.raises(ValueError, match="first period of a year"):
        to_current(["2024-Q2", "2024-Q3"], [1.0, 2.0])
