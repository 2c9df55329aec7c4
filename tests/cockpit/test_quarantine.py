"""Rejected rows as the cockpit shows them: masked for everyone, in the user's scope, unmasked one at a
time by an admin with a reason, and every unmask (and refusal) in the audit log."""

from __future__ import annotations

import json

import pytest

from cockpit import audit, quarantine, query
from cockpit.identity import User


@pytest.fixture()
def home(demo_home, use_home, tmp_path, monkeypatch):
    """The demo warehouse, with this test's own audit log."""
    use_home(demo_home)
    monkeypatch.setattr(audit, "folder", lambda: (tmp_path / "audit").mkdir(exist_ok=True) or tmp_path / "audit")
    return demo_home


def personal_values(warehouse) -> set[str]:
    """Every value of a personal column in the demo's rejected rows, as written in the file."""
    found = set()
    for table, headers in (("population", ("公民身份号码", "身份证号", "姓名")), ("legal_entities", ("法定代表人", "负责人"))):
        for (raw,) in warehouse.execute(f"SELECT raw FROM quarantine.{table}").fetchall():
            row = json.loads(raw)
            found |= {str(row[h]) for h in headers if row.get(h) and len(str(row[h])) > 1}
    assert len(found) > 50
    return found


def leaks(frame, values: set[str]) -> list[str]:
    text = frame.write_csv()
    return [v for v in values if v in text]


ADMIN = User("a", "a", ("admin",), "520000")
ANALYST = User("b", "b", ("analyst",), "520000")
BIJIE = User("c", "c", ("prefecture_leader",), "520500")


def test_the_listing_masks_every_personal_value_and_keeps_file_row_and_reason(home, warehouse):
    rows = quarantine.listing(query.Scope.everything())
    assert rows.height > 100 and set(quarantine.COLUMNS) <= set(rows.columns)
    assert rows.filter(rows["values"].str.contains(r"\*")).height > 0
    assert not leaks(rows, personal_values(warehouse))
    assert rows["file"].str.contains("/").sum() == 0 and rows["row"].min() >= 1


def test_filters_by_file_and_department(home):
    police = quarantine.listing(query.Scope.everything(), department="省公安厅")
    assert police.height and set(police["table"]) == {"population"}
    english = quarantine.listing(query.Scope.everything(), department="Public Security Department")
    assert english.height == police.height
    one = quarantine.files(query.Scope.everything())[0]
    assert set(quarantine.listing(query.Scope.everything(), file=one)["file"]) == {one}
    bijie = quarantine.files(quarantine.scope_of(BIJIE))
    assert bijie and set(bijie) < set(quarantine.files(query.Scope.everything()))
    assert not [f for f in bijie if "六盘水" in f] and quarantine.files(None) == []


def test_a_prefecture_sees_its_own_rows_only_and_none_it_cannot_place(home):
    everything = quarantine.listing(query.Scope.everything())
    bijie = quarantine.listing(quarantine.scope_of(BIJIE))
    assert 0 < bijie.height < everything.height
    assert bijie["region_code"].str.starts_with("5205").all()
    unplaced = everything.filter(~everything["region_code"].fill_null("").str.contains(r"^\d{6}$"))
    assert unplaced.height > 0  # rows whose region code is itself what was wrong
    province = quarantine.listing(quarantine.scope_of(ANALYST))
    assert province.height == everything.height  # the home region's analyst sees them all


def test_no_user_sees_nothing():
    assert quarantine.scope_of(None) is None
    assert quarantine.listing(None).is_empty()
    assert quarantine.scope_of(User("x", "x", ("county_leader",), "999999")) is None


def test_an_admin_unmasks_one_record_with_a_reason_and_it_is_audited(home, warehouse):
    record_id = quarantine.listing(query.Scope.everything(), department="省公安厅")["id"][0]
    found = quarantine.unmask(record_id, "核对身份证号校验位错误的来源", ADMIN)
    table, load_id, number = record_id.split(":")
    raw = warehouse.execute(f"SELECT raw FROM quarantine.{table} WHERE load_id = ? AND record = ?",
                            [int(load_id), int(number)]).fetchone()[0]
    assert found.values == json.loads(raw)
    entries = [e for _, _, e in audit.records() if e["action"] == "unmask"]
    assert len(entries) == 1 and entries[0]["record"] == record_id and entries[0]["user"] == "a"
    listed = [e for _, _, e in audit.records() if e["action"] == "query"]
    assert listed and listed[0]["panel"] == "quarantine" and listed[0]["scope"] == "*" and listed[0]["rows"] > 0
    assert entries[0]["reason"] == "核对身份证号校验位错误的来源"


@pytest.mark.parametrize(("user", "reason", "said"), [
    (ANALYST, "核对身份证号校验位错误的来源", "only an admin"),
    (None, "核对身份证号校验位错误的来源", "only an admin"),
    (ADMIN, "看看", "at least"),
    (ADMIN, "        ", "at least"),
])
def test_unmask_is_refused_without_admin_or_reason(home, user, reason, said):
    record_id = quarantine.listing(query.Scope.everything())["id"][0]
    with pytest.raises(quarantine.UnmaskRefused, match=said):
        quarantine.unmask(record_id, reason, user)
    actions = [e["action"] for _, _, e in audit.records()]
    assert actions == ["query", *(["denied"] if said == "only an admin" else [])]  # the listing, then a refusal


@pytest.mark.parametrize("record_id", ["population:1:999999999", "base:1:1", "population;DROP:1:1", "x"])
def test_unknown_records_are_refused(home, record_id):
    with pytest.raises(quarantine.UnmaskRefused, match="no rejected record"):
        quarantine.unmask(record_id, "核对身份证号校验位错误的来源", ADMIN)
