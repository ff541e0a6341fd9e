"""Check the GeoJSON layers in ``data/geo`` before any map is drawn.

The county layer must hold exactly the nine current county-level divisions of ``areas.csv``
(codes and Chinese names), each a valid polygon (no self-crossing ring, no empty shell) whose
equal-area size stays within the tolerance recorded in ``geo/derivation.json`` of the size
recorded there; the city outline must be one valid polygon of the counties' total size.
Every problem is one Chinese line in :class:`analysis.core.validate.Problem` form.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyproj
import shapely
import shapely.geometry
import shapely.validation

from analysis.core.reference import TAIZHOU
from analysis.core.validate import Problem

COUNTIES = "geo/taizhou_counties.geojson"
OUTLINE = "geo/taizhou_outline.geojson"
DERIVATION = "geo/derivation.json"
CITY = TAIZHOU
REDERIVE = "请运行 make geo 重新生成边界，或从项目仓库恢复这个文件"


class GeoProblem(Exception):
    """A layer that cannot be checked further; carries its one problem."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def read_json(root: Path, rel: str) -> dict:
    """Parse one JSON file, turning a missing, undecodable or broken file into a GeoProblem."""
    path = root / rel
    if not path.exists():
        raise GeoProblem(Problem(rel, None, None, "文件不存在", REDERIVE))
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise GeoProblem(Problem(rel, None, None, "文件不是 UTF-8 编码", REDERIVE)) from None
    except json.JSONDecodeError as err:
        raise GeoProblem(
            Problem(
                rel,
                err.lineno,
                None,
                f"JSON 格式错误（第 {err.lineno} 行第 {err.colno} 个字符），文件可能被截断或改坏",
                REDERIVE,
            )
        ) from None


def features(rel: str, layer: object) -> list[dict]:
    """Return a FeatureCollection's features, or raise a GeoProblem naming what is missing."""
    if (
        not isinstance(layer, dict)
        or layer.get("type") != "FeatureCollection"
        or not isinstance(layer.get("features"), list)
        or not layer["features"]
    ):
        raise GeoProblem(
            Problem(rel, None, None, "不是含有要素的 GeoJSON FeatureCollection", REDERIVE)
        )
    return layer["features"]


def label(n: int, feature: dict) -> str:
    """Name a feature for a message: 第 3 个区域（椒江区，331002）."""
    props = feature.get("properties") or {}
    name, code = props.get("name_zh", "无名称"), props.get("adcode", "无代码")
    return f"第 {n} 个区域（{name}，{code}）"


def polygon(rel: str, n: int, feature: dict) -> tuple[shapely.Geometry | None, list[Problem]]:
    """Return a feature's geometry if it is a valid, non-empty (multi)polygon, with problems."""
    where = label(n, feature)
    try:
        geom = shapely.geometry.shape(feature.get("geometry") or {})
    except Exception as err:
        return None, [Problem(rel, None, None, f"{where}的边界无法读取（{err}）", REDERIVE)]
    if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty:
        return None, [Problem(rel, None, None, f"{where}不是有面积的多边形", REDERIVE)]
    if not geom.is_valid:
        reason = shapely.validation.explain_validity(geom)
        found = re.search(r"\[([-\d.]+) ([-\d.]+)\]", reason)
        at = f"（约在东经 {float(found[1]):.3f}、北纬 {float(found[2]):.3f} 处）" if found else ""
        what = "边界自相交" if "intersection" in reason.lower() else f"边界无效（{reason}）"
        return None, [Problem(rel, None, None, f"{where}的{what}{at}", REDERIVE)]
    return geom, []


@functools.lru_cache(maxsize=4)
def to_equal_area(crs: str) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def area_km2(geom: shapely.Geometry, crs: str) -> float:
    """Area of a lon/lat geometry in km², in the equal-area CRS the derivation used."""
    transformer = to_equal_area(crs)

    def project(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))

    return shapely.transform(geom, project).area / 1e6


def current_counties(areas: pd.DataFrame) -> dict[str, str]:
    """Codes and Chinese names of the city's county-level divisions still in use."""
    rows = areas[(areas.parent_code == CITY) & (areas.level == "county") & areas.valid_to.isna()]
    return dict(zip(rows.area_code, rows.name_zh, strict=True))


