-- name: residence_spells
-- theme: population
-- grain: county_code, person
-- zh: 居住时段（构建过程中的人口级中间表，不发布）
-- en: Residence spells (person-level build helper, never published)
-- sharing: 不予共享
-- owner: 省大数据局
-- materialize: temp
-- A person lives at residence_code from settle_date (or birth) until death or leaving the
-- home region; before a move inside it they lived at origin_code from birth until settle_date.
-- A spell counts at the end of year Y when start_date <= Y-12-31 < end_date. came_from is where an
-- arrival came from (NULL = unknown or outside); went_to is where a move inside the home region went.
SELECT
    p.residence_code AS county_code,
    CASE p.sex WHEN '男' THEN 'male' ELSE 'female' END AS sex,
    year(p.birth_date) AS birth_year,
    coalesce(p.settle_date, p.birth_date) AS start_date,
    least(coalesce(p.death_date, DATE '9999-12-31'), coalesce(p.leave_date, DATE '9999-12-31')) AS end_date,
    CASE WHEN p.settle_date IS NULL THEN 'birth' ELSE 'arrival' END AS start_kind,
    CASE
        WHEN p.death_date IS NOT NULL AND p.death_date <= coalesce(p.leave_date, DATE '9999-12-31') THEN 'death'
        WHEN p.leave_date IS NOT NULL THEN 'leave'
    END AS end_kind,
    -- A previous residence inside the home region that is not a county is unknown: treated as from outside.
    CASE WHEN p.settle_date IS NOT NULL
          AND (NOT starts_with(p.origin_code, getvariable('home_prefix')) OR p.origin_code IN (SELECT code FROM mart.regions WHERE level = 'county'))
         THEN p.origin_code END AS came_from,
    NULL AS went_to,
    h.housing_id IS NOT NULL AS housing_linked
FROM base.population AS p
LEFT JOIN base.housing AS h ON h.housing_id = p.housing_id
WHERE coalesce(p.settle_date, p.birth_date)
      <= least(coalesce(p.death_date, DATE '9999-12-31'), coalesce(p.leave_date, DATE '9999-12-31'))
UNION ALL
SELECT
    p.origin_code,
    CASE p.sex WHEN '男' THEN 'male' ELSE 'female' END,
    year(p.birth_date),
    p.birth_date,
    p.settle_date,
    'birth',
    'move',
    NULL,
    p.residence_code,
    h.housing_id IS NOT NULL
FROM base.population AS p
JOIN mart.regions AS r ON r.code = p.origin_code AND r.level = 'county'
LEFT JOIN base.housing AS h ON h.housing_id = p.housing_id
WHERE p.settle_date IS NOT NULL
  AND p.settle_date <= least(coalesce(p.death_date, DATE '9999-12-31'), coalesce(p.leave_date, DATE '9999-12-31'))
