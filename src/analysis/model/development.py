"""The development stage, checked: when GDP per capita passed 6,000 and 10,000 US dollars.

The 2012 study places Taizhou in the 6,000–10,000 dollar stage during the 12th Five-Year Plan
(2011–2015). This module computes what the published rows can say about it, and nothing more:

- Taizhou's GDP per capita on two population bases (registered 户籍 and resident 常住), each
  derived by the project as GDP ÷ year-end population of the same year;
- Zhejiang's and China's GDP per capita as published (or, where only GDP and population are
  published, derived the same way on the resident base);
- each converted with the same year's average CNY/USD rate; a year without a published rate
  has no dollar figure (never an interpolated or neighbouring rate);
- the crossing of each level (see :func:`analysis.model.trends.crossing`), the
  verdict on the study's
  period, the population base the study's own figures imply, and where a published Taizhou
  per-capita figure differs from the computed one by more than :data:`TOLERANCE`.

Everything here returns numbers and codes; the Chinese words are in
:mod:`analysis.chapters.development`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.core import data
from analysis.core.reference import CHINA, STUDY_SOURCE, STUDY_YEAR, TAIZHOU, ZHEJIANG
from analysis.model import consistency, trends

AREAS = (TAIZHOU, ZHEJIANG, CHINA)
LEVELS = (6000.0, 10000.0)
# Population bases, in the order pages show them, and the indicator that holds each.
BASES = {"registered": "registered_population", "resident": "resident_population"}
TOLERANCE = 0.01  # a published and a computed per-capita figure "differ" beyond 1 %
IMPLIED_BASE_TOLERANCE = 0.005  # the study's implied population matches a base within 0.5 %
STUDY_CONTEXT = "gdp_stage_12fyp"  # the study's development-stage statement (study/context.csv)
RATE = "cny_per_usd"


def per_capita_yuan(gdp_yi: float, population_wan: float) -> float:
    """GDP per person in yuan from GDP in 亿元 and population in 万人 (1e8 / 1e4 = 1e4)."""
    if not population_wan > 0:
        raise ValueError(f"population must be positive, got {population_wan}")
    return gdp_yi * 1e4 / population_wan


def exchange_rates(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The published yearly average CNY per USD: ``year`` → ``rate``, ``rate_source``."""
    frame = trends.preferred() if frame is None else frame
    rows = frame[(frame.area_code == CHINA) & (frame.indicator == RATE)]
    return pd.DataFrame(
        {"rate": rows.value.to_numpy(), "rate_source": rows.source_id.to_numpy()},
        index=pd.Index(rows.year.astype(int), name="year"),
    )


def to_usd(yuan: float, year: int, rates: pd.DataFrame) -> float | None:
    """Convert with the year's own average rate; None when that year has no published rate."""
    if year not in rates.index or pd.isna(yuan):
        return None
    return float(yuan) / float(rates.loc[year, "rate"])


def _values(frame: pd.DataFrame, area: str, indicator: str) -> pd.DataFrame:
    rows = frame[(frame.area_code == area) & (frame.indicator == indicator)]
    out = rows.set_index(rows.year.astype(int))[["value", "source_id"]]
    if out.empty and area == TAIZHOU and indicator == BASES["resident"]:
        # no city census total in data/: the nine counties' census figures added up
        from analysis.model.counties import city_census_total

        found = [f for f in (city_census_total(y) for y in (2010, 2020)) if f is not None]
        out = pd.DataFrame(
            {"value": [f.value for f in found], "source_id": [f.source_id for f in found]},
            index=pd.Index([f.year for f in found], name="year"),
        )
    return out


