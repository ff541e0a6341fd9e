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

import altair as alt
import pandas as pd

from analysis.core import data
from analysis.model import trends
from analysis.render.charts import embed
from analysis.render.html import Html, table

TAIZHOU, ZHEJIANG, CHINA = "331000", "330000", "100000"
RATE_UNITS = {"%", "部/百人"}
STATUS = ["已达到", "进展中", "落后", "无法判断", "无数据"]
STATUS_CLASS = {
    "已达到": "met",
    "进展中": "on-track",
    "落后": "behind",
    "无法判断": "no-data",
    "无数据": "no-data",
}
SIGN = {">=": "≥", "<=": "≤"}
BASELINE_YEAR = 2011  # the study's vantage point: targets before it cannot be tracked


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


STATUS_MARK = {
    "已达到": "✔ 已达到",
    "进展中": "↗ 进展中",
    "落后": "✘ 落后",
    "无法判断": "？ 无法判断",
    "无数据": "？ 无数据",
}


def status_text(state: str, years: list[int]) -> str:
    """The status as shown beside Taizhou's figure: mark, word and, when undecided, why."""
    if state == "无法判断":
        only = "、".join(str(y) for y in years)
        return f"{STATUS_MARK[state]}（只有 {only} 年数字）"
    return STATUS_MARK[state]


CHART_LINK = "infrastructure.html#infra-trends"


def scorecard_frame() -> pd.DataFrame:
    """Return the scorecard as shown: one row per target, Chinese columns, links kept aside."""
    sc = scores()
    src = data.table("sources").set_index("id")
    areas = data.table("areas").set_index("area_code").name_zh
    return pd.DataFrame(
        {
            "指标": sc.name_zh,
            "目标": [
                f"{areas[a]} {y} 年 {t} {u}"
                for a, y, t, u in zip(
                    sc.target_area, sc.target_year, sc.target, sc.unit, strict=True
                )
            ],
            "台州最新数字": [
                None if pd.isna(v) else f"{v:g}（{int(y)}）"
                for v, y in zip(sc.value, sc.year, strict=True)
            ],
            "状态": [
                status_text(st, list(trends.series(TAIZHOU, ind).index))
                for st, ind in zip(sc.status, sc.indicator, strict=True)
            ],
            "台州数字来源": sc.value_source.map(src.title),
            "差距": [None if pd.isna(d) else f"{d:g}" for d in sc.distance],
            "浙江（对照）": sc.zhejiang,
            "全国（对照）": sc.china,
            "目标来源": sc.target_source.map(src.title),
            "chart": CHART_LINK,
            "source_url": sc.target_source.map(src.url),
        }
    )


def scorecard_table() -> Html:
    """Render the scorecard with status as symbol and text, coloured by a class per status."""
    frame = scorecard_frame()
    html = str(
        table(
            frame,
            f"“智慧台州”评估表（台州数字截至 {as_of()} 年）",
            links={"指标": "chart", "目标来源": "source_url"},
            note="差距 = 目标值与台州最新数字之差（已达到为 0）。"
            "浙江、全国数字只作对照，不代表台州。",
        )
    )
    for state, mark in STATUS_MARK.items():
        html = html.replace(f"<td>{mark}", f'<td class="atlas-status-{STATUS_CLASS[state]}">{mark}')
    return Html(html)


def progress_chart() -> Html:
    """Bar chart: Taizhou's latest figure as a share of each target it can be compared with."""
    sc = scores()
    sc = sc[sc.value.notna()]
    frame = pd.DataFrame(
        {
            "目标": [
                f"{n} {y}年{t}"
                for n, y, t in zip(sc.name_zh, sc.target_year, sc.target, strict=True)
            ],
            "完成程度（%）": [
                round(v / float(t.split()[-1]) * 100, 1)
                for v, t in zip(sc.value, sc.target, strict=True)
            ],
            "台州数字": [f"{v:g}（{int(y)}）" for v, y in zip(sc.value, sc.year, strict=True)],
            "状态": sc.status.map(STATUS_MARK),
        }
    )
    # the label of each bar in two lines (indicator; target year and value): never cut short
    labelled = frame.assign(
        标签=[
            f"{n}|{y}年目标 {t}{'' if u == '部/百人' else u}"
            for n, y, t, u in zip(sc.name_zh, sc.target_year, sc.target, sc.unit, strict=True)
        ]
    )
    top = max(150.0, float(labelled["完成程度（%）"].max()) * 1.1)
    y = alt.Y(
        "标签:N",
        sort=None,
        title=None,
        axis=alt.Axis(labelExpr="split(datum.label, '|')", labelLimit=0, labelPadding=6),
    )
    x = alt.X(
        "完成程度（%）:Q",
        title="台州最新数字占目标值的百分比（%）",
        scale=alt.Scale(domain=[0, top], nice=False),
        axis=alt.Axis(titleAnchor="end"),  # a long title runs left, under the labels
    )
    tooltip = [alt.Tooltip(c) for c in frame.columns]
    bars = alt.Chart(labelled).mark_bar(color="#2171b5").encode(y=y, x=x, tooltip=tooltip)
    values = (
        alt.Chart(labelled)
        # inside the end of the bar, so that no width of drawing cuts it off
        .mark_text(align="right", dx=-4, fontSize=12, color="#ffffff", fontWeight="bold")
        .encode(y=y, x=x, text=alt.Text("完成程度（%）:Q", format=".1f"), tooltip=tooltip)
    )
    rule = (
        alt.Chart(pd.DataFrame({"x": [100], "t": ["目标值（100%）"]}))
        .mark_rule(color="#b22", strokeDash=[4, 3])
        .encode(x="x:Q")
    )
    rule_label = (
        alt.Chart(pd.DataFrame({"x": [100], "t": ["目标值（100%）"]}))
        .mark_text(color="#b22", align="center", baseline="bottom", dy=-4, fontSize=11)
        .encode(x="x:Q", y=alt.value(0), text="t:N")
    )
    return embed(
        (bars + values + rule + rule_label).properties(
            width="container", height=46 * max(len(frame), 1)
        ),
        name="scorecard-progress",
        title="台州最新数字与目标的对照（只列有台州数字的目标）",
        description="条形图：台州各项最新数字占对应目标值的百分比，红色虚线为目标值（100%）。",
        sources=sorted(set(sc.target_source.map(data.table("sources").set_index("id").title))),
        data=frame,
        note="没有台州数字的目标不画条形，见上表的“无数据”。",
    )
