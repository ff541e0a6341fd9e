"""Growth: build the site on about ten times today's rows and compare it with today's.

The data is copied to a temporary folder and given synthetic rows: every indicator of
``data/indicators.csv`` for every year 2000–2025, for China, Zhejiang, Taizhou and its
nine counties (玉环 under its code of each year), from one synthetic source. The values
follow a simple model (counts per resident times a population, rates and levels growing a
few per cent a year, inside each indicator's bounds, every county below its city), and
they must pass the project's own validation, plausibility rules included
(``analysis.core.validate.load_package``) and the scenario checks: a synthetic row the rules
refuse is left out (the count is reported), never marked as checked. Today's data and the
grown data are then each built clean into a temporary build folder
(``ATLAS_DATA_DIR``, ``ATLAS_BUILD_DIR``; ``python -m analysis.build.publish``, the same as
``make book``), and the benchmark reports the build time, the heaviest page (on load and
with everything a reader can trigger fetched) and the site size of each.

``python bench/growth.py make-data DIR`` writes only the grown copy of ``data/`` into DIR.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from measure import launch_chromium, measure_page_weight, site_size

from analysis.core.paths import REPO_ROOT, data_dir
from atlas_dev.site import discover_pages, serve

YEARS = range(2000, 2026)
SOURCE_ID = "bench_synthetic_growth"
SOURCE_ROW = [
    SOURCE_ID,
    "性能测试用的合成数据（不是真实数字）",
    "智慧台州·政策分析（基准测试）",
    "2026",
    "compilation",
    "",
    "基准测试生成的合成数字，只用于测量网站在数据增长后的构建时间和页面大小。",
    "Synthetic figures made by bench/growth.py to measure the site on grown data.",
]
FILE = "observations/synthetic_growth.csv"
# population (万人) in 2011, and the share of Taizhou's of each county (they add up to 0.95)
POPULATION_2011 = {"100000": 134700.0, "330000": 5463.0, "331000": 598.0}
COUNTY_SHARE = {
    "331002": 0.09,
    "331003": 0.10,
    "331004": 0.075,
    "331021": 0.07,  # 玉环县 until 2016
    "331083": 0.07,  # 玉环市 from 2017
    "331022": 0.07,
    "331023": 0.10,
    "331024": 0.07,
    "331081": 0.19,
    "331082": 0.175,
}
# census years: the city's and counties' resident counts are left as published
CENSUS_YEARS = (2010, 2020)
LOCAL = {"331000", *COUNTY_SHARE}
LAND_KM2 = {"100000": 9_600_000.0, "330000": 105_500.0, "331000": 9_411.0}
# indicator -> (kind, value in 2011 for Taizhou, growth per year)
# kinds: "count" per resident (times the population), "rate" the same in every area,
# "money" per resident (times the population, 亿元), "level" the same everywhere
MODEL = {
    "mobile_users": ("count", 1.3, 0.04),
    "fixed_line_users": ("count", 0.3, -0.02),
    "broadband_users": ("count", 0.25, 0.06),
    "internet_users": ("count", 0.5, 0.04),
    "ftth_users": ("count", 0.1, 0.12),
    "gigabit_users": ("count", 0.02, 0.15),
    "mobile_3g_users": ("count", 0.2, 0.05),
    "mobile_4g_users": ("count", 0.3, 0.08),
    "mobile_5g_users": ("count", 0.2, 0.10),
    "mobile_per_100": ("rate", 130.0, 0.03),
    "fixed_per_100": ("rate", 30.0, -0.02),
    "phone_per_100": ("rate", 160.0, 0.02),
    "broadband_household_rate": ("rate", 60.0, 0.03),
    "fibre_village_rate": ("rate", 80.0, 0.02),
    "village_broadband_rate": ("rate", 90.0, 0.01),
    "bandwidth_gbps": ("count", 1.0, 0.12),
    "resident_population": ("count", 1.0, 0.005),
    "registered_population": ("count", 0.95, 0.003),
    "households": ("count", 0.35, 0.01),
    "gdp": ("money", 5.0, 0.08),
    "gdp_per_capita_yuan": ("level", 50_000.0, 0.08),
    "gdp_per_capita_usd": ("level", 7_700.0, 0.07),
    "cny_per_usd": ("level", 6.5, 0.0),
    "land_area_km2": ("land", 0.0, 0.0),
    "mobile_broadband_rate": ("rate", 50.0, 0.06),
    "ftth_coverage_households": ("count", 0.3, 0.08),
}


def areas_of(year: int) -> dict[str, float]:
    """Return {area code: population in 万人 (2011 level)} of the areas valid in ``year``."""
    out = dict(POPULATION_2011)
    for code, share in COUNTY_SHARE.items():
        if (code == "331021" and year >= 2017) or (code == "331083" and year < 2017):
            continue
        out[code] = POPULATION_2011["331000"] * share
    return out


def value(indicator: str, area: str, year: int, people: float, bounds: tuple) -> float:
    """The model's value of one indicator in one area and year (see :data:`MODEL`)."""
    kind, base, growth = MODEL[indicator]
    factor = (1 + growth) ** (year - 2011)
    if kind == "land":
        return LAND_KM2.get(area, LAND_KM2["331000"] * COUNTY_SHARE.get(area, 0.1))
    result = base * people * factor if kind in {"count", "money"} else base * factor
    low, high = bounds
    if high is not None:
        result = min(result, 0.95 * high)
    return round(max(result, low + 0.01), 2)


