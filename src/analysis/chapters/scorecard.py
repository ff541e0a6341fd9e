"""The scorecard page (评估表): the targets' status as marks and words, the table and the chart.

The statuses, distances and shares come from :mod:`analysis.model.scorecard`; this module owns
the words, marks, colours and captions readers see.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.core import data
from analysis.model import trends
from analysis.model.scorecard import (
    BASELINE_YEAR,
    TAIZHOU,
    after_study,
    as_of,
    categories,
    changes,
    scores,
)
from analysis.render.charts import embed
from analysis.render.html import Html, table

# the status codes of analysis.model.scorecard.STATUS, in words, marks and CSS classes
STATUS_ZH = {
    "met": "已达到",
    "on_track": "进展中",
    "behind": "落后",
    "undecidable": "无法判断",
    "no_data": "无数据",
}
STATUS_CLASS = {
    "met": "met",
    "on_track": "on-track",
    "behind": "behind",
    "undecidable": "no-data",
    "no_data": "no-data",
}
STATUS_MARK = {
    "met": "✔ 已达到",
    "on_track": "↗ 进展中",
    "behind": "✘ 落后",
    "undecidable": "？ 无法判断",
    "no_data": "？ 无数据",
}
SIGN = {"ge": "≥", "le": "≤"}


def target_text(comparator: str, value: float) -> str:
    """A target as written on the page: '≥ 50'."""
    return f"{SIGN[comparator]} {value:g}"


def with_year(value: float | None, year: int | None) -> str | None:
    """A figure with its year in brackets: '58.61（2011）' (None when there is no figure)."""
    return None if value is None or pd.isna(value) else f"{value:g}（{int(year)}）"


def status_text(state: str, years: list[int]) -> str:
    """The status as shown beside Taizhou's figure: mark, word and, when undecided, why."""
    if state == "undecidable":
        only = "、".join(str(y) for y in years)
        return f"{STATUS_MARK[state]}（只有 {only} 年数字）"
    return STATUS_MARK[state]


CHART_LINK = "infrastructure.html#infra-trends"


def scorecard_frame() -> pd.DataFrame:
    """Return the scorecard as shown: one row per target, Chinese columns, links kept aside."""
    sc = scores()
    src = data.indexed("sources", "id")
    areas = data.indexed("areas", "area_code").name_zh
    return pd.DataFrame(
        {
            "指标": sc.name_zh,
            "目标": [
                f"{areas[a]} {y} 年 {target_text(c, t)} {u}"
                for a, y, c, t, u in zip(
                    sc.target_area,
                    sc.target_year,
                    sc.comparator,
                    sc.target_value,
                    sc.unit,
                    strict=True,
                )
            ],
            "台州最新数字": [with_year(v, y) for v, y in zip(sc.value, sc.year, strict=True)],
            "状态": [
                status_text(st, list(trends.series(TAIZHOU, ind).index))
                for st, ind in zip(sc.status, sc.indicator, strict=True)
            ],
            "台州数字来源": sc.value_source.map(src.title),
            "差距": [None if pd.isna(d) else f"{d:g}" for d in sc.distance],
            "浙江（对照）": [
                with_year(v, y) for v, y in zip(sc.zhejiang, sc.zhejiang_year, strict=True)
            ],
            "全国（对照）": [with_year(v, y) for v, y in zip(sc.china, sc.china_year, strict=True)],
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
    targets = [target_text(c, t) for c, t in zip(sc.comparator, sc.target_value, strict=True)]
    frame = pd.DataFrame(
        {
            "目标": [
                f"{n} {y}年{t}" for n, y, t in zip(sc.name_zh, sc.target_year, targets, strict=True)
            ],
            "完成程度（%）": [
                round(v / t * 100, 1) for v, t in zip(sc.value, sc.target_value, strict=True)
            ],
            "台州数字": [f"{v:g}（{int(y)}）" for v, y in zip(sc.value, sc.year, strict=True)],
            "状态": sc.status.map(STATUS_MARK),
        }
    )
    # the label of each bar in two lines (indicator; target year and value): never cut short
    labelled = frame.assign(
        标签=[
            f"{n}|{y}年目标 {t}{'' if u == '部/百人' else u}"
            for n, y, t, u in zip(sc.name_zh, sc.target_year, targets, sc.unit, strict=True)
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
        sources=sorted(set(sc.target_source.map(data.indexed("sources", "id").title))),
        data=frame,
        note="没有台州数字的目标不画条形，见上表的“无数据”。",
    )


def key_points() -> dict[str, str]:
    """The scorecard's key-point sentences, computed from the same table the page shows."""
    sc = scores()
    counts = sc.status.value_counts()
    parts = [f"其中 {counts.get('met', 0)} 项按台州 {as_of()} 年及以前的数字已经达到"]
    for state, words in (
        ("on_track", "按趋势可以按期达到"),
        ("behind", "落后"),
        ("undecidable", "只有一个年份的台州数字，无法判断趋势"),
        ("no_data", "没有台州的数字"),
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


CATEGORY_COLUMNS = {
    "category_zh": "类别",
    "indicators": "指标数",
    "with_data": "台州有公开数字的指标",
    "targets": "目标数",
    "met": "已达到",
    "undecidable": "无法判断",
    "no_data": "无数据",
}


def categories_frame() -> pd.DataFrame:
    """The coverage per category as shown: Chinese headers."""
    return categories()[list(CATEGORY_COLUMNS)].rename(columns=CATEGORY_COLUMNS)


def categories_table() -> Html:
    """Render the coverage per category."""
    return table(
        categories_frame(),
        "各类别的指标、数据和目标",
        numeric=[v for k, v in CATEGORY_COLUMNS.items() if k != "category_zh"],
    )


def changes_frame(year: int | None = None) -> pd.DataFrame:
    """The targets whose status changed since the year before, as shown: words, not codes."""
    ch = changes(year)
    return pd.DataFrame(
        {
            "指标": ch.name_zh,
            "目标": [
                f"{y} 年 {target_text(c, t)}"
                for y, c, t in zip(ch.target_year, ch.comparator, ch.target_value, strict=True)
            ],
            "上一年": ch.before.map(STATUS_ZH),
            "今年": ch.now.map(STATUS_ZH),
        },
        columns=["指标", "目标", "上一年", "今年"],
    )


def changes_table() -> Html:
    """Render the targets whose status changed, compared with the year before."""
    return table(changes_frame(), f"状态有变化的目标（与 {as_of() - 1} 年的数字相比）")
