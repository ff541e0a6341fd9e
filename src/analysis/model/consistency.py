"""Do the study's 2011 figures agree with each other and with the population counts?

A rate and the count it is computed from imply the base they were divided by: 791.45万 mobile
users at 134.88 per 100 people imply a population of 586.8万. Comparing each implied base with
the registered (户籍) and resident (常住) population shows which base each rate uses, and flags
figures that cannot be reproduced from any published base.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.core import data
from analysis.core.reference import STUDY_SOURCE, STUDY_YEAR, TAIZHOU
from analysis.model import rates, trends
from analysis.model.rates import RateInputError

STUDY = STUDY_SOURCE  # the checks are of the study's own figures
# Each check: (count indicator, rate indicator, what the implied base counts)
CHECKS = [
    ("mobile_users", "mobile_per_100", "人口"),
    ("fixed_line_users", "fixed_per_100", "人口"),
    ("broadband_users", "broadband_household_rate", "户数"),
]
RATE_SCALE = {"部/百人": 100.0, "%": 100.0}
# Within this relative difference an implied base is taken to be the published base.
MATCH_TOLERANCE = 0.001


class ConsistencyInputError(RateInputError):
    """A count and a rate that cannot be combined (missing, zero, or in unexpected units)."""


@dataclass(frozen=True)
class ImpliedBase:
    """The base (people or households, in 万) that a count and its rate imply."""

    count: data.Figure
    rate: data.Figure
    value: float


def implied_base(count: data.Figure, rate: data.Figure) -> ImpliedBase:
    """Return count ÷ rate × scale: the population or households the rate was divided by.

    Counts must be in 万户 and rates per 100 people or in %; a zero or negative rate, or any
    other unit (户 instead of 万户, a share written as a fraction), raises
    :class:`ConsistencyInputError` rather than returning a misleading base.
    """
    rates.check_count_unit(count, ConsistencyInputError)
    if rate.unit not in RATE_SCALE:
        raise ConsistencyInputError(
            f"{rate.indicator} {rate.year}: rate in {rate.unit!r}, expected one of "
            f"{sorted(RATE_SCALE)}"
        )
    if not rate.value > 0:
        raise ConsistencyInputError(f"{rate.indicator} {rate.year}: rate {rate.value} is not > 0")
    if not count.value >= 0:
        raise ConsistencyInputError(f"{count.indicator} {count.year}: count {count.value} < 0")
    return ImpliedBase(count, rate, count.value / rate.value * RATE_SCALE[rate.unit])


def relative_difference(value: float, reference: float) -> float:
    """Return (value − reference) ÷ reference; the reference must be positive."""
    if not reference > 0:
        raise ConsistencyInputError(f"reference base {reference} is not > 0")
    return (value - reference) / reference


def population_bases(year: int) -> dict[str, rates.Base]:
    """Return Taizhou's population bases for ``year``, by indicator (registered, resident).

    The bases are those every derived rate uses (:func:`rates.population_base`): a base the
    rule does not find is left out, never replaced by one from a distant year.
    """
    bases = {}
    pref = trends.preferred()
    for indicator in ("registered_population", "resident_population"):
        found = rates.population_base(TAIZHOU, year, indicator, pref)
        if found is not None:
            bases[indicator] = found
    return bases


CHECK_COLUMNS = [
    "count_id",
    "rate_id",
    "kind",
    "implied",
    "base_indicator",
    "base_year",
    "base_value",
    "base_summed",
    "difference",
    "match",
]


def checks(year: int = STUDY_YEAR) -> pd.DataFrame:
    """Return one row per count/rate pair and population base: implied base and difference.

    Columns: count_id and rate_id (indicator ids of the study's figures), kind (``people`` or
    ``households``: what the implied base counts), implied (in 万), base_indicator,
    base_year, base_value and base_summed (the base compared, see
    :func:`rates.population_base`; None when there is none, as for households), difference
    ((implied − base) ÷ base) and match (whether it is within :data:`MATCH_TOLERANCE`).
    """
    rows = []
    for count_id, rate_id, kind in CHECKS:
        implied = implied_base(
            data.figure(TAIZHOU, year, count_id, source_id=STUDY),
            data.figure(TAIZHOU, year, rate_id, source_id=STUDY),
        )
        bases = population_bases(year) if kind == "人口" else {}
        for indicator, base in bases.items() or [(None, None)]:
            diff = relative_difference(implied.value, base.figure.value) if base else None
            rows.append(
                {
                    "count_id": count_id,
                    "rate_id": rate_id,
                    "kind": "people" if kind == "人口" else "households",
                    "implied": implied.value,
                    "base_indicator": indicator,
                    "base_year": None if base is None else base.figure.year,
                    "base_value": None if base is None else base.figure.value,
                    "base_summed": None if base is None else base.summed,
                    "difference": diff,
                    "match": None if diff is None else bool(abs(diff) <= MATCH_TOLERANCE),
                }
            )
    return pd.DataFrame(rows, columns=CHECK_COLUMNS)
