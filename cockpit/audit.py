"""The audit log: who saw, exported, saved or was refused what. Append-only, one JSON line per
record in a file per month under ``$COCKPIT_HOME/audit/``, each record carrying the SHA-256 of the
record before it, so an edited or deleted record breaks the chain.

    audit.record("query", panel="population.pyramid", scope="5205", sql_hash="…")

The user is taken from ``cockpit.identity`` unless given. Writers in several server processes are
serialised by an exclusive lock on ``audit/.lock``.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from datetime import datetime, timezone
from pathlib import Path

from data_marts import paths

GENESIS = "0" * 64


def folder() -> Path:
    path = paths.home() / "audit"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def digest(line: str) -> str:
    return hashlib.sha256(line.encode("utf-8")).hexdigest()


def _last_hash(files: list[Path]) -> str:
    for file in reversed(files):
        with file.open("rb") as handle:
            lines = [line for line in handle.read().splitlines() if line.strip()]
        if lines:
            return digest(lines[-1].decode("utf-8"))
    return GENESIS


def record(action: str, *, user: str | None = None, role: str | None = None, region: str | None = None,
           **details) -> dict:
    """Append one record and return it. ``details`` must be JSON-serialisable (strings, numbers)."""
    if user is None:
        from cockpit import identity

        who = identity.current()
        user, role, region = (who.id, who.role, who.region) if who else ("anonymous", None, None)
    now = datetime.now(timezone.utc)
    entry = {"at": now.isoformat(timespec="milliseconds"), "action": action, "user": user, "role": role,
             "region": region, **details}
    base = folder()
    with open(base / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            entry["prev"] = _last_hash(sorted(base.glob("*.jsonl")))
            line = json.dumps(entry, ensure_ascii=False, sort_keys=True, default=str)
            target = base / f"{now:%Y-%m}.jsonl"
            fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as out:
                out.write(line + "\n")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return entry
