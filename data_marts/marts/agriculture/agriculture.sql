-- name: agriculture
-- theme: agriculture
-- grain: region_code, crop, year
-- zh: 种植业：分地区、品种、年份的面积、单产、产量、产值与亩均净收益
-- en: Crops by region, crop and year: area, yield, output, value and net income per mu
-- sharing: 无条件共享
-- owner: 省农业农村厅
-- Output is bearing area × yield: newly planted perennials (tea, fruit, 刺梨, 油茶…) occupy land
-- and cost money for years before they bear.
WITH county AS (
    SELECT
        county_code, crop, year, area_mu,
        coalesce(bearing_area_mu, area_mu) AS bearing_area_mu,
        coalesce(bearing_area_mu, area_mu) * coalesce(yield_kg_per_mu, 0) AS output_kg,
        coalesce(bearing_area_mu, area_mu) * coalesce(yield_kg_per_mu, 0) * coalesce(price_yuan_per_kg, 0) AS value_yuan,
        area_mu * coalesce(cost_yuan_per_mu, 0) AS cost_yuan,
        area_mu * coalesce(labour_days_per_mu, 0) AS labour_days
    FROM base.agriculture
)
SELECT
    a.ancestor_code AS region_code,
    r.level AS region_level,
    c.crop,
    c.year,
    round(sum(c.area_mu), 1) AS area_mu,
    round(sum(c.bearing_area_mu), 1) AS bearing_area_mu,
    round(sum(c.output_kg) / 1000, 1) AS output_t,
    round(sum(c.output_kg) / nullif(sum(c.bearing_area_mu), 0), 1) AS yield_kg_per_mu,
    round(sum(c.value_yuan) / nullif(sum(c.output_kg), 0), 3) AS price_yuan_per_kg,
    round(sum(c.value_yuan), 0) AS value_yuan,
    round(sum(c.cost_yuan), 0) AS cost_yuan,
    round(sum(c.value_yuan) - sum(c.cost_yuan), 0) AS net_income_yuan,
    round((sum(c.value_yuan) - sum(c.cost_yuan)) / nullif(sum(c.area_mu), 0), 1) AS net_income_per_mu,
    round(sum(c.labour_days), 0) AS labour_days
FROM county AS c
JOIN mart.region_ancestors AS a ON a.code = c.county_code
JOIN mart.regions AS r ON r.code = a.ancestor_code
WHERE starts_with(a.ancestor_code, getvariable('home_prefix'))  -- the home region and below, not its province
GROUP BY ALL
