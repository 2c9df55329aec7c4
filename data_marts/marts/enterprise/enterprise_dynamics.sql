-- name: enterprise_dynamics
-- theme: enterprise
-- grain: region_code, industry_section, month
-- zh: 法人单位变动：分地区、行业门类、月份的新设、注销与月末存续数
-- en: Legal entities by region, industry section and month: new, cancelled and month-end stock
-- sharing: 无条件共享
-- owner: 省大数据局
WITH months AS (
    SELECT CAST(range AS DATE) AS month FROM range(make_date(getvariable('first_year'), 1, 1), make_date(getvariable('last_year') + 1, 1, 1), INTERVAL 1 MONTH)
),
sections AS (
    SELECT DISTINCT industry_section FROM base.legal_entities
),
deltas AS (
    -- Entities set up before the first year of the history window enter the stock in its January.
    SELECT region_code, industry_section,
           greatest(date_trunc('month', established_date), make_date(getvariable('first_year'), 1, 1)) AS month, 1 AS delta,
           CASE WHEN established_date >= make_date(getvariable('first_year'), 1, 1) THEN 1 ELSE 0 END AS is_new, 0 AS is_cancelled
    FROM base.legal_entities
    WHERE established_date < make_date(getvariable('last_year') + 1, 1, 1)
      AND coalesce(cancelled_date, DATE '9999-12-31') >= make_date(getvariable('first_year'), 1, 1)
    UNION ALL
    SELECT region_code, industry_section, date_trunc('month', cancelled_date), -1, 0, 1
    FROM base.legal_entities
    WHERE cancelled_date >= make_date(getvariable('first_year'), 1, 1) AND cancelled_date < make_date(getvariable('last_year') + 1, 1, 1)
      AND cancelled_date >= established_date
),
county_month AS (
    SELECT region_code, industry_section, month,
           sum(delta) AS delta, sum(is_new) AS new_entities, sum(is_cancelled) AS cancelled_entities
    FROM deltas GROUP BY ALL
),
rolled AS (
    SELECT a.ancestor_code AS region_code, c.industry_section, c.month,
           sum(c.delta)::BIGINT AS delta, sum(c.new_entities)::BIGINT AS new_entities,
           sum(c.cancelled_entities)::BIGINT AS cancelled_entities
    FROM county_month AS c
    JOIN mart.region_ancestors AS a ON a.code = c.region_code
    GROUP BY ALL
),
grid AS (
    SELECT r.code AS region_code, r.level AS region_level, s.industry_section, m.month
    FROM mart.regions AS r CROSS JOIN sections AS s CROSS JOIN months AS m
    WHERE starts_with(r.code, getvariable('home_prefix'))
)
SELECT
    g.region_code,
    g.region_level,
    g.industry_section,
    g.month,
    coalesce(r.new_entities, 0) AS new_entities,
    coalesce(r.cancelled_entities, 0) AS cancelled_entities,
    (sum(coalesce(r.delta, 0)) OVER (PARTITION BY g.region_code, g.industry_section ORDER BY g.month))::BIGINT AS stock
FROM grid AS g
LEFT JOIN rolled AS r USING (region_code, industry_section, month)
