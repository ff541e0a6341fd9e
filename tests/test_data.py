"""Tests for ``analysis.core.data``: validated tables, joined observations, single figures."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from analysis.core import data
from analysis.core.data import Figure
from analysis.core.paths import REPO_ROOT
from analysis.core.validate import DataValidationError, read_descriptor

REPO_DATA = REPO_ROOT / "data"

SEED = "observations/seed_2011.csv"
PENETRATION = "observations/penetration_2009_2012.csv"
# every observation file, as the data package lists them
OBSERVATION_FILES = tuple(
    next(r for r in read_descriptor(REPO_DATA)["resources"] if r["name"] == "observations")["path"]
)


def records(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def seed_record(root: Path, indicator: str) -> dict[str, str]:
    (hit,) = [r for r in records(root / SEED) if r["indicator"] == indicator]
    return hit


# --- figure() ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "indicator", ["mobile_per_100", "broadband_household_rate", "broadband_users"]
)
def test_figure_returns_the_seed_value_with_unit_and_source(real_data, indicator):
    rec = seed_record(real_data, indicator)
    fig = data.figure(rec["area_code"], int(rec["year"]), indicator)
    assert isinstance(fig, Figure)
    assert fig.value == pytest.approx(float(rec["value"]))
    assert fig.unit == rec["unit"]
    assert fig.source_id == rec["source_id"]
    assert (fig.area_code, fig.year, fig.indicator) == (
        rec["area_code"],
        int(rec["year"]),
        indicator,
    )
    (ind,) = [r for r in records(real_data / "indicators.csv") if r["id"] == indicator]
    assert fig.label_zh == ind["name_zh"]
    assert isinstance(fig.year, int)
    assert isinstance(fig.value, float)


@pytest.mark.parametrize(
    ("area", "year", "indicator"),
    [
        ("331000", 2011, "mobile_5g_users"),  # indicator never observed for Taizhou
        ("331000", 2012, "mobile_per_100"),  # observed, but not that year
        ("331002", 2011, "mobile_per_100"),  # observed, but not for that area
    ],
)
def test_missing_figure_raises_lookup_error(real_data, area, year, indicator):
    with pytest.raises(LookupError, match=f"no figure for {indicator} in {area}, {year}"):
        data.figure(area, year, indicator)


def test_unknown_source_id_for_an_existing_figure_raises(real_data):
    with pytest.raises(LookupError):
        data.figure("331000", 2011, "mobile_per_100", source_id="zj_yearbook_2013_t9_9")


def test_two_sources_need_a_source_id(data_copy, append_row):
    seed = seed_record(data_copy, "mobile_per_100")
    other = {**seed, "value": "135.1", "source_id": "zj_yearbook_2013_t9_9", "note": "revised"}
    append_row(PENETRATION, other)

    with pytest.raises(LookupError, match="2 sources give mobile_per_100 in 331000, 2011") as info:
        data.figure("331000", 2011, "mobile_per_100")
    assert seed["source_id"] in str(info.value)
    assert "zj_yearbook_2013_t9_9" in str(info.value)

    first = data.figure("331000", 2011, "mobile_per_100", source_id=seed["source_id"])
    assert first.value == pytest.approx(float(seed["value"]))
    assert first.source_id == seed["source_id"]
    second = data.figure("331000", 2011, "mobile_per_100", source_id="zj_yearbook_2013_t9_9")
    assert second.value == pytest.approx(135.1)
    assert second.source_id == "zj_yearbook_2013_t9_9"

    # Other figures of the same area and year are unaffected.
    assert data.figure("331000", 2011, "fixed_per_100").source_id == seed["source_id"]


def test_figure_reads_the_current_data_folder(data_copy, edit_cell, find_row):
    row = find_row(SEED, indicator="fibre_village_rate")
    edit_cell(SEED, row, "value", "97.5")
    assert data.figure("331000", 2011, "fibre_village_rate").value == pytest.approx(97.5)


def test_invalid_data_is_never_returned(data_copy, edit_cell, find_row):
    row = find_row(SEED, indicator="fibre_village_rate")
    edit_cell(SEED, row, "value", "101")
    with pytest.raises(DataValidationError):
        data.figure("331000", 2011, "fibre_village_rate")


# --- observations() and table() ----------------------------------------------------------------


def test_observations_join_labels_for_every_row(real_data):
    obs = data.observations()
    expected = [r for rel in OBSERVATION_FILES for r in records(real_data / rel)]
    assert len(obs) == len(expected)
    for column in ("indicator_zh", "indicator_en", "area_zh", "area_en", "source_title"):
        assert obs[column].notna().all(), column
        assert (obs[column].astype(str).str.len() > 0).all(), column

    indicators = {r["id"]: r["name_zh"] for r in records(real_data / "indicators.csv")}
    areas = {r["area_code"]: r["name_zh"] for r in records(real_data / "areas.csv")}
    titles = {r["id"]: r["title"] for r in records(real_data / "sources.csv")}
    for row in obs.itertuples():
        assert row.indicator_zh == indicators[row.indicator]
        assert row.area_zh == areas[row.area_code]
        assert row.source_title == titles[row.source_id]


def test_observations_keep_every_row_once(real_data):
    obs = data.observations()
    keys = list(zip(obs.area_code, obs.year.astype(int), obs.indicator, obs.source_id, strict=True))
    expected = [
        (r["area_code"], int(r["year"]), r["indicator"], r["source_id"])
        for rel in OBSERVATION_FILES
        for r in records(real_data / rel)
    ]
    assert sorted(keys) == sorted(expected)


def test_table_returns_an_independent_copy(real_data):
    first = data.table("sources")
    first.loc[0, "title"] = "changed"
    assert data.table("sources").loc[0, "title"] != "changed"
    assert data.table("sources").attrs == {}


def test_table_unknown_name_raises(real_data):
    with pytest.raises(KeyError, match="no table 'nope'"):
        data.table("nope")


# --- Figure.formatted() ------------------------------------------------------------------------


def make(value: float, unit: str) -> Figure:
    return Figure("331000", 2011, "x", value, unit, "src", "标签")


@pytest.mark.parametrize(
    ("value", "unit", "digits", "expected"),
    [
        (58.61, "%", None, "58.61%"),
        (58.61, "%", 1, "58.6%"),
        (99.0, "%", None, "99%"),
        (134.88, "部/百人", None, "134.88 部/百人"),
        (134.88, "部/百人", 0, "135 部/百人"),
        (112.70, "万户", 2, "112.70 万户"),
        (791.45, "万户", None, "791.45 万户"),
        (1234.5, "万户", 1, "1,234.5 万户"),
        (600.0, "Gbit/s", None, "600 Gbit/s"),
        (52000.0, "元", None, "52,000 元"),
    ],
)
def test_formatted(value, unit, digits, expected):
    assert make(value, unit).formatted(digits) == expected


def test_formatted_real_figure(real_data):
    assert data.figure("331000", 2011, "broadband_household_rate").formatted() == "58.61%"
    assert data.figure("331000", 2011, "mobile_per_100").formatted() == "134.88 部/百人"


def test_formatted_keeps_all_digits_of_large_values():
    assert make(1234567.0, "元").formatted() == "1,234,567 元"


# --- source_citation() -------------------------------------------------------------------------


def test_source_citation(real_data):
    for rec in records(real_data / "sources.csv"):
        citation = data.source_citation(rec["id"])
        assert citation == f"{rec['title']}（{rec['publisher']}，{rec['date']}）"


def test_source_citation_unknown_id_raises(real_data):
    with pytest.raises(KeyError, match="unknown source id 'nobody_2099'"):
        data.source_citation("nobody_2099")


def test_cache_is_per_data_folder(data_copy, edit_cell, find_row, monkeypatch):
    """Switching ``ATLAS_DATA_DIR`` switches tables: the cache is keyed by the folder."""
    row = find_row(SEED, indicator="fixed_per_100")
    old = edit_cell(SEED, row, "value", "30.5")
    assert data.figure("331000", 2011, "fixed_per_100").value == pytest.approx(30.5)
    monkeypatch.delenv("ATLAS_DATA_DIR")
    assert data.figure("331000", 2011, "fixed_per_100").value == pytest.approx(float(old))
    monkeypatch.setenv("ATLAS_DATA_DIR", str(data_copy))
    assert data.figure("331000", 2011, "fixed_per_100").value == pytest.approx(30.5)


def test_a_remembered_result_follows_every_edit_and_is_handed_out_as_a_copy(
    data_copy, edit_cell, find_row
):
    """``per_version`` computes once per version of the data: an edit recomputes, and a
    caller that changes its frame does not change the next caller's."""
    calls = []

    @data.per_version
    def fixed_rate() -> object:
        calls.append(1)
        return data.indexed("observations", "indicator").loc[["fixed_per_100"]]

    first = fixed_rate()
    first["value"] = -1.0
    again = fixed_rate()
    assert len(calls) == 1 and (again.value > 0).all()
    edit_cell(SEED, find_row(SEED, indicator="fixed_per_100"), "value", "30.5")
    assert 30.5 in set(fixed_rate().value) and len(calls) == 2
