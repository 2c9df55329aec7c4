"""Nothing outside the demo names the demo's home region: no Guizhou code (52xxxx, a "52" prefix) and no
贵州/Guizhou in the code of cockpit/, data_marts/ (but data_marts/demo/) or models/. The home region is a
setting (data_marts/settings.py); Guizhou is the shipped demo's, in data_marts/demo/ and its data files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("cockpit", "data_marts", "models")
EXCLUDED = (ROOT / "data_marts" / "demo",)
LITERALS = re.compile(r"贵州|Guizhou|(?<![0-9])52[0-9]{4}(?![0-9])|[\"']52[%\"']")


def offences(text: str) -> list[tuple[int, str]]:
    return [(number, line.strip()) for number, line in enumerate(text.splitlines(), 1) if LITERALS.search(line)]


def modules() -> list[Path]:
    """Every .py module of the packages, and the marts' SQL (which once filtered on '52%')."""
    found = [p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))]
    found += sorted((ROOT / "data_marts" / "marts").rglob("*.sql"))
    return [p for p in found if not any(p.is_relative_to(folder) for folder in EXCLUDED)]


def test_the_scan_covers_the_packages_and_leaves_the_demo_out():
    paths = modules()
    assert len(paths) > 100
    assert ROOT / "cockpit" / "shell.py" in paths and ROOT / "models" / "crop_plan" / "lp.py" in paths
    assert ROOT / "data_marts" / "marts" / "overview" / "region_profile.sql" in paths
    assert not any("demo" in p.relative_to(ROOT).parts[:2] for p in paths if p.parts[-3] == "data_marts")


@pytest.mark.parametrize("line", ['PROVINCE = "520000"', "code.startswith('52')", "# 贵州省的区县", "Guizhou's corn",
                                  "WHERE code LIKE '52%'", 'x in ("520502",)'])
def test_the_scan_catches_a_literal(line):
    assert offences(line)


@pytest.mark.parametrize("line", ["1520001", "area_km2 = 5200001.5", 'prefix = code[:2] + "0000"', "130900"])
def test_the_scan_leaves_other_numbers_alone(line):
    assert not offences(line)


def test_no_module_outside_the_demo_names_the_demo_home_region():
    found = {str(p.relative_to(ROOT)): hits for p in modules() if (hits := offences(p.read_text(encoding="utf-8")))}
    assert found == {}, found
