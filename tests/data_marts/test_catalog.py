"""The warehouse describes itself: catalog, lineage, settings, build log — and docs cannot drift."""

from data_marts import mart_files
from data_marts.contracts import CONTRACTS


def test_every_table_and_mart_column_is_described(warehouse):
    undescribed = warehouse.execute("""
        SELECT schema_name || '.' || table_name || '.' || column_name FROM meta.catalog_columns
        WHERE schema_name IN ('base', 'mart') AND zh IS NULL AND column_name NOT LIKE '\\_%' ESCAPE '\\'
    """).fetchall()
    assert undescribed == []
    tables = warehouse.execute(
        "SELECT schema_name || '.' || table_name FROM meta.catalog WHERE schema_name IN ('base', 'mart') AND zh IS NULL"
    ).fetchall()
    assert tables == []


def test_catalog_carries_owner_cycle_and_sharing_class(warehouse):
    rows = dict(warehouse.execute(
        "SELECT table_name, sharing_class FROM meta.catalog WHERE schema_name = 'base'").fetchall())
    assert rows == {name: c.sharing_class for name, c in CONTRACTS.items()}
    owner, cycle = warehouse.execute(
        "SELECT owner, update_cycle FROM meta.catalog WHERE schema_name = 'base' AND table_name = 'population'"
    ).fetchone()
    assert owner == "省公安厅" and cycle == "每日"


def test_pii_columns_are_flagged(warehouse):
    flagged = {r[0] for r in warehouse.execute(
        "SELECT column_name FROM meta.catalog_columns WHERE schema_name = 'base' AND table_name = 'population' AND pii"
    ).fetchall()}
    assert flagged == {"id_number", "name"}


def test_lineage_runs_from_department_to_mart(warehouse):
    edges = set(warehouse.execute(
        "SELECT source, target FROM meta.lineage WHERE source_column IS NULL").fetchall())
    assert ("省公安厅", "base.population") in edges
    assert ("base.population", "temp.residence_spells") in edges
    assert ("temp.residence_spells", "temp.population_events") in edges
    # person counts pass through disclosure control (docs/disclosure.md) on their way to the marts
    assert ("temp.population_events", "temp.person_counts") in edges
    assert ("temp.person_counts", "temp.person_count_suppression") in edges
    assert ("temp.person_count_suppression", "temp.person_counts_shown") in edges
    assert ("temp.person_counts_shown", "mart.population_structure") in edges
    assert ("mart.economy_indicators", "mart.region_profile") in edges
    for mart in mart_files.discover():
        for source in mart.sources:
            assert (source, mart.target) in edges


def test_column_lineage_reaches_base_columns(warehouse):
    sources = set(warehouse.execute("""
        SELECT source || '.' || source_column FROM meta.lineage
        WHERE target = 'mart.agriculture' AND target_column = 'net_income_per_mu'
    """).fetchall())
    assert {("base.agriculture.price_yuan_per_kg",), ("base.agriculture.cost_yuan_per_mu",)} <= sources


def test_settings_and_build_log(warehouse):
    settings = dict(warehouse.execute("SELECT key, value FROM meta.settings").fetchall())
    assert settings["k_min"] == "10" and float(settings["person_sample_rate"]) > 0
    # the home region and the history window the marts were built for (data_marts/history.py)
    assert (settings["home_code"], settings["home_prefix"]) == ("520000", "52")
    assert (settings["first_year"], settings["last_year"]) == ("2015", "2024")
    status, = warehouse.execute("SELECT status FROM meta.build_log ORDER BY finished_at DESC LIMIT 1").fetchone()
    assert status == "ok"
