-- name: population_dynamics
-- theme: population
-- grain: region_code, year
-- zh: 人口变动：分地区、年份的出生、死亡、迁入、迁出与年末常住人口（不足k人的单元格及可据以推算出它们的单元格不公开）
-- en: Births, deaths, moves in and out, and year-end residents by region and year (cells under k, and the cells that would give them back, withheld)
-- sharing: 无条件共享
-- owner: 省大数据局
-- k_columns: births, deaths, moved_in, moved_out, population, population_prev
-- Moves are counted at each level across that region's border only: a move between two counties
-- of one prefecture is a move for both counties but not for the prefecture, so that at every level
-- population = previous year-end + births - deaths + moved in - moved out.
-- Counted and withheld with the other person counts (temp.person_counts_shown, docs/disclosure.md);
-- a figure computed from counts (net moves, rates) is withheld when any of its counts is.
WITH shown AS (
    SELECT region_code, year,
           max(value) FILTER (WHERE measure = 'births') AS births,
           max(value) FILTER (WHERE measure = 'deaths') AS deaths,
           max(value) FILTER (WHERE measure = 'moved_in') AS moved_in,
           max(value) FILTER (WHERE measure = 'moved_out') AS moved_out,
           max(value) FILTER (WHERE measure = 'population') AS population,
           bool_or(measure = 'births') AS has_events
    FROM temp.person_counts_shown
    WHERE measure IN ('births', 'deaths', 'moved_in', 'moved_out', 'population')
    GROUP BY ALL
)
SELECT
    d.region_code,
    r.level AS region_level,
    d.year,
    d.births,
    d.deaths,
    d.moved_in,
    d.moved_out,
    d.moved_in - d.moved_out AS net_moves,
    d.population,
    p.population AS population_prev,
    round(1000.0 * d.births / ((d.population + p.population) / 2.0), 2) AS birth_rate_permille,
    round(1000.0 * d.deaths / ((d.population + p.population) / 2.0), 2) AS death_rate_permille
FROM shown AS d
JOIN shown AS p ON p.region_code = d.region_code AND p.year = d.year - 1
JOIN mart.regions AS r ON r.code = d.region_code
WHERE d.has_events
