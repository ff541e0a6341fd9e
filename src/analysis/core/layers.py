"""The derived map layers in ``data/geo``: reading one, and simplifying shared borders.

The layers are derived offline by :mod:`atlas_dev.geo`; the site reads them here, and the
static maps simplify them further with the same topology-preserving rule.
"""

from __future__ import annotations

import geopandas as gpd
import topojson

from analysis.core.paths import data_dir


def read_layer(name: str) -> gpd.GeoDataFrame:
    """Read a derived web layer from ``data/geo`` (see :mod:`atlas_dev.geo`)."""
    path = data_dir() / "geo" / f"{name}.geojson"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `python -m atlas_dev.geo`")
    return gpd.read_file(path)


def simplify_topology(gdf: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    """Simplify polygons with ``topojson`` so shared borders stay shared.

    The layer is converted to a topology (each shared border becomes one arc), every
    arc is simplified once with Douglas-Peucker at ``tolerance`` (in CRS units,
    degrees here) and the polygons are rebuilt, so neighbours share identical borders:
    no slivers, no gaps. Arcs are simplified independently, so at coarse tolerances two
    arcs can cross; ``derive`` rejects the invalid rings that would result. Rings never
    collapse below a triangle (``prevent_oversimplify``), so small islands stay.
    Returns a copy of ``gdf`` with the geometry column replaced, rows in input order.
    """
    topo = topojson.Topology(
        gdf[["geometry"]], prequantize=False, toposimplify=tolerance, prevent_oversimplify=True
    )
    simplified = topo.to_gdf()
    out = gdf.copy()
    out["geometry"] = simplified.geometry.to_numpy()
    return out