def per_capita(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per area, population base and year: GDP per capita in yuan and in dollars.

    Columns: ``area_code``, ``base`` (``registered``/``resident``), ``year``, ``gdp``,
    ``population``, ``per_capita_yuan``, ``derived`` (True when the project divided GDP by
    population), ``per_capita_source`` (the document of a published figure; empty when
    derived), ``sources`` (every document used), ``rate``, ``rate_source`` and
    ``per_capita_usd`` (NaN when the year has no published rate).

    Taizhou: derived on both bases for every year with GDP (a base with no population that
    year gives an empty row, so the gap shows). Zhejiang and China: the published figure
    (their bulletins divide by the resident population), else derived from GDP and resident
    population where both are published.
    """
    frame = trends.preferred() if frame is None else frame
    rates = exchange_rates(frame)
    rows = []
    for area in AREAS:
        gdp = _values(frame, area, "gdp")
        if area == TAIZHOU:
            for base, indicator in BASES.items():
                pop = _values(frame, area, indicator)
                for year in gdp.index:
                    g = gdp.loc[year]
                    p = pop.loc[year] if year in pop.index else None
                    yuan = per_capita_yuan(g.value, p.value) if p is not None else float("nan")
                    sources = [g.source_id] + ([p.source_id] if p is not None else [])
                    rows.append(_row(area, base, year, g.value, p, yuan, True, "", sources, rates))
            continue
        published = _values(frame, area, "gdp_per_capita_yuan")
        pop = _values(frame, area, BASES["resident"])
        years = sorted(set(published.index) | (set(gdp.index) & set(pop.index)))
        for year in years:
            g = gdp.value.get(year, float("nan"))
            p = pop.loc[year] if year in pop.index else None
            if year in published.index:
                src = published.loc[year, "source_id"]
                yuan, derived, sources = float(published.loc[year, "value"]), False, [src]
            else:
                src, derived = "", True
                yuan = per_capita_yuan(g, p.value)
                sources = [gdp.loc[year, "source_id"], p.source_id]
            rows.append(_row(area, "resident", year, g, p, yuan, derived, src, sources, rates))
    return pd.DataFrame(rows)


def _row(area, base, year, gdp, pop, yuan, derived, source, sources, rates) -> dict:
    rate = rates.loc[year] if year in rates.index else None
    usd = to_usd(yuan, year, rates)
    return {
        "area_code": area,
        "base": base,
        "year": int(year),
        "gdp": gdp,
        "population": pop.value if pop is not None else float("nan"),
        "per_capita_yuan": yuan,
        "derived": derived,
        "per_capita_source": source,
        "sources": list(dict.fromkeys(s for s in sources if s)),
        "rate": rate.rate if rate is not None else float("nan"),
        "rate_source": rate.rate_source if rate is not None else "",
        "per_capita_usd": usd if usd is not None else float("nan"),
    }


@dataclass(frozen=True)
class StageCrossing:
    """When one area's GDP per capita, on one base, first reached a dollar level.

    ``first_at``/``last_below`` as in :class:`analysis.model.trends.Crossing`, over the years that
    have a dollar figure. ``unconverted`` lists the years before ``last_below`` (before
    ``first_at`` when nothing is below) that have a yuan figure but no exchange rate, so no
    dollar figure: the level could in principle have been passed then. ``unconverted_after``
    lists such years after the last dollar figure, when the level was not reached.
    """

    area_code: str
    base: str
    level: float
    first_at: int | None
    last_below: int | None
    unconverted: tuple[int, ...]
    unconverted_after: tuple[int, ...] = ()

    @property
    def status(self) -> str:
        """``exact``, ``between`` (a gap of years), ``no_later_than``, ``not_reached``,
        or ``no_figure`` (no year with a dollar figure)."""
        if self.first_at is None:
            return "no_figure" if self.last_below is None else "not_reached"
        if self.last_below is None:
            return "no_later_than"
        return "exact" if self.first_at - self.last_below == 1 else "between"


def crossing(rows: pd.DataFrame, level: float) -> StageCrossing:
    """The crossing of ``level`` in the rows of one area and base of :func:`per_capita`."""
    area, base = rows.area_code.iloc[0], rows.base.iloc[0]
    usd = rows.set_index("year").per_capita_usd.dropna()
    if usd.empty:
        first, below = None, None
    else:
        found = trends.crossing(usd, level)
        first, below = found.first_at, found.last_below
    no_rate = [
        int(y)
        for y, yuan, dollars in zip(
            rows.year, rows.per_capita_yuan, rows.per_capita_usd, strict=True
        )
        if pd.notna(yuan) and pd.isna(dollars)
    ]
    start = below if below is not None else first
    before = tuple(y for y in no_rate if start is not None and y < start)
    if start is None:  # no dollar figure at all: every year lacks one
        before = tuple(no_rate)
    after = tuple(y for y in no_rate if first is None and below is not None and y > below)
    return StageCrossing(area, base, level, first, below, before, after)


def crossings(frame: pd.DataFrame | None = None) -> list[StageCrossing]:
    """Every area × base × level, Taizhou's two bases first."""
    table = per_capita(frame)
    out = []
    for _, rows in table.groupby(["area_code", "base"], sort=False):
        for level in LEVELS:
            out.append(crossing(rows.sort_values("year"), level))
    return out


@dataclass(frozen=True)
class Verdict:
    """Whether the study's band held for its period on one base.

    ``status``: ``held`` (every year of the period has a dollar figure inside the band),
    ``held_so_far`` (every year that has one is inside, but some have none), ``not_held``
    (a year is outside; ``outside`` lists them) or ``undetermined`` (no year of the period
    has a dollar figure). ``missing`` lists the period's years without a dollar figure;
    ``no_population`` those of them without a population on the base (so no per-capita
    figure at all), the others lacking only the year's exchange rate.
    """

    base: str
    start: int
    end: int
    low: float
    high: float
    status: str
    outside: tuple[int, ...]
    missing: tuple[int, ...]
    no_population: tuple[int, ...] = ()


def study_claim() -> dict:
    """The study's statement (period, band, unit) from ``data/study/context.csv``."""
    context = data.indexed("study_context", "id")
    row = context.loc[STUDY_CONTEXT]
    return {
        "start": int(row.period_start),
        "end": int(row.period_end),
        "low": float(row.low),
        "high": float(row.high),
        "source_id": row.source_id,
    }


def verdicts(frame: pd.DataFrame | None = None) -> list[Verdict]:
    """The verdict on the study's band for Taizhou on each population base."""
    claim = study_claim()
    table = per_capita(frame)
    out = []
    for base in BASES:
        rows = table[(table.area_code == TAIZHOU) & (table.base == base)].set_index("year")
        period = range(claim["start"], claim["end"] + 1)
        known = {y: rows.per_capita_usd.get(y) for y in period}
        known = {y: v for y, v in known.items() if v is not None and pd.notna(v)}
        missing = tuple(y for y in period if y not in known)
        yuan = rows.per_capita_yuan
        no_pop = tuple(y for y in missing if y not in yuan.index or pd.isna(yuan.get(y)))
        outside = tuple(y for y, v in known.items() if not claim["low"] <= v < claim["high"])
        if not known:
            status = "undetermined"
        elif outside:
            status = "not_held"
        else:
            status = "held_so_far" if missing else "held"
        out.append(
            Verdict(
                base,
                claim["start"],
                claim["end"],
                claim["low"],
                claim["high"],
                status,
                outside,
                missing,
                no_pop,
            )
        )
    return out


@dataclass(frozen=True)
class StudyBase:
    """The population the study's own per-100 figure divides by, and the base it matches.

    ``implied`` = subscribers ÷ rate × 100 (万人); ``candidates`` maps each base to its
    same-year population (None when not published); ``base`` is the one within
    :data:`IMPLIED_BASE_TOLERANCE`, or None.
    """

    year: int
    users: data.Figure
    rate: data.Figure
    implied: float
    candidates: dict
    base: str | None


def implied_base(year: int = STUDY_YEAR) -> StudyBase:
    """Which population the study's figures imply, from its mobile users and mobile rate."""
    users = data.figure(TAIZHOU, year, "mobile_users", source_id=STUDY_SOURCE)
    rate = data.figure(TAIZHOU, year, "mobile_per_100", source_id=STUDY_SOURCE)
    implied = consistency.implied_base(users, rate).value
    candidates = {}
    for base, indicator in BASES.items():
        found = trends.lookup(TAIZHOU, year, indicator)
        candidates[base] = found
    matches = [
        b
        for b, f in candidates.items()
        if f is not None and abs(f.value - implied) / f.value <= IMPLIED_BASE_TOLERANCE
    ]
    return StudyBase(year, users, rate, implied, candidates, matches[0] if matches else None)


def published_checks(obs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every published Taizhou per-capita figure beside the computed ones on both bases.

    One row per document and year: ``year``, ``source_id``, ``published``, ``gdp`` (the
    same document's GDP if it gives one, else the preferred GDP), ``implied_population``
    (GDP ÷ published per capita, 万人), and for each base the computed figure
    (``computed_<base>``, from that GDP) and the relative difference (``diff_<base>``,
    published ÷ computed − 1). ``matches`` is the base within :data:`TOLERANCE` (the
    closer one if both), or empty; ``differs`` is True when neither base is within it.
    """
    obs = data.observations() if obs is None else obs
    frame = trends.preferred(obs)
    mine = obs[obs.area_code == TAIZHOU]
    published = mine[mine.indicator == "gdp_per_capita_yuan"]
    gdp_docs = mine[mine.indicator == "gdp"].set_index(["year", "source_id"]).value
    preferred_gdp = _values(frame, TAIZHOU, "gdp").value
    pops = {b: _values(frame, TAIZHOU, ind).value for b, ind in BASES.items()}
    rows = []
    for row in published.sort_values(["year", "source_id"]).itertuples():
        year = int(row.year)
        gdp = gdp_docs.get((year, row.source_id), preferred_gdp.get(year))
        out = {"year": year, "source_id": row.source_id, "published": float(row.value)}
        out["gdp"] = float(gdp) if gdp is not None else float("nan")
        out["implied_population"] = out["gdp"] * 1e4 / row.value if gdp is not None else None
        diffs = {}
        for base, pop in pops.items():
            if gdp is None or year not in pop.index:
                out[f"computed_{base}"] = float("nan")
                out[f"diff_{base}"] = float("nan")
                continue
            computed = per_capita_yuan(float(gdp), float(pop[year]))
            out[f"computed_{base}"] = computed
            out[f"diff_{base}"] = diffs[base] = row.value / computed - 1
        close = {b: abs(d) for b, d in diffs.items() if abs(d) <= TOLERANCE}
        out["matches"] = min(close, key=close.get) if close else ""
        out["differs"] = bool(diffs) and not close
        rows.append(out)
    return pd.DataFrame(rows)


def penetration_points(
    indicators: tuple[str, ...] = ("mobile_per_100", "fixed_per_100", "broadband_household_rate"),
    frame: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Telecom penetration against GDP per capita (yuan), one row per area, year, indicator.

    Only years where both are published (or derived) appear. Taizhou's GDP per capita is
    the derived registered-base figure (the base its per-100 rates use); Zhejiang's and
    China's as in :func:`per_capita`. Columns: ``area_code``, ``year``, ``indicator``,
    ``value``, ``unit``, ``source_id``, ``per_capita_yuan``, ``base``, ``derived``,
    ``per_capita_sources``.
    """
    frame = trends.preferred() if frame is None else frame
    pcs = per_capita(frame)
    pcs = pcs[pcs.per_capita_yuan.notna()]
    pcs = pcs[(pcs.area_code != TAIZHOU) | (pcs.base == "registered")]
    pens = frame[frame.area_code.isin(AREAS) & frame.indicator.isin(indicators)]
    merged = pens.merge(
        pcs[["area_code", "year", "per_capita_yuan", "base", "derived", "sources"]],
        on=["area_code", "year"],
    ).rename(columns={"sources": "per_capita_sources"})
    order = {a: i for i, a in enumerate(AREAS)}
    merged = merged.assign(_o=merged.area_code.map(order)).sort_values(["indicator", "_o", "year"])
    cols = [
        "area_code",
        "year",
        "indicator",
        "value",
        "unit",
        "source_id",
        "per_capita_yuan",
        "base",
        "derived",
        "per_capita_sources",
    ]
    return merged[cols].reset_index(drop=True)


@dataclass(frozen=True)
class AtSameIncome:
    """Another area at the first year its GDP per capita reached Taizhou's of ``year``.

    ``ahead`` is True when Taizhou's penetration in ``year`` was higher than the other
    area's at that year; the comparison is in current yuan (no price adjustment).
    """

    area_code: str
    year: int
    per_capita_yuan: float
    value: float
    taizhou_year: int
    taizhou_per_capita_yuan: float
    taizhou_value: float

    @property
    def ahead(self) -> bool:
        return self.taizhou_value > self.value


def at_same_income(indicator: str = "mobile_per_100", year: int = STUDY_YEAR) -> list[AtSameIncome]:
    """For Zhejiang and China: the first charted year at or above Taizhou's income of ``year``."""
    points = penetration_points()
    points = points[points.indicator == indicator]
    tz = points[(points.area_code == TAIZHOU) & (points.year == year)]
    if tz.empty:
        raise LookupError(f"no Taizhou point for {indicator} in {year}")
    tz = tz.iloc[0]
    out = []
    for area in (ZHEJIANG, CHINA):
        rich = points[(points.area_code == area) & (points.per_capita_yuan >= tz.per_capita_yuan)]
        if rich.empty:
            continue
        first = rich.sort_values("year").iloc[0]
        out.append(
            AtSameIncome(
                area,
                int(first.year),
                float(first.per_capita_yuan),
                float(first.value),
                year,
                float(tz.per_capita_yuan),
                float(tz.value),
            )
        )
    return out
