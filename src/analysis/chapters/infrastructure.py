"""The infrastructure chapter: Taizhou, Zhejiang and China over time, and where Taizhou stood.

Every chart and table here is drawn from the published observations (one figure per area,
indicator and year, see :func:`analysis.model.trends.preferred`). Values the site computes — rates
on another population base, growth rates, crossing years — are labelled as derived, with the
formula, wherever they are shown.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from analysis.core import data
from analysis.core.reference import CHINA, STUDY_SOURCE, STUDY_YEAR, TAIZHOU, ZHEJIANG
from analysis.model import consistency, rates, trends
from analysis.model import counties as model_counties
from analysis.model import ratios as model_ratios
from analysis.render.charts import area_colors_by_name, embed
from analysis.render.html import Html, cards, number, table
from analysis.render.numbers import decimals, shown, year_ranges

AREAS = [TAIZHOU, ZHEJIANG, CHINA]
AREA_COLORS = area_colors_by_name()  # render.charts: one colour per area code
# The indicators the trend chart offers, in the selector's order (only those with data show).
TREND_INDICATORS = [
    "mobile_per_100",
    "fixed_per_100",
    "broadband_household_rate",
    "fibre_village_rate",
    "village_broadband_rate",
    "mobile_users",
    "fixed_line_users",
    "broadband_users",
    "ftth_users",
    "gigabit_users",
    "mobile_3g_users",
    "mobile_4g_users",
    "mobile_5g_users",
    "internet_users",
]
DEFAULT_INDICATOR = "mobile_per_100"
BASE_YEAR = STUDY_YEAR
STUDY = STUDY_SOURCE  # the 2012 CPPCC study, the site's starting point
# The study's end-2011 figures, in the order the study gives them.
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
# Milestones the chapter dates: (indicator, level, label).
MILESTONES = [
    ("mobile_per_100", 100.0, "移动电话普及率达到每百人 100 部"),
    ("broadband_household_rate", 50.0, "固定宽带家庭普及率达到 50%"),
]


def study_figures() -> list[data.Figure]:
    """Return the study's end-2011 figures for Taizhou (each must be in the data)."""
    return [data.figure(TAIZHOU, BASE_YEAR, ind, source_id=STUDY) for ind in KEY_INDICATORS]


def study_figure_cards() -> Html:
    """Render the study's end-2011 figures as cards."""
    return cards([(f.label_zh, f.formatted(), f"{f.year}年末") for f in study_figures()])


def indicator_label(indicator: str) -> str:
    """Return the selector label of an indicator: Chinese name and unit."""
    ind = data.indexed("indicators", "id").loc[indicator]
    return f"{ind.name_zh}（{ind.unit}）"


def trend_frame(areas: list[str] = AREAS, indicators: list[str] = TREND_INDICATORS) -> pd.DataFrame:
    """Return the published figures the trend chart draws, one row per area, indicator, year.

    ``线段`` numbers each run of consecutive years within an area and indicator: the chart joins
    points only within a run, so a missing year shows as a break and a lone year as a point.
    """
    pref = trends.preferred()
    obs = pref[pref.area_code.isin(areas) & pref.indicator.isin(indicators)].copy()
    obs["order"] = obs.indicator.map({ind: i for i, ind in enumerate(indicators)})
    obs = obs.sort_values(["order", "area_code", "year"], kind="stable")
    obs["segment"] = obs.groupby(["area_code", "indicator"]).year.transform(trends.segments)
    return pd.DataFrame(
        {
            "地区": obs.area_zh,
            "年份": obs.year.astype(int),
            "指标": obs.indicator.map(indicator_label),
            "数值": obs.value,
            "单位": obs.unit,
            "来源": obs.source_title,
            "其他来源的数字": obs.alternatives.map(alternatives_text),
            "线段": obs.area_code + "-" + obs.segment.astype(str),
            "indicator": obs.indicator,
            "area_code": obs.area_code,
        }
    ).reset_index(drop=True)


def alternatives_text(alternatives: list[tuple[str, float]]) -> str:
    """Other documents' figures as the tooltip shows them: 'title：value；…' ('' if none)."""
    return "；".join(f"{title}：{number(value)}" for title, value in alternatives)


# Units of rates, comparable between areas on one linear axis; every other unit is a count
# (万户, 万人), drawn on a logarithmic axis so that a province sits beside the country.
RATE_UNITS = {"部/百人", "%"}


