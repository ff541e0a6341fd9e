"""The scenarios chapter: explorable curves, assumptions, backtest and roadmap timeline.

The explorable chart carries the three scenario curves computed in Python and one curve
the reader shapes with two sliders (saturation and growth rate). That curve is computed in
the browser by Vega with the same anchored logistic formula as
:func:`analysis.diffusion.anchor`, so with the baseline's values it is the baseline curve.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from analysis import data, scenarios, trends
from analysis.charts import embed
from analysis.html import Html, number, table

INDICATORS = ["mobile_per_100", "broadband_household_rate"]
SCENARIO_COLORS = {"谨慎": "#9ecae1", "基准": "#2171b5", "加速": "#08306b"}
AREA_ZH = {"331000": "台州市", "330000": "浙江省", "100000": "中国"}
SLIDER_RANGES = {"mobile_per_100": (136, 200), "broadband_household_rate": (60, 100)}


def formula(anchor_year: int, anchor_value: float) -> str:
    """The anchored logistic as a Vega expression of ``datum.year``, ``K`` and ``r``."""
    t0 = f"({anchor_year} + log(K / {anchor_value!r} - 1) / r)"
    return f"K / (1 + exp(-r * (datum.year - {t0})))"


def chart_frame(indicator: str) -> pd.DataFrame:
    """Return the scenario curves and the published figures the chart draws, long format."""
    curves = scenarios.curves(indicator).assign(kind="情景")
    curves["series"] = curves.scenario.map(scenarios.SCENARIO_ZH)
    pref = trends.preferred()
    actual = pref[(pref.indicator == indicator) & pref.area_code.isin(AREA_ZH)]
    published = pd.DataFrame(
        {
            "scenario": "",
            "year": actual.year.astype(int),
            "value": actual.value,
            "kind": "公开数字",
            "series": actual.area_code.map(AREA_ZH),
        }
    )
    return pd.concat([curves, published], ignore_index=True)


def download_frame(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The explorer's table as offered for download: Chinese headers, no internal ids."""
    return pd.DataFrame(
        {
            "类别": frame.kind,
            "情景或地区": frame.series,
            "年份": frame.year,
            f"数值（{unit}）": frame.value,
        }
    )


