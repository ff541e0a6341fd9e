"""Taizhou's nine county-level divisions: the figures the county maps show.

One row per county and measure. Published figures come from ``data/observations``; the
measures the site derives (density, change between censuses) say so and how. A county with
no figure has a missing value, shown as 缺失 — never a zero. 玉环's figures before 2017
carry the code of 玉环县 (331021) and are mapped onto 玉环市 (331083), the same territory.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import mapclassify
import numpy as np
import pandas as pd

from analysis.core import data
from analysis.core.layers import read_layer
from analysis.core.reference import TAIZHOU, county_names
from analysis.model import trends

LAYER = "taizhou_counties"
TELECOM = ["mobile_users", "fixed_line_users", "broadband_users"]


@dataclass(frozen=True)
class Measure:
    """One thing a county map can show: label, unit, how it is obtained, how it is rounded.

    A published indicator's measure names it (``indicator``: its decimals are in
    ``data/indicators.csv``); a derived measure, which is no indicator, gives its ``decimals``.
    """

    id: str
    label: str
    unit: str
    how: str  # "data" (published figure) or the formula of a derived value
    indicator: str | None = None
    decimals: int | None = None


MEASURES = [
    Measure("pop_2020", "2020年常住人口", "万人", "data", indicator="resident_population"),
    Measure("pop_2010", "2010年常住人口", "万人", "data", indicator="resident_population"),
    Measure(
        "change",
        "常住人口增长（2010—2020年）",
        "%",
        "(2020年人口 ÷ 2010年人口 − 1) × 100",
        decimals=1,
    ),
    Measure("density", "人口密度（2020年）", "人/km²", "2020年人口 ÷ 按边界计算的面积", decimals=0),
]


def current_codes() -> dict[str, str]:
    """Return {area code: the code it has today} (玉环县 331021 → 玉环市 331083), every area."""
    areas = data.table("areas")
    successor = {
        a: s
        for a, s in zip(areas.area_code, areas.successor_code, strict=True)
        if isinstance(s, str)
    }
    out = {}
    for code in areas.area_code:
        today = code
        while today in successor:
            today = successor[today]
        out[code] = today
    return out


def current_code(code: str) -> str:
    """Return the code a county has today (玉环县 331021 → 玉环市 331083)."""
    return current_codes().get(code, code)


def county_observations() -> pd.DataFrame:
    """Return the chosen figure per county, indicator and year, under today's county code."""
    pref = trends.preferred()
    areas = data.table("areas")
    codes = set(areas.loc[areas.level == "county", "area_code"])
    rows = pref[pref.area_code.isin(codes)].copy()
    rows["adcode"] = rows.area_code.map(current_codes())
    return rows


def _value(obs: pd.DataFrame, adcode: str, indicator: str, year: int) -> pd.Series | None:
    hit = obs[(obs.adcode == adcode) & (obs.indicator == indicator) & (obs.year == year)]
    return None if hit.empty else hit.iloc[0]


def county_values() -> pd.DataFrame:
    """Return one row per county and measure: value (NaN when missing), unit and source.

    ``derived`` is True for a value the site computes (its formula is the measure's ``how``).
    """
    geo = read_layer(LAYER)
    obs = county_observations()
    rows = []
    for county in geo.itertuples(index=False):
        pops = {y: _value(obs, county.adcode, "resident_population", y) for y in (2010, 2020)}
        values = {
            "pop_2020": pops[2020].value if pops[2020] is not None else np.nan,
            "pop_2010": pops[2010].value if pops[2010] is not None else np.nan,
        }
        values["change"] = (values["pop_2020"] / values["pop_2010"] - 1) * 100
        values["density"] = values["pop_2020"] * 1e4 / county.area_km2
        sources = {
            "pop_2020": pops[2020].source_title if pops[2020] is not None else "",
            "pop_2010": pops[2010].source_title if pops[2010] is not None else "",
        }
        both = "；".join(dict.fromkeys(s for s in sources.values() if s))
        for m in MEASURES:
            source = sources.get(m.id, both)
            rows.append(
                {
                    "adcode": county.adcode,
                    "name_zh": county.name_zh,
                    "measure": m.id,
                    "label": m.label,
                    "value": float(values[m.id]),
                    "unit": m.unit,
                    "derived": m.how != "data",  # the site computes it (formula: Measure.how)
                    "source": source if not np.isnan(values[m.id]) else "",
                }
            )
    return pd.DataFrame(rows)


def telecom_figures() -> pd.DataFrame:
    """Return every published county telecom figure, by today's county code, year, indicator.

    Columns adcode, year, indicator, indicator_zh, value, unit (of :func:`county_observations`).
    """
    obs = county_observations()
    tele = obs[obs.indicator.isin(TELECOM)].sort_values(["adcode", "year", "indicator"])
    return tele[["adcode", "year", "indicator", "indicator_zh", "value", "unit"]].reset_index(
        drop=True
    )


