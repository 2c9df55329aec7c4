"""The build variables the marts read: the home region and the years of history, from the data."""

import datetime as dt

import duckdb

from data_marts import history


def _con(economy=(), agriculture=()):
    con = duckdb.connect()
    con.execute("CREATE SCHEMA base")
    con.execute("CREATE TABLE base.economy (region_code VARCHAR, period VARCHAR)")
    con.execute("CREATE TABLE base.agriculture (county_code VARCHAR, year INTEGER)")
    for row in economy:
        con.execute("INSERT INTO base.economy VALUES (?, ?)", list(row))
    for row in agriculture:
        con.execute("INSERT INTO base.agriculture VALUES (?, ?)", list(row))
    return con


def test_the_window_is_the_home_regions_years_at_most_ten():
    con = _con(economy=[("520000", "2014"), ("520000", "2025-03"), ("110000", "1990")],  # Beijing's is not home
               agriculture=[("520502", 2016), ("130929", 2030)])
    assert history.window(con, "520000") == (2016, 2025)
    assert history.window(con, "130900") == (2030, 2030)
    con.execute("INSERT INTO base.agriculture VALUES ('520502', 2001)")
    assert history.window(con, "520000") == (2016, 2025)  # ten years back from 2025 at most


def test_without_economy_or_agriculture_data_the_last_full_year():
    con = duckdb.connect()
    last = dt.date.today().year - 1
    assert history.window(con, "520000") == (last - 9, last)


def test_the_variables_the_marts_read(monkeypatch):
    monkeypatch.setenv("COCKPIT_REGION", "130900")
    con = _con(agriculture=[("130929", 2015), ("130929", 2024)])
    assert history.set_variables(con) == {"home_code": "130900", "home_prefix": "1309", "first_year": "2015",
                                          "last_year": "2024"}
    assert con.execute("SELECT count(*) FROM range(getvariable('first_year'), getvariable('last_year') + 1)"
                       ).fetchone() == (10,)
    assert con.execute("SELECT starts_with('130929', getvariable('home_prefix'))").fetchone() == (True,)
