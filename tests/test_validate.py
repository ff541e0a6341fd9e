"""Tests for ``analysis.core.validate``: the real data passes, every kind of corruption is located.

Corruptions are made on a temporary copy of ``data/`` (see ``tests/conftest.py``). Expected
spreadsheet rows are looked up in the corrupted copy, never written as constants.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import read_rows, write_rows

from analysis.core.validate import (
    DataValidationError,
    Problem,
    load_package,
    read_descriptor,
    resource_paths,
)

SEED = "observations/seed_2011.csv"
PENETRATION = "observations/penetration_2009_2012.csv"
ROADMAP = "study/roadmap.csv"
CONTEXT = "study/context.csv"


def located(err: DataValidationError, file: str, row: int | None, column: str | None) -> Problem:
    """Return the one problem at (file, row, column) and check the message says where it is."""
    hits = [p for p in err.problems if (p.file, p.row, p.column) == (file, row, column)]
    assert len(hits) == 1, f"expected one problem at {file} row {row} column {column}:\n{err}"
    where = file
    if row is not None:
        where += f"，第 {row} 行"
    if column is not None:
        where += f"，{column} 列"
    assert f"  - {where}：{hits[0].message}。" in str(err)
    return hits[0]


def load_error() -> DataValidationError:
    """Validate the current data folder (``ATLAS_DATA_DIR``) and return the error it raises."""
    with pytest.raises(DataValidationError) as info:
        load_package()
    return info.value


def csv_count(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1


def csv_resources(root: Path) -> list[dict]:
    """Return the descriptor's tabular resources: those whose files are all CSV."""
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    return [
        r for r in descriptor["resources"] if all(rel.endswith(".csv") for rel in resource_paths(r))
    ]


# --- the real data -----------------------------------------------------------------------------


def test_real_data_validates(real_data):
    resources = csv_resources(real_data)
    tables = load_package()
    assert list(tables) == [r["name"] for r in resources]
    for resource in resources:
        frame = tables[resource["name"]]
        expected = sum(csv_count(real_data / rel) for rel in resource_paths(resource))
        assert len(frame) == expected, resource["name"]
        assert len(frame.attrs["origin"]) == expected
        assert list(frame.columns) == [f["name"] for f in resource["schema"]["fields"]]


def test_real_data_is_typed_and_keeps_its_origin(real_data):
    obs = load_package()["observations"]
    assert str(obs["year"].dtype) == "Int64"
    assert str(obs["value"].dtype) == "Float64"
    # Rows of every file keep their own file name and spreadsheet rows.
    offset = 0
    (resource,) = [r for r in csv_resources(real_data) if r["name"] == "observations"]
    for rel in resource_paths(resource):
        assert obs.attrs["origin"][offset] == (rel, 2)
        offset += csv_count(real_data / rel)


def test_untouched_copy_validates(data_copy):
    assert set(load_package()) >= {"observations", "sources", "indicators", "areas"}


# --- one corrupted cell ------------------------------------------------------------------------

