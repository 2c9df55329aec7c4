"""Known answers for the probability of meeting an annual target."""

import numpy as np
import polars as pl
import pytest
from scipy import stats

from models.forecast.attainment import attainment


def _quarterly(moves):
    """Year-to-date growth rates: each year starts at 6.0 and ends 6.0 + that year's late-year move."""
    periods, values = [], []
    for k, move in enumerate(moves):
        year = 2015 + k
        periods += [f"{year}-Q{q}" for q in (1, 2, 3, 4)]
        values += [6.0, 6.0, 6.0, 6.0 + move]
    return pl.DataFrame({"period": periods, "value": values})


def test_the_analog_method_adds_past_years_late_moves_to_today():
    moves = [-0.4, -0.2, 0.0, 0.2, 0.4, -0.6, 0.6]  # the last year (2021) is the one judged
    series = _quarterly(moves)
    [q3] = attainment(series, 2021, target=6.1, model="analog", as_of=["2021-Q3"])
    past = np.array(moves[:-1])
    scale = past.std(ddof=1) * np.sqrt(1 + 1 / past.size)
    assert q3.expected == pytest.approx(6.0 + past.mean())
    assert q3.probability == pytest.approx(stats.t.sf(6.1, past.size - 1, 6.0 + past.mean(), scale))
    assert q3.outcome == pytest.approx(6.6) and q3.met is True


def test_a_ceiling_target_counts_staying_under_it():
    series = _quarterly([0.1, -0.1, 0.2, -0.2, 0.0])
    [up] = attainment(series, 2019, target=6.5, model="analog", as_of=["2019-Q3"])
    [down] = attainment(series, 2019, target=6.5, model="analog", as_of=["2019-Q3"], higher_is_better=False)
    assert up.probability + down.probability == pytest.approx(1.0)
    assert down.probability > 0.9


def test_model_based_attainment_only_uses_data_up_to_the_judgement():
    rng = np.random.default_rng(0)
    periods = [f"{y}-{m:02d}" for y in range(2015, 2025) for m in range(1, 13)]
    values = 100 + rng.normal(0, 0.5, len(periods))
    series = pl.DataFrame({"period": periods, "value": values})
    first = attainment(series, 2024, 100.2, rule="year_mean", model="ets", as_of=["2024-06"])[0]
    later = series.with_columns(pl.when(pl.col("period") > "2024-06").then(pl.col("value") + 50).otherwise(pl.col("value")))
    second = attainment(later, 2024, 100.2, rule="year_mean", model="ets", as_of=["2024-06"])[0]
    assert first.probability == second.probability and first.expected == second.expected
    assert first.outcome != second.outcome
