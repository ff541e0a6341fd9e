"""The words, tables and chart for the development-stage check (the page edge).

:mod:`analysis.model.development` computes numbers and codes; this module turns them into the
Chinese sentences, tables and the chart the study page and the infrastructure chapter show.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.core import data
from analysis.core.reference import STUDY_YEAR
from analysis.model import development as dev
from analysis.model import trends
from analysis.render.charts import area_colors_by_name, embed
from analysis.render.html import Html, table
from analysis.render.numbers import year_ranges

BASE_ZH = {"registered": "户籍人口", "resident": "常住人口"}
AREA_COLORS = area_colors_by_name()  # render.charts: one colour per area code
VERDICT_ZH = {
    "held": "成立：{start}—{end} 年各年都在 {band} 之内",
    "held_so_far": "已知年份都在 {band} 之内，但 {missing} 年没有可折算的数字，尚不能完全确认",
    "not_held": "不成立：{outside} 年不在 {band} 之内",
    "undetermined": "目前无法判断：{why}，这几年都不能折算成美元",
}
MATCH_ZH = {
    "registered": "与按户籍人口推算的一致",
    "resident": "与按常住人口推算的一致",
    "": "与两种口径推算的都相差 1% 以上",
}


def area_names() -> dict[str, str]:
    return data.indexed("areas", "area_code")["name_zh"].to_dict()


def dollars(level: float) -> str:
    return f"{level:,.0f} 美元"


def band() -> str:
    claim = dev.study_claim()
    return f"{claim['low']:,.0f}—{claim['high']:,.0f} 美元"


def describe(crossing: dev.StageCrossing, gaps: bool = True) -> str:
    """Say when a level was reached, in Chinese, claiming no more than the years show.

    ``gaps`` adds the years without an exchange rate (a table gives them in a column).
    """
    text = {
        "exact": "{first} 年",
        "between": "{below}—{first} 年间（中间年份无美元数字）",
        "no_later_than": "不晚于 {first} 年",
        "not_reached": "截至 {below} 年仍未达到",
        "no_figure": "无法判断（没有可折算的年份）",
    }[crossing.status].format(first=crossing.first_at, below=crossing.last_below)
    if not gaps:
        return text
    if crossing.unconverted and crossing.status != "no_figure":
        text += f"；此前 {year_ranges(list(crossing.unconverted))} 年缺少当年平均汇率，未折算"
    if crossing.unconverted_after:
        text += f"；{year_ranges(list(crossing.unconverted_after))} 年缺少当年平均汇率，未折算"
    return text


def rate_years() -> str:
    """The years with a rate, grouped by the kind of document: '2019 年（官方文件）'."""
    rates = dev.exchange_rates()
    if rates.empty:
        return "没有任何年份"
    kinds = data.indexed("sources", "id").kind
    by_kind = rates.assign(kind=rates.rate_source.map(kinds)).reset_index()
    parts = [
        f"{year_ranges(sorted(group.year))} 年（{trends.KIND_ZH[kind]}）"
        for kind, group in sorted(by_kind.groupby("kind"), key=lambda kv: trends.KIND_ORDER[kv[0]])
    ]
    return "、".join(parts)


def verdict_sentence(verdict: dev.Verdict) -> str:
    no_rate = [y for y in verdict.missing if y not in verdict.no_population]
    why = []
    if verdict.no_population:
        why.append(
            f"{year_ranges(list(verdict.no_population))} 年没有公开的年末{BASE_ZH[verdict.base]}"
        )
    if no_rate:
        why.append(f"{year_ranges(no_rate)} 年没有公开的当年平均汇率")
    return VERDICT_ZH[verdict.status].format(
        why="；".join(why),
        start=verdict.start,
        end=verdict.end,
        band=band(),
        missing=year_ranges(list(verdict.missing)),
        outside=year_ranges(list(verdict.outside)),
    )


def base_sentence(found: dev.StudyBase | None = None) -> str:
    """The base the study's own figures imply, stated with the numbers that show it."""
    found = dev.implied_base() if found is None else found
    start = (
        f"课题给出的 {found.year} 年末移动电话用户数（{found.users.formatted()}）"
        f"除以普及率（{found.rate.formatted()}），得到约 {found.implied:,.2f} 万人，"
    )
    if found.base is None:
        return start + "与同年公布的户籍人口、常住人口都对不上，看不出课题用的是哪种口径。"
    ref = found.candidates[found.base]
    return (
        start + f"与同年{BASE_ZH[found.base]}（{ref.formatted()}）一致："
        f"课题的人均数字应按{BASE_ZH[found.base]}计算。"
    )


