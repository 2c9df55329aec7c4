"""Chinese names and ethnic groups for the demo population: pools, weights and vectorised sampling.

Ethnic totals are the 2020 census breakdown quoted in shared/domain/guizhou.md §2.1 (secondary,
``[ANON-CODE id 13778575880]``, its Han total matches the official 2,451.19万 ``[OFF]``). How the groups
spread over the nine prefectures is an ``[ASSUMED]`` seed matrix (where each group is known to live),
fitted by iterative proportional fitting so that prefecture totals equal the 2020 census and group
totals equal the province breakdown. Surname and given-name weights are ``[ASSUMED]`` (common
national surnames, the characteristic surnames of each minority, given-name characters by sex and
birth era); every character is in GBK, since the public-security export is a GBK file.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import polars as pl
import pyarrow as pa

from data_marts.demo.calibration import CENSUS_2020_PREFECTURE, ETHNIC_SHARES_2020

# 2020 census, persons by ethnic group (see module docstring). The groups after 回族 are not in
# the quoted breakdown: their remainder (486,284 = total 38,562,148 minus the listed groups
# [DERIVED]) is split [ASSUMED] over five groups known to live in Guizhou.
_LISTED = {
    "汉族": 24_511_822, "苗族": 4_506_912, "布依族": 2_710_606, "土家族": 1_696_664, "侗族": 1_650_871,
    "彝族": 959_302, "未识别民族": 698_234, "仡佬族": 550_322, "水族": 371_367, "白族": 214_802,
    "回族": 204_962,
}
_REMAINDER = 38_562_148 - sum(_LISTED.values())
_REMAINDER_SPLIT = {"壮族": 0.40, "瑶族": 0.18, "毛南族": 0.16, "满族": 0.13, "蒙古族": 0.13}
ETHNIC_TOTALS_2020: dict[str, int] = {
    **_LISTED,
    **{g: round(_REMAINDER * w) for g, w in _REMAINDER_SPLIT.items()},
}
ETHNIC_GROUPS: tuple[str, ...] = tuple(ETHNIC_TOTALS_2020)

# [ASSUMED] relative presence of each group by prefecture (rough shares of the prefecture's
# population, before fitting): 苗/侗 in 黔东南, 布依 in 黔南/黔西南/安顺, 土家 in 铜仁, 彝/穿青人/回/白
# in 毕节 and 六盘水, 仡佬 in 遵义 (务川, 道真), 水 in 三都, 毛南 in 平塘, 瑶 in 荔波/从江.
_SEED: dict[str, dict[str, float]] = {
    "520100": {"汉族": .82, "苗族": .06, "布依族": .07, "土家族": .01, "侗族": .01, "彝族": .005,
               "回族": .005, "未识别民族": .004, "仡佬族": .003, "水族": .002, "白族": .002, "壮族": .002,
               "满族": .002, "蒙古族": .002},
    "520200": {"汉族": .72, "苗族": .06, "布依族": .06, "彝族": .08, "未识别民族": .03, "白族": .02,
               "回族": .01, "仡佬族": .01, "壮族": .002},
    "520300": {"汉族": .87, "仡佬族": .04, "苗族": .03, "土家族": .04, "侗族": .002, "彝族": .002,
               "满族": .002},
    "520400": {"汉族": .61, "布依族": .22, "苗族": .13, "仡佬族": .01, "回族": .01, "彝族": .005},
    "520500": {"汉族": .73, "彝族": .08, "苗族": .07, "未识别民族": .06, "回族": .02, "白族": .02,
               "布依族": .01, "仡佬族": .01, "蒙古族": .01, "满族": .002},
    "520600": {"汉族": .30, "土家族": .38, "苗族": .18, "侗族": .12, "仡佬族": .01, "蒙古族": .002},
    "522300": {"汉族": .60, "布依族": .28, "苗族": .08, "彝族": .01, "回族": .01, "壮族": .01},
    "522600": {"汉族": .19, "苗族": .44, "侗族": .31, "水族": .02, "瑶族": .01, "布依族": .01,
               "土家族": .005, "壮族": .005},
    "522700": {"汉族": .41, "布依族": .33, "苗族": .13, "水族": .08, "毛南族": .01, "瑶族": .01,
               "壮族": .005},
}

# [ASSUMED] surname weights (per mille, roughly the national frequency order, with the south-west's
# 杨/罗/吴/龙/石/田 a little higher).
HAN_SURNAMES: dict[str, float] = {
    "王": 71, "李": 70, "张": 64, "刘": 54, "陈": 48, "杨": 40, "黄": 23, "赵": 22, "吴": 24, "周": 19,
    "徐": 15, "孙": 12, "马": 12, "朱": 12, "胡": 13, "郭": 10, "何": 13, "林": 10, "高": 10, "罗": 18,
    "郑": 8, "梁": 8, "谢": 9, "宋": 7, "唐": 9, "许": 6, "韩": 6, "冯": 6, "邓": 8, "曹": 6,
    "彭": 7, "曾": 7, "肖": 7, "田": 8, "董": 5, "袁": 6, "潘": 6, "蒋": 5, "蔡": 4, "余": 6,
    "杜": 5, "叶": 4, "程": 4, "苏": 4, "魏": 4, "吕": 3, "丁": 3, "任": 4, "沈": 3, "姚": 4,
    "卢": 4, "姜": 3, "崔": 2, "钟": 3, "谭": 4, "陆": 4, "汪": 3, "范": 3, "石": 6, "廖": 4,
    "龙": 6, "熊": 4, "邹": 3, "向": 3, "冉": 2, "文": 3, "付": 3, "雷": 3, "江": 3, "夏": 2,
}
MINORITY_SURNAMES: dict[str, dict[str, float]] = {
    "苗族": {"杨": 20, "吴": 18, "龙": 14, "王": 10, "李": 8, "张": 7, "石": 9, "熊": 6, "罗": 5, "潘": 5, "麻": 3},
    "布依族": {"王": 22, "韦": 16, "罗": 14, "黄": 12, "陆": 9, "杨": 8, "岑": 6, "班": 5, "蒙": 4},
    "土家族": {"田": 20, "杨": 15, "向": 12, "彭": 12, "冉": 9, "张": 8, "李": 8, "覃": 6},
    "侗族": {"杨": 28, "吴": 22, "石": 12, "龙": 10, "姚": 6, "欧": 5, "粟": 4, "潘": 6},
    "彝族": {"安": 16, "陈": 12, "禄": 8, "龙": 10, "李": 12, "王": 10, "杨": 10, "张": 8},
    "未识别民族": {"李": 16, "王": 14, "张": 12, "陈": 10, "刘": 8, "穆": 5, "罗": 6},
    "仡佬族": {"王": 18, "杨": 12, "申": 10, "邹": 8, "韩": 7, "张": 8, "李": 8},
    "水族": {"韦": 28, "潘": 16, "蒙": 14, "陆": 10, "石": 8, "吴": 6},
    "白族": {"杨": 22, "赵": 16, "李": 14, "段": 10, "王": 10, "张": 6},
    "回族": {"马": 30, "白": 10, "李": 10, "丁": 8, "何": 6, "沙": 5, "海": 4},
    "壮族": {"韦": 22, "黄": 18, "覃": 12, "陆": 10, "蒙": 8, "莫": 8},
    "瑶族": {"盘": 20, "赵": 16, "李": 10, "邓": 10, "蒙": 8},
    "毛南族": {"谭": 30, "覃": 12, "卢": 10, "韦": 10, "蒙": 8},
}
MINORITY_OWN_SURNAME = 0.7  # [ASSUMED] share of a minority group's members with a characteristic surname

# [ASSUMED] given-name characters by sex (0 female, 1 male) and birth era.
ERA_STARTS = (1900, 1960, 1985, 2005)
GIVEN_CHARS: dict[tuple[int, int], str] = {
    (1, 0): "国建明华德文志忠福贵发成财树林清荣昌云光海永正富寿",
    (0, 0): "秀英兰珍芳桂凤玉梅春翠淑琼菊花香素巧莲珠",
    (1, 1): "伟勇军强斌平刚辉波涛峰鹏磊超健龙杰东红新亮飞林华",
    (0, 1): "丽红艳敏静燕霞娟萍芳琴玲丹慧莉华云梅婷英",
    (1, 2): "浩宇鑫俊杰磊帅凯豪博涛明阳鹏威旭晨飞波瑞",
    (0, 2): "婷雪倩琳颖娜敏佳丹瑶洁蕾悦露璐梦欣晶玉燕",
    (1, 3): "子梓宇轩浩睿泽宸铭博俊豪辰皓航煜昊然奕诚",
    (0, 3): "欣梓涵怡萱诗雨可思语佳妍彤琪悦馨汐若沐依",
}
# [ASSUMED] share of one-character given names by era.
SINGLE_GIVEN = (0.30, 0.25, 0.15, 0.10)


def _normalised(weights: dict[str, float]) -> tuple[list[str], np.ndarray]:
    keys = list(weights)
    values = np.array([weights[k] for k in keys], dtype=float)
    return keys, values / values.sum()


@lru_cache(maxsize=1)
def prefecture_ethnic_shares() -> dict[str, np.ndarray]:
    """Per prefecture, the share of each group in ``ETHNIC_GROUPS`` order (IPF-fitted, rows sum to 1);
    a demo region whose facts give its own shares (``ETHNIC_SHARES_2020``) has them everywhere."""
    prefectures = list(CENSUS_2020_PREFECTURE)
    if ETHNIC_SHARES_2020:
        _, shares = _normalised({g: ETHNIC_SHARES_2020.get(g, 0.0) for g in ETHNIC_GROUPS})
        return {p: shares for p in prefectures}
    seed = np.array([[_SEED[p].get(g, 1e-4) for g in ETHNIC_GROUPS] for p in prefectures])
    rows = np.array([CENSUS_2020_PREFECTURE[p] for p in prefectures], dtype=float)
    cols = np.array([ETHNIC_TOTALS_2020[g] for g in ETHNIC_GROUPS], dtype=float)
    cols *= rows.sum() / cols.sum()
    table = seed * rows[:, None] / seed.sum(axis=1, keepdims=True)
    for _ in range(200):
        table *= (cols / table.sum(axis=0))[None, :]
        table *= (rows / table.sum(axis=1))[:, None]
    return {p: table[i] / table[i].sum() for i, p in enumerate(prefectures)}


def sample_categorical(rng: np.random.Generator, shares: np.ndarray, group: np.ndarray) -> np.ndarray:
    """One draw per row from ``shares[group[row]]`` (``shares``: groups × categories), vectorised."""
    cumulative = np.cumsum(shares, axis=1)
    total = cumulative[:, -1:]
    # Dividing by the row total makes the last positive column exactly 1.0, so u in [0, 1) never
    # lands on a zero-weight padding column.
    cumulative = np.divide(cumulative, total, out=np.ones_like(cumulative), where=total > 0)
    u = rng.random(len(group))
    out = np.empty(len(group), dtype=np.int16)
    if len(shares) == 1:
        out[:] = np.searchsorted(cumulative[0], u, side="right")
    else:
        group = np.asarray(group).astype(np.int16)  # 16-bit keys: numpy sorts them by radix
        order = np.argsort(group, kind="stable")
        bounds = np.searchsorted(group[order], np.arange(len(shares) + 1))
        for g in range(len(shares)):
            rows = order[bounds[g]: bounds[g + 1]]
            out[rows] = np.searchsorted(cumulative[g], u[rows], side="right")
    return np.minimum(out, shares.shape[1] - 1)


@lru_cache(maxsize=1)
def _surname_tables() -> tuple[list[str], np.ndarray]:
    """All surnames, and per ethnic group the probability of each (groups × surnames)."""
    han_keys, han_p = _normalised(HAN_SURNAMES)
    pool = list(han_keys)
    for table in MINORITY_SURNAMES.values():
        pool += [s for s in table if s not in pool]
    index = {s: i for i, s in enumerate(pool)}
    han_vec = np.zeros(len(pool))
    han_vec[[index[s] for s in han_keys]] = han_p
    probs = np.zeros((len(ETHNIC_GROUPS), len(pool)))
    for g, group in enumerate(ETHNIC_GROUPS):
        own = MINORITY_SURNAMES.get(group)
        if own is None:
            probs[g] = han_vec
            continue
        keys, p = _normalised(own)
        own_vec = np.zeros(len(pool))
        own_vec[[index[s] for s in keys]] = p
        probs[g] = MINORITY_OWN_SURNAME * own_vec + (1 - MINORITY_OWN_SURNAME) * han_vec
    return pool, probs


def _given_pool() -> tuple[list[str], np.ndarray, np.ndarray]:
    chars: list[str] = []
    start = np.zeros((2, len(ERA_STARTS)), dtype=np.int32)
    length = np.zeros((2, len(ERA_STARTS)), dtype=np.int32)
    for (s, e), text in sorted(GIVEN_CHARS.items()):
        start[s, e] = len(chars)
        length[s, e] = len(text)
        chars.extend(text)
    return chars, start, length


def name_parts(rng: np.random.Generator, sex: np.ndarray, birth_year: np.ndarray,
               ethnicity: np.ndarray) -> np.ndarray:
    """Names as character indices (N × 3: surname, first and second given character) for people
    of the given sex (1 male, 0 female), birth year and group index; -1 = no second character."""
    n = len(sex)
    _, probs = _surname_tables()
    chars, start, length = _given_pool()
    parts = np.empty((n, 3), dtype=np.int16)
    parts[:, 0] = sample_categorical(rng, probs, ethnicity)
    era = np.searchsorted(np.array(ERA_STARTS[1:]), birth_year, side="right").astype(np.int8)
    s_idx = sex.astype(np.int8)
    for k in (1, 2):
        parts[:, k] = start[s_idx, era] + (rng.random(n, dtype=np.float32) * length[s_idx, era]).astype(np.int32)
    single = rng.random(n, dtype=np.float32) < np.asarray(SINGLE_GIVEN, dtype=np.float32)[era]
    parts[single, 2] = -1
    return parts


def name_strings(parts: np.ndarray) -> pl.Series:
    """A String series from ``name_parts`` output, assembled as UTF-8 bytes without a Python loop."""
    surnames, _ = _surname_tables()
    chars, _, _ = _given_pool()

    def utf8(pool: list[str]) -> np.ndarray:
        encoded = [c.encode("utf-8") for c in pool]
        if any(len(b) != 3 for b in encoded):
            raise ValueError("name characters must be 3-byte UTF-8 (CJK in the BMP)")
        return np.frombuffer(b"".join(encoded), dtype=np.uint8).reshape(-1, 3)

    n = len(parts)
    out = np.empty((n, 9), dtype=np.uint8)
    out[:, 0:3] = utf8(surnames)[parts[:, 0]]
    given = utf8(chars)
    out[:, 3:6] = given[parts[:, 1]]
    out[:, 6:9] = given[np.maximum(parts[:, 2], 0)]
    lengths = np.where(parts[:, 2] < 0, 6, 9).astype(np.int64)
    keep = np.ones((n, 9), dtype=bool)
    keep[parts[:, 2] < 0, 6:] = False
    data = out[keep]
    del out, keep
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    array = pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data))
    return pl.Series(pl.from_arrow(array)).cast(pl.String)


def sample_names(rng: np.random.Generator, sex: np.ndarray, birth_year: np.ndarray,
                 ethnicity: np.ndarray) -> pl.Series:
    """Plausible names for people of the given sex (1 male, 0 female), birth year and group index."""
    return name_strings(name_parts(rng, sex, birth_year, ethnicity))
