"""Saved crop-plan scenarios: named inputs plus their result, with who saved them and when.

Stored in ``$COCKPIT_HOME/scenarios.duckdb`` (``data_marts.paths.scenarios``), not in the warehouse: a
build replaces the warehouse file and the cockpit holds it open read-only, and DuckDB allows no writer
beside readers (docs/DECISIONS.md, 17). Each call opens the file, does its work in one transaction and
closes it, so the server and ``cockpit plan crops --save`` can both write; a call that finds the file
locked retries for a few seconds.

Tables: ``scenario`` (one row each: id, name, region, created_by, created_at, the inputs as JSON — the
pydantic model — and the summary and binding constraints as JSON), ``scenario_plan`` and
``scenario_risk`` (the result frames, one row per county × crop × year and per variant × year).
"Who": on the cockpit behind sign-in, the token's subject (cockpit/views/planner.py); on the single-user
laptop and the command line, what the caller says (``--by``, the page's name field), else the OS user.
"""

from __future__ import annotations

import getpass
import json
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

import duckdb
import polars as pl

from cockpit import audit
from data_marts import paths
from models.crop_plan import CropPlan, PlanInputs

SCHEMA = """
CREATE TABLE IF NOT EXISTS scenario (
    id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL,
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    inputs VARCHAR NOT NULL,
    summary VARCHAR NOT NULL,
    binding VARCHAR NOT NULL
)
"""
RESULT_TABLES = {"plan": "scenario_plan", "risk": "scenario_risk"}


class ScenarioError(LookupError):
    """A scenario that does not exist, or a store that cannot be opened."""


@dataclass(frozen=True)
class Saved:
    id: str
    name: str
    created_by: str
    created_at: datetime
    result: CropPlan

    @property
    def inputs(self) -> PlanInputs:
        return self.result.inputs


def who(by: str | None = None) -> str:
    """The name recorded as "who": the one given, else the operating-system user."""
    if by and by.strip():
        return by.strip()
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return "unknown"


@contextmanager
def _store(read_only: bool = False):
    path = paths.scenarios()
    if read_only and not path.exists():
        con = duckdb.connect(":memory:")
        con.execute(SCHEMA)
        yield con
        con.close()
        return
    for attempt in range(40):
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as error:  # another process is writing: wait a moment
            if "lock" not in str(error).lower() or attempt == 39:
                raise ScenarioError(f"cannot open {path}: {error}") from error
            time.sleep(0.1)
    try:
        if not read_only:
            paths.owner_only(path)
            con.execute(SCHEMA)
        yield con
    finally:
        con.close()


def save(name: str, result: CropPlan, by: str | None = None) -> str:
    """Store ``result`` under ``name``; returns the new scenario id (used in share links)."""
    if not name or not name.strip():
        raise ValueError("a scenario needs a name")
    scenario_id = uuid.uuid4().hex[:12]
    with _store() as con:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("INSERT INTO scenario VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
                scenario_id, name.strip(), result.inputs.region, who(by), datetime.now().replace(microsecond=0),
                result.inputs.model_dump_json(), json.dumps(dict(result.summary), ensure_ascii=False),
                json.dumps(list(result.binding), ensure_ascii=False)])
            for attr, table in RESULT_TABLES.items():
                frame = getattr(result, attr).with_row_index("seq").with_columns(
                    pl.lit(scenario_id).alias("scenario_id"), pl.col("seq").cast(pl.Int64))
                con.register("_frame", frame.to_arrow())
                con.execute(f"CREATE TABLE IF NOT EXISTS {table} AS SELECT * FROM _frame WHERE false")
                con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _frame")
                con.unregister("_frame")
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    audit.record("scenario_save", scenario=scenario_id, name=name.strip(), region_code=result.inputs.region,
                 saved_by=who(by))
    return scenario_id


def load(scenario_id: str) -> Saved:
    """The saved scenario, its result exactly as it was stored; raises ScenarioError if there is none."""
    with _store(read_only=True) as con:
        rows = con.execute("SELECT id, name, created_by, created_at, inputs, summary, binding FROM scenario WHERE id = ?",
                           [scenario_id]).fetchall()
        if not rows:
            raise ScenarioError(f"no saved scenario {scenario_id!r}")
        sid, name, by, at, inputs, summary, binding = rows[0]
        frames = {}
        for attr, table in RESULT_TABLES.items():
            frame = pl.from_arrow(con.sql(f"SELECT * FROM {table} WHERE scenario_id = ? ORDER BY seq",
                                          params=[sid]).to_arrow_table())
            frames[attr] = frame.drop("seq", "scenario_id")
    result = CropPlan(inputs=PlanInputs.model_validate_json(inputs), plan=frames["plan"], risk=frames["risk"],
                      binding=tuple(json.loads(binding)), summary=MappingProxyType(json.loads(summary)))
    return Saved(id=sid, name=name, created_by=by, created_at=at, result=result)


def listing(region: str | None = None) -> pl.DataFrame:
    """Saved scenarios, newest first: id, name, region_code, created_by, created_at, income and baseline."""
    with _store(read_only=True) as con:
        sql = """
            SELECT id, name, region_code, created_by, created_at,
                   CAST(json_extract(summary, '$.income_yuan') AS DOUBLE) AS income_yuan,
                   CAST(json_extract(summary, '$.baseline_income_yuan') AS DOUBLE) AS baseline_income_yuan,
                   CAST(json_extract(summary, '$.objective_yuan') AS DOUBLE) AS objective_yuan
            FROM scenario {where} ORDER BY created_at DESC, name
        """
        where, params = ("WHERE region_code = ?", [region]) if region else ("", None)
        return pl.from_arrow(con.sql(sql.format(where=where), params=params).to_arrow_table())


def delete(scenario_id: str) -> bool:
    """Remove a scenario and its result; False if there was none."""
    if not paths.scenarios().exists():
        return False
    with _store() as con:
        found = con.execute("SELECT count(*) FROM scenario WHERE id = ?", [scenario_id]).fetchall()[0][0]
        if not found:
            return False
        con.execute("BEGIN TRANSACTION")
        con.execute("DELETE FROM scenario WHERE id = ?", [scenario_id])
        for table in RESULT_TABLES.values():
            exists = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]).fetchall()
            if exists[0][0]:
                con.execute(f"DELETE FROM {table} WHERE scenario_id = ?", [scenario_id])
        con.execute("COMMIT")
    audit.record("scenario_delete", scenario=scenario_id)
    return True
