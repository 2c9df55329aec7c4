"""Assumptions of the crop planner that differ by region: which crops are planned, how prices answer
extra output (price flexibility), and whether the arable land carries one crop a year or a crop per
season (a wheat–corn double-cropping plain). One TOML file per region in ``assumptions/``: the planned
region's own, else its prefecture's, else its province's, else ``default.toml`` (docs/planner.md).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from models.crop_plan.errors import InvalidPlanInput

FOLDER = Path(__file__).resolve().parent / "assumptions"


class _Planner(BaseModel):
    model_config = ConfigDict(extra="forbid")
    crops: list[str] = Field(default_factory=list)


class _Demand(BaseModel):
    model_config = ConfigDict(extra="forbid")
    default_flexibility: float = Field(-0.30, lt=0)
    flexibility: dict[str, float] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _negative(self) -> "_Demand":
        bad = [code for code, value in self.flexibility.items() if not value < 0]
        if bad:
            raise ValueError(f"[demand.flexibility] must be negative for {', '.join(bad)}")
        return self


class _Land(BaseModel):
    model_config = ConfigDict(extra="forbid")
    seasons: list[str] = Field(default_factory=list)
    season_of: dict[str, list[str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known_seasons(self) -> "_Land":
        for crop, seasons in self.season_of.items():
            unknown = set(seasons) - set(self.seasons)
            if unknown or not seasons:
                raise ValueError(f"[land.season_of] {crop} names seasons {sorted(unknown) or '[]'} "
                                 f"not in seasons = {self.seasons}")
        return self


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    planner: _Planner = Field(default_factory=_Planner)
    demand: _Demand = Field(default_factory=_Demand)
    land: _Land = Field(default_factory=_Land)


@dataclass(frozen=True)
class Assumptions:
    """What one region's planning assumes (see the module docstring)."""

    source: str = "default.toml"
    crops: tuple[str, ...] = ()                 # planned crops, in order; () = every crop with history
    default_flexibility: float = -0.30
    flexibility: dict[str, float] = field(default_factory=dict)
    seasons: tuple[str, ...] = ()               # () = one season, the history's multiple-cropping index
    season_of: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def occupies(self, crop: str) -> tuple[str, ...]:
        """The seasons an annual crop takes its land for (every season unless the file says otherwise)."""
        return self.season_of.get(crop, self.seasons)


def load(path: Path) -> Assumptions:
    """One assumptions file; raises ``InvalidPlanInput`` with one sentence naming the file."""
    try:
        data = _File(**tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InvalidPlanInput(f"{path}: cannot be read as TOML ({error})") from None
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(p) for p in problem["loc"])
        raise InvalidPlanInput(f"{path}: {where}: {problem['msg'].removeprefix('Value error, ')}") from None
    return Assumptions(source=path.name, crops=tuple(data.planner.crops),
                       default_flexibility=data.demand.default_flexibility, flexibility=dict(data.demand.flexibility),
                       seasons=tuple(data.land.seasons),
                       season_of={crop: tuple(s) for crop, s in data.land.season_of.items()})


def for_region(code: str, folder: Path = FOLDER) -> Assumptions:
    """The assumptions for a region (GB/T 2260 code): its own file, its prefecture's, its province's, or the
    default."""
    for candidate in dict.fromkeys((code, code[:4] + "00", code[:2] + "0000")):
        path = folder / f"{candidate}.toml"
        if path.is_file():
            return load(path)
    return load(folder / "default.toml")
