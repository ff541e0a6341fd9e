"""The scenarios chapter: explorable curves, assumptions, backtest and roadmap timeline.

The explorable chart carries the three scenario curves computed in Python and one curve
the reader shapes with two sliders (saturation and growth rate). That curve is computed in
the browser by Vega with the same anchored logistic formula as
:func:`analysis.model.diffusion.anchor`, so with the baseline's values it is the baseline curve.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from analysis.core import data
from analysis.core.reference import CHINA, NAMES, TAIZHOU, ZHEJIANG
from analysis.model import scenarios, trends
from analysis.render.charts import embed
from analysis.render.html import Html, number, table

INDICATORS = ["mobile_per_100", "broadband_household_rate"]
SCENARIO_COLORS = {"cautious": "#9ecae1", "baseline": "#2171b5", "accelerated": "#08306b"}
TELECOM = [  # the Taizhou figures the roadmap timeline and milestones are checked against
    "mobile_per_100",
    "broadband_household_rate",
    "broadband_users",
    "ftth_users",
    "gigabit_users",
    "mobile_5g_users",
]
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
    actual = pref[(pref.indicator == indicator) & pref.area_code.isin([TAIZHOU, ZHEJIANG, CHINA])]
    published = pd.DataFrame(
        {
            "scenario": "",
            "year": actual.year.astype(int),
            "value": actual.value,
            "kind": "公开数字",
            "series": actual.area_code.map(NAMES),
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


def slider_range(indicator: str, base: scenarios.Projection) -> tuple[int, int]:
    """The saturation slider's range: above Taizhou's latest figure, up to the valid maximum."""
    low, high = SLIDER_RANGES[indicator]
    low = max(low, int(np.floor(base.anchor_value)) + 1)
    high = max(high, int(np.ceil(base.saturation)) + 20)
    top = scenarios.ceiling(indicator)
    if top is not None:
        high = int(min(high, top))
    return min(low, high - 1), high


def band_note(indicator: str, spread: pd.DataFrame | None) -> str:
    """Say in Chinese what the shaded band is, from the errors it was calibrated on."""
    if spread is None:
        return "这种方法没有可以回测的公开系列，因而不画区间；曲线只是假设的推演。"
    ahead = spread[spread.horizon > 0]
    errors = scenarios.error_by_horizon("baseline", indicator)
    longest = int(errors.horizon.max())
    text = (
        f"浅蓝色带为基准情景的 90% 误差范围：同样的方法从过去每个年份出发预测此后各年，"
        f"共对照 {int(errors.tests.sum())} 次（最长 {longest} 年），"
        f"取各预测期 90% 的相对误差加在曲线上下（某个预测期没有检验时，取比它长、"
        f"最近一个检验过的预测期的误差；都不小于更短预测期的误差）；"
        f"并且不窄于对拟合残差重抽样得到的区间。"
    )
    if ahead.beyond_tests.any():
        first = int(ahead[ahead.beyond_tests].year.min())
        text += f"{first} 年以后超出回测所及的年份，沿用最长预测期的误差，实际不确定性更大。"
    return text


def explorer(indicator: str) -> Html:
    """Chart one indicator's scenarios with sliders for a reader-shaped curve."""
    base = scenarios.project("baseline", indicator)
    K0, r0 = base.curve.params["K"], base.curve.params["r"]
    low, high = slider_range(indicator, base)
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
    label = data.indexed("indicators", "id").loc[indicator]
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
                scale=alt.Scale(
                    domain=[scenarios.SCENARIO_ZH[s] for s in SCENARIO_COLORS],
                    range=list(SCENARIO_COLORS.values()),
                ),
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
        spread = spread.assign(label="基准情景 90% 误差范围")
    if spread is not None:
        layers.insert(
            0,
            alt.Chart(spread)
            .mark_area(opacity=0.25, color="#2171b5")
            .encode(
                x=x,
                y=alt.Y("low:Q"),
                y2="high:Q",
                tooltip=[
                    alt.Tooltip("label:N", title="区间"),
                    alt.Tooltip("year:Q", title="年份"),
                    alt.Tooltip("low:Q", title="下限", format=".1f"),
                    alt.Tooltip("high:Q", title="上限", format=".1f"),
                ],
            ),
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
    shape = shape_text(base)
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
        + band_note(indicator, spread),
        controls="拖动滑块改变饱和水平 K 和增长速度 r，虚线随之重画；用“情景”选择框只看一种情景。",
    )


