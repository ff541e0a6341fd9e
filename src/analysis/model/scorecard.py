"""The smart-Taizhou scorecard: where Taizhou stands against each target, indicator by indicator.

The indicator framework (``data/framework.csv``) says which indicators the scorecard tracks,
their category and whether higher or lower is better; the targets come from
``data/targets.csv``; the values are the published observations, never copied. Each target
gets one status:

* 已达到 (met): Taizhou's latest figure meets it;
* 进展中 (on track): not yet met, the target year is still ahead of the latest figure, and the
  straight line through Taizhou's last two figures reaches it by the target year;
* 落后 (behind): not met, and either the target year has passed or the trend falls short;
* 无法判断 (cannot tell): a single Taizhou figure that does not meet a later target (no trend
  can be drawn); the table says which year the one figure is from;
* 无数据 (no data): no Taizhou figure. No data is never counted as zero or as met.

National and provincial targets are used as benchmarks only when they are rates (a share or
a per-100 figure); a national count (万户) says nothing about one city and is left out.
"""

from __future__ import annotations

import pandas as pd

from analysis.core import data
from analysis.core.reference import CHINA, STUDY_YEAR, TAIZHOU, ZHEJIANG
from analysis.model import trends

RATE_UNITS = {"%", "部/百人"}
STATUS = ["已达到", "进展中", "落后", "无法判断", "无数据"]
SIGN = {">=": "≥", "<=": "≤"}
BASELINE_YEAR = STUDY_YEAR  # the study's vantage point: targets before it cannot be tracked


class ScoreInputError(ValueError):
    """A target the scorecard cannot use; the message names file, row and column."""


def framework() -> pd.DataFrame:
    """Return the indicator framework joined with the indicators' names and units."""
    frame = data.table("framework")
    ind = data.table("indicators").set_index("id")
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


def _meets(value: float, target: float, comparison: str) -> bool:
    return value >= target if comparison == ">=" else value <= target


def status(values: pd.Series, target: float, target_year: int, comparison: str) -> str:
    """Return the status of one target given Taizhou's published values (indexed by year)."""
    values = values.dropna().sort_index()
    if values.empty:
        return "无数据"
    latest_year, latest = int(values.index[-1]), float(values.iloc[-1])
    if _meets(latest, target, comparison):
        return "已达到"
    if latest_year >= target_year:
        return "落后"
    if len(values) < 2:
        return "无法判断"
    (y0, v0), (y1, v1) = list(values.items())[-2:]
    slope = (v1 - v0) / (y1 - y0)
    return "进展中" if _meets(v1 + slope * (target_year - y1), target, comparison) else "落后"


def _latest(area: str, indicator: str) -> tuple[float | None, int | None]:
    values = trends.series(area, indicator)
    return (None, None) if values.empty else (float(values.iloc[-1]), int(values.index[-1]))


def _value_source(indicator: str, year: int | None) -> str | None:
    """The id of the document Taizhou's figure for ``year`` is taken from (None if none)."""
    if year is None:
        return None
    return trends.figure(TAIZHOU, year, indicator).source_id


def scores() -> pd.DataFrame:
    """Return one row per tracked target: latest value and year, status, distance, context."""
    fw = framework().set_index("indicator")
    rows = []
    for t in applicable_targets().itertuples(index=False):
        values = trends.series(TAIZHOU, t.indicator)
        value, year = _latest(TAIZHOU, t.indicator)
        state = status(values, t.target_value, int(t.target_year), t.comparison)
        gap = None
        if value is not None:
            gap = (t.target_value - value) if t.comparison == ">=" else (value - t.target_value)
            gap = max(gap, 0.0)
        zj, zj_year = _latest(ZHEJIANG, t.indicator)
        cn, cn_year = _latest(CHINA, t.indicator)
        rows.append(
            {
                "indicator": t.indicator,
                "category": fw.loc[t.indicator, "category"],
                "name_zh": fw.loc[t.indicator, "name_zh"],
                "unit": t.unit,
                "target": f"{SIGN[t.comparison]} {t.target_value:g}",
                "target_year": int(t.target_year),
                "target_area": t.area_code,
                "target_source": t.source_id,
                "value": value,
                "year": year,
                "value_source": _value_source(t.indicator, year),
                "status": state,
                "distance": gap,
                "zhejiang": None if zj is None else f"{zj:g}（{zj_year}）",
                "china": None if cn is None else f"{cn:g}（{cn_year}）",
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


def key_points() -> dict[str, str]:
    """The scorecard's key-point sentences, computed from the same table the page shows."""
    sc = scores()
    counts = sc.status.value_counts()
    parts = [f"其中 {counts.get('已达到', 0)} 项按台州 {as_of()} 年及以前的数字已经达到"]
    for state, words in (
        ("进展中", "按趋势可以按期达到"),
        ("落后", "落后"),
        ("无法判断", "只有一个年份的台州数字，无法判断趋势"),
        ("无数据", "没有台州的数字"),
    ):
        if counts.get(state, 0):
            parts.append(f"{counts[state]} 项{words}")
    later = after_study()
    if later["figures"] == 0:
        gap = (
            f"缺数据本身就是评估结果：课题之后（{BASELINE_YEAR} 年以后），"
            "本站可查的材料中没有台州这些指标的数字。"
        )
    else:
        gap = (
            f"课题之后（{BASELINE_YEAR} 年以后），本站收录了台州 {later['indicators']} 项指标的 "
            f"{later['figures']} 个数字，最新到 {later['latest']} 年；其余指标和年份仍是空缺。"
        )
    return {
        "n_targets": str(len(sc)),
        "status_counts": "，".join(parts) + "。",
        "after_study": gap,
    }


def categories() -> pd.DataFrame:
    """Return per category: indicators in the framework, with Taizhou data, targets met."""
    fw, sc = framework(), scores()
    have = {ind for ind in fw.indicator if not trends.series(TAIZHOU, ind).empty}
    rows = []
    for category, grp in fw.groupby("category", sort=False):
        mine = sc[sc.category == category]
        rows.append(
            {
                "类别": category,
                "指标数": len(grp),
                "台州有公开数字的指标": sum(ind in have for ind in grp.indicator),
                "目标数": len(mine),
                "已达到": int((mine.status == "已达到").sum()),
                "无法判断": int((mine.status == "无法判断").sum()),
                "无数据": int((mine.status == "无数据").sum()),
            }
        )
    return pd.DataFrame(rows)


def changes(year: int | None = None) -> pd.DataFrame:
    """Return the targets whose status differs from the status one year earlier.

    The earlier status is computed from the figures published up to ``year − 1``.
    """
    year = as_of() if year is None else year
    rows = []
    if year is None:
        return pd.DataFrame(columns=["指标", "目标", "上一年", "今年"])
    names = framework().set_index("indicator").name_zh
    for t in applicable_targets().itertuples(index=False):
        values = trends.series(TAIZHOU, t.indicator)
        now = status(values[values.index <= year], t.target_value, int(t.target_year), t.comparison)
        before = status(
            values[values.index <= year - 1], t.target_value, int(t.target_year), t.comparison
        )
        if now != before:
            rows.append(
                {
                    "指标": names[t.indicator],
                    "目标": f"{t.target_year} 年 {SIGN[t.comparison]} {t.target_value:g}",
                    "上一年": before,
                    "今年": now,
                }
            )
    return pd.DataFrame(rows, columns=["指标", "目标", "上一年", "今年"])
