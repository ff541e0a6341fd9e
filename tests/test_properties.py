"""Property-based tests: any valid figures an analyst adds are taken in by every chapter.

Hypothesis draws additions for one area and indicator of ``data/expected_coverage.csv``
(Taizhou or a county): 1–15 years after 2011, rising, falling, flat or anywhere, values
inside the indicator's bounds. Each chapter module's public functions run on a copy of
``data/`` with those rows: none raises, and the latest added value reaches their output.
Examples are few (each one reloads the data package), but each covers every chapter.
"""

from __future__ import annotations

import csv
import math
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

import analysis.core.data
from analysis.chapters import counties as county_page
from analysis.chapters import infrastructure
from analysis.chapters import scenarios as scenario_charts
from analysis.chapters import scorecard as card
from analysis.core.paths import REPO_ROOT
from analysis.model import gaps, scenario_checks, scenarios, scorecard, trends
from analysis.render.html import number

REPO_DATA = REPO_ROOT / "data"
SOURCE = "test_property_yearbook"
COVERAGE = pd.read_csv(REPO_DATA / "expected_coverage.csv", dtype={"area_code": str})
INDICATORS = pd.read_csv(REPO_DATA / "indicators.csv").set_index("id")
TELECOM_COVERAGE = COVERAGE[
    COVERAGE.area_code.str.startswith("331")
    & COVERAGE.indicator.isin(infrastructure.TREND_INDICATORS)
]
CELLS = list(TELECOM_COVERAGE[["area_code", "indicator"]].itertuples(index=False, name=None))
# scenario indicators weighted in: they exercise the most code
CELLS += [("331000", "mobile_per_100"), ("331000", "broadband_household_rate")] * 4


YEARS = {
    (r.area_code, r.indicator): (max(2012, int(r.first_year)), int(r.last_year))
    for r in COVERAGE.itertuples(index=False)
    if int(r.last_year) >= 2012
}
# the plausibility rules (a count far above the population, a county above its city, a
# tenfold change in a year) refuse such figures unless the analyst marks them as checked;
# the property is that any value inside the indicator's bounds, so marked, is taken in
NOTE = "[已核实] 属性测试：任意取值"


OBSERVED = pd.concat(
    pd.read_csv(f, dtype={"area_code": str})
    for f in sorted((REPO_DATA / "observations").glob("*.csv"))
)
# a city's count is never below a county's (the parent-total rule applies to every year)
COUNTY_MAX = (
    OBSERVED[OBSERVED.area_code.str.match(r"3310\d\d$") & (OBSERVED.area_code != "331000")]
    .groupby("indicator")
    .value.max()
)


def bounds(indicator: str) -> tuple[float, float]:
    row = INDICATORS.loc[indicator]
    low = float(row.min_value)
    high = 5000.0 if pd.isna(row.max_value) else float(row.max_value)
    return low, high


@st.composite
def additions(draw):
    """One area and indicator, 1–15 years after 2011, a shape and values inside the bounds."""
    area, indicator = draw(st.sampled_from(CELLS))
    first, last = YEARS.get((area, indicator), (2012, 2025))
    years = sorted(draw(st.sets(st.integers(first, last), min_size=1, max_size=15)))
    low, high = bounds(indicator)
    if area == "331000" and INDICATORS.loc[indicator, "unit"] in ("万户", "万人"):
        low = max(low, float(COUNTY_MAX.get(indicator, low)))
    shape = draw(st.sampled_from(["rising", "falling", "flat", "anywhere"]))
    start = draw(st.floats(low, high, allow_nan=False, allow_infinity=False))
    if shape == "anywhere":
        values = [draw(st.floats(low, high, allow_nan=False, allow_infinity=False)) for _ in years]
    else:
        step = draw(st.floats(0.0, (high - low) / 20)) * {"rising": 1, "falling": -1}.get(shape, 0)
        values = [min(max(start + step * i, low), high) for i in range(len(years))]
    return area, indicator, years, [round(v, 2) for v in values]


