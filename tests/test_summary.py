"""The one-page summary: five to eight findings, every one computed from data/."""

from __future__ import annotations

import re

import pytest
from conftest import read_rows, spreadsheet_row, write_rows

from analysis.chapters import summary
from analysis.model import counties


def test_five_to_eight_findings_with_numbers(real_data):
    found = summary.findings()
    assert 5 <= len(found) <= 8
    for key, sentence in found.items():
        assert re.search(r"\d", sentence), key
        assert "nan" not in sentence and "None" not in sentence, key


def test_a_changed_figure_changes_the_sentence(data_copy):
    path = data_copy / "observations" / "penetration_2009_2012.csv"
    row = spreadsheet_row(path, area_code="330000", year="2011", indicator="mobile_per_100")
    rows = read_rows(path)
    col = rows[0].index("value")
    rows[row - 1][col] = "101.5"
    write_rows(path, rows)
    assert "101.5 部/百人" in summary.findings()["start"]


def test_a_comparison_follows_the_data(data_copy):
    path = data_copy / "observations" / "penetration_2009_2012.csv"
    row = spreadsheet_row(path, area_code="330000", year="2011", indicator="mobile_per_100")
    rows = read_rows(path)
    rows[row - 1][rows[0].index("value")] = "150"
    write_rows(path, rows)
    assert "低于同年全省的 150" in summary.findings()["start"]


def test_a_finding_the_data_no_longer_support_stops_the_build(real_data, monkeypatch):
    facts = dict(counties.summary(), coast_min_density=1.0, hills_max_density=2.0)
    monkeypatch.setattr(counties, "summary", lambda: facts)
    with pytest.raises(summary.StaleFinding, match="沿海比山区稠密"):
        summary.findings()
