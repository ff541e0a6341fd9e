"""Penetration rates computed by the site: per 100 people and per 100 households.

A published rate is always preferred; these functions derive a rate only where a count and
its base are both published, and they refuse inputs that would give a wrong number quietly:
a zero or missing base, counts in 户 instead of 万户, a per-person rate divided by households
(or the reverse), or a result above the indicator's upper bound.

The population base (one rule, used by every derived rate and by the consistency check):

* the **registered population** (户籍人口, a year-end figure published every year) of the same
  year — never of another year;
* the **resident population** (常住人口) of the same year, else of a census at most
  :data:`CENSUS_DISTANCE` year(s) away (the year before first, then the year after): a census
  counts the population at 1 November, so the census of 2010 stands for the end of 2010 and,
  one year on, for 2011; further away the population has moved too much to be used silently;
* for Taizhou, when ``data/`` holds no city resident figure, the sum of its nine counties'
  census figures of such a year stands in (:func:`analysis.model.counties.city_census_total`),
  and the base says so (``summed``);
* otherwise there is no base and the rate is not derived (missing, never estimated).

Where one base is needed (a county's rate), the registered population comes first. The pages
show the base chosen (which population, which year) beside each derived rate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analysis.core import data
from analysis.core.reference import TAIZHOU
from analysis.model import trends

PEOPLE_BASES = {"resident_population": "常住人口", "registered_population": "户籍人口"}
HOUSEHOLD_BASES = {"households": "户数"}
COUNT_UNIT = "万户"
BASE_UNITS = {"resident_population": "万人", "registered_population": "万人", "households": "万户"}


CENSUS_DISTANCE = 1  # years a census may be from the year of the rate


@dataclass(frozen=True)
class Base:
    """The population a rate is divided by, and whether it is the counties' census sum."""

    figure: data.Figure
    summed: bool = False  # the nine counties' census figures added up (no city figure)


def population_base(
    area: str, year: int, indicator: str, frame: pd.DataFrame | None = None
) -> Base | None:
    """The ``indicator`` population (registered or resident) to divide ``area``'s ``year`` by.

    Follows the rule in the module's docstring; None when the rule finds no base. ``frame``
    is a result of :func:`analysis.model.trends.preferred` to reuse.
    """
    if indicator not in PEOPLE_BASES:
        raise RateInputError(f"{indicator} is not a population base ({', '.join(PEOPLE_BASES)})")
    frame = trends.preferred() if frame is None else frame
    if indicator == "registered_population":
        years = [year]
    else:
        years = [year]
        for step in range(1, CENSUS_DISTANCE + 1):
            years += [year - step, year + step]
    for y in years:
        hit = trends.lookup(area, y, indicator, frame)
        if hit is not None:
            return Base(hit)
    if indicator == "resident_population" and area == TAIZHOU:
        from analysis.model.counties import city_census_total  # counties reads the layers

        for y in years:
            summed = city_census_total(y)
            if summed is not None:
                return Base(summed, summed=True)
    return None


def rate_base(area: str, year: int, frame: pd.DataFrame | None = None) -> Base | None:
    """The one base of a rate per 100 people: registered population first, else resident."""
    for indicator in ("registered_population", "resident_population"):
        base = population_base(area, year, indicator, frame)
        if base is not None:
            return base
    return None


class RateInputError(ValueError):
    """A count and a base that cannot be combined into a rate."""


def check_count_unit(count: data.Figure, error: type[RateInputError] = RateInputError) -> None:
    """Refuse a count not in 万户 (the one unit check of every rate and implied base)."""
    if count.unit != COUNT_UNIT:
        raise error(
            f"{count.indicator} {count.area_code} {count.year}: count in {count.unit!r}, "
            f"expected {COUNT_UNIT!r} (convert 户 to 万户 by dividing by 10,000)"
        )


def _check(count: data.Figure, base: data.Figure, allowed: dict[str, str], kind: str) -> None:
    if base.indicator not in allowed:
        raise RateInputError(
            f"{kind} needs a base of {', '.join(sorted(allowed))}; got {base.indicator} "
            f"({base.area_code}, {base.year}) — a per-person rate cannot be divided by "
            "households, nor a household rate by people"
        )
    check_count_unit(count)
    if base.unit != BASE_UNITS[base.indicator]:
        raise RateInputError(
            f"{base.indicator} {base.area_code} {base.year}: base in {base.unit!r}, "
            f"expected {BASE_UNITS[base.indicator]!r}"
        )
    if math.isnan(base.value) or not base.value > 0:
        raise RateInputError(
            f"{base.indicator} {base.area_code} {base.year}: base {base.value} is not > 0"
        )
    if math.isnan(count.value) or count.value < 0:
        raise RateInputError(
            f"{count.indicator} {count.area_code} {count.year}: count {count.value} is not >= 0"
        )


def bounded(value: float, indicator: str, what: str) -> float:
    """Return ``value`` if it lies within the indicator's bounds in indicators.csv, else raise."""
    ind = data.indexed("indicators", "id").loc[indicator]
    low, high = ind.min_value, ind.max_value
    if (not math.isnan(low) and value < low) or (not math.isnan(high) and value > high):
        raise RateInputError(
            f"{what}: {value:.2f} {ind.unit} is outside the bounds of {indicator} "
            f"[{low:g}, {high:g}]; check the units and the base"
        )
    return value


def per_100_people(count: data.Figure, population: data.Figure) -> float:
    """Return users per 100 people: count (万户) ÷ population (万人) × 100.

    The base must be the resident or registered population; bounds are those of
    ``mobile_per_100`` (the widest per-person rate).
    """
    _check(count, population, PEOPLE_BASES, "a rate per 100 people")
    value = count.value / population.value * 100
    return bounded(
        value, "mobile_per_100", f"{count.indicator} per 100 {population.indicator} {count.year}"
    )


def per_100_households(count: data.Figure, households: data.Figure) -> float:
    """Return subscriptions per 100 households (%): count (万户) ÷ households (万户) × 100.

    Above 100% the inputs are wrong (a household count in 户, or the wrong area), so it raises.
    """
    _check(count, households, HOUSEHOLD_BASES, "a household rate")
    value = count.value / households.value * 100
    return bounded(
        value, "broadband_household_rate", f"{count.indicator} per 100 households {count.year}"
    )
