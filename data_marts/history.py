"""The build's settings that the SQL marts read with ``getvariable``: the home region and the years of
history the warehouse covers, taken from the data rather than written into the marts.

- ``home_code`` (e.g. ``'130900'``) and ``home_prefix`` (``'1309'``): the deployment's home region
  (``regions.home()``); marts keep the regions inside it.
- ``first_year`` and ``last_year``: the history window. ``last_year`` is the latest year of the home
  region's economy or agriculture data; ``first_year`` the earliest, but at most ``SPAN`` years back
  (the cockpit shows ten years of history). Without either library: the last full calendar year.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from data_marts import regions

SPAN = 10
_YEARS = (
    "SELECT min(TRY_CAST(left(period, 4) AS INTEGER)), max(TRY_CAST(left(period, 4) AS INTEGER)) "
    "FROM base.economy WHERE starts_with(region_code, ?)",
    "SELECT min(year), max(year) FROM base.agriculture WHERE starts_with(county_code, ?)",
)


def window(con: duckdb.DuckDBPyConnection, home: str | None = None) -> tuple[int, int]:
    """(first_year, last_year) of the history the data in ``con`` hold for the home region."""
    prefix = regions.prefix(home or regions.home())
    found: list[int] = []
    for sql in _YEARS:
        try:
            found += [y for y in con.execute(sql, [prefix]).fetchone() if y is not None]
        except duckdb.CatalogException:  # a library not loaded at all
            continue
    if not found:
        last = dt.date.today().year - 1
        return last - SPAN + 1, last
    last = max(found)
    return max(min(found), last - SPAN + 1), last


def set_variables(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Set the variables the marts read; returns them (for the build log)."""
    home = regions.home()
    first, last = window(con, home)
    values = {"home_code": home, "home_prefix": regions.prefix(home), "first_year": first, "last_year": last}
    for name, value in values.items():
        literal = int(value) if isinstance(value, int) else "'" + str(value).replace("'", "''") + "'"
        con.execute(f"SET VARIABLE {name} = {literal}")
    return {name: str(value) for name, value in values.items()}
