-- name: enterprise_survival
-- theme: enterprise
-- grain: region_code, cohort_year, years_since
-- zh: 法人存活：分地区、设立年份的法人在设立满N年时仍存续的比例
-- en: Legal-entity survival by region and year of set-up: share still active N years after set-up
-- sharing: 无条件共享
-- owner: 省大数据局
-- An entity survives N years when it is not cancelled by the N-th anniversary of its set-up date.
-- Only complete observations are published: every entity of cohort Y has reached its N-th
-- anniversary by the end of the last year of data (L), so years_since runs from 1 to L - Y. Cohorts start
-- with the first year of the history window (F, the build's first_year) because
-- the register holds older entities only if they were still active then (earlier cohorts would look
-- immortal). Cancelled-before-set-up rows are left out, as in enterprise_dynamics.
WITH cohorts AS (
    SELECT region_code, year(established_date) AS cohort_year, established_date, cancelled_date
    FROM base.legal_entities
    WHERE established_date >= make_date(getvariable('first_year'), 1, 1) AND established_date < make_date(getvariable('last_year'), 1, 1)
      AND coalesce(cancelled_date, DATE '9999-12-31') >= established_date
),
spans AS (
    SELECT c.range AS cohort_year, n.range AS years_since
    FROM range(getvariable('first_year'), getvariable('last_year')) AS c CROSS JOIN range(1, getvariable('last_year') - getvariable('first_year') + 1) AS n
    WHERE c.range + n.range <= getvariable('last_year')
),
county AS (
    SELECT c.region_code, s.cohort_year, s.years_since,
           count(*) AS cohort_entities,
           count(*) FILTER (WHERE coalesce(c.cancelled_date, DATE '9999-12-31')
                                  > c.established_date + to_years(s.years_since::INTEGER)) AS surviving_entities
    FROM cohorts AS c
    JOIN spans AS s ON s.cohort_year = c.cohort_year
    GROUP BY ALL
),
rolled AS (
    SELECT a.ancestor_code AS region_code, c.cohort_year, c.years_since,
           sum(c.cohort_entities)::BIGINT AS cohort_entities,
           sum(c.surviving_entities)::BIGINT AS surviving_entities
    FROM county AS c
    JOIN mart.region_ancestors AS a ON a.code = c.region_code
    GROUP BY ALL
)
SELECT
    r.code AS region_code,
    r.level AS region_level,
    s.cohort_year,
    s.years_since,
    coalesce(o.cohort_entities, 0)::BIGINT AS cohort_entities,
    coalesce(o.surviving_entities, 0)::BIGINT AS surviving_entities,
    round(o.surviving_entities / nullif(o.cohort_entities, 0), 4) AS survival_rate
FROM mart.regions AS r
CROSS JOIN spans AS s
LEFT JOIN rolled AS o ON o.region_code = r.code AND o.cohort_year = s.cohort_year AND o.years_since = s.years_since
WHERE starts_with(r.code, getvariable('home_prefix'))
