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
    "name_en": ("英文名称（地名，汉语拼音加通名）", "English name (pinyin and designation)"),
    "short_name_en": ("英文简称", "Short English name"),
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
    "good_direction": ("向好方向：higher 越高越好，lower 越低越好，band 在区间内为好", "Good direction: higher, lower, or band (good within a range)"),
    "band_low_pct": ("适宜区间下限（同比，%）", "Lower end of the good range (growth, %)"),
    "band_high_pct": ("适宜区间上限（同比，%）", "Upper end of the good range (growth, %)"),
    "department_zh": ("来源部门", "Source department"),
    "definition_zh": ("统计口径", "Statistical definition"),
    # quality_alerts
    "department": ("数据提供部门", "Department that supplies the data"),
    "table_name": ("基础库表名", "Base-library table"),
    "rule": ("检查规则", "Quality rule"),
    "column_name": ("检查的字段", "Column checked"),
    "rows_checked": ("检查行数", "Rows checked"),
    "rows_failed": ("未通过行数", "Rows that failed"),
    "failure_pct": ("问题率（%）", "Failure rate (%)"),
    "loaded_at": ("最近入库时间", "Latest load time"),
    # enterprise_survival
    "cohort_year": ("设立年份（同期设立的一批法人）", "Year the cohort of entities was set up"),
    "years_since": ("设立后年数", "Years since set-up"),
    "cohort_entities": ("当年设立法人数", "Entities set up in the cohort year"),
    "surviving_entities": ("设立满N年时仍存续的法人数", "Entities still active N years after set-up"),
    "survival_rate": ("存活率（仍存续/设立数）", "Survival rate (still active / set up)"),
    # housing_grid
    "cell_lon": ("网格中心经度", "Grid cell centre longitude"),
    "cell_lat": ("网格中心纬度", "Grid cell centre latitude"),
    # population_projection, school_places
    "base_year": ("预测起点年份（最后实际年份）", "Base year of the projection (last observed year)"),
    "mean": ("预测均值", "Projected mean"),
    "lower_80": ("80%区间下限", "Lower end of the 80% interval"),
    "upper_80": ("80%区间上限", "Upper end of the 80% interval"),
    "lower_95": ("95%区间下限", "Lower end of the 95% interval"),
    "upper_95": ("95%区间上限", "Upper end of the 95% interval"),
    "aged_on": ("上年末同一出生队列人数（长一岁后，预测均值）", "The same cohort a year earlier, one year older (projected mean)"),
    "projected": ("是否为预测值（否为实际数）", "Projected (false: observed)"),
    "stage": ("学段（primary小学/junior_secondary初中）", "School stage (primary/junior_secondary)"),
    "entry_age": ("入学年龄", "Age at entry"),
    "entrants": ("入学人数：当年满入学年龄的常住儿童", "Entrants: resident children reaching the entry age in the year"),
    "entrants_lower_80": ("入学人数80%区间下限", "Entrants, lower end of the 80% interval"),
    "entrants_upper_80": ("入学人数80%区间上限", "Entrants, upper end of the 80% interval"),
    "entrants_lower_95": ("入学人数95%区间下限", "Entrants, lower end of the 95% interval"),
    "entrants_upper_95": ("入学人数95%区间上限", "Entrants, upper end of the 95% interval"),
    "enrolled": ("在学年龄人口（小学6–11岁，初中12–14岁）", "Children of the stage's ages (primary 6–11, junior secondary 12–14)"),
    "enrolled_lower_80": ("在学年龄人口80%区间下限", "Children of the stage's ages, lower end of the 80% interval"),
    "enrolled_upper_80": ("在学年龄人口80%区间上限", "Children of the stage's ages, upper end of the 80% interval"),
    "enrolled_lower_95": ("在学年龄人口95%区间下限", "Children of the stage's ages, lower end of the 95% interval"),
    "enrolled_upper_95": ("在学年龄人口95%区间上限", "Children of the stage's ages, upper end of the 95% interval"),
    "county_share": ("县在所属市（州）相近出生年份儿童中的占比", "County's share of its prefecture's children born in the nearest years"),
    # Forecasts, backtests and target attainment (cockpit/batch/forecasts.py, target_attainment.py)
    "model": ("预测模型（经回测选出）", "Forecasting model (chosen by backtest)"),
    "notes": ("建模说明（口径换算、模型回退等）", "Modelling notes (conversions, fallbacks)"),
    "mase": ("平均绝对标度误差（以季节朴素法为标尺，低于1为优）", "Mean absolute scaled error (against seasonal naive; below 1 beats it)"),
    "smape": ("对称平均绝对百分比误差（%）", "Symmetric mean absolute percentage error (%)"),
    "coverage_80": ("回测中实际值落入80%区间的比例", "Share of backtest actuals inside the 80% interval"),
    "coverage_95": ("回测中实际值落入95%区间的比例", "Share of backtest actuals inside the 95% interval"),
    "baseline_mase": ("季节朴素法在同一回测中的MASE", "Seasonal naive's MASE in the same backtest"),
    "n_origins": ("回测起点个数", "Backtest origins"),
    "n_points": ("回测评分期数", "Backtest periods scored"),
    "chosen": ("是否为入选模型", "Whether this is the chosen model"),
    "error": ("无法预测的原因", "Why the series could not be forecast"),
    "origin": ("回测预测起点（用到该期为止的数据）", "Backtest origin (data used up to this period)"),
    "step": ("预测步长（起点后第几期）", "Steps ahead of the origin"),
    "actual": ("实际值", "Actual value"),
    "as_of": ("判断时点（用到该期为止的数据）", "Judged as of (data used up to this period)"),
    "target": ("年度目标", "Annual target"),
    "probability": ("达成目标的概率", "Probability of meeting the target"),
    "expected": ("预期全年结果", "Expected outcome for the year"),
    "outcome": ("实际全年结果（年度结束后）", "Actual outcome for the year (once the year is over)"),
    "met": ("是否达成目标", "Whether the target was met"),
    "method": ("方法", "Method"),
    "price_log_sd": ("价格对数标准差（预期的不确定性）", "Standard deviation of log price (uncertainty of the outlook)"),
    "yield_log_sd": ("单产对数标准差（预期的不确定性）", "Standard deviation of log yield (uncertainty of the outlook)"),
}


