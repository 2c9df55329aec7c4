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
    SELECT range AS year FROM range(2015, 2025)
),
person_deltas AS (
    SELECT county_code, housing_linked, greatest(year(start_date), 2015) AS year, 1 AS delta
    FROM temp.residence_spells
    WHERE year(start_date) <= 2024 AND year(end_date) > greatest(year(start_date), 2015)
    UNION ALL
    SELECT county_code, housing_linked, year(end_date), -1
    FROM temp.residence_spells
    WHERE year(end_date) <= 2024 AND year(end_date) > greatest(year(start_date), 2015)
),
persons AS (
    SELECT a.ancestor_code AS region_code, y.year,
           sum(d.delta)::BIGINT AS residents,
           (sum(d.delta) FILTER (WHERE d.housing_linked))::BIGINT AS residents_linked
    FROM (SELECT county_code, housing_linked, year, sum(delta) AS delta FROM person_deltas GROUP BY ALL) AS d
    JOIN years AS y ON d.year <= y.year
    JOIN mart.region_ancestors AS a ON a.code = d.county_code
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
    CASE WHEN coalesce(p.residents, 0) >= coalesce(getvariable('k_min'), 10) THEN p.residents END AS residents,
    CASE WHEN coalesce(p.residents_linked, 0) >= coalesce(getvariable('k_min'), 10) THEN p.residents_linked END AS residents_linked,
    CASE WHEN coalesce(p.residents, 0) >= coalesce(getvariable('k_min'), 10)
         THEN round(coalesce(p.residents_linked, 0) / p.residents, 4) END AS residents_link_rate,
    coalesce(e.entities_active, 0) AS entities_active,
    coalesce(e.entities_linked, 0) AS entities_linked,
    CASE WHEN e.entities_active > 0 THEN round(e.entities_linked / e.entities_active, 4) END AS entities_link_rate
FROM mart.regions AS r
CROSS JOIN years AS y
LEFT JOIN persons AS p ON p.region_code = r.code AND p.year = y.year
LEFT JOIN entities AS e ON e.region_code = r.code AND e.year = y.year
WHERE r.code LIKE '52%'
