"""The scorecard page (评估表): the targets' status as marks and words, the table and the chart.

The statuses, distances and shares come from :mod:`analysis.model.scorecard`; this module owns
the words, marks, colours and captions readers see.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.core import data
from analysis.model import trends
from analysis.model.scorecard import TAIZHOU, as_of, scores
from analysis.render.charts import embed
from analysis.render.html import Html, table

STATUS_CLASS = {
    "已达到": "met",
    "进展中": "on-track",
    "落后": "behind",
    "无法判断": "no-data",
    "无数据": "no-data",
}


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