def missing_label_expr(frame: pd.DataFrame, areas: list[str], param: str) -> str:
    """A Vega expression for legend labels: an area without a figure for the indicator chosen
    in ``param`` is listed as “…（缺失）”, so that no legend entry lacks a mark unexplained."""
    labels = list(dict.fromkeys(frame["指标"]))
    tests = []
    for area in areas:
        have = set(frame.loc[frame["地区"] == area, "指标"])
        missing = [label for label in labels if label not in have]
        if missing:
            tests.append(
                f"(datum.label == {json.dumps(area, ensure_ascii=False)} && "
                f"indexof({json.dumps(missing, ensure_ascii=False)}, {param}) >= 0)"
            )
    if not tests:
        return "datum.label"
    return f"{' || '.join(tests)} ? datum.label + '（缺失）' : datum.label"


def name_the_indicator(spec: dict, log: bool) -> None:
    """Bind the y-axis title and the drawing's title to the chosen indicator (name and unit);
    on a log axis (``log``) the title says so.

    Vega-Lite titles are fixed strings; the compiled Vega spec takes a signal. The drawing's
    title also makes a saved image say what it shows.
    """
    for axis in spec.get("axes", []):
        if axis.get("orient") == "left" and "title" in axis:
            axis["title"] = {"signal": "indicator"}
    spec["title"] = {
        "text": {"signal": "indicator"},
        "anchor": "start",
        "frame": "bounds",
        "fontSize": 14,
        "limit": 0,
        "offset": 10,
        "orient": "top",
    }
    if log:
        spec["title"]["subtitle"] = "纵轴为对数刻度：每向上一格，数值乘以 10"
        spec["title"]["subtitleFontSize"] = 12
        spec["title"]["subtitlePadding"] = 8


def _trend_figure(
    frame: pd.DataFrame, default: str, *, name: str, title: str, log: bool, note: str
) -> Html:
    labels = list(dict.fromkeys(frame["指标"]))
    first = indicator_label(default) if indicator_label(default) in labels else labels[0]
    pick = alt.param(
        name="indicator", value=first, bind=alt.binding_select(options=labels, name="选择指标：")
    )
    areas = [a for a in AREA_COLORS if a in set(frame["地区"])]
    y_scale = alt.Scale(type="log") if log else alt.Scale(zero=True)
    base = (
        alt.Chart(frame.drop(columns=["indicator", "area_code"]))
        .transform_filter(alt.datum["指标"] == pick)
        .encode(
            x=alt.X(
                "年份:Q",
                title="年份（年末）",
                axis=alt.Axis(format="d", tickMinStep=1, labelOverlap="greedy", labelSeparation=6),
                scale=alt.Scale(zero=False),
            ),
            y=alt.Y(
                "数值:Q",
                title="数值",
                scale=y_scale,
                # a log axis is labelled at powers of ten only (1, 10, 100 …)
                axis=alt.Axis(
                    format=",~f", values=[10**k for k in range(8)] if log else alt.Undefined
                ),
            ),
            color=alt.Color(
                "地区:N",
                scale=alt.Scale(domain=areas, range=[AREA_COLORS[a] for a in areas]),
                legend=alt.Legend(
                    title=None,
                    orient="top",
                    labelExpr=missing_label_expr(frame, areas, "indicator"),
                    symbolType="circle",
                ),
            ),
        )
    )
    lines = base.mark_line(strokeWidth=2).encode(detail="线段:N")
    points = base.mark_point(size=70, filled=True, opacity=1, shape="circle").encode(
        tooltip=["地区", "年份", "指标", "数值", "单位", "来源", "其他来源的数字"],
    )
    chart = (lines + points).add_params(pick).properties(width="container", height=320)
    return embed(
        chart,
        name=name,
        title=title,
        description="折线图：台州市、浙江省和全国的通信与宽带指标随年份的变化；"
        f"默认显示{first}。只有公开来源给出的年份才有点，缺失年份不连线。",
        sources=sorted(set(frame["来源"])),
        data=frame.drop(columns=["线段", "indicator", "area_code"]),
        note="只画公开来源给出的年份：缺失的年份留空、不插值，孤立的年份只画一个点。"
        + trends.CHOICE_RULE_ZH
        + "，另一来源的数字见提示和下载数据。"
        + note,
        controls="用图下方的“选择指标”切换指标；将鼠标移到点上可查看数值、单位和来源。",
        patch=lambda spec: name_the_indicator(spec, log),
    )


