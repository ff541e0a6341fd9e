"""Scenario projections: assumptions from data, anchoring, ordering, backtest and targets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.model import diffusion, scenarios, trends


def test_curves_pass_through_taizhou_2011_and_stay_below_saturation(real_data):
    for indicator in ("mobile_per_100", "broadband_household_rate"):
        for scenario in scenarios.SCENARIOS:
            p = scenarios.project(scenario, indicator)
            tz = trends.series("331000", indicator)
            assert p.anchor_year == 2011
            assert p.values([2011])[0] == pytest.approx(tz[2011])
            K = scenarios.saturation(scenario, indicator)
            expected = tz.max() + scenarios.parameter(scenario, indicator, "headroom")
            if indicator == "broadband_household_rate":
                expected = min(expected, 100.0)
            assert pytest.approx(expected) == K
            assert p.values(np.arange(2011, 2031)).max() <= K


def test_scenarios_are_ordered_cautious_baseline_accelerated(real_data):
    for indicator in ("mobile_per_100", "broadband_household_rate"):
        at_2020 = [scenarios.project(s, indicator).values([2020])[0] for s in scenarios.SCENARIOS]
        assert at_2020 == sorted(at_2020)


def test_shape_comes_from_china_until_taizhou_has_three_years(data_copy, append_row):
    p = scenarios.project("baseline", "mobile_per_100")
    assert p.shape_area == "100000" and len(p.shape_years) >= 3
    for year, value in ((2009, "110"), (2010, "124")):
        append_row(
            "observations/taizhou.csv",
            {
                "area_code": "331000",
                "year": str(year),
                "indicator": "mobile_per_100",
                "value": value,
                "unit": "部/百人",
                "source_id": "cppcc_2012_smart_taizhou",
            },
        )
    p = scenarios.project("baseline", "mobile_per_100")
    assert p.shape_area == "331000" and p.shape_years == (2009, 2010, 2011)
    expected = diffusion.fit_logistic(trends.series("331000", "mobile_per_100"), K=150.0)
    assert p.curve.params["r"] == pytest.approx(expected.params["r"])


def test_without_a_series_the_assumed_growth_rate_is_used(real_data):
    p = scenarios.project("baseline", "broadband_household_rate")
    assert p.shape_area is None and p.shape_years == ()
    assert p.curve.params["r"] == scenarios.parameter(
        "baseline", "broadband_household_rate", "growth_rate"
    )


def test_unknown_scenario_or_missing_assumption_is_an_error(real_data):
    with pytest.raises(KeyError, match="unknown scenario"):
        scenarios.parameter("optimistic", "mobile_per_100", "saturation")
    with pytest.raises(KeyError, match="no saturation"):
        scenarios.parameter("baseline", "ftth_users", "saturation")
    with pytest.raises(KeyError, match="no headroom"):
        scenarios.parameter("baseline", "ftth_users", "headroom")


def test_backtest_rows_follow_the_formulas(real_data):
    table = scenarios.backtest("mobile_per_100")
    china = trends.series("100000", "mobile_per_100")
    assert set(table.year) == {int(y) for y in china.index if y > 2011}
    assert np.allclose(table.abs_error, (table.projected - table.actual).abs())
    assert np.allclose(table.ape, table.abs_error / table.actual * 100)
    assert np.allclose(table.horizon, table.year - 2011)
    summary = scenarios.mape(table).set_index("scenario")
    for s in scenarios.SCENARIOS:
        assert summary.loc[s, "mape"] == pytest.approx(table[table.scenario == s].ape.mean())


def test_target_years_are_the_first_year_the_curve_reaches_the_target(real_data):
    table = scenarios.target_years("broadband_household_rate")
    assert len(table) > 0
    for row in table.itertuples(index=False):
        p = scenarios.project(row.scenario, "broadband_household_rate")
        if row.met is None:
            assert p.values([scenarios.HORIZON])[0] < row.target_value
        elif row.by == "published":
            tz = trends.series("331000", "broadband_household_rate")
            assert tz[row.met] >= row.target_value
            assert (tz[tz.index < row.met] < row.target_value).all()
        else:
            assert row.met > p.anchor_year
            assert p.values([row.met])[0] >= row.target_value
            if row.met > p.anchor_year + 1:
                assert p.values([row.met - 1])[0] < row.target_value


def test_band_brackets_the_baseline_and_is_absent_without_a_fit(real_data):
    band = scenarios.fitted_band("baseline", "mobile_per_100")
    curve = scenarios.project("baseline", "mobile_per_100").values(band.year)
    assert (band.low <= curve + 1e-6).all() and (curve <= band.high + 1e-6).all()
    assert band.low.iloc[0] == pytest.approx(band.high.iloc[0])  # all pass through 2011
    assert scenarios.fitted_band("baseline", "broadband_household_rate") is None


def test_the_band_is_never_narrower_than_the_demonstrated_error(real_data):
    """The 2020 band was 147.69–147.78 (the bootstrap alone) against backtest errors of 10–17."""
    band = scenarios.band("baseline", "mobile_per_100").set_index("year")
    fitted = scenarios.fitted_band("baseline", "mobile_per_100").set_index("year")
    curve = pd.Series(
        scenarios.project("baseline", "mobile_per_100").values(band.index), index=band.index
    )
    errors = scenarios.error_by_horizon("baseline", "mobile_per_100")
    assert (errors.tests > 0).all() and errors.envelope.is_monotonic_increasing
    for year, row in band.iterrows():
        assert row.low <= fitted.loc[year, "low"] + 1e-9
        assert row.high >= fitted.loc[year, "high"] - 1e-9
        if row.horizon > 0:
            shown = errors[errors.horizon <= row.horizon].error.max()
            assert row.high - curve[year] >= shown * curve[year] - 1e-9
    # the width at 2020 is at least the 90% error the backtest shows at that horizon
    h2020 = 2020 - 2011
    q = errors[errors.horizon <= h2020].error.max()
    assert band.loc[2020, "high"] - band.loc[2020, "low"] >= 2 * q * curve[2020] - 1e-9
    assert band.loc[2020, "high"] - band.loc[2020, "low"] > 10  # per 100, not 0.1
    assert band.beyond_tests.any() and not band.beyond_tests.iloc[0]


def test_a_gap_in_the_tests_does_not_narrow_the_band(real_data):
    """Tests at horizons 1 and 12 only: a 9-year outlook takes the 12-year error, not the 1-year."""
    band = scenarios.band("baseline", "mobile_per_100")
    env = scenarios.error_by_horizon("baseline", "mobile_per_100").set_index("horizon").envelope
    for row in band[band.horizon > 0].itertuples():
        later = env[env.index >= row.horizon]
        assert row.error == pytest.approx(later.iloc[0] if len(later) else env.iloc[-1])
        assert row.error >= env[env.index <= row.horizon].max() - 1e-12


def test_rolling_errors_follow_the_formula(real_data):
    errors = scenarios.rolling_errors("baseline", "mobile_per_100")
    assert len(errors) >= 2
    assert np.allclose(errors.rel_error, errors.projected / errors.actual - 1)
    assert (errors.horizon == errors.year - errors.origin).all() and (errors.horizon > 0).all()


def test_the_browser_formula_is_the_anchored_logistic(real_data):
    from analysis.chapters import scenarios as scenario_charts

    p = scenarios.project("baseline", "mobile_per_100")
    expr = scenario_charts.formula(p.anchor_year, p.anchor_value)
    K, r = p.curve.params["K"], p.curve.params["r"]
    for year in (2012, 2020, 2030):
        value = eval(  # the Vega expression is also valid Python with these names
            expr.replace("datum.year", str(year)),
            {"exp": np.exp, "log": np.log, "K": K, "r": r},
        )
        assert value == pytest.approx(p.values([year])[0])


def test_explorer_spec_has_two_sliders_and_a_scenario_select(real_data):
    import json
    import re

    from analysis.chapters import scenarios as scenario_charts

    html = str(scenario_charts.explorer("mobile_per_100"))
    spec = json.loads(
        re.search(r'class="atlas-spec">(.*?)</script>', html, re.S).group(1).replace("<\\/", "</")
    )
    binds = {s["name"]: s["bind"]["input"] for s in spec["signals"] if "bind" in s}
    assert binds == {"K": "range", "r": "range", "scenario_pick": "select"}
    assert "atlas-vega-controls" in html


def test_the_conclusions_follow_the_backtest_and_the_start(real_data):
    """The conclusion on the 2011 outlook says over, mixed or untested from the long-horizon
    rows it is given; the start says met or not from Taizhou's 2011 rate."""
    from analysis.chapters import scenarios as page

    long = page.LONG_HORIZON
    rows = pd.DataFrame(
        {"horizon": [long, long + 2], "projected": [120.0, 130.0], "actual": [110.0, 100.0]}
    )
    assert "都高于后来公布的数字" in page.outlook_sentence(rows)
    rows.loc[1, "actual"] = 140.0
    assert "有高有低" in page.outlook_sentence(rows)
    assert "还无法检验" in page.outlook_sentence(rows.iloc[0:0])
    points = page.key_points()
    late = scenarios.backtest("mobile_per_100").query("horizon >= @long")
    assert points["outlook"] == page.outlook_sentence(late)
    assert points["start"].startswith("按全国的标准") == ("已经高于" in points["bb_2011"])


def test_a_2011_rate_below_the_target_turns_the_start_round(edit_cell):
    from analysis.chapters import scenarios as page

    assert edit_cell("observations/seed_2011.csv", 5, "value", "38.5") == "58.61"
    points = page.key_points()
    assert "低于" in points["bb_2011"]
    assert points["start"].startswith("台州 2011 年的宽带入户率低于")
