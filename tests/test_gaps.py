"""Data gaps are every expected area-indicator-year without an observation."""

from __future__ import annotations

import pytest

from analysis.chapters import add_data, catalogue
from analysis.core.validate import DataValidationError, load_package
from analysis.model import gaps
from analysis.render.numbers import year_ranges


@pytest.mark.parametrize(
    ("years", "text"),
    [([2000, 2001, 2002, 2005], "2000—2002、2005"), ([2011], "2011"), ([], "")],
)
def test_year_ranges(years, text):
    assert year_ranges(years) == text


def test_an_observed_year_is_not_a_gap(real_data):
    missing = gaps.gaps()
    taizhou_mobile = missing[
        (missing.area_code == "331000") & (missing.indicator == "mobile_users")
    ]
    assert 2011 not in set(taizhou_mobile.year)  # the study's figure
    assert {2010, 2012} <= set(taizhou_mobile.year)


def test_adding_one_row_closes_one_gap(data_copy, append_row):
    before = len(gaps.gaps())
    append_row(
        "observations/seed_2011.csv",
        {
            "area_code": "331000",
            "year": "2012",
            "indicator": "mobile_users",
            "value": "800",
            "unit": "万户",
            "source_id": "cppcc_2012_smart_taizhou",
        },
    )
    from analysis.core import data

    data._package.cache_clear()
    after = gaps.gaps()
    assert len(after) == before - 1
    from analysis.chapters import catalogue

    row = catalogue.coverage_frame().query("地区 == '台州市' and 指标 == '移动电话用户数'").iloc[0]
    assert row["已有"] == 2 and "2012" not in row["缺失年份"].split("、")[-1]


def test_expected_range_must_run_forwards(data_copy, edit_cell, find_row):
    row = find_row("expected_coverage.csv", area_code="331000", indicator="mobile_users")
    edit_cell("expected_coverage.csv", row, "first_year", "2030")
    with pytest.raises(DataValidationError, match=f"coverage.csv，第 {row} 行，last_year 列"):
        load_package(data_copy)


def test_downloads_are_published_files_with_bom(real_data, tmp_path):
    from analysis.model import gaps as g

    written = {p.relative_to(tmp_path).as_posix(): p for p in g.write_downloads(tmp_path)}
    assert set(written) == {g.GAPS_FILE, *(g.fill_in_file(a) for a in g.FILL_IN_AREAS)}
    raw = written[g.GAPS_FILE].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "地区代码,指标编号,年份,可查文献" and len(lines) == len(g.gaps()) + 1
    template = written[g.fill_in_file("331000")].read_text(encoding="utf-8-sig").splitlines()
    assert template[0] == "area_code,year,indicator,value,unit,source_id,note"
    assert len(template) == len(g.fill_in_template("331000")) + 1
    # the pages link to these files, not to inline data
    assert f'href="atlas-static:/data/{g.GAPS_FILE}"' in catalogue.gaps_download()
    assert f'href="atlas-static:/data/{g.fill_in_file("331000")}"' in add_data.fill_in_download()
