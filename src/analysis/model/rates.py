"""Penetration rates computed by the site: per 100 people and per 100 households.

A published rate is always preferred; these functions derive a rate only where a count and
its base are both published, and they refuse inputs that would give a wrong number quietly:
a zero or missing base, counts in 户 instead of 万户, a per-person rate divided by households
(or the reverse), or a result above the indicator's upper bound.
"""

from __future__ import annotations

import math

from analysis.core import data

PEOPLE_BASES = {"resident_population": "常住人口", "registered_population": "户籍人口"}
HOUSEHOLD_BASES = {"households": "户数"}
COUNT_UNIT = "万户"
BASE_UNITS = {"resident_population": "万人", "registered_population": "万人", "households": "万户"}


class RateInputError(ValueError):
    """A count and a base that cannot be combined into a rate."""


def _check(count: data.Figure, base: data.Figure, allowed: dict[str, str], kind: str) -> None:
    if base.indicator not in allowed:
        raise RateInputError(
            f"{kind} needs a base of {', '.join(sorted(allowed))}; got {base.indicator} "
            f"({base.area_code}, {base.year}) — a per-person rate cannot be divided by "
            "households, nor a household rate by people"
        )
    if count.unit != COUNT_UNIT:
        raise RateInputError(
            f"{count.indicator} {count.area_code} {count.year}: count in {count.unit!r}, "
            f"expected {COUNT_UNIT!r} (convert 户 to 万户 by dividing by 10,000)"
        )
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
    ind = data.table("indicators").set_index("id").loc[indicator]
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