def trend_chart(default: str = DEFAULT_INDICATOR) -> Html:
    """Chart every offered indicator over time, one at a time, chosen with a selector.

    Two figures: rates (per 100 people, %) on one linear axis, where the three areas compare
    directly; and counts (万户, 万人) on a logarithmic axis, where a city, a province and the
    country differ a hundredfold and a linear axis would put the smaller ones on zero.
    """
    frame = trend_frame()
    if indicator_label(default) not in set(frame["指标"]):
        raise LookupError(f"default indicator {default} has no published figure")
    is_rate = frame["单位"].isin(RATE_UNITS)
    rates_default = (
        default
        if frame.loc[frame.indicator == default, "单位"].isin(RATE_UNITS).all()
        else DEFAULT_INDICATOR
    )
    counts_default = default if not is_rate[frame.indicator == default].any() else "mobile_users"
    return Html(
        str(
            _trend_figure(
                frame[is_rate].reset_index(drop=True),
                rates_default,
                name="infrastructure-trends",
                title="普及率：台州、浙江与全国（年末，按所选指标）",
                log=False,
                note="各来源普及率所用人口口径不尽相同，比较时宜看大致水平。",
            )
        )
        + str(
            _trend_figure(
                frame[~is_rate].reset_index(drop=True),
                counts_default,
                name="infrastructure-counts",
                title="用户数：台州、浙江与全国（年末，按所选指标，对数刻度）",
                log=True,
                note="用户数相差上百倍，纵轴用对数刻度：每向上一格，数值乘以 10；"
                "因此台州、浙江与全国都看得见，但线的高低差不代表差额大小。",
            )
        )
    )


def key_figures(year: int = STUDY_YEAR) -> pd.DataFrame:
    """Return the study's indicators for ``year``: the study's figure beside Zhejiang and China.

    A cell is missing (shown as 缺失) where no source gives the figure.
    """
    pref = trends.preferred()
    obs = data.observations()
    tz = obs[(obs.area_code == TAIZHOU) & (obs.year == year) & (obs.source_id == STUDY)]
    tz = tz[tz.indicator.isin(KEY_INDICATORS)].sort_values(
        "indicator", key=lambda s: s.map(KEY_INDICATORS.index), kind="stable"
    )
    rows = []
    for rec in tz.itertuples(index=False):
        others = {
            area: pref[
                (pref.area_code == area) & (pref.indicator == rec.indicator) & (pref.year == year)
            ]
            for area in (ZHEJIANG, CHINA)
        }
        rows.append(
            {
                "指标": rec.indicator_zh,
                "单位": rec.unit,
                "台州市": rec.value,
                "浙江省": others[ZHEJIANG].value.iloc[0] if len(others[ZHEJIANG]) else None,
                "中国": others[CHINA].value.iloc[0] if len(others[CHINA]) else None,
                "台州数字来源": rec.source_title,
            }
        )
    return pd.DataFrame(rows)


def key_figures_table(year: int = STUDY_YEAR) -> Html:
    """Render :func:`key_figures` as a captioned table."""
    return table(
        key_figures(year),
        f"{year}年末的关键数字：台州与浙江、全国",
        numeric=["台州市", "浙江省", "中国"],
        note="“缺失”表示本站可查的公开材料中没有该数字；浙江、全国的来源见下文“历年变化”图的提示和下载数据。",
    )


PER_100_PEOPLE = "mobile_per_100"  # the rate whose bounds and decimals a derived rate takes


def rates_on_both_bases(year: int = STUDY_YEAR) -> pd.DataFrame:
    """Return Taizhou's per-100-people rates for ``year`` on each published population base.

    The table as shown; :func:`_rates_by_count` keeps the count's indicator id beside it.
    """
    return _rates_by_count(year).drop(columns="count_id", errors="ignore")


