"""What a planner sets: the named inputs of one scenario, validated, and settable by name from text
(``cockpit plan crops --set subsidy.tea=300``)."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from models.crop_plan.errors import InvalidPlanInput

_CODE = re.compile(r"^[a-z][a-z0-9_]*$")

# Names settable with ``set(name, text)``; ``subsidy.<crop>`` and ``price_shock.<crop>`` take a crop code.
SCALARS = ("grain_floor_mu", "risk_weight", "max_corn_cut_share", "years", "max_change_share",
           "discount_rate", "appraisal_years", "labour_days_per_worker", "cvar_alpha", "scenarios", "seed")
PER_CROP = ("subsidy", "price_shock")


class PlanInputs(BaseModel):
    """The inputs of one crop-structure scenario.

    Parameters
    ----------
    region : str
        GB/T 2260 code of the region planned (the province or a prefecture; a county works too).
    years : int
        Horizon in years after the latest year of data (1–10, default 5).
    grain_floor_mu : float or None
        Grain sown area (亩) the region must keep every year; ``None`` keeps the province's grain task
        as split to the region's counties. A different value scales every county's share of the task.
    risk_weight : float
        0 maximises expected income; 1 maximises the mean income of the worst ``1 - cvar_alpha`` share
        of price and yield scenarios (CVaR); in between, a blend.
    max_corn_cut_share : float
        At most this share of the region's current corn area may be cut (1 = no limit of its own).
    max_change_share : float
        At most this share of a county's farmland may change crop in one year.
    subsidy : dict
        Subsidy per mu per year by crop code (元/亩), counted as farm income.
    price_shock : dict
        Factor on the expected price by crop code (0.8 = prices 20 % below the outlook).
    excluded : tuple
        Crop codes the plan may not expand (no new planting, no more area).
    discount_rate : float
        Yearly discount rate for later years' income (default 8 %).
    appraisal_years : int
        Years after the horizon in which perennials planted in the plan still count (their later income).
    labour_days_per_worker : float
        Days of farm work one farm labourer can give in a year; a county's labour limit is this times its
        farm labour, and never below what it already uses.
    cvar_alpha : float
        Confidence level of the CVaR (0.9: the worst 10 % of scenarios).
    scenarios : int
        Number of price and yield scenarios in the CVaR term.
    seed : int
        Seed for the scenarios and the Monte Carlo (the same seed gives the same plan).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    region: str
    years: int = Field(5, ge=1, le=10)
    grain_floor_mu: float | None = Field(None, ge=0)
    risk_weight: float = Field(0.2, ge=0, le=1)
    max_corn_cut_share: float = Field(1.0, ge=0, le=1)
    max_change_share: float = Field(0.15, gt=0, le=1)
    subsidy: dict[str, float] = Field(default_factory=dict)
    price_shock: dict[str, float] = Field(default_factory=dict)
    excluded: tuple[str, ...] = ()
    discount_rate: float = Field(0.08, ge=0, le=0.5)
    appraisal_years: int = Field(10, ge=0, le=30)
    labour_days_per_worker: float = Field(250, gt=0, le=366)
    cvar_alpha: float = Field(0.9, ge=0.5, lt=1)
    scenarios: int = Field(100, ge=20, le=2000)
    seed: int = 2025

    @field_validator("region")
    @classmethod
    def _region(cls, value: str) -> str:
        if not re.fullmatch(r"\d{6}", value):
            raise ValueError(f"region {value!r} is not a 6-digit GB/T 2260 code")
        return value

    @field_validator("subsidy", "price_shock")
    @classmethod
    def _per_crop(cls, value: dict[str, float], info) -> dict[str, float]:
        for code, number in value.items():
            if not _CODE.match(code):
                raise ValueError(f"{code!r} is not a crop code (see `cockpit plan crops --list-crops`)")
            if number != number or number in (float("inf"), float("-inf")):
                raise ValueError(f"{info.field_name}.{code} must be a finite number")
            if info.field_name == "price_shock" and not 0 < number <= 10:
                raise ValueError(f"price_shock.{code} must be a factor between 0 and 10, not {number}")
            if info.field_name == "subsidy" and abs(number) > 100_000:
                raise ValueError(f"subsidy.{code} of {number} 元/亩 is out of range (±100,000)")
        return dict(sorted(value.items()))

    @field_validator("excluded")
    @classmethod
    def _excluded(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for code in value:
            if not _CODE.match(code):
                raise ValueError(f"{code!r} is not a crop code (see `cockpit plan crops --list-crops`)")
        return tuple(sorted(set(value)))

    @classmethod
    def build(cls, **values: Any) -> "PlanInputs":
        """Validate ``values``; raises :class:`InvalidPlanInput` with one sentence per problem."""
        try:
            return cls(**values)
        except ValidationError as error:
            raise InvalidPlanInput(_sentence(error)) from None

    def set(self, name: str, text: str) -> "PlanInputs":
        """A copy with one input set from text: ``years``, ``risk_weight``, ``subsidy.tea``, ``excluded`` …"""
        values = self.model_dump()
        head, _, crop = name.partition(".")
        try:
            if head in PER_CROP and crop:
                values[head] = {**values[head], crop: float(text)}
            elif name == "excluded":
                values["excluded"] = tuple(c.strip() for c in text.split(",") if c.strip())
            elif name == "grain_floor_mu" and text.strip().lower() in ("", "none", "task"):
                values[name] = None
            elif name in SCALARS:
                values[name] = int(text) if name in ("years", "appraisal_years", "scenarios", "seed") else float(text)
            else:
                settable = ", ".join([*SCALARS, "excluded", *(f"{p}.<crop>" for p in PER_CROP)])
                raise InvalidPlanInput(f"unknown input {name!r}; settable inputs are {settable}")
        except ValueError as error:
            if isinstance(error, InvalidPlanInput):
                raise
            raise InvalidPlanInput(f"{name}={text!r} is not a number") from None
        return PlanInputs.build(**values)


def _sentence(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "inputs"
        message = item["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}")
    return "invalid plan input — " + "; ".join(parts)
