"""The scoped query layer: marts only, region scope enforced whatever the SQL, parameters bound."""

import pytest

from cockpit import query
from cockpit.query import Scope, ScopeError


def test_prefixes_follow_the_region_level():
    assert query.prefix("520000") == "52"
    assert query.prefix("520500") == "5205"
    assert query.prefix("520330") == "520330"  # a county code ending in 0 is not cut short


@pytest.mark.parametrize("sql", [
    "SELECT * FROM base.population",
    "SELECT * FROM meta.load_log",
    "SELECT * FROM quarantine.population",
    "SELECT * FROM population",
    "SELECT * FROM mart.regions r JOIN base.population p ON p.residence_code = r.code",
    "DELETE FROM mart.regions",
    "SELECT * FROM read_csv('/etc/hostname')",
    "COPY (SELECT * FROM mart.regions) TO '/tmp/x.csv'",
])
def test_panels_read_marts_only(sql):
    with pytest.raises(ScopeError):
        query.scoped_sql(sql, Scope.everything())


def test_scope_is_applied_inside_ctes_joins_and_subqueries(demo_home, monkeypatch):
    monkeypatch.setenv("COCKPIT_HOME", str(demo_home))
    bijie = Scope.of("520500")
    sql = """
        WITH p AS (SELECT region_code, population FROM mart.region_profile WHERE year = ?)
        SELECT p.region_code, r.name FROM p JOIN mart.regions AS r ON r.code = p.region_code
        WHERE p.region_code IN (SELECT region_code FROM mart.region_profile)
    """
    rows = query.run(sql, [2024], bijie)
    codes = set(rows["region_code"])
    assert "520500" in codes and "520502" in codes
    assert all(code.startswith("5205") for code in codes)
    everything = query.run(sql, [2024])
    assert {"520000", "520100"} <= set(everything["region_code"])


def test_range_is_allowed():
    assert "range" in query.scoped_sql("SELECT range AS year FROM range(2015, 2025)", Scope.everything()).lower()


def test_parameters_are_bound_not_pasted(demo_home, monkeypatch):
    monkeypatch.setenv("COCKPIT_HOME", str(demo_home))
    hostile = "520000' OR '1'='1"
    rows = query.run("SELECT * FROM mart.region_profile WHERE region_code = ?", [hostile])
    assert rows.height == 0