# (file, cells locating the record to corrupt, column, new text, words the message must contain)
CELL_CASES = {
    "negative penetration": (
        SEED,
        {"indicator": "mobile_per_100"},
        "value",
        "-5",
        ["-5", "小于", "mobile_per_100 的最小有效值"],
    ),
    "rate above 100": (
        SEED,
        {"indicator": "broadband_household_rate"},
        "value",
        "120",
        ["120", "大于", "broadband_household_rate 的最大有效值"],
    ),
    "text in a number column": (
        PENETRATION,
        {"area_code": "330000", "year": "2011", "indicator": "fixed_per_100"},
        "value",
        "12,3x",
        ["“12,3x” 不是规范的数字"],
    ),
    "empty required cell": (
        SEED,
        {"indicator": "mobile_users"},
        "unit",
        "",
        ["必填"],
    ),
    "empty required number": (
        PENETRATION,
        {"area_code": "100000", "year": "2010", "indicator": "mobile_per_100"},
        "value",
        "",
        ["必填"],
    ),
    "unknown source_id": (
        PENETRATION,
        {"area_code": "100000", "year": "2009", "indicator": "mobile_per_100"},
        "source_id",
        "miit_telecom_bulletin_2099",
        ["“miit_telecom_bulletin_2099” 不在 sources.csv 中"],
    ),
    "unknown indicator": (
        SEED,
        {"indicator": "bandwidth_gbps"},
        "indicator",
        "bandwidth_tbps",
        ["“bandwidth_tbps” 不在 indicators.csv 中"],
    ),
    "unknown area_code": (
        SEED,
        {"indicator": "fixed_line_users"},
        "area_code",
        "331099",
        ["“331099” 不在 areas.csv 中"],
    ),
    "unit differs from the indicator's": (
        SEED,
        {"indicator": "fibre_village_rate"},
        "unit",
        "部/百人",
        ["单位“部/百人”", "“%”", "fibre_village_rate"],
    ),
    "year below range": (
        SEED,
        {"indicator": "broadband_users"},
        "year",
        "1800",
        ["1800", "小于允许的最小值 1949"],
    ),
    "horizon year above range": (
        ROADMAP,
        {"id": "r2020_city"},
        "horizon_year",
        "2050",
        ["2050", "大于允许的最大值 2035"],
    ),
    "unknown source in a study table": (
        ROADMAP,
        {"id": "r2015_infra"},
        "source_id",
        "cppcc_2013",
        ["“cppcc_2013” 不在 sources.csv 中"],
    ),
    "value outside an enum": (
        "study/recommendations.csv",
        {"id": "s2_talent"},
        "pillar",
        "supports",
        ["“supports” 不是允许的取值", "support"],
    ),
}


@pytest.mark.parametrize("case", list(CELL_CASES))
def test_corrupted_cell_is_located(case, edit_cell, find_row):
    rel, match, column, text, words = CELL_CASES[case]
    row = find_row(rel, **match)
    edit_cell(rel, row, column, text)
    err = load_error()
    problem = located(err, rel, row, column)
    for word in words:
        assert word in problem.message
    assert len(err.problems) == 1, str(err)
    assert str(err).startswith("数据校验发现 1 个问题")


def test_malformed_area_code_is_located(edit_cell, find_row):
    row = find_row(PENETRATION, area_code="330000", year="2012", indicator="mobile_per_100")
    edit_cell(PENETRATION, row, "area_code", "33100")
    err = load_error()
    problems = [
        p for p in err.problems if (p.file, p.row, p.column) == (PENETRATION, row, "area_code")
    ]
    assert any("“33100” 的写法不对" in p.message for p in problems), str(err)
    assert all(p.row == row for p in err.problems)


def test_range_message_quotes_the_corrupted_value(edit_cell, find_row):
    """The range message quotes the corrupted value, not the original one."""
    row = find_row(SEED, indicator="fixed_per_100")
    old = edit_cell(SEED, row, "value", "100.5")
    problem = located(load_error(), SEED, row, "value")
    assert "100.5" in problem.message
    assert old not in problem.message


def test_out_of_range_year_message_shows_plain_number(edit_cell, find_row):
    row = find_row(SEED, indicator="broadband_users")
    edit_cell(SEED, row, "year", "1800")
    problem = located(load_error(), SEED, row, "year")
    assert problem.message.startswith("1800 小于允许的最小值 1949")


def test_text_in_bounded_number_column_is_one_problem(edit_cell, find_row):
    row = find_row(SEED, indicator="mobile_users")
    edit_cell(SEED, row, "year", "2011.0")
    err = load_error()
    located(err, SEED, row, "year")
    assert len(err.problems) == 1, str(err)


# --- rows, columns and files -------------------------------------------------------------------


def test_duplicate_key_reports_both_rows(data_copy, find_row, append_row):
    match = {"area_code": "330000", "year": "2010", "indicator": "fixed_per_100"}
    first = find_row(PENETRATION, **match)
    with (data_copy / PENETRATION).open(encoding="utf-8", newline="") as fh:
        original = next(r for r in csv.DictReader(fh) if all(r[k] == v for k, v in match.items()))
    repeat = append_row(PENETRATION, {**original, "value": "37.0", "note": "revised"})
    err = load_error()
    problem = located(err, PENETRATION, repeat, "source_id")
    assert "重复" in problem.message
    assert f"与 {PENETRATION} 第 {first} 行重复" in problem.message
    assert "indicator=fixed_per_100" in problem.message
    assert len(err.problems) == 1


