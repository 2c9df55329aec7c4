"""The demo regions and their published facts: Guizhou's in ``calibration.py``, every other region's in a
TOML file beside this module named by its GB/T 2260 code (``130900.toml``: 沧州市).

A region's file uses the names of ``calibration.py`` and overlays them when that region is the
deployment's home region, so every demo module reads the facts of the region it generates. Year keys
("2020") become integers and lists become tuples; region codes stay strings.
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path

from data_marts.settings import default_region

DEFAULT = default_region()  # the shipped deployment's region (data_marts/demo/deployment.toml): ``make demo``
FOLDER = Path(__file__).resolve().parent


def available() -> tuple[str, ...]:
    """The regions that have demo facts: Guizhou first, then the files here by code."""
    return (DEFAULT, *sorted(p.stem for p in FOLDER.glob("*.toml")))


def active() -> str:
    """The home region, whose demo the generator makes (``COCKPIT_REGION``, default Guizhou)."""
    from data_marts import regions

    home = getattr(regions, "home", None)  # the home-region setting (data_marts/settings.py)
    return home() if home else os.environ.get("COCKPIT_REGION", "").strip() or DEFAULT


def _typed(value):
    if isinstance(value, dict):
        return {(int(k) if len(k) == 4 and k.isdigit() else k): _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return tuple(_typed(v) for v in value)
    return value


@lru_cache(maxsize=None)
def load(code: str) -> dict:
    """The facts of a region with a TOML file (``KeyError`` naming the regions that have facts)."""
    path = FOLDER / f"{code}.toml"
    if not path.is_file():
        raise KeyError(f"no demo facts for region {code}; demo regions: {', '.join(available())}")
    with path.open("rb") as handle:
        return _typed(tomllib.load(handle))


def overlay(code: str | None = None) -> dict:
    """What replaces Guizhou's facts in ``calibration.py`` for the home region (nothing for Guizhou)."""
    code = code or active()
    return {} if code == DEFAULT else load(code)