def explorer(indicator: str) -> Html:
    """Chart one indicator's scenarios with sliders for a reader-shaped curve."""
    base = scenarios.project("baseline", indicator)
    K0, r0 = base.curve.params["K"], base.curve.params["r"]
    low, high = SLIDER_RANGES[indicator]
    K = alt.param(
        name="K", value=K0, bind=alt.binding_range(min=low, max=high, step=1, name="饱和水平 K：")
    )
    r = alt.param(
        name="r",
        value=r0,
        bind=alt.binding_range(min=0.05, max=0.8, step=0.005, name="增长速度 r："),
    )
    pick = alt.param(
        name="scenario_pick",
        value="全部",
        bind=alt.binding_select(options=["全部", "谨慎", "基准", "加速"], name="情景："),
    )
    frame = chart_frame(indicator)
    label = data.table("indicators").set_index("id").loc[indicator]
    x = alt.X(
        "year:Q",
        title="年份（年末）",
        # a year every five: every label fits on a phone, none is dropped out of step
        axis=alt.Axis(format="d", values=list(range(2000, 2031, 5)), labelOverlap="greedy"),
    )
    y = alt.Y("value:Q", title=f"{label.name_zh}（{label.unit}）", scale=alt.Scale(zero=False))
    lines = (
        alt.Chart(frame)
        .transform_filter("datum.kind == '情景'")
        .transform_filter("scenario_pick == '全部' || datum.series == scenario_pick")
        .mark_line(strokeWidth=2)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "series:N",
                title="情景",
                scale=alt.Scale(domain=list(SCENARIO_COLORS), range=list(SCENARIO_COLORS.values())),
                # a scenario hidden by the selector stays in the legend, marked as hidden
                legend=alt.Legend(
                    orient="bottom",
                    direction="vertical",
                    labelExpr="scenario_pick == '全部' || datum.label == scenario_pick"
                    " ? datum.label : datum.label + '（未显示）'",
                ),
            ),
            tooltip=[
                alt.Tooltip("series:N", title="情景"),
                alt.Tooltip("year:Q", title="年份"),
                alt.Tooltip("value:Q", title=f"数值（{label.unit}）", format=".1f"),
            ],
        )
    )
    years = pd.DataFrame({"year": np.arange(scenarios.VANTAGE, scenarios.HORIZON + 1)})
    custom = (
        alt.Chart(years)
        .transform_calculate(custom=formula(base.anchor_year, base.anchor_value))
        .mark_line(strokeDash=[5, 3], color="#d9822b", strokeWidth=2.5)
        .encode(
            x=x,
            y=alt.Y("custom:Q"),
            tooltip=[
                alt.Tooltip("year:Q", title="年份"),
                alt.Tooltip("custom:Q", title="自定义曲线", format=".1f"),
            ],
        )
    )
    points = (
        alt.Chart(frame)
        .transform_filter("datum.kind == '公开数字'")
        .mark_point(filled=True, size=60)
        .encode(
            x=x,
            y=y,
            shape=alt.Shape(
                "series:N",
                title="公开数字",
                legend=alt.Legend(orient="bottom", direction="vertical"),
            ),
            color=alt.value("#333"),
            tooltip=[
                alt.Tooltip("series:N", title="地区"),
                alt.Tooltip("year:Q", title="年份"),
                alt.Tooltip("value:Q", title=f"数值（{label.unit}）"),
            ],
        )
    )
    layers = [lines, custom, points]
    spread = scenarios.band("baseline", indicator)
    if spread is not None:
        layers.insert(
            0,
            alt.Chart(spread)
            .mark_area(opacity=0.25, color="#2171b5")
            .encode(x=x, y=alt.Y("low:Q"), y2="high:Q"),
        )
    targets = data.table("targets")
    targets = targets[targets.indicator == indicator]
    if len(targets):
        marks = pd.DataFrame(
            {
                "value": targets.target_value,
                "text": [
                    f"“宽带中国”{y}年目标 {number(v)}"
                    for y, v in zip(targets.target_year, targets.target_value, strict=True)
                ],
            }
        )
        rule = alt.Chart(marks).mark_rule(color="#b22", strokeDash=[2, 2]).encode(y="value:Q")
        target_label = (
            alt.Chart(marks)
            .mark_text(color="#b22", align="right", baseline="bottom", dx=-4, dy=-3, fontSize=11)
            .encode(y="value:Q", x=alt.value("width"), text="text:N")
        )
        layers += [rule, target_label]
    chart = (
        alt.layer(*layers)
        .add_params(K, r, pick)
        .resolve_scale(color="independent", shape="independent")
        .properties(width="container", height=320)
    )
    shape = (
        f"增长速度按{AREA_ZH[base.shape_area]} "
        f"{'、'.join(map(str, base.shape_years))} 年的公开数字拟合"
        f"（{len(base.shape_years)} 个点）"
        if base.shape_area
        else "没有 2011 年以前的公开系列可供拟合，增长速度是情景假设（推测）"
    )
    return embed(
        chart,
        name=f"scenarios-{indicator.replace('_', '-')}",
        title=f"{label.name_zh}：三种情景与可调曲线（2011—2030 年）",
        description=f"折线图：台州{label.name_zh}在谨慎、基准、加速三种情景下的曲线，"
        "以及读者用滑块调整饱和水平和增长速度后的曲线（虚线）。",
        sources=sorted(set(trends.preferred().query("indicator == @indicator").source_title)),
        data=download_frame(frame, label.unit),
        note=f"曲线经过台州 {base.anchor_year} 年的公开数字 {number(base.anchor_value)}；{shape}。"
        "虚线由滑块决定，初始值等于基准情景。红色虚线为全国目标（对照）。"
        + (
            "浅蓝色带为基准情景的 90% 区间（对拟合残差重抽样 200 次）。"
            if spread is not None
            else "没有可拟合的系列，因而没有不确定性区间。"
        ),
        controls="拖动滑块改变饱和水平 K 和增长速度 r，虚线随之重画；用“情景”选择框只看一种情景。",
    )


