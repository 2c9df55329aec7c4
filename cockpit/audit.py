"""The audit log: who saw, exported, saved, unmasked or was refused what (docs/audit.md).

Append-only, one JSON line per record in a file per month under ``$COCKPIT_HOME/audit/`` (UTC months).
Each record carries ``hash`` (SHA-256 of the record without it) and ``prev`` (the ``hash`` of the record
before it, across files), so an edited, deleted or reordered record, or a month file taken out of the
middle, breaks the chain where ``verify`` can name it (file and line).

    audit.record("query", panel="population.pyramid", scope="5205", sql_hash="…")

The user is taken from ``cockpit.identity`` unless given (outside a Streamlit server: the OS user).
Writers in several server processes are serialised by an exclusive lock on ``audit/.lock``; under that
lock a small head file (``audit/.head``: last file, its size, line and hash) gives the hash to chain to
without reading the log, and is checked against the log by ``verify``.

Retention: records are kept at least 180 days (网络安全法 第二十一条). ``prune`` removes whole month files
older than that, after writing a checkpoint (``audit/.checkpoint``, signed with HMAC-SHA256) that holds
the last pruned hash, so the remaining chain still verifies from it.
"""

from __future__ import annotations

import fcntl
import getpass
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from data_marts import paths

GENESIS = "0" * 64
RETENTION_DAYS = 180  # 网络安全法 第二十一条: network logs kept no less than six months
KEY_ENV = "COCKPIT_AUDIT_KEY"
HEAD_WIDTH = 256


class AuditError(RuntimeError):
    """A request the audit log refuses (e.g. pruning records younger than the retention period)."""


def folder() -> Path:
    path = paths.home() / "audit"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def digest(line: str) -> str:
    return hashlib.sha256(line.encode("utf-8")).hexdigest()


def _canonical(entry: dict) -> str:
    return json.dumps(entry, ensure_ascii=False, sort_keys=True, default=str)


def _files(base: Path) -> list[Path]:
    return sorted(base.glob("*.jsonl"))