def synthetic_rows(root: Path) -> list[list[str]]:
    """Every indicator, every year, every area: rows in the observation columns."""
    indicators = list(csv.DictReader((root / "indicators.csv").open(encoding="utf-8")))
    rows = []
    for ind in indicators:
        if ind["id"] not in MODEL:
            continue
        high = float(ind["max_value"]) if ind["max_value"] else None
        bounds = (float(ind["min_value"] or 0), high)
        for year in YEARS:
            for area, people in areas_of(year).items():
                if ind["id"] == "resident_population" and year in CENSUS_YEARS and area in LOCAL:
                    continue  # a census count is history: Taizhou's stays the counties' own
                v = value(ind["id"], area, year, people, bounds)
                rows.append([area, str(year), ind["id"], f"{v:g}", ind["unit"], SOURCE_ID, ""])
    return rows


def count_rows(root: Path) -> int:
    """Return the number of observation rows of a data folder."""
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    paths = next(r["path"] for r in descriptor["resources"] if r["name"] == "observations")
    return sum(len(list(csv.reader((root / p).open(encoding="utf-8")))) - 1 for p in paths)


def write_rows(root: Path, rows: list[list[str]]) -> None:
    with (root / FILE).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["area_code", "year", "indicator", "value", "unit", "source_id", "note"])
        writer.writerows(rows)


