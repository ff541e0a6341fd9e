"""Data gaps: the figures the site expects to show but no source in ``data/`` gives.

``data/expected_coverage.csv`` says, for each area and indicator, which years the site should
cover and which document would hold the figures. Every expected year without an observation is
a gap. Gaps are shown to readers (so a missing figure is visibly missing) and to the analysts
who hold the printed yearbooks (so filling one is a single CSV row).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import pandas as pd

from analysis.core import data
from analysis.render.html import Html, static_link, table


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


def year_ranges(years: list[int]) -> str:
    """Condense sorted years into ranges: [2000, 2001, 2002, 2005] -> '2000—2002、2005'."""
    parts, start = [], None
    for i, year in enumerate(years):
        if start is None:
            start = year
        if i + 1 == len(years) or years[i + 1] != year + 1:
            parts.append(str(start) if start == year else f"{start}—{year}")
            start = None
    return "、".join(parts)


def coverage(areas: list[str] | None = None) -> pd.DataFrame:
    """Return, per expected area and indicator: years expected, found, and the missing years.

    ``areas`` limits the table to some area codes (all areas by default).
    """
    expected = data.table("expected_coverage")
    if areas is not None:
        expected = expected[expected.area_code.isin(areas)]
    missing = gaps()
    areas = data.table("areas").set_index("area_code")["name_zh"]
    names = data.table("indicators").set_index("id")["name_zh"]
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
                "地区": areas[row.area_code],
                "指标": names[row.indicator],
                "应有年份": f"{row.first_year}—{row.last_year}",
                "已有": wanted - len(lacking),
                "缺失": len(lacking),
                "缺失年份": year_ranges(lacking) if lacking else "无",
                "可查文献": row.document_zh,
            }
        )
    return pd.DataFrame(rows)


def coverage_table(areas: list[str] | None = None, caption: str | None = None) -> Html:
    """Render the data-gaps table shown to readers and analysts (optionally some areas only)."""
    frame = coverage(areas)
    return table(
        frame,
        caption or "数据缺口：本站应有、但在可查材料中尚未找到的数字",
        numeric=["已有", "缺失"],
        note="补录方法见“补录一个数字”页：每个找到的数字在数据表中加一行并注明来源，"
        "重新构建后本表自动更新。",
    )


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
FILL_IN_AREAS = ["331000"]


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


def gaps_download() -> Html:
    """Render a link to the full list of missing figures (an Excel-friendly CSV file)."""
    n = len(gaps())
    href = escape(static_link(f"data/{GAPS_FILE}"))
    return Html(
        f'<p><a href="{href}" download="data-gaps.csv">下载完整缺口清单（CSV，{n} 行，'
        "每行一个缺失的数字）</a></p>"
    )


def fill_in_template(area_code: str = "331000") -> pd.DataFrame:
    """Return the missing figures of one area as rows ready to fill in and paste.

    The columns are those of ``data/observations/*.csv``; ``value`` and ``source_id`` are
    left empty for the analyst, so a row pasted unfilled fails validation instead of
    publishing a blank figure.
    """
    units = data.table("indicators").set_index("id")["unit"]
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


def fill_in_download(area_code: str = "331000") -> Html:
    """Render a link to :func:`fill_in_template` (an Excel-friendly CSV file)."""
    if area_code not in FILL_IN_AREAS:
        raise ValueError(
            f"no fill-in template is published for {area_code}; add it to FILL_IN_AREAS"
        )
    frame = fill_in_template(area_code)
    name = data.table("areas").set_index("area_code").loc[area_code, "name_zh"]
    href = escape(static_link(f"data/{fill_in_file(area_code)}"))
    return Html(
        f'<p><a href="{href}" download="fill-in-{area_code}.csv">下载{escape(name)}待补录数字的'
        f"填写模板（CSV，{len(frame)} 行）</a></p>"
    )


def example_row(area_code: str = "331000", indicator: str = "mobile_users") -> Html:
    """Render, as a CSV line, the row an analyst would add to fill one current gap.

    The example is the first missing year of ``indicator`` for the area (or of any indicator
    when that one is complete); the value and source are placeholders to replace.
    """
    template = fill_in_template(area_code)
    pick = template[template.indicator == indicator]
    row = (pick if len(pick) else template).iloc[0]
    header = "area_code,year,indicator,value,unit,source_id,note"
    line = (
        f"{row.area_code},{row.year},{row.indicator},<数值>,{row.unit},<来源编号>,"
        f"<说明：表号、原文口径>"
    )
    return Html(f'<pre class="atlas-csv"><code>{escape(header)}\n{escape(line)}</code></pre>')