def _rates_by_count(year: int) -> pd.DataFrame:
    """The rows of :func:`rates_on_both_bases` with the id of the count (``count_id``).

    The published rate is listed first; the rates on the registered and resident population
    are derived here (users ÷ population × 100) on the base :func:`rates.population_base`
    chooses, and the table says which base (population, year) each rate is divided by.
    """
    pref = trends.preferred()

    def get(indicator: str | None, y: int) -> data.Figure | None:
        return trends.lookup(TAIZHOU, y, indicator, pref)

    rows = []
    for count_id, rate_id in (("mobile_users", "mobile_per_100"), ("fixed_line_users", None)):
        count = get(count_id, year)
        if count is None:
            continue
        published = get(rate_id, year) if rate_id else None
        if published is not None:
            rows.append(_rate_row(count, "公布的普及率", published.value, "课题原文"))
        for base_id, label in rates.PEOPLE_BASES.items():
            found = rates.population_base(TAIZHOU, year, base_id, pref)
            if found is None:
                rows.append(_rate_row(count, f"按{label}推算", None, f"缺少 {year} 年{label}"))
                continue
            base, summed = found.figure, found.summed
            value = rates.per_100_people(count, base)
            where = (
                f"九个县（市、区）{base.year}年普查{label}之和"
                if summed
                else f"{base.year}年{label}"
            )
            shown = base.formatted(2) if summed else base.formatted()
            how = f"{count.formatted()} ÷ {where} {shown} × 100"
            rows.append(_rate_row(count, f"按{label}推算", value, f"本站推算：{how}"))
    return pd.DataFrame(rows)


def _rate_row(count: data.Figure, kind: str, value: float | None, how: str) -> dict:
    return {
        "count_id": count.indicator,
        "用户": count.label_zh,
        "口径": kind,
        "每百人（部）": None if value is None else round(value, decimals(PER_100_PEOPLE)),
        "来源或算法": how,
    }


def base_rule() -> str:
    """The population-base rule of :mod:`analysis.model.rates`, in the reader's words."""
    return (
        "人口基数的取法：户籍人口只用同一年的年末数；常住人口用同一年的数字，没有时用相差不超过 "
        f"{rates.CENSUS_DISTANCE} 年的普查数（台州市没有市级普查数时用九个县（市、区）之和）；"
        "找不到就不推算。"
    )


def rates_table(year: int = STUDY_YEAR) -> Html:
    """Render :func:`rates_on_both_bases`."""
    return table(
        rates_on_both_bases(year),
        f"{year}年台州的普及率：公布数与按两种人口口径的推算",
        numeric=["每百人（部）"],
        note=f"推算值保留{'零一两三四五六'[decimals(PER_100_PEOPLE)]}位小数，只用于说明口径的影响，不是统计部门公布的数字。"
        + base_rule(),
    )


def positions(year: int = STUDY_YEAR, indicator: str = "mobile_per_100") -> pd.DataFrame:
    """Place Taizhou's ``year`` rate(s) on the Zhejiang and China trajectories.

    Both the published rate and the rate on the resident population (derived) are placed,
    so a reader sees how much the population base moves the answer.
    """
    variants = _rates_by_count(year)
    variants = variants[variants["每百人（部）"].notna() & variants.count_id.eq("mobile_users")]
    rows = []
    for area in (ZHEJIANG, CHINA):
        reference = trends.series(area, indicator)
        if reference.empty:
            continue
        name = data.indexed("areas", "area_code").loc[area, "name_zh"]
        published = year_ranges(sorted(int(y) for y in reference.index))
        for _, v in variants.iterrows():
            pos = trends.position(float(v["每百人（部）"]), year, reference)
            rows.append(
                {
                    "台州数字": f"{v['口径']} {shown(v['每百人（部）'], PER_100_PEOPLE)}",
                    "参照": f"{name}（公开年份 {published}）",
                    "位置": pos.describe(),
                    "领先年数": pos.lead(),
                }
            )
    return pd.DataFrame(rows)


def positions_table(year: int = STUDY_YEAR) -> Html:
    """Render :func:`positions`."""
    return table(
        positions(year),
        f"{year}年台州移动电话普及率在浙江、全国发展轨迹上的位置",
        note="领先年数 = 参照地区达到台州该水平的年份 − 2011；"
        "达到年份在两个公开年份之间时按线性内插估计（本站推算）。参照系列之间缺年份时，估计只说明大致位置。",
    )


def milestones() -> pd.DataFrame:
    """Return, per area and milestone, when the published series first reached it."""
    rows = []
    names = data.indexed("areas", "area_code")["name_zh"]
    for indicator, level, label in MILESTONES:
        for area in AREAS:
            values = trends.series(area, indicator)
            if values.empty:
                rows.append({"里程碑": label, "地区": names[area], "达到时间": None})
                continue
            rows.append(
                {
                    "里程碑": label,
                    "地区": names[area],
                    "达到时间": trends.crossing(values, level).describe(),
                }
            )
    return pd.DataFrame(rows)


