"""Demo legal-entity register (法人库) as market regulation exports it: one .xlsx per prefecture.

Counts, industry mix, dates, capital and staff are ``[ASSUMED]`` (Guizhou entity counts were not
found; see docs/data/legal_entities.md), calibrated so that at ``scale=1`` about
``calibration.ENTERPRISES_2023_WAN`` enterprises and ``COOPERATIVES_2023_WAN`` co-operatives are
active at the end of 2023. Credit codes follow GB 32100-2015 with a GB 11714 organisation code inside.
A small, stated share of rows carries the defects real department files have (``DEFECT_RATES``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
import xlsxwriter

from data_marts import regions
from data_marts.contracts.legal_entities import CONTRACT
from data_marts.demo import geography
from data_marts.demo.calibration import COOPERATIVES_2023_WAN, ENTERPRISES_2023_WAN, LOCAL_NAME_CHARS, MARKET_REGULATOR, ROOT
from data_marts.demo.economy import SPRING_FESTIVAL, county_gdp_share

SNAPSHOT = dt.date(2024, 12, 31)
CALIBRATION_DAY = dt.date(2023, 12, 31)   # counts are calibrated to entities active on this day
CODE_REFORM = dt.date(2015, 10, 1)        # GB 32100 codes issued to new registrations from this day
LIBRARY_FROM = dt.date(2015, 1, 1)        # [ASSUMED] the library holds every entity alive on or after this day
STALE_BEFORE = SNAPSHOT - dt.timedelta(days=400)
SHEET = "法人登记信息"
EXCEL_MAX_ROWS = 1_048_576

# Share of rows carrying each injected defect (documented in docs/data/legal_entities.md).
DEFECT_RATES = {
    "bad_check_18": 0.003,          # GB 32100 check character (pos 18) wrong
    "bad_check_17": 0.001,          # GB 11714 organisation-code check (pos 17) wrong, pos 18 consistent
    "duplicate_code": 0.001,        # a second row with the same credit_code (a later re-send)
    "missing_section": 0.005,       # industry_section empty (industry_code kept)
    "cancelled_before_established": 0.0005,
    "unknown_housing": 0.01,        # housing_id that is not in the housing library
    "stale_updated_at": 0.01,       # updated_at older than 400 days before the snapshot
}

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_EPOCH = dt.date(1970, 1, 1)
NO_DATE = -(10 ** 9)       # "no cancellation" in day arrays (dates before 1970 are negative days)


def _day(d: dt.date) -> int:
    return (d - _EPOCH).days


# --------------------------------------------------------------------------------------------
# GB 32100 / GB 11714 check characters


def org_check_char(body: str) -> str:
    """GB 11714 check character of an 8-character organisation-code body (0-9, A-Z)."""
    total = sum(int(ch, 36) * w for ch, w in zip(body.upper(), ORG_WEIGHTS, strict=True))
    c9 = 11 - total % 11
    return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)


def uscc_check_char(first17: str) -> str:
    """GB 32100 check character (pos 18) of the first 17 characters of a credit code."""
    total = sum(USCC_CHARSET.index(ch) * w for ch, w in zip(first17.upper(), USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def _uscc_lookup() -> np.ndarray:
    table = np.full(256, -1, dtype=np.int64)
    for i, ch in enumerate(USCC_CHARSET):
        table[ord(ch)] = i
    return table


_USCC_VALUE = _uscc_lookup()
_USCC_BYTES = np.frombuffer(USCC_CHARSET.encode(), dtype=np.uint8)
_ORG_CHECK_BYTES = np.frombuffer(b"0123456789X0", dtype=np.uint8)  # index = 11 - (sum mod 11), 1..11


def _org_values(chars: np.ndarray) -> np.ndarray:
    """GB 11714 values of ASCII bytes: digits 0-9, letters A=10 … Z=35."""
    v = chars.astype(np.int64)
    return np.where(v >= 65, v - 55, v - 48)


def _org_check(body: np.ndarray) -> np.ndarray:
    total = (_org_values(body) * np.array(ORG_WEIGHTS)).sum(axis=1)
    return _ORG_CHECK_BYTES[11 - total % 11]


def _uscc_check(first17: np.ndarray) -> np.ndarray:
    total = (_USCC_VALUE[first17] * np.array(USCC_WEIGHTS)).sum(axis=1)
    return _USCC_BYTES[(31 - total % 31) % 31]


# --------------------------------------------------------------------------------------------
# GB/T 4754-2017: sections and their 2-digit divisions, with [ASSUMED] Guizhou weights


def _span(first: int, last: int, weights: list[float] | None = None) -> dict[str, float]:
    codes = [f"{d:02d}" for d in range(first, last + 1)]
    return dict(zip(codes, weights or [1.0] * len(codes), strict=True))


DIVISIONS: dict[str, dict[str, float]] = {
    "A": _span(1, 5, [0.55, 0.10, 0.28, 0.03, 0.04]),
    "B": _span(6, 12, [0.55, 0.01, 0.05, 0.12, 0.22, 0.04, 0.01]),
    "C": _span(13, 43, [7, 5, 12, 1, 1, 2, 1, 4, 3, 1, 2, 2, 1, 6, 5, 0.2, 3, 12, 2, 3, 6, 3, 3, 2, 1,
                        3, 4, 1, 1, 2, 2]),
    "D": _span(44, 46, [0.60, 0.15, 0.25]),
    "E": _span(47, 50, [0.30, 0.35, 0.10, 0.25]),
    "F": _span(51, 52, [0.45, 0.55]),
    "G": _span(53, 60, [0.01, 0.55, 0.01, 0.01, 0.002, 0.20, 0.10, 0.12]),
    "H": _span(61, 62, [0.30, 0.70]),
    "I": _span(63, 65, [0.10, 0.30, 0.60]),
    "J": _span(66, 69, [0.30, 0.10, 0.15, 0.45]),
    "K": _span(70, 70),
    "L": _span(71, 72, [0.12, 0.88]),
    "M": _span(73, 75, [0.15, 0.45, 0.40]),
    "N": _span(76, 79, [0.25, 0.30, 0.40, 0.05]),
    "O": _span(80, 82, [0.45, 0.35, 0.20]),
    "P": _span(83, 83),
    "Q": _span(84, 85, [0.80, 0.20]),
    "R": _span(86, 90, [0.25, 0.15, 0.30, 0.15, 0.15]),
    "S": _span(91, 96, [0.05, 0.60, 0.05, 0.05, 0.20, 0.05]),
    "T": _span(97, 97),
}
SECTION_OF_DIVISION = {div: sec for sec, divs in DIVISIONS.items() for div in divs}


# --------------------------------------------------------------------------------------------
# Entity kinds: every [ASSUMED] number per type lives here


@dataclass(frozen=True)
class _Kind:
    entity_type: str
    prefix: str                     # GB 32100 pos 1-2: registration authority + category
    active_2023: float              # entities active at end-2023 at scale 1
    first_day: dt.date              # no registrations before this day
    volume: dict[int, float]        # relative registrations per year
    weibull: tuple[float, float]    # lifetime shape k, scale λ (years)
    sections: dict[str, float]
    capital: tuple[float, float, float] | None  # median 万元, sigma, minimum
    employees: tuple[float, float, float]       # median, sigma, share with a Pareto tail
    counties: str                   # "economic", "rural" or "admin" spread
    uses: tuple[str, ...]           # preferred housing uses, first = default
    divisions: dict[str, dict[str, float]] = field(default_factory=dict)
    market: bool = False            # registered by market regulation: post-reform codes are "MA…"


def _years(first: int, last: int, fn) -> dict[int, float]:
    return {y: float(fn(y)) for y in range(first, last + 1)}


def _enterprise_volume(y: int) -> float:
    if y <= 2014:
        return 1.12 ** (y - 2014)
    level = 1.30 * 1.09 ** (min(y, 2021) - 2015)          # 2014 registration reform, then growth
    for year, g in ((2022, 1.01), (2023, 1.06), (2024, 1.02)):
        if y >= year:
            level *= g
    return level


def _coop_volume(y: int) -> float:
    if y <= 2013:
        return 1.45 ** (y - 2013)
    return 1.0 if y <= 2017 else 0.92 ** (y - 2017)          # clean-up of shell co-ops after 2018


KINDS: tuple[_Kind, ...] = (
    _Kind("企业", "91", ENTERPRISES_2023_WAN * 1e4, dt.date(1980, 1, 1), _years(1980, 2024, _enterprise_volume),
          (0.85, 14.0),
          {"F": .29, "L": .14, "E": .09, "C": .075, "M": .065, "A": .045, "I": .045, "G": .04, "H": .04,
           "K": .035, "O": .035, "R": .03, "N": .015, "J": .015, "B": .01, "D": .01, "P": .006, "Q": .006,
           "S": .001, "T": .0001},
          (100.0, 1.5, 0.1), (4.0, 1.1, 0.03), "economic", ("办公", "商业"), market=True),
    _Kind("农民专业合作社", "93", COOPERATIVES_2023_WAN * 1e4, dt.date(2007, 7, 1), _years(2007, 2024, _coop_volume),
          (0.9, 10.0),
          {"A": .86, "F": .04, "C": .03, "O": .02, "H": .02, "E": .01, "L": .01, "R": .01},
          (60.0, 1.1, 1.0), (6.0, 0.6, 0.0), "rural", ("住宅", "其他"), market=True),
    _Kind("事业单位", "12", 25_000, dt.date(1950, 1, 1),
          _years(1950, 2024, lambda y: 1.0 if y < 1980 else 1.6 if y < 2015 else 0.5), (1.0, 80.0),
          {"P": .36, "Q": .20, "S": .12, "N": .08, "R": .08, "M": .07, "A": .05, "O": .02, "L": .02},
          (50.0, 1.2, 1.0), (25.0, 1.0, 0.01), "admin", ("公共服务", "办公"),
          divisions={"S": {"92": 0.2, "94": 0.5, "96": 0.3}}),
    _Kind("社会团体", "51", 10_000, dt.date(1980, 1, 1), _years(1980, 2024, lambda y: 1.05 ** (min(y, 2015) - 2015)),
          (1.0, 35.0), {"S": .85, "R": .06, "M": .04, "P": .03, "Q": .02},
          (5.0, 0.8, 3.0), (2.0, 0.8, 0.0), "economic", ("办公",), divisions={"S": {"95": 1.0}}),
    _Kind("民办非企业单位", "52", 14_000, dt.date(1998, 10, 25), _years(1998, 2024, lambda y: 1.10 ** (min(y, 2018) - 2018)),
          (1.0, 25.0), {"P": .50, "Q": .20, "R": .10, "M": .08, "O": .07, "S": .05},
          (10.0, 1.0, 0.3), (8.0, 0.8, 0.0), "economic", ("办公", "公共服务"), divisions={"S": {"95": 1.0}}),
    _Kind("基金会", "53", 150, dt.date(1988, 9, 27), _years(1988, 2024, lambda y: 1.08 ** (y - 2024)),
          (1.0, 60.0), {"S": .90, "P": .05, "Q": .05},
          (400.0, 0.5, 200.0), (3.0, 0.5, 0.0), "economic", ("办公",), divisions={"S": {"95": 1.0}}),
    _Kind("机关", "11", 9_000, dt.date(1950, 1, 1), _years(1950, 2024, lambda y: 3.0 if y == 2019 else 1.0),
          (1.0, 60.0), {"S": 1.0}, None, (30.0, 0.8, 0.0), "admin", ("公共服务", "办公"),
          divisions={"S": {"91": 0.08, "92": 0.85, "93": 0.07}}),
    _Kind("其他", "Y1", 2_000, dt.date(1990, 1, 1), _years(1990, 2024, lambda y: 1.0),
          (1.0, 40.0), {"S": .70, "A": .20, "O": .10},
          None, (5.0, 0.6, 0.0), "admin", ("公共服务", "其他"), divisions={"S": {"96": 1.0}}),
)


# --------------------------------------------------------------------------------------------
# Where entities register


def _county_spread(kind: str) -> np.ndarray:
    """Probability per county (``regions.counties(ROOT)`` order) for one spread kind."""
    counties = regions.counties(ROOT)
    pop = np.array([geography.county_population_share()[c.code] for c in counties])
    gdp = np.array([county_gdp_share()[c.code] for c in counties])
    urban = np.array([1.5 if c.name.endswith("区") and not c.name.endswith("特区") else
                      1.2 if c.name.endswith("市") else 1.0 for c in counties])
    if kind == "economic":            # firms follow the economy more than the population, and cities
        w = pop ** 0.3 * gdp ** 0.7 * urban
    elif kind == "rural":             # co-operatives are rural
        rural = np.array([0.35 if c.name.endswith("区") and not c.name.endswith("特区") else
                          0.8 if c.name.endswith("市") else 1.0 for c in counties])
        w = pop * rural
    else:                             # every county has its own public bodies
        w = 0.5 / len(counties) + 0.5 * pop
    return w / w.sum()


# --------------------------------------------------------------------------------------------
# When entities register and close


def _daily_weights(kind: _Kind) -> tuple[np.ndarray, np.ndarray]:
    """Registration intensity per day from ``kind.first_day`` to the snapshot (days since epoch)."""
    days = np.arange(_day(kind.first_day), _day(SNAPSHOT) + 1)
    dates = days.astype("datetime64[D]")
    years = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    months = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day_of_month = (dates - dates.astype("datetime64[M]")).astype(np.int64) + 1
    weekday = (days + 3) % 7                                   # 1970-01-01 was a Thursday; Monday = 0
    w = np.where(weekday == 5, 0.2, np.where(weekday == 6, 0.15, 1.0))
    w = w * np.where(months == 1, 0.9, 1.0) * np.where(months == 12, 1.1, 1.0)
    w = np.where((months == 10) & (day_of_month <= 7), 0.15 * w, w)          # National Day week
    # Offices close for the Spring Festival week and business picks up slowly after it; before
    # 2014 (no table entry) the festival is put on 5 February.
    festival = {y: _day(SPRING_FESTIVAL.get(y, dt.date(y, 2, 5))) for y in range(int(years[0]), int(years[-1]) + 1)}
    offset = days - np.array([festival[int(y)] for y in range(int(years[0]), int(years[-1]) + 1)])[years - years[0]]
    w = w * np.where((offset >= -3) & (offset <= 6), 0.1,
                     np.where((offset >= -10) & (offset < -3), 0.7,
                              np.where((offset > 6) & (offset <= 14), 0.75, 1.0)))
    # Scale every year to its volume, then cut Feb-Apr 2020 (COVID-19) with a partial catch-up.
    year_index = years - years[0]
    volume = np.array([kind.volume.get(y, 0.0) for y in range(int(years[0]), int(years[-1]) + 1)])
    w = w / np.bincount(year_index, weights=w)[year_index] * volume[year_index]
    covid = {2: 0.30, 3: 0.60, 4: 0.85, 5: 1.15, 6: 1.10, 7: 1.05}
    for month, factor in covid.items():
        w = np.where((years == 2020) & (months == month), w * factor, w)
    return days, w


def _survival(k: float, lam: float, years: np.ndarray) -> np.ndarray:
    return np.exp(-(np.maximum(years, 0.0) / lam) ** k)


def _births_and_closures(kind: _Kind, n_target: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Established and cancelled days since epoch (cancelled = ``NO_DATE`` while active at the snapshot).

    The count is set so that the expected number active on ``CALIBRATION_DAY`` is ``n_target``.
    """
    days, w = _daily_weights(kind)
    k, lam = kind.weibull
    library_from, calibration_day = _day(LIBRARY_FROM), _day(CALIBRATION_DAY)
    # Entities born before the code reform are in the library only if they survived to LIBRARY_FROM.
    included = w * np.where(days < library_from, _survival(k, lam, (library_from - days) / 365.25), 1.0)
    active = np.where(days <= calibration_day, w * _survival(k, lam, (calibration_day - days) / 365.25), 0.0)
    n = max(1, int(round(n_target * included.sum() / active.sum())))
    cdf = np.cumsum(included)
    born = days[np.searchsorted(cdf, rng.random(n) * cdf[-1], side="right").clip(0, len(days) - 1)]
    # Lifetime given survival to LIBRARY_FROM, for Weibull(k, λ): T = λ((a/λ)^k + E)^(1/k), E ~ Exp(1).
    age = np.maximum(library_from - born, 0) / 365.25
    life = lam * ((age / lam) ** k + rng.exponential(size=n)) ** (1.0 / k)
    cancelled = born + np.maximum(1, np.floor(life * 365.25)).astype(np.int64)
    weekday = (cancelled + 3) % 7
    cancelled = cancelled + np.where(weekday == 5, 2, np.where(weekday == 6, 1, 0))   # offices work Mon-Fri
    cancelled = np.where(cancelled > _day(SNAPSHOT), NO_DATE, cancelled)
    return born.astype(np.int64), cancelled


