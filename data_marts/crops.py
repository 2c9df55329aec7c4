"""Crops and agricultural products in the agriculture base library: one declaration, read everywhere.

Grain crops count towards the grain-security floor. The 12 featured industries (12个农业特色优势产业)
are listed as the demo province describes them; which crops a region plans is data per region
(``models/crop_plan/assumptions/``); each is measured per mu of the land it uses.
Perennials bear from ``first_harvest_year`` years after planting (0 = the planting season)
and reach full yield at ``full_yield_year``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class Crop(BaseModel):
    model_config = ConfigDict(frozen=True)
    code: str
    zh: str
    en: str
    group: Literal["grain", "featured"]
    perennial: bool
    first_harvest_year: int  # years after planting before the first harvest (0 = same season)
    full_yield_year: int
    output_unit_zh: str = "公斤"
    aliases: tuple[str, ...] = ()


CROPS: tuple[Crop, ...] = (
    Crop(code="corn", zh="玉米", en="Corn", group="grain", perennial=False, first_harvest_year=0,
         full_yield_year=0, aliases=("玉米（籽粒）",)),
    Crop(code="rice", zh="水稻", en="Rice", group="grain", perennial=False, first_harvest_year=0,
         full_yield_year=0, aliases=("稻谷",)),
    Crop(code="potato", zh="马铃薯", en="Potato", group="grain", perennial=False, first_harvest_year=0,
         full_yield_year=0, aliases=("洋芋", "土豆")),
    Crop(code="tea", zh="茶叶", en="Tea", group="featured", perennial=True, first_harvest_year=3,
         full_yield_year=5, aliases=("茶",)),
    Crop(code="edible_fungi", zh="食用菌", en="Edible fungi", group="featured", perennial=False,
         first_harvest_year=0, full_yield_year=0),
    Crop(code="vegetables", zh="蔬菜", en="Vegetables", group="featured", perennial=False,
         first_harvest_year=0, full_yield_year=0),
    Crop(code="eco_livestock", zh="生态畜牧（饲草）", en="Ecological livestock (forage)", group="featured",
         perennial=False, first_harvest_year=0, full_yield_year=1, aliases=("生态畜牧", "饲草")),
    Crop(code="dendrobium", zh="石斛", en="Dendrobium", group="featured", perennial=True,
         first_harvest_year=3, full_yield_year=4),
    Crop(code="fruit", zh="水果", en="Fruit", group="featured", perennial=True, first_harvest_year=3,
         full_yield_year=6, aliases=("园林水果",)),
    Crop(code="bamboo", zh="竹", en="Bamboo", group="featured", perennial=True, first_harvest_year=4,
         full_yield_year=7, aliases=("竹子", "竹笋")),
    Crop(code="herbs", zh="中药材", en="Chinese herbs", group="featured", perennial=True,
         first_harvest_year=2, full_yield_year=3, aliases=("中草药材", "中草药")),
    Crop(code="rosa_roxburghii", zh="刺梨", en="Rosa roxburghii", group="featured", perennial=True,
         first_harvest_year=3, full_yield_year=5),
    Crop(code="eco_fishery", zh="生态渔业", en="Ecological fishery", group="featured", perennial=False,
         first_harvest_year=1, full_yield_year=1, aliases=("渔业", "水产养殖")),
    Crop(code="oil_tea", zh="油茶", en="Oil tea", group="featured", perennial=True, first_harvest_year=4,
         full_yield_year=8),
    Crop(code="chili", zh="辣椒", en="Chili", group="featured", perennial=False, first_harvest_year=0,
         full_yield_year=0),
    # Grain of the northern plains, sown in autumn and harvested in June before summer corn on the same field
    # (a double-cropping region says so in its planner assumptions, models/crop_plan/assumptions/).
    Crop(code="wheat", zh="小麦", en="Wheat", group="grain", perennial=False, first_harvest_year=0,
         full_yield_year=0, aliases=("冬小麦",)),
)

BY_CODE = {c.code: c for c in CROPS}


def resolve(name: str) -> Crop:
    """The crop for a code, Chinese name or alias; raises ``KeyError`` naming what was not found."""
    key = name.strip()
    for crop in CROPS:
        if key in (crop.code, crop.zh, crop.en, *crop.aliases):
            return crop
    raise KeyError(f"unknown crop {name!r}")
