"""The data catalogue page: every table, its rows, sources and a download link."""

from __future__ import annotations

import json
from html import escape

import pandas as pd

from analysis.core import data
from analysis.core.paths import data_dir
from analysis.core.plausibility import ACCEPT, accepted_rows
from analysis.core.validate import is_table, read_descriptor, resource_paths
from analysis.model import gaps as model_gaps
from analysis.render.html import Html, static_link, table
from analysis.render.numbers import year_ranges


def tables_overview() -> pd.DataFrame:
    """Return one row per data file: table, rows (features for GeoJSON), sources, download."""
    rows = []
    for resource in read_descriptor(data_dir())["resources"]:
        if not is_table(resource):
            rows.append(file_row(resource))
            continue
        data.table(resource["name"])  # validated before it is listed
        for rel in resource_paths(resource):
            part = pd.read_csv(data_dir() / rel, dtype=str, keep_default_na=False)
            sources = sorted(set(part["source_id"]) - {""}) if "source_id" in part else []
            several = len(resource_paths(resource)) > 1
            rows.append(
                {
                    "表": resource["title"] + (file_scope(part) if several else ""),
                    "文件": rel,
                    "下载": "下载",
                    "行数": len(part),
                    "来源数": len(sources) if sources else "—",
                    "说明": resource["description_zh"],
                    "download": static_link(f"data/{rel}"),
                }
            )
    return pd.DataFrame(rows)


def file_scope(part: pd.DataFrame) -> str:
    """Say in Chinese what one file of a multi-file table holds: its areas and years.

    Readers tell the observation files apart by this, not by their file names.
    """
    names = data.indexed("areas", "area_code").name_zh
    codes = list(dict.fromkeys(part["area_code"]))
    shown = [names.get(c, c) for c in codes[:3]]
    areas = "、".join(shown) + ("等" if len(codes) > 3 else "")
    years = pd.to_numeric(part["year"])
    span = f"{years.min()} 年" if years.min() == years.max() else f"{years.min()}—{years.max()} 年"
    return f"（{areas}，{span}）"


def file_row(resource: dict) -> dict:
    """Return the catalogue row of a non-tabular file: GeoJSON counts its features."""
    rel = resource["path"]
    content = json.loads((data_dir() / rel).read_text(encoding="utf-8"))
    count = len(content["features"]) if resource["format"] == "geojson" else "—"
    return {
        "表": resource["title"],
        "文件": rel,
        "下载": "下载",
        "行数": count,
        "来源数": "—",
        "说明": resource["description_zh"],
        "download": static_link(f"data/{rel}"),
    }


def tables_table() -> Html:
    """Render the catalogue of tables with a download link per file (no file names shown)."""
    frame = tables_overview().drop(columns=["文件"])
    return table(
        frame,
        "数据文件目录（点击“下载”取得表格文件，可直接用电子表格软件打开；"
        "行数一栏对地理文件为区域数）",
        links={"下载": "download"},
        numeric=["行数", "来源数"],
    )


def sources_table() -> Html:
    """Render every source document with its publisher, date and address."""
    src = data.table("sources")
    shown = src.rename(
        columns={
            "id": "编号",
            "title": "文献",
            "publisher": "发布机构",
            "date": "日期",
            "note_zh": "说明",
        }
    )
    shown["地址"] = src["url"].fillna("").map(lambda u: "打开" if u else "无在线地址")
    shown["link"] = src["url"]
    # the English note stays in the data for a later English edition; ids stay off reader pages
    shown = shown[["文献", "发布机构", "日期", "地址", "link", "说明"]]
    return table(shown, "来源目录", links={"地址": "link"})


def indicators_table() -> Html:
    """Render the indicator catalogue: names, unit, valid range and definition."""
    ind = data.table("indicators")
    rng = [
        f"{'' if pd.isna(lo) else f'{lo:g}'} – {'' if pd.isna(hi) else f'{hi:g}'}"
        for lo, hi in zip(ind["min_value"], ind["max_value"], strict=True)
    ]
    shown = pd.DataFrame(
        {
            "指标": ind["name_zh"],
            "单位": ind["unit"],
            "有效范围": rng,
            "定义": ind["definition_zh"],
        }
    )
    return table(shown, "指标目录")


