"""Time series of published figures: choosing one figure per year, growth, and crossings.

Nothing here fills a gap. A series is the published years only; where a crossing falls
between two published years, the result says so (and a linear reading between those two
years is labelled as an estimate). Where two documents give the same figure, the later
document is shown (a yearbook revises the bulletin before it) and the other is kept beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analysis.core import data
from analysis.core.paths import data_dir


class SeriesError(ValueError):
    """A series that cannot support the requested calculation."""


KIND_ORDER = {"official": 0, "news": 1, "compilation": 2}
KIND_ZH = {"official": "官方文件", "news": "新闻报道", "compilation": "第三方汇编"}
CHOICE_RULE_ZH = (
    "同一数字有多个来源时，依次优先采用官方文件、新闻报道、第三方汇编；"
    "同类文献采用发布较晚的一份（通常是修订数）"
)


def preferred(obs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return one row per area, indicator and year: the figure of the preferred document.

    Official documents come before news reports and news reports before third-party
    compilations (``source_kind``); among one kind the later document wins; remaining ties
    go by source id, so the choice is deterministic. ``alternatives`` lists the other
    documents' figures as a list of ``(title, value)`` pairs, empty if none (the pages write
    them).
    """
    if obs is None:  # the data package's own observations: computed once per state of data/
        root = data_dir()
        key = (str(root), data._stamp(root))
        if _PREFERRED.get("key") != key:
            _PREFERRED.update(key=key, frame=_preferred(data.observations()))
        return _PREFERRED["frame"].copy()
    return _preferred(obs)


_PREFERRED: dict = {}


def _preferred(obs: pd.DataFrame) -> pd.DataFrame:
    keys = ["area_code", "indicator", "year"]
    kind = obs.source_kind if "source_kind" in obs else pd.Series("official", index=obs.index)
    ranked = obs.assign(_kind=kind.map(KIND_ORDER), _date=obs.source_date.astype(str)).sort_values(
        [*keys, "_kind", "_date", "source_id"],
        ascending=[True, True, True, True, False, True],
        kind="stable",
    )
    first = ranked.groupby(keys, sort=False).head(1)
    rest = ranked.drop(first.index)
    # readers see the document's title (ids only where a frame has no titles), every digit
    named = rest.source_title if "source_title" in rest else rest.source_id
    others = (
        rest.assign(_alt=list(zip(named, rest.value.astype(float), strict=True)))
        .groupby(keys)["_alt"]
        .agg(list)
        .rename("alternatives")
    )
    out = first.drop(columns=["_kind", "_date"]).merge(others, on=keys, how="left")
    out["alternatives"] = [a if isinstance(a, list) else [] for a in out["alternatives"]]
    return out.sort_values(keys, kind="stable").reset_index(drop=True)


def series(area_code: str, indicator: str, obs: pd.DataFrame | None = None) -> pd.Series:
    """Return the published values of one indicator for one area, indexed by year."""
    frame = preferred(obs)
    rows = frame[(frame.area_code == area_code) & (frame.indicator == indicator)]
    return pd.Series(rows.value.to_numpy(), index=rows.year.astype(int), name=indicator)


def segments(years: pd.Series) -> pd.Series:
    """Number runs of consecutive years: [2009, 2010, 2012] -> [0, 0, 1].

    A chart draws a line only within a run, so a missing year is a visible break and a year
    with no neighbour is a lone point.
    """
    years = years.astype(int)
    return (years.diff() != 1).cumsum() - 1


def cagr(start: float, start_year: int, end: float, end_year: int) -> float:
    """Return the compound annual growth rate between two published values (0.1 = 10%/year)."""
    if end_year <= start_year:
        raise SeriesError(f"CAGR needs end year > start year, got {start_year}→{end_year}")
    if not (start > 0 and end > 0):
        raise SeriesError(f"CAGR needs positive values, got {start} and {end}")
    return (end / start) ** (1 / (end_year - start_year)) - 1


