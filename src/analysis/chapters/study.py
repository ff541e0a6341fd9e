"""The 2012 CPPCC study as structured tables: roadmap, “三三” recommendations, challenges."""

from __future__ import annotations

import pandas as pd

from analysis.core import data
from analysis.render.html import Html, table

PILLAR_ORDER = ["mechanism", "measure", "support"]


def citations(frame: pd.DataFrame) -> list[str]:
    """Return the citations of every source a table's rows name, in order of appearance."""
    return [data.source_citation(s) for s in dict.fromkeys(frame["source_id"])]


def roadmap() -> pd.DataFrame:
    """Return the study's milestones by horizon year, in the file's order within a year."""
    return data.table("study_roadmap").sort_values("horizon_year", kind="stable")


def roadmap_table() -> Html:
    """Render the roadmap (2015 and 2020 milestones) as a table."""
    frame = roadmap()
    shown = frame.rename(
        columns={"horizon_zh": "时间节点", "domain_zh": "领域", "goal_zh": "目标（转述）"}
    )[["时间节点", "领域", "目标（转述）"]]
    return table(shown, "课题提出的建设路线图", note="来源：" + "；".join(citations(frame)))


def recommendations() -> pd.DataFrame:
    """Return the nine recommendations ordered mechanism → measure → support."""
    frame = data.table("study_recommendations")
    frame["order"] = frame["pillar"].map(PILLAR_ORDER.index)
    return frame.sort_values(["order", "id"], kind="stable").drop(columns="order")


def recommendations_table() -> Html:
    """Render the “三三” recommendations as a table grouped by pillar."""
    frame = recommendations()
    shown = frame.rename(
        columns={"pillar_zh": "类别", "title_zh": "建议", "summary_zh": "要点（转述）"}
    )[["类别", "建议", "要点（转述）"]]
    return table(
        shown,
        "“三三”建议：三大机制、三大举措、三大支撑",
        note="来源：" + "；".join(citations(frame)),
    )


def challenges_table() -> Html:
    """Render the five challenges the study identified."""
    frame = data.table("study_challenges")
    shown = frame.rename(columns={"title_zh": "挑战", "summary_zh": "含义（转述）"})[
        ["挑战", "含义（转述）"]
    ]
    shown.insert(0, "序号", range(1, len(shown) + 1))
    return table(shown, "课题指出的五项困难与挑战", note="来源：" + "；".join(citations(frame)))


def context_table() -> Html:
    """Render the study's statements about Taizhou's stage of development (e.g. GDP band)."""
    frame = data.table("study_context")
    names = data.indexed("indicators", "id")["name_zh"]
    shown = pd.DataFrame(
        {
            "时期": [
                f"{a}—{b}年" for a, b in zip(frame.period_start, frame.period_end, strict=True)
            ],
            "指标": frame["indicator"].map(names),
            "区间": [
                f"{lo:,.0f}—{hi:,.0f} {unit}"
                for lo, hi, unit in zip(frame.low, frame.high, frame.unit, strict=True)
            ],
            "课题的判断（转述）": frame["statement_zh"],
        }
    )
    return table(shown, "课题对台州发展阶段的判断", note="来源：" + "；".join(citations(frame)))


def counts() -> dict[str, int]:
    """Return how many milestones, recommendations and challenges the data holds."""
    return {
        "milestones": len(data.table("study_roadmap")),
        "recommendations": len(data.table("study_recommendations")),
        "challenges": len(data.table("study_challenges")),
    }
