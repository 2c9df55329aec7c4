"""The two ways a plan can fail, each with one sentence a planner can act on."""

from __future__ import annotations


class PlanError(ValueError):
    """Base class: the message is a complete sentence for the planner (zh follows en in ``zh``)."""

    def __init__(self, message: str, zh: str | None = None, constraint: str | None = None) -> None:
        super().__init__(message)
        self.zh = zh or message
        self.constraint = constraint


class InvalidPlanInput(PlanError):
    """An input is out of range or names something unknown (a crop code, a region)."""


class InfeasiblePlan(PlanError):
    """No planting structure meets every constraint; ``constraint`` names the one that cannot be met."""
