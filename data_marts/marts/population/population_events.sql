-- name: population_events
-- theme: population
-- grain: region_code, year, sex, age
-- zh: 分地区、年份、性别、单岁年龄（出生队列）的年末常住人口与出生、死亡、迁入、迁出（人口预测的输入，构建过程中的中间表，不发布）
-- en: Year-end residents, births, deaths, moves in and out by region, year, sex and single year of age (the input of the population projection; build helper, never published)
-- sharing: 不予共享
-- owner: 省大数据局
-- materialize: temp
-- Ages are cohort ages: age = year - birth year, the age reached in that year (100 = 100 and over),
-- so each cohort closes exactly: population(year, age) = population(year - 1, age - 1)
-- + births (age 0) - deaths + moved in - moved out, at every level (moves across the region's own
-- border, as in population_dynamics). Stocks are year-ends F-1 to L, events F to L (F, L: the build's first_year and last_year).
WITH spells AS (
    -- One pass over the person-level spells, compressed to classes of identical spells (years
    -- outside F-1 to L and event details outside F to L do not matter here).
    SELECT county_code, sex, birth_year, start_year, end_year,
           CASE WHEN start_year >= getvariable('first_year') THEN start_kind END AS start_kind,
           CASE WHEN end_year <= getvariable('last_year') THEN end_kind END AS end_kind,
           CASE WHEN start_year >= getvariable('first_year') THEN came_from END AS came_from,
           CASE WHEN end_year <= getvariable('last_year') THEN went_to END AS went_to,
           count(*) AS n
    FROM (
        SELECT *, greatest(year(start_date), getvariable('first_year') - 1) AS start_year, least(year(end_date), getvariable('last_year') + 1) AS end_year
        FROM temp.residence_spells
    )
    GROUP BY ALL
),
deltas AS (
    -- +1 at the first year-end a spell counts, -1 at the first year-end it no longer does.
    SELECT county_code, sex, birth_year, start_year AS year, sum(n) AS delta
    FROM spells
    WHERE start_year <= getvariable('last_year') AND end_year > start_year
    GROUP BY ALL
    UNION ALL
    SELECT county_code, sex, birth_year, end_year, -sum(n)
    FROM spells
    WHERE end_year <= getvariable('last_year') AND end_year > start_year
    GROUP BY ALL
),
county_stock AS (
    SELECT d.county_code, d.sex, d.birth_year, y.year, sum(d.delta) AS persons
    FROM deltas AS d
    JOIN (SELECT range AS year FROM range(getvariable('first_year') - 1, getvariable('last_year') + 1)) AS y ON d.year <= y.year
    GROUP BY ALL
),
stock AS (
    SELECT a.ancestor_code AS region_code, s.year, s.sex, least(s.year - s.birth_year, 100) AS age,
           sum(s.persons)::BIGINT AS population
    FROM county_stock AS s
    JOIN mart.region_ancestors AS a ON a.code = s.county_code
    GROUP BY ALL
),
events AS (
    SELECT county_code, sex, birth_year, start_year AS year, start_kind AS kind, came_from AS other_code, n
    FROM spells
    WHERE start_year BETWEEN getvariable('first_year') AND getvariable('last_year')
    UNION ALL
    SELECT county_code, sex, birth_year, end_year, end_kind, went_to, n
    FROM spells
    WHERE end_kind IS NOT NULL AND end_year BETWEEN getvariable('first_year') AND getvariable('last_year')
),
flows AS (
    SELECT
        a.ancestor_code AS region_code, e.year, e.sex, least(e.year - e.birth_year, 100) AS age,
        coalesce(sum(e.n) FILTER (WHERE e.kind = 'birth'), 0)::BIGINT AS births,
        coalesce(sum(e.n) FILTER (WHERE e.kind = 'death'), 0)::BIGINT AS deaths,
        coalesce(sum(e.n) FILTER (WHERE e.kind = 'arrival' AND o.code IS NULL), 0)::BIGINT AS moved_in,
        coalesce(sum(e.n) FILTER (WHERE e.kind IN ('leave', 'move') AND o.code IS NULL), 0)::BIGINT AS moved_out
    FROM events AS e
    JOIN mart.region_ancestors AS a ON a.code = e.county_code
    LEFT JOIN mart.region_ancestors AS o ON o.code = e.other_code AND o.ancestor_code = a.ancestor_code
    GROUP BY ALL
)
SELECT
    region_code, r.level AS region_level, year, sex, age,
    coalesce(s.population, 0) AS population,
    coalesce(f.births, 0) AS births,
    coalesce(f.deaths, 0) AS deaths,
    coalesce(f.moved_in, 0) AS moved_in,
    coalesce(f.moved_out, 0) AS moved_out
FROM stock AS s
FULL JOIN flows AS f USING (region_code, year, sex, age)
JOIN mart.regions AS r ON r.code = region_code
