"""A target's wording tells the truth: the outcome once the year is over, the chance as of the latest
period while it is open (issue #11)."""

import polars as pl

from cockpit import targets


def _query(rows: list[dict]):
    def run(sql, params):
        assert "mart.target_attainment" in sql and params[0] == params[2]
        return pl.DataFrame(rows)
    return run


def _row(**values) -> dict:
    base = dict(indicator="gdp", freq="Q", period="2024-Q3", month_end=9, yoy_cumulative_pct=5.1,
                target_growth_pct=5.5, target_value=None, completion_pct=None, schedule_pct=75.0, current_value=None,
                mean_to_date=None, growth_probability=0.18, growth_expected=5.2, ceiling_probability=None,
                ceiling_expected=None)
    return base | values


def test_an_open_year_gives_the_chance_as_of_the_latest_period():
    [gdp] = targets.read(_query([_row()]), "520000", 2024)
    assert not gdp.closed and gdp.kind == "growth" and gdp.probability == 0.18 and not gdp.met


def test_a_finished_year_states_the_outcome_and_no_chance():
    rows = [_row(period="2024-Q4", month_end=12, yoy_cumulative_pct=5.6, schedule_pct=100.0),
            _row(indicator="retail", freq="M", period="2024-12", month_end=12, yoy_cumulative_pct=3.0,
                 target_growth_pct=None, target_value=10000.0, completion_pct=98.0, schedule_pct=100.0),
            _row(indicator="cpi", freq="M", period="2024-12", month_end=12, yoy_cumulative_pct=None,
                 target_growth_pct=None, target_value=103.0, mean_to_date=103.2, ceiling_probability=0.9)]
    found = {t.indicator: t for t in targets.read(_query(rows), "520000", 2024)}
    assert all(t.closed and t.probability is None for t in found.values())
    assert found["gdp"].met  # 5.6 ≥ 5.5
    assert found["retail"].kind == "level" and not found["retail"].met  # 98 % of the value target
    assert found["cpi"].kind == "ceiling" and not found["cpi"].met  # the year's mean above the ceiling