def shape_text(p: scenarios.Projection) -> str:
    """Say in Chinese which series and how many points the curve's growth rate rests on."""
    if p.saturated and p.anchor_value <= 0:
        return "台州最近的数字为 0，无法由此推算增长，曲线保持在 0"
    if p.saturated:
        return f"台州的数字已达到饱和水平 {p.saturation:g}，曲线保持在这一水平"
    if p.shape_area:
        years = p.shape_years
        span = f"{years[0]}—{years[-1]}" if len(years) > 4 else "、".join(map(str, years))
        return (
            f"增长速度按{NAMES[p.shape_area]} {span} 年的公开数字拟合（{len(years)} 个点），"
            f"饱和水平 {p.saturation:g}"
        )
    return f"没有可供拟合的公开系列，增长速度是情景假设（推测），饱和水平 {p.saturation:g}"


def basis_frame() -> pd.DataFrame:
    """Per indicator and scenario: the series, points, anchor and saturation each curve uses."""
    names = data.indexed("indicators", "id").name_zh
    rows = []
    for indicator in INDICATORS:
        for s in scenarios.SCENARIOS:
            p = scenarios.project(s, indicator)
            rows.append(
                {
                    "指标": names[indicator],
                    "情景": scenarios.SCENARIO_ZH[s],
                    "增长速度的依据": f"{NAMES[p.shape_area]}的公开数字"
                    if p.shape_area
                    else "情景假设（推测）",
                    "拟合所用年份数": len(p.shape_years),
                    "经过的台州数字": f"{p.anchor_value:g}（{p.anchor_year} 年）",
                    "饱和水平": round(p.saturation, 2),
                }
            )
    return pd.DataFrame(rows)


def assumptions_table() -> Html:
    """Render every scenario assumption with its basis (data, research or guesswork)."""
    frame = scenarios.assumptions().copy()
    names = data.indexed("indicators", "id").name_zh
    out = pd.DataFrame(
        {
            "情景": frame.scenario.map(scenarios.SCENARIO_ZH),
            "指标": frame.indicator.map(names),
            "参数": frame.parameter.map(
                {
                    "saturation": "饱和水平",
                    "growth_factor": "增长速度倍数",
                    "growth_rate": "增长速度 r",
                    "headroom": "饱和余量（高于台州最高数字）",
                }
            ),
            "取值": frame.value,
            "单位": frame.unit,
            "依据": frame.basis.map(scenarios.BASIS_ZH),
            "理由": frame.rationale_zh,
        }
    )
    return table(out, "情景假设：每一项都标明依据是数据、研究还是推测", numeric=["取值"])


def backtest_frame(indicator: str = "mobile_per_100", area: str = CHINA) -> pd.DataFrame:
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


def backtest_table(indicator: str = "mobile_per_100", area: str = CHINA) -> Html:
    """Render the backtest and, below it, the mean absolute percentage error per scenario."""
    frame = backtest_frame(indicator, area)
    summary = scenarios.mape(scenarios.backtest(indicator, area))
    note = "平均百分比误差（MAPE）：" + "；".join(
        f"{scenarios.SCENARIO_ZH[s]} {m:.1f}%"
        for s, m in zip(summary.scenario, summary.mape, strict=True)
    )
    return table(
        frame,
        f"回测：{NAMES[area]}{data.table('indicators').set_index('id').name_zh[indicator]}，"
        "用 2011 年以前的数字作出的推算与此后公布的数字",
        numeric=list(frame.columns[1:]),
        note=note + "。预测只用 2011 年及以前的公开数字和各情景的饱和水平。",
    )