# --------------------------------------------------------------------------------------------
# Names (Chinese-looking, synthetic)

_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏"
             "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万"
             "严覃武戴莫孔向汤安穆聂文")
_GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅飞鹏林建国志海燕云斌波宇浩凯"
          "鑫婷雪琴晶莉龙鸿祥德福贵荣兴发成顺才")
_ZIHAO = ("鑫达恒盛华源金黔泰宏兴瑞博锦祥和众联创远佳顺丰嘉诚信天力德安宇腾通凯隆茂汇鼎晟磊乌蒙苗岭"
          "山水云贵筑黔灵新宏图昌辉煌永志耀星辰晨光益康宁乐旺福美")
if LOCAL_NAME_CHARS:  # another demo region: its own place characters instead of Guizhou's (黔, 筑, 乌蒙…)
    _ZIHAO = "".join(ch for ch in _ZIHAO if ch not in "黔筑乌蒙苗岭云贵") + LOCAL_NAME_CHARS
_PLACES = ("龙场坝溪河关岭寨坪山沟塘田桥水石花新平大小上下高黄青白马凤羊牛云竹梅松柏杨柳桃李金银铜铁"
           "营屯堡哨")
_WORDS = {
    "A": ["农业开发", "生态农业", "种养殖", "茶业", "农业科技", "林业开发"],
    "B": ["矿业", "煤业", "矿产品开发"],
    "C": ["食品", "酒业", "建材", "化工", "机械制造", "茶业", "新材料", "制药", "电子科技", "包装", "家具"],
    "D": ["电力", "能源", "水务", "燃气"],
    "E": ["建筑工程", "建设工程", "装饰工程", "市政工程", "劳务工程", "土石方工程"],
    "F": ["商贸", "贸易", "百货", "商行", "超市", "医药", "农资", "五金建材", "汽车销售"],
    "G": ["物流", "运输", "货运", "快递"],
    "H": ["餐饮管理", "酒店管理", "餐饮", "农家乐"],
    "I": ["信息技术", "网络科技", "大数据科技", "软件", "电子商务"],
    "J": ["投资", "小额贷款", "融资担保", "保险代理"],
    "K": ["房地产开发", "置业", "物业管理", "房地产经纪"],
    "L": ["企业管理", "商务信息咨询", "劳务", "广告", "人力资源", "旅游开发", "租赁"],
    "M": ["科技", "工程设计", "检测", "工程咨询", "测绘"],
    "N": ["环境治理", "园林绿化", "环保科技", "市政设施管理"],
    "O": ["家政服务", "汽车维修", "美容美发", "洗涤服务"],
    "P": ["教育科技", "教育咨询", "培训"],
    "Q": ["医疗管理", "健康管理", "门诊"],
    "R": ["文化传媒", "文化旅游", "体育发展", "影视"],
    "S": ["社会服务"],
    "T": ["国际交流服务"],
}
_FORMS = (("{prefix}{zh}{word}有限公司", 0.74), ("{prefix}{zh}{word}有限责任公司", 0.12),
          ("{prefix}{zh}{word}股份有限公司", 0.03), ("{county}{zh}{word}经营部", 0.05),
          ("{prefix}{zh}{word}中心（有限合伙）", 0.03), ("{county}{zh}{word}（个人独资）", 0.03))