def milestones_table() -> Html:
    """Render :func:`milestones`."""
    return table(
        milestones(),
        "里程碑：各地区首次达到的年份（按公开年末数字）",
        note="“缺失”表示该地区没有这一指标的公开数字；“不晚于”表示最早的公开数字已达到。",
    )


def growth(areas: list[str] = AREAS, indicators: list[str] = TREND_INDICATORS) -> pd.DataFrame:
    """Return the compound annual growth rate of each series between its first and last year."""
    pref = trends.preferred()
    rows = []
    for (_area, indicator), grp in pref[
        pref.area_code.isin(areas) & pref.indicator.isin(indicators)
    ].groupby(["area_code", "indicator"], sort=False):
        grp = grp.sort_values("year")
        if len(grp) < 2:
            continue
        first, last = grp.iloc[0], grp.iloc[-1]
        if first.value > 0 and last.value > 0:
            rate = trends.cagr(first.value, int(first.year), last.value, int(last.year))
            text = f"{rate:+.1%}"
        else:
            text = "无法计算（首尾有 0）"
        rows.append(
            {
                "地区": first.area_zh,
                "指标": indicator_label(indicator),
                "起止年份": f"{first.year}—{last.year}",
                "公开年份数": len(grp),
                "起": first.value,
                "止": last.value,
                "年均增长率": text,
            }
        )
    return pd.DataFrame(rows)


def growth_phrase(rate: str) -> str:
    """Turn a signed table rate into words: '+9.1%' → '年均增长 9.1%', '-3.2%' → '年均减少 3.2%'.

    Tables show the sign; sentences say the direction in words (docs/style-guide.md).
    """
    value = rate.strip().replace("−", "-")
    if value.startswith("-"):
        return f"年均减少 {value[1:]}"
    return f"年均增长 {value.lstrip('+')}"


# The words for the ratios of model.ratios, keyed by (numerator, denominator)
RATIO_LABELS = {
    ("ftth_users", "broadband_users"): "光纤到户用户占固定宽带用户的比重",
    ("mobile_users", "fixed_line_users"): "移动电话用户与固定电话用户之比",
}
# (numerator, denominator, label, as a percentage?)
RATIOS = [(n, d, RATIO_LABELS[(n, d)], share) for n, d, share in model_ratios.RATIOS]


def ratios() -> pd.DataFrame:
    """The copper-to-fibre and fixed-to-mobile ratios as shown, the latest year first: a share
    or a multiple, and how it was computed."""
    values = model_ratios.ratio_values().sort_values("year", ascending=False, kind="stable")
    names = data.indexed("areas", "area_code").name_zh
    return pd.DataFrame(
        {
            "比值": [
                RATIO_LABELS[(n, d)]
                for n, d in zip(values.numerator, values.denominator, strict=True)
            ],
            "地区": values.area_code.map(names),
            "年份": values.year.astype(int),
            "数值": [
                f"{v:.1%}" if share else f"{v:.2f} 倍"
                for v, share in zip(values.value, values.share, strict=True)
            ],
            "算法（本站推算）": [
                f"{number(a)} ÷ {number(b)}（{u}）"
                for a, b, u in zip(
                    values.numerator_value, values.denominator_value, values.unit, strict=True
                )
            ],
        }
    )


def latest_ratios(numerator: str) -> pd.DataFrame:
    """The most recent derived ratio of ``numerator`` in each area, oldest area code first."""
    values = model_ratios.ratio_values()
    values = values[values.numerator == numerator].sort_values(["area_code", "year"])
    return values.groupby("area_code", sort=True).tail(1)


def phone_sentence() -> str:
    """Say, from each area's latest counts, whether mobile phones outnumber fixed lines."""
    latest = latest_ratios("mobile_users")
    names = data.indexed("areas", "area_code").name_zh
    if latest.empty:
        return "本站可查的材料中还没有同一地区、同一年份的移动电话和固定电话用户数，无法比较二者"
    behind = [names[a] for a, v in zip(latest.area_code, latest.value, strict=True) if v <= 1]
    if behind:
        return f"按最近一年的用户数，{'、'.join(behind)}的移动电话用户还不多于固定电话用户"
    return "按各地最近一年的用户数，移动电话用户都已多于固定电话用户，手机取代了固定电话"


