-- name: person_counts_shown
-- theme: population
-- grain: region_code, year, measure, sex, age_group
-- zh: 各专题可公开的人数：隐藏的单元格为空（构建过程中的中间表，各人口专题由此取数，本表不发布）
-- en: The person counts the marts show: NULL where withheld (build helper the population marts read, never published)
-- sharing: 不予共享
-- owner: 省大数据局
-- materialize: temp
-- The one place where a count meets its suppression decision (temp.person_count_suppression, made by
-- data_marts/disclosure/step.py; docs/disclosure.md). Only published counts have a decision.
SELECT
    c.region_code, c.year, c.measure, c.sex, c.age_group,
    CASE WHEN NOT s.suppressed THEN c.value END AS value,
    s.suppressed
FROM temp.person_counts AS c
JOIN temp.person_count_suppression AS s USING (region_code, year, measure, sex, age_group)
