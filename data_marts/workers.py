"""Worker processes for build-time batches that die with the build.

A build that is killed (SIGKILL, the machine's OOM killer, a CI timeout) runs no clean-up code, and a
``ProcessPoolExecutor``'s workers would outlive it holding hundreds of megabytes (issue #10: 13 of 20
killed builds left a forkserver, a resource tracker and two workers behind). Two defences:

- each worker watches the build process and exits as soon as it is gone. (Being the forkserver's
  children, the workers cannot rely on their parent dying: the forkserver exits only once every
  holder of its "alive" pipe is gone, and multiprocessing hands that pipe to every worker, so a
  killed build's forkserver and workers would keep each other alive.) With the workers gone the
  forkserver and the resource tracker see their pipes close and exit too;
- each worker records itself under ``$COCKPIT_HOME/.workers/`` with the build's process, and the next
  build kills the recorded processes of a build that no longer exists (a record names a process by
  pid *and* start time, so a recycled pid is never killed).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context
from pathlib import Path

from data_marts import paths

FOLDER = ".workers"


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat), or None."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def _watch(build_pid: int, build_started: str, every: float = 0.5) -> None:
    """Exit this worker as soon as the build that started it is gone (a daemon thread's loop)."""
    while _start_time(build_pid) == build_started:
        time.sleep(every)
    os._exit(1)


def _register(folder: str, build_pid: int, build_started: str) -> None:
    """Pool initializer: die with the build, and leave a record for the next build."""
    me, parent = os.getpid(), os.getppid()
    threading.Thread(target=_watch, args=(build_pid, build_started), daemon=True, name="build-watch").start()
    lines = [f"build {build_pid} {build_started}", f"worker {me} {_start_time(me)}",
             f"parent {parent} {_start_time(parent)}"]
    Path(folder, f"{build_pid}-{me}").write_text("\n".join(lines) + "\n")


@contextmanager
def pool(max_workers: int, preload: tuple[str, ...] = ()):
    """A process pool (fresh forkserver processes, safe beside the build's DuckDB threads) whose workers
    die with the build; the pool's records are removed when it closes normally."""
    home = paths.home()
    folder = home / FOLDER
    folder.mkdir(mode=0o700, exist_ok=True)
    me = os.getpid()
    context = get_context("forkserver")
    if preload:
        context.set_forkserver_preload(list(preload))
    try:
        with ProcessPoolExecutor(max_workers=max_workers, mp_context=context, initializer=_register,
                                 initargs=(str(folder), me, _start_time(me) or "")) as executor:
            yield executor
    finally:
        for record in folder.glob(f"{me}-*"):
            record.unlink(missing_ok=True)


def reap_abandoned(home: Path | None = None) -> list[int]:
    """Kill the worker processes (and their forkserver) of builds that no longer run; returns the pids
    killed. Records of a build that is still running are left alone."""
    folder = (home or paths.home()) / FOLDER
    killed: list[int] = []
    for record in sorted(folder.glob("*-*")) if folder.is_dir() else []:
        entries = {}
        for line in record.read_text().splitlines():
            kind, pid, started = (line.split() + ["", "", ""])[:3]
            if pid.isdigit():
                entries[kind] = (int(pid), started)
        build = entries.get("build")
        if build and _start_time(build[0]) == build[1] and build[0] != os.getpid():
            continue  # that build is still running
        for kind in ("worker", "parent"):
            if kind not in entries:
                continue
            pid, started = entries[kind]
            if started and _start_time(pid) == started and pid != os.getpid():
                try:
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                except ProcessLookupError:
                    pass
        record.unlink(missing_ok=True)
    return killed
