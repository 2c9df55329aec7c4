-- name: person_count_relations
-- theme: population
-- grain: relation, region_code, year, measure, sex, age_group
-- zh: 人数单元格之间的线性关系（层级合计、性别年龄合计、人口平衡式、跨专题同一人数），披露控制据此做补充隐藏和审计（构建过程中的中间表，不发布）
-- en: The linear relations between the person counts (region hierarchy, sex and age totals, the population balance, one count in two marts) that disclosure control protects against (build helper, never published)
-- sharing: 不予共享
-- owner: 省大数据局
-- materialize: temp
-- One row per cell of a relation: the sum of coef * value over a relation's rows is 0, and the
-- disclosure step checks that it is, on the data, before relying on it. These are what someone who
-- reads every mart knows besides the published values: parent = sum of children, total = sum of its
-- parts, and the same count seen in two places.
WITH cells AS (
    SELECT c.*, r.parent_code,
           CASE WHEN c.age_group LIKE '%-%' THEN split_part(c.age_group, '-', 1)::INTEGER END AS age_lo,
           CASE WHEN c.age_group LIKE '%-%' THEN split_part(c.age_group, '-', 2)::INTEGER END AS age_hi
    FROM temp.person_counts AS c
    JOIN mart.regions AS r ON r.code = c.region_code
),
single_ages AS (
    SELECT region_code, year, age_group::INTEGER AS age
    FROM cells
    WHERE measure = 'children' AND age_group NOT LIKE '%-%'
),
age_ranges AS (
    -- Ranges (five-year groups of both sexes, school ages) whose every single age is a cell.
    SELECT DISTINCT c.region_code, c.year, c.measure, c.age_group, c.age_lo, c.age_hi
    FROM cells AS c
    WHERE c.age_lo IS NOT NULL
      AND (SELECT count(*) FROM single_ages AS s
           WHERE s.region_code = c.region_code AND s.year = c.year AND s.age BETWEEN c.age_lo AND c.age_hi)
          = c.age_hi - c.age_lo + 1
),
keyed(relation, region_code, year, measure, sex, age_group, coef) AS (
    -- A region's count is the sum of its children's (moves are counted across each region's own border: below).
    SELECT concat_ws('|', 'sum', p.region_code, p.year, p.measure, p.sex, p.age_group),
           p.region_code, p.year, p.measure, p.sex, p.age_group, 1
    FROM cells AS p
    WHERE p.measure NOT IN ('moved_in', 'moved_out', 'moved_within')
      AND EXISTS (SELECT 1 FROM cells AS c WHERE c.parent_code = p.region_code)
    UNION ALL
    SELECT concat_ws('|', 'sum', p.region_code, p.year, p.measure, p.sex, p.age_group),
           c.region_code, c.year, c.measure, c.sex, c.age_group, -1
    FROM cells AS p
    JOIN cells AS c ON c.parent_code = p.region_code AND c.year = p.year AND c.measure = p.measure
                   AND c.sex = p.sex AND c.age_group = p.age_group
    WHERE p.measure NOT IN ('moved_in', 'moved_out', 'moved_within')
    UNION ALL
    -- Children's moves in (out) = the region's own + the moves between its children (moved_within).
    SELECT concat_ws('|', m.measure, w.region_code, w.year), w.region_code, w.year, w.measure, 'all', 'all', -1
    FROM cells AS w CROSS JOIN (VALUES ('moved_in'), ('moved_out')) AS m(measure)
    WHERE w.measure = 'moved_within'
    UNION ALL
    SELECT concat_ws('|', p.measure, p.region_code, p.year), p.region_code, p.year, p.measure, 'all', 'all', -1
    FROM cells AS p
    JOIN cells AS w ON w.measure = 'moved_within' AND w.region_code = p.region_code AND w.year = p.year
    WHERE p.measure IN ('moved_in', 'moved_out')
    UNION ALL
    SELECT concat_ws('|', c.measure, c.parent_code, c.year), c.region_code, c.year, c.measure, 'all', 'all', 1
    FROM cells AS c
    JOIN cells AS w ON w.measure = 'moved_within' AND w.region_code = c.parent_code AND w.year = c.year
    WHERE c.measure IN ('moved_in', 'moved_out')
    UNION ALL
    -- Residents by sex and five-year age group add up to the region's residents.
    SELECT concat_ws('|', 'structure', region_code, year), region_code, year, measure, sex, age_group, 1
    FROM cells
    WHERE measure = 'persons'
    UNION ALL
    SELECT concat_ws('|', 'structure', region_code, year), region_code, year, measure, sex, age_group, -1
    FROM cells
    WHERE measure = 'population' AND year IN (SELECT year FROM cells WHERE measure = 'persons')
    UNION ALL
    -- The balance: population = previous year-end + births - deaths + moved in - moved out.
    SELECT concat_ws('|', 'balance', c.region_code, f.year), c.region_code, c.year, c.measure, c.sex, c.age_group,
           CASE WHEN c.measure = 'population' AND c.year = f.year THEN 1
                WHEN c.measure = 'population' THEN -1
                WHEN c.measure IN ('births', 'moved_in') THEN -1
                ELSE 1 END
    FROM (SELECT DISTINCT region_code, year FROM cells WHERE measure = 'births') AS f
    JOIN cells AS c ON c.region_code = f.region_code
                   AND ((c.measure = 'population' AND c.year IN (f.year, f.year - 1))
                        OR (c.measure IN ('births', 'deaths', 'moved_in', 'moved_out') AND c.year = f.year))
    UNION ALL
    -- The housing link counts the same residents; linked + not linked = residents.
    SELECT concat_ws('|', 'residents', region_code, year), region_code, year, measure, sex, age_group,
           CASE measure WHEN 'residents' THEN 1 ELSE -1 END
    FROM cells
    WHERE measure = 'population' AND year IN (SELECT year FROM cells WHERE measure = 'residents')
       OR measure = 'residents'
    UNION ALL
    SELECT concat_ws('|', 'linked', region_code, year), region_code, year, measure, sex, age_group,
           CASE measure WHEN 'residents' THEN 1 ELSE -1 END
    FROM cells
    WHERE measure IN ('residents', 'residents_linked', 'residents_unlinked')
    UNION ALL
    -- An age range (both sexes) is the sum of its single years of age.
    SELECT concat_ws('|', 'ages', c.region_code, c.year, c.measure, c.age_group),
           c.region_code, c.year, c.measure, c.sex, c.age_group, 1
    FROM cells AS c
    JOIN age_ranges AS r USING (region_code, year, measure, age_group)
    UNION ALL
    SELECT concat_ws('|', 'ages', r.region_code, r.year, r.measure, r.age_group),
           s.region_code, s.year, 'children', 'all', s.age::VARCHAR, -1
    FROM age_ranges AS r
    JOIN single_ages AS s ON s.region_code = r.region_code AND s.year = r.year AND s.age BETWEEN r.age_lo AND r.age_hi
)
SELECT relation, region_code, year, measure, sex, age_group, coef::INTEGER AS coef
FROM keyed