def fibre_sentence() -> str:
    """Say each area's latest fibre-to-the-home share of fixed broadband, and whether fibre
    is over half everywhere (the lead words follow the numbers)."""
    latest = latest_ratios("ftth_users")
    names = data.indexed("areas", "area_code").name_zh
    if latest.empty:
        return (
            "本站可查的材料中还没有同一地区、同一年份的光纤到户和固定宽带用户数，无法推算光纤的比重"
        )
    shares = "；".join(
        f"{names[a]} {int(y)} 年 {v:.1%}"
        for a, y, v in zip(latest.area_code, latest.year, latest.value, strict=True)
    )
    below = [names[a] for a, v in zip(latest.area_code, latest.value, strict=True) if v <= 0.5]
    lead = (
        f"{'、'.join(below)}的光纤到户用户还不到固定宽带用户的一半"
        if below
        else "宽带接入已从铜缆转向光纤"
    )
    return f"{lead}：按公开用户数推算，各地最近一年光纤到户用户占固定宽带用户的比重为 {shares}"


def ratios_table() -> Html:
    """Render :func:`ratios`."""
    return table(
        ratios(),
        "从铜缆到光纤、从固定电话到手机：本站按公开用户数推算的比值",
        note="只在同一地区、同一年份两个数字都有公开来源时计算；其余年份没有推算。",
    )


COUNTY_COUNTS = ["mobile_users", "fixed_line_users", "broadband_users"]
COUNTY_RATES = ["mobile_per_100", "fixed_per_100", "phone_per_100", "broadband_household_rate"]


@data.per_version
def county_figures() -> pd.DataFrame:
    """Return every county-level telecom figure, with per-100-people rates where a base exists.

    A rate is derived only on the base :func:`rates.rate_base` chooses (registered population
    of the same year, else a census within one year), and the column says which; otherwise it
    is missing. 玉环 is listed under the code of the
    year (玉环县 331021 until 2016, 玉环市 331083 from 2017).
    """
    pref = trends.preferred()
    counties = data.table("areas")
    counties = counties[counties.level == "county"]
    tele = pref[
        pref.area_code.isin(counties.area_code) & pref.indicator.isin(COUNTY_COUNTS + COUNTY_RATES)
    ]
    rows = []
    for (area, year), grp in tele.groupby(["area_code", "year"]):
        found = rates.rate_base(area, int(year), pref)
        base = None if found is None else found.figure
        for rec in grp.itertuples(index=False):
            count = trends.as_figure(rec)
            if rec.indicator in COUNTY_RATES:
                rate, per_100 = None, "不适用：本身是公布的比率"
            elif base is None:
                rate, per_100 = None, "未推算：没有同期人口数字"
            else:
                try:
                    rate = rates.per_100_people(count, base)
                except rates.RateInputError:  # a valid count on a base it cannot come from
                    rate, per_100 = None, "未推算：按同期人口推算超出合理范围，请核对单位和人口"
                else:
                    per_100 = (
                        f"{shown(rate, PER_100_PEOPLE)}（按{base.year}年"
                        f"{rates.PEOPLE_BASES[base.indicator]} {base.formatted()}）"
                    )
            rows.append(
                {
                    "县（市、区）": rec.area_zh,
                    "年份": int(year),
                    "指标": rec.indicator_zh,
                    "数值": rec.value,
                    "单位": rec.unit,
                    "每百人（本站推算）": per_100,
                    "来源": rec.source_title,
                    "rate": rate,
                }
            )
    return pd.DataFrame(rows)


def county_sentences() -> dict[str, str]:
    """The page's two sentences on county figures, also when there is none."""
    if county_figures().empty:
        return {
            "county_tele_intro": "本站可查的公开材料中没有找到任何县（市、区）的电信数字，"
            "缺少的数字列在本页的数据缺口表中。",
            "county_source": "本站没有收录县级电信数字",
        }
    found = county_telecom_sentence()
    # 玉环县 and 玉环市 are one county
    codes = data.table("areas").set_index("name_zh").area_code
    today = model_counties.current_codes()
    n = len({today[codes[name]] for name in county_figures()["县（市、区）"]})
    return {
        "county_tele_intro": f"九个县（市、区）中有 {n} 个在本站可查的材料中有电信数字（{found}）。"
        "按人口折算的每百人数字，要有同期人口才推算。",
        "county_source": f"县级数字（{found}）的出处见县级数字表的“来源”一列",
    }