def test_duplicate_key_across_files_names_the_other_file(data_copy, find_row, append_row):
    first = find_row(SEED, indicator="mobile_per_100")
    with (data_copy / SEED).open(encoding="utf-8", newline="") as fh:
        original = next(r for r in csv.DictReader(fh) if r["indicator"] == "mobile_per_100")
    repeat = append_row(PENETRATION, original)
    problem = located(load_error(), PENETRATION, repeat, "source_id")
    assert f"与 {SEED} 第 {first} 行重复" in problem.message


def test_same_figure_from_another_source_is_not_a_duplicate(data_copy, find_row, append_row):
    with (data_copy / SEED).open(encoding="utf-8", newline="") as fh:
        original = next(r for r in csv.DictReader(fh) if r["indicator"] == "mobile_per_100")
    append_row(PENETRATION, {**original, "source_id": "zj_yearbook_2013_t9_9"})
    files = resource_paths(
        next(r for r in read_descriptor(data_copy)["resources"] if r["name"] == "observations")
    )
    assert len(load_package()["observations"]) == sum(csv_count(data_copy / rel) for rel in files)


def test_unlisted_csv_is_reported(data_copy):
    stray = "observations/penetration_2013.csv"
    # A perfectly valid table: only the missing listing is wrong.
    shutil.copy(data_copy / PENETRATION, data_copy / stray)
    err = load_error()
    problem = located(err, stray, None, None)
    assert "datapackage.json 没有登记这个文件" in problem.message
    assert len(err.problems) == 1


@pytest.mark.parametrize("rel", [CONTEXT, PENETRATION, "geo/derivation.json"])
def test_listed_but_missing_file_is_reported(data_copy, rel):
    (data_copy / rel).unlink()
    err = load_error()
    problem = located(err, rel, None, None)
    assert "登记了这个文件，但文件不存在" in problem.message
    assert len(err.problems) == 1


def test_unexpected_column_is_reported_on_the_header_row(data_copy):
    rows = read_rows(data_copy / SEED)
    rows[0].append("checked_by")
    for record in rows[1:]:
        record.append("xy")
    write_rows(data_copy / SEED, rows)
    err = load_error()
    problem = located(err, SEED, 1, None)
    assert "多出一列 “checked_by”" in problem.message
    assert len(err.problems) == 1


def test_missing_column_is_reported_on_the_header_row(data_copy):
    rows = read_rows(data_copy / CONTEXT)
    drop = rows[0].index("unit")
    write_rows(data_copy / CONTEXT, [r[:drop] + r[drop + 1 :] for r in rows])
    problem = located(load_error(), CONTEXT, 1, None)
    assert "缺少 “unit” 列" in problem.message


# --- several problems at once ------------------------------------------------------------------


def test_all_problems_are_reported_together(edit_cell, find_row, append_row):
    neg = find_row(SEED, indicator="mobile_per_100")
    edit_cell(SEED, neg, "value", "-5")
    unit = find_row(SEED, indicator="fixed_line_users")
    edit_cell(SEED, unit, "unit", "万人")
    bad_src = find_row(PENETRATION, area_code="100000", year="2010", indicator="mobile_per_100")
    edit_cell(PENETRATION, bad_src, "source_id", "nowhere")
    bad_ref = find_row(ROADMAP, id="r2015_security")
    edit_cell(ROADMAP, bad_ref, "source_id", "cppcc")
    first = find_row("study/challenges.csv", id="c2_services")
    repeat = append_row(
        "study/challenges.csv",
        {
            "id": "c2_services",
            "title_zh": "重复",
            "summary_zh": "重复。",
            "source_id": "cppcc_2012_smart_taizhou",
        },
    )

    err = load_error()
    located(err, SEED, neg, "value")
    located(err, SEED, unit, "unit")
    located(err, PENETRATION, bad_src, "source_id")
    located(err, ROADMAP, bad_ref, "source_id")
    dup = located(err, "study/challenges.csv", repeat, "id")
    assert f"第 {first} 行" in dup.message
    assert len(err.problems) == 5
    assert str(err).startswith("数据校验发现 5 个问题")


