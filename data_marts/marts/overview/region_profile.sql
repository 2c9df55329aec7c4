-- name: region_profile
-- theme: overview
-- grain: region_code, year
-- zh: 地区概况：每个地区每年一行的核心指标（人口、经济、法人、房屋、农业）
-- en: Region profile: one row per region and year with the headline indicators
-- sharing: 无条件共享
-- owner: 省大数据局
-- Person counts come from population_dynamics, withheld there (docs/disclosure.md); floor area per head
-- is withheld with the population, which it and the published floor area would give back;
-- economic figures are the statistics bureau's as reported (year-end cumulative values).
WITH years AS (
    SELECT range AS year FROM range(getvariable('first_year'), getvariable('last_year') + 1)
),
economy AS (
    SELECT
        region_code, year,
        max(cumulative_value) FILTER (WHERE indicator = 'gdp' AND freq = 'Q' AND month_end = 12) AS gdp_quarterly,
        max(current_value) FILTER (WHERE indicator = 'gdp' AND freq = 'A') AS gdp_annual,
        max(yoy_cumulative_pct) FILTER (WHERE indicator = 'gdp' AND freq = 'Q' AND month_end = 12) AS gdp_growth_pct,
        max(target_growth_pct) FILTER (WHERE indicator = 'gdp' AND freq = 'Q' AND month_end = 12) AS gdp_target_growth_pct,
        max(cumulative_value) FILTER (WHERE indicator = 'retail' AND month_end = 12) AS retail_yi,
        max(cumulative_value) FILTER (WHERE indicator = 'fiscal_revenue' AND month_end = 12) AS fiscal_revenue_yi,
        max(cumulative_value) FILTER (WHERE indicator = 'disposable_income' AND month_end = 12) AS disposable_income_yuan,
        max(current_value) FILTER (WHERE indicator = 'population' AND freq = 'A') AS population_official_wan
    FROM mart.economy_indicators
    GROUP BY ALL
),
entities AS (
    SELECT region_code, year(month) AS year,
           (sum(stock) FILTER (WHERE month(month) = 12))::BIGINT AS entities_stock,
           sum(new_entities)::BIGINT AS entities_new,
           sum(cancelled_entities)::BIGINT AS entities_cancelled
    FROM mart.enterprise_dynamics
    GROUP BY ALL
),
housing_built AS (
    -- One row per county and build year first: joining every unit to every year would not scale.
    SELECT county_code, coalesce(build_year, 0) AS build_year, count(*) AS units,
           sum(floor_area) FILTER (WHERE use = '住宅') AS residential_floor_area_m2
    FROM base.housing
    GROUP BY ALL
),
housing AS (
    SELECT a.ancestor_code AS region_code, y.year,
           sum(h.units)::BIGINT AS housing_units,
           sum(h.residential_floor_area_m2) AS residential_floor_area_m2
    FROM housing_built AS h
    JOIN years AS y ON h.build_year <= y.year
    JOIN mart.region_ancestors AS a ON a.code = h.county_code
    GROUP BY ALL
),
farming AS (
    SELECT region_code, year,
           sum(area_mu) FILTER (WHERE crop IN (SELECT code FROM mart.crops WHERE crop_group = 'grain')) AS grain_area_mu,
           sum(area_mu) FILTER (WHERE crop = 'corn') AS corn_area_mu,
           sum(value_yuan) AS crop_value_yuan
    FROM mart.agriculture
    GROUP BY ALL
)
SELECT
    r.code AS region_code,
    r.level AS region_level,
    y.year,
    p.population,
    p.births,
    p.deaths,
    p.net_moves,
    e.population_official_wan,
    coalesce(e.gdp_quarterly, e.gdp_annual) AS gdp_yi,
    e.gdp_growth_pct,
    e.gdp_target_growth_pct,
    e.retail_yi,
    e.fiscal_revenue_yi,
    e.disposable_income_yuan,
    n.entities_stock,
    n.entities_new,
    n.entities_cancelled,
    h.housing_units,
    round(h.residential_floor_area_m2 / nullif(p.population, 0), 2) AS floor_area_per_capita_m2,
    f.grain_area_mu,
    f.corn_area_mu,
    f.crop_value_yuan
FROM mart.regions AS r
CROSS JOIN years AS y
LEFT JOIN mart.population_dynamics AS p ON p.region_code = r.code AND p.year = y.year
LEFT JOIN economy AS e ON e.region_code = r.code AND e.year = y.year
LEFT JOIN entities AS n ON n.region_code = r.code AND n.year = y.year
LEFT JOIN housing AS h ON h.region_code = r.code AND h.year = y.year
LEFT JOIN farming AS f ON f.region_code = r.code AND f.year = y.year
WHERE starts_with(r.code, getvariable('home_prefix'))