def assumptions_table() -> Html:
    """Render every scenario assumption with its basis (data, research or guesswork)."""
    frame = scenarios.assumptions().copy()
    names = data.table("indicators").set_index("id").name_zh
    out = pd.DataFrame(
        {
            "情景": frame.scenario.map(scenarios.SCENARIO_ZH),
            "指标": frame.indicator.map(names),
            "参数": frame.parameter.map(
                {
                    "saturation": "饱和水平",
                    "growth_factor": "增长速度倍数",
                    "growth_rate": "增长速度 r",
                }
            ),
            "取值": frame.value,
            "单位": frame.unit,
            "依据": frame.basis.map(scenarios.BASIS_ZH),
            "理由": frame.rationale_zh,
        }
    )
    return table(out, "情景假设：每一项都标明依据是数据、研究还是推测", numeric=["取值"])


def backtest_frame(indicator: str = "mobile_per_100", area: str = "100000") -> pd.DataFrame:
    """Return the backtest rows as shown: rounded to the published precision of the table."""
    bt = scenarios.backtest(indicator, area)
    return pd.DataFrame(
        {
            "情景": bt.scenario.map(scenarios.SCENARIO_ZH),
            "年份": bt.year,
            "预测期（年）": bt.horizon,
            "2011年的预测": bt.projected.round(1),
            "实际公布": bt.actual,
            "绝对误差": bt.abs_error.round(1),
            "百分比误差（%）": bt.ape.round(1),
        }
    )


def backtest_table(indicator: str = "mobile_per_100", area: str = "100000") -> Html:
    """Render the backtest and, below it, the mean absolute percentage error per scenario."""
    frame = backtest_frame(indicator, area)
    summary = scenarios.mape(scenarios.backtest(indicator, area))
    note = "平均百分比误差（MAPE）：" + "；".join(
        f"{scenarios.SCENARIO_ZH[s]} {m:.1f}%"
        for s, m in zip(summary.scenario, summary.mape, strict=True)
    )
    return table(
        frame,
        f"回测：用 2011 年以前的数字拟合的曲线与此后公布的数字（{AREA_ZH[area]}）",
        numeric=list(frame.columns[1:]),
        note=note + "。预测只用 2011 年及以前的公开数字和各情景的饱和水平。",
    )


def backtest_chart(indicator: str = "mobile_per_100", area: str = "100000") -> Html:
    """Chart the 2011-fitted curves against the figures published afterwards."""
    values = trends.series(area, indicator)
    years = np.arange(int(values.index.min()), scenarios.HORIZON + 1)
    rows = []
    for s in scenarios.SCENARIOS:
        fit = scenarios.backtest_fit(s, indicator, area)
        rows += [
            {
                "series": f"{scenarios.SCENARIO_ZH[s]}情景（2011年拟合）",
                "year": int(y),
                "value": float(v),
            }
            for y, v in zip(years, fit.predict(years), strict=True)
        ]
    curves = pd.DataFrame(rows)
    actual = pd.DataFrame(
        {
            "year": values.index.astype(int),
            "value": values.to_numpy(),
            "used": np.where(values.index <= scenarios.VANTAGE, "拟合所用", "此后公布"),
        }
    )
    x = alt.X(
        "year:Q",
        title="年份（年末）",
        axis=alt.Axis(format="d", values=list(range(2000, 2031, 5)), labelOverlap="greedy"),
        scale=alt.Scale(zero=False),
    )
    names = [f"{scenarios.SCENARIO_ZH[s]}情景（2011年拟合）" for s in scenarios.SCENARIOS]
    colors = [SCENARIO_COLORS[scenarios.SCENARIO_ZH[s]] for s in scenarios.SCENARIOS]
    chart = (
        alt.layer(
            alt.Chart(curves)
            .mark_line()
            .encode(
                x=x,
                y=alt.Y("value:Q", title="移动电话普及率（部/百人）"),
                color=alt.Color(
                    "series:N",
                    title="曲线",
                    scale=alt.Scale(domain=names, range=colors),
                    legend=alt.Legend(orient="bottom", direction="vertical"),
                ),
                tooltip=[
                    alt.Tooltip("series:N", title="曲线"),
                    alt.Tooltip("year:Q", title="年份"),
                    alt.Tooltip("value:Q", title="数值（部/百人）", format=".1f"),
                ],
            ),
            alt.Chart(actual)
            .mark_point(filled=True, size=70, color="#333")
            .encode(
                x=x,
                y="value:Q",
                shape=alt.Shape(
                    "used:N",
                    title="公开数字",
                    legend=alt.Legend(orient="bottom", direction="vertical"),
                ),
                tooltip=[
                    alt.Tooltip("year:Q", title="年份"),
                    alt.Tooltip("value:Q", title="公开数字（部/百人）"),
                    alt.Tooltip("used:N", title="用途"),
                ],
            ),
        )
        .resolve_scale(shape="independent")
        .properties(width="container", height=280)
    )
    return embed(
        chart,
        name=f"backtest-{indicator.replace('_', '-')}",
        title=f"回测：{AREA_ZH[area]}移动电话普及率，2011 年的预测与实际",
        description="折线图：用 2011 年以前的全国移动电话普及率拟合的三条曲线，"
        "与 2012 年以后公布的数字对照。",
        sources=sorted(
            set(
                trends.preferred()
                .query("indicator == @indicator and area_code == @area")
                .source_title
            )
        ),
        data=pd.concat([curves, actual.rename(columns={"used": "series"})]).rename(
            columns={"series": "曲线或数字", "year": "年份", "value": "数值（部/百人）"}
        ),
        note="曲线只用 2011 年及以前的数字拟合；圆点以外的年份没有公开数字。",
    )


