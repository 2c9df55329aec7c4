"""Departments and sharing classes have English names (data_marts/glossary.py): every one the
contracts, the marts, the catalog, the indicators and the overview's KPI cards name."""

from __future__ import annotations

import re
import typing

import pytest

from data_marts import catalog, glossary, indicators, mart_files
from data_marts.contracts import CONTRACTS
from data_marts.contracts.model import SharingClass

HAN = re.compile(r"[\u4e00-\u9fff]")


def _named_departments() -> set[str]:
    from cockpit.panels.overview_kpis import CARDS

    named = {c.department_zh for c in CONTRACTS.values()}
    named |= {m.owner for m in mart_files.discover()}
    named |= {i.department_zh for i in indicators.BY_CODE.values()}
    named |= {card[3] for card in CARDS}
    named |= set(re.findall(r'owner="([^"]+)"', open(catalog.__file__, encoding="utf-8").read()))
    return named


@pytest.mark.parametrize("name", sorted(_named_departments()))
def test_every_department_named_anywhere_has_an_english_name(name):
    english = glossary.department(name, "en")
    assert english != name and not HAN.search(english), f"{name} has no English name in glossary.DEPARTMENTS"
    assert glossary.department(name, "zh") == name


def test_contract_departments_keep_the_contracts_english():
    for contract in CONTRACTS.values():
        assert glossary.DEPARTMENTS[contract.department_zh] == contract.department_en


@pytest.mark.parametrize("name", typing.get_args(SharingClass))
def test_every_sharing_class_has_an_english_name(name):
    english = glossary.sharing_class(name, "en")
    assert english != name and not HAN.search(english)
    assert glossary.sharing_class(name, "zh") == name


def test_every_department_and_sharing_class_the_warehouse_holds_has_an_english_name(warehouse):
    con = warehouse  # the session's connection: DuckDB refuses a second one with another configuration
    owners = {r[0] for r in con.execute("SELECT DISTINCT owner FROM meta.catalog WHERE owner IS NOT NULL").fetchall()}
    owners |= {r[0] for r in con.execute("SELECT DISTINCT department FROM meta.quality").fetchall()}
    owners |= {r[0] for r in con.execute(
        "SELECT DISTINCT source FROM meta.lineage WHERE source_kind = 'department'").fetchall()}
    sharing = {r[0] for r in con.execute(
        "SELECT DISTINCT sharing_class FROM meta.catalog WHERE sharing_class IS NOT NULL").fetchall()}
    assert owners and sharing
    assert not {o for o in owners if HAN.search(glossary.department(o, "en"))}
    assert not {s for s in sharing if HAN.search(glossary.sharing_class(s, "en"))}
