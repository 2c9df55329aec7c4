"""The audit log: a chain that verifies, and every kind of tampering named by file and line."""

from __future__ import annotations

import json
import multiprocessing
from datetime import date, datetime, timedelta, timezone

import pytest

from cockpit import audit


@pytest.fixture()
def log(tmp_path, use_home):
    use_home(tmp_path)
    return tmp_path / "audit"


def _fill(n: int, **details) -> None:
    for i in range(n):
        audit.record("view", user="u1", role="analyst", region="520000", page="status", i=i, **details)


def _lines(path):
    return path.read_text(encoding="utf-8").splitlines()


def _write(path, lines):
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def _month_files(log, months=("2026-01", "2026-02", "2026-03"), per=3):
    """Records spread over several month files, chained as ``record`` chains them (via the head)."""
    for month in months:
        _fill(per)
        this = sorted(log.glob("*.jsonl"))[-1]
        this.rename(log / f"{month}.jsonl")
        head = json.loads((log / ".head").read_text())
        head["file"] = f"{month}.jsonl"
        (log / ".head").write_text(json.dumps(head))
    return [log / f"{m}.jsonl" for m in months]


def test_a_fresh_chain_verifies_and_records_carry_who_and_what(log):
    _fill(5)
    verdict = audit.verify()
    assert verdict.intact and verdict.records == 5
    first = next(audit.records())
    assert first[0:2] == (f"{datetime.now(timezone.utc):%Y-%m}.jsonl", 1)
    assert first[2]["prev"] == audit.GENESIS and first[2]["user"] == "u1" and first[2]["page"] == "status"
    head = json.loads((log / ".head").read_text())
    assert head["line"] == 5 and head["hash"] == list(audit.records())[-1][2]["hash"]


def _edit(lines):
    lines[1] = lines[1].replace('"u1"', '"u2"')


def _edit_and_rehash(lines):
    entry = json.loads(lines[1])
    entry["user"] = "someone-else"
    entry.pop("hash")
    entry["hash"] = audit.digest(audit._canonical(entry))
    lines[1] = audit._canonical(entry)


def _delete(lines):
    del lines[1]


def _swap(lines):
    lines[1], lines[2] = lines[2], lines[1]


@pytest.mark.parametrize(("tamper", "line", "said"), [
    (_edit, 2, "edited"),
    (_edit_and_rehash, 3, "does not follow"),  # its own hash recomputed: the next link breaks
    (_delete, 2, "deleted"),
    (_swap, 2, "out of order"),
])
def test_tampering_is_named_by_file_and_line(log, tamper, line, said):
    _fill(4)
    path = next(log.glob("*.jsonl"))
    lines = _lines(path)
    tamper(lines)
    _write(path, lines)
    verdict = audit.verify()
    assert (verdict.file, verdict.line) == (path.name, line) and said in verdict.reason, verdict


def test_records_cut_from_the_end_are_caught_by_the_head(log):
    _fill(4)
    path = next(log.glob("*.jsonl"))
    _write(path, _lines(path)[:3])
    verdict = audit.verify()
    assert not verdict.intact and verdict.line == 4 and "removed from the end" in verdict.reason


def test_a_file_removed_from_the_middle_is_named(log):
    files = _month_files(log)
    assert audit.verify().intact and audit.verify().records == 9
    files[1].unlink()
    verdict = audit.verify()
    assert (verdict.file, verdict.line) == ("2026-03.jsonl", 1) and "missing" in verdict.reason


def test_the_head_is_rebuilt_from_the_log_when_missing_or_stale(log):
    _fill(2)
    (log / ".head").unlink()
    _fill(1)
    path = next(log.glob("*.jsonl"))
    with path.open("a") as out:  # a record appended by hand, bypassing the head: the size no longer matches
        entry = {"action": "x", "prev": json.loads(_lines(path)[-1])["hash"]}
        entry["hash"] = audit.digest(audit._canonical(entry))
        out.write(audit._canonical(entry) + "\n")
    _fill(1)
    assert audit.verify().intact and audit.verify().records == 5


def _writer(home: str, n: int) -> None:
    import os

    os.environ["COCKPIT_HOME"] = home
    for i in range(n):
        audit.record("query", user=f"p{os.getpid()}", role="analyst", region="52", i=i)


def test_two_processes_writing_at_once_keep_one_valid_chain(log, tmp_path):
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(str(tmp_path), 150)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [w.exitcode for w in workers] == [0, 0]
    verdict = audit.verify()
    assert verdict.intact and verdict.records == 300, verdict


def test_prune_refuses_records_younger_than_180_days(log):
    _fill(1)
    today = date(2026, 12, 3)
    with pytest.raises(audit.AuditError, match="180"):
        audit.prune(today - timedelta(days=179), today=today)
    assert audit.verify().records == 1


def test_prune_removes_old_months_and_the_rest_still_verifies(log):
    _month_files(log, months=("2025-01", "2025-02", "2026-11"))
    pruned = audit.prune(date(2025, 3, 1), today=date(2026, 12, 3))
    assert pruned.files == ("2025-01.jsonl", "2025-02.jsonl") and pruned.records == 6
    assert sorted(p.name for p in log.glob("*.jsonl")) == ["2026-11.jsonl"]
    verdict = audit.verify()
    assert verdict.intact and verdict.records == 9
    _fill(1)
    assert audit.verify().intact


def test_a_forged_checkpoint_is_detected(log):
    _month_files(log, months=("2025-01", "2026-11"))
    audit.prune(date(2025, 2, 1), today=date(2026, 12, 3))
    checkpoint = json.loads((log / ".checkpoint").read_text())
    checkpoint["records"] = 0
    (log / ".checkpoint").write_text(json.dumps(checkpoint))
    verdict = audit.verify()
    assert verdict.file == ".checkpoint" and "signature" in verdict.reason


def test_removing_the_oldest_file_without_a_checkpoint_is_detected(log):
    files = _month_files(log, months=("2025-01", "2026-11"))
    files[0].unlink()
    verdict = audit.verify()
    assert (verdict.file, verdict.line) == ("2026-11.jsonl", 1)


def test_the_command_line_user_is_the_os_user(log, monkeypatch):
    monkeypatch.delenv("COCKPIT_NO_LOGIN", raising=False)  # the tests' single-user server mode is not the CLI
    entry = audit.record("export", file="x.csv")
    assert entry["user"].startswith("os:") and entry["role"] == "cli"


def test_a_damaged_last_line_does_not_stop_recording_and_is_named(log):
    _fill(2)
    path = next(log.glob("*.jsonl"))
    with path.open("a") as out:
        out.write("not json\n")
    _fill(1)
    verdict = audit.verify()
    assert (verdict.file, verdict.line) == (path.name, 3) and "not a JSON record" in verdict.reason
