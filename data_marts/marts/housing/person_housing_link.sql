-- name: person_housing_link
-- theme: housing
-- grain: region_code, year
-- zh: 人房、企房关联率：年末常住人口和存续法人中能关联到房屋基础库的比例
-- en: Share of year-end residents and active legal entities linked to a housing unit, by region and year
-- sharing: 无条件共享
-- owner: 省大数据局
-- k_columns: residents, residents_linked
-- A person's link is their current housing_id; it is applied to every year they were resident.
WITH years AS (
    SELECT range AS year FROM range(getvariable('first_year'), getvariable('last_year') + 1)
),
persons AS (
    -- Counted and withheld with the other person counts (temp.person_counts_shown, docs/disclosure.md).
    SELECT region_code, year,
           max(value) FILTER (WHERE measure = 'residents') AS residents,
           max(value) FILTER (WHERE measure = 'residents_linked') AS residents_linked
    FROM temp.person_counts_shown
    WHERE measure IN ('residents', 'residents_linked')
    GROUP BY ALL
),
entities AS (
    SELECT a.ancestor_code AS region_code, y.year,
           count(*) AS entities_active,
           count(h.housing_id) AS entities_linked
    FROM base.legal_entities AS e
    JOIN years AS y
      ON e.established_date <= make_date(y.year::INTEGER, 12, 31)
     AND coalesce(e.cancelled_date, DATE '9999-12-31') > make_date(y.year::INTEGER, 12, 31)
    LEFT JOIN base.housing AS h ON h.housing_id = e.housing_id
    JOIN mart.region_ancestors AS a ON a.code = e.region_code
    GROUP BY ALL
)
SELECT
    r.code AS region_code,
    r.level AS region_level,
    y.year,
    p.residents,
    p.residents_linked,
    -- Withheld with either count: a rate and the residents would give the linked residents back.
    round(p.residents_linked / p.residents, 4) AS residents_link_rate,
    coalesce(e.entities_active, 0) AS entities_active,
    coalesce(e.entities_linked, 0) AS entities_linked,
    CASE WHEN e.entities_active > 0 THEN round(e.entities_linked / e.entities_active, 4) END AS entities_link_rate
FROM mart.regions AS r
CROSS JOIN years AS y
LEFT JOIN persons AS p ON p.region_code = r.code AND p.year = y.year
LEFT JOIN entities AS e ON e.region_code = r.code AND e.year = y.year
WHERE starts_with(r.code, getvariable('home_prefix'))