def check_sentence(frame: pd.DataFrame | None = None) -> str:
    """Which years' published Taizhou per-capita figures match which computed base."""
    frame = dev.published_checks() if frame is None else frame
    parts = []
    for code, label in MATCH_ZH.items():
        years = sorted(set(frame.loc[frame.matches == code, "year"]))
        if years:
            parts.append(f"{year_ranges(years)} 年{label}")
    return "；".join(parts)


def glue_values() -> dict[str, str]:
    """Every computed sentence the study page shows, by glue name."""
    names = area_names()
    out = {"stage_band": band(), "stage_rate_years": rate_years()}
    claim = dev.study_claim()
    out["stage_period"] = f"{claim['start']}—{claim['end']} 年"
    for c in dev.crossings():
        key = f"stage_{c.area_code}_{c.base}_{int(c.level)}"
        out[key] = describe(c)
    for v in dev.verdicts():
        out[f"stage_verdict_{v.base}"] = verdict_sentence(v)
    out["stage_base"] = base_sentence()
    out["stage_check"] = check_sentence()
    out["stage_zj"] = names[dev.ZHEJIANG]
    return out


def crossing_table() -> Html:
    """The crossing years, one row per area and population base."""
    names = area_names()
    per = dev.per_capita()
    rows = []
    for area, base in dict.fromkeys(zip(per.area_code, per.base, strict=True)):
        found = [c for c in dev.crossings() if c.area_code == area and c.base == base]
        sub = per[(per.area_code == area) & (per.base == base)]
        usd_years = sorted(sub.loc[sub.per_capita_usd.notna(), "year"])
        yuan_years = sorted(sub.loc[sub.per_capita_yuan.notna(), "year"])
        derived = sub.loc[sub.per_capita_yuan.notna(), "derived"]
        how = (
            "本站推算" if derived.all() else ("公布数" if not derived.any() else "公布数与本站推算")
        )
        row = {"地区": names[area], "人口口径": BASE_ZH[base], "人均数字": how}
        for c in found:
            row[f"达到 {dollars(c.level)}"] = describe(c, gaps=False)
        row["有人民币数字的年份"] = year_ranges(yuan_years) or "无"
        row["可折算美元的年份"] = year_ranges(usd_years) or "无"
        no_rate = sorted(set(yuan_years) - set(usd_years))
        row["缺当年汇率、未折算的年份"] = year_ranges(no_rate) or "无"
        rows.append(row)
    sources = _sources(per)
    return table(
        pd.DataFrame(rows),
        "人均生产总值何时达到 6,000 和 10,000 美元（按当年平均汇率折算）",
        note="来源：" + "；".join(sources) + "。"
        "本站推算 = 地区生产总值 ÷ 同年年末人口；美元数 = 人民币数 ÷ 同年人民币兑美元年平均汇率。"
        "没有当年平均汇率的年份不折算，不用相邻年份的汇率代替，也不插值。",
    )


def _sources(per: pd.DataFrame) -> list[str]:
    ids = [s for group in per.sources for s in group] + [s for s in per.rate_source if s]
    return [data.source_citation(s) for s in dict.fromkeys(ids)]


def taizhou_table() -> Html:
    """Taizhou year by year: GDP, both populations, derived per capita, rate and dollars."""
    per = dev.per_capita()
    tz = per[per.area_code == dev.TAIZHOU]
    reg = tz[tz.base == "registered"].set_index("year")
    res = tz[tz.base == "resident"].set_index("year")
    shown = pd.DataFrame(
        {
            "年份": reg.index.astype(str),
            "地区生产总值（亿元）": reg.gdp.to_numpy(),
            "户籍人口（万人）": reg.population.to_numpy(),
            "人均（元，按户籍，推算）": reg.per_capita_yuan.round(0).to_numpy(),
            "常住人口（万人）": res.population.reindex(reg.index).to_numpy(),
            "人均（元，按常住，推算）": res.per_capita_yuan.reindex(reg.index).round(0).to_numpy(),
            "当年平均汇率（元/美元）": reg.rate.to_numpy(),
            "人均（美元，按户籍）": reg.per_capita_usd.round(0).to_numpy(),
            "人均（美元，按常住）": res.per_capita_usd.reindex(reg.index).round(0).to_numpy(),
        }
    )
    return table(
        shown,
        "台州人均生产总值：两种人口口径（本站推算）",
        numeric=[c for c in shown.columns if c != "年份"],
        note="来源：" + "；".join(_sources(tz)) + "。"
        "人均数字均为本站推算（地区生产总值 ÷ 同年年末人口），四舍五入到元或美元；"
        "“缺失”表示该年没有公开的人口或汇率，本站不补。常住人口只有普查年份的数字"
        + (
            "（九个县（市、区）普查数之和：全市的普查公报未在可查的材料中找到）。"
            if trends.lookup(dev.TAIZHOU, 2010, "resident_population") is None
            else "。"
        ),
    )


