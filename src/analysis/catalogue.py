"""The data catalogue page: every table, its rows, sources and a download link."""

from __future__ import annotations

import json
from html import escape

import pandas as pd

from analysis import data
from analysis.html import Html, static_link, table
from analysis.paths import data_dir
from analysis.validate import is_table, read_descriptor, resource_paths


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
            rows.append(
                {
                    "表": resource["title"],
                    "文件": rel,
                    "行数": len(part),
                    "来源数": len(sources) if sources else "—",
                    "说明": resource["description_zh"],
                    "download": static_link(f"data/{rel}"),
                }
            )
    return pd.DataFrame(rows)


def file_row(resource: dict) -> dict:
    """Return the catalogue row of a non-tabular file: GeoJSON counts its features."""
    rel = resource["path"]
    content = json.loads((data_dir() / rel).read_text(encoding="utf-8"))
    count = len(content["features"]) if resource["format"] == "geojson" else "—"
    return {
        "表": resource["title"],
        "文件": rel,
        "行数": count,
        "来源数": "—",
        "说明": resource["description_zh"],
        "download": static_link(f"data/{rel}"),
    }


def tables_table() -> Html:
    """Render the catalogue of tables with a CSV download link per file."""
    frame = tables_overview()
    return table(
        frame,
        "数据文件目录（点击文件名下载；CSV 为 UTF-8 带 BOM，可直接用 Excel 打开；"
        "行数一栏对地理文件为要素数）",
        links={"文件": "download"},
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
            "note": "说明（英文）",
        }
    )
    shown["地址"] = src["url"].fillna("").map(lambda u: "打开" if u else "无在线地址")
    shown["link"] = src["url"]
    shown = shown[["编号", "文献", "发布机构", "日期", "地址", "link", "说明（英文）"]]
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
            "指标编号": ind["id"],
            "中文名称": ind["name_zh"],
            "英文名称": ind["name_en"],
            "单位": ind["unit"],
            "有效范围": rng,
            "定义（英文）": ind["definition"],
        }
    )
    return table(shown, "指标目录")


def descriptor_link() -> Html:
    """Render a link to the machine-readable data package descriptor."""
    href = escape(static_link("data/datapackage.json"))
    return Html(
        f'<p><a href="{href}">下载数据包描述文件 datapackage.json</a>'
        "（Frictionless Data 格式，列出每张表的字段、类型、约束和主外键）</p>"
    )