_COOP_PRODUCTS = {
    "01": ["蔬菜种植", "辣椒种植", "茶叶种植", "马铃薯种植", "刺梨种植", "中药材种植", "食用菌种植",
           "精品水果种植", "猕猴桃种植", "李子种植", "核桃种植", "烤烟种植"],
    "02": ["油茶种植", "竹产业", "林下经济"],
    "03": ["生猪养殖", "肉牛养殖", "生态鸡养殖", "山羊养殖", "中蜂养殖"],
    "04": ["冷水鱼养殖", "稻田养鱼"],
    "05": ["农机服务", "植保服务"],
}
_COOP_BY_SECTION = {"C": ["农产品加工", "茶叶加工", "辣椒加工"], "F": ["农产品购销", "农资购销"],
                    "H": ["乡村旅游", "农家乐"], "R": ["乡村旅游", "民族文化"], "E": ["农村建筑"],
                    "O": ["农机维修", "农业综合服务"], "L": ["农业综合服务", "劳务"]}
_COOP_OTHER = ["种养殖", "农业综合服务"]
_NUMERALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")
# Templates by (entity type, division); "*" = any division of the entity type.
_TEMPLATES: dict[tuple[str, str], list[str]] = {
    ("事业单位", "83"): ["{county}第{n}中学", "{county}第{n}小学", "{county}{place}镇中心学校", "{county}机关幼儿园",
                      "{county}中等职业学校"],
    ("事业单位", "84"): ["{county}人民医院", "{county}中医医院", "{county}妇幼保健院", "{county}疾病预防控制中心",
                      "{county}{place}镇卫生院"],
    ("事业单位", "85"): ["{county}社会福利院", "{county}{place}镇敬老院"],
    ("事业单位", "S"): ["{county}政务服务中心", "{county}社会保险事业局", "{county}机关事务服务中心",
                      "{county}{place}镇综合保障中心"],
    ("事业单位", "N"): ["{county}水务管理站", "{county}园林绿化管理所", "{county}环境卫生管理所"],
    ("事业单位", "R"): ["{county}文化馆", "{county}图书馆", "{county}融媒体中心", "{county}体育运动学校"],
    ("事业单位", "M"): ["{county}农业技术推广中心", "{county}气象局气象台", "{county}地质灾害防治中心",
                      "{county}检验检测中心"],
    ("事业单位", "02"): ["{county}国有{place}林场", "{county}{place}镇林业站"],
    ("事业单位", "A"): ["{county}{place}镇农业服务中心", "{county}畜牧兽医站"],
    ("事业单位", "*"): ["{county}{place}镇综合服务中心", "{county}国有资产服务中心", "{county}投资促进服务中心"],
    ("社会团体", "R"): ["{county}书法家协会", "{county}摄影家协会", "{county}作家协会", "{county}体育总会"],
    ("社会团体", "M"): ["{county}农学会", "{county}科学技术协会", "{county}工程师学会"],
    ("社会团体", "P"): ["{county}教育学会", "{county}职业教育协会"],
    ("社会团体", "Q"): ["{county}中医药学会", "{county}护理学会"],
    ("社会团体", "*"): ["{county}个体劳动者协会", "{county}{zh}商会", "{county}老年人体育协会", "{county}茶产业协会",
                      "{county}辣椒产业协会", "{county}建筑业协会", "{county}餐饮行业协会", "{county}慈善总会",
                      "{county}青年企业家协会", "{county}物流协会", "{county}旅游协会", "{county}{place}同乡会"],
    ("民办非企业单位", "P"): ["{county}{zh}幼儿园", "{county}{zh}培训学校", "{county}{zh}职业培训学校",
                         "{county}{zh}艺术培训中心"],
    ("民办非企业单位", "84"): ["{county}{zh}康复医院", "{county}{zh}中医诊所"],
    ("民办非企业单位", "85"): ["{county}{zh}养老院", "{county}{zh}社会工作服务中心"],
    ("民办非企业单位", "R"): ["{county}{zh}文化艺术中心", "{county}{zh}体育俱乐部"],
    ("民办非企业单位", "*"): ["{county}{zh}社区服务中心", "{county}{zh}农业科技服务中心", "{county}{zh}公益服务中心"],
    ("基金会", "*"): ["{province}{zh}教育发展基金会", "{province}{zh}扶贫济困基金会", "{province}{zh}乡村振兴基金会",
                    "{pref}{zh}青少年发展基金会", "{pref}见义勇为基金会"],
    ("机关", "91"): ["中国共产党{county}委员会办公室", "中国共产党{county}委员会组织部", "中国共产党{county}委员会宣传部",
                   "中国共产党{county}纪律检查委员会", "中国共产党{county}委员会政法委员会"],
    ("机关", "93"): ["中国人民政治协商会议{county}委员会"],
    ("机关", "*"): ["{county}人民政府", "{county}发展和改革局", "{county}财政局", "{county}教育局", "{county}公安局",
                   "{county}民政局", "{county}人力资源和社会保障局", "{county}自然资源局", "{county}住房和城乡建设局",
                   "{county}交通运输局", "{county}水务局", "{county}农业农村局", "{county}商务局",
                   "{county}卫生健康局", "{county}应急管理局", "{county}审计局", "{county}市场监督管理局",
                   "{county}统计局", "{county}林业局", "{county}医疗保障局", "{county}{place}镇人民政府",
                   "{county}{place}乡人民政府", "{county}{place}街道办事处"],
    ("其他", "A"): ["{county}{place}村股份经济合作联合社"],
    ("其他", "*"): ["{county}{place}村民委员会", "{county}{place}社区居民委员会"],
}


