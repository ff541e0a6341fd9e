"""The one-page summary (摘要): the site's main findings, each computed from ``data/``.

:func:`findings` returns one sentence per finding, in the order the summary page shows them,
with every count, comparison, rank and year taken from the same functions the chapters use.
Each sentence checks the comparison it states; if the data no longer support it, the build
stops with the finding's name instead of publishing a stale sentence.
"""

from __future__ import annotations

from analysis.chapters import counties as county_page
from analysis.chapters import infrastructure, scorecard, study
from analysis.chapters import scenarios as scenario_charts
from analysis.core.reference import CHINA, STUDY_YEAR, TAIZHOU, ZHEJIANG
from analysis.model import counties, gaps, trends


class StaleFinding(AssertionError):
    """The data no longer support a sentence of the summary."""


def _check(ok: bool, what: str) -> None:
    if not ok:
        raise StaleFinding(f"摘要中的判断已与数据不符，请改写：{what}")


def findings() -> dict[str, str]:
    """Return {finding id: sentence in Chinese}, in page order."""
    out: dict[str, str] = {}
    tz = {f.indicator: f for f in infrastructure.study_figures()}
    zj = trends.figure(ZHEJIANG, STUDY_YEAR, "mobile_per_100")
    mine, province = tz["mobile_per_100"].value, zj.value
    word = "高于" if mine > province else "低于" if mine < province else "等于"
    out["start"] = (
        f"起点：2011 年末台州移动电话普及率为 {tz['mobile_per_100'].formatted()}，"
        f"{word}同年全省的 {zj.formatted()}；"
        f"行政村光纤开通率 {tz['fibre_village_rate'].formatted()}，"
        f"宽带入户率 {tz['broadband_household_rate'].formatted()}。"
    )

    # the chapters' own computed sentences, so the summary says what the pages say
    points = scenario_charts.key_points()
    cn = trends.series(CHINA, "mobile_per_100")
    crossing = trends.crossing(cn, 100)
    hundred = (
        f"全国在 {crossing.describe()}才达到每百人 100 部"
        if crossing.reached
        else f"全国到 {int(cn.index[-1])} 年仍不到每百人 100 部"
    )
    out["china"] = f"与全国对照：{points['mobile_2011']}；{hundred}。"
    out["targets"] = f"宽带目标：{points['bb_2011']}；{points['bb70'].rstrip('。')}。"

    sc = scorecard.key_points()  # the scorecard chapter writes its sentences
    out["scorecard"] = f"评估表：跟踪 {sc['n_targets']} 项目标，{sc['status_counts']}"

    after = infrastructure.published_after(TAIZHOU, STUDY_YEAR, infrastructure.TREND_INDICATORS)
    n_gaps = len(gaps.gaps())
    found = f"只有 {after} 个" if after else "一个也没有"
    out["gaps"] = (
        f"数据空缺：2011 年以后本站能查到的台州市级电信数字{found}；"
        f"数据目录逐项列出了 {n_gaps} 个缺失的数字和可能载有它们的文献。"
    )

    facts = counties.summary()
    _check(facts["coast_min_density"] > facts["hills_max_density"], "沿海比山区稠密")
    out["counties"] = (
        f"县域差异：人口最密的是{'、'.join(facts['densest'])}；2010—2020 年常住人口增长最快的是"
        f"{'、'.join(facts['fastest'])}；{county_page.telecom_phrase(facts['with_telecom'])}。"
    )

    n = study.counts()
    out["study"] = (
        f"课题建议：2012 年课题提出 {n['milestones']} 项阶段目标、{n['recommendations']} 条"
        f"“三三”建议，并指出 {n['challenges']} 项困难；"
        "这些目标多为定性表述，需要配上可统计的指标才能考核。"
    )
    return out
