"""The batch forecasts, scores, track record and target attainment published by the demo build."""

import polars as pl


def _q(warehouse, sql, params=None):
    return pl.from_arrow(warehouse.sql(sql, params=params).to_arrow_table())


def test_every_economy_series_has_a_forecast_from_its_chosen_model(warehouse):
    series = _q(warehouse, "SELECT count(DISTINCT (region_code, indicator, freq)) AS n FROM mart.economy_indicators")["n"][0]
    forecast = _q(warehouse, "SELECT count(DISTINCT (region_code, indicator, freq)) AS n FROM mart.forecasts")["n"][0]
    assert forecast == series
    chosen = _q(warehouse, """SELECT f.region_code, f.indicator, f.freq, f.measure, any_value(f.model) AS model,
                                     count(DISTINCT f.model) AS models
                              FROM mart.forecasts AS f GROUP BY ALL""")
    assert chosen["models"].max() == 1
    scores = _q(warehouse, "SELECT region_code, indicator, freq, measure, model FROM mart.forecast_scores WHERE chosen")
    joined = chosen.filter(pl.col("measure") != "current").join(scores, on=["region_code", "indicator", "freq", "measure"])
    assert joined.height == chosen.filter(pl.col("measure") != "current").height
    assert (joined["model"] == joined["model_right"]).all()


def test_intervals_are_ordered_and_year_to_date_forecasts_keep_their_period_values(warehouse):
    bad = _q(warehouse, """SELECT count(*) AS n FROM mart.forecasts
                           WHERE NOT (lower_95 <= lower_80 AND lower_80 <= upper_80 AND upper_80 <= upper_95)""")
    assert bad["n"][0] == 0
    kinds = _q(warehouse, "SELECT DISTINCT indicator, measure FROM mart.forecasts WHERE indicator = 'retail' ORDER BY 2")
    assert kinds["measure"].to_list() == ["cumulative", "current"]
    # 1–2月 combined: the first forecast period of a year is February, covering January too.
    first = _q(warehouse, "SELECT min(period) AS p FROM mart.forecasts WHERE indicator = 'retail' AND region_code = '520000'")
    assert first["p"][0] == "2025-02"


def test_the_track_record_scores_the_chosen_model_against_what_happened(warehouse):
    record = _q(warehouse, """SELECT t.*, s.coverage_80 FROM mart.forecast_track_record AS t
                              JOIN mart.forecast_scores AS s USING (region_code, indicator, freq, model)
                              WHERE t.region_code = '520000' AND t.indicator = 'gdp' AND t.freq = 'Q' AND s.chosen""")
    assert record.height > 0 and record["actual"].is_not_null().all()
    assert (record["origin"] < record["period"]).all()  # every scored period lies after its origin
    inside = record.select(pl.col("actual").is_between(pl.col("lower_80"), pl.col("upper_80")).mean()).item()
    assert abs(inside - record["coverage_80"][0]) < 1e-9


def test_target_attainment_probabilities_and_outcomes(warehouse):
    rows = _q(warehouse, "SELECT * FROM mart.target_attainment WHERE region_code = '520000' AND indicator = 'gdp' AND year = 2024")
    assert rows["as_of"].to_list() == ["2024-Q1", "2024-Q2", "2024-Q3"]
    assert rows["probability"].is_between(0, 1).all()
    assert rows["target"].to_list() == [5.5] * 3
    published = _q(warehouse, "SELECT yoy_cumulative_pct AS g FROM mart.economy_indicators WHERE region_code = '520000' "
                              "AND indicator = 'gdp' AND period = '2024-Q4'")["g"][0]
    assert rows["outcome"].to_list() == [published] * 3 and rows["met"].to_list() == [published >= 5.5] * 3