def test_unlisted_and_missing_files_are_reported_together(data_copy):
    (data_copy / "study" / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (data_copy / CONTEXT).unlink()
    err = load_error()
    located(err, "study/notes.csv", None, None)
    located(err, CONTEXT, None, None)
    assert len(err.problems) == 2


def test_schema_problems_in_several_files_are_all_reported(edit_cell, find_row):
    text = find_row(PENETRATION, area_code="330000", year="2009", indicator="mobile_per_100")
    edit_cell(PENETRATION, text, "value", "85,6")
    empty = find_row(SEED, indicator="fixed_line_users")
    edit_cell(SEED, empty, "source_id", "")
    date = find_row("sources.csv", id="miit_telecom_bulletin_2010")
    edit_cell("sources.csv", date, "date", "26 Jan 2011")
    err = load_error()
    located(err, PENETRATION, text, "value")
    located(err, SEED, empty, "source_id")
    located(err, "sources.csv", date, "date")
    assert len(err.problems) == 3


def test_missing_file_does_not_hide_other_problems(data_copy, edit_cell, find_row):
    row = find_row(SEED, indicator="mobile_per_100")
    edit_cell(SEED, row, "source_id", "nowhere")
    (data_copy / CONTEXT).unlink()
    err = load_error()
    located(err, CONTEXT, None, None)
    located(err, SEED, row, "source_id")


def test_unlisted_file_does_not_hide_other_problems(data_copy, edit_cell, find_row):
    row = find_row(SEED, indicator="broadband_household_rate")
    edit_cell(SEED, row, "value", "120")
    (data_copy / "observations" / "draft.csv").write_text("a\n1\n", encoding="utf-8")
    err = load_error()
    located(err, "observations/draft.csv", None, None)
    located(err, SEED, row, "value")


def test_schema_problem_elsewhere_does_not_hide_range_problem(edit_cell, find_row):
    rate = find_row(SEED, indicator="broadband_household_rate")
    edit_cell(SEED, rate, "value", "120")
    date = find_row("sources.csv", id="miit_telecom_bulletin_2010")
    edit_cell("sources.csv", date, "date", "26 Jan 2011")
    err = load_error()
    located(err, "sources.csv", date, "date")
    located(err, SEED, rate, "value")


# --- command line ------------------------------------------------------------------------------


def run_cli(data: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ATLAS_DATA_DIR": str(data)}
    return subprocess.run(
        [sys.executable, "-m", "analysis.build.check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_cli_fails_and_prints_the_problem(edit_cell, find_row, data_copy):
    row = find_row(SEED, indicator="broadband_household_rate")
    edit_cell(SEED, row, "value", "120")
    result = run_cli(data_copy)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "数据校验未通过" in result.stderr
    assert str(data_copy) in result.stderr
    assert f"{SEED}，第 {row} 行，value 列：120" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_passes_on_real_data(real_data):
    result = run_cli(real_data)
    assert result.returncode == 0, result.stdout + result.stderr
    resources = csv_resources(real_data)
    rows = sum(csv_count(real_data / rel) for r in resources for rel in resource_paths(r))
    assert f"{len(resources)} tables, {rows} rows" in result.stdout


# --- targets -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "text", "message"),
    [
        ("indicator", "broadband_speed_nowhere", "broadband_speed_nowhere"),
        ("comparison", ">", "不是允许的取值"),
        ("unit", "亿户", "不同"),
        ("target_value", "170", "最大有效值 100"),
    ],
)
def test_bad_targets_are_located(data_copy, edit_cell, find_row, column, text, message):
    row = find_row("targets.csv", indicator="broadband_household_rate", target_year="2015")
    edit_cell("targets.csv", row, column, text)
    with pytest.raises(DataValidationError) as err:
        load_package(data_copy)
    hits = [p for p in err.value.problems if p.file == "targets.csv" and p.row == row]
    assert hits and any(message in p.message for p in hits), err.value
    if column != "indicator":
        assert any(p.column == column for p in hits)


def test_a_row_with_an_unquoted_comma_is_located(data_copy):
    path = data_copy / "observations" / "taizhou.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append(
        "331000,2013,mobile_users,850,万户,cppcc_2012_smart_taizhou,read in table 12, p. 3"
    )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as err:
        load_package(data_copy)
    (problem,) = err.value.problems
    assert (problem.file, problem.row) == ("observations/taizhou.csv", len(lines))
    assert "双引号" in str(problem)
