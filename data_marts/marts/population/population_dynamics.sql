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
-- Counted once, by cohort, in temp.population_events (which the population projection reads too).
WITH totals AS (
    SELECT region_code, year,
           sum(births)::BIGINT AS births, sum(deaths)::BIGINT AS deaths,
           sum(moved_in)::BIGINT AS moved_in, sum(moved_out)::BIGINT AS moved_out,
           sum(population)::BIGINT AS population
    FROM temp.population_events
    GROUP BY ALL
),
joined AS (
    SELECT
        r.code AS region_code, r.level AS region_level, y.year,
        coalesce(f.births, 0) AS births, coalesce(f.deaths, 0) AS deaths,
        coalesce(f.moved_in, 0) AS moved_in, coalesce(f.moved_out, 0) AS moved_out,
        coalesce(f.population, 0) AS population, coalesce(p.population, 0) AS population_prev
    FROM mart.regions AS r
    CROSS JOIN (SELECT range AS year FROM range(2015, 2025)) AS y
    LEFT JOIN totals AS f ON f.region_code = r.code AND f.year = y.year
    LEFT JOIN totals AS p ON p.region_code = r.code AND p.year = y.year - 1
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
