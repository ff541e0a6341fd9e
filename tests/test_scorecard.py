"""Scorecard statuses, direction, no data, coverage, and the checks on targets."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.chapters import scorecard as card
from analysis.model import scorecard
from analysis.model.scorecard import ScoreInputError, status


@pytest.mark.parametrize(
    ("values", "target", "year", "comparison", "expected"),
    [
        ({2011: 58.61}, 50, 2015, "ge", "met"),
        ({2011: 58.61}, 70, 2020, "ge", "undecidable"),  # one figure: no trend to judge
        ({}, 70, 2020, "ge", "no_data"),  # no figure is never met nor zero
        ({2011: 50.0, 2012: 60.0}, 70, 2020, "ge", "on_track"),  # trend reaches 70 by 2013
        ({2011: 50.0, 2012: 51.0}, 70, 2015, "ge", "behind"),  # trend reaches 54 by 2015
        ({2011: 50.0, 2016: 60.0}, 70, 2015, "ge", "behind"),  # the target year has passed
        # lower is better: e.g. a cost or a latency target
        ({2011: 30.0}, 40, 2015, "le", "met"),
        ({2011: 60.0, 2012: 50.0}, 40, 2015, "le", "on_track"),
        ({2011: 60.0, 2012: 59.0}, 40, 2015, "le", "behind"),
    ],
)
def test_status(values, target, year, comparison, expected):
    series = pd.Series(values, dtype=float)
    assert status(series, target, year, comparison) == expected


def test_scores_follow_the_data_and_context_is_labelled(real_data):
    sc = scorecard.scores()
    assert set(sc.status) <= set(scorecard.STATUS)
    met = sc[sc.status == "met"]
    assert (met.distance == 0).all() and met.value.notna().all()
    no_data = sc[sc.value.isna()]
    assert (no_data.status == "no_data").all() and no_data.distance.isna().all()
    # national counts (万户, 万人) are not scored against one city
    assert set(sc.unit) <= scorecard.RATE_UNITS


def test_adding_a_taizhou_figure_updates_the_status(data_copy, append_row):
    def state():
        sc = scorecard.scores()
        return sc[
            (sc.indicator == "broadband_household_rate") & (sc.target_year == 2020)
        ].status.iloc[0]

    assert state() == "undecidable"
    append_row(
        "observations/taizhou.csv",
        {
            "area_code": "331000",
            "year": "2016",
            "indicator": "broadband_household_rate",
            "value": "75",
            "unit": "%",
            "source_id": "zj_bulletin_2023",  # a document dated after 2016
        },
    )
    assert state() == "met"
    assert scorecard.as_of() == 2016
    changes = scorecard.changes(2016)
    assert ((changes.name_zh == "宽带家庭普及率（入户率）") & (changes.now == "met")).any()
    shown = card.changes_frame(2016)
    assert ((shown["指标"] == "宽带家庭普及率（入户率）") & (shown["今年"] == "已达到")).any()


def test_a_target_before_the_baseline_names_file_row_and_column(data_copy, edit_cell, find_row):
    row = find_row("targets.csv", indicator="broadband_household_rate", target_year="2013")
    edit_cell("targets.csv", row, "target_year", "2005")
    with pytest.raises(ScoreInputError, match=rf"targets.csv, row {row}, column 'target_year'"):
        scorecard.scores()


def test_categories_count_coverage(real_data):
    cats = scorecard.categories().set_index("category_zh")
    fw = scorecard.framework()
    assert cats.indicators.sum() == len(fw)
    sc = scorecard.scores()
    assert cats.targets.sum() == len(sc)
    assert cats.met.sum() == (sc.status == "met").sum()


def test_table_shows_status_as_symbol_text_and_class(real_data):
    html = str(card.scorecard_table())
    for state in scorecard.scores().status.unique():
        cls = card.STATUS_CLASS[state]
        assert f'<td class="atlas-status-{cls}">{card.STATUS_MARK[state]}' in html
    # a status beside a figure says why it cannot be judged, not "no data"
    frame = card.scorecard_frame()
    beside = frame[frame["台州最新数字"].notna()]
    assert not beside["状态"].str.contains("无数据").any()
    assert beside["状态"].str.contains("无法判断（只有 2011 年数字）").any()
    assert 'href="infrastructure.html#infra-trends"' in html


def test_key_point_counts_come_from_the_same_table(real_data):
    points = card.key_points()
    sc = scorecard.scores()
    assert points["n_targets"] == str(len(sc))
    counts = sc.status.value_counts()
    assert f"其中 {counts.get('met', 0)} 项" in points["status_counts"]
    assert f"{counts['no_data']} 项没有台州的数字" in points["status_counts"]
    assert "没有台州这些指标的数字" in points["after_study"]


def test_key_points_follow_added_years(data_copy, append_row):
    append_row(
        "observations/taizhou.csv",
        {
            "area_code": "331000",
            "year": "2015",
            "indicator": "broadband_household_rate",
            "value": "72.5",
            "unit": "%",
            "source_id": "zj_bulletin_2023",  # dated after 2015
        },
    )
    points = card.key_points()
    assert "本站收录了台州 1 项指标的 1 个数字，最新到 2015 年" in points["after_study"]
    assert "无法判断" not in points["status_counts"]


def test_one_comparator_for_targets():
    import numpy as np

    from analysis.model.targets import comparator, meets, shortfall

    assert comparator(">=") == "ge" and comparator("<=") == "le"
    assert list(meets(np.array([49.0, 50.0, 51.0]), 50, "ge")) == [False, True, True]
    assert list(meets(np.array([49.0, 50.0, 51.0]), 50, "le")) == [True, True, False]
    assert shortfall(45.0, 50.0, "ge") == 5.0 and shortfall(55.0, 50.0, "le") == 5.0
    assert shortfall(55.0, 50.0, "ge") == 0.0
    with pytest.raises(ValueError, match="unknown comparator"):
        meets(1.0, 1.0, ">=")
