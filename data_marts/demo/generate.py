"""Write the demo's department exports into an inbox, the way departments send them."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from data_marts.demo import agriculture, agriculture_plain, calibration, economy, facts, housing, legal_entities, population
from data_marts.paths import PUBLISHED_DIR

DEFAULT_SCALE = 0.01
DEFAULT_SEED = 20241231
MARKER = ".demo.json"
STEPS = ("housing", "population", "legal_entities", "economy", "agriculture", "published")


def existing(inbox: Path) -> dict | None:
    """The scale and seed of the demo exports already in ``inbox``, if any."""
    marker = inbox / MARKER
    return json.loads(marker.read_text(encoding="utf-8")) if marker.exists() else None


def generate(inbox: Path, scale: float = DEFAULT_SCALE, seed: int = DEFAULT_SEED,
             progress: Callable[[str, int, int], None] | None = None) -> list[Path]:
    """Generate every department's export into ``inbox/<library>/``; returns the files written.

    The region is the home region (its facts: ``data_marts/demo/facts``). Deterministic for a given
    (region, scale, seed). Existing demo files are replaced.
    """
    if not 0 < scale <= 1:
        raise ValueError(f"scale must be in (0, 1], got {scale}")
    for library in ("population", "legal_entities", "housing", "economy", "agriculture"):
        shutil.rmtree(inbox / library, ignore_errors=True)
    (inbox / MARKER).unlink(missing_ok=True)
    written: list[Path] = []

    def step(name: str) -> None:
        if progress:
            progress(name, STEPS.index(name), len(STEPS))

    step("housing")
    units = housing.generate(scale, seed)
    written += housing.write(units, inbox)
    step("population")
    written += population.export(scale, seed, units, inbox)  # streams: never the whole frame at once
    step("legal_entities")
    written += legal_entities.write(legal_entities.generate(scale, seed, units), inbox)
    step("economy")
    written += economy.write(economy.generate(seed), inbox)
    step("agriculture")
    farming = agriculture_plain if calibration.FARMING_SYSTEM == "wheat_corn" else agriculture
    crops, land = farming.generate(seed)
    written += farming.write(crops, land, inbox)
    step("published")
    target = inbox / "economy"
    target.mkdir(parents=True, exist_ok=True)
    # The statistics portal's exports of the published series exist for Guizhou only.
    published = sorted(PUBLISHED_DIR.glob("*.csv")) if calibration.ROOT == facts.DEFAULT else []
    for source in published:
        shutil.copyfile(source, target / source.name)
        written.append(target / source.name)
    (inbox / MARKER).write_text(json.dumps({"scale": scale, "seed": seed, "region": calibration.ROOT}),
                              encoding="utf-8")
    return written