# Departments as the cockpit names them (owners, sources, lineage): Chinese → English. The contracts'
# own pairs come first; the rest are owners of marts and sources of headline figures.
DEPARTMENTS: dict[str, str] = {
    **{c.department_zh: c.department_en for c in CONTRACTS.values()},
    "省大数据局": "Big Data Bureau",
    "省统计局": "Statistics Bureau",
    "统计局": "Statistics Bureau",
    "省财政厅": "Finance Department",
    "财政厅": "Finance Department",
    "省公安厅": "Public Security Department",
    "省市场监管局": "Market Regulation Administration",
    "省住建厅": "Housing and Urban-Rural Development Department",
    "省住房和城乡建设厅": "Housing and Urban-Rural Development Department",
    "省自然资源厅": "Natural Resources Department",
    "省农业农村厅": "Agriculture and Rural Affairs Department",
}

# The three sharing classes of the government data-sharing rules (政务信息资源共享管理暂行办法).
SHARING_CLASSES: dict[str, str] = {
    "无条件共享": "Shared without conditions",
    "有条件共享": "Shared on conditions",
    "不予共享": "Not shared",
}


def department(name: str, lang: str) -> str:
    """A department in ``lang``; a name not listed (a bureau's own) is shown as it is."""
    return DEPARTMENTS.get(name, name) if lang == "en" else name


def sharing_class(name: str, lang: str) -> str:
    return SHARING_CLASSES.get(name, name) if lang == "en" else name


def describe(column: str) -> tuple[str, str] | None:
    """(zh, en) for a mart column: the glossary first, then any contract column of that name."""
    if column in GLOSSARY:
        return GLOSSARY[column]
    for contract in CONTRACTS.values():
        for c in contract.columns:
            if c.name == column:
                return c.zh, c.en
    return None
