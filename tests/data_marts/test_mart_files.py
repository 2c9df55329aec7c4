import duckdb
import pytest

from data_marts import mart_files


def test_every_mart_file_parses_with_a_complete_header():
    marts = mart_files.discover()
    names = {m.name for m in marts}
    assert {"population_structure", "population_dynamics", "enterprise_dynamics", "housing_stock",
            "person_housing_link", "economy_indicators", "agriculture", "region_profile"} <= names
    for mart in marts:
        assert mart.zh and mart.en and mart.grain and mart.owner
        assert mart.sharing in ("无条件共享", "有条件共享", "不予共享")


def test_marts_come_after_what_they_read():
    from data_marts.derived import builtin

    marts = mart_files.in_order([*mart_files.discover(), *builtin()])
    order = [m.target for m in marts]
    for position, mart in enumerate(marts):
        for dependency in mart.depends_on:
            if dependency in order:
                assert order.index(dependency) < position, (mart.name, dependency)


def test_dependencies_are_parsed_not_declared(tmp_path):
    theme = tmp_path / "demo"
    theme.mkdir()
    (theme / "b.sql").write_text(
        "-- name: b\n-- theme: demo\n-- grain: k\n-- zh: 乙\n-- en: B\n-- sharing: 无条件共享\n-- owner: x\n"
        "WITH base AS (SELECT 1 AS k) SELECT a.k, a.v * 2 AS w FROM mart.a AS a JOIN base USING (k)\n"
    )
    (theme / "a.sql").write_text(
        "-- name: a\n-- theme: demo\n-- grain: k\n-- zh: 甲\n-- en: A\n-- sharing: 无条件共享\n-- owner: x\n"
        "SELECT t.k, sum(t.v) AS v FROM base.t AS t GROUP BY t.k\n"
    )
    marts = mart_files.discover(tmp_path)
    assert [m.name for m in marts] == ["a", "b"]
    assert marts[1].sources == ("mart.a",)
    lineage = marts[1].column_lineage({"mart": {"a": {"k": "INT", "v": "DOUBLE"}}})
    assert ("w", "mart.a", "v") in lineage


def test_a_derived_mart_runs_between_the_sql_marts_around_it(tmp_path):
    """A Python step may read one SQL mart and be read by another (a build helper: materialize temp)."""
    from data_marts.derived import DerivedMart

    theme = tmp_path / "demo"
    theme.mkdir()
    header = "-- theme: demo\n-- grain: k\n-- zh: 甲\n-- en: A\n-- sharing: 无条件共享\n-- owner: x\n"
    (theme / "a.sql").write_text("-- name: a\n" + header + "SELECT t.k FROM base.t AS t\n")
    (theme / "b.sql").write_text("-- name: b\n" + header + "SELECT s.k FROM temp.step AS s\n")
    step = DerivedMart(name="step", theme="demo", grain=("k",), zh="乙", en="B", sharing="不予共享", owner="x",
                       materialize="temp", reads=("mart.a",), source="test", compute=lambda read: None)
    ordered = mart_files.in_order([*mart_files.discover(tmp_path), step])
    assert [m.target for m in ordered] == ["mart.a", "temp.step", "mart.b"]
    with pytest.raises(ValueError, match="cycle"):
        mart_files.in_order([*mart_files.discover(tmp_path), step.model_copy(update={"reads": ("mart.b",)})])


def test_a_header_without_grain_is_rejected(tmp_path):
    theme = tmp_path / "demo"
    theme.mkdir()
    (theme / "x.sql").write_text("-- name: x\n-- theme: demo\nSELECT 1\n")
    with pytest.raises(ValueError, match="x.sql: header is missing grain"):
        mart_files.discover(tmp_path)


def test_every_mart_is_plain_duckdb_sql():
    """No templating: each file parses as DuckDB SQL and explains against empty tables."""
    from data_marts import reference_tables, staging

    con = duckdb.connect()
    staging.ensure_schema(con)  # base, quarantine and meta as ingest creates them, empty
    con.execute("CREATE SCHEMA mart")
    reference_tables.create(con)
    from data_marts.build import create_mart

    from data_marts.build import create_derived
    from data_marts.derived import DerivedMart, builtin

    for mart in mart_files.in_order([*mart_files.discover(), *builtin()]):  # data_marts' own steps run between
        create = create_derived if isinstance(mart, DerivedMart) else create_mart
        assert create(con, mart) >= 0, mart.name
