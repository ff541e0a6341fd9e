"""The smart-Taizhou scorecard: where Taizhou stands against each target, indicator by indicator.

The indicator framework (``data/framework.csv``) says which indicators the scorecard tracks,
their category and whether higher or lower is better; the targets come from
``data/targets.csv``; the values are the published observations, never copied. Each target
gets one status code (the page writes its mark and words):

* ``met``: Taizhou's latest figure meets it;
* ``on_track``: not yet met, the target year is still ahead of the latest figure, and the
  straight line through Taizhou's last two figures reaches it by the target year;
* ``behind``: not met, and either the target year has passed or the trend falls short;
* ``undecidable``: a single Taizhou figure that does not meet a later target (no trend
  can be drawn); the page says which year the one figure is from;
* ``no_data``: no Taizhou figure. No data is never counted as zero or as met.

Targets are carried as a value and a comparator code (``ge``/``le``, see
:mod:`analysis.model.targets`); the symbols (≥, ≤) are written by the page.

National and provincial targets are used as benchmarks only when they are rates (a share or
a per-100 figure); a national count (万户) says nothing about one city and is left out.
"""

from __future__ import annotations

import pandas as pd

from analysis.core import data
from analysis.core.reference import CHINA, STUDY_YEAR, TAIZHOU, ZHEJIANG
from analysis.model import trends
from analysis.model.targets import comparator, meets, shortfall

RATE_UNITS = {"%", "部/百人"}
STATUS = ["met", "on_track", "behind", "undecidable", "no_data"]
BASELINE_YEAR = STUDY_YEAR  # the study's vantage point: targets before it cannot be tracked


class ScoreInputError(ValueError):
    """A target the scorecard cannot use; the message names file, row and column."""


def framework() -> pd.DataFrame:
    """Return the indicator framework joined with the indicators' names and units."""
    frame = data.table("framework")
    ind = data.indexed("indicators", "id")
    return frame.assign(
        name_zh=frame.indicator.map(ind.name_zh), unit=frame.indicator.map(ind.unit)
    )


def applicable_targets() -> pd.DataFrame:
    """Return the targets the scorecard tracks for Taizhou, with the file row of each."""
    targets = data.table("targets")
    origin = targets.attrs.get("origin", [("targets.csv", i + 2) for i in range(len(targets))])
    targets = targets.assign(row=[line for _, line in origin])
    early = targets[targets.target_year < BASELINE_YEAR]
    if len(early):
        r = early.iloc[0]
        raise ScoreInputError(
            f"targets.csv, row {r.row}, column 'target_year': {r.target_year} is before the "
            f"baseline year {BASELINE_YEAR}; such a target cannot be tracked"
        )
    tracked = targets[targets.indicator.isin(framework().indicator)]
    usable = (tracked.area_code == TAIZHOU) | tracked.unit.isin(RATE_UNITS)
    return tracked[usable].reset_index(drop=True)


def status(values: pd.Series, target: float, target_year: int, comparator: str) -> str:
    """Return the status code of one target given Taizhou's published values (by year).

    ``comparator`` is ``ge`` (at least) or ``le`` (at most).
    """
    values = values.dropna().sort_index()
    if values.empty:
        return "no_data"
    latest_year, latest = int(values.index[-1]), float(values.iloc[-1])
    if meets(latest, target, comparator):
        return "met"
    if latest_year >= target_year:
        return "behind"
    if len(values) < 2:
        return "undecidable"
    (y0, v0), (y1, v1) = list(values.items())[-2:]
    slope = (v1 - v0) / (y1 - y0)
    return "on_track" if meets(v1 + slope * (target_year - y1), target, comparator) else "behind"


def _latest(area: str, indicator: str) -> tuple[float | None, int | None]:
    values = trends.series(area, indicator)
    return (None, None) if values.empty else (float(values.iloc[-1]), int(values.index[-1]))


def _value_source(indicator: str, year: int | None) -> str | None:
    """The id of the document Taizhou's figure for ``year`` is taken from (None if none)."""
    if year is None:
        return None
    return trends.figure(TAIZHOU, year, indicator).source_id


