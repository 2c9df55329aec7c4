"""Descriptions (zh, en) of mart columns for the catalog; base columns are described by their contracts.

A mart column that is neither here nor a contract column fails tests/data_marts/test_catalog.py,
so the catalog a bureau shows its departments never has a blank description.
"""

from __future__ import annotations

from data_marts.contracts import CONTRACTS

GLOSSARY: dict[str, tuple[str, str]] = {
    "region_code": ("地区代码（GB/T 2260）", "Region code (GB/T 2260)"),
    "region_level": ("地区层级（省/市州/区县）", "Region level (province/prefecture/county)"),
    "year": ("年份", "Year"),
    "sex": ("性别（male/female）", "Sex (male/female)"),
    "age_group": ("五岁年龄组", "Five-year age group"),
    "age_from": ("年龄组起始岁数", "First age of the group"),
    "persons": ("年末常住人数（不足k人不公开）", "Year-end residents (suppressed under k)"),
    "suppressed": ("该单元格因不足k人而不公开", "Cell withheld because it counts fewer than k persons"),
    "births": ("出生人数", "Births"),
    "deaths": ("死亡人数", "Deaths"),
    "moved_in": ("从本地区以外迁入人数", "Moves in from outside the region"),
    "moved_out": ("迁往本地区以外人数", "Moves out of the region"),
    "net_moves": ("净迁入人数", "Net moves in"),
    "population": ("年末常住人口（人口基础库重建）", "Year-end residents (rebuilt from the population library)"),
    "population_prev": ("上年末常住人口", "Residents at the previous year-end"),
    "birth_rate_permille": ("出生率（‰）", "Birth rate (per mille)"),
    "death_rate_permille": ("死亡率（‰）", "Death rate (per mille)"),
    "industry_section": ("国民经济行业门类（GB/T 4754）", "Industry section (GB/T 4754)"),
    "month": ("月份（月初日期）", "Month (first day)"),
    "new_entities": ("当月新设法人数", "Entities set up in the month"),
    "cancelled_entities": ("当月注销法人数", "Entities cancelled in the month"),
    "stock": ("月末存续法人数", "Entities active at month end"),
    "build_period": ("建成年代", "Build period"),
    "units": ("房屋套数", "Housing units"),
    "floor_area_m2": ("建筑面积（平方米）", "Floor area (m²)"),
    "occupied_units": ("在用套数（自住+出租）", "Occupied units (owner-occupied + rented)"),
    "rented_units": ("出租套数", "Rented units"),
    "vacant_units": ("空置套数", "Vacant units"),
    "occupancy_rate": ("使用率", "Occupancy rate"),
    "residents": ("年末常住人口（不足k人不公开）", "Year-end residents (suppressed under k)"),
    "residents_linked": ("能关联到房屋的常住人口", "Residents linked to a housing unit"),
    "residents_link_rate": ("人房关联率", "Resident–housing link rate"),
    "entities_active": ("年末存续法人数", "Entities active at year end"),
    "entities_linked": ("能关联到房屋的存续法人数", "Active entities linked to a housing unit"),
    "entities_link_rate": ("企房关联率", "Entity–housing link rate"),
    "freq": ("频度（M月/Q季/A年）", "Frequency (M/Q/A)"),
    "month_end": ("期末所在月份（1–12）", "Month in which the period ends (1–12)"),
    "months_covered": ("当期值覆盖的月数（1-2月合并为2）", "Months the current value covers (2 for Jan–Feb combined)"),
    "cumulative_value": ("累计值", "Cumulative (year-to-date) value"),
    "current_value": ("当期值", "Value for the period"),
    "yoy_cumulative_pct": ("累计同比增速（%）", "Year-to-date change on a year earlier (%)"),
    "yoy_current_pct": ("当期同比增速（%）", "Period change on a year earlier (%)"),
    "mom_pct": ("环比增速（%）", "Change on the previous period (%)"),
    "target_growth_pct": ("年度目标增速（%）", "Annual growth target (%)"),
    "target_value": ("年度目标值", "Annual target value"),
    "completion_pct": ("目标完成进度（%）", "Share of the annual target reached (%)"),
    "schedule_pct": ("序时进度（%）", "Share of the year elapsed (%)"),
    "output_t": ("产量（吨）", "Output (tonnes)"),
    "value_yuan": ("产值（元）", "Output value (yuan)"),
    "cost_yuan": ("总成本（元）", "Total cost (yuan)"),
    "net_income_yuan": ("净收益（元）", "Net income (yuan)"),
    "net_income_per_mu": ("亩均净收益（元/亩）", "Net income per mu (yuan)"),
    "labour_days": ("用工（工日）", "Labour (days)"),
    "population_official_wan": ("统计部门发布的年末常住人口（万人）", "Official year-end population (10k persons)"),
    "gdp_yi": ("地区生产总值（亿元）", "GDP (100 million yuan)"),
    "gdp_growth_pct": ("地区生产总值增速（%，不变价）", "Real GDP growth (%)"),
    "gdp_target_growth_pct": ("地区生产总值目标增速（%）", "GDP growth target (%)"),
    "retail_yi": ("社会消费品零售总额（亿元）", "Retail sales (100 million yuan)"),
    "fiscal_revenue_yi": ("一般公共预算收入（亿元）", "Budget revenue (100 million yuan)"),
    "disposable_income_yuan": ("全体居民人均可支配收入（元）", "Per-capita disposable income (yuan)"),
    "entities_stock": ("年末存续法人数", "Entities active at year end"),
    "entities_new": ("全年新设法人数", "Entities set up in the year"),
    "entities_cancelled": ("全年注销法人数", "Entities cancelled in the year"),
    "housing_units": ("房屋套数（截至年末已建成）", "Housing units built by year end"),
    "floor_area_per_capita_m2": ("人均住宅建筑面积（平方米）", "Residential floor area per resident (m²)"),
    "grain_area_mu": ("粮食作物面积（亩）", "Grain crop area (mu)"),
    "corn_area_mu": ("玉米面积（亩）", "Corn area (mu)"),
    "crop_value_yuan": ("种植业产值（元）", "Crop output value (yuan)"),
    # reference marts
    "code": ("代码", "Code"),
    "name": ("名称（地名）", "Name (of a place)"),
    "short_name": ("简称", "Short name"),
    "level": ("层级", "Level"),
    "parent_code": ("上级代码", "Parent code"),
    "ancestor_code": ("上级（含自身）代码", "Ancestor (or self) code"),
    "ancestor_level": ("上级层级", "Ancestor level"),
    "distance": ("层级距离（0为自身）", "Levels between (0 = itself)"),
    "geojson": ("简化边界（GeoJSON）", "Simplified boundary (GeoJSON)"),
    "label_lon": ("标注点经度", "Label point longitude"),
    "label_lat": ("标注点纬度", "Label point latitude"),
    "min_lon": ("最小经度", "Minimum longitude"),
    "min_lat": ("最小纬度", "Minimum latitude"),
    "max_lon": ("最大经度", "Maximum longitude"),
    "max_lat": ("最大纬度", "Maximum latitude"),
    "area_km2": ("面积（平方公里）", "Area (km²)"),
    "zh": ("中文名称", "Chinese name"),
    "en": ("英文名称", "English name"),
    "crop_group": ("类别（粮食/特色产业）", "Group (grain/featured)"),
    "perennial": ("是否多年生", "Perennial"),
    "first_harvest_year": ("种植后首次收获年数", "Years from planting to first harvest"),
    "full_yield_year": ("种植后进入盛产年数", "Years from planting to full yield"),
    "additive": ("可加总（区县相加得市州）", "Additive across regions"),
    "higher_is_better": ("越高越好", "Higher is better"),
    "department_zh": ("来源部门", "Source department"),
    "definition_zh": ("统计口径", "Statistical definition"),
}


def describe(column: str) -> tuple[str, str] | None:
    """(zh, en) for a mart column: the glossary first, then any contract column of that name."""
    if column in GLOSSARY:
        return GLOSSARY[column]
    for contract in CONTRACTS.values():
        for c in contract.columns:
            if c.name == column:
                return c.zh, c.en
    return None
