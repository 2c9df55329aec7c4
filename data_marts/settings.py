"""The deployment's settings: which region this cockpit serves (its home region).

One setting names it, read in this order:
1. the environment variable ``COCKPIT_REGION`` (``COCKPIT_REGION=130900``);
2. ``cockpit.toml`` in ``$COCKPIT_HOME``, else in the working directory::

       [deployment]
       region = "130900"   # 沧州市: a province, a prefecture-level city or a county-level unit

3. the shipped default, ``data_marts/demo/deployment.toml`` (the demo's province).

A code that is not a province, prefecture or county in the region table (``regions.csv``) stops with one
sentence naming where it was set.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

ENV = "COCKPIT_REGION"
FILE = "cockpit.toml"
SHIPPED = Path(__file__).resolve().parent / "demo" / "deployment.toml"  # the shipped demo deployment


class SettingError(ValueError):
    """A setting that cannot be used; its message is one sentence naming where it was set."""


class Deployment(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    region: str

    @field_validator("region", mode="before")
    @classmethod
    def _known_code(cls, value: object) -> str:
        from data_marts import regions

        code = str(value).strip()
        if code not in regions.by_code():
            raise ValueError(f"{code!r} is not a province, prefecture or county code (GB/T 2260) "
                             f"in use on {regions.vintage_date()}")
        return code


def config_file() -> Path | None:
    """The ``cockpit.toml`` that applies: in the home (``$COCKPIT_HOME``, default ``./var`` as in
    ``paths.home()``, where ``cockpit demo --region`` writes it) if there is one, else in the working directory."""
    candidates = [Path(os.environ.get("COCKPIT_HOME") or "var") / FILE, Path.cwd() / FILE]
    return next((path for path in candidates if path.is_file()), None)


def deployment() -> tuple[Deployment, str]:
    """The deployment settings and where they came from (the variable, the file, or "default")."""
    if os.environ.get(ENV, "").strip():
        return _validated({"region": os.environ[ENV]}, f"the environment variable {ENV}"), ENV
    path = config_file() or SHIPPED
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise SettingError(f"{path}: cannot be read as TOML ({error}).") from None
    section = data.get("deployment", {})
    if not isinstance(section, dict):
        raise SettingError(f"{path}: [deployment] must be a table, e.g. [deployment] region = \"130900\".")
    return _validated(section, f"{path} ([deployment])"), "default" if path == SHIPPED else str(path)


def _validated(values: dict, where: str) -> Deployment:
    try:
        return Deployment(**values)
    except ValidationError as error:
        problem = error.errors()[0]
        field = ".".join(str(p) for p in problem["loc"]) or "region"
        message = problem["msg"].removeprefix("Value error, ")
        raise SettingError(f"{where}: {field} {message}.") from None


_cache: dict[tuple, str] = {}


def default_region() -> str:
    """The shipped deployment's home region (the demo's)."""
    return tomllib.loads(SHIPPED.read_text(encoding="utf-8"))["deployment"]["region"]


def home_region() -> str:
    """The home region's code, validated; re-read when the variable or the file changes."""
    path = config_file()
    key = (os.environ.get(ENV), str(path), path.stat().st_mtime_ns if path else None)
    if key not in _cache:
        _cache.clear()
        _cache[key] = deployment()[0].region
    return _cache[key]
