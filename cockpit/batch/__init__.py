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
    """Every ``MART`` declared by a module of this package, in module-name order."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        mart = getattr(module, "MART", None)
        if isinstance(mart, DerivedMart):
            found.append(mart)
    return found
