"""Bad input stops ``make book`` with one Chinese line per problem and publishes nothing.

Each case corrupts a temporary copy of ``data/`` the way an analyst might (one change each,
the cases of issue 15 among them) and runs :func:`analysis.build.publish.publish`, the code behind
``make book``, against a build folder holding a previous good site. Every case asserts the
printed line (file, spreadsheet row, column, what is wrong, what to do), that no traceback was
printed, that the previous site is untouched and that the last line says so. Jupyter Book is
never reached: the build step is replaced by one that fails the test.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import read_rows, spreadsheet_row, write_rows

from analysis.build import publish
from analysis.chapters import catalogue
from analysis.core import plausibility
from analysis.core.validate import DataValidationError, load_package

TAIZHOU = "observations/taizhou.csv"
SEED = "observations/seed_2011.csv"
COUNTIES = "geo/taizhou_counties.geojson"
PREVIOUS = "<html><body>previous good site 4711</body></html>"


def records(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def site(tmp_path, monkeypatch) -> Path:
    """A build folder with a previous good site; publish() writes nowhere else."""
    build = tmp_path / "build"
    (build / "html").mkdir(parents=True)
    (build / "html" / "index.html").write_text(PREVIOUS, encoding="utf-8")
    monkeypatch.setattr(publish, "BUILD", build)
    monkeypatch.setattr(publish, "SITE", build / "html")
    monkeypatch.setattr(publish, "STAGE", build / "stage")
    monkeypatch.setattr(publish, "STAGED_SITE", build / "stage" / "_build" / "html")
    monkeypatch.setattr(publish, "LOG_DIR", build / "logs")
    monkeypatch.setattr(publish, "BOOK_LOG", build / "logs" / "book.log")

    def no_build(*args, **kwargs):
        raise AssertionError("bad data reached the book build")

    monkeypatch.setattr(publish, "build_book", no_build)
    return build


@pytest.fixture
def stopped(site, capsys) -> Callable[[], list[str]]:
    """Run publish(); check it stopped cleanly and published nothing; return the printed lines."""

    def run() -> list[str]:
        code = publish.publish()
        out = capsys.readouterr()
        printed = out.out + out.err
        assert code == 1, printed
        assert "Traceback" not in printed
        assert (site / "html" / "index.html").read_text(encoding="utf-8") == PREVIOUS
        assert not (site / "stage").exists()
        lines = out.err.strip().splitlines()
        assert lines[0].startswith("数据校验未通过")
        assert lines[-1] == "网站没有更新：" + str(site / "html") + " 中仍是上一次成功构建的网站。"
        return [line.removeprefix("  - ") for line in lines[1:-1]]

    return run


def one_line(lines: list[str], where: str, *words: str) -> str:
    """The single printed line that starts with ``where`` and contains every word."""
    hits = [line for line in lines if line.startswith(where + "：")]
    assert hits, f"no line for {where}:\n" + "\n".join(lines)
    good = [line for line in hits if all(w in line for w in words)]
    assert good, f"{where}: none of {hits} contains {words}"
    assert good[0].endswith("。") and "\n" not in good[0]
    return good[0]


def at(file: str, row: int | None = None, column: str | None = None) -> str:
    where = file
    if row is not None:
        where += f"，第 {row} 行"
    if column:
        where += f"，{column} 列"
    return where


# --- numbers ----------------------------------------------------------------------------------

STRICT_CASES = {
    "NaN": "NaN",
    "full-width digits": "７９１.４５",
    "underscore": "7_91.45",
    "exponent": "1e30",
    "thousands separator": "1,234.5",
    "infinity": "inf",
    "space inside": "791 .45",
    "two points": "791.4.5",
}


@pytest.mark.parametrize("text", list(STRICT_CASES.values()), ids=list(STRICT_CASES))
def test_number_that_is_not_plain_ascii_decimal(stopped, edit_cell, find_row, text):
    row = find_row(TAIZHOU, area_code="331000", year="2011", indicator="mobile_users")
    edit_cell(TAIZHOU, row, "value", text)
    lines = stopped()
    one_line(lines, at(TAIZHOU, row, "value"), f"“{text}” 不是规范的数字", "半角数字")
    assert len(lines) == 1


def test_year_with_decimals(stopped, edit_cell, find_row):
    row = find_row(TAIZHOU, area_code="331000", year="2011", indicator="mobile_users")
    edit_cell(TAIZHOU, row, "year", "2011.0")
    one_line(stopped(), at(TAIZHOU, row, "year"), "“2011.0” 不是整数")


# --- plausibility -----------------------------------------------------------------------------


def test_households_typed_into_a_ten_thousand_households_column(stopped, edit_cell, find_row):
    row = find_row(SEED, indicator="broadband_users")
    edit_cell(SEED, row, "value", "1127000")
    one_line(stopped(), at(SEED, row, "value"), "人口", "是否把“户”填成了“万户”", "[已核实]")


def test_huge_national_figure(stopped, data_copy, edit_cell):
    rel = "observations/china.csv"
    recs = records(data_copy / rel)
    target = next(r for r in recs if r["indicator"] == "broadband_users" and r["year"] == "2018")
    row = spreadsheet_row(data_copy / rel, **{k: target[k] for k in ("year", "indicator")})
    edit_cell(rel, row, "value", "1" + "0" * 30)
    lines = stopped()
    one_line(lines, at(rel, row, "value"), "1e+30 万户", "平均每年变化超过 10 倍")
    # the wrong figure only, not its neighbours (it is also far above China's population)
    assert all(line.startswith(at(rel, row, "value")) for line in lines), lines


def test_scenario_saturation_below_a_published_figure(stopped, edit_cell, find_row, append_row):
    scen = "scenarios.csv"
    row = find_row(scen, scenario="cautious", indicator="mobile_per_100", parameter="headroom")
    edit_cell(scen, row, "parameter", "saturation")
    edit_cell(scen, row, "value", "140")
    append_row(
        "observations/taizhou.csv",
        {
            "area_code": "331000",
            "year": "2016",
            "indicator": "mobile_per_100",
            "value": "153.7",
            "unit": "部/百人",
            "source_id": "zj_bulletin_2023",
        },
    )
    one_line(stopped(), at(scen, row, "value"), "140", "2016 年已公布的 153.7", "headroom")


def test_year_after_this_year(stopped, append_row):
    row = append_row(
        TAIZHOU,
        {
            "area_code": "331000",
            "year": str(plausibility.current_year() + 1),
            "indicator": "mobile_users",
            "value": "900",
            "unit": "万户",
            "source_id": "cppcc_2012_smart_taizhou",
        },
    )
    lines = stopped()
    one_line(lines, at(TAIZHOU, row, "year"), "晚于今年")


def test_retired_area_code_and_a_source_older_than_the_year(stopped, append_row):
    row = append_row(
        TAIZHOU,
        {
            "area_code": "331021",
            "year": "2020",
            "indicator": "broadband_users",
            "value": "20",
            "unit": "万户",
            "source_id": "zjol_2012_taizhou_mobile_decade",
        },
    )
    lines = stopped()
    one_line(lines, at(TAIZHOU, row, "area_code"), "玉环县（331021）", "请填 331083（玉环市）")
    one_line(
        lines,
        at(TAIZHOU, row, "source_id"),
        "zjol_2012_taizhou_mobile_decade",
        "不可能给出 2020 年",
    )


def test_successor_code_before_it_existed(stopped, append_row):
    row = append_row(
        TAIZHOU,
        {
            "area_code": "331083",
            "year": "2012",
            "indicator": "broadband_users",
            "value": "14",
            "unit": "万户",
            "source_id": "cppcc_2012_smart_taizhou",
        },
    )
    one_line(stopped(), at(TAIZHOU, row, "area_code"), "2017 年起才使用", "请填 331021（玉环县）")


def test_county_above_its_city(stopped, append_row, data_copy):
    city = next(r for r in records(data_copy / SEED) if r["indicator"] == "broadband_users")
    row = append_row(
        TAIZHOU,
        {
            "area_code": "331021",
            "year": "2011",
            "indicator": "broadband_users",
            "value": str(float(city["value"]) + 5),
            "unit": "万户",
            "source_id": "zj_bulletin_2023",
        },
    )
    one_line(stopped(), at(TAIZHOU, row, "value"), "玉环县", "大于上级台州市", SEED)


def test_city_above_its_province(stopped, data_copy, append_row):
    obs = load_package(data_copy)["observations"]
    keys = set(zip(obs.area_code, obs.year, obs.indicator, strict=True))
    province = next(
        r
        for r in records(data_copy / "observations/zhejiang.csv")
        if r["unit"] in plausibility.ADDITIVE_UNITS
        and ("331000", int(r["year"]), r["indicator"]) not in keys
    )
    row = append_row(
        TAIZHOU,
        {**province, "area_code": "331000", "value": str(float(province["value"]) * 1.1)},
    )
    one_line(stopped(), at(TAIZHOU, row, "value"), "台州市", "大于上级浙江省")


def yearly_series_row(data_copy: Path) -> tuple[str, int, float]:
    """A national mobile-users row that has an earlier year: (file, row, value)."""
    obs = load_package(data_copy)["observations"]
    china = obs[(obs.area_code == "100000") & (obs.indicator == "mobile_users")]
    later = china.sort_values("year").index[1]
    rel, row = obs.attrs["origin"][later]
    return rel, row, float(obs.loc[later, "value"])


def test_change_beyond_the_yearly_factor(stopped, data_copy, edit_cell):
    rel, row, value = yearly_series_row(data_copy)
    edit_cell(rel, row, "value", str(value * 40))
    one_line(stopped(), at(rel, row, "value"), "平均每年变化超过 10 倍", "[已核实]")


def test_an_accepted_outlier_passes_and_is_listed(data_copy, edit_cell):
    rel, row, value = yearly_series_row(data_copy)
    edit_cell(rel, row, "value", str(value * 40))
    edit_cell(rel, row, "note", "[已核实] 统计口径改变，原文如此")
    load_package(data_copy)  # no error
    listed = plausibility.accepted_rows()
    assert len(listed) == 1 and listed.iloc[0].value == pytest.approx(value * 40)
    html = str(catalogue.accepted_table())
    assert "统计口径改变，原文如此" in html and "[已核实]" not in html


def test_an_accepted_outlier_does_not_condemn_its_neighbour(data_copy, append_row):
    # Taizhou's one 2011 figure (134.88) beside a checked 2013 figure of 0.3: the 2011 row is
    # not blamed for the jump, and the checked row passes
    append_row(
        "observations/taizhou.csv",
        {
            "area_code": "331000",
            "year": "2013",
            "indicator": "mobile_per_100",
            "value": "0.3",
            "unit": "部/百人",
            "source_id": "zj_bulletin_2023",
            "note": "[已核实] 测试：口径改变",
        },
    )
    load_package(data_copy)  # no error


def test_no_accepted_outlier_says_so(real_data):
    assert "目前没有" in str(catalogue.accepted_table())


# --- whole files ------------------------------------------------------------------------------


def test_header_only_csv(stopped, data_copy):
    rel = "study/challenges.csv"
    path = data_copy / rel
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    one_line(stopped(), at(rel), "只有表头，没有数据行")


def test_empty_csv(stopped, data_copy):
    (data_copy / "targets.csv").write_bytes(b"")
    one_line(stopped(), at("targets.csv"), "文件是空的")


def test_utf16_csv(stopped, data_copy):
    path = data_copy / "framework.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    one_line(stopped(), at("framework.csv"), "UTF-16", "CSV UTF-8")


def test_gbk_csv(stopped, data_copy):
    path = data_copy / TAIZHOU
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk", errors="replace"))
    lines = stopped()
    assert len(lines) == 1 and "GBK" in lines[0] and "CSV UTF-8" in lines[0]


def test_unclosed_quote_names_its_own_row(stopped, data_copy):
    path = data_copy / "study" / "roadmap.csv"
    rows = read_rows(path)
    write_rows(path, rows)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",", ',"', 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    one_line(stopped(), at("study/roadmap.csv", 4), "双引号没有配对")


def test_framework_unknown_indicator(stopped, edit_cell):
    edit_cell("framework.csv", 2, "indicator", "fibre_villages")
    one_line(stopped(), at("framework.csv", 2, "indicator"), "“fibre_villages” 不在 indicators.csv")


def test_datapackage_syntax_error(stopped, data_copy):
    path = data_copy / "datapackage.json"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[13] = lines[13].rstrip(",")  # a missing comma
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (line,) = stopped()
    assert line.startswith("datapackage.json，第 ") and "JSON 格式错误" in line and "逗号" in line


# --- map layers -------------------------------------------------------------------------------


def edit_layer(data_copy: Path, change: Callable[[dict], None]) -> None:
    path = data_copy / COUNTIES
    layer = json.loads(path.read_text(encoding="utf-8"))
    change(layer)
    path.write_text(json.dumps(layer, ensure_ascii=False), encoding="utf-8")


def feature(layer: dict, code: str) -> dict:
    return next(f for f in layer["features"] if f["properties"]["adcode"] == code)


def test_truncated_geojson(stopped, data_copy):
    path = data_copy / COUNTIES
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    one_line(stopped(), at(COUNTIES, 1), "JSON 格式错误", "make geo")


def test_bow_tie_polygon(stopped, data_copy):
    def bow_tie(layer):
        x, y = 121.4, 28.65
        ring = [[x, y], [x + 0.1, y + 0.1], [x + 0.1, y], [x, y + 0.1], [x, y]]
        feature(layer, "331002")["geometry"] = {"type": "Polygon", "coordinates": [ring]}

    edit_layer(data_copy, bow_tie)
    one_line(stopped(), at(COUNTIES), "椒江区，331002", "边界自相交", "make geo")


def test_empty_shell(stopped, data_copy):
    def empty(layer):
        feature(layer, "331003")["geometry"] = {"type": "Polygon", "coordinates": [[]]}

    edit_layer(data_copy, empty)
    one_line(stopped(), at(COUNTIES), "黄岩区，331003")


def test_renamed_county(stopped, data_copy):
    edit_layer(
        data_copy, lambda layer: feature(layer, "331083")["properties"].update(name_zh="玉环县")
    )
    one_line(stopped(), at(COUNTIES), "名称与 areas.csv 中 331083 的名称“玉环市”不同")


def test_missing_county(stopped, data_copy):
    def drop(layer):
        layer["features"] = [f for f in layer["features"] if f["properties"]["adcode"] != "331083"]

    edit_layer(data_copy, drop)
    one_line(stopped(), at(COUNTIES), "缺少玉环市（331083）的边界")


def test_county_area_off_its_derivation(stopped, data_copy):
    def grow(layer):
        geom = feature(layer, "331004")["geometry"]

        polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        x0, y0 = polygons[0][0][0]

        def scale(ring):
            return [[x0 + (x - x0) * 1.1, y0 + (y - y0) * 1.1] for x, y in ring]

        scaled = [[scale(r) for r in p] for p in polygons]
        geom["coordinates"] = scaled[0] if geom["type"] == "Polygon" else scaled

    edit_layer(data_copy, grow)
    one_line(stopped(), at(COUNTIES), "路桥区，331004", "derivation.json", "相差超过 1%")


# --- nothing published when there was nothing -------------------------------------------------


def test_first_build_with_bad_data_publishes_nothing(site, capsys, edit_cell, find_row):
    (site / "html" / "index.html").unlink()
    (site / "html").rmdir()
    row = find_row(SEED, indicator="mobile_per_100")
    edit_cell(SEED, row, "value", "-1")
    assert publish.publish() == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1].startswith("没有发布任何网站")
    assert not (site / "html").exists()


# --- a failed page build publishes nothing ----------------------------------------------------

PAGE_FAILURE_LOG = (
    "\x1b[91m{root}/book/scenarios.md: WARNING: Executing notebook failed: CellExecutionError "
    "[mystnb.exec]\x1b[39;49;00m\n"
    "Traceback (most recent call last):\n  ...\n"
    "nbclient.exceptions.CellExecutionError: An error occurred while executing a cell:\n"
    "ZeroDivisionError: division by zero\n"
)


def fake_build(site: Path, code: int, log: str) -> Callable[..., tuple[int, str]]:
    """A book build that leaves a (partial) staged site and returns ``code`` and ``log``."""

    def build(*args, **kwargs):
        staged = site / "stage" / "_build" / "html"
        staged.mkdir(parents=True, exist_ok=True)
        (staged / "index.html").write_text("new site", encoding="utf-8")
        (site / "logs").mkdir(parents=True, exist_ok=True)
        (site / "logs" / "book.log").write_text(log, encoding="utf-8")
        return code, log

    return build


def failed_build_lines(site: Path, capsys) -> list[str]:
    """Run publish(); check it failed and left the previous site whole; return what it printed."""
    assert publish.publish() == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("网站没有更新")
    assert (site / "html" / "index.html").read_text(encoding="utf-8") == PREVIOUS
    assert not (site / "stage" / "_build" / "html").exists()
    return err


@pytest.mark.parametrize("code", [1, 0], ids=["exit code", "warning only"])
def test_failed_page_leaves_the_previous_site(site, real_data, capsys, monkeypatch, code):
    log = PAGE_FAILURE_LOG.format(root=publish.REPO_ROOT)
    monkeypatch.setattr(publish, "build_book", fake_build(site, code, log))
    monkeypatch.setattr(publish.cache, "refresh", lambda **kwargs: False)
    err = failed_build_lines(site, capsys)
    assert err[0] == "页面 book/scenarios.md 未能构建：ZeroDivisionError: division by zero"
    assert err[1].startswith("完整记录见 ") and err[1].endswith("book.log。")


def test_failed_printed_edition_leaves_the_previous_site(site, real_data, capsys, monkeypatch):
    monkeypatch.setattr(publish, "build_book", fake_build(site, 0, "build succeeded.\n"))
    monkeypatch.setattr(publish.cache, "refresh", lambda **kwargs: False)
    monkeypatch.setattr(publish, "print_edition", lambda staged: 1)
    assert "印刷版（PDF）未能生成" in failed_build_lines(site, capsys)[0]


def test_good_build_replaces_the_site(site, real_data, capsys, monkeypatch):
    monkeypatch.setattr(publish, "build_book", fake_build(site, 0, "build succeeded.\n"))
    monkeypatch.setattr(publish.cache, "refresh", lambda **kwargs: False)
    monkeypatch.setattr(publish, "print_edition", lambda staged: 0)
    assert publish.publish() == 0
    assert (site / "html" / "index.html").read_text(encoding="utf-8") == "new site"
    assert not (site / "html.old").exists()
    assert "网站已发布" in capsys.readouterr().out


def test_the_readme_example_is_what_the_validator_says(data_copy, edit_cell, find_row):
    readme = (publish.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    (shown,) = re.findall(r"^observations/seed_2011\.csv，第 \d+ 行.*$", readme, re.M)
    row = find_row(SEED, indicator="mobile_per_100")
    edit_cell(SEED, row, "value", "-134.88")
    with pytest.raises(DataValidationError) as err:
        load_package(data_copy)
    (problem,) = err.value.problems
    assert re.sub(r"第 \d+ 行", "第 N 行", str(problem)) == re.sub(r"第 \d+ 行", "第 N 行", shown)