def _pick(rng: np.random.Generator, values, n: int, p: np.ndarray | None = None) -> pl.Series:
    values = list(values)
    return pl.Series(values, dtype=pl.String).gather(rng.choice(len(values), size=n, p=p))


def _two_chars(rng: np.random.Generator, chars: str, n: int) -> pl.Series:
    """Two different characters from ``chars``."""
    first = rng.integers(0, len(chars), n)
    second = (first + rng.integers(1, len(chars), n)) % len(chars)
    table = pl.Series(list(chars), dtype=pl.String)
    return pl.DataFrame({"a": table.gather(first), "b": table.gather(second)}).select(
        pl.concat_str("a", "b").alias("x"))["x"]


def _zipf(n: int) -> np.ndarray:
    w = 1.0 / np.arange(1, n + 1) ** 0.9
    return w / w.sum()


def _person_names(rng: np.random.Generator, n: int) -> pl.Series:
    """Surname (common ones more often) and a one- or two-character given name."""
    frame = pl.DataFrame({"s": _pick(rng, _SURNAMES, n, _zipf(len(_SURNAMES))), "a": _pick(rng, _GIVEN, n),
                          "b": _pick(rng, _GIVEN, n), "two": rng.random(n) < 0.7})
    return frame.select(pl.concat_str("s", "a", pl.when("two").then("b").otherwise(pl.lit(""))).alias("x"))["x"]