def others_table() -> Html:
    """Zhejiang and China: published (or derived) per capita, rate and dollars."""
    names = area_names()
    per = dev.per_capita()
    sub = per[per.area_code != dev.TAIZHOU]
    shown = pd.DataFrame(
        {
            "地区": sub.area_code.map(names).to_numpy(),
            "年份": sub.year.astype(str).to_numpy(),
            "人均生产总值（元）": sub.per_capita_yuan.round(0).to_numpy(),
            "人均数字": sub.derived.map(
                {True: "本站推算（按常住人口）", False: "公布数"}
            ).to_numpy(),
            "当年平均汇率（元/美元）": sub.rate.to_numpy(),
            "人均（美元）": sub.per_capita_usd.round(0).to_numpy(),
        }
    )
    published = _published_usd()
    shown["公布的美元数"] = [
        published.get((a, int(y))) for a, y in zip(sub.area_code, sub.year, strict=True)
    ]
    return table(
        shown,
        "浙江与全国的人均生产总值",
        numeric=["人均生产总值（元）", "当年平均汇率（元/美元）", "人均（美元）", "公布的美元数"],
        note="来源：" + "；".join(_sources(sub)) + "。"
        "公报按常住人口计算人均数；“公布的美元数”是公报自己按年平均汇率折算的结果，"
        "公报未印出所用汇率的，本站不据此反推汇率。",
    )


def _published_usd() -> dict:
    pref = trends.preferred()
    rows = pref[pref.indicator == "gdp_per_capita_usd"]
    return {(a, int(y)): v for a, y, v in zip(rows.area_code, rows.year, rows.value, strict=True)}


def check_table() -> Html:
    """Published Taizhou per-capita figures against the computed ones on both bases."""
    frame = dev.published_checks()

    def pct(v: float) -> str | None:
        return None if pd.isna(v) else f"{v * 100:+.1f}%"

    shown = pd.DataFrame(
        {
            "年份": frame.year.astype(str),
            "文献": frame.source_id.map(lambda s: data.indexed("sources", "id").title[s]),
            "公布的人均（元）": frame.published,
            "隐含人口（万人）": frame.implied_population.round(2),
            "与按户籍推算之差": frame.diff_registered.map(pct),
            "与按常住推算之差": frame.diff_resident.map(pct),
            "结论": frame.matches.map(MATCH_ZH),
        }
    )
    return table(
        shown,
        "公布的台州人均生产总值与本站推算的对照",
        numeric=["公布的人均（元）", "隐含人口（万人）", "与按户籍推算之差", "与按常住推算之差"],
        note="隐含人口 = 同一文献（或本站采用）的地区生产总值 ÷ 公布的人均数；"
        "差 = 公布数 ÷ 推算数 − 1；相差在 ±1% 以内视为一致。"
        f"第三方汇编未说明所用人口，{check_sentence(frame)}。",
    )


def penetration_frame() -> pd.DataFrame:
    """The chart's table: penetration against GDP per capita, Chinese column names."""
    points = dev.penetration_points()
    names = area_names()
    ind = data.indexed("indicators", "id")
    src = data.indexed("sources", "id").title
    return pd.DataFrame(
        {
            "地区": points.area_code.map(names),
            "年份": points.year.astype(int),
            "指标": points.indicator.map(lambda i: f"{ind.name_zh[i]}（{ind.unit[i]}）"),
            "普及率": points.value,
            "单位": points.unit,
            "人均生产总值（元）": points.per_capita_yuan.round(0),
            "人均口径": [
                ("本站推算，" if d else "公布数，") + f"按{BASE_ZH[b]}"
                for d, b in zip(points.derived, points.base, strict=True)
            ],
            "普及率来源": points.source_id.map(src),
            "人均来源": points.per_capita_sources.map(lambda ids: "；".join(src[i] for i in ids)),
        }
    )


