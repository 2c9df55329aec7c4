"""Where the data lives: every path the project uses is resolved here, from ``COCKPIT_HOME``."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
MARTS_DIR = PACKAGE_DIR / "marts"
REGIONS_CSV = PACKAGE_DIR / "regions.csv"
REGION_CHANGES_CSV = PACKAGE_DIR / "region_changes.csv"
PUBLISHED_DIR = PACKAGE_DIR / "demo" / "published"


def home() -> Path:
    """``$COCKPIT_HOME`` (default ``./var``), created on first use, readable by its owner only."""
    path = Path(os.environ.get("COCKPIT_HOME", "var")).resolve()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def owner_only(path: Path) -> None:
    """Make a store and its write-ahead log readable by their owner only (0600): the staging store, the
    warehouse and the scenarios hold person-level rows or users' work. DuckDB creates files with the
    process's umask; the command line sets 077, and this covers every other caller."""
    for file in (path, Path(f"{path}.wal")):
        try:
            if file.exists() and (file.stat().st_mode & 0o077):
                file.chmod(0o600)
        except OSError:
            pass


def warehouse() -> Path:
    """The published warehouse that the cockpit reads (swapped in atomically by a build)."""
    return home() / "warehouse.duckdb"


def staging() -> Path:
    """The ingest store: base libraries, quarantine, load log and row-level quality results."""
    return home() / "staging.duckdb"


def scenarios() -> Path:
    """Saved planning scenarios (crop plans): their own file, because the warehouse is rebuilt, swapped
    in and held open read-only by the cockpit, and DuckDB allows no writer beside those readers."""
    return home() / "scenarios.duckdb"


def inbox() -> Path:
    """Department exports waiting to be ingested (the demo generator writes here)."""
    path = home() / "inbox"
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache() -> Path:
    """Derived files that are expensive to make and safe to delete (e.g. simplified boundaries):
    ``$COCKPIT_CACHE``, else ``$XDG_CACHE_HOME/decision-cockpit``, else ``~/.cache/decision-cockpit``."""
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "decision-cockpit"
    path = Path(os.environ.get("COCKPIT_CACHE", default))
    path.mkdir(parents=True, exist_ok=True)
    return path


def model_cache() -> Path:
    """Batch model results kept between builds (``cache/`` under the home, owner-only): a build after a
    small load refits only the series whose input changed. Safe to delete; the next build refits all."""
    path = home() / "cache"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def logs() -> Path:
    """Server and command-line logs: the details behind the one-sentence errors users see."""
    path = home() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def exports() -> Path:
    """Files the cockpit exports for users (CSV, Excel, briefs)."""
    path = home() / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path