def _choose(rng: np.random.Generator, choices: list[str], size: int) -> np.ndarray:
    return np.array(choices, dtype=object)[rng.integers(0, len(choices), size)]


def _names(rng: np.random.Generator, etype: np.ndarray, section: np.ndarray, division: np.ndarray,
           region: pl.Series) -> pl.Series:
    """Entity names from templates chosen by entity type and industry, filled in one vectorised pass."""
    n = etype.size
    templates = np.empty(n, dtype=object)
    words = np.full(n, "", dtype=object)
    # Enterprises: "{prefix}{字号}{行业词}{组织形式}", the industry word following the section.
    is_ent = etype == "企业"
    for sec, choices in _WORDS.items():
        idx = np.flatnonzero(is_ent & (section == sec))
        words[idx] = _choose(rng, choices, idx.size)
    forms, form_p = zip(*_FORMS, strict=True)
    cum = np.cumsum(form_p) / sum(form_p)
    pick = np.searchsorted(cum, rng.random(int(is_ent.sum())), side="right").clip(0, len(forms) - 1)
    templates[is_ent] = np.array(forms, dtype=object)[pick]
    # Co-operatives: "{county}{place}{product}农民专业合作社", the product following the division.
    is_coop = etype == "农民专业合作社"
    idx = np.flatnonzero(is_coop)
    words[idx] = _choose(rng, _COOP_OTHER, idx.size)
    for sec, choices in _COOP_BY_SECTION.items():
        idx = np.flatnonzero(is_coop & (section == sec))
        words[idx] = _choose(rng, choices, idx.size)
    for div, choices in _COOP_PRODUCTS.items():
        idx = np.flatnonzero(is_coop & (division == div))
        words[idx] = _choose(rng, choices, idx.size)
    idx = np.flatnonzero(is_coop)
    templates[idx] = np.where(rng.random(idx.size) < 0.8, "{county_short}{place}{word}农民专业合作社",
                              "{county_short}{zh}{word}专业合作社")
    # Public bodies and social organisations: by division, then section, then the type's catch-all.
    for (etype_name, key), choices in _TEMPLATES.items():
        if key == "*":
            continue
        free = np.equal(templates, None)
        idx = np.flatnonzero((etype == etype_name) & free & ((division == key) | (section == key)))
        templates[idx] = _choose(rng, choices, idx.size)
    for (etype_name, key), choices in _TEMPLATES.items():
        if key == "*":
            idx = np.flatnonzero((etype == etype_name) & np.equal(templates, None))
            templates[idx] = _choose(rng, choices, idx.size)
    counties = regions.counties(ROOT)
    lookup = {
        "county": {c.code: c.name for c in counties},
        "county_short": {c.code: regions.short_name(c.code) for c in counties},
        "pref": {c.code: regions.name(c.parent_code) for c in counties},
        "pref_short": {c.code: regions.short_name(c.parent_code) for c in counties},
        "province": {c.code: regions.name(c.code[:2] + "0000") for c in counties},
        "province_short": {c.code: regions.short_name(c.code[:2] + "0000") for c in counties},
    }
    u = rng.random(n)
    parts = pl.DataFrame({
        "t": pl.Series(templates, dtype=pl.String),
        "word": pl.Series(words, dtype=pl.String),
        **{k: region.replace_strict(v, return_dtype=pl.String) for k, v in lookup.items()},
        "prefix_kind": pl.Series(np.where(u < 0.45, "省", np.where(u < 0.8, "市", "县")), dtype=pl.String),
        "zh": _two_chars(rng, _ZIHAO, n),
        "place": _two_chars(rng, _PLACES, n),
        "n": _pick(rng, _NUMERALS, n, _zipf(len(_NUMERALS))),
    })
    prefix = (pl.when(pl.col("prefix_kind") == "省").then(pl.col("province_short"))
              .when(pl.col("prefix_kind") == "市").then(pl.col("pref_short")).otherwise(pl.col("county_short")))
    name = pl.col("t")
    for key, value in (("{prefix}", prefix), ("{county_short}", pl.col("county_short")),
                       ("{county}", pl.col("county")), ("{pref}", pl.col("pref")), ("{province}", pl.col("province")), ("{zh}", pl.col("zh")),
                       ("{word}", pl.col("word")), ("{place}", pl.col("place")), ("{n}", pl.col("n"))):
        name = name.str.replace_all(key, value, literal=True)
    return parts.select(name.alias("name"))["name"]


# --------------------------------------------------------------------------------------------
# Credit codes, premises, amounts


