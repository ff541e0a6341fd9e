"""Plausibility rules for observations: figures that pass their schema but cannot be right.

A per-cell schema cannot see that 1,446,000 万户 of broadband users is more than a city of six
million people could hold (户 typed into a 万户 column), that a county reports more than its city,
or that a 2012 bulletin gives a 2020 figure. These rules compare rows with each other:

* a count (万户, 万人) above ``COUNT_PER_PERSON`` times the area's population;
* a county above its city, a city above its province, for additive units;
* a change between two reported years of more than ``MAX_YEARLY_FACTOR`` times a year;
* a year after the current year;
* an area code used outside its validity years (``areas.csv``: ``valid_from`` is the first
  year of the code, ``valid_to`` the first year of its successor);
* a source dated before the year its figure reports.

A genuine outlier passes the first three rules when its note carries ``ACCEPT_FLAG`` and a
reason; the site lists such rows (:func:`accepted_table`). Every problem is one Chinese line.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from analysis.core.numbers import number
from analysis.core.records import Observation
from analysis.core.validate import Problem

COUNT_PER_PERSON = 3  # subscriptions or users per resident: mobile reached 1.4 in Taizhou
MAX_YEARLY_FACTOR = 10  # largest credible growth or fall per year of a published figure
ADDITIVE_UNITS = {"万户", "万人", "亿元", "km²", "户", "人"}
POPULATION = ("resident_population", "registered_population")
COUNT_UNITS = {"万户", "万人"}
ACCEPT_FLAG = "[已核实]"
ACCEPT = re.compile(r"[\[【]已核实[\]】]")
HOW_TO_ACCEPT = f"确属实情时，在这一行的 note 列写上“{ACCEPT_FLAG}”和理由"


def current_year() -> int:
    """The calendar year of the build: no figure can report a later year."""
    return date.today().year


def accepted(note: object) -> bool:
    """True when a row's note carries the explicit accept flag."""
    return isinstance(note, str) and bool(ACCEPT.search(note))


@dataclass(frozen=True)
class Row(Observation):
    """One observation as plain Python values, with the file and spreadsheet row it came from."""

    file: str
    line: int
    note: str | None


def plain_rows(obs: pd.DataFrame) -> list[Row]:
    """The typed observations as plain records (pandas row access is slow for these loops)."""
    columns = ["area_code", "year", "indicator", "value", "unit", "source_id", "note"]
    records = obs[columns].astype(object).where(obs[columns].notna(), None)
    return [
        Row(a, int(y), i, float(v), u, s, file=file, line=line, note=n)
        for (file, line), (a, y, i, v, u, s, n) in zip(
            obs.attrs["origin"], records.itertuples(index=False, name=None), strict=True
        )
    ]


def fmt(value: float) -> str:
    """Every digit of a figure, no exponent; an absurdly large one as 1e+30."""
    if abs(value) >= 1e15:
        return f"{value:.6g}"
    return number(value)


def check_future_years(rows: list[Row]) -> list[Problem]:
    now = current_year()
    return [
        Problem(
            r.file,
            r.line,
            "year",
            f"年份 {r.year} 晚于今年（{now} 年），还没有这一年的数字",
            "请核对年份",
        )
        for r in rows
        if r.year > now
    ]


def check_area_validity(rows: list[Row], areas: pd.DataFrame) -> list[Problem]:
    """An area code is used only from ``valid_from`` to the year before ``valid_to``."""
    info = {
        rec["area_code"]: rec
        for rec in areas.astype(object).where(areas.notna(), None).to_dict("records")
    }
    predecessor = {a["successor_code"]: code for code, a in info.items() if a["successor_code"]}
    problems = []
    for r in rows:
        area = info.get(r.area_code)
        if area is None:
            continue
        name = f"{area['name_zh']}（{r.area_code}）"
        valid_from, valid_to = area["valid_from"], area["valid_to"]
        if valid_to is not None and r.year >= valid_to:
            other = area["successor_code"] if area["successor_code"] in info else None
            what = f"{name}这个代码只用到 {valid_to - 1} 年，{valid_to} 年起已停用"
        elif valid_from is not None and r.year < valid_from:
            other = predecessor.get(r.area_code)
            what = f"{name}这个代码 {valid_from} 年起才使用，不能用于 {r.year} 年"
        else:
            continue
        use = (
            f"{r.year} 年的数字请填 {other}（{info[other]['name_zh']}）"
            if other
            else "请核对地区代码和年份"
        )
        problems.append(Problem(r.file, r.line, "area_code", what, use))
    return problems


def check_source_dates(rows: list[Row], sources: pd.DataFrame) -> list[Problem]:
    """A document cannot report a year after the year it was published."""
    published = {i: int(d[:4]) for i, d in zip(sources["id"], sources["date"], strict=True)}
    return [
        Problem(
            r.file,
            r.line,
            "source_id",
            f"来源 {r.source_id} 发布于 {published[r.source_id]} 年，不可能给出 {r.year} 年的数字",
            "请核对年份和 source_id（来源的日期见 sources.csv）",
        )
        for r in rows
        if r.source_id in published and published[r.source_id] < r.year
    ]


def unit_hint(ratio: float) -> str:
    """'是否把“户”填成了“万户”？' when a figure is about ten thousand times too large."""
    if ratio >= 1000:
        return "是否把“户”填成了“万户”（或“人”填成了“万人”）？"
    return ""