def penetration_chart() -> Html:
    """Telecom penetration against GDP per capita: Taizhou, Zhejiang and China."""
    frame = penetration_frame()
    labels = list(dict.fromkeys(frame["指标"]))
    default = next((x for x in labels if x.startswith("移动电话普及率")), labels[0])
    pick = alt.param(
        name="indicator",
        value=default,
        bind=alt.binding_select(options=labels, name="选择指标："),
    )
    areas = [a for a in AREA_COLORS if a in set(frame["地区"])]
    base = alt.Chart(frame).transform_filter(alt.datum["指标"] == pick)
    labels_layer = base.mark_text(align="left", dx=8, dy=-8, fontSize=12).encode(
        x="人均生产总值（元）:Q",
        y="普及率:Q",
        text=alt.Text("年份:Q", format="d"),
        color=alt.Color(
            "地区:N",
            legend=None,
            scale=alt.Scale(domain=areas, range=[AREA_COLORS[a] for a in areas]),
        ),
    )
    chart = (
        (
            base.mark_point(size=90, filled=True, opacity=1).encode(
                x=alt.X("人均生产总值（元）:Q", title="人均生产总值（元，当年价格）"),
                y=alt.Y("普及率:Q", title="普及率（单位见所选指标）"),
                color=alt.Color(
                    "地区:N",
                    scale=alt.Scale(domain=areas, range=[AREA_COLORS[a] for a in areas]),
                    legend=alt.Legend(title="地区", orient="top"),
                ),
                shape=alt.Shape("地区:N", legend=None),
                tooltip=["地区", "年份", "指标", "普及率", "人均生产总值（元）", "人均口径"],
            )
            + labels_layer
        )
        .add_params(pick)
        .properties(width="container", height=320)
    )
    missing = [n for n in area_names().values() if n in AREA_COLORS and n not in areas]
    note = (
        "每个点是同一地区、同一年份既有普及率又有人均生产总值的年份；两者缺一的年份不画。"
        "台州的人均数按户籍人口推算（与课题普及率的分母一致），浙江和全国按常住人口。"
    )
    if missing:
        note += f"{'、'.join(missing)}目前没有两者同年的数字。"
    sources = sorted(
        set(frame["普及率来源"]) | {s for v in frame["人均来源"] for s in v.split("；")}
    )
    return embed(
        chart,
        name="penetration-vs-income",
        title="电信普及率与人均生产总值：台州、浙江与全国",
        description="散点图：横轴为人均生产总值（元），纵轴为所选的电信普及率；"
        "每个点是一个地区的一个年份，默认显示移动电话普及率。",
        sources=sources,
        data=frame,
        note=note,
        controls="用图下方的“选择指标”切换指标；将鼠标移到点上可查看年份、数值和口径。",
    )


def penetration_table() -> Html:
    frame = penetration_frame().drop(columns=["普及率来源", "人均来源"])
    frame = frame.sort_values("年份", ascending=False, kind="stable")  # the latest first
    frame["年份"] = frame["年份"].astype(str)
    return table(
        frame,
        "电信普及率与人均生产总值（图中各点）",
        numeric=["普及率", "人均生产总值（元）"],
    )


def income_sentence(indicator: str = "mobile_per_100", year: int = STUDY_YEAR) -> str:
    """Taizhou's penetration against places that reached its income later (computed)."""
    names = area_names()
    found = dev.at_same_income(indicator, year)
    ind = data.indexed("indicators", "id").loc[indicator]
    unit = ind.unit
    if not found:
        return (
            "浙江和全国目前都没有人均生产总值达到台州这一水平、且同年有普及率的年份，暂不能比较。"
        )
    first = found[0]
    parts = [
        f"{names[f.area_code]}在图中人均生产总值首次达到这一水平的年份是 {f.year} 年"
        f"（{f.per_capita_yuan:,.0f} 元），当年普及率为 {f.value:g} {unit}，"
        + ("低于" if f.ahead else "不低于")
        + f"台州 {f.taizhou_year} 年"
        for f in found
    ]
    return (
        f"台州 {first.taizhou_year} 年人均生产总值约 {first.taizhou_per_capita_yuan:,.0f} 元"
        f"（按户籍人口推算），{ind.name_zh} {first.taizhou_value:g} {unit}。"
        + "；".join(parts)
        + "。"
    )
