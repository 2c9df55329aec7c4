"""Batch models run at build time: each module here declares one derived mart (``MART``) that the
command line hands to the warehouse build, so leaders read forecasts and projections instantly.

This is the one place where ``models`` meets the warehouse: a module reads marts through the
build's reader, calls ``models`` with plain frames, and returns a frame for ``mart.<name>``.
"""

from __future__ import annotations

import importlib
import pkgutil

from data_marts.derived import DerivedMart


def derived_marts() -> list[DerivedMart]:
    """Every ``MART`` (or each of ``MARTS``, for marts one computation produces together) declared
    by a module of this package, in module-name order."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        declared = getattr(module, "MARTS", None) or [getattr(module, "MART", None)]
        found.extend(m for m in declared if isinstance(m, DerivedMart))
    return found
