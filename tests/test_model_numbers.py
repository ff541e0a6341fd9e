"""Computation returns numbers and codes; words, units and symbols are added at the edge.

Every model function below runs on the real data. Its result must have snake_case ASCII column
names, and no value may carry Chinese text or a display symbol ('%', '≥', '≤') — except in
columns that carry a name or note read from ``data/`` (``*_zh``, titles, notes).
``STILL_DISPLAY`` lists the model functions that still return display strings (empty now: keep
it so); the test fails when one of them becomes clean, so the list only shrinks.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.model import (
    consistency,
    counties,
    development,
    gaps,
    ratios,
    scenarios,
    scorecard,
    trends,
)

CALLS = {
    "ratios.ratio_values": ratios.ratio_values,
    "scenarios.curves": lambda: scenarios.curves("mobile_per_100"),
    "scenarios.backtest": lambda: scenarios.backtest("mobile_per_100"),
    "scenarios.target_years": lambda: scenarios.target_years("broadband_household_rate"),
    "scenarios.rolling_errors": lambda: scenarios.rolling_errors("baseline", "mobile_per_100"),
    "development.per_capita": development.per_capita,
    "development.published_checks": development.published_checks,
    "counties.county_values": counties.county_values,
    "counties.telecom_summary": counties.telecom_summary,
    "counties.areas_table": counties.areas_table,
    "gaps.gaps": gaps.gaps,
    "gaps.coverage": gaps.coverage,
    "trends.preferred": trends.preferred,
    "consistency.checks": consistency.checks,
    "scorecard.scores": scorecard.scores,
    "scorecard.categories": scorecard.categories,
    "scorecard.changes": scorecard.changes,
}
STILL_DISPLAY: set[str] = set()  # every listed model function returns numbers and codes
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
DISPLAY = re.compile(r"[\u3400-\u9fff\uff00-\uffef%≥≤]")
# columns that carry words read from data/ (names, titles, notes), not made by the computation
FROM_DATA = re.compile(r"(_zh|_en|title|note|label|name|publisher|citation|source|unit|url)$")


def display_strings(frame: pd.DataFrame) -> list[str]:
    found = [f"column {c!r}" for c in frame.columns if not SNAKE.match(str(c))]
    for column in frame.columns:
        if FROM_DATA.search(str(column)):
            continue
        for value in frame[column]:
            if isinstance(value, str) and DISPLAY.search(value):
                found.append(f"{column}: {value!r}")
                break
    return found


@pytest.mark.parametrize("name", sorted(CALLS))
def test_model_results_are_numbers_and_codes(real_data, name):
    found = display_strings(CALLS[name]())
    if name in STILL_DISPLAY:
        assert found, f"{name} is clean now: take it off STILL_DISPLAY"
    else:
        assert found == []


def test_the_check_sees_display_strings():
    assert display_strings(pd.DataFrame({"value": ["62.3%"]})) == ["value: '62.3%'"]
    assert display_strings(pd.DataFrame({"status": ["已达到"]})) == ["status: '已达到'"]
    assert display_strings(pd.DataFrame({"目标": [1.0]})) == ["column '目标'"]
    assert display_strings(pd.DataFrame({"name_zh": ["台州市"], "value": [62.3]})) == []
