"""The command line as a user meets it: help everywhere, clear errors, row accounting printed."""

import shutil

import duckdb
import pytest
from typer.testing import CliRunner

from cockpit.cli import app
from data_marts.paths import PUBLISHED_DIR

runner = CliRunner()


@pytest.mark.parametrize("command", [[], ["demo"], ["ingest"], ["build"], ["check"], ["serve"], ["idp"]])
def test_every_command_has_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_ingest_a_real_statistics_portal_export_then_build_prints_the_accounting(tmp_path, use_home, demo_home):
    use_home(tmp_path)
    shutil.copyfile(demo_home / "staging.duckdb", tmp_path / "staging.duckdb")
    revised = next(PUBLISHED_DIR.glob("*修订*.csv"))
    result = runner.invoke(app, ["ingest", str(revised), "--library", "economy"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "rows read" in result.output and "quarantined" in result.output
    assert runner.invoke(app, ["build"]).exit_code == 0
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as con:
        gdp, vintage = con.execute(
            "SELECT value, vintage FROM base.economy WHERE region_code = '520000' AND indicator = 'gdp' "
            "AND period = '2024' AND measure = '当期值'").fetchone()
    assert gdp == pytest.approx(22645.7) and vintage == "2025-03"


def test_a_file_that_cannot_be_read_exits_non_zero_and_changes_nothing(tmp_path, use_home):
    use_home(tmp_path)
    bad = tmp_path / "法人库.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not really a workbook")
    result = runner.invoke(app, ["ingest", str(bad), "--library", "legal_entities"])
    assert result.exit_code == 2
    assert "法人库.xlsx" in result.output
    if (tmp_path / "staging.duckdb").exists():
        with duckdb.connect(str(tmp_path / "staging.duckdb"), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM meta.load_log").fetchone()[0] == 0


def test_unknown_library_is_refused(tmp_path, use_home):
    use_home(tmp_path)
    (tmp_path / "x.csv").write_text("a,b\n1,2\n")
    result = runner.invoke(app, ["ingest", str(tmp_path / "x.csv"), "--library", "weather"])
    assert result.exit_code == 1
    assert "unknown library 'weather'" in result.output


def test_check_prints_quality_per_department(demo_home, use_home):
    use_home(demo_home)
    result = runner.invoke(app, ["check"], terminal_width=200)
    assert result.exit_code == 0, result.output
    for department in ("省公安厅", "省市场监管局", "省统计局"):
        assert department in result.output
    assert "gb11643" in result.output


def test_check_without_a_warehouse_says_what_to_run(tmp_path, use_home):
    use_home(tmp_path)
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 1
    assert "cockpit demo" in result.output


def test_a_bad_home_region_stops_every_command_with_one_sentence(tmp_path):
    import os
    import subprocess
    import sys

    (tmp_path / "cockpit.toml").write_text('[deployment]\nregion = "139999"\n', encoding="utf-8")
    env = {**os.environ, "COCKPIT_HOME": str(tmp_path)}
    env.pop("COCKPIT_REGION", None)
    done = subprocess.run([sys.executable, "-c", "from cockpit.cli import main; main()", "build"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2, done.stderr
    message = " ".join(done.stderr.split())
    assert message.startswith("error: ") and "cockpit.toml ([deployment]): region '139999' is not a province" in message
    assert "Traceback" not in done.stderr
