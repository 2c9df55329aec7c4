"""Panels: the analysts' extension point. A panel is one Python file that declares what it is and
how it draws; it is discovered from ``cockpit/panels/`` and from every folder named in
``COCKPIT_PANELS_PATH`` (separated by ``os.pathsep``), so a new panel needs no edit elsewhere, and
it appears at the next rerun of a running cockpit.

    PANEL = Panel(
        id="population.pyramid", theme="population", order=10,
        title={"zh": "人口金字塔", "en": "Population pyramid"},
        marts=["population_structure"],
        params=[RegionParam(), YearParam()],
    )

    def render(ctx):
        df = ctx.query("SELECT ... FROM mart.population_structure WHERE region_code = ? AND year = ?",
                       [ctx.params.region, ctx.params.year])
        ctx.chart(pyramid(df), df)

The module docstring is the panel's subtitle. The built-in panels use exactly this mechanism.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

BUILTIN_DIR = Path(__file__).resolve().parent / "panels"
THEMES = ("overview", "population", "enterprise", "housing", "economy", "agriculture", "rankings")
ROLES = ("province_leader", "prefecture_leader", "county_leader", "analyst", "planner", "admin")


class Param(BaseModel):
    """A typed input a panel needs; the page supplies a validated value (never pasted into SQL)."""

    model_config = ConfigDict(frozen=True)
    kind: str


class RegionParam(Param):
    kind: Literal["region"] = "region"


class YearParam(Param):
    kind: Literal["year"] = "year"


class Panel(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    id: str
    theme: str
    title: dict[str, str]
    marts: tuple[str, ...]
    params: tuple[Param, ...] = ()
    order: int = 100
    # The tab of its page the panel sits in, e.g. {"zh": "预测", "en": "Outlook"}; None is the page's
    # first tab (概况). A page with panels in more than one section shows tabs and draws only the open one.
    section: dict[str, str] | None = None
    roles: tuple[str, ...] = ROLES
    strings: dict[str, dict[str, str]] = Field(default_factory=dict)
    # Filled in by discovery from the panel's module:
    description: dict[str, str] = Field(default_factory=dict)
    render: Callable[[Any], None] | None = None
    source: Path | None = None

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*", value):
            raise ValueError(f"panel id {value!r} must look like 'theme.name' (lowercase, digits, _)")
        return value

    @field_validator("theme")
    @classmethod
    def _theme(cls, value: str) -> str:
        if value not in THEMES:
            raise ValueError(f"theme {value!r} is not one of {', '.join(THEMES)}")
        return value

    @field_validator("title", "section")
    @classmethod
    def _bilingual(cls, value: dict[str, str] | None, info) -> dict[str, str] | None:
        if value is not None and (not value.get("zh") or not value.get("en")):
            raise ValueError(f"a panel {info.field_name} needs both 'zh' and 'en'")
        return value

    def text(self, key: str, lang: str) -> str:
        return self.strings[key][lang]


class PanelError(ValueError):
    """A panel file that cannot be registered; the message names the file."""


def _description(doc: str | None, source: Path) -> dict[str, str]:
    """The module docstring: a Chinese line, then optionally an English line after ' / ' or on line 2."""
    if not doc or not doc.strip():
        raise PanelError(f"{source}: a panel file starts with a one-line docstring (its subtitle)")
    lines = [line.strip() for line in doc.strip().splitlines() if line.strip()]
    if " / " in lines[0]:
        zh, en = lines[0].split(" / ", 1)
    else:
        zh, en = lines[0], (lines[1] if len(lines) > 1 else lines[0])
    return {"zh": zh, "en": en}


def load(source: Path) -> Panel:
    """Import one panel file and return its Panel with render, description and source attached."""
    name = f"cockpit_panel_{re.sub(r'[^0-9a-zA-Z_]', '_', str(source.with_suffix('')))}"
    spec = importlib.util.spec_from_file_location(name, source)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # a broken analyst file must say which file
        raise PanelError(f"{source}: {type(error).__name__}: {error}") from error
    panel = getattr(module, "PANEL", None)
    render = getattr(module, "render", None)
    if not isinstance(panel, Panel) or not callable(render):
        raise PanelError(f"{source}: a panel file defines PANEL = Panel(...) and def render(ctx)")
    return panel.model_copy(update={"render": render, "source": source,
                                    "description": _description(module.__doc__, source)})


def folders() -> list[Path]:
    extra = [Path(p) for p in os.environ.get("COCKPIT_PANELS_PATH", "").split(os.pathsep) if p.strip()]
    return [BUILTIN_DIR, *extra]


def _signature(key: tuple[str, ...]) -> tuple[tuple[str, tuple[tuple[str, int, int, int], ...]], ...]:
    """Each folder's panel files with (inode, mtime, size): one cheap stat per file and rerun, so an
    added, edited, renamed or removed file is noticed on the next rerun without a restart."""
    signature = []
    for folder in key:
        if not os.path.isdir(folder):
            raise PanelError(f"COCKPIT_PANELS_PATH names {folder}, which is not a folder")
        files = []
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith(".py") and not entry.name.startswith("_") and entry.is_file():
                    stat = entry.stat()
                    files.append((entry.name, stat.st_ino, stat.st_mtime_ns, stat.st_size))
        signature.append((folder, tuple(sorted(files))))
    return tuple(signature)


@lru_cache(maxsize=512)
def _load(source: str, stamp: tuple[int, int, int]) -> Panel:
    # Keyed by the file's stamp: an edit imports that one file again, the others stay loaded.
    return load(Path(source))


@lru_cache(maxsize=4)
def _registry(signature: tuple) -> tuple[Panel, ...]:
    panels: dict[str, Panel] = {}
    for folder, files in signature:
        for name, *stamp in files:
            panel = _load(str(Path(folder) / name), tuple(stamp))
            if panel.id in panels:
                raise PanelError(f"{panel.source}: panel id {panel.id!r} is already used by {panels[panel.id].source}")
            panels[panel.id] = panel
    return tuple(sorted(panels.values(), key=lambda p: (THEMES.index(p.theme), p.order, p.id)))


def registry() -> tuple[Panel, ...]:
    """Every panel, built-in and configured, in page order, as the folders hold them now."""
    return _registry(_signature(tuple(str(f) for f in folders())))


def for_theme(theme: str, role: str | tuple[str, ...] = "province_leader") -> list[Panel]:
    """The theme's panels that ``role`` (or any of several roles) may see, in page order."""
    roles = (role,) if isinstance(role, str) else role
    return [p for p in registry() if p.theme == theme and any(r in p.roles for r in roles)]