def _credit_codes(rng: np.random.Generator, kind_idx: np.ndarray, county_idx: np.ndarray,
                  established: np.ndarray) -> np.ndarray:
    """(n, 18) ASCII bytes of valid, unique GB 32100 codes.

    Pos 9-16 is an 8-digit legacy organisation-code body for entities that existed before the code
    reform (and for bodies registered outside market regulation), and "MA6" + 5 characters for
    market entities registered since ``CODE_REFORM``; pos 17 is its GB 11714 check character.
    """
    n = kind_idx.size
    new_style = np.array([k.market for k in KINDS])[kind_idx] & (established >= _day(CODE_REFORM))
    body = np.where(new_style, rng.integers(0, 31 ** 5, n), rng.integers(0, 10 ** 8, n))
    while True:   # redraw bodies until (type, county, body) is unique
        key = ((kind_idx.astype(np.int64) << 40) | (county_idx.astype(np.int64) << 32)
               | (new_style.astype(np.int64) << 31) | body)
        _, first = np.unique(key, return_index=True)
        dup = np.ones(n, dtype=bool)
        dup[first] = False
        if not dup.any():
            break
        body[dup] = np.where(new_style[dup], rng.integers(0, 31 ** 5, dup.sum()), rng.integers(0, 10 ** 8, dup.sum()))
    chars = np.empty((n, 18), dtype=np.uint8)
    prefixes = np.array([list(k.prefix.encode()) for k in KINDS], dtype=np.uint8)
    county_bytes = np.array([list(c.code.encode()) for c in regions.counties(ROOT)], dtype=np.uint8)
    chars[:, 0:2] = prefixes[kind_idx]
    chars[:, 2:8] = county_bytes[county_idx]
    digits = (body[:, None] // 10 ** np.arange(7, -1, -1)) % 10 + 48
    base31 = _USCC_BYTES[(body[:, None] // 31 ** np.arange(4, -1, -1)) % 31]
    ma6 = np.concatenate([np.broadcast_to(np.frombuffer(b"MA6", dtype=np.uint8), (n, 3)), base31], axis=1)
    chars[:, 8:16] = np.where(new_style[:, None], ma6, digits)
    chars[:, 16] = _org_check(chars[:, 8:16])
    chars[:, 17] = _uscc_check(chars[:, :17])
    return chars


def _codes_to_series(chars: np.ndarray) -> pl.Series:
    return pl.Series("credit_code", np.ascontiguousarray(chars).view("S18").ravel()).cast(pl.String)


def _nice(values: np.ndarray, rng: np.random.Generator, share: float) -> np.ndarray:
    """Round ``share`` of the values to 1, 2, 3, 5 or 8 × 10^k (registered capital is a chosen number)."""
    magnitude = 10.0 ** np.floor(np.log10(np.maximum(values, 1e-9)))
    steps = np.array([1.0, 2.0, 3.0, 5.0, 8.0, 10.0])
    mantissa = values / magnitude
    nearest = steps[np.abs(mantissa[:, None] - steps[None, :]).argmin(axis=1)] * magnitude
    return np.where(rng.random(values.size) < share, nearest, np.round(values, 2))


def _amounts(kind: _Kind, section: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    n = section.size
    if kind.capital is None:
        capital = np.full(n, np.nan)
    else:
        median, sigma, minimum = kind.capital
        heavy = np.isin(section, ["E", "K", "D", "J"]) * 4.0 + np.isin(section, ["B", "C"]) * 1.5 + 1.0
        capital = np.maximum(np.exp(rng.normal(np.log(median), sigma, n)) * heavy, minimum)
        capital = _nice(capital, rng, 0.7 if kind.market else 0.5)
    median, sigma, tail = kind.employees
    labour = np.where(np.isin(section, ["B", "C", "E", "Q"]), 2.0, 1.0)
    employees = np.floor(np.exp(rng.normal(np.log(median), sigma, n)) * labour)
    pareto = np.floor(20.0 * (1.0 + rng.pareto(1.1, n)))
    employees = np.minimum(np.where(rng.random(n) < tail, pareto, employees), 200_000).astype(np.int64)
    return capital, employees


_USES = ("住宅", "商业", "办公", "工业", "公共服务", "其他")


def _wanted_use(kind: _Kind, section: np.ndarray, employees: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Index into ``_USES`` of the premises each entity would occupy."""
    n = section.size
    u = rng.random(n)
    if kind.entity_type == "企业":
        use = np.where(np.isin(section, ["B", "C", "D"]), 3, np.where(np.isin(section, ["F", "H"]), 1, 2))
        home_office = (employees <= 2) & np.isin(section, ["F", "L", "I", "M", "O", "R", "P"]) & (u < 0.3)
        return np.where(home_office, 0, use)
    first, second = (kind.uses + kind.uses)[:2]
    share = 0.65 if kind.entity_type == "农民专业合作社" else 0.7
    return np.where(u < share, _USES.index(first), _USES.index(second))


def _link_housing(rng: np.random.Generator, county_idx: np.ndarray, use_idx: np.ndarray,
                  housing: pl.DataFrame) -> pl.Series:
    """A housing unit of the wanted use in the entity's county; else any non-residential unit there;
    else any unit there; else null."""
    codes = [c.code for c in regions.counties(ROOT)]
    n_c, n_u = len(codes), len(_USES)
    h = (housing.select("housing_id", "county_code", "use")
         .filter(pl.col("county_code").is_in(codes) & pl.col("use").is_in(list(_USES)))
         .with_columns(c=pl.col("county_code").replace_strict(codes, list(range(n_c)), return_dtype=pl.Int64),
                       u=pl.col("use").replace_strict(list(_USES), list(range(n_u)), return_dtype=pl.Int64)))
    result = np.full(county_idx.size, None, dtype=object)
    pending = np.ones(county_idx.size, dtype=bool)
    # Three tries, from the most to the least specific group of units.
    tries = (
        (h.sort("c", "u", "housing_id"), lambda f: f["c"].to_numpy() * n_u + f["u"].to_numpy(),
         county_idx * n_u + use_idx, n_c * n_u),
        (h.filter(pl.col("u") != 0).sort("c", "housing_id"), lambda f: f["c"].to_numpy(), county_idx, n_c),
        (h.sort("c", "housing_id"), lambda f: f["c"].to_numpy(), county_idx, n_c),
    )
    for frame, group_of, wanted, n_groups in tries:
        counts = np.bincount(group_of(frame), minlength=n_groups) if frame.height else np.zeros(n_groups, np.int64)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        ok = pending & (counts[wanted] > 0)
        idx = np.flatnonzero(ok)
        pos = starts[wanted[idx]] + np.floor(rng.random(idx.size) * counts[wanted[idx]]).astype(np.int64)
        result[idx] = frame["housing_id"].gather(pos).to_numpy()
        pending &= ~ok
    return pl.Series("housing_id", result, dtype=pl.String)


def _updated_at(rng: np.random.Generator, established: np.ndarray, cancelled: np.ndarray) -> np.ndarray:
    """Microseconds since epoch: the record's last push to the library, during the snapshot year."""
    lo = np.maximum(np.maximum(established, cancelled), _day(dt.date(2024, 1, 1)))
    day = lo + np.floor(rng.random(established.size) * (_day(SNAPSHOT) - lo + 1)).astype(np.int64)
    seconds = 8 * 3600 + 1800 + rng.integers(0, int(9.5 * 3600), established.size)
    return day * 86_400_000_000 + seconds * 1_000_000


def _dates(days: np.ndarray) -> pl.Series:
    """A Date series from days since epoch, null where ``NO_DATE``."""
    frame = pl.DataFrame({"d": np.where(days == NO_DATE, 0, days).astype(np.int32), "none": days == NO_DATE})
    return frame.select(pl.when(~pl.col("none")).then(pl.col("d").cast(pl.Date)).alias("d"))["d"]


def _unknown_housing_ids(rng: np.random.Generator, counties: np.ndarray, existing: pl.Series) -> pl.Series:
    """Well-formed housing ids (``county-NNNNNN-NNNNNN``) that are not in the housing library."""
    fake = pl.Series(np.empty(counties.size, dtype=object), dtype=pl.String)
    todo = np.arange(counties.size)
    while todo.size:
        a, b = rng.integers(0, 10 ** 6, todo.size), rng.integers(0, 10 ** 6, todo.size)
        draw = pl.Series([f"{c}-{x:06d}-{y:06d}" for c, x, y in zip(counties[todo], a, b, strict=True)],
                         dtype=pl.String)
        fake = fake.scatter(todo, draw)
        todo = todo[draw.is_in(existing.implode()).to_numpy()]
    return fake


# --------------------------------------------------------------------------------------------
# The generator


def _rows(rate: float, n: int) -> int:
    return int(round(rate * n))


def generate(scale: float, seed: int, housing: pl.DataFrame) -> pl.DataFrame:
    """The legal-entity register at the snapshot date, with the contract's columns and types.

    ``scale`` = 1 is the full province (about 2.65 million rows including cancelled entities);
    ``housing`` needs ``housing_id``, ``county_code`` and ``use``. Same (scale, seed, housing) →
    same frame. Defects are injected at ``DEFECT_RATES``.
    """
    rng = np.random.default_rng(seed)
    parts = []
    for k, kind in enumerate(KINDS):
        born, cancelled = _births_and_closures(kind, kind.active_2023 * scale, rng)
        n = born.size
        county_idx = rng.choice(len(regions.counties(ROOT)), size=n, p=_county_spread(kind.counties))
        sections = np.array(list(kind.sections))
        section_p = np.array(list(kind.sections.values()))
        section = sections[rng.choice(sections.size, size=n, p=section_p / section_p.sum())]
        division = np.empty(n, dtype=object)
        for sec in np.unique(section):
            weights = kind.divisions.get(sec, DIVISIONS[sec])
            idx = np.flatnonzero(section == sec)
            p = np.array(list(weights.values()))
            division[idx] = np.array(list(weights))[rng.choice(p.size, size=idx.size, p=p / p.sum())]
        capital, employees = _amounts(kind, section, rng)
        parts.append({
            "kind": np.full(n, k), "county": county_idx, "section": section, "division": division.astype(str),
            "born": born, "cancelled": cancelled, "capital": capital, "employees": employees,
            "use": _wanted_use(kind, section, employees, rng),
        })
    col = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    n = col["kind"].size
    county_codes = np.array([c.code for c in regions.counties(ROOT)])
    etype = np.array([k.entity_type for k in KINDS])[col["kind"]]
    region = pl.Series("region_code", county_codes[col["county"]], dtype=pl.String)
    chars = _credit_codes(rng, col["kind"], col["county"], col["born"])
    updated = _updated_at(rng, col["born"], col["cancelled"])

    # Defects. Check characters: pos 18 wrong; or pos 17 wrong with pos 18 recomputed over it.
    bad18 = rng.choice(n, _rows(DEFECT_RATES["bad_check_18"], n), replace=False)
    chars[bad18, 17] = _USCC_BYTES[(_USCC_VALUE[chars[bad18, 17]] + rng.integers(1, 31, bad18.size)) % 31]
    bad17 = rng.choice(np.setdiff1d(np.arange(n), bad18), _rows(DEFECT_RATES["bad_check_17"], n), replace=False)
    org_chars = np.frombuffer(b"0123456789X", dtype=np.uint8)
    right = np.where(chars[bad17, 16] == ord("X"), 10, chars[bad17, 16].astype(np.int64) - 48)
    chars[bad17, 16] = org_chars[(right + rng.integers(1, 11, bad17.size)) % 11]
    chars[bad17, 17] = _uscc_check(chars[bad17, :17])
    cancelled = col["cancelled"].copy()
    early = rng.choice(n, _rows(DEFECT_RATES["cancelled_before_established"], n), replace=False)
    cancelled[early] = col["born"][early] - rng.integers(1, 731, early.size)
    # Stale rows: known before mid-2023 and not cancelled since (a stale record cannot know of it).
    quiet_since = _day(dt.date(2023, 6, 1))
    eligible = np.flatnonzero((col["born"] < quiet_since) & (cancelled < quiet_since)
                              & ((cancelled == NO_DATE) | (cancelled >= col["born"])))
    stale = rng.choice(eligible, min(eligible.size, _rows(DEFECT_RATES["stale_updated_at"], n)), replace=False)
    lo = np.maximum(np.maximum(col["born"][stale], cancelled[stale]), _day(dt.date(2021, 1, 1)))
    hi = _day(STALE_BEFORE) - 1
    lo = np.minimum(lo, hi)
    stale_day = lo + np.floor(rng.random(stale.size) * (hi - lo + 1)).astype(np.int64)
    updated[stale] = stale_day * 86_400_000_000 + (updated[stale] % 86_400_000_000)
    section = col["section"].astype(object)
    section[rng.choice(n, _rows(DEFECT_RATES["missing_section"], n), replace=False)] = None

    housing_id = _link_housing(rng, col["county"], col["use"], housing)
    unknown = rng.choice(n, _rows(DEFECT_RATES["unknown_housing"], n), replace=False)
    fake = _unknown_housing_ids(rng, county_codes[col["county"][unknown]], housing["housing_id"])
    housing_id = housing_id.scatter(unknown, fake)

    frame = pl.DataFrame({
        "credit_code": _codes_to_series(chars),
        "name": _names(rng, etype, col["section"], col["division"], region),
        "entity_type": pl.Series(etype, dtype=pl.String),
        "region_code": region,
        "industry_section": pl.Series(section, dtype=pl.String),
        "industry_code": pl.Series(col["division"], dtype=pl.String),
        "established_date": _dates(col["born"]),
        "cancelled_date": _dates(cancelled),
        "registered_capital": pl.Series(col["capital"], dtype=pl.Float64).fill_nan(None),
        "employees": pl.Series(col["employees"], dtype=pl.Int64),
        "legal_rep": _person_names(rng, n),
        "housing_id": housing_id,
        "updated_at": pl.Series(updated, dtype=pl.Int64).cast(pl.Datetime("us")),
    })
    # A later re-send of the same entity: same code, newer timestamp, sometimes a new representative.
    dup = rng.choice(n, _rows(DEFECT_RATES["duplicate_code"], n), replace=False)
    copies = frame[dup].with_columns(
        updated_at=pl.min_horizontal(pl.col("updated_at") + pl.duration(days=30),
                                     pl.lit(dt.datetime(2024, 12, 31, 18, 0))),
        legal_rep=pl.when(pl.Series(rng.random(dup.size) < 0.5)).then(_person_names(rng, dup.size))
        .otherwise(pl.col("legal_rep")),
    )
    frame = pl.concat([frame, copies]).sort("region_code", "established_date", "credit_code", maintain_order=True)
    return frame.select([pl.col(c.name).cast(_DTYPES[c.type]) for c in CONTRACT.columns])


_DTYPES = {"text": pl.String, "float": pl.Float64, "int": pl.Int64, "date": pl.Date, "timestamp": pl.Datetime("us")}


# --------------------------------------------------------------------------------------------
# The department's files


def _excel_serial_days(days: pl.Series) -> list[float | None]:
    """Excel serial dates (1900 system) from a Date series: days since 1899-12-30."""
    return (days.cast(pl.Int32).cast(pl.Float64) + 25569.0).to_list()


def _excel_serial_times(stamps: pl.Series) -> list[float | None]:
    return (stamps.dt.epoch("us").cast(pl.Float64) / 86_400_000_000.0 + 25569.0).to_list()


def layout(prefecture_index: int) -> dict[str, object]:
    """How the file of the i-th prefecture looks: departments' templates differ slightly.

    ``header_row`` is the 0-based row of the column headers (row 0 is the title line; a blank row
    sits between them when it is 2); ``name_header`` is the header used for ``name``.
    """
    return {"header_row": 2 if prefecture_index % 2 else 1,
            "name_header": "企业名称" if prefecture_index % 3 == 1 else CONTRACT.column("name").zh}


def write(df: pl.DataFrame, inbox: Path, *, max_rows_per_sheet: int = EXCEL_MAX_ROWS) -> list[Path]:
    """Write one ``法人库_<地市>_20241231.xlsx`` per prefecture into ``inbox/legal_entities/``.

    Sheet ``法人登记信息``: a title line, then (after a blank row in some files) Chinese headers, then
    data with real Excel dates. A prefecture whose rows do not fit in one sheet
    (``max_rows_per_sheet`` counts the title and header lines too) is split into files ``…_1.xlsx``,
    ``…_2.xlsx``. Returns the files written, in prefecture order.
    """
    folder = Path(inbox) / "legal_entities"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = SNAPSHOT.strftime("%Y%m%d")
    written: list[Path] = []
    for i, prefecture in enumerate(regions.at_level("prefecture", ROOT)):
        rows = df.filter(pl.col("region_code").str.starts_with(prefecture.code[:4]))
        if rows.is_empty():
            continue
        look = layout(i)
        per_file = max_rows_per_sheet - int(look["header_row"]) - 1
        if per_file < 1:
            raise ValueError(f"max_rows_per_sheet={max_rows_per_sheet} leaves no room for data rows")
        chunks = [rows.slice(start, per_file) for start in range(0, rows.height, per_file)]
        for part, chunk in enumerate(chunks, start=1):
            suffix = f"_{part}" if len(chunks) > 1 else ""
            path = folder / f"法人库_{prefecture.name}_{stamp}{suffix}.xlsx"
            _write_sheet(chunk, path, prefecture.name, look)
            written.append(path)
    return written


_PROVINCE_NAME = regions.name(ROOT[:2] + "0000")


def _write_sheet(df: pl.DataFrame, path: Path, prefecture_name: str, look: dict[str, object]) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    workbook.set_properties({"title": f"{prefecture_name}法人单位登记信息", "author": MARKET_REGULATOR,
                             "created": dt.datetime(SNAPSHOT.year, SNAPSHOT.month, SNAPSHOT.day, 18, 0)})
    sheet = workbook.add_worksheet(SHEET)
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    time_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    title_format = workbook.add_format({"bold": True, "font_size": 14})
    header_format = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    columns = list(CONTRACT.columns)
    widths = {"credit_code": 22, "name": 36, "housing_id": 22, "updated_at": 20, "established_date": 12,
              "cancelled_date": 12, "registered_capital": 16}
    for c, column in enumerate(columns):
        sheet.set_column(c, c, widths.get(column.name, 12))
    header_row = int(look["header_row"])
    province = "" if prefecture_name.startswith(_PROVINCE_NAME) else _PROVINCE_NAME
    sheet.write_string(0, 0, f"{province}{prefecture_name}法人单位登记信息（截至{SNAPSHOT.year}年{SNAPSHOT.month}月{SNAPSHOT.day}日）",
                       title_format)
    for c, column in enumerate(columns):
        header = str(look["name_header"]) if column.name == "name" else column.zh
        sheet.write_string(header_row, c, header, header_format)
    # Cell writers per column; None values are left as empty cells.
    cells = []
    for c, column in enumerate(columns):
        series = df[column.name]
        if column.type == "date":
            cells.append((c, sheet.write_number, _excel_serial_days(series), date_format))
        elif column.type == "timestamp":
            cells.append((c, sheet.write_number, _excel_serial_times(series), time_format))
        elif column.type in ("int", "float"):
            cells.append((c, sheet.write_number, series.cast(pl.Float64).to_list(), None))
        else:
            cells.append((c, sheet.write_string, series.to_list(), None))
    first = header_row + 1
    for offset in range(df.height):
        row = first + offset
        for c, writer, values, fmt in cells:
            value = values[offset]
            if value is not None:
                writer(row, c, value, fmt)
    workbook.close()
