-- name: quality_alerts
-- theme: overview
-- grain: department, table_name, rule, column_name
-- zh: 数据质量预警：各部门、各基础库表、各检查规则在最近一次入库中的问题行数与问题率
-- en: Data-quality alerts: failed rows and failure rate per department, base table and rule in the latest loads
-- sharing: 有条件共享
-- owner: 省大数据局
-- The latest load of each source file counts (loading a file again supersedes its earlier result), as in
-- `cockpit check`. Set-level checks (links, timeliness) are appended to meta.quality after the marts are
-- built, so they show on the status page, not here. region_code is the home region: its big-data bureau owns
-- these alerts. No example values: they can quote an ID number.
WITH latest AS (
    SELECT max(load_id) AS load_id FROM meta.load_log GROUP BY source_file
)
SELECT
    getvariable('home_code') AS region_code,
    coalesce(q.department, q.library) AS department,
    q.table_name,
    q.rule,
    coalesce(q.column_name, '') AS column_name,
    sum(q.rows_checked)::BIGINT AS rows_checked,
    sum(q.rows_failed)::BIGINT AS rows_failed,
    round(100.0 * sum(q.rows_failed) / nullif(sum(q.rows_checked), 0), 3)::DOUBLE AS failure_pct,
    max(l.loaded_at) AS loaded_at
FROM meta.quality AS q
JOIN latest USING (load_id)
JOIN meta.load_log AS l USING (load_id)
GROUP BY ALL
