"""Data gaps: the figures the site expects to show but no source in ``data/`` gives.

``data/expected_coverage.csv`` says, for each area and indicator, which years the site should
cover and which document would hold the figures. Every expected year without an observation is
a gap. Gaps are shown to readers (so a missing figure is visibly missing) and to the analysts
who hold the printed yearbooks (so filling one is a single CSV row).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.core import data
from analysis.core.reference import TAIZHOU


def gaps() -> pd.DataFrame:
    """Return one row per missing figure: area, indicator, year and the document to look in."""
    expected = data.table("expected_coverage")
    obs = data.table("observations")
    have = set(zip(obs.area_code, obs.indicator, obs.year, strict=True))
    rows = [
        {
            "area_code": row.area_code,
            "indicator": row.indicator,
            "year": year,
            "document_zh": row.document_zh,
        }
        for row in expected.itertuples(index=False)
        for year in range(int(row.first_year), int(row.last_year) + 1)
        if (row.area_code, row.indicator, year) not in have
    ]
    return pd.DataFrame(rows, columns=["area_code", "indicator", "year", "document_zh"])


def coverage(areas: list[str] | None = None) -> pd.DataFrame:
    """Return, per expected area and indicator: years expected, found, and the missing years.

    Columns area_code, area_zh, indicator, indicator_zh, first_year, last_year, found and
    missing (how many years), missing_years (a list of years), document_zh (where the
    figures would be). ``areas`` limits the table to some area codes (all by default).
    """
    expected = data.table("expected_coverage")
    if areas is not None:
        expected = expected[expected.area_code.isin(areas)]
    missing = gaps()
    areas = data.indexed("areas", "area_code")["name_zh"]
    names = data.indexed("indicators", "id")["name_zh"]
    rows = []
    for row in expected.itertuples(index=False):
        wanted = int(row.last_year) - int(row.first_year) + 1
        lacking = sorted(
            missing.loc[
                (missing.area_code == row.area_code) & (missing.indicator == row.indicator), "year"
            ]
        )
        rows.append(
            {
                "area_code": row.area_code,
                "area_zh": areas[row.area_code],
                "indicator": row.indicator,
                "indicator_zh": names[row.indicator],
                "first_year": int(row.first_year),
                "last_year": int(row.last_year),
                "found": wanted - len(lacking),
                "missing": len(lacking),
                "missing_years": [int(y) for y in lacking],
                "document_zh": row.document_zh,
            }
        )
    columns = [
        "area_code",
        "area_zh",
        "indicator",
        "indicator_zh",
        "first_year",
        "last_year",
        "found",
        "missing",
        "missing_years",
        "document_zh",
    ]
    return pd.DataFrame(rows, columns=columns)


def gaps_for_download() -> pd.DataFrame:
    """Return the missing figures with Chinese column names, as offered for download."""
    return gaps().rename(
        columns={
            "area_code": "地区代码",
            "indicator": "指标编号",
            "year": "年份",
            "document_zh": "可查文献",
        }
    )


GAPS_FILE = "derived/data-gaps.csv"
FILL_IN_AREAS = [TAIZHOU]


def fill_in_file(area_code: str) -> str:
    """Return the published path (under ``_static/data``) of an area's fill-in template."""
    return f"derived/fill-in-{area_code}.csv"


def write_downloads(target: Path) -> list[Path]:
    """Write the derived downloads (gap list, fill-in templates) as UTF-8-with-BOM CSV.

    Called by :mod:`analysis.build.sphinxext` when the site is built, so the pages link to files
    instead of carrying hundreds of rows inside a ``data:`` address.
    """
    frames = {GAPS_FILE: gaps_for_download()}
    frames |= {fill_in_file(a): fill_in_template(a) for a in FILL_IN_AREAS}
    written = []
    for rel, frame in frames.items():
        out = target / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(frame.to_csv(index=False), encoding="utf-8-sig", newline="")
        written.append(out)
    return written


def fill_in_template(area_code: str = TAIZHOU) -> pd.DataFrame:
    """Return the missing figures of one area as rows ready to fill in and paste.

    The columns are those of ``data/observations/*.csv``; ``value`` and ``source_id`` are
    left empty for the analyst, so a row pasted unfilled fails validation instead of
    publishing a blank figure.
    """
    units = data.indexed("indicators", "id")["unit"]
    missing = gaps()
    missing = missing[missing.area_code == area_code]
    return pd.DataFrame(
        {
            "area_code": missing.area_code,
            "year": missing.year,
            "indicator": missing.indicator,
            "value": "",
            "unit": missing.indicator.map(units),
            "source_id": "",
            "note": "",
        }
    ).reset_index(drop=True)
