-- name: housing_grid
-- theme: housing
-- grain: region_code, grid_id
-- zh: 房屋网格分布：分地区、约1公里网格的房屋套数、面积与空置套数（只给网格中心，不含单套坐标）
-- en: Housing by region and ~1 km grid cell: units, floor area and vacant units at the cell centre (no unit coordinates)
-- sharing: 无条件共享
-- owner: 省大数据局
-- The housing library shares exact coordinates only with departments that need them and grid
-- aggregates with everyone. A cell's centre is that of the 0.01° square its units lie in, never an
-- average of unit coordinates, so a cell holding a single unit does not give its position away.
-- A unit without a grid_id is put in the 0.01° square of its coordinates. Cells follow the grid,
-- not county borders: a cell on a border is one row for each county, and one for their prefecture.
WITH units AS (
    SELECT
        county_code,
        coalesce(grid_id, 'xy' || floor(lat * 100)::BIGINT || '_' || floor(lon * 100)::BIGINT) AS grid_id,
        floor(lon * 100) / 100 + 0.005 AS cell_lon,
        floor(lat * 100) / 100 + 0.005 AS cell_lat,
        floor_area,
        occupancy
    FROM base.housing
)
SELECT
    a.ancestor_code AS region_code,
    r.level AS region_level,
    u.grid_id,
    round(avg(u.cell_lon), 3) AS cell_lon,
    round(avg(u.cell_lat), 3) AS cell_lat,
    count(*) AS units,
    round(sum(u.floor_area), 1) AS floor_area_m2,
    count(*) FILTER (WHERE u.occupancy = '空置') AS vacant_units
FROM units AS u
JOIN mart.region_ancestors AS a ON a.code = u.county_code
JOIN mart.regions AS r ON r.code = a.ancestor_code
WHERE starts_with(a.ancestor_code, getvariable('home_prefix'))  -- the home region and below, not its province
GROUP BY ALL
