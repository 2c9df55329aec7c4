-- name: population_structure
-- theme: population
-- grain: region_code, year, sex, age_group
-- zh: 年末常住人口结构：分地区、年份、性别、五岁年龄组（不足k人的单元格不公开）
-- en: Year-end residents by region, year, sex and five-year age group (cells under k suppressed)
-- sharing: 无条件共享
-- owner: 省大数据局
-- k_columns: persons
WITH years AS (
    SELECT range AS year FROM range(2015, 2025)
),
deltas AS (
    -- +1 at the first year-end a spell counts, -1 at the first year-end it no longer does.
    SELECT county_code, sex, birth_year, greatest(year(start_date), 2015) AS year, 1 AS delta
    FROM temp.residence_spells
    WHERE year(start_date) <= 2024 AND year(end_date) > greatest(year(start_date), 2015)
    UNION ALL
    SELECT county_code, sex, birth_year, year(end_date), -1
    FROM temp.residence_spells
    WHERE year(end_date) <= 2024 AND year(end_date) > greatest(year(start_date), 2015)
),
county_deltas AS (
    SELECT county_code, sex, least((y.year - birth_year) // 5 * 5, 90) AS age_from, y.year, sum(delta) AS delta
    FROM (SELECT county_code, sex, birth_year, year, sum(delta) AS delta FROM deltas GROUP BY ALL) AS d
    JOIN years AS y ON d.year <= y.year
    GROUP BY ALL
),
rolled AS (
    SELECT a.ancestor_code AS region_code, c.year, c.sex, c.age_from, sum(c.delta)::BIGINT AS persons
    FROM county_deltas AS c
    JOIN mart.region_ancestors AS a ON a.code = c.county_code
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