def indicator_ids_table() -> Html:
    """Render, for the add-data page, each indicator's id (what analysts type) and its unit."""
    ind = data.table("indicators")
    caption = "指标编号表（补录时照此填写指标编号和单位）"
    body = "".join(
        f"<tr><td><code>{escape(i)}</code></td><td>{escape(name)}</td><td>{escape(unit)}</td></tr>"
        for i, name, unit in zip(ind["id"], ind["name_zh"], ind["unit"], strict=True)
    )
    # ids are set as code: they are what analysts type, like the other column names on the page
    return Html(
        f'<div class="atlas-table-wrap" tabindex="0" role="region" aria-label="{caption}">'
        f'<table class="atlas-table"><caption>{caption}</caption><thead><tr>'
        '<th scope="col">指标编号</th><th scope="col">指标</th><th scope="col">单位</th>'
        f"</tr></thead><tbody>{body}</tbody></table></div>"
    )


def descriptor_link() -> Html:
    """Render a link to the machine-readable data package descriptor."""
    href = escape(static_link("data/datapackage.json"))
    return Html(
        f'<p><a href="{href}">下载数据包描述文件</a>'
        "（机器可读，列出每张表的字段、类型、约束和表间关联；格式说明见方法页）</p>"
    )


def accepted_table() -> Html:
    """List the accepted outliers with the reason written in their note (or say there are none)."""
    rows = accepted_rows()
    if rows.empty:
        return Html(
            '<p class="atlas-table-note">目前没有数字因“不合常理”而经核实后保留：'
            "全部数字都通过了合理性检查（用户数不超过人口的合理倍数、县不大于市、"
            "相邻年份变化不过大）。</p>"
        )
    frame = pd.DataFrame(
        {
            "地区": rows.area_zh,
            "年份": rows.year.astype(int),
            "指标": rows.indicator_zh,
            "数值": rows.value.astype(float),
            "单位": rows.unit,
            "核实说明": rows.note.map(lambda n: ACCEPT.sub("", n).strip()),
            "来源": rows.source_title,
        }
    )
    return table(
        frame,
        f"经核实保留的异常值（{len(frame)} 个）：数字超出合理性检查的范围，但已对照原文核实无误",
        numeric=["年份", "数值"],
    )


def coverage_frame(areas: list[str] | None = None) -> pd.DataFrame:
    """The data gaps as shown: Chinese headers, year ranges, 无 when nothing is missing."""
    cov = model_gaps.coverage(areas)
    return pd.DataFrame(
        {
            "地区": cov.area_zh,
            "指标": cov.indicator_zh,
            "应有年份": [f"{a}—{b}" for a, b in zip(cov.first_year, cov.last_year, strict=True)],
            "已有": cov.found,
            "缺失": cov.missing,
            "缺失年份": [year_ranges(y) if y else "无" for y in cov.missing_years],
            "可查文献": cov.document_zh,
        },
        columns=["地区", "指标", "应有年份", "已有", "缺失", "缺失年份", "可查文献"],
    )


def coverage_table(areas: list[str] | None = None, caption: str | None = None) -> Html:
    """Render the data-gaps table shown to readers and analysts (optionally some areas only)."""
    frame = coverage_frame(areas)
    return table(
        frame,
        caption or "数据缺口：本站应有、但在可查材料中尚未找到的数字",
        numeric=["已有", "缺失"],
        note="补录方法见“补录一个数字”页：每个找到的数字在数据表中加一行并注明来源，"
        "重新构建后本表自动更新。",
    )


def gaps_download() -> Html:
    """Render a link to the full list of missing figures (an Excel-friendly CSV file)."""
    n = len(model_gaps.gaps())
    href = escape(static_link(f"data/{model_gaps.GAPS_FILE}"))
    return Html(
        f'<p><a href="{href}" download="data-gaps.csv">下载完整缺口清单（CSV，{n} 行，'
        "每行一个缺失的数字）</a></p>"
    )
