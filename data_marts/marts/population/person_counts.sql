-- name: person_counts
-- theme: population
-- grain: region_code, year, measure, sex, age_group
-- zh: 各专题公开的人数单元格（真实值）及推断它们时可用的未公开量，披露控制的输入（构建过程中的中间表，不发布）
-- en: Every person count the marts publish (true values) and the unpublished quantities that link them; the input of disclosure control (build helper, never published)
-- sharing: 不予共享
-- owner: 省大数据局
-- materialize: temp
-- One row per count a published mart shows (published = true) or that an attacker may reason with
-- although no mart shows it (published = false: single years of age, moves inside a region, residents
-- not linked to a dwelling). The relations between these counts are temp.person_count_relations; the
-- disclosure step (data_marts/disclosure/step.py) decides from both which published counts to withhold,
-- and the marts read the outcome, temp.person_counts_shown.
-- measure / sex / age_group:
--   persons     male|female  00-04 ... 90+   year-end residents (population_structure)
--   population  all   all     year-end residents, F-1 to L (population_dynamics: population, population_prev)
--   births, deaths, moved_in, moved_out  all  all  (population_dynamics; moves across the region's border)
--   residents, residents_linked  all  all  (person_housing_link)
--   children    all   6, 6-11, 12, 12-14   children of those ages at year-end (school_places, observed)
--   unpublished: children of the other single ages of the five-year groups that hold a school age,
--   moved_within (moves between the region's children), residents_unlinked.
WITH years AS (
    SELECT range AS year FROM range(getvariable('first_year'), getvariable('last_year') + 1)
),
regions AS (
    SELECT code AS region_code FROM mart.regions WHERE starts_with(code, getvariable('home_prefix'))
),
by_age AS (
    SELECT region_code, year, sex, age, population, births, deaths, moved_in, moved_out
    FROM temp.population_events
    WHERE starts_with(region_code, getvariable('home_prefix'))
),
structure AS (
    SELECT region_code, year, sex, least(age // 5 * 5, 90) AS age_from, sum(population) AS value
    FROM by_age
    WHERE year BETWEEN getvariable('first_year') AND getvariable('last_year')
    GROUP BY ALL
),
structure_grid AS (
    SELECT r.region_code, y.year, s.sex, g.range AS age_from
    FROM regions AS r
    CROSS JOIN years AS y
    CROSS JOIN (VALUES ('male'), ('female')) AS s(sex)
    CROSS JOIN range(0, 95, 5) AS g
),
flows AS (
    SELECT region_code, year, sum(births) AS births, sum(deaths) AS deaths,
           sum(moved_in) AS moved_in, sum(moved_out) AS moved_out
    FROM by_age
    WHERE year BETWEEN getvariable('first_year') AND getvariable('last_year')
    GROUP BY ALL
),
stock AS (
    SELECT region_code, year, sum(population) AS population
    FROM by_age
    WHERE year BETWEEN getvariable('first_year') - 1 AND getvariable('last_year')
    GROUP BY ALL
),
-- Moves between two children of a region count for both children and not for the region itself, so a
-- region's children's moves in (or out) less its own are the moves inside it.
children_moves AS (
    SELECT rr.parent_code AS region_code, f.year,
           sum(f.moved_in) AS moved_in, sum(f.moved_out) AS moved_out
    FROM flows AS f
    JOIN mart.regions AS rr ON rr.code = f.region_code
    GROUP BY ALL
),
school_ages(age_group, age_lo, age_hi) AS (
    VALUES ('6', 6, 6), ('6-11', 6, 11), ('12', 12, 12), ('12-14', 12, 14)
),
children AS (
    SELECT region_code, year, age, sum(population) AS value
    FROM by_age
    WHERE year BETWEEN getvariable('first_year') AND getvariable('last_year')
    GROUP BY ALL
),
-- Single years of age over the five-year groups that hold a school age: the counts that tie
-- population_structure to school_places. A single age that is a school age group itself is published.
single_ages AS (
    SELECT r.region_code, y.year, a.age,
           a.age IN (SELECT age_lo FROM school_ages WHERE age_lo = age_hi) AS published
    FROM regions AS r
    CROSS JOIN years AS y
    CROSS JOIN (SELECT unnest(range(min(age_lo) // 5 * 5, max(age_hi) // 5 * 5 + 5)) AS age FROM school_ages) AS a
),
-- A person's housing link is their current housing_id; it is applied to every year they were resident.
person_deltas AS (
    SELECT county_code, housing_linked, greatest(year(start_date), getvariable('first_year')) AS year, 1 AS delta
    FROM temp.residence_spells
    WHERE year(start_date) <= getvariable('last_year') AND year(end_date) > greatest(year(start_date), getvariable('first_year'))
    UNION ALL
    SELECT county_code, housing_linked, year(end_date), -1
    FROM temp.residence_spells
    WHERE year(end_date) <= getvariable('last_year') AND year(end_date) > greatest(year(start_date), getvariable('first_year'))
),
residents AS (
    SELECT a.ancestor_code AS region_code, y.year,
           sum(d.delta) AS residents,
           coalesce(sum(d.delta) FILTER (WHERE d.housing_linked), 0) AS residents_linked
    FROM (SELECT county_code, housing_linked, year, sum(delta) AS delta FROM person_deltas GROUP BY ALL) AS d
    JOIN years AS y ON d.year <= y.year
    JOIN mart.region_ancestors AS a ON a.code = d.county_code
    GROUP BY ALL
),
cells(region_code, year, measure, sex, age_group, value, published) AS (
    SELECT g.region_code, g.year, 'persons', g.sex,
           CASE WHEN g.age_from = 90 THEN '90+' ELSE lpad(g.age_from::VARCHAR, 2, '0') || '-' || lpad((g.age_from + 4)::VARCHAR, 2, '0') END,
           coalesce(s.value, 0), true
    FROM structure_grid AS g
    LEFT JOIN structure AS s USING (region_code, year, sex, age_from)
    UNION ALL
    SELECT r.region_code, y.year, 'population', 'all', 'all', coalesce(s.population, 0), true
    FROM regions AS r
    CROSS JOIN (SELECT range AS year FROM range(getvariable('first_year') - 1, getvariable('last_year') + 1)) AS y
    LEFT JOIN stock AS s ON s.region_code = r.region_code AND s.year = y.year
    UNION ALL
    SELECT region_code, year, measure, 'all', 'all', coalesce(value, 0), true
    FROM (
        SELECT r.region_code, y.year, f.births, f.deaths, f.moved_in, f.moved_out,
               p.residents, p.residents_linked
        FROM regions AS r
        CROSS JOIN years AS y
        LEFT JOIN flows AS f ON f.region_code = r.region_code AND f.year = y.year
        LEFT JOIN residents AS p ON p.region_code = r.region_code AND p.year = y.year
    ) UNPIVOT (value FOR measure IN (births, deaths, moved_in, moved_out, residents, residents_linked))
    UNION ALL
    SELECT r.region_code, y.year, 'residents_unlinked', 'all', 'all',
           coalesce(p.residents - p.residents_linked, 0), false
    FROM regions AS r
    CROSS JOIN years AS y
    LEFT JOIN residents AS p ON p.region_code = r.region_code AND p.year = y.year
    UNION ALL
    SELECT c.region_code, c.year, 'moved_within', 'all', 'all', c.moved_in - f.moved_in, false
    FROM children_moves AS c
    JOIN flows AS f USING (region_code, year)
    UNION ALL
    SELECT a.region_code, a.year, 'children', 'all', s.age_group, coalesce(sum(c.value), 0), true
    FROM single_ages AS a
    JOIN school_ages AS s ON a.age BETWEEN s.age_lo AND s.age_hi AND s.age_lo < s.age_hi
    LEFT JOIN children AS c USING (region_code, year, age)
    GROUP BY ALL
    UNION ALL
    SELECT a.region_code, a.year, 'children', 'all', a.age::VARCHAR, coalesce(c.value, 0), a.published
    FROM single_ages AS a
    LEFT JOIN children AS c USING (region_code, year, age)
)
SELECT region_code, year, measure, sex, age_group, value::BIGINT AS value, published
FROM cells
