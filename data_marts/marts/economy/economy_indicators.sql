-- name: economy_indicators
-- theme: economy
-- grain: region_code, indicator, period
-- zh: 宏观经济指标：分地区、指标、期别的累计值、当期值、同比、环比、年度目标与完成进度
-- en: Macro indicators by region, indicator and period: cumulative and current values, year-on-year, period-on-period, targets and completion
-- sharing: 无条件共享
-- owner: 省统计局
-- 当期值 is derived from 累计值 where the bureau publishes only the cumulative figure: January and
-- February are usually published together, so February's current value covers two months
-- (months_covered = 2) and has no period-on-period change.
-- Every value is in its indicator's declared unit (rates in %), so regions compare like with like: ingest
-- converts or quarantines other units, and rows stored in another unit before it did are left out here.
WITH obs AS (
    SELECT
        e.region_code, e.indicator, e.period, e.measure, e.value,
        CASE WHEN e.measure LIKE '%增速' THEN '%' ELSE i.unit END AS unit, e.vintage,
        CASE WHEN length(e.period) = 4 THEN 'A' WHEN e.period LIKE '%-Q%' THEN 'Q' ELSE 'M' END AS freq,
        CAST(left(e.period, 4) AS INTEGER) AS year,
        CASE
            WHEN length(e.period) = 4 THEN 12
            WHEN e.period LIKE '%-Q%' THEN CAST(right(e.period, 1) AS INTEGER) * 3
            ELSE CAST(right(e.period, 2) AS INTEGER)
        END AS month_end
    FROM base.economy AS e
    JOIN mart.indicators AS i ON i.code = e.indicator
    WHERE e.unit IS NULL OR e.unit = CASE WHEN e.measure LIKE '%增速' THEN '%' ELSE i.unit END
),
wide AS (
    SELECT
        region_code, indicator, freq, period, year, month_end,
        max(value) FILTER (WHERE measure = '累计值') AS cumulative_value,
        max(value) FILTER (WHERE measure = '当期值') AS reported_current,
        max(value) FILTER (WHERE measure = '累计增速') AS reported_cumulative_growth,
        max(value) FILTER (WHERE measure = '当期增速') AS reported_current_growth,
        max(unit) FILTER (WHERE measure IN ('累计值', '当期值')) AS unit,
        max(vintage) AS vintage
    FROM obs
    WHERE measure NOT IN ('目标值', '目标增速')
    GROUP BY ALL
),
targets AS (
    SELECT region_code, indicator, year,
           max(value) FILTER (WHERE measure = '目标增速') AS target_growth_pct,
           max(value) FILTER (WHERE measure = '目标值') AS target_value
    FROM obs
    WHERE measure IN ('目标值', '目标增速') AND freq = 'A'
    GROUP BY ALL
),
current AS (
    SELECT
        w.*,
        lag(w.cumulative_value) OVER within_year AS previous_cumulative,
        month_end - coalesce(lag(month_end) OVER within_year, 0) AS months_covered
    FROM wide AS w
    WINDOW within_year AS (PARTITION BY region_code, indicator, freq, year ORDER BY month_end)
),
valued AS (
    SELECT
        *,
        coalesce(
            reported_current,
            CASE WHEN previous_cumulative IS NULL THEN cumulative_value ELSE cumulative_value - previous_cumulative END
        ) AS current_value
    FROM current
),
compared AS (
    SELECT
        v.*,
        ly.cumulative_value AS cumulative_value_last_year,
        ly.current_value AS current_value_last_year,
        lag(v.current_value) OVER chain AS previous_current,
        lag(v.months_covered) OVER chain AS previous_months_covered
    FROM valued AS v
    LEFT JOIN valued AS ly
      ON ly.region_code = v.region_code AND ly.indicator = v.indicator AND ly.freq = v.freq
     AND ly.year = v.year - 1 AND ly.month_end = v.month_end
    WINDOW chain AS (PARTITION BY v.region_code, v.indicator, v.freq ORDER BY v.year, v.month_end)
)
SELECT
    c.region_code,
    r.level AS region_level,
    c.indicator,
    c.freq,
    c.period,
    c.year,
    c.month_end,
    c.months_covered,
    c.cumulative_value,
    c.current_value,
    round(coalesce(
        c.reported_cumulative_growth,
        CASE WHEN c.unit = '上年同月=100' THEN NULL
             WHEN c.cumulative_value_last_year > 0 THEN 100 * (c.cumulative_value / c.cumulative_value_last_year - 1) END
    ), 2) AS yoy_cumulative_pct,
    round(coalesce(
        c.reported_current_growth,
        CASE WHEN c.unit = '上年同月=100' THEN c.current_value - 100
             WHEN c.current_value_last_year > 0 THEN 100 * (c.current_value / c.current_value_last_year - 1) END
    ), 2) AS yoy_current_pct,
    round(CASE
        WHEN c.unit = '上年同月=100' OR c.freq = 'A' THEN NULL
        WHEN c.previous_current > 0 AND c.months_covered = c.previous_months_covered
            THEN 100 * (c.current_value / c.previous_current - 1)
    END, 2) AS mom_pct,
    t.target_growth_pct,
    t.target_value,
    round(CASE WHEN t.target_value > 0 THEN 100 * c.cumulative_value / t.target_value END, 2) AS completion_pct,
    round(100.0 * c.month_end / 12, 2) AS schedule_pct,
    c.unit,
    c.vintage
FROM compared AS c
JOIN mart.regions AS r ON r.code = c.region_code
LEFT JOIN targets AS t ON t.region_code = c.region_code AND t.indicator = c.indicator AND t.year = c.year