def check_counts_vs_population(rows: list[Row]) -> list[Problem]:
    pop: dict[str, list[tuple[int, float]]] = {}
    for r in rows:
        if r.indicator in POPULATION:
            pop.setdefault(r.area_code, []).append((r.year, r.value))
    problems = []
    for r in rows:
        if r.unit not in COUNT_UNITS or r.indicator in POPULATION or accepted(r.note):
            continue
        if r.area_code not in pop:
            continue
        nearest = min(abs(y - r.year) for y, _ in pop[r.area_code])
        people = max(v for y, v in pop[r.area_code] if abs(y - r.year) == nearest)
        if people <= 0 or r.value <= COUNT_PER_PERSON * people:
            continue
        ratio = r.value / people
        problems.append(
            Problem(
                r.file,
                r.line,
                "value",
                f"{fmt(r.value)} {r.unit}是该地区人口（{fmt(people)} 万人）的 {ratio:,.0f} 倍，"
                f"超过 {COUNT_PER_PERSON} 倍的合理上限",
                f"{unit_hint(ratio)}请核对原文数字和单位；{HOW_TO_ACCEPT}",
            )
        )
    return problems


def check_parent_totals(rows: list[Row], areas: pd.DataFrame) -> list[Problem]:
    """A county's count cannot exceed its city's, nor a city's its province's, in one year."""
    parent = dict(zip(areas.area_code, areas.parent_code.astype(object), strict=True))
    names = dict(zip(areas.area_code, areas.name_zh, strict=True))
    largest: dict[tuple[str, int, str], Row] = {}
    for r in rows:
        key = (r.area_code, r.year, r.indicator)
        if r.unit in ADDITIVE_UNITS and (key not in largest or r.value > largest[key].value):
            largest[key] = r
    problems = []
    for r in rows:
        up = parent.get(r.area_code)
        if r.unit not in ADDITIVE_UNITS or not isinstance(up, str) or accepted(r.note):
            continue
        above = largest.get((up, r.year, r.indicator))
        if above is None or r.value <= above.value:
            continue
        problems.append(
            Problem(
                r.file,
                r.line,
                "value",
                f"{names[r.area_code]}的 {fmt(r.value)} {r.unit}大于上级{names[up]}同年的 "
                f"{fmt(above.value)} {r.unit}（{above.file} 第 {above.line} 行）",
                f"请核对地区代码、单位和数字；{HOW_TO_ACCEPT}",
            )
        )
    return problems


def per_year_ratios(r: Row, by_year: dict[int, list[Row]], years: list[int]) -> list[float]:
    """Ratios between ``r`` and the figures around it (same year, nearest year either side).

    Figures accepted as checked outliers (``[已核实]``) are no yardstick: a jump to or from
    them says nothing about ``r``.
    """
    k = years.index(r.year)
    around = [y for y in years[max(k - 1, 0) : k + 2] if y != r.year]
    others = [(r.year, o) for o in by_year[r.year] if o is not r]
    others += [(y, o) for y in around for o in by_year[y]]
    return [
        max(r.value / o.value, o.value / r.value) ** (1 / max(1, abs(y - r.year)))
        for y, o in others
        if o.value > 0 and not accepted(o.note)
    ]


def check_yearly_change(rows: list[Row]) -> list[Problem]:
    """No figure differs from the figures around it by more than the stated factor a year.

    Each row is compared with the other sources of its year and with every figure of the
    nearest earlier and later reported year, the ratio taken per year of distance. The row
    whose median ratio is largest is flagged if it exceeds ``MAX_YEARLY_FACTOR`` and set
    aside, and the series is checked again: the wrong figure is named, not its neighbours.
    """
    series: dict[tuple[str, str], list[Row]] = {}
    for r in rows:
        if r.value > 0:
            series.setdefault((r.area_code, r.indicator), []).append(r)
    problems = []
    for members in series.values():
        left = list(members)
        while True:
            by_year: dict[int, list[Row]] = {}
            for r in left:
                by_year.setdefault(r.year, []).append(r)
            years = sorted(by_year)
            scored = [
                (statistics.median(ratios), r)
                for r in left
                if not accepted(r.note) and (ratios := per_year_ratios(r, by_year, years))
            ]
            if not scored:
                break
            score, worst = max(scored, key=lambda pair: pair[0])
            if score <= MAX_YEARLY_FACTOR:
                break
            left.remove(worst)
            k = years.index(worst.year)
            near = (
                "、".join(
                    f"{y} 年 {fmt(statistics.median(o.value for o in by_year[y]))}"
                    for y in years[max(k - 1, 0) : k + 2]
                    if y != worst.year
                )
                or "同年的另一来源"
            )
            biggest = max(per_year_ratios(worst, by_year, years))
            problems.append(
                Problem(
                    worst.file,
                    worst.line,
                    "value",
                    f"{worst.year} 年的 {fmt(worst.value)} {worst.unit}与相邻年份的数字（{near}）"
                    f"相比，平均每年变化超过 {MAX_YEARLY_FACTOR} 倍",
                    f"{unit_hint(biggest)}请核对原文数字、单位和年份；{HOW_TO_ACCEPT}",
                )
            )
    return problems


def check(tables: dict[str, pd.DataFrame], root: Path | None = None) -> list[Problem]:
    """Run every plausibility rule on the typed observations; return the problems found."""
    if not {"observations", "areas", "sources"} <= set(tables):
        return []
    rows = plain_rows(tables["observations"])
    areas = tables["areas"]
    return (
        check_future_years(rows)
        + check_area_validity(rows, areas)
        + check_source_dates(rows, tables["sources"])
        + check_counts_vs_population(rows)
        + check_parent_totals(rows, areas)
        + check_yearly_change(rows)
    )


def accepted_rows() -> pd.DataFrame:
    """The observations accepted as genuine outliers, for the site to list them."""
    from analysis.core import data

    obs = data.observations()
    return obs[obs.note.map(accepted)]