def telecom_summary() -> pd.DataFrame:
    """Return, per county, how many telecom figures are published and the latest year.

    Columns adcode, name_zh, figures (0 when none), latest_year (None when none).
    """
    geo = read_layer(LAYER)
    tele = telecom_figures()
    rows = []
    for county in geo.itertuples(index=False):
        mine = tele[tele.adcode == county.adcode]
        rows.append(
            {
                "adcode": county.adcode,
                "name_zh": county.name_zh,
                "figures": len(mine),
                "latest_year": int(mine.year.max()) if len(mine) else None,
            }
        )
    return pd.DataFrame(rows)


def classify(values: pd.Series, k: int = 4) -> tuple[list[float], pd.Series]:
    """Split the non-missing values into at most ``k`` Fisher–Jenks classes.

    Returns the upper bounds of the classes and each value's class (NaN stays NaN). With
    fewer distinct values than ``k``, each distinct value is a class of its own.
    """
    known = values.dropna()
    if known.empty:
        return [], pd.Series(np.nan, index=values.index)
    k = min(k, known.nunique())
    if k == 1:
        bins = [float(known.max())]
    else:
        with warnings.catch_warnings():  # "Numba not installed": the pure-Python path is fine
            warnings.simplefilter("ignore", UserWarning)
            bins = [float(b) for b in mapclassify.FisherJenks(known.to_numpy(), k=k).bins]
    classes = values.map(
        lambda v: np.nan if pd.isna(v) else next(i for i, b in enumerate(bins) if v <= b + 1e-9)
    )
    return bins, classes


def areas_table() -> pd.DataFrame:
    """Return each county's area from the boundaries beside the official figure, if any.

    Columns: name_zh, adcode, area_km2 (from the boundaries), official_km2 and
    official_source (the title of the document giving it), both None when no source does.
    """
    geo = read_layer(LAYER)
    obs = county_observations()
    rows = []
    for county in geo.itertuples(index=False):
        official = obs[(obs.adcode == county.adcode) & (obs.indicator == "land_area_km2")]
        rec = official.sort_values("year").iloc[-1] if len(official) else None
        rows.append(
            {
                "name_zh": county.name_zh,
                "adcode": county.adcode,
                "area_km2": county.area_km2,
                "official_km2": None if rec is None else rec.value,
                "official_source": None if rec is None else rec.source_title,
            }
        )
    return pd.DataFrame(rows)


COAST = county_names("coast")  # areas.csv, zone column
HILLS = county_names("hills")


def city_census_total(year: int) -> data.Figure | None:
    """Return the city's census population as the sum of its nine counties' figures.

    A stand-in for the city's own census total when ``data/`` holds none (the city bulletin
    was read only on a repost site, issue 16): None unless all nine counties have the year.
    Callers say that the figure is this sum.
    """
    values = county_values()
    pops = values[values.measure == f"pop_{year}"].value
    if len(pops) != 9 or pops.isna().any():
        return None
    label = data.indexed("indicators", "id").at["resident_population", "name_zh"]
    return data.Figure(
        TAIZHOU,
        year,
        "resident_population",
        float(pops.sum()),
        "万人",
        f"leiii_census_county_{year}",
        label,
    )


def round_bound(value: float, *, above: bool, step: int = 50) -> int:
    """Return a round cut-off strictly beyond ``value``: the next multiple of ``step`` above it
    (``above=True``) or the last one below it, so "都不到 N" / "都在 N 以上" never contradicts a
    rounded figure shown beside it (334 → 350; 1,203 → 1,200 when below).
    """
    if above:
        return (math.floor(value / step) + 1) * step
    return (math.ceil(value / step) - 1) * step


def summary() -> dict:
    """Return the facts the chapter's text states, computed from the county values.

    Densities are people per km² on the computed area; changes are % between the censuses;
    ``city_change`` is the city's own change from its census totals (from the nine counties'
    sum when ``data/`` holds no city total).
    """
    wide = county_values().pivot(index="name_zh", columns="measure", values="value")
    try:
        city = {y: trends.figure(TAIZHOU, y, "resident_population").value for y in (2010, 2020)}
    except LookupError:  # no city census total in data/: the city is the nine counties together
        city = None
    totals = city or {y: wide[f"pop_{y}"].sum() for y in (2010, 2020)}
    tele = telecom_summary()
    return {
        "densest": list(wide.density.sort_values(ascending=False).index[:3]),
        "fastest": list(wide.change.sort_values(ascending=False).index[:3]),
        "slowest": list(wide.change.sort_values().index[:3]),
        "coast_min_density": float(wide.loc[COAST, "density"].min()),
        "hills_max_density": float(wide.loc[HILLS, "density"].max()),
        "hills_min_change": float(wide.loc[HILLS, "change"].min()),
        "city_change": (totals[2020] / totals[2010] - 1) * 100,
        # the city's own census totals (None when data/ holds none) beside the counties' sums
        "city_totals": city,
        # NaN when a county lacks the year
        "county_sums": {y: float(wide[f"pop_{y}"].sum(skipna=False)) for y in (2010, 2020)},
        "with_telecom": int((tele.figures > 0).sum()),
    }
