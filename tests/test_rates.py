"""Rates derived by the site: arithmetic, and refusal of inputs that would mislead."""

from __future__ import annotations

import pytest

from analysis.core import data
from analysis.model.rates import RateInputError, per_100_households, per_100_people


def fig(indicator, value, unit, year=2011, area="331000"):
    return data.Figure(area, year, indicator, value, unit, "src", indicator)


def test_per_100_people_on_either_population_base(real_data):
    mobile = fig("mobile_users", 791.45, "万户")
    assert per_100_people(mobile, fig("registered_population", 586.79, "万人")) == pytest.approx(
        134.878, abs=1e-3
    )
    assert per_100_people(mobile, fig("resident_population", 596.8838, "万人")) == pytest.approx(
        132.597, abs=1e-3
    )


def test_per_100_households(real_data):
    rate = per_100_households(
        fig("broadband_users", 112.7, "万户"), fig("households", 192.3, "万户")
    )
    assert rate == pytest.approx(58.606, abs=1e-3)


@pytest.mark.parametrize(
    ("count", "base", "message"),
    [
        # zero or missing population
        (fig("mobile_users", 10.0, "万户"), fig("resident_population", 0.0, "万人"), "not > 0"),
        (
            fig("mobile_users", 10.0, "万户"),
            fig("resident_population", float("nan"), "万人"),
            "not > 0",
        ),
        # mixed units: users in 户, population in 人
        (fig("mobile_users", 7914500, "户"), fig("registered_population", 586.79, "万人"), "户"),
        (fig("mobile_users", 791.45, "万户"), fig("registered_population", 5867900, "人"), "'人'"),
        # a per-person rate divided by households
        (fig("mobile_users", 791.45, "万户"), fig("households", 192.3, "万户"), "per-person"),
        # the result is above the indicator's bound: population typed in 十万 by mistake
        (
            fig("mobile_users", 791.45, "万户"),
            fig("registered_population", 58.679, "万人"),
            "outside",
        ),
        (fig("mobile_users", -1.0, "万户"), fig("registered_population", 586.79, "万人"), ">= 0"),
    ],
)
def test_bad_inputs_to_per_100_people(real_data, count, base, message):
    with pytest.raises(RateInputError, match=message):
        per_100_people(count, base)


@pytest.mark.parametrize(
    ("base", "message"),
    [
        (fig("registered_population", 586.79, "万人"), "household rate"),
        (fig("households", 1923000, "户"), "'户'"),
        (fig("households", 19.23, "万户"), "outside"),  # 586% of households: wrong area or unit
    ],
)
def test_bad_inputs_to_per_100_households(real_data, base, message):
    with pytest.raises(RateInputError, match=message):
        per_100_households(fig("broadband_users", 112.7, "万户"), base)


def test_population_base_rule_on_the_published_data(real_data):
    from analysis.model.rates import CENSUS_DISTANCE, population_base, rate_base

    registered = population_base("331000", 2011, "registered_population")
    assert (registered.figure.year, registered.figure.value, registered.summed) == (
        2011,
        586.79,
        False,
    )
    # no city resident figure: the nine counties' 2010 census, one year from 2011
    resident = population_base("331000", 2011, "resident_population")
    assert (resident.figure.year, resident.summed) == (2010, True)
    assert resident.figure.value == pytest.approx(596.8838)
    # a census further than CENSUS_DISTANCE from the year is never used
    assert CENSUS_DISTANCE == 1
    assert population_base("331000", 2013, "resident_population") is None
    # a county has no registered figure: its census within one year, else no base
    assert rate_base("331002", 2011).figure.year == 2010
    assert rate_base("331002", 2021).figure.year == 2020
    assert rate_base("331002", 2015) is None


def test_the_rates_table_and_the_consistency_check_use_one_base(data_copy, append_row):
    from analysis.chapters import infrastructure
    from analysis.model import consistency

    # a city resident figure three years from 2011: the rule passes it over for the census
    append_row(
        "observations/population.csv",
        {
            "area_code": "331000",
            "year": "2008",
            "indicator": "resident_population",
            "value": "580",
            "unit": "万人",
            "source_id": "leiii_census_county_2010",
        },
    )
    bases = consistency.population_bases(2011)
    assert bases["registered_population"].figure.year == 2011
    assert (bases["resident_population"].figure.year, bases["resident_population"].summed) == (
        2010,
        True,
    )
    how = infrastructure.rates_on_both_bases(2011)["来源或算法"]
    assert how.str.contains("九个县（市、区）2010年普查常住人口之和").any()
    assert not how.str.contains("2008").any()
    compared = infrastructure.consistency_frame(2011)["对照"]
    assert compared.str.contains("2010年普查常住人口（九个县（市、区）之和）").any()
    assert not compared.str.contains("2008").any()
