-- name: housing_stock
-- theme: housing
-- grain: region_code, use, build_period
-- zh: 房屋存量：分地区、用途、建成年代的套数、面积与使用状态
-- en: Housing stock by region, use and build period: units, floor area and occupancy
-- sharing: 无条件共享
-- owner: 省大数据局
WITH units AS (
    SELECT county_code, use, occupancy, floor_area,
           CASE
               WHEN build_year IS NULL THEN 'unknown'
               WHEN build_year < 1980 THEN '-1979'
               WHEN build_year < 1990 THEN '1980-1989'
               WHEN build_year < 2000 THEN '1990-1999'
               WHEN build_year < 2010 THEN '2000-2009'
               WHEN build_year < 2020 THEN '2010-2019'
               ELSE '2020-'
           END AS build_period
    FROM base.housing
)
SELECT
    a.ancestor_code AS region_code,
    r.level AS region_level,
    u.use,
    u.build_period,
    count(*) AS units,
    round(sum(u.floor_area), 1) AS floor_area_m2,
    count(*) FILTER (WHERE u.occupancy IN ('自住', '出租')) AS occupied_units,
    count(*) FILTER (WHERE u.occupancy = '出租') AS rented_units,
    count(*) FILTER (WHERE u.occupancy = '空置') AS vacant_units,
    round(count(*) FILTER (WHERE u.occupancy IN ('自住', '出租')) / count(*), 4) AS occupancy_rate
FROM units AS u
JOIN mart.region_ancestors AS a ON a.code = u.county_code
JOIN mart.regions AS r ON r.code = a.ancestor_code
WHERE starts_with(a.ancestor_code, getvariable('home_prefix'))  -- the home region and below, not its province
GROUP BY ALL
