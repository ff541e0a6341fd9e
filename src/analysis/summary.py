"""The one-page summary (摘要): the site's main findings, each computed from ``data/``.

:func:`findings` returns one sentence per finding, in the order the summary page shows them,
with every count, comparison, rank and year taken from the same functions the chapters use.
Each sentence checks the comparison it states; if the data no longer support it, the build
stops with the finding's name instead of publishing a stale sentence.
"""

from __future__ import annotations

from analysis import counties, gaps, infrastructure, scenarios, scorecard, study, trends


class StaleFinding(AssertionError):
    """The data no longer support a sentence of the summary."""


def _check(ok: bool, what: str) -> None:
    if not ok:
        raise StaleFinding(f"摘要中的判断已与数据不符，请改写：{what}")


def findings() -> dict[str, str]:
    """Return {finding id: sentence in Chinese}, in page order."""
    out: dict[str, str] = {}
    tz = {f.indicator: f for f in infrastructure.study_figures()}
    zj = trends.figure("330000", 2011, "mobile_per_100")
    _check(tz["mobile_per_100"].value > zj.value, "台州 2011 年移动电话普及率高于全省")
    out["start"] = (
        f"起点高：2011 年末台州移动电话普及率为 {tz['mobile_per_100'].formatted()}，"
        f"高于同年全省的 {zj.formatted()}；"
        f"行政村光纤开通率 {tz['fibre_village_rate'].formatted()}，"
        f"宽带入户率 {tz['broadband_household_rate'].formatted()}。"
    )

    cn = trends.series("100000", "mobile_per_100")
    crossing = trends.crossing(cn, 100).describe()
    _check(tz["mobile_per_100"].value > cn.iloc[-1], "台州 2011 年高于全国最近公布的水平")
    out["china"] = (
        f"领先全国：台州 2011 年的移动电话普及率高于全国最近公布的 {cn.iloc[-1]:g} 部/百人"
        f"（{cn.index[-1]} 年）；全国在 {crossing}才达到每百人 100 部。"
    )

    t = scenarios.target_years("broadband_household_rate")
    early = t[t.target_year <= 2015]
    t2020 = t[t.target_year == 2020]
    _check(bool(early.met.eq(2011).all()), "台州 2011 年已达到 2015 年目标")
    out["targets"] = (
        f"宽带目标：台州 2011 年的宽带入户率已达到“宽带中国”全国 {int(early.target_year.max())} 年"
        f"目标（{early.target_value.max():g}%）；按三种情景推算，"
        f"在 {t2020.met.min()}—{t2020.met.max()} 年达到 2020 年 "
        f"{t2020.target_value.max():g}% 的目标。"
    )

    sc = scorecard.scores()
    counts = sc.status.value_counts()
    n_nodata, n_met = int(counts.get("无数据", 0)), int(counts.get("已达到", 0))
    _check(n_nodata > n_met, "多数目标没有台州的数字")
    out["scorecard"] = (
        f"评估缺数据：评估表跟踪的 {len(sc)} 项目标中，{n_met} 项已经达到，"
        f"{n_nodata} 项没有台州的公开数字，无法判断是否实现。"
    )

    after = infrastructure.published_after("331000", 2011, infrastructure.TREND_INDICATORS)
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
        f"{'、'.join(facts['fastest'])}；九个县（市、区）中只有 {facts['with_telecom']} 个"
        "有公开的电信数字。"
    )

    n = study.counts()
    out["study"] = (
        f"课题建议：2012 年课题提出 {n['milestones']} 项阶段目标、{n['recommendations']} 条"
        f"“三三”建议，并指出 {n['challenges']} 项困难；"
        "这些目标多为定性表述，需要配上可统计的指标才能考核。"
    )
    return out
