"""`cockpit audit show|verify|prune` and `cockpit quarantine list|unmask` as an operator meets them."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cockpit import audit
from cockpit.cli import app
from tests.cockpit.test_quarantine import personal_values

runner = CliRunner()


@pytest.fixture()
def log(tmp_path, use_home):
    use_home(tmp_path)
    for user, action in (("u1", "view"), ("u2", "query"), ("u1", "export")):
        audit.record(action, user=user, role="analyst", region="520000", page="status")
    return tmp_path / "audit"


@pytest.mark.parametrize("command", [["audit"], ["audit", "show"], ["audit", "verify"], ["audit", "prune"],
                                     ["quarantine"], ["quarantine", "list"], ["quarantine", "unmask"]])
def test_every_command_has_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def test_verify_says_intact_then_names_the_edited_line(log):
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0 and "3 records, chain intact" in result.output
    path = next(log.glob("*.jsonl"))
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace('"u2"', '"u9"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 2 and f"{path.name}:2" in result.output and "Traceback" not in result.output


def test_show_filters_by_user_action_and_day(log):
    result = runner.invoke(app, ["audit", "show", "--user", "u1"], terminal_width=250)
    assert result.exit_code == 0 and "2 records" in result.output and "u2" not in result.output
    result = runner.invoke(app, ["audit", "show", "--action", "query"], terminal_width=250)
    assert "1 records" in result.output and "u2" in result.output
    assert "0 records" in runner.invoke(app, ["audit", "show", "--since", "2999-01-01"]).output
    bad = runner.invoke(app, ["audit", "show", "--since", "yesterday"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output


def test_prune_refuses_younger_than_180_days(log):
    result = runner.invoke(app, ["audit", "prune", "--before", "2999-01-01"])
    assert result.exit_code == 2 and "180" in result.output
    assert runner.invoke(app, ["audit", "prune", "--before", "2000-01-01"]).exit_code == 0
    assert audit.verify().records == 3


def test_quarantine_list_is_masked_and_unmask_needs_a_reason(demo_home, use_home, tmp_path, monkeypatch, warehouse):
    use_home(demo_home)
    monkeypatch.setattr(audit, "folder", lambda: (tmp_path / "audit").mkdir(exist_ok=True) or tmp_path / "audit")
    listed = runner.invoke(app, ["quarantine", "list", "--department", "省公安厅", "--limit", "30"], terminal_width=400)
    assert listed.exit_code == 0 and "*" in listed.output
    assert not [v for v in personal_values(warehouse) if v in listed.output]
    record_id = next(word for word in listed.output.split() if word.startswith("population:"))
    refused = runner.invoke(app, ["quarantine", "unmask", record_id])
    assert refused.exit_code == 2 and "at least" in refused.output
    shown = runner.invoke(app, ["quarantine", "unmask", record_id, "--reason", "核对身份证号校验位错误的来源"],
                          terminal_width=200)
    assert shown.exit_code == 0, shown.output
    entries = [e for _, _, e in audit.records()]
    assert [e["action"] for e in entries] == ["query", "view", "unmask"] and entries[2]["record"] == record_id
    assert entries[2]["user"].startswith("os:") and entries[0]["department"] == "省公安厅"
