-- name: agriculture_land
-- theme: agriculture
-- grain: region_code, year
-- zh: 耕地与农业劳动力：分地区的耕地面积、海拔、坡度结构、农业劳动力与粮食面积任务
-- en: Arable land and farm labour by region: area, altitude, slope classes, labour and grain-area task
-- sharing: 无条件共享
-- owner: 省自然资源厅
-- Altitude and slope shares roll up weighted by arable land.
SELECT
    a.ancestor_code AS region_code,
    r.level AS region_level,
    l.year,
    round(sum(l.arable_mu), 1) AS arable_mu,
    round(sum(l.arable_mu * l.paddy_share) / nullif(sum(l.arable_mu), 0), 4) AS paddy_share,
    round(sum(l.arable_mu * l.altitude_m) / nullif(sum(l.arable_mu), 0), 1) AS altitude_m,
    round(sum(l.arable_mu * l.slope_lt6_share) / nullif(sum(l.arable_mu), 0), 4) AS slope_lt6_share,
    round(sum(l.arable_mu * l.slope_6_15_share) / nullif(sum(l.arable_mu), 0), 4) AS slope_6_15_share,
    round(sum(l.arable_mu * l.slope_15_25_share) / nullif(sum(l.arable_mu), 0), 4) AS slope_15_25_share,
    round(sum(l.arable_mu * l.slope_gt25_share) / nullif(sum(l.arable_mu), 0), 4) AS slope_gt25_share,
    round(sum(l.farm_labour), 0) AS farm_labour,
    round(sum(l.grain_task_mu), 1) AS grain_task_mu
FROM base.agriculture_land AS l
JOIN mart.region_ancestors AS a ON a.code = l.county_code
JOIN mart.regions AS r ON r.code = a.ancestor_code
WHERE starts_with(a.ancestor_code, getvariable('home_prefix'))  -- the home region and below, not its province
GROUP BY ALL
