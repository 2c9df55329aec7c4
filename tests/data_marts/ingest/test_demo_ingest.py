"""Every department export of the demo loads with every rejected row accounted for."""

import json

from data_marts.contracts import CONTRACTS


def test_every_load_balances_and_quarantine_explains_each_rejected_record(warehouse):
    loads = warehouse.execute(
        "SELECT load_id, table_name, rows_read, rows_loaded, rows_quarantined FROM meta.load_log").fetchall()
    assert {table for _, table, *_ in loads} == set(CONTRACTS)
    for load_id, table, read, loaded, quarantined in loads:
        assert read == loaded + quarantined, (load_id, table)
        records = warehouse.execute(
            f"SELECT count(DISTINCT record) FROM quarantine.{table} WHERE load_id = ?", [load_id]).fetchall()[0][0]
        assert records == quarantined, (load_id, table)


def test_quarantine_rows_name_file_row_column_rule_and_reason(warehouse):
    for table in ("population", "legal_entities", "housing", "agriculture"):
        rows = warehouse.execute(
            f"SELECT source_file, row_number, column_name, rule, reason, raw FROM quarantine.{table}").fetchall()
        assert rows, f"the demo's {table} export has defects on purpose"
        for source_file, row_number, column, rule, reason, raw in rows:
            assert source_file and row_number > 0 and rule and reason
            assert isinstance(json.loads(raw), dict)


def test_injected_defects_are_found_by_the_right_rules(warehouse):
    rules = {(t, r) for t, r in warehouse.execute(
        "SELECT table_name, rule FROM meta.quality WHERE rows_failed > 0").fetchall()}
    expected = {
        ("population", "gb11643"), ("population", "matches_id_sex"), ("population", "unique"),
        ("population", "links"), ("population", "timeliness"),
        ("legal_entities", "gb32100"), ("legal_entities", "unique"), ("legal_entities", "links"),
        ("housing", "unique"), ("housing", "accepted_values"), ("housing", "range"),
    }
    assert expected <= rules, expected - rules
