"""Taizhou at the end of 2011: the study's key figures and how they compare.

The figures are the ones the 2012 CPPCC study reported; the comparison series for Zhejiang and
China come from provincial and national bulletins. Gaps stay gaps: a year without a published
figure has no point, and the chart says which series is incomplete.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis import data
from analysis.charts import embed
from analysis.html import Html, cards

TAIZHOU = "331000"
BASE_YEAR = 2011
KEY_INDICATORS = [
    "fibre_village_rate",
    "bandwidth_gbps",
    "broadband_users",
    "broadband_household_rate",
    "mobile_users",
    "fixed_line_users",
    "mobile_per_100",
    "fixed_per_100",
]
PENETRATION = ["mobile_per_100", "fixed_per_100"]
AREA_ORDER = ["台州市", "浙江省", "中国"]
AREA_COLORS = ["#0b5d7a", "#d9822b", "#6b6b6b"]


def key_figures() -> list[data.Figure]:
    """Return the study's end-2011 figures for Taizhou, in the order the study gives them."""
    return [data.figure(TAIZHOU, BASE_YEAR, ind) for ind in KEY_INDICATORS]


def figure_for(area_code: str, indicator: str, year: int = BASE_YEAR) -> data.Figure:
    """Return one comparison figure (e.g. Zhejiang's 2011 mobile penetration)."""
    return data.figure(area_code, year, indicator)


def key_figure_cards() -> Html:
    """Render the end-2011 figures as cards, each naming its source."""
    figures = key_figures()
    return cards([(f.label_zh, f.formatted(), f"{f.year}年末") for f in figures])


def penetration_series() -> pd.DataFrame:
    """Return mobile and fixed penetration for Taizhou, Zhejiang and China, one row per figure."""
    obs = data.observations()
    rows = obs[obs.indicator.isin(PENETRATION) & obs.area_code.isin([TAIZHOU, "330000", "100000"])]
    return (
        rows[["area_zh", "year", "indicator_zh", "value", "unit", "source_title"]]
        .rename(
            columns={
                "area_zh": "地区",
                "year": "年份",
                "indicator_zh": "指标",
                "value": "数值",
                "unit": "单位",
                "source_title": "来源",
            }
        )
        .sort_values(["指标", "地区", "年份"], kind="stable")
        .reset_index(drop=True)
    )


def missing_comparisons(frame: pd.DataFrame, year: int = BASE_YEAR) -> list[str]:
    """Return the area–indicator pairs that have no figure for ``year`` (shown as gaps)."""
    missing = []
    for indicator in frame["指标"].unique():
        for area in AREA_ORDER:
            hit = frame[
                (frame["指标"] == indicator) & (frame["地区"] == area) & (frame["年份"] == year)
            ]
            if hit.empty:
                missing.append(f"{area}{year}年{indicator}")
    return missing


def penetration_chart() -> Html:
    """Chart mobile and fixed penetration 2009–2012 for Taizhou, Zhejiang and China."""
    frame = penetration_series()
    base = alt.Chart(frame).encode(
        x=alt.X("年份:O", title="年份（年末）", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("数值:Q", title="部/百人"),
        color=alt.Color(
            "地区:N",
            sort=AREA_ORDER,
            scale=alt.Scale(domain=AREA_ORDER, range=AREA_COLORS),
            legend=alt.Legend(title="地区", orient="top"),
        ),
        tooltip=["地区", "年份", "指标", "数值", "单位", "来源"],
    )
    chart = (
        (base.mark_line(strokeWidth=2) + base.mark_point(size=70, filled=True))
        .properties(width=260, height=220)
        .facet(column=alt.Column("指标:N", title=None, header=alt.Header(labelFontSize=13)))
        .resolve_scale(y="independent")
    )
    gaps = missing_comparisons(frame)
    note = "无公开数据的年份不画点、不插值。"
    if gaps:
        note += "缺少：" + "、".join(gaps) + "。"
    return embed(
        chart,
        name="penetration-2009-2012",
        title="移动电话与固定电话普及率：台州（2011）与浙江、全国对比",
        description="折线图：2009至2012年浙江省和全国的移动电话、固定电话普及率，"
        "以及2011年台州市的两项普及率。",
        sources=sorted(set(frame["来源"])),
        data=frame,
        note=note,
    )