def write_copy(area: str, indicator: str, years: list[int], values: list[float]) -> Path:
    root = Path(tempfile.mkdtemp(prefix="atlas-prop-")) / "data"
    shutil.copytree(REPO_DATA, root)
    with (root / "sources.csv").open("a", encoding="utf-8", newline="") as fh:
        row = [SOURCE, "《台州统计年鉴》（测试用）", "台州市统计局", "2026", "official"]
        csv.writer(fh, lineterminator="\n").writerow([*row, "", "测试用。", "Test."])
    unit = INDICATORS.loc[indicator, "unit"]
    with (root / "observations" / "taizhou.csv").open("a", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        for year, value in zip(years, values, strict=True):
            writer.writerow([area, year, indicator, f"{value:g}", unit, SOURCE, NOTE])
    return root


def shown(value: float) -> str:
    return number(value)  # as the pages print it: every digit, thousands separators


@pytest.mark.slow
@example(case=("331022", "mobile_users", [2018, 2020], [403.2, 537.61]))  # 1417 per 100 people
@settings(
    max_examples=int(os.environ.get("ATLAS_PROPERTY_EXAMPLES", "5")),
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: each example reloads the data
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(additions())
def test_any_valid_additions_are_taken_in_everywhere(monkeypatch, case):
    area, indicator, years, values = case
    root = write_copy(area, indicator, years, values)
    monkeypatch.setenv("ATLAS_DATA_DIR", str(root))
    analysis.core.data._package.cache_clear()
    try:
        latest_year, latest = years[-1], values[-1]
        # trends: the preferred figure is the added one
        assert trends.series(area, indicator)[latest_year] == pytest.approx(latest)
        # the gap closes
        missing = gaps.gaps()
        assert not (
            (missing.area_code == area)
            & (missing.indicator == indicator)
            & (missing.year == latest_year)
        ).any()
        # infrastructure: the trend chart's data and the computed sentences
        if area == "331000":
            frame = infrastructure.trend_frame()
            mine = frame[(frame.area_code == area) & (frame.indicator == indicator)]
            assert latest in set(mine["数值"]) or latest == pytest.approx(
                mine[mine["年份"] == latest_year]["数值"].iloc[0]
            )
            assert str(latest_year) in infrastructure.after_study_sentence()
        infrastructure.growth()
        infrastructure.ratios()
        infrastructure.single_year_sentence()
        infrastructure.missing_fibre_sentence()
        county_rows = infrastructure.county_figures()
        if area != "331000":
            assert str(latest_year) in infrastructure.county_telecom_sentence()
            mine = county_rows[county_rows["年份"] == latest_year]
            assert any(math.isclose(v, latest) for v in mine["数值"])
            tele = county_page.telecom_texts()
            assert any(f"{latest_year}年" in t and shown(latest) in t for t in tele)
        # scorecard: statuses and the latest figure follow
        sc = scorecard.scores()
        points = card.key_points()
        card.scorecard_frame()
        scorecard.categories()
        scorecard.changes()
        if area == "331000" and indicator in set(sc.indicator):
            rows = sc[sc.indicator == indicator]
            assert (rows.year == latest_year).all() and (rows.value == latest).all()
            assert str(latest_year) in points["after_study"]
        # scenarios: validation passes, curves anchor on the latest figure, pages compute
        assert scenario_checks.report() == []
        if area == "331000" and indicator in scenario_charts.INDICATORS:
            for s in scenarios.SCENARIOS:
                p = scenarios.project(s, indicator)
                assert (p.anchor_year, p.anchor_value) == (latest_year, pytest.approx(latest))
                assert p.values([latest_year])[0] == pytest.approx(latest)
            t = scenarios.target_years(indicator)
            published = trends.series(area, indicator)
            for row in t[t.by == "published"].itertuples():
                assert published[row.met] >= row.target_value
            scenarios.band("baseline", indicator, draws=20)
            scenarios.backtest(indicator, scenarios.TAIZHOU)
            frame = scenario_charts.basis_frame()
            assert f"{shown(latest)}（{latest_year} 年）" in set(frame["经过的台州数字"])
            points = scenario_charts.key_points()
            assert f"{latest_year} 年 {shown(latest)}" in points["anchors"]
            scenario_charts.targets_frame()
            scenario_charts.forward_look(indicator)
    finally:
        analysis.core.data._package.cache_clear()
        shutil.rmtree(root.parent, ignore_errors=True)