@contextmanager
def _locked(base: Path):
    with open(base / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _own_hash(record: dict, line: str) -> str:
    """The hash the next record chains to (records written before ``hash`` existed: the line's digest)."""
    return record.get("hash") or digest(line)


def _write_json(path: Path, data: dict) -> None:
    """Replace ``path`` atomically (a crash leaves the old or the new file, never half of one)."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(json.dumps(data, sort_keys=True))
    os.replace(tmp, path)


def _write_head(base: Path, head: dict) -> None:
    """Overwrite the head in place, padded to a fixed width (a rename costs ~2 ms on some file systems,
    more than the rest of a record). A torn write leaves text that does not parse, or a size that does
    not match: either way ``_head`` falls back to reading the log's last line."""
    text = json.dumps(head, sort_keys=True).ljust(HEAD_WIDTH).encode("utf-8")
    fd = os.open(base / ".head", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        os.pwrite(fd, text, 0)
        os.ftruncate(fd, len(text))
    finally:
        os.close(fd)


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def _tail(base: Path) -> tuple[str, str | None, int]:
    """(last hash, its file name, its line) found by reading the log: when the head is missing or stale."""
    for file in reversed(_files(base)):
        lines = file.read_text(encoding="utf-8").split("\n")
        for number in range(len(lines), 0, -1):
            if lines[number - 1].strip():
                line = lines[number - 1]
                try:
                    return _own_hash(json.loads(line), line), file.name, number
                except ValueError:  # a damaged last line: chain to it as it stands; verify names it
                    return digest(line), file.name, number
    checkpoint = _read_json(base / ".checkpoint")
    return (checkpoint["last_hash"] if checkpoint else GENESIS), None, 0


def _head(base: Path, target: Path) -> tuple[str, str | None, int]:
    """(last hash, file, line) from the head file if it still describes the log: its file's size is
    unchanged and no later file (``target``, this month's) was started without it (a crash between the
    append and the head update)."""
    head = _read_json(base / ".head")
    if head:
        try:
            if (base / head["file"]).stat().st_size == head["size"] and (
                    head["file"] == target.name or not target.exists()):
                return head["hash"], head["file"], head["line"]
        except (OSError, KeyError):
            pass
    return _tail(base)


def _who() -> tuple[str, str | None, str | None]:
    """The signed-in user; on the command line (no Streamlit server), the OS user."""
    from cockpit import identity

    try:
        from streamlit import runtime

        if identity.no_login() or runtime.exists():
            who = identity.current()
            return (who.id, who.role, who.region) if who else ("anonymous", None, None)
    except Exception:  # noqa: BLE001 - an unreadable identity is recorded as anonymous, never hidden
        return "anonymous", None, None
    return f"os:{getpass.getuser()}", "cli", None


def record(action: str, *, user: str | None = None, role: str | None = None, region: str | None = None,
           **details) -> dict:
    """Append one record and return it. ``details`` must be JSON-serialisable (strings, numbers)."""
    if user is None:
        user, role, region = _who()
    now = datetime.now(timezone.utc)
    entry = {"at": now.isoformat(timespec="milliseconds"), "action": action, "user": user, "role": role,
             "region": region, **details}
    base = folder()
    target = base / f"{now:%Y-%m}.jsonl"
    with _locked(base):
        entry["prev"], last_file, last_line = _head(base, target)
        entry["hash"] = digest(_canonical(entry))
        line = _canonical(entry)
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as out:
            out.write(line + "\n")
            size = out.tell()
        number = last_line + 1 if last_file == target.name else 1
        _write_head(base, {"file": target.name, "size": size, "line": number, "hash": entry["hash"]})
    return entry


def records(since: date | None = None) -> Iterator[tuple[str, int, dict]]:
    """Every record as (file name, line, record), oldest first; ``since`` skips whole earlier months."""
    files = [f for f in _files(folder()) if not since or f.stem >= f"{since:%Y-%m}"]
    for name, number, line in _lines(files):
        try:
            yield name, number, json.loads(line)
        except ValueError:  # shown, not skipped: `verify` says what is wrong with it
            yield name, number, {"action": "(damaged line)"}


def _lines(files: list[Path]) -> Iterator[tuple[str, int, str]]:
    """(file name, line number, line) of every non-blank line, streamed: a 180-day log is never held whole."""
    for file in files:
        with file.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield file.name, number, line.rstrip("\n")


@dataclass(frozen=True)
class Verdict:
    records: int
    file: str | None = None  # where the chain breaks first (None: intact)
    line: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.file is None


def verify() -> Verdict:
    """Walk every file in order and name the first broken record: edited (its hash does not match it),
    deleted, reordered, a file missing from the middle, records cut from the end (the head says more),
    or a forged checkpoint."""
    base = folder()
    with _locked(base):
        checkpoint = _read_json(base / ".checkpoint")
        head = _read_json(base / ".head")
        files = _files(base)
    expected, count = GENESIS, 0
    if checkpoint:
        if not hmac.compare_digest(checkpoint.get("signature", ""), _sign(checkpoint)):
            return Verdict(0, ".checkpoint", 1, "the prune checkpoint's signature does not match: it was edited")
        expected, count = checkpoint["last_hash"], checkpoint["records"]
        files = [f for f in files if f.name > checkpoint["through_file"]]
    last = (None, 0)
    walk = _lines(files)
    for name, number, line in walk:
        try:
            entry = json.loads(line)
        except ValueError:
            return Verdict(count, name, number, "not a JSON record: the line was edited")
        body = {k: v for k, v in entry.items() if k != "hash"}
        if "hash" in entry and digest(_canonical(body)) != entry["hash"]:
            return Verdict(count, name, number, "the record was edited (its hash does not match its content)")
        if entry.get("prev") != expected:
            if any(entry.get("prev") in later for _, _, later in walk):  # read on only once broken
                why = "records are out of order (it chains to a record that comes after it)"
            elif number == 1 or last[0] != name:
                why = "it chains to a record not in the log: a file before it is missing or was cut short"
            else:
                why = "it does not follow the record before it: a record was deleted or edited before it"
            return Verdict(count, name, number, why)
        expected, count, last = _own_hash(entry, line), count + 1, (name, number)
    if head and head.get("hash") != expected:
        where = f"{last[0]}:{last[1]}" if last[0] else "nothing"
        return Verdict(count, head.get("file"), head.get("line"),
                       f"the head names this record but the log ends at {where}: records were removed from the end")
    return Verdict(count)


def _key() -> bytes:
    """The checkpoint signing key: ``$COCKPIT_AUDIT_KEY`` (keep it in the server's secret store, away from
    the log), else a random key made once in ``audit/.key`` (owner-only)."""
    if os.environ.get(KEY_ENV):
        return os.environ[KEY_ENV].encode("utf-8")
    path = folder() / ".key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    return path.read_text().strip().encode("utf-8")


def _sign(checkpoint: dict) -> str:
    body = _canonical({k: v for k, v in checkpoint.items() if k != "signature"})
    return hmac.new(_key(), body.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Pruned:
    files: tuple[str, ...]
    records: int


def prune(before: date, today: date | None = None) -> Pruned:
    """Remove the month files whose every record is older than ``before``; refuses a ``before`` less than
    180 days ago. A signed checkpoint keeps the last pruned hash, so what remains still verifies."""
    today = today or datetime.now(timezone.utc).date()
    oldest_allowed = today - timedelta(days=RETENTION_DAYS)
    if before > oldest_allowed:
        raise AuditError(f"records are kept at least {RETENTION_DAYS} days (网络安全法): "
                         f"prune before {oldest_allowed:%Y-%m-%d} at the latest, not {before:%Y-%m-%d}")
    base = folder()
    with _locked(base):
        checkpoint = _read_json(base / ".checkpoint") or {"records": 0, "through_file": "", "files": []}
        gone: list[Path] = []
        for file in _files(base):
            month_end = (datetime.strptime(file.stem, "%Y-%m").date().replace(day=28) + timedelta(days=4)).replace(day=1)
            if month_end <= before and file.name > checkpoint["through_file"]:
                gone.append(file)
        if not gone:
            return Pruned((), 0)
        count, last = 0, checkpoint.get("last_hash", GENESIS)
        for file in gone:
            for line in file.read_text(encoding="utf-8").split("\n"):
                if line.strip():
                    count, last = count + 1, _own_hash(json.loads(line), line)
        checkpoint = {"records": checkpoint["records"] + count, "last_hash": last, "through_file": gone[-1].name,
                      "files": [*checkpoint["files"], *(f.name for f in gone)],
                      "pruned_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                      "before": f"{before:%Y-%m-%d}"}
        checkpoint["signature"] = _sign(checkpoint)
        _write_json(base / ".checkpoint", checkpoint)  # first: a crash now leaves files verify skips
        for file in gone:
            file.unlink()
    return Pruned(tuple(f.name for f in gone), count)