def check_counties(root: Path, areas: pd.DataFrame | None, derivation: dict) -> list[Problem]:
    """Codes, names, validity and size of each county polygon."""
    feats = features(COUNTIES, read_json(root, COUNTIES))
    processing = derivation.get("processing", {})
    crs = processing.get("area_crs")
    tolerance = float(processing.get("max_area_diff_pct", 1.0))
    recorded = {c.get("adcode"): c for c in derivation.get("counties", [])}
    expected = current_counties(areas) if areas is not None else {}
    problems, seen = [], set()
    for n, feature in enumerate(feats, start=1):
        props = feature.get("properties") or {}
        code, name = props.get("adcode"), props.get("name_zh")
        where = label(n, feature)
        if expected and code not in expected:
            problems.append(
                Problem(
                    COUNTIES,
                    None,
                    None,
                    f"{where}的代码不是 areas.csv 中台州现有的九个县（市、区）之一",
                    REDERIVE,
                )
            )
        elif expected and name != expected[code]:
            problems.append(
                Problem(
                    COUNTIES,
                    None,
                    None,
                    f"{where}的名称与 areas.csv 中 {code} 的名称“{expected[code]}”不同",
                    REDERIVE,
                )
            )
        if code in seen:
            problems.append(Problem(COUNTIES, None, None, f"{where}重复出现", REDERIVE))
        seen.add(code)
        geom, found = polygon(COUNTIES, n, feature)
        problems += found
        if geom is None or not crs or code not in recorded:
            continue
        want = recorded[code].get("simplified_area_km2")
        got = area_km2(geom, crs)
        if want and abs(got - want) / want * 100 > tolerance:
            problems.append(
                Problem(
                    COUNTIES,
                    None,
                    None,
                    f"{where}的面积为 {got:,.1f} 平方公里，与 derivation.json 记录的 {want:,.1f} "
                    f"平方公里相差超过 {tolerance:g}%",
                    REDERIVE,
                )
            )
    for code in sorted(set(expected) - seen):
        problems.append(
            Problem(COUNTIES, None, None, f"缺少{expected[code]}（{code}）的边界", REDERIVE)
        )
    return problems


def check_outline(root: Path, derivation: dict) -> list[Problem]:
    """The city outline: one valid polygon whose size is the counties' recorded total."""
    feats = features(OUTLINE, read_json(root, OUTLINE))
    if len(feats) != 1:
        return [Problem(OUTLINE, None, None, f"应只有 1 个区域，实有 {len(feats)} 个", REDERIVE)]
    geom, problems = polygon(OUTLINE, 1, feats[0])
    processing = derivation.get("processing", {})
    crs, tolerance = processing.get("area_crs"), float(processing.get("max_area_diff_pct", 1.0))
    total = sum(c.get("simplified_area_km2") or 0 for c in derivation.get("counties", []))
    if geom is not None and crs and total:
        got = area_km2(geom, crs)
        if abs(got - total) / total * 100 > tolerance:
            problems.append(
                Problem(
                    OUTLINE,
                    None,
                    None,
                    f"市界面积为 {got:,.1f} 平方公里，与九个县记录的合计 {total:,.1f} 平方公里"
                    f"相差超过 {tolerance:g}%",
                    REDERIVE,
                )
            )
    return problems


def check_layers(tables: dict[str, pd.DataFrame], root: Path) -> list[Problem]:
    """Check the derivation record and both layers; skip files the descriptor check reports."""
    if not (root / DERIVATION).exists():
        return []  # reported as a listed but missing file
    try:
        derivation = read_json(root, DERIVATION)
    except GeoProblem as err:
        return [err.problem]
    problems = []
    for rel, check in (
        (COUNTIES, lambda: check_counties(root, tables.get("areas"), derivation)),
        (OUTLINE, lambda: check_outline(root, derivation)),
    ):
        if not (root / rel).exists():
            continue
        try:
            problems += check()
        except GeoProblem as err:
            problems.append(err.problem)
    return problems
