"""The study's identities, defined once: its areas (from ``data/areas.csv``), source and year.

Every module takes area codes, names, former codes and landform zones from here, never from a
literal. The codes are read from ``areas.csv`` (the one prefecture row is the city; its parent
the province; the province's parent the country), so the table stays the single home.

``STUDY_SOURCE`` and ``STUDY_YEAR`` name the 2012 CPPCC study and the year its figures describe
(the end of 2011): the site's vantage point, from which trends, targets and scenarios start.
"""

from __future__ import annotations

import csv

from analysis.core.paths import data_dir

STUDY_SOURCE = "cppcc_2012_smart_taizhou"  # data/sources.csv: the 2012 CPPCC study
STUDY_YEAR = 2011  # the study's figures are for the end of 2011


def _read_areas() -> list[dict[str, str]]:
    # read as plain text (no validation here: analysis.core.validate checks the same file)
    with (data_dir() / "areas.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


AREAS = _read_areas()


def _single(level: str) -> dict[str, str]:
    rows = [r for r in AREAS if r["level"] == level]
    if len(rows) != 1:
        raise ValueError(f"areas.csv: expected one {level} row, found {len(rows)}")
    return rows[0]


TAIZHOU = _single("prefecture")["area_code"]
ZHEJIANG = _single("prefecture")["parent_code"]
CHINA = next(r["parent_code"] for r in AREAS if r["area_code"] == ZHEJIANG)

NAMES = {r["area_code"]: r["name_zh"] for r in AREAS}  # area code -> Chinese name
NAMES_EN = {r["area_code"]: r["name_en"] for r in AREAS}

# the city's county-level divisions today (no end year), by code
COUNTIES = tuple(
    (r["area_code"], r["name_zh"], r["name_en"])
    for r in sorted(AREAS, key=lambda r: r["area_code"])
    if r["parent_code"] == TAIZHOU and r["level"] == "county" and not r["valid_to"]
)
# current code -> the code it replaced (玉环县 331021 became 玉环市 331083 in 2017)
FORMER_CODES = {r["successor_code"]: r["area_code"] for r in AREAS if r.get("successor_code")}


def county_names(zone: str) -> list[str]:
    """Names of today's counties in a landform zone of ``areas.csv`` (``coast`` or ``hills``)."""
    zones = {r["area_code"]: r.get("zone", "") for r in AREAS}
    return [name for code, name, _ in COUNTIES if zones[code] == zone]
