"""Numbers as readers see them: the decimals of each indicator, written once in data/.

``data/indicators.csv`` gives each indicator the decimals shown for a value the site derives
or rounds for a label (a rate per 100 people, a map label). Every table, tooltip and caption
that rounds an indicator's value asks :func:`decimals` and writes it with :func:`fixed`; a
published figure is written with every published digit (:func:`analysis.core.numbers.number`).
"""

from __future__ import annotations

import math

from analysis.core import data

MISSING = "缺失"


def decimals(indicator: str) -> int:
    """The decimals shown for a derived or rounded value of ``indicator`` (indicators.csv)."""
    return int(data.indexed("indicators", "id").at[indicator, "decimals"])


def fixed(value: float | None, digits: int) -> str:
    """``value`` with ``digits`` decimals and thousands separators; :data:`MISSING` if none."""
    if value is None or math.isnan(float(value)):
        return MISSING
    return f"{value:,.{digits}f}"


def shown(value: float | None, indicator: str) -> str:
    """A derived or rounded value of ``indicator`` with the indicator's decimals."""
    return fixed(value, decimals(indicator))


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
