"""Series helpers: one figure per year, runs of years, growth, crossings and positions."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.chapters import infrastructure as infra
from analysis.model import trends
from analysis.model.trends import SeriesError


def obs(rows):
    return pd.DataFrame(
        rows, columns=["area_code", "indicator", "year", "value", "source_id", "source_date"]
    )


def test_preferred_takes_the_later_document_and_keeps_the_other():
    frame = trends.preferred(
        obs(
            [
                ("100000", "mobile_users", 2007, 54728.6, "bulletin", "2008-01"),
                ("100000", "mobile_users", 2007, 54730.6, "yearbook", "2012"),
                ("100000", "mobile_users", 2008, 64124.5, "yearbook", "2012"),
            ]
        )
    )
    assert list(frame.year) == [2007, 2008]
    first = frame.iloc[0]
    assert (first.source_id, first.value) == ("yearbook", 54730.6)
    assert first.alternatives == [("bulletin", 54728.6)]
    assert frame.iloc[1].alternatives == []
    assert infra.alternatives_text(first.alternatives) == "bulletin：54,728.6"
    assert infra.alternatives_text(frame.iloc[1].alternatives) == ""


def test_preferred_puts_official_before_news_before_compilations():
    rows = obs(
        [
            ("331000", "registered_population", 2011, 586.79, "news_2012", "2012-10"),
            ("331000", "registered_population", 2011, 586.79, "panel_2022", "2022"),
            ("331000", "registered_population", 2011, 586.8, "yearbook_2012", "2012"),
        ]
    )
    rows["source_kind"] = ["news", "compilation", "official"]
    first = trends.preferred(rows).iloc[0]
    assert first.source_id == "yearbook_2012"
    assert infra.alternatives_text(first.alternatives) == "news_2012：586.79；panel_2022：586.79"
    assert trends.preferred(rows.iloc[:2]).iloc[0].source_id == "news_2012"


def test_segments_break_at_missing_years():
    assert trends.segments(pd.Series([2009, 2010, 2012, 2013, 2016])).tolist() == [0, 0, 1, 1, 2]


def test_cagr_and_its_bad_inputs():
    assert trends.cagr(100, 2010, 121, 2012) == pytest.approx(0.10)
    with pytest.raises(SeriesError, match="end year"):
        trends.cagr(100, 2012, 121, 2012)
    with pytest.raises(SeriesError, match="positive"):
        trends.cagr(0, 2010, 121, 2012)


def test_crossing_between_adjacent_years_is_exact_and_interpolated():
    c = trends.crossing(pd.Series({2009: 85.6, 2010: 93.3, 2011: 105.2}), 100)
    assert (c.first_at, c.last_below) == (2011, 2010)
    assert c.estimate == pytest.approx(2010 + 6.7 / 11.9)
    assert c.describe() == "2011 年"


def test_crossing_across_a_gap_says_so():
    c = trends.crossing(pd.Series({2008: 40.0, 2012: 60.0}), 50)
    assert c.describe() == "2008—2012 年间（中间年份的数字本站可查的材料中没有）"


def test_crossing_never_reached_or_reached_before_the_first_figure():
    never = trends.crossing(pd.Series({2010: 10.0, 2011: 20.0}), 50)
    assert not never.reached and "仍未达到" in never.describe()
    early = trends.crossing(pd.Series({2010: 60.0, 2011: 70.0}), 50)
    assert early.last_below is None and early.estimate is None
    assert "不晚于 2010" in early.describe()
    with pytest.raises(SeriesError):
        trends.crossing(pd.Series(dtype=float), 50)


def test_position_ahead_and_behind():
    reference = pd.Series({2010: 100.0, 2011: 110.0, 2012: 120.0, 2013: 130.0})
    ahead = trends.position(125.0, 2011, reference)
    assert ahead.years_ahead == pytest.approx(1.5)
    assert ahead.describe().startswith("领先约 1.5 年")
    behind = trends.position(105.0, 2012, reference)
    assert behind.years_ahead == pytest.approx(-1.5)
    assert behind.describe().startswith("落后约 1.5 年")
    assert trends.position(95.0, 2011, reference).years_ahead is None
    assert "领先" in trends.position(140.0, 2011, reference).describe()


def test_lead_text_gives_a_bound_when_the_reference_never_crossed():
    reference = pd.Series({2010: 100.0, 2011: 110.0, 2012: 120.0, 2013: 130.0})
    assert trends.position(125.0, 2011, reference).lead() == "+1.5"
    assert trends.position(105.0, 2012, reference).lead() == "−1.5"
    assert trends.position(140.0, 2011, reference).lead() == "超过 2 年"
    assert trends.position(95.0, 2012, reference).lead() == "落后超过 2 年"
