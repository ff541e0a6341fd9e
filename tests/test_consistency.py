"""Consistency checks of the study's figures: implied bases, matches, and bad inputs."""

from __future__ import annotations

import pytest

from analysis.chapters import infrastructure as infra
from analysis.core import data
from analysis.model import consistency, trends
from analysis.model.consistency import ConsistencyInputError, implied_base


def fig(indicator, value, unit, year=2011):
    return data.Figure("331000", year, indicator, value, unit, "src", indicator)


def test_implied_base_is_count_over_rate():
    base = implied_base(fig("mobile_users", 50.0, "万户"), fig("mobile_per_100", 125.0, "部/百人"))
    assert base.value == pytest.approx(40.0)
    share = implied_base(
        fig("broadband_users", 30.0, "万户"), fig("broadband_household_rate", 60.0, "%")
    )
    assert share.value == pytest.approx(50.0)


@pytest.mark.parametrize(
    ("count", "rate", "message"),
    [
        (fig("mobile_users", 791450, "户"), fig("mobile_per_100", 134.88, "部/百人"), "户"),
        (fig("mobile_users", 791.45, "万户"), fig("mobile_per_100", 0.0, "部/百人"), "not > 0"),
        (
            fig("mobile_users", 791.45, "万户"),
            fig("mobile_per_100", float("nan"), "部/百人"),
            "not > 0",
        ),
        (
            fig("broadband_users", 112.7, "万户"),
            fig("broadband_household_rate", 0.5861, "比例"),
            "比例",
        ),
        (fig("mobile_users", -1.0, "万户"), fig("mobile_per_100", 10.0, "部/百人"), "< 0"),
    ],
)
def test_bad_inputs_raise_clear_errors(count, rate, message):
    with pytest.raises(ConsistencyInputError, match=message):
        implied_base(count, rate)


def test_study_mobile_rate_uses_the_registered_population(real_data):
    mobile = data.figure("331000", 2011, "mobile_users", source_id=consistency.STUDY)
    rate = data.figure("331000", 2011, "mobile_per_100")
    registered = trends.figure("331000", 2011, "registered_population")
    implied = implied_base(mobile, rate).value
    assert abs(implied - registered.value) / registered.value <= consistency.MATCH_TOLERANCE
    table = infra.consistency_frame()
    mobile_rows = table[table["数字"].str.startswith(mobile.label_zh)]
    matched = mobile_rows[mobile_rows["吻合"] == True]  # noqa: E712 (column holds None too)
    assert list(matched["对照"]) == [f"2011年末户籍人口 {registered.formatted()}"]


def test_household_rate_has_no_published_base_to_compare(real_data):
    table = infra.consistency_frame()
    row = table[table["数字"].str.contains("入户率")].iloc[0]
    assert row["吻合"] is None and row["对照"] == "无公开的户数可对照"
