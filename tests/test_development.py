"""Tests for ``analysis.model.development``: GDP per capita in dollars, crossings, the claim.

The rates written into the temporary data copy below are test inputs (round numbers), not
published figures: they only make the arithmetic checkable.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from conftest import read_rows, write_rows

from analysis.chapters import development as pages
from analysis.core import validate
from analysis.model import development as dev

RATE_SOURCE = "yuhuan_bulletin_2019"  # any existing source id: the copy is thrown away


def add_rates(root: Path, rates: dict[int, float], *, keep: bool = False) -> None:
    """Set the copy's China cny_per_usd rows to ``rates`` (year → rate).

    The published rates are removed first unless ``keep``, so a test sees only its own.
    """
    path = root / "observations/economy.csv"
    rows = read_rows(path)
    if not keep:
        rows = [r for r in rows if r[2] != "cny_per_usd"]
    for year, rate in rates.items():
        rows.append(["100000", str(year), "cny_per_usd", str(rate), "元/美元", RATE_SOURCE, ""])
    write_rows(path, rows)


def taizhou(base: str) -> pd.DataFrame:
    per = dev.per_capita()
    return per[(per.area_code == dev.TAIZHOU) & (per.base == base)].set_index("year")


def registered_crossing(level: float) -> dev.StageCrossing:
    """The crossing of ``level`` on Taizhou's registered base."""
    return dev.crossing(taizhou("registered").reset_index(), level)


def test_per_capita_is_gdp_in_yi_over_population_in_wan():
    # 100 亿元 over 50 万人 = 1e10 / 5e5 = 20,000 yuan per person
    assert dev.per_capita_yuan(100, 50) == pytest.approx(20000)
    with pytest.raises(ValueError, match="positive"):
        dev.per_capita_yuan(100, 0)


def test_dollars_only_with_the_years_own_rate(data_copy):
    add_rates(data_copy, {2009: 7.0, 2010: 6.5})
    reg = taizhou("registered")
    gdp, pop = reg.loc[2010, "gdp"], reg.loc[2010, "population"]
    assert reg.loc[2010, "per_capita_yuan"] == pytest.approx(gdp * 1e4 / pop)
    assert reg.loc[2010, "per_capita_usd"] == pytest.approx(gdp * 1e4 / pop / 6.5)
    assert reg.loc[2010, "derived"]
    # 2011 sits between two years with rates: no dollar figure, no borrowed or mean rate
    assert math.isnan(reg.loc[2011, "per_capita_usd"])
    assert math.isnan(reg.loc[2011, "rate"])


def test_crossing_exact_when_adjacent_years_have_rates(data_copy):
    # registered-base yuan: 2009 ≈ 35,014; 2010 ≈ 41,610 → 5,002 and 6,402 dollars
    add_rates(data_copy, {2009: 7.0, 2010: 6.5})
    found = registered_crossing(6000)
    assert (found.first_at, found.last_below, found.status) == (2010, 2009, "exact")
    assert found.unconverted == tuple(range(2000, 2009))
    assert pages.describe(found).startswith("2010 年；此前 2000—2008 年缺少当年平均汇率")


def test_a_year_without_a_rate_is_no_figure_not_an_interpolation(data_copy):
    # 2016 ≈ 64,959 yuan / 7.0 = 9,280 $; 2017 has no rate; 2018 ≈ 80,520 / 7.0 = 11,503 $
    add_rates(data_copy, {2016: 7.0, 2018: 7.0})
    found = registered_crossing(10000)
    assert (found.first_at, found.last_below, found.status) == (2018, 2016, "between")
    assert 2017 not in found.unconverted  # a gap inside the bracket, said by "between"
    assert found.unconverted == tuple(range(2000, 2016))
    assert math.isnan(taizhou("registered").loc[2017, "per_capita_usd"])
    assert pages.describe(found).startswith("2016—2018 年间（中间年份无美元数字）")


def test_crossing_without_any_rate_is_no_figure(data_copy):
    path = data_copy / "observations/economy.csv"
    rows = read_rows(path)
    write_rows(path, [r for r in rows if r[2] != "cny_per_usd"])
    for found in dev.crossings():
        assert found.status == "no_figure"
        assert found.first_at is None and found.last_below is None
    assert pages.describe(dev.crossings()[0]) == "无法判断（没有可折算的年份）"


def test_not_reached_says_the_last_year(data_copy):
    add_rates(data_copy, {2009: 7.0, 2010: 6.5})
    found = registered_crossing(10000)
    assert (found.status, found.last_below) == ("not_reached", 2010)
    assert found.unconverted_after == tuple(range(2011, 2022))
    assert "2011—2021 年缺少当年平均汇率" in pages.describe(found)


