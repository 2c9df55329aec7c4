"""Disclosure control: cell suppression that holds against subtraction (docs/disclosure.md).

``problem`` (cells and relations), ``suppression`` (primary and complementary), ``audit`` (the attacker's
linear programmes), ``step`` (the build step that protects the person counts)."""

from data_marts.disclosure.problem import DisclosureError, Problem
from data_marts.disclosure.suppression import Suppression, suppress

__all__ = ["DisclosureError", "Problem", "Suppression", "suppress"]
