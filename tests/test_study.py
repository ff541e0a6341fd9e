"""Tests for ``analysis.chapters.study`` (the study as tables) and ``chapters.catalogue``."""

from __future__ import annotations

import csv
import json
from html import escape
from pathlib import Path

import pytest

from analysis.chapters import catalogue, study
from analysis.core import data

PILLARS = ["mechanism", "measure", "support"]


def records(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def csv_count(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1


def descriptor_paths(root: Path) -> list[str]:
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    paths = []
    for resource in descriptor["resources"]:
        path = resource["path"]
        paths += [path] if isinstance(path, str) else path
    return paths


# --- recommendations ---------------------------------------------------------------------------


def test_recommendations_order_mechanism_measure_support(real_data):
    recs = study.recommendations()
    assert list(recs["pillar"]) == [p for p in PILLARS for _ in range(3)]
    assert recs["pillar"].value_counts().to_dict() == dict.fromkeys(PILLARS, 3)
    file_ids = [r["id"] for r in records(real_data / "study/recommendations.csv")]
    assert sorted(recs["id"]) == sorted(file_ids)
    assert "order" not in recs.columns


def test_recommendations_order_does_not_follow_file_order(data_copy):
    """Rows written support-first in the file still come out mechanism first."""
    path = data_copy / "study/recommendations.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([header, *reversed(body)])
    recs = study.recommendations()
    assert list(recs["pillar"]) == [p for p in PILLARS for _ in range(3)]
    # Within a pillar the order is by id, not by position in the file.
    for pillar in PILLARS:
        ids = list(recs.loc[recs["pillar"] == pillar, "id"])
        assert ids == sorted(ids)


def test_recommendations_table_lists_every_title_in_order(real_data):
    out = study.recommendations_table()
    recs = study.recommendations()
    positions = [out.index(escape(title)) for title in recs["title_zh"]]
    assert positions == sorted(positions)
    for rec in records(real_data / "study/recommendations.csv"):
        assert escape(rec["title_zh"]) in out
        assert escape(rec["summary_zh"]) in out
    assert escape(data.source_citation("cppcc_2012_smart_taizhou")) in out
    assert out.count("<tr>") == 1 + len(recs)


# --- roadmap -----------------------------------------------------------------------------------


def test_roadmap_sorted_by_year_with_2015_and_2020_milestones(real_data):
    road = study.roadmap()
    years = list(road["horizon_year"])
    assert years == sorted(years)
    assert set(years) == {2015, 2020}
    file_rows = records(real_data / "study/roadmap.csv")
    assert len(road) == len(file_rows)
    for year in (2015, 2020):
        assert (road["horizon_year"] == year).sum() == sum(
            r["horizon_year"] == str(year) for r in file_rows
        )


def test_roadmap_sorts_rows_written_out_of_order(data_copy):
    path = data_copy / "study/roadmap.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([rows[0], *reversed(rows[1:])])
    years = list(study.roadmap()["horizon_year"])
    assert years == sorted(years)
    assert years[0] == 2015 and years[-1] == 2020


def test_roadmap_table_contains_every_goal(real_data):
    out = study.roadmap_table()
    for rec in records(real_data / "study/roadmap.csv"):
        assert escape(rec["goal_zh"]) in out
        assert escape(rec["domain_zh"]) in out
    assert "课题提出的建设路线图" in out
    last_2015 = max(
        out.index(escape(g)) for g in study.roadmap().query("horizon_year == 2015")["goal_zh"]
    )
    first_2020 = min(
        out.index(escape(g)) for g in study.roadmap().query("horizon_year == 2020")["goal_zh"]
    )
    assert last_2015 < first_2020


# --- challenges and counts ---------------------------------------------------------------------


def test_challenges_table_contains_every_title_numbered(real_data):
    out = study.challenges_table()
    file_rows = records(real_data / "study/challenges.csv")
    for number, rec in enumerate(file_rows, start=1):
        assert f"<td>{number}</td><td>{escape(rec['title_zh'])}</td>" in out
        assert escape(rec["summary_zh"]) in out


def test_counts_match_the_files(real_data):
    assert study.counts() == {
        "milestones": csv_count(real_data / "study/roadmap.csv"),
        "recommendations": csv_count(real_data / "study/recommendations.csv"),
        "challenges": csv_count(real_data / "study/challenges.csv"),
    }


def test_citations_are_unique_and_in_order(real_data):
    frame = study.roadmap()
    assert study.citations(frame) == [data.source_citation("cppcc_2012_smart_taizhou")]


# --- catalogue ---------------------------------------------------------------------------------


def check_overview(root: Path) -> None:
    overview = catalogue.tables_overview()
    listed = descriptor_paths(root)
    assert list(overview["文件"]) == listed
    by_file = overview.set_index("文件")
    csv_files = [rel for rel in listed if rel.endswith(".csv")]
    assert csv_files, "the descriptor lists no CSV file"
    for rel in csv_files:
        assert by_file.loc[rel, "行数"] == csv_count(root / rel), rel
    for rel in listed:
        assert by_file.loc[rel, "download"] == f"atlas-static:/data/{rel}"


def test_tables_overview_lists_every_file_with_row_counts(real_data):
    check_overview(real_data)


def test_tables_overview_counts_records_not_lines(data_copy, append_row):
    append_row(
        "study/challenges.csv",
        {
            "id": "c6_multiline",
            "title_zh": "跨行字段",
            "summary_zh": "第一行，\n第二行。",
            "source_id": "cppcc_2012_smart_taizhou",
        },
    )
    append_row(
        "observations/seed_2011.csv",
        {
            "area_code": "331000",
            "year": "2011",
            "indicator": "internet_users",
            "value": "300",
            "unit": "万人",
            "source_id": "cppcc_2012_smart_taizhou",
        },
    )
    check_overview(data_copy)
    by_file = catalogue.tables_overview().set_index("文件")
    assert by_file.loc["study/challenges.csv", "行数"] == len(
        records(data_copy / "study/challenges.csv")
    )


def test_tables_overview_counts_sources_used(real_data):
    by_file = catalogue.tables_overview().set_index("文件")
    for rel in descriptor_paths(real_data):
        rows = records(real_data / rel) if rel.endswith(".csv") else []
        cited = {r["source_id"] for r in rows if r.get("source_id")}
        if cited:  # an empty source_id (an assumption with no document) is not a source
            assert by_file.loc[rel, "来源数"] == len(cited), rel
        else:
            assert by_file.loc[rel, "来源数"] == "—", rel


def test_tables_table_links_every_file_without_naming_it(real_data):
    out = catalogue.tables_table()
    for rel in descriptor_paths(real_data):
        assert f'<a href="atlas-static:/data/{escape(rel)}">下载</a>' in out
        assert f">{escape(rel)}<" not in out  # readers see the table's name, not the file's
    assert ">download<" not in out  # the URL column is not shown


def test_observation_files_are_told_apart_in_chinese(real_data):
    labels = catalogue.tables_overview().query("表.str.startswith('观测值')")["表"]
    assert labels.is_unique and len(labels) > 1


@pytest.mark.parametrize(
    ("name", "file", "column"),
    [
        ("sources_table", "sources.csv", "note_zh"),
        ("indicators_table", "indicators.csv", "definition_zh"),
    ],
)
def test_catalogue_tables_show_chinese_text_and_no_ids(real_data, name, file, column):
    out = getattr(catalogue, name)()
    for rec in records(real_data / file):
        assert escape(rec[column]) in out
        assert f"<td>{escape(rec['id'])}</td>" not in out
    assert "英文" not in out