def backtest_chart(indicator: str = "mobile_per_100", area: str = CHINA) -> Html:
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
    colors = [SCENARIO_COLORS[s] for s in scenarios.SCENARIOS]
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
        title=f"回测：{NAMES[area]}移动电话普及率，2011 年的预测与实际",
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
    names = data.indexed("indicators", "id").name_zh
    rows = []
    for year in [*sorted(set(road.horizon_year)), int(pref.year.max())]:
        goals = road[road.horizon_year == year]
        facts = pref[(pref.year == year) & pref.indicator.isin(TELECOM)]
        tz = facts[facts.area_code == TAIZHOU]
        rows.append(
            {
                "年份": year,
                "课题目标": "；".join(goals.goal_zh) if len(goals) else "（本站数据的最新年份）",
                "全国、浙江的公开数字": "；".join(
                    f"{NAMES[r.area_code]}{names[r.indicator]} {number(r.value)} {r.unit}"
                    for r in facts[facts.area_code != TAIZHOU].itertuples()
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

    def when(row) -> str:
        if row.met is None:
            return f"{scenarios.HORIZON} 年前达不到"
        if row.by == "published":
            return f"{row.met} 年已达到（公开数字）"
        return f"{row.met} 年（情景推算）"

    return pd.DataFrame(
        {
            "目标": [
                f"{NAMES[a]} {y} 年 {c} {number(v)}%"
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
            p = scenarios.project(s, indicator, until=until, reference_until=until)
            rows.append(
                {
                    "情景": scenarios.SCENARIO_ZH[s],
                    "数据截至": until,
                    "拟合所用": f"{NAMES[p.shape_area]} {len(p.shape_years)} 个年份"
                    if p.shape_area
                    else "无（假设的增长速度）",
                    "增长速度 r": round(p.curve.params["r"], 3),
                    "2020 年": round(float(p.values([2020])[0]), 1),
                    "2030 年": round(float(p.values([2030])[0]), 1),
                }
            )
    return pd.DataFrame(rows)


def _years(years) -> str:
    years = sorted(int(y) for y in years)
    return "、".join(map(str, years))


def key_points() -> dict[str, str]:
    """The scenarios page's computed sentences (glued into its prose), from the data."""
    out = {}
    names = data.indexed("indicators", "id").name_zh
    anchors = [scenarios.project("baseline", i) for i in INDICATORS]
    out["anchors"] = "，".join(
        f"{names[p.indicator]} {p.anchor_year} 年 {p.anchor_value:g}" for p in anchors
    )
    # where Taizhou stood in 2011 against the 2015 target and China's later years
    bb = trends.series(scenarios.TAIZHOU, "broadband_household_rate")
    targets = data.table("targets")
    t2015 = targets[
        (targets.indicator == "broadband_household_rate") & (targets.target_year == 2015)
    ]
    if scenarios.VANTAGE in bb.index and len(t2015):
        v, goal = float(bb[scenarios.VANTAGE]), float(t2015.target_value.iloc[0])
        word = "已经高于" if v >= goal else "低于"
        out["start"] = (
            f"按全国的标准，台州 {scenarios.VANTAGE} 年的宽带普及已经达到“宽带中国”2015 年的目标，"
            "起点已经很高。路线图的重点应从“普及”转向“提速”和“应用”，"
            "例如光纤到户、千兆宽带和智慧水务等应用"
            if v >= goal
            else f"台州 {scenarios.VANTAGE} 年的宽带入户率低于“宽带中国”2015 年的全国目标，"
            "普及仍是路线图的首要任务，同时为“提速”和“应用”做准备"
        )
        out["bb_2011"] = (
            f"{scenarios.VANTAGE} 年末台州宽带入户率（{v:g}%）{word}“宽带中国”战略定下的"
            f"全国 2015 年目标（{goal:g}%）"
        )
    else:
        out["bb_2011"] = f"台州没有 {scenarios.VANTAGE} 年的宽带入户率可与“宽带中国”目标对照"
        out["start"] = (
            f"本站没有台州 {scenarios.VANTAGE} 年的宽带入户率，无法判断课题起点与全国目标的距离"
        )
    mobile = trends.series(scenarios.TAIZHOU, "mobile_per_100")
    cn = trends.series(scenarios.CHINA, "mobile_per_100")
    if scenarios.VANTAGE in mobile.index and len(cn):
        level = float(mobile[scenarios.VANTAGE])
        cross = trends.crossing(cn[cn.index > scenarios.VANTAGE], level)
        lead = f"台州 {scenarios.VANTAGE} 年的移动电话普及率（{level:g} 部/百人），全国"
        out["mobile_2011"] = (
            f"{lead}到最近公布的 {int(cn.index[-1])} 年（{cn.iloc[-1]:g}）仍未达到"
            if not cross.reached
            else f"{lead}在 {cross.describe()}才达到"
        )
    else:
        out["mobile_2011"] = "台州没有 2011 年的移动电话普及率"
    # the 2011 outlook for China against what was published afterwards
    bt = scenarios.backtest("mobile_per_100")
    first = bt[bt.year == bt.year.min()]
    m = scenarios.mape(bt).mape
    out["bt_first_year"] = str(int(bt.year.min()))
    out["bt_first_ape"] = f"{first.ape.max():.1f}%"
    out["bt_mape"] = f"{m.min():.1f}%—{m.max():.1f}%"
    late = bt[bt.horizon >= LONG_HORIZON]
    over = (late.projected > late.actual).all()
    stalls = [int(y) for y, d in cn[cn.index > scenarios.VANTAGE].diff().items() if d <= 0]
    if bt.year.nunique() == 1:  # one published year to check against: no "越往后"
        trend = "预测偏高" if over else "预测有高有低"
    else:
        trend = "越往后越高估" if over else "越往后误差越大，时高时低"
    if stalls:
        trend += f"：全国普及率在 {_years(stalls)} 年没有增长"
    out["bt_trend"] = trend
    out["outlook"] = outlook_sentence(late)
    # the 2020 target of 70%: published figures first, projections otherwise
    t = scenarios.target_years("broadband_household_rate")
    t2020 = t[t.target_year == 2020]
    latest = int(bb.index.max()) if len(bb) else scenarios.VANTAGE
    if len(t2020) and (t2020.by == "published").all():
        out["bb70"] = f"台州 {int(t2020.met.iloc[0])} 年的公开数字已达到全国 2020 年 70% 的目标"
    elif len(t2020):
        met = t2020.met.dropna().astype(int)
        when = (
            f"在 {met.min()}—{met.max()} 年"
            if len(met) == len(t2020) and met.min() != met.max()
            else f"在 {met.min()} 年"
            if len(met) == len(t2020)
            else f"最早在 {met.min()} 年（有的情景 {scenarios.HORIZON} 年前达不到）"
            if len(met)
            else f"在 {scenarios.HORIZON} 年前都"
        )
        reach = "达到" if len(met) else "达不到"
        out["bb70"] = (
            f"按三种情景推算，台州宽带入户率{when}{reach}全国 2020 年 70% 的目标。"
            f"这只是推算：台州 {latest} 年以后没有公开数字可以核验"
        )
    else:
        out["bb70"] = "数据中没有“宽带中国”2020 年的宽带入户率目标"
    # the study's qualitative milestones: are there any Taizhou figures for their years?
    road = sorted({int(y) for y in data.table("study_roadmap").horizon_year})
    pref = trends.preferred()
    tz = pref[(pref.area_code == scenarios.TAIZHOU) & pref.indicator.isin(TELECOM)]
    tz_years = set(tz.year.astype(int))
    have = [y for y in road if y in tz_years]
    if have:
        out["milestones"] = (
            f"台州 {_years(have)} 年已有公开数字（见下方时间线），可以对照里程碑的方向，"
            "但里程碑本身没有数量标准"
        )
    else:
        out["milestones"] = f"本站可查的材料中没有台州 {_years(road)} 年的数字可以判断是否实现"
    # the backtest on Taizhou's own later figures
    tz_after = {
        i: trends.series(scenarios.TAIZHOU, i)[lambda s: s.index > scenarios.VANTAGE]
        for i in INDICATORS
    }
    with_later = [i for i, s in tz_after.items() if len(s)]
    out["tz_backtest"] = (
        "台州自己 2011 年以后没有公开数字，所以回测只能用全国的数字"
        if not with_later
        else "台州 2011 年以后已有公开数字（"
        + "；".join(f"{names[i]} {_years(tz_after[i].index)} 年" for i in with_later)
        + "），下文另有一张表用台州自己的数字回测"
    )
    return out


# a projection this many years ahead or more counts as long-term in the conclusions
LONG_HORIZON = 8


def outlook_sentence(late: pd.DataFrame) -> str:
    """The conclusion on the 2011 outlook, from its projections eight or more years ahead."""
    again = "规划目标应定期用新数字重新校准，而不是一次定下十年不变"
    if late.empty:
        return (
            f"本站还没有 {scenarios.VANTAGE} 年 {LONG_HORIZON} 年以后的公开数字，"
            f"长期预测还无法检验。{again}"
        )
    if (late.projected > late.actual).all():
        return (
            f"从 {scenarios.VANTAGE} 年出发、{LONG_HORIZON} 年以上的预测都高于后来公布的数字："
            f"普及率接近饱和时增长会放慢，简单的增长曲线会高估后期水平。{again}"
        )
    return (
        f"从 {scenarios.VANTAGE} 年出发、{LONG_HORIZON} 年以上的预测与后来公布的数字相比有高有低，"
        f"增长曲线只能说明大致方向。{again}"
    )


def taizhou_backtest() -> Html | None:
    """The 2011 outlook for Taizhou against Taizhou's own later figures (None without them)."""
    parts = []
    for indicator in INDICATORS:
        if scenarios.backtest(indicator, scenarios.TAIZHOU).empty:
            continue
        parts.append(str(backtest_table(indicator, scenarios.TAIZHOU)))
    return Html("".join(parts)) if parts else None