@dataclass(frozen=True)
class Crossing:
    """When a series first reached a level, as far as the published years can tell.

    ``first_at`` is the first published year at or above the level, ``last_below`` the
    published year before it (None if the series starts above the level). When they are
    adjacent years the crossing is exact to the year. ``estimate`` is a linear reading
    between the two, or None when either side is missing.
    """

    level: float
    first_at: int | None
    last_below: int | None
    estimate: float | None

    @property
    def reached(self) -> bool:
        return self.first_at is not None

    def describe(self) -> str:
        """Say in Chinese when the level was reached, without claiming more than the data."""
        if self.first_at is None:
            return f"截至 {self.last_below} 年末仍未达到"
        if self.last_below is None:
            return f"不晚于 {self.first_at} 年末（此前的数字本站可查的材料中没有）"
        if self.first_at - self.last_below == 1:
            return f"{self.first_at} 年"
        return f"{self.last_below}—{self.first_at} 年间（中间年份的数字本站可查的材料中没有）"


def crossing(values: pd.Series, level: float) -> Crossing:
    """Return when ``values`` (indexed by year) first reached ``level``."""
    values = values.dropna().sort_index()
    if values.empty:
        raise SeriesError("no published values to look for a crossing in")
    at = values[values >= level]
    if at.empty:
        return Crossing(level, None, int(values.index.max()), None)
    first = int(at.index[0])
    before = values[values.index < first]
    if before.empty:
        return Crossing(level, first, None, None)
    below = int(before.index[-1])
    v0, v1 = float(before.iloc[-1]), float(at.iloc[0])
    estimate = below + (level - v0) / (v1 - v0) * (first - below)
    return Crossing(level, first, below, estimate)


@dataclass(frozen=True)
class Position:
    """How far ahead (+) or behind (−) a value of ``year`` is on a reference trajectory."""

    value: float
    year: int
    crossing: Crossing

    @property
    def years_ahead(self) -> float | None:
        """Years the reference took to reach the value after ``year`` (None if unknown)."""
        if self.crossing.estimate is None:
            return None
        return self.crossing.estimate - self.year

    def lead(self) -> str:
        """Return the lead in years as text: '+1.5', '−0.4', or a bound when not measurable."""
        c = self.crossing
        if not c.reached:
            return f"超过 {c.last_below - self.year} 年"
        if c.last_below is None:
            return f"落后超过 {self.year - c.first_at} 年" if c.first_at < self.year else "无法判断"
        return f"{self.years_ahead:+.1f}".replace("-", "−")

    def describe(self) -> str:
        """Say in Chinese where the value sits on the reference trajectory."""
        c = self.crossing
        if not c.reached:
            return f"领先：参照系列截至 {c.last_below} 年末仍未达到该水平"
        if c.last_below is None:
            return f"落后：参照系列在 {c.first_at} 年末（最早的公开数字）已超过该水平"
        lead = self.years_ahead
        word = "领先" if lead > 0 else "落后" if lead < 0 else "持平"
        return (
            f"{word}约 {abs(lead):.1f} 年（参照系列在 {c.last_below} 年末与 {c.first_at} 年末之间"
            f"达到该水平，按两年间线性内插约为 {c.estimate:.1f} 年）"
        )


def position(value: float, year: int, reference: pd.Series) -> Position:
    """Place ``value`` of ``year`` on a reference series: when did the reference reach it?"""
    if math.isnan(value):
        raise SeriesError(f"no value for {year} to compare")
    return Position(value, year, crossing(reference, value))


def as_figure(row) -> data.Figure:
    """Return a row of :func:`preferred` (or of the observations) as a :class:`data.Figure`."""
    return data.Figure.from_row(row)


def lookup(
    area_code: str, year: int, indicator: str | None, frame: pd.DataFrame | None = None
) -> data.Figure | None:
    """Return the figure a chart shows for an area, year and indicator, or None if none.

    ``frame`` is a result of :func:`preferred` to reuse (computed when not given).
    """
    frame = preferred() if frame is None else frame
    hit = frame[
        (frame.area_code == area_code) & (frame.year == year) & (frame.indicator == indicator)
    ]
    return None if hit.empty else as_figure(hit.iloc[0])


def figure(area_code: str, year: int, indicator: str) -> data.Figure:
    """Return the figure a chart shows for an area, year and indicator (the preferred document).

    Use :func:`analysis.core.data.figure` with a ``source_id`` to cite one particular document.
    """
    found = lookup(area_code, year, indicator)
    if found is None:
        raise LookupError(f"no figure for {indicator} in {area_code}, {year}")
    return found