def county_table() -> Html:
    """Render :func:`county_figures` (nothing when there is none: the text says so)."""
    if county_figures().empty:
        return Html("")
    return table(
        county_figures()
        .drop(columns="rate")
        .sort_values("年份", ascending=False, kind="stable"),  # the latest first
        "县（市、区）的电信数字：公开来源中能找到的全部",
        numeric=["数值"],
        note=f"本站可查的材料中有电信数字的县（市、区）：{county_telecom_sentence()}；其余缺失。"
        "每百人数字按“用户数 ÷ 人口 × 100”推算，先用户籍人口，没有时用常住人口。" + base_rule(),
    )


def taizhou_area_codes() -> list[str]:
    """Return Taizhou's code and those of its county-level divisions (past and present)."""
    areas = data.table("areas")
    return [TAIZHOU, *areas.loc[areas.parent_code == TAIZHOU, "area_code"]]


def published_after(area_code: str, year: int, indicators: list[str]) -> int:
    """Count the published figures of an area after ``year`` for some indicators."""
    pref = trends.preferred()
    return int(
        ((pref.area_code == area_code) & (pref.year > year) & pref.indicator.isin(indicators)).sum()
    )


def latest_published(area_code: str, indicators: list[str]) -> int | None:
    """Return the latest year of any published figure of an area for some indicators."""
    pref = trends.preferred()
    hit = pref[(pref.area_code == area_code) & pref.indicator.isin(indicators)]
    return None if hit.empty else int(hit.year.max())


def after_study_sentence(area_code: str = TAIZHOU, year: int = BASE_YEAR) -> str:
    """Say in Chinese how many of Taizhou's yearly telecom figures after ``year`` are here."""
    found = published_after(area_code, year, TREND_INDICATORS)
    if found == 0:
        return f"{year} 年之后台州本地逐年的电信统计，本站可查的公开材料中没有"
    latest = latest_published(area_code, TREND_INDICATORS)
    return (
        f"{year} 年之后台州本地的电信统计，本站已收录 {found} 个数字"
        f"（最新到 {latest} 年），其余仍是空缺"
    )


def single_year_sentence(area_code: str = TAIZHOU) -> str:
    """Say how Taizhou's line is drawn on the trend chart, from the years it has."""
    pref = trends.preferred()
    mine = pref[(pref.area_code == area_code) & pref.indicator.isin(TREND_INDICATORS)]
    years = sorted({int(y) for y in mine.year})
    if not years:
        return "台州没有公开数字，图中不画台州"
    if len(years) == 1:
        return f"台州只有 {years[0]} 年一个年份的公开数字，所以画成单独的点"
    return (
        f"台州有 {len(years)} 个年份的公开数字（{years[0]}—{years[-1]} 年之间），"
        "相邻年份连线，单独的年份画成点"
    )


def missing_fibre_sentence(area_code: str = TAIZHOU) -> str:
    """Say which of fibre-to-the-home and gigabit figures Taizhou has published (computed)."""
    names = {"ftth_users": "光纤到户", "gigabit_users": "千兆宽带"}
    have = [n for ind, n in names.items() if not trends.series(area_code, ind).empty]
    lack = [n for ind, n in names.items() if trends.series(area_code, ind).empty]
    if not lack:
        return f"台州的{'、'.join(have)}用户数已有公开数字，可以逐年跟踪"
    text = f"台州的{'、'.join(lack)}用户数在本站可查的材料中没有公开数字"
    return text + (f"（{'、'.join(have)}已有）" if have else "")


def county_telecom_sentence() -> str:
    """List the counties with telecom figures and their years, e.g. '玉环县 2011、2012 年'."""
    frame = county_figures()
    if frame.empty:
        return "没有一个县（市、区）"
    parts = [
        f"{name} {year_ranges(sorted(set(grp['年份'])))} 年"
        for name, grp in frame.groupby("县（市、区）", sort=False)
    ]
    return "，".join(parts)


def county_telecom_text(with_telecom: int) -> str:
    """Which counties have telecom figures, for the county page's lead (computed)."""
    if not with_telecom:
        return "目前本站可查的公开材料中一个县的数字也没有"
    return f"目前可查的只有{county_telecom_sentence()}"


