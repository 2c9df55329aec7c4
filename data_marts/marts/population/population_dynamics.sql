-- name: population_dynamics
-- theme: population
-- grain: region_code, year
-- zh: 人口变动：分地区、年份的出生、死亡、迁入、迁出与年末常住人口（不足k人的单元格不公开）
-- en: Births, deaths, moves in and out, and year-end residents by region and year (cells under k suppressed)
-- sharing: 无条件共享
-- owner: 省大数据局
-- k_columns: births, deaths, moved_in, moved_out, population, population_prev
-- Moves are counted at each level across that region's border only: a move between two counties
-- of one prefecture is a move for both counties but not for the prefecture, so that at every level
-- population = previous year-end + births - deaths + moved in - moved out.
WITH years AS (
    SELECT range AS year FROM range(2014, 2025)
),
events AS (
    SELECT county_code, year(start_date) AS year, start_kind AS kind, came_from AS other_code FROM temp.residence_spells
    UNION ALL
    SELECT county_code, year(end_date), end_kind, went_to FROM temp.residence_spells WHERE end_kind IS NOT NULL
),
flows AS (
    SELECT
        a.ancestor_code AS region_code,
        e.year,
        count(*) FILTER (WHERE e.kind = 'birth') AS births,
        count(*) FILTER (WHERE e.kind = 'death') AS deaths,
        count(*) FILTER (WHERE e.kind = 'arrival' AND o.code IS NULL) AS moved_in,
        count(*) FILTER (WHERE e.kind IN ('leave', 'move') AND o.code IS NULL) AS moved_out
    FROM events AS e
    JOIN mart.region_ancestors AS a ON a.code = e.county_code
    LEFT JOIN mart.region_ancestors AS o ON o.code = e.other_code AND o.ancestor_code = a.ancestor_code
    WHERE e.year BETWEEN 2015 AND 2024
    GROUP BY ALL
),
stock_deltas AS (
    SELECT county_code, greatest(year(start_date), 2014) AS year, 1 AS delta
    FROM temp.residence_spells
    WHERE year(start_date) <= 2024 AND year(end_date) > greatest(year(start_date), 2014)
    UNION ALL
    SELECT county_code, year(end_date), -1
    FROM temp.residence_spells
    WHERE year(end_date) <= 2024 AND year(end_date) > greatest(year(start_date), 2014)
),
stock AS (
    SELECT a.ancestor_code AS region_code, y.year, sum(d.delta)::BIGINT AS population
    FROM (SELECT county_code, year, sum(delta) AS delta FROM stock_deltas GROUP BY ALL) AS d
    JOIN years AS y ON d.year <= y.year
    JOIN mart.region_ancestors AS a ON a.code = d.county_code
    GROUP BY ALL
),
joined AS (
    SELECT
        r.code AS region_code, r.level AS region_level, y.year,
        coalesce(f.births, 0) AS births, coalesce(f.deaths, 0) AS deaths,
        coalesce(f.moved_in, 0) AS moved_in, coalesce(f.moved_out, 0) AS moved_out,
        coalesce(s.population, 0) AS population, coalesce(p.population, 0) AS population_prev
    FROM mart.regions AS r
    CROSS JOIN (SELECT range AS year FROM range(2015, 2025)) AS y
    LEFT JOIN flows AS f ON f.region_code = r.code AND f.year = y.year
    LEFT JOIN stock AS s ON s.region_code = r.code AND s.year = y.year
    LEFT JOIN stock AS p ON p.region_code = r.code AND p.year = y.year - 1
    WHERE r.code LIKE '52%'
)
SELECT
    region_code, region_level, year,
    CASE WHEN births >= coalesce(getvariable('k_min'), 10) THEN births END AS births,
    CASE WHEN deaths >= coalesce(getvariable('k_min'), 10) THEN deaths END AS deaths,
    CASE WHEN moved_in >= coalesce(getvariable('k_min'), 10) THEN moved_in END AS moved_in,
    CASE WHEN moved_out >= coalesce(getvariable('k_min'), 10) THEN moved_out END AS moved_out,
    CASE WHEN moved_in >= coalesce(getvariable('k_min'), 10) AND moved_out >= coalesce(getvariable('k_min'), 10)
         THEN moved_in - moved_out END AS net_moves,
    CASE WHEN population >= coalesce(getvariable('k_min'), 10) THEN population END AS population,
    CASE WHEN population_prev >= coalesce(getvariable('k_min'), 10) THEN population_prev END AS population_prev,
    CASE WHEN population_prev >= coalesce(getvariable('k_min'), 10) AND births >= coalesce(getvariable('k_min'), 10)
         THEN round(1000.0 * births / ((population + population_prev) / 2.0), 2) END AS birth_rate_permille,
    CASE WHEN population_prev >= coalesce(getvariable('k_min'), 10) AND deaths >= coalesce(getvariable('k_min'), 10)
         THEN round(1000.0 * deaths / ((population + population_prev) / 2.0), 2) END AS death_rate_permille
FROM joined