def test_verdict_held_held_so_far_and_not_held(data_copy):
    # 6.0 for every year 2011–2015: registered-base dollars ≈ 7,938 … 9,913, all in the band
    add_rates(data_copy, dict.fromkeys(range(2011, 2016), 6.0))
    registered = {v.base: v for v in dev.verdicts()}["registered"]
    assert (registered.status, registered.missing, registered.outside) == ("held", (), ())
    # the resident base has no population for 2011-2015: nothing to judge
    assert {v.base: v for v in dev.verdicts()}["resident"].status == "undetermined"

    path = data_copy / "observations/economy.csv"
    rows = read_rows(path)
    drop = [r for r in rows if not (r[2] == "cny_per_usd" and r[1] == "2013")]
    write_rows(path, drop)
    registered = {v.base: v for v in dev.verdicts()}["registered"]
    assert (registered.status, registered.missing) == ("held_so_far", (2013,))

    rows = [r for r in read_rows(path) if not (r[2] == "cny_per_usd" and r[1] == "2015")]
    write_rows(path, rows)
    add_rates(data_copy, {2015: 5.0}, keep=True)  # 59,479 / 5 = 11,896 dollars: above the band
    registered = {v.base: v for v in dev.verdicts()}["registered"]
    assert (registered.status, registered.outside) == ("not_held", (2015,))
    assert pages.verdict_sentence(registered).startswith("不成立：2015 年")


def test_the_real_data_cannot_yet_judge_the_study_period(real_data):
    """No rate for 2011-2015 is published in data/: the page must say 'undetermined'."""
    assert not set(dev.exchange_rates().index) & set(range(2011, 2016))
    assert {v.status for v in dev.verdicts()} == {"undetermined"}
    resident = {v.base: v for v in dev.verdicts()}["resident"]
    assert resident.no_population == tuple(range(2011, 2016))
    tz = {(c.base, c.level): c for c in dev.crossings() if c.area_code == dev.TAIZHOU}
    # registered base: 2009 below, 2010 above 6,000 dollars, each with its own year's rate
    assert (tz[("registered", 6000.0)].status, tz[("registered", 6000.0)].first_at) == (
        "exact",
        2010,
    )
    assert tz[("registered", 10000.0)].status == "between"
    assert tz[("resident", 10000.0)].status == "not_reached"


def test_the_study_implies_the_registered_base(real_data):
    found = dev.implied_base()
    assert found.base == "registered"
    assert found.implied == pytest.approx(791.45 / 134.88 * 100)
    assert "户籍人口" in pages.base_sentence(found)


def test_published_checks_flag_differences_over_one_percent(real_data):
    checks = dev.published_checks().set_index(["year", "source_id"])
    panel = "csmar_panel_cre_gdpct"
    # 2000-2015: the panel's per-capita figure is the registered-base one (within 1 %)
    assert (checks.xs(panel, level="source_id").loc[2000:2015, "matches"] == "registered").all()
    # 2016-2019 it matches neither base: the page must say so
    assert checks.loc[(2017, panel), "differs"]
    assert abs(checks.loc[(2017, panel), "diff_registered"]) > dev.TOLERANCE
    # 2020: resident (census) base, in the panel and in the consultancy's table
    assert checks.loc[(2020, panel), "matches"] == "resident"
    assert checks.loc[(2020, "qy924_2021_taizhou_gdp_2020"), "matches"] == "resident"
    assert "2016—2019、2021 年与两种口径推算的都相差 1% 以上" in pages.check_sentence()


def test_penetration_points_pair_only_years_with_both(real_data):
    points = dev.penetration_points()
    mobile = points[points.indicator == "mobile_per_100"]
    assert set(zip(mobile.area_code, mobile.year, strict=True)) >= {("331000", 2011)}
    tz = mobile[mobile.area_code == dev.TAIZHOU].iloc[0]
    assert tz.base == "registered" and tz.derived
    assert tz.per_capita_yuan == pytest.approx(2794.91 * 1e4 / 586.79)
    assert points.per_capita_yuan.notna().all()
    # China's 2019 per-100 rate was read only on a repost site and dropped (issue 16): no year
    # of China or Zhejiang has both a rate and Taizhou's 2011 income level
    assert dev.at_same_income() == []


NEW_SOURCES = {
    "zj_bulletin_2023",
    "nbs_communique_2012_moneydj",
    "nbs_communique_2016_xinhua_jp",
    "nbs_communique_2019_qingdaonews",
    "cnr_2020_taizhou_xiaokang",
    "qy924_2021_taizhou_gdp_2020",
}


def test_every_new_row_passes_validation(real_data):
    tables = validate.load_package()  # raises on any invalid row
    obs = tables["observations"]
    assert set(tables["sources"].id) >= NEW_SOURCES
    cited = obs[obs.source_id.isin(NEW_SOURCES)]
    assert set(cited.source_id) == NEW_SOURCES
    panel = obs[(obs.area_code == "331000") & (obs.source_id == "csmar_panel_cre_gdpct")]
    assert set(panel[panel.indicator == "gdp"].year) == set(range(2000, 2022))
    expected = tables["expected_coverage"]
    for area in ("330000", "100000"):
        for indicator in ("gdp", "gdp_per_capita_yuan", "resident_population"):
            assert ((expected.area_code == area) & (expected.indicator == indicator)).any()
