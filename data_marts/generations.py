"""Warehouse generations: each build is a file of its own, and ``warehouse.duckdb`` points at the newest.

A build writes ``generations/.building-<pid>-<build id>.duckdb``, renames the finished file to
``generations/warehouse-<build id>.duckdb`` and then swaps the pointer ``warehouse.duckdb`` (a
symbolic link) with one atomic rename. Every generation therefore has a path no other generation
ever had: DuckDB keeps one database instance per path in a process, so a reader that connected to
the same path after a swap would get the previous instance back, and a long-running cockpit would
show the old data until restarted (issue #10).

A reader resolves the pointer once per read, so it sees a new build at its next read, and a read in
progress finishes on the file it started on. A generation nobody reads any more is deleted: DuckDB
holds a shared lock on every file it has open (read-only too), so a file on which an exclusive lock
can be taken is read by no other process. The build removes unused generations after publishing;
a reader that lets go of an old generation removes it too when it can.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from data_marts import paths

FOLDER = "generations"
PREFIX = "warehouse-"
BUILDING = ".building-"
LEGACY_BUILDING = ".warehouse.building-"  # half-written files of builds before generations


def folder(home: Path | None = None) -> Path:
    """``$COCKPIT_HOME/generations``, created readable by its owner only (it holds person-level rows)."""
    path = (home or paths.home()) / FOLDER
    path.mkdir(mode=0o700, exist_ok=True)
    path.chmod(0o700)
    return path


def building_path(build_id: str, home: Path | None = None) -> Path:
    """Where a build writes its new file (the pid tells the next build whether the writer is alive)."""
    return folder(home) / f"{BUILDING}{os.getpid()}-{build_id}.duckdb"


def current(home: Path | None = None) -> Path:
    """The file the pointer names now (the pointer itself when it is a plain file, as before generations).

    Raises ``FileNotFoundError`` when there is no warehouse yet.
    """
    pointer = paths.warehouse() if home is None else home / paths.warehouse().name
    target = Path(os.path.realpath(pointer))
    if not target.exists():
        raise FileNotFoundError(pointer)
    return target


def publish(building: Path, build_id: str, home: Path | None = None) -> Path:
    """Rename a finished build into place and point ``warehouse.duckdb`` at it; returns its path.

    Both steps are renames within one file system, so a reader sees the old generation or the new one,
    never a part of either; the directory is synced after each so a crash keeps what was published.
    """
    home = home or paths.home()
    target = folder(home) / f"{PREFIX}{build_id}.duckdb"
    _sync(building)
    os.replace(building, target)
    _sync(target.parent)
    link = home / f".warehouse.link-{os.getpid()}"
    link.unlink(missing_ok=True)
    os.symlink(Path(FOLDER) / target.name, link)  # relative: the home can be moved or mounted elsewhere
    os.replace(link, home / paths.warehouse().name)
    _sync(home)
    return target


def in_use(path: Path) -> bool:
    """Whether another process has the database file open (DuckDB locks every file it opens)."""
    try:
        with open(path, "r+b") as handle:
            try:
                fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return True
            fcntl.lockf(handle, fcntl.LOCK_UN)
            return False
    except FileNotFoundError:
        return False
    except PermissionError:
        return True  # not ours to judge (another user's reader): leave it


def remove_if_unused(path: Path) -> bool:
    """Delete an old generation no process reads; never the one its home's pointer names (the home is
    the folder above ``generations/``, whatever ``COCKPIT_HOME`` says now). Returns whether it went."""
    if path.parent.name != FOLDER or not path.name.startswith(PREFIX):
        return False
    try:
        if path == current(path.parent.parent):
            return False
    except FileNotFoundError:
        pass
    if in_use(path):
        return False
    try:
        path.unlink(missing_ok=True)
        Path(f"{path}.wal").unlink(missing_ok=True)
    except OSError:
        return False
    return True


def remove_unused(home: Path | None = None) -> list[Path]:
    """Delete every old generation that no process reads; returns what was deleted."""
    generations = sorted(folder(home).glob(f"{PREFIX}*.duckdb"))
    return [path for path in generations if remove_if_unused(path)]


def remove_abandoned(home: Path | None = None) -> list[Path]:
    """Delete half-written files of builds whose process no longer exists (killed or crashed)."""
    home = home or paths.home()
    removed = []
    candidates = [*folder(home).glob(f"{BUILDING}*"), *home.glob(f"{LEGACY_BUILDING}*"), *home.glob(".warehouse.link-*")]
    for stale in candidates:
        rest = stale.name.removeprefix(BUILDING).removeprefix(LEGACY_BUILDING).removeprefix(".warehouse.link-")
        pid = rest.split("-", 1)[0].split(".", 1)[0]
        if pid.isdigit() and (int(pid) == os.getpid() or _alive(int(pid))):
            continue
        stale.unlink(missing_ok=True)
        removed.append(stale)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