def base_label(indicator: str, year: int, summed: bool) -> str:
    """How the consistency table names a population base: '2011年末户籍人口'."""
    label = rates.PEOPLE_BASES[indicator]
    if summed:
        return f"{year}年普查{label}（九个县（市、区）之和）"
    return f"{year}年末{label}" if indicator == "registered_population" else f"{year}年普查{label}"


def consistency_frame(year: int = STUDY_YEAR) -> pd.DataFrame:
    """The consistency checks as shown: the figures, implied base, base compared, difference."""
    checks = consistency.checks(year)
    rows = []
    for c in checks.itertuples(index=False):
        count = data.figure(TAIZHOU, year, c.count_id, source_id=consistency.STUDY)
        rate = data.figure(TAIZHOU, year, c.rate_id, source_id=consistency.STUDY)
        if pd.isna(c.base_indicator):
            compared = "无公开的户数可对照"
        else:
            base = rates.population_base(TAIZHOU, year, c.base_indicator).figure
            label = base_label(c.base_indicator, int(c.base_year), bool(c.base_summed))
            compared = f"{label} {base.formatted()}"
        diff = c.difference
        rows.append(
            {
                "数字": f"{count.label_zh} {count.formatted()} ÷ "
                f"{rate.label_zh} {rate.formatted()}",
                "隐含基数": f"{c.implied:,.2f} 万{'人' if c.kind == 'people' else '户'}",
                "对照": compared,
                "差异": None
                if diff is None or pd.isna(diff)
                else f"{diff:+.2%}".replace("-0.00%", "0.00%"),
                "吻合": c.match,
            }
        )
    return pd.DataFrame(rows, columns=["数字", "隐含基数", "对照", "差异", "吻合"])


def consistency_table(year: int = STUDY_YEAR) -> Html:
    """Render the consistency checks, with a plain-language verdict per row."""
    frame = consistency_frame(year)
    verdict = {True: "吻合：该比率以此为基数", False: "不吻合", None: "无法检验"}
    frame["结论"] = frame.pop("吻合").map(verdict)
    return table(
        frame,
        f"{year}年末课题数字的自洽检验：由用户数和普及率反推的人口（户数）",
        note="隐含基数 = 用户数 ÷ 普及率 × 100；差异 = (隐含基数 − 对照) ÷ 对照。"
        "差异在 ±0.1% 以内视为吻合。",
    )


def resident_base() -> tuple[data.Figure, str]:
    """Taizhou's resident population of the study's year by the rule, and how to name it."""
    found = rates.population_base(TAIZHOU, STUDY_YEAR, "resident_population")
    if not found.summed:
        return found.figure, found.figure.formatted(2)
    return found.figure, f"九个县（市、区）普查数之和 {found.figure.formatted(2)}"


def against_zhejiang(figure: data.Figure) -> str:
    """Compare a Taizhou figure with Zhejiang's of the same year (the one the charts show)."""
    zj = trends.figure(ZHEJIANG, figure.year, figure.indicator)
    word = "高于" if figure.value > zj.value else "低于" if figure.value < zj.value else "等于"
    return f"{word}同年全省水平（{zj.formatted()}）"


def mobile_against_china(resident_rate: float, year: int = STUDY_YEAR) -> dict[str, str]:
    """Words comparing Taizhou's per-100 mobile rate of ``year`` with China's series.

    ``vs_cn``: the verb against China's latest published rate (也高于 / 低于 / 等于);
    ``lead_cn``: when China first reached Taizhou's rate, or that it has not yet.
    """
    cn = trends.series(CHINA, "mobile_per_100")
    latest_year, latest = int(cn.index[-1]), float(cn.iloc[-1])
    vs = "也高于" if resident_rate > latest else "低于" if resident_rate < latest else "等于"
    reached = [int(y) for y, v in cn.items() if y > year and v >= resident_rate]
    if reached:
        first = reached[0]
        lead = f"{year} 年台州每百人拥有的手机数，全国晚了 {first - year} 年、到 {first} 年才达到"
    else:
        lead = (
            f"{year} 年台州每百人拥有的手机数，比全国 {latest_year - year} 年后"
            f"（{latest_year} 年，最近公布）的水平还高"
        )
    return {"vs_cn": vs, "lead_cn": lead}
