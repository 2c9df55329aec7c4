"""Warehouse generations: each build a file of its own, a pointer swapped by rename, unused files removed."""

import os
import shutil
import stat
import subprocess
import sys
import time

import duckdb
import pytest

from data_marts import generations
from data_marts.build import build


@pytest.fixture()
def home(staged_home):
    return staged_home


def _build_id(path) -> str:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT build_id FROM meta.build_log ORDER BY finished_at DESC LIMIT 1").fetchone()[0]


def test_each_build_is_a_new_file_and_the_pointer_names_the_newest(home):
    first = build()
    second = build()
    assert first.generation != second.generation
    assert (home / "warehouse.duckdb").is_symlink()
    assert generations.current(home) == second.generation
    assert _build_id(home / "warehouse.duckdb") == second.build_id
    assert not first.generation.exists()  # nobody read it: removed by the second build


def test_a_generation_another_process_reads_is_kept_until_it_lets_go(home):
    first = build()
    reader = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
         "print(c.sql('SELECT 1').fetchall()[0][0], flush=True); sys.stdin.read()", str(first.generation)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "1"
        second = build()
        assert first.generation.exists(), "a generation in use by another process was deleted"
        assert generations.current(home) == second.generation
    finally:
        reader.communicate("", timeout=30)
    assert generations.remove_unused(home) == [first.generation]
    assert sorted(p.name for p in (home / "generations").iterdir()) == [second.generation.name]


def test_half_written_files_of_dead_builds_go_and_those_of_live_ones_stay(home):
    folder = generations.folder(home)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    abandoned = folder / f".building-{dead.stdout.strip()}-20240101-000000-abcdef.duckdb"
    running = folder / f".building-{os.getppid()}-20240101-000000-fedcba.duckdb"
    legacy = home / f".warehouse.building-{dead.stdout.strip()}-x.duckdb"
    for path in (abandoned, running, legacy):
        path.write_bytes(b"half")
    assert set(generations.remove_abandoned(home)) == {abandoned, legacy}
    assert running.exists()


def test_stores_are_readable_by_their_owner_only(home):
    result = build()
    assert stat.S_IMODE(os.stat(home / "generations").st_mode) == 0o700
    assert stat.S_IMODE(os.stat(result.generation).st_mode) == 0o600


def test_a_warehouse_from_before_generations_is_replaced_by_the_pointer(home):
    build()
    legacy = home / "warehouse.duckdb"
    real = generations.current(home)
    legacy.unlink()
    shutil.copyfile(real, legacy)  # the layout of earlier versions: a plain file
    old_id = _build_id(legacy)
    result = build()
    assert legacy.is_symlink() and _build_id(legacy) == result.build_id != old_id


def test_no_warehouse_yet_is_a_clear_error(tmp_path, use_home):
    use_home(tmp_path)
    with pytest.raises(FileNotFoundError):
        generations.current(tmp_path)
