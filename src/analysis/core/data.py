"""Validated access to the tables in ``data/`` for notebooks and charts.

All loaders go through :func:`analysis.core.validate.load_package`, so a page can only ever show
figures that passed validation. Results are cached per data folder and reread as soon as any
file in it changes, so an editor who fixes a CSV and reruns a cell sees the fix.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, wraps
from pathlib import Path

import pandas as pd

from analysis.core import numbers
from analysis.core.paths import data_dir
from analysis.core.records import Observation
from analysis.core.validate import load_package


@lru_cache(maxsize=4)
def _package(root: str, stamp: tuple = ()) -> dict[str, pd.DataFrame]:
    return load_package(Path(root))


def _stamp(root: Path) -> tuple:
    """Name, size and modification time of every file under ``root``: changes on any edit."""
    stamp: list[tuple[str, int, int]] = []
    folders = [("", str(root))]
    while folders:
        prefix, folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir():
                    folders.append((f"{prefix}{entry.name}/", entry.path))
                elif entry.is_file():
                    info = entry.stat()
                    stamp.append((prefix + entry.name, info.st_size, info.st_mtime_ns))
    return tuple(sorted(stamp))


def table(name: str) -> pd.DataFrame:
    """Return a copy of one validated table of the data package, by resource name."""
    root = data_dir()
    tables = _package(str(root), _stamp(root))
    if name not in tables:
        raise KeyError(f"no table {name!r} in data/datapackage.json; known: {sorted(tables)}")
    frame = tables[name].copy()
    frame.attrs = {}
    return frame


def per_version(func: Callable) -> Callable:
    """Remember ``func``'s result for each version of the data folder (and each argument list).

    For a computation that reads only ``data/`` and is asked for many times while a page is
    built; the result is recomputed as soon as any data file changes, and a frame or series is
    handed out as a copy, so a caller cannot change what the next caller gets.
    """
    memo: dict[tuple, object] = {}

    @wraps(func)
    def remembered(*args):
        root = data_dir()
        key = (str(root), _stamp(root), args)
        if key not in memo:
            if len(memo) >= 16:
                memo.clear()
            memo[key] = func(*args)
        value = memo[key]
        return value.copy() if isinstance(value, pd.DataFrame | pd.Series) else value

    remembered.cache_clear = memo.clear
    return remembered


@per_version
def indexed(name: str, column: str) -> pd.DataFrame:
    """Return one table indexed by ``column`` (e.g. the indicators by ``id``)."""
    return table(name).set_index(column)


def observations() -> pd.DataFrame:
    """Return every observation joined with its indicator, area and source labels."""
    obs = table("observations")
    ind = table("indicators").rename(
        columns={"id": "indicator", "name_zh": "indicator_zh", "name_en": "indicator_en"}
    )
    areas = table("areas")[["area_code", "name_zh", "name_en"]].rename(
        columns={"name_zh": "area_zh", "name_en": "area_en"}
    )
    src = table("sources").rename(
        columns={
            "id": "source_id",
            "title": "source_title",
            "publisher": "source_publisher",
            "date": "source_date",
            "kind": "source_kind",
            "url": "source_url",
            "note": "source_note",
        }
    )
    return (
        obs.merge(ind[["indicator", "indicator_zh", "indicator_en"]], on="indicator", how="left")
        .merge(areas, on="area_code", how="left")
        .merge(
            src[
                [
                    "source_id",
                    "source_title",
                    "source_publisher",
                    "source_date",
                    "source_kind",
                    "source_url",
                ]
            ],
            on="source_id",
            how="left",
        )
    )


@dataclass(frozen=True)
class Figure(Observation):
    """One published figure with everything needed to show and cite it."""

    label_zh: str

    @classmethod
    def from_row(cls, row) -> Figure:
        """The figure of one observation row (of :func:`observations` or a frame like it)."""
        return cls(
            row.area_code,
            int(row.year),
            row.indicator,
            float(row.value),
            row.unit,
            row.source_id,
            row.indicator_zh,
        )

    def formatted(self, digits: int | None = None) -> str:
        """Return the value with its unit, e.g. ``134.88 部/百人`` (``digits`` fixes decimals)."""
        # without digits: every published digit, no exponent, no trailing zeros
        number = f"{self.value:,.{digits}f}" if digits is not None else numbers.number(self.value)
        unit = self.unit if self.unit != "%" else ""
        return f"{number}{'%' if self.unit == '%' else ' ' + unit}".strip()


def figure(area_code: str, year: int, indicator: str, source_id: str | None = None) -> Figure:
    """Return the single observation for an area, year and indicator.

    If two documents give the figure, ``source_id`` must say which one is meant; a missing
    figure raises ``LookupError`` rather than returning a stand-in value.
    """
    obs = observations()
    hit = obs[(obs.area_code == area_code) & (obs.year == year) & (obs.indicator == indicator)]
    if source_id is not None:
        hit = hit[hit.source_id == source_id]
    if hit.empty:
        others = sorted(
            set(
                obs.loc[
                    (obs.area_code == area_code)
                    & (obs.year == year)
                    & (obs.indicator == indicator),
                    "source_id",
                ]
            )
        )
        wanted = f" from source {source_id}" if source_id else ""
        found = f"; sources that give it: {', '.join(others)}" if others else ""
        raise LookupError(f"no figure for {indicator} in {area_code}, {year}{wanted}{found}")
    if len(hit) > 1:
        raise LookupError(
            f"{len(hit)} sources give {indicator} in {area_code}, {year} "
            f"({', '.join(hit.source_id)}); pass source_id to choose one"
        )
    return Figure.from_row(hit.iloc[0])


def source_citation(source_id: str) -> str:
    """Return a short Chinese citation for a source: title, publisher, date."""
    src = table("sources").set_index("id")
    if source_id not in src.index:
        raise KeyError(f"unknown source id {source_id!r}")
    row = src.loc[source_id]
    return f"{row.title}（{row.publisher}，{row.date}）"