def scores() -> pd.DataFrame:
    """Return one row per tracked target: latest value and year, status, distance, context.

    Columns: indicator, category_zh, name_zh, unit, target_value, comparator (``ge``/``le``),
    target_year, target_area, target_source, value, year, value_source, status (a code of
    :data:`STATUS`), distance (how far the latest value is from the target, 0 when met),
    zhejiang, zhejiang_year, china, china_year (the latest context figures, None if none).
    """
    fw = framework().set_index("indicator")
    rows = []
    for t in applicable_targets().itertuples(index=False):
        values = trends.series(TAIZHOU, t.indicator)
        value, year = _latest(TAIZHOU, t.indicator)
        code = comparator(t.comparison)
        state = status(values, t.target_value, int(t.target_year), code)
        gap = None if value is None else shortfall(value, float(t.target_value), code)
        zj, zj_year = _latest(ZHEJIANG, t.indicator)
        cn, cn_year = _latest(CHINA, t.indicator)
        rows.append(
            {
                "indicator": t.indicator,
                "category_zh": fw.loc[t.indicator, "category"],
                "name_zh": fw.loc[t.indicator, "name_zh"],
                "unit": t.unit,
                "target_value": float(t.target_value),
                "comparator": code,
                "target_year": int(t.target_year),
                "target_area": t.area_code,
                "target_source": t.source_id,
                "value": value,
                "year": year,
                "value_source": _value_source(t.indicator, year),
                "status": state,
                "distance": gap,
                "zhejiang": zj,
                "zhejiang_year": zj_year,
                "china": cn,
                "china_year": cn_year,
            }
        )
    return pd.DataFrame(rows)


def as_of() -> int | None:
    """Return the latest year of any Taizhou figure the scorecard uses (its 'as of' date)."""
    years = scores().year.dropna()
    return None if years.empty else int(years.max())


def after_study() -> dict[str, int | None]:
    """Taizhou's figures of the framework's indicators published after the study's year.

    Keys: indicators (how many have such a figure), figures (how many figures), latest (the
    latest year, None when there is none).
    """
    pref = trends.preferred()
    later = pref[
        (pref.area_code == TAIZHOU)
        & (pref.year > BASELINE_YEAR)
        & pref.indicator.isin(framework().indicator)
    ]
    return {
        "indicators": int(later.indicator.nunique()),
        "figures": len(later),
        "latest": None if later.empty else int(later.year.max()),
    }


def categories() -> pd.DataFrame:
    """Return per category: indicators in the framework, with Taizhou data, targets by status.

    Columns: category_zh, indicators, with_data (indicators with a Taizhou figure), targets,
    met, undecidable, no_data.
    """
    fw, sc = framework(), scores()
    have = {ind for ind in fw.indicator if not trends.series(TAIZHOU, ind).empty}
    rows = []
    for category, grp in fw.groupby("category", sort=False):
        mine = sc[sc.category_zh == category]
        rows.append(
            {
                "category_zh": category,
                "indicators": len(grp),
                "with_data": sum(ind in have for ind in grp.indicator),
                "targets": len(mine),
                "met": int((mine.status == "met").sum()),
                "undecidable": int((mine.status == "undecidable").sum()),
                "no_data": int((mine.status == "no_data").sum()),
            }
        )
    return pd.DataFrame(rows)


CHANGE_COLUMNS = [
    "indicator",
    "name_zh",
    "target_year",
    "target_value",
    "comparator",
    "before",
    "now",
]


def changes(year: int | None = None) -> pd.DataFrame:
    """Return the targets whose status differs from the status one year earlier.

    The earlier status (``before``) is computed from the figures published up to ``year − 1``,
    ``now`` from those up to ``year``; both are codes of :data:`STATUS`.
    """
    year = as_of() if year is None else year
    rows = []
    if year is None:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    names = framework().set_index("indicator").name_zh
    for t in applicable_targets().itertuples(index=False):
        values = trends.series(TAIZHOU, t.indicator)
        code = comparator(t.comparison)
        now = status(values[values.index <= year], t.target_value, int(t.target_year), code)
        before = status(values[values.index <= year - 1], t.target_value, int(t.target_year), code)
        if now != before:
            rows.append(
                {
                    "indicator": t.indicator,
                    "name_zh": names[t.indicator],
                    "target_year": int(t.target_year),
                    "target_value": float(t.target_value),
                    "comparator": code,
                    "before": before,
                    "now": now,
                }
            )
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)