def roadmap_timeline() -> pd.DataFrame:
    """Return the study's milestones with the published figures of their year, per area."""
    road = data.table("study_roadmap")
    pref = trends.preferred()
    names = data.table("indicators").set_index("id").name_zh
    rows = []
    for year in [*sorted(set(road.horizon_year)), int(pref.year.max())]:
        goals = road[road.horizon_year == year]
        facts = pref[
            (pref.year == year)
            & pref.indicator.isin(
                [
                    "mobile_per_100",
                    "broadband_household_rate",
                    "broadband_users",
                    "ftth_users",
                    "gigabit_users",
                    "mobile_5g_users",
                ]
            )
        ]
        tz = facts[facts.area_code == "331000"]
        rows.append(
            {
                "年份": year,
                "课题目标": "；".join(goals.goal_zh) if len(goals) else "（今天）",
                "全国、浙江的公开数字": "；".join(
                    f"{AREA_ZH[r.area_code]}{names[r.indicator]} {number(r.value)} {r.unit}"
                    for r in facts[facts.area_code != "331000"].itertuples()
                )
                or "无",
                "台州的公开数字": "；".join(
                    f"{names[r.indicator]} {number(r.value)} {r.unit}" for r in tz.itertuples()
                )
                or "无：无法核验",
            }
        )
    return pd.DataFrame(rows)


def targets_frame(indicator: str = "broadband_household_rate") -> pd.DataFrame:
    """Return, per national target and scenario, the year Taizhou's curve meets it."""
    t = scenarios.target_years(indicator)
    anchor = scenarios.project("baseline", indicator).anchor_year

    def when(row) -> str:
        if row.met is None:
            return f"{scenarios.HORIZON} 年前达不到"
        if row.met == anchor:
            return f"{anchor} 年已达到（公开数字）"
        return f"{row.met} 年（情景推算）"

    return pd.DataFrame(
        {
            "目标": [
                f"{AREA_ZH[a]} {y} 年 {c} {number(v)}%"
                for a, y, c, v in zip(
                    t.target_area, t.target_year, t.comparison, t.target_value, strict=True
                )
            ],
            "情景": t.scenario.map(scenarios.SCENARIO_ZH),
            "台州达到的年份": [when(r) for r in t.itertuples(index=False)],
            "按期": t.on_time.map({True: "是", False: "否"}),
        }
    )


def forward_look(indicator: str = "mobile_per_100") -> pd.DataFrame:
    """Refit each scenario on every published year (not just up to 2011) and compare to 2030."""
    latest = int(trends.preferred().year.max())
    rows = []
    for s in scenarios.SCENARIOS:
        for until in (scenarios.VANTAGE, latest):
            p = scenarios.project(s, indicator, until=until)
            rows.append(
                {
                    "情景": scenarios.SCENARIO_ZH[s],
                    "数据截至": until,
                    "拟合所用": f"{AREA_ZH[p.shape_area]} {len(p.shape_years)} 个年份"
                    if p.shape_area
                    else "无（假设的增长速度）",
                    "增长速度 r": round(p.curve.params["r"], 3),
                    "2020 年": round(float(p.values([2020])[0]), 1),
                    "2030 年": round(float(p.values([2030])[0]), 1),
                }
            )
    return pd.DataFrame(rows)
