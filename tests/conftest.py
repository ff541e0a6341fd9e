"""Shared fixtures: a temporary copy of ``data/`` and helpers that edit its CSV files.

``data_copy`` points ``ATLAS_DATA_DIR`` at the copy, so every loader in :mod:`analysis`
reads it instead of the repository's tables. The edit helpers go through the :mod:`csv`
module, so quoting stays correct, and address cells the way an analyst does in a
spreadsheet: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import analysis.core.data
from analysis.core.paths import REPO_ROOT

REPO_DATA = REPO_ROOT / "data"


def read_rows(path: Path) -> list[list[str]]:
    """Return every record of a CSV file (header first) as lists of text."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    """Write records back as UTF-8 CSV with ``\\n`` line ends, quoting where needed."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def data_rows(path: Path) -> int:
    """Count the data records of a CSV file (header excluded) with the csv module."""
    return len(read_rows(path)) - 1


def spreadsheet_row(path: Path, **match: str) -> int:
    """Return the spreadsheet row (header = 1) of the single record whose cells equal ``match``."""
    with path.open(encoding="utf-8", newline="") as fh:
        records = list(csv.DictReader(fh))
    hits = [i for i, rec in enumerate(records) if all(rec[k] == v for k, v in match.items())]
    assert len(hits) == 1, f"{path.name}: expected one record matching {match}, found {len(hits)}"
    return hits[0] + 2


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Copy ``data/`` into ``tmp_path`` and make it the data folder for this test."""
    root = tmp_path / "data"
    shutil.copytree(REPO_DATA, root)
    monkeypatch.setenv("ATLAS_DATA_DIR", str(root))
    analysis.core.data._package.cache_clear()
    yield root
    analysis.core.data._package.cache_clear()


@pytest.fixture
def real_data(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make sure the repository's own ``data/`` is the data folder for this test."""
    monkeypatch.delenv("ATLAS_DATA_DIR", raising=False)
    return REPO_DATA


@pytest.fixture
def edit_cell(data_copy: Path) -> Callable[[str, int, str, str], str]:
    """Return ``edit(file, row, column, text)``: set one cell of the copy, return the old text.

    ``file`` is relative to the data folder and ``row`` is the spreadsheet row (header = 1).
    """

    def edit(rel: str, row: int, column: str, text: str) -> str:
        path = data_copy / rel
        rows = read_rows(path)
        if column not in rows[0]:
            raise KeyError(f"{rel} has no column {column!r}; columns: {rows[0]}")
        if not 2 <= row <= len(rows):
            raise IndexError(f"{rel} has data rows 2..{len(rows)}, not row {row}")
        col = rows[0].index(column)
        old, rows[row - 1][col] = rows[row - 1][col], text
        write_rows(path, rows)
        return old

    return edit


@pytest.fixture
def find_row(data_copy: Path) -> Callable[..., int]:
    """Return ``find(file, **cells)``: the spreadsheet row of the one matching record."""

    def find(rel: str, **match: str) -> int:
        return spreadsheet_row(data_copy / rel, **match)

    return find


@pytest.fixture
def append_row(data_copy: Path) -> Callable[[str, dict[str, str]], int]:
    """Return ``append(file, cells)``: add a record to the copy, return its spreadsheet row.

    Columns missing from ``cells`` are left empty; unknown column names are an error.
    """

    def append(rel: str, cells: dict[str, str]) -> int:
        path = data_copy / rel
        rows = read_rows(path)
        unknown = set(cells) - set(rows[0])
        if unknown:
            raise KeyError(f"{rel} has no column(s) {sorted(unknown)}")
        rows.append([cells.get(c, "") for c in rows[0]])
        write_rows(path, rows)
        return len(rows)

    return append
