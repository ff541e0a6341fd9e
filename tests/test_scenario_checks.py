"""data/scenarios.csv is checked against the model and the published figures, in Chinese.

An assumption the model cannot use stops ``make book`` at validation with one line per
problem (file, spreadsheet row, column, what is wrong, what to do), never a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from analysis.model import scenario_checks, scenarios

SCEN = "scenarios.csv"
TZ = "observations/taizhou.csv"


def add_mobile(append_row, year: int, value: str) -> None:
    append_row(
        TZ,
        {
            "area_code": "331000",
            "year": str(year),
            "indicator": "mobile_per_100",
            "value": value,
            "unit": "部/百人",
            "source_id": "zj_bulletin_2023",  # dated after the figures' years
        },
    )


def test_the_repository_assumptions_pass(real_data):
    assert scenario_checks.report() == []


def test_headroom_takes_in_a_figure_above_every_old_saturation(data_copy, append_row):
    add_mobile(append_row, 2020, "168.3")  # above 140, 150 and 160, the 2011 saturations
    assert scenario_checks.report() == []
    for s in scenarios.SCENARIOS:
        p = scenarios.project(s, "mobile_per_100")
        assert (p.anchor_year, p.anchor_value) == (2020, 168.3)
        assert p.saturation > 168.3
        assert p.values([2020])[0] == pytest.approx(168.3)


def test_a_fixed_saturation_below_a_published_figure_names_row_and_figure(
    data_copy, append_row, find_row, edit_cell
):
    row = find_row(SCEN, scenario="cautious", indicator="mobile_per_100", parameter="headroom")
    edit_cell(SCEN, row, "parameter", "saturation")
    edit_cell(SCEN, row, "value", "140")
    add_mobile(append_row, 2016, "153.7")
    lines = scenario_checks.report()
    assert len(lines) == 1
    line = lines[0]
    assert line.startswith(f"scenarios.csv，第 {row} 行，value 列：")
    assert "140 不高于台州 2016 年已公布的 153.7" in line and "headroom" in line


def test_parameters_outside_their_range_are_refused(data_copy, find_row, edit_cell):
    row = find_row(
        SCEN, scenario="accelerated", indicator="mobile_per_100", parameter="growth_factor"
    )
    edit_cell(SCEN, row, "value", "9")
    lines = scenario_checks.report()
    assert lines == [
        f"scenarios.csv，第 {row} 行，value 列：加速情景 mobile_per_100 的增长速度倍数为 9，"
        "超出允许范围（不超过 4）。请改为 0.25 到 4 之间的数。"
    ]


def test_a_scenario_without_saturation_or_headroom_is_named(data_copy, find_row, edit_cell):
    row = find_row(SCEN, scenario="baseline", indicator="mobile_per_100", parameter="headroom")
    edit_cell(SCEN, row, "parameter", "growth_rate")
    edit_cell(SCEN, row, "value", "0.3")
    lines = scenario_checks.report()
    assert any("基准情景 mobile_per_100 需要且只能有一行 saturation" in x for x in lines)


def test_make_book_says_it_in_one_chinese_line_without_a_traceback(
    data_copy, append_row, find_row, edit_cell
):
    row = find_row(SCEN, scenario="cautious", indicator="mobile_per_100", parameter="headroom")
    edit_cell(SCEN, row, "parameter", "saturation")
    edit_cell(SCEN, row, "value", "140")
    add_mobile(append_row, 2016, "153.7")
    result = subprocess.run(
        [sys.executable, "-m", "analysis.build.check"],
        capture_output=True,
        text=True,
        env={**os.environ, "ATLAS_DATA_DIR": str(data_copy)},
        timeout=300,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = [x.strip().removeprefix("- ") for x in result.stderr.splitlines()]
    problems = [x for x in lines if x.startswith("scenarios.csv，")]
    assert len(problems) == 1 and f"第 {row} 行，value 列" in problems[0]
