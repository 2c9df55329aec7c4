-- name: population_structure
-- theme: population
-- grain: region_code, year, sex, age_group
-- zh: 年末常住人口结构：分地区、年份、性别、五岁年龄组（不足k人的单元格不公开）
-- en: Year-end residents by region, year, sex and five-year age group (cells under k suppressed)
-- sharing: 无条件共享
-- owner: 省大数据局
-- k_columns: persons
-- Counted once, by cohort, in temp.population_events (which the population projection reads too).
WITH years AS (
    SELECT range AS year FROM range(2015, 2025)
),
rolled AS (
    SELECT region_code, year, sex, least(age // 5 * 5, 90) AS age_from, sum(population)::BIGINT AS persons
    FROM temp.population_events
    WHERE year BETWEEN 2015 AND 2024
    GROUP BY ALL
),
cells AS (
    SELECT r.code AS region_code, r.level AS region_level, y.year, s.sex, g.age_from
    FROM mart.regions AS r
    CROSS JOIN years AS y
    CROSS JOIN (VALUES ('male'), ('female')) AS s(sex)
    CROSS JOIN (SELECT range AS age_from FROM range(0, 95, 5)) AS g
    WHERE r.code LIKE '52%'
)
SELECT
    cells.region_code,
    cells.region_level,
    cells.year,
    cells.sex,
    CASE WHEN cells.age_from = 90 THEN '90+' ELSE lpad(cells.age_from::VARCHAR, 2, '0') || '-' || lpad((cells.age_from + 4)::VARCHAR, 2, '0') END AS age_group,
    cells.age_from,
    CASE WHEN coalesce(rolled.persons, 0) >= coalesce(getvariable('k_min'), 10) THEN rolled.persons END AS persons,
    coalesce(rolled.persons, 0) < coalesce(getvariable('k_min'), 10) AS suppressed
FROM cells
LEFT JOIN rolled USING (region_code, year, sex, age_from)
