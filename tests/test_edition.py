"""Editions: data version, content date, rows added/revised/removed since an edition."""

from __future__ import annotations

import os
import subprocess

from conftest import read_rows, write_rows

from analysis.build import edition


def test_data_version_changes_with_one_byte_and_not_with_the_clock(data_copy):
    before = edition.data_version(data_copy)
    assert before == edition.data_version(data_copy)  # same data, same version
    path = data_copy / "observations" / "taizhou.csv"
    rows = read_rows(path)
    rows[1][3] = rows[1][3] + "1"
    write_rows(path, rows)
    after = edition.data_version(data_copy)
    assert after.digest != before.digest and len(after.digest) == 8


def test_date_outside_git_is_the_newest_file_not_the_build_day(tmp_path):
    (tmp_path / "a.csv").write_text("x\n")
    os.utime(tmp_path / "a.csv", (1_600_000_000, 1_600_000_000))  # 2020-09-13
    assert edition.last_change_date([tmp_path], tmp_path) == "2020-09-13"


def test_date_in_git_is_the_last_commit_touching_the_files(tmp_path):
    def git(*args, date="2021-05-06T10:00:00+08:00"):
        env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        subprocess.run(["git", *args], cwd=tmp_path, check=True, env=env, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "t@example.org")
    git("config", "user.name", "t")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.csv").write_text("x\n")
    git("add", ".")
    git("commit", "-q", "-m", "data")
    (tmp_path / "other.txt").write_text("y\n")
    git("add", ".")
    git("commit", "-q", "-m", "other", date="2022-01-01T10:00:00+08:00")
    assert edition.last_change_date([tmp_path / "data"], tmp_path) == "2021-05-06"
    # an uncommitted edit: the file's own date, not the last commit
    (tmp_path / "data" / "a.csv").write_text("z\n")
    os.utime(tmp_path / "data" / "a.csv", (1_700_000_000, 1_700_000_000))  # 2023-11-15
    assert edition.last_change_date([tmp_path / "data"], tmp_path) == "2023-11-15"


def test_changes_since_the_previous_edition(data_copy, tmp_path):
    folder = tmp_path / "editions"
    first = edition.record(folder)
    assert first.name.startswith("001-")
    path = data_copy / "observations" / "taizhou.csv"
    rows = read_rows(path)
    header, revised, removed = rows[0], rows[1], rows[2]
    added = list(revised)
    added[1] = "2031"  # a new year
    revised[3] = "999"
    write_rows(path, [header, revised, added, *rows[3:]])
    previous, _current, changes = edition.changes(folder)
    assert previous["edition"] == 1
    obs = {t.table: t for t in changes}["observations"]
    key = dict(zip(header, revised, strict=True))
    assert [k["year"] for k in obs.added] == ["2031"]
    assert obs.revised == [{c: key[c] for c in ("area_code", "year", "indicator", "source_id")}]
    assert [k["indicator"] for k in obs.removed] == [removed[2]]
    assert all(not t.total() for t in changes if t.table != "observations")
    # once recorded, the new edition is compared with the one before it
    edition.record(folder)
    previous, _, changes = edition.changes(folder)
    assert previous["edition"] == 1 and {t.table: t for t in changes}["observations"].total() == 3


def test_first_edition_has_nothing_to_compare(data_copy, tmp_path):
    folder = tmp_path / "editions"
    edition.record(folder)
    assert edition.changes(folder)[0] is None


def test_citation_names_the_data_version(real_data):
    version = edition.data_version()
    text = edition.citation(version)
    assert version.date in text and version.digest in text and "[EB/OL]" in text