def make_data(target: Path) -> dict[str, Any]:
    """Copy ``data/`` to ``target`` with the synthetic rows that pass validation."""
    shutil.copytree(data_dir(), target)
    with (target / "sources.csv").open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(SOURCE_ROW)
    descriptor_path = target / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] == "observations":
            resource["path"].append(FILE)
    descriptor_path.write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    rows = synthetic_rows(target)
    made = len(rows)
    write_rows(target, rows)
    for _ in range(10):  # leave out what the rules refuse, until nothing is refused
        result = subprocess.run(
            [sys.executable, __file__, "problems", str(target)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(result.stderr[-2000:])
        problems = json.loads(result.stdout)
        if not problems:
            break
        drop = {row - 2 for file, row, _ in problems if file == FILE and row}
        keys = {tuple(key) for file, _, key in problems if file != FILE and key}
        if not drop and not keys:
            raise RuntimeError(f"the grown data does not validate: {problems[:5]}")
        rows = [r for i, r in enumerate(rows) if i not in drop and (r[0], r[2]) not in keys]
        write_rows(target, rows)
    else:
        raise RuntimeError("the grown data still does not validate after 10 rounds")
    return {"synthetic_rows_made": made, "synthetic_rows_kept": len(rows)}


def problems(root: Path) -> list[tuple[str, int | None, list[str] | None]]:
    """Validate ``root`` (and the scenario checks); return (file, row, key of a real row)."""
    os.environ["ATLAS_DATA_DIR"] = str(root)
    from analysis.core.validate import DataValidationError, load_package
    from analysis.model import scenario_checks

    try:
        load_package(root)
    except DataValidationError as err:
        out = []
        for p in err.problems:
            key = None
            if p.file != FILE and p.file.startswith("observations/") and p.row:
                with (root / p.file).open(encoding="utf-8-sig") as fh:
                    line = list(csv.reader(fh))[p.row - 1]
                key = [line[0], line[2]]
            out.append((p.file, p.row, key))
        return out
    lines = scenario_checks.report()
    if lines:  # an assumption the grown Taizhou figures contradict: drop its series
        return [(FILE, None, [area, ind]) for area in ("331000",) for ind in MODEL_SCENARIO]
    return []


MODEL_SCENARIO = ("mobile_per_100", "broadband_household_rate")


def build(data: Path, build_dir: Path, log: Path) -> float:
    """Build the site clean from ``data`` into ``build_dir``; return the wall time (s)."""
    shutil.rmtree(build_dir, ignore_errors=True)
    env = {**os.environ, "ATLAS_DATA_DIR": str(data), "ATLAS_BUILD_DIR": str(build_dir)}
    started = time.monotonic()
    with log.open("a", encoding="utf-8") as out:
        result = subprocess.run(
            [sys.executable, "-m", "analysis.build.publish"],
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    seconds = time.monotonic() - started
    if result.returncode != 0:
        raise RuntimeError(f"the build failed; see {log}")
    return seconds


def measure(site: Path) -> dict[str, Any]:
    """Heaviest page (on load and everything fetched) and the site's size."""
    pages, _ = discover_pages(site)
    with serve(site) as base_url, launch_chromium() as browser:
        weights = [measure_page_weight(browser, base_url, p) for p in pages]
    heaviest = max(weights, key=lambda p: p["bytes"])
    return {
        "heaviest_page": {
            "page": heaviest["page"],
            "bytes": heaviest["bytes"],
            "initial_bytes": heaviest["initial_bytes"],
            "top_resources": heaviest["resources"][:5],
        },
        "pages": {p["page"]: {"initial": p["initial_bytes"], "all": p["bytes"]} for p in weights},
        "site_bytes": site_size(site)["bytes"],
    }


def run(runs: int = 1) -> dict[str, Any]:
    """Build today's data and the grown data ``runs`` times each; return the figures."""
    work = Path(tempfile.mkdtemp(prefix="atlas-growth-"))
    try:
        print("Growth: making the grown data (validated) ...", flush=True)
        grown_data = work / "data"
        made = make_data(grown_data)
        out: dict[str, Any] = {"runs": runs, **made, "log": str(work / "build.log")}
        for key, data in (("today", data_dir()), ("grown", grown_data)):
            times = []
            for i in range(runs):
                print(f"  clean build, {key} data, run {i + 1}/{runs} ...", flush=True)
                times.append(build(data, work / f"build-{key}", work / "build.log"))
            out[key] = {
                "rows": count_rows(data),
                "build_s": statistics.median(times),
                "build_runs_s": times,
                **measure(work / f"build-{key}" / "html"),
            }
        out["row_factor"] = out["grown"]["rows"] / out["today"]["rows"]
        return out
    except RuntimeError as exc:
        return {"error": str(exc)}
    finally:
        for key in ("today", "grown"):
            shutil.rmtree(work / f"build-{key}", ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["problems"]:
        print(json.dumps(problems(Path(sys.argv[2])), ensure_ascii=False))
    elif sys.argv[1:2] == ["make-data"]:
        print(json.dumps(make_data(Path(sys.argv[2]))))
    else:
        print(json.dumps(run(), indent=2, ensure_ascii=False))
