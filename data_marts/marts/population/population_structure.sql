-- name: population_structure
-- theme: population
-- grain: region_code, year, sex, age_group
-- zh: 年末常住人口结构：分地区、年份、性别、五岁年龄组（不足k人的单元格及可据以推算出它们的单元格不公开）
-- en: Year-end residents by region, year, sex and five-year age group (cells under k, and the cells that would give them back, withheld)
-- sharing: 无条件共享
-- owner: 省大数据局
-- k_columns: persons
-- Counted in temp.person_counts (from temp.population_events, which the population projection reads
-- too) and withheld as the disclosure step decides (temp.person_counts_shown, docs/disclosure.md).
SELECT
    c.region_code,
    r.level AS region_level,
    c.year,
    c.sex,
    c.age_group,
    rtrim(split_part(c.age_group, '-', 1), '+')::BIGINT AS age_from,
    c.value AS persons,
    c.suppressed
FROM temp.person_counts_shown AS c
JOIN mart.regions AS r ON r.code = c.region_code
WHERE c.measure = 'persons'
