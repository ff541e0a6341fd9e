"""The documented way to add a figure: one CSV row closes its gap and reaches the charts."""

from __future__ import annotations

import re

import pytest
from conftest import read_rows, write_rows

from analysis.chapters import infrastructure
from analysis.core.paths import REPO_ROOT
from analysis.core.validate import DataValidationError, load_package
from analysis.model import gaps, trends

TAIZHOU_FILE = "observations/taizhou.csv"
PAGE = REPO_ROOT / "book" / "add-data.md"
NEW_SOURCE = {
    "id": "tz_yearbook_2013_t12_3",
    "title": "《台州统计年鉴2013》表12-3 邮电业务（测试用）",
    "publisher": "台州市统计局",
    "date": "2013",
    "kind": "official",
    "note_zh": "纸本第 215 页（测试用）。",
    "note": "Printed edition, p. 215 (test).",
}


def add_figure(append_row, year: int, value: str, unit: str = "万户") -> int:
    append_row("sources.csv", NEW_SOURCE)
    return append_row(
        TAIZHOU_FILE,
        {
            "area_code": "331000",
            "year": str(year),
            "indicator": "mobile_users",
            "value": value,
            "unit": unit,
            "source_id": NEW_SOURCE["id"],
        },
    )


def test_one_row_closes_its_gap_and_joins_the_chart(data_copy, append_row):
    before = gaps.gaps()
    assert (
        (before.area_code == "331000")
        & (before.indicator == "mobile_users")
        & (before.year == 2012)
    ).any()
    add_figure(append_row, 2012, "845.3")
    after = gaps.gaps()
    assert len(after) == len(before) - 1
    assert not (
        (after.area_code == "331000") & (after.indicator == "mobile_users") & (after.year == 2012)
    ).any()
    # the trend chart now has 2011 and 2012 for Taizhou, joined as one run of years
    frame = infrastructure.trend_frame()
    tz = frame[(frame.area_code == "331000") & (frame.indicator == "mobile_users")]
    assert sorted(tz["年份"]) == [2011, 2012]
    assert tz["线段"].nunique() == 1
    assert trends.figure("331000", 2012, "mobile_users").value == pytest.approx(845.3)
    # and the fill-in template no longer asks for it
    template = gaps.fill_in_template("331000")
    assert not ((template.indicator == "mobile_users") & (template.year == 2012)).any()


def test_a_wrong_row_stops_with_file_row_and_column(data_copy, append_row):
    row = add_figure(append_row, 2012, "8453000", unit="户")
    with pytest.raises(DataValidationError) as err:
        load_package(data_copy)
    problems = [(p.file, p.row, p.column) for p in err.value.problems]
    assert (TAIZHOU_FILE, row, "unit") in problems


def test_an_unfilled_template_row_is_refused(data_copy):
    template = gaps.fill_in_template("331000").head(1)
    path = data_copy / TAIZHOU_FILE
    rows = read_rows(path)
    rows += template.astype(str).to_numpy().tolist()
    write_rows(path, rows)
    with pytest.raises(DataValidationError) as err:
        load_package(data_copy)
    columns = {p.column for p in err.value.problems if p.row == len(rows)}
    assert {"value", "source_id"} <= columns


def test_the_error_examples_on_the_page_are_what_the_validator_says(data_copy, append_row):
    shown = re.findall(r"^observations/taizhou\.csv，第 \d+ 行，.*$", PAGE.read_text("utf-8"), re.M)
    assert len(shown) == 2
    append_row(
        TAIZHOU_FILE,
        {
            "area_code": "331000",
            "year": "2012",
            "indicator": "mobile_users",
            "value": "820",
            "unit": "户",
            "source_id": "cppcc_2012_smart_taizhou",
        },
    )
    append_row(
        TAIZHOU_FILE,
        {
            "area_code": "331000",
            "year": "2012",
            "indicator": "mobile_per_100",
            "value": "1250",
            "unit": "部/百人",
            "source_id": "cppcc_2012_smart_taizhou",
        },
    )
    with pytest.raises(DataValidationError) as err:
        load_package(data_copy)
    said = {re.sub(r"第 \d+ 行", "第 N 行", str(p)) for p in err.value.problems}
    assert {re.sub(r"第 \d+ 行", "第 N 行", line) for line in shown} == said


def test_excel_utf8_with_bom_is_read_and_gbk_is_refused(data_copy):
    path = data_copy / TAIZHOU_FILE
    text = path.read_text("utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert len(load_package(data_copy)["observations"]) > 0
    path.write_bytes(text.encode("gbk", errors="replace"))
    with pytest.raises(DataValidationError, match=r"不是 UTF-8.*CSV UTF-8"):
        load_package(data_copy)


def test_with_every_gap_filled_the_page_still_has_an_example_and_says_so(data_copy):
    """No expected figure missing (an editor filled them all): the page says so, no crash."""
    from analysis.chapters import add_data

    path = data_copy / "expected_coverage.csv"
    rows = read_rows(path)
    # only one expectation left, one the data meet: nothing is missing
    header = rows[0]
    kept = dict(zip(header, rows[1], strict=True))
    year = str(int(trends.series("331000", kept["indicator"]).index.max()))
    kept.update(first_year=year, last_year=year)
    write_rows(path, [header, [kept[c] for c in header]])
    assert gaps.fill_in_template("331000").empty
    assert add_data.gap_phrase() == "台州市没有缺少的数字"
    assert add_data.example_basis() == "按最新数字的下一年生成"
    latest = int(trends.series("331000", "mobile_users").index.max())
    assert f"331000,{latest + 1},mobile_users,&lt;数值&gt;,万户" in str(add_data.example_row())
    assert "没有待补录的数字" in str(add_data.fill_in_download("331000"))


def test_with_gaps_the_example_fills_the_first_one(real_data):
    from analysis.chapters import add_data

    first = gaps.fill_in_template("331000")
    first = first[first.indicator == "mobile_users"].iloc[0]
    assert add_data.example_basis() == "按当前第一个缺口生成"
    assert f"331000,{first.year},mobile_users," in str(add_data.example_row())
    assert re.fullmatch(r"台州市缺 [\d,]+ 个数字", add_data.gap_phrase())
