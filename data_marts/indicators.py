"""Macro-economic indicators as the statistics bureau reports them: one declaration, read everywhere.

A statistics-portal header such as ``社会消费品零售总额_累计值(亿元)`` splits into the indicator
(``社会消费品零售总额`` -> ``retail``), the measure (``累计值``) and the unit (``亿元``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Freq = Literal["M", "Q", "A"]

# 流量 or 存量: does a period's value cover the whole period (当期值 of output, sales, revenue; a price
# index averaged over the month) or is it read at the period's end (期末值: population at year-end,
# money supply, deposits)? The forecasts' Spring Festival regressors follow it (models.forecast.holidays).
Aggregation = Literal["flow", "stock"]

# Measures (口径) as they appear after the underscore in a portal header, and what we store.
MEASURES: dict[str, str] = {
    "累计值": "累计值",
    "累计": "累计值",
    "累计增长": "累计增速",
    "累计增速": "累计增速",
    "当期值": "当期值",
    "当期": "当期值",
    "当月": "当期值",
    "当期增长": "当期增速",
    "当月增长": "当期增速",
    "当期增速": "当期增速",
    "目标值": "目标值",
    "目标增速": "目标增速",
    "目标增长": "目标增速",
}
MEASURE_VALUES = ("累计值", "累计增速", "当期值", "当期增速", "目标值", "目标增速")


class Direction(BaseModel):
    """What "better" means for an indicator's growth on a year earlier (同比, in %): one declaration that
    同比 colours, "moving the wrong way" warnings, target judgements and rankings all read.

    ``higher``: growth is good (GDP); ``lower``: a fall is good; ``band``: good between ``low`` and
    ``high`` (CPI: 0–3 %, neither deflation nor inflation over the 3 % ceiling), and a move is judged
    by whether it brings the figure towards the band or takes it further out.
    """

    model_config = ConfigDict(frozen=True)
    good: Literal["higher", "lower", "band"]
    low: float | None = None
    high: float | None = None

    def outside(self, growth: float) -> float:
        """How far a growth rate lies outside the band (0 inside, and for ``higher``/``lower`` never)."""
        if self.good != "band":
            return 0.0
        if self.low is not None and growth < self.low:
            return self.low - growth
        if self.high is not None and growth > self.high:
            return growth - self.high
        return 0.0

    def tone(self, before: float | None, after: float | None) -> str:
        """'good', 'bad' or 'neutral' for a move of the growth rate from ``before`` to ``after``."""
        if before is None or after is None or before == after:
            return "neutral"
        if self.good == "band":
            change = self.outside(after) - self.outside(before)
            return "neutral" if change == 0 else ("good" if change < 0 else "bad")
        return "good" if (after > before) == (self.good == "higher") else "bad"

    def wrong_way(self, g2: float | None, g1: float | None, g0: float | None) -> str | None:
        """The kind of warning for three growth rates in a row (oldest first), or None:
        ``falling`` (a higher-is-better indicator shrinking two periods running), ``slowing`` (its growth
        falling two periods running), ``rising`` (a lower-is-better indicator rising faster), ``leaving``
        (a banded indicator outside its band and moving further out two periods running)."""
        if None in (g2, g1, g0):
            return None
        if self.good == "higher":
            if g0 < 0 and g1 < 0:
                return "falling"
            return "slowing" if g0 < g1 < g2 else None
        if self.good == "lower":
            return "rising" if g0 > g1 > g2 else None
        out = [self.outside(g) for g in (g2, g1, g0)]
        return "leaving" if out[2] > out[1] > out[0] else None

    def meets(self, value: float, target: float) -> bool:
        """Whether ``value`` meets a target stated as a floor (higher) or a ceiling (lower, band)."""
        return value >= target if self.good == "higher" else value <= target

    @property
    def target_is_floor(self) -> bool:
        return self.good == "higher"


class Indicator(BaseModel):
    model_config = ConfigDict(frozen=True)
    code: str
    zh: str
    en: str
    unit: str
    freq: Freq
    additive: bool  # county values sum to the prefecture, prefectures to the province
    direction: Direction
    aggregation: Aggregation  # flow (流量, 当期) or stock (存量, 期末值): see Aggregation above
    department_zh: str = "统计局"
    definition_zh: str  # 口径, shown on KPI cards
    aliases: tuple[str, ...] = ()


HIGHER = Direction(good="higher")

INDICATORS: tuple[Indicator, ...] = (
    Indicator(code="gdp", zh="地区生产总值", en="GDP", unit="亿元", freq="Q", additive=True,
              direction=HIGHER, aliases=("GDP", "生产总值", "地区生产总值(GDP)"),
              aggregation="flow",
              definition_zh="按当年价格计算的地区生产总值累计值；增速按不变价格计算"),
    Indicator(code="industrial_va", zh="规模以上工业增加值", en="Industrial value added (above scale)",
              unit="亿元", freq="M", additive=True, direction=HIGHER,
              aliases=("规上工业增加值", "工业增加值"),
              aggregation="flow",
              definition_zh="年主营业务收入2000万元及以上工业企业增加值，增速按可比价格计算"),
    Indicator(code="fai", zh="固定资产投资", en="Fixed-asset investment", unit="亿元", freq="M",
              additive=True, direction=HIGHER, aliases=("固定资产投资额", "固定资产投资(不含农户)"),
              aggregation="flow",
              definition_zh="计划总投资500万元及以上项目投资（不含农户），累计"),
    Indicator(code="retail", zh="社会消费品零售总额", en="Retail sales of consumer goods", unit="亿元",
              freq="M", additive=True, direction=HIGHER, aliases=("社零总额", "社会消费品零售额"),
              aggregation="flow",
              definition_zh="企业（单位、个体户）售予个人和社会集团的非生产、非经营用实物商品及餐饮收入"),
    Indicator(code="fiscal_revenue", zh="一般公共预算收入", en="General public budget revenue",
              unit="亿元", freq="M", additive=True, direction=HIGHER,
              aliases=("地方一般公共预算收入", "财政收入"), department_zh="财政厅",
              aggregation="flow",
              definition_zh="地方一般公共预算收入（税收收入与非税收入），累计"),
    Indicator(code="cpi", zh="居民消费价格指数", en="Consumer price index", unit="上年同月=100",
              freq="M", additive=False, direction=Direction(good="band", low=0.0, high=3.0),
              aliases=("居民消费价格指数(上年同月=100)", "CPI"),
              aggregation="flow",
              definition_zh="居民消费价格指数，上年同月=100；目标为涨幅控制在3%左右（103），涨幅在0–3%之间为宜"),
    Indicator(code="disposable_income", zh="全体居民人均可支配收入", en="Per-capita disposable income",
              unit="元", freq="Q", additive=False, direction=HIGHER,
              aliases=("居民人均可支配收入", "人均可支配收入"),
              aggregation="flow",
              definition_zh="住户调查，全体居民人均可支配收入累计值，增速为名义增速"),
    Indicator(code="population", zh="年末常住人口", en="Year-end resident population", unit="万人",
              freq="A", additive=True, direction=HIGHER, aliases=("常住人口", "年末常住人口数"),
              aggregation="stock",
              definition_zh="年末常住人口（统计部门年度人口变动抽样调查推算）"),
)

BY_CODE = {i.code: i for i in INDICATORS}


def resolve(name: str) -> Indicator:
    """The indicator for a Chinese name, alias or code; raises ``KeyError`` naming what was not found."""
    key = name.strip()
    for indicator in INDICATORS:
        if key in (indicator.code, indicator.zh, *indicator.aliases):
            return indicator
    raise KeyError(f"unknown indicator {name!r}")
