"""Base-library contracts: the one declaration of every dataset departments send.

``CONTRACTS`` maps table name to contract; ``LIBRARIES`` maps a library name (what
``cockpit ingest --library`` takes) to its datasets.
"""

from data_marts.contracts import agriculture, agriculture_land, economy, housing, legal_entities, population
from data_marts.contracts.model import Column, Contract, Link, Rule

CONTRACTS: dict[str, Contract] = {
    m.CONTRACT.table: m.CONTRACT
    for m in (population, legal_entities, housing, economy, agriculture, agriculture_land)
}

LIBRARIES: dict[str, list[Contract]] = {}
for _contract in CONTRACTS.values():
    LIBRARIES.setdefault(_contract.library, []).append(_contract)


def get(table: str) -> Contract:
    """The contract of ``base.<table>``; raises ``KeyError`` listing the known ones."""
    try:
        return CONTRACTS[table]
    except KeyError:
        raise KeyError(f"unknown base table {table!r}; known: {', '.join(CONTRACTS)}") from None


__all__ = ["CONTRACTS", "LIBRARIES", "Column", "Contract", "Link", "Rule", "get"]
