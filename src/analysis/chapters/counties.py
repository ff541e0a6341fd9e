"""County maps: an interactive folium map with one layer per measure, and static choropleths.

Both draw the values of :func:`analysis.model.counties.county_values`, classed with Fisher–Jenks
breaks (``mapclassify``); a county without a figure is grey and labelled 缺失. The static
maps are Altair charts in a metric projection (UTM zone 51N) with a scale bar and a north
arrow, so the page prints with its maps.
"""

from __future__ import annotations

import json
import math
from html import escape

import altair as alt
import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template

from analysis.core.layers import read_layer, simplify_topology
from analysis.core.numbers import number as published
from analysis.model import counties
from analysis.render.charts import embed
from analysis.render.glue import require
from analysis.render.html import Html, table
from analysis.render.maps import HIGHLIGHT, base_map, boundary_note, embed_map
from analysis.render.numbers import decimals, fixed

PALETTE = ["#deebf7", "#9ecae1", "#4292c6", "#08519c"]  # sequential blues, print-safe
NO_DATA = "#d9d9d9"
NO_DATA_LABEL = "缺失"
METRIC_CRS = "EPSG:32651"  # UTM zone 51N: Taizhou lies at 120.2–121.9°E
STATIC_TOLERANCE_DEG = 0.003  # about 300 m: coarser than the web layer, the maps are small
STATIC_MEASURES = ["pop_2020", "change", "density"]


def measure_decimals(measure: str) -> int:
    """The decimals of a county measure: its indicator's (indicators.csv), else its own."""
    m = next(m for m in counties.MEASURES if m.id == measure)
    return decimals(m.indicator) if m.indicator else int(m.decimals)


def telecom_texts() -> pd.Series:
    """Each county's published telecom figures as one text, by adcode ('缺失' when none)."""
    tele = counties.telecom_figures()
    texts = {
        code: "；".join(
            f"{r.year}年{r.indicator_zh} {published(r.value)} {r.unit}" for r in grp.itertuples()
        )
        for code, grp in tele.groupby("adcode", sort=False)
    }
    codes = counties.telecom_summary().adcode
    return pd.Series([texts.get(c, NO_DATA_LABEL) for c in codes], index=codes, name="telecom")


def how_text(measure: counties.Measure) -> str:
    """How a county value is obtained, as the download says: 公布数 or the site's formula."""
    return "公布数" if measure.how == "data" else f"本站推算：{measure.how}"


def number(value: float, measure: str, show_unit: bool = True) -> str:
    """Format a county value for a label (the measure's decimals): 缺失 when missing."""
    if pd.isna(value):
        return NO_DATA_LABEL
    unit = next(m.unit for m in counties.MEASURES if m.id == measure)
    text = fixed(value, measure_decimals(measure))
    return f"{text} {unit}" if show_unit else text


def classes(measure: str) -> pd.DataFrame:
    """Return the county values of one measure with class, class label and fill colour."""
    values = counties.county_values()
    values = values[values.measure == measure].reset_index(drop=True)
    bins, cls = counties.classify(values.value)
    lows = [values.value.min(), *bins[:-1]]
    labels = [
        f"{number(lo, measure, False)} – {number(hi, measure, False)}"
        for lo, hi in zip(lows, bins, strict=True)
    ]
    palette = PALETTE[-len(bins) :] if bins else []
    values["class"] = cls
    values["class_label"] = cls.map(lambda c: NO_DATA_LABEL if pd.isna(c) else labels[int(c)])
    values["fill"] = cls.map(lambda c: NO_DATA if pd.isna(c) else palette[int(c)])
    values["text"] = [number(v, measure) for v in values.value]
    values.attrs["legend"] = [*zip(labels, palette, strict=True), (NO_DATA_LABEL, NO_DATA)]
    return values


def legend_html(measure: counties.Measure, frame: pd.DataFrame, shown: bool) -> str:
    """Return the legend of one layer: colour swatches with class ranges, unit, how derived.

    Only the legend of the layer on show is visible (``shown``); the layer switch shows the
    one it picks.
    """
    items = "".join(
        f'<li><span class="atlas-swatch" style="background:{color}"></span>{escape(label)}</li>'
        for label, color in frame.attrs["legend"]
    )
    how = "" if measure.how == "data" else f"（本站推算：{escape(measure.how)}）"
    return (
        f'<div class="atlas-legend" data-measure="{escape(measure.id)}"'
        f"{'' if shown else ' hidden'}><strong>{escape(measure.label)}</strong>"
        f"（{escape(measure.unit)}）{how}<ul>{items}</ul></div>"
    )


def switch_html(switch_id: str, options: list[tuple[str, str]]) -> str:
    """Return the layer switch: one radio button per measure, shown above the map."""
    radios = "".join(
        f'<label><input type="radio" name="atlas-measure" value="{escape(key)}"'
        f"{' checked' if i == 0 else ''}> {escape(label)}</label>"
        for i, (key, label) in enumerate(options)
    )
    return (
        f'<form class="atlas-measure-switch" id="{switch_id}"><fieldset>'
        f"<legend>图层（选择地图显示的指标）</legend>{radios}</fieldset></form>"
    )


class MeasureSwitch(MacroElement):
    """Wire the layer switch above the map to one GeoJSON layer and to the legends.

    Each feature carries one fill colour per measure (``fill_<id>``); choosing a measure
    restyles the same layer, so the geometry is sent once however many measures there are,
    and shows that measure's legend only. The switch itself is plain HTML outside the map
    (:func:`switch_html`), so it never covers a county.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
(function () {
  var layer = {{ this.layer.get_name() }};
  var form = document.getElementById({{ this.switch_id|tojson }});
  if (!form) { return; }
  var figure = form.closest("figure");
  function show() {
    var picked = form.querySelector("input[name=atlas-measure]:checked");
    if (!picked) { return; }
    var key = "fill_" + picked.value;
    layer.setStyle(function (feature) { return {fillColor: feature.properties[key]}; });
    figure.querySelectorAll(".atlas-legend[data-measure]").forEach(function (el) {
      el.hidden = el.getAttribute("data-measure") !== picked.value;
    });
  }
  form.addEventListener("change", show);
  show();
})();
{% endmacro %}"""
    )

    def __init__(self, layer: folium.GeoJson, switch_id: str):
        super().__init__()
        self._name = "MeasureSwitch"
        self.layer = layer
        self.switch_id = switch_id


def label_points(shapes: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """Return a point inside each county where its name is written (a point on the surface)."""
    return shapes.geometry.representative_point()


def interactive_map(height: int = 520) -> Html:
    """Map the counties, coloured by a measure the reader picks; tooltips give every figure."""
    shapes = read_layer(counties.LAYER)
    telecom = telecom_texts()
    minx, miny, maxx, maxy = shapes.total_bounds
    fmap = base_map([[miny, minx], [maxy, maxx]])
    layer = shapes.assign(
        name=shapes.name_zh.map(escape), telecom=shapes.adcode.map(telecom).map(escape)
    )
    fields, legends, sources = ["name"], [], set()
    for i, measure in enumerate(counties.MEASURES):
        frame = classes(measure.id).set_index("adcode")
        layer[measure.id] = layer.adcode.map(frame.text).map(escape)
        layer[f"fill_{measure.id}"] = layer.adcode.map(frame.fill)
        fields.append(measure.id)
        legends.append(legend_html(measure, frame, shown=i == 0))
        sources |= {part for s in frame.source for part in s.split("；") if part}
    first = f"fill_{counties.MEASURES[0].id}"
    geojson = folium.GeoJson(
        json.loads(
            layer[
                [
                    "adcode",
                    *fields[1:],
                    "telecom",
                    *[f"fill_{m.id}" for m in counties.MEASURES],
                    "name",
                    "geometry",
                ]
            ].to_json()
        ),
        style_function=lambda f: {
            "color": "#ffffff",
            "weight": 1.2,
            "fillColor": f["properties"][first],
            "fillOpacity": 0.85,
        },
        highlight_function=lambda _: HIGHLIGHT,
        tooltip=folium.GeoJsonTooltip(
            fields=[*fields, "telecom"],
            aliases=["县（市、区）", *[m.label for m in counties.MEASURES], "公开的电信数字"],
        ),
    ).add_to(fmap)
    for name, point in zip(shapes.name_zh, label_points(shapes), strict=True):
        folium.Marker(
            [point.y, point.x],
            icon=folium.DivIcon(
                html=f"<span>{escape(name)}</span>",
                class_name="atlas-county-label",
                icon_size=(0, 0),
            ),
            interactive=False,
            keyboard=False,
        ).add_to(fmap)
    switch_id = "atlas-measure-switch-county-measures"
    fmap.add_child(MeasureSwitch(geojson, switch_id))
    controls = switch_html(switch_id, [(m.id, m.label) for m in counties.MEASURES])
    caption = f"人口来源：{escape('；'.join(sorted(sources))) or '无'}。{boundary_note()}"
    return embed_map(
        fmap,
        name="county-measures",
        title="台州九个县（市、区）：人口、增长和密度（在地图上方切换图层）",
        description="台州市九个县（市、区）的分级设色地图，可切换常住人口、人口增长和人口密度；"
        "鼠标悬停可查看各县数值和公开的电信数字",
        height=height,
        caption_html=caption,
        controls_html=controls + f'<div class="atlas-legends">{"".join(legends)}</div>',
    )


def static_shapes() -> gpd.GeoDataFrame:
    """Return the counties simplified for small static maps, in metres (UTM 51N).

    Every polygon is valid and each county's area stays within 1% of the web layer's.
    """
    shapes = read_layer(counties.LAYER)
    coarse = simplify_topology(shapes, STATIC_TOLERANCE_DEG).to_crs(METRIC_CRS)
    # whole metres are far finer than the drawing and keep the embedded spec small; at this
    # tolerance an arc may cross another, which the structure method of make_valid repairs
    rounded = shapely.transform(coarse.geometry.to_numpy(), np.round)
    coarse["geometry"] = shapely.make_valid(rounded, method="structure", keep_collapsed=False)
    return coarse


def _scale_and_north(shapes: gpd.GeoDataFrame, km: int = 20) -> alt.LayerChart:
    """A scale bar of ``km`` kilometres and a north arrow, in the map's own coordinates."""
    minx, miny, maxx, maxy = shapes.total_bounds
    # bottom left: open ground south of Xianju and west of Yuhuan, clear of every name
    x0, y0 = minx + 0.04 * (maxx - minx), miny + 0.04 * (maxy - miny)
    bar = pd.DataFrame({"x": [x0], "x2": [x0 + km * 1000], "y": [y0]})
    rule = (
        alt.Chart(bar)
        .mark_rule(strokeWidth=3, color="#333")
        .encode(longitude="x:Q", latitude="y:Q", longitude2="x2:Q", latitude2="y:Q")
    )
    label = pd.DataFrame(
        {"x": [x0 + km * 500], "y": [y0 + 0.03 * (maxy - miny)], "t": [f"{km} km"]}
    )
    text = (
        alt.Chart(label)
        .mark_text(fontSize=11, color="#333")
        .encode(longitude="x:Q", latitude="y:Q", text="t:N")
    )
    north = pd.DataFrame(
        {"x": [maxx - 0.06 * (maxx - minx)], "y": [maxy - 0.06 * (maxy - miny)], "t": ["▲ 北"]}
    )
    arrow = (
        alt.Chart(north)
        .mark_text(fontSize=12, color="#333")
        .encode(longitude="x:Q", latitude="y:Q", text="t:N")
    )
    return rule + text + arrow


def _names(shapes: gpd.GeoDataFrame) -> alt.Chart:
    """The county names, written at a point inside each county (print maps)."""
    points = label_points(shapes)
    frame = pd.DataFrame({"x": points.x, "y": points.y, "t": shapes.name_zh.to_numpy()})
    return alt.Chart(frame).mark_text(
        fontSize=10, color="#111", stroke="#ffffff", strokeWidth=2.5, strokeOpacity=0.8
    ).encode(longitude="x:Q", latitude="y:Q", text="t:N") + alt.Chart(frame).mark_text(
        fontSize=10, color="#111"
    ).encode(longitude="x:Q", latitude="y:Q", text="t:N")


def static_maps() -> Html:
    """Draw printable choropleths of population, change and density, one drawing each.

    Three drawings rather than one wide one, so that a phone shows them one under the other
    at a readable size.
    """
    shapes = static_shapes()
    layer = shapes.assign(县=shapes.name_zh)[["adcode", "县", "geometry"]]
    measures = [m for m in counties.MEASURES if m.id in STATIC_MEASURES]
    frames = {m.id: classes(m.id).set_index("adcode") for m in measures}
    for m in measures:
        layer[f"class_{m.id}"] = layer.adcode.map(frames[m.id].class_label)
        layer[f"text_{m.id}"] = layer.adcode.map(frames[m.id].text)
    panels, tables, sources = [], [], set()
    for measure in measures:
        frame = frames[measure.id]
        shape = (
            alt.Chart(layer[["县", f"class_{measure.id}", f"text_{measure.id}", "geometry"]])
            .mark_geoshape(stroke="#ffffff", strokeWidth=0.8)
            .encode(
                color=alt.Color(
                    f"class_{measure.id}:N",
                    title="分级",
                    scale=alt.Scale(
                        domain=[label for label, _ in frame.attrs["legend"]],
                        range=[color for _, color in frame.attrs["legend"]],
                    ),
                    legend=alt.Legend(
                        title=measure.unit, orient="bottom", columns=2, symbolType="square"
                    ),
                ),
                tooltip=[
                    alt.Tooltip("县:N"),
                    alt.Tooltip(f"text_{measure.id}:N", title=measure.label),
                ],
            )
        )
        panel = (
            alt.layer(shape, _names(shapes), _scale_and_north(shapes))
            .project(type="identity", reflectY=True)
            .properties(width=215, height=245, title=measure.label)
        )
        panels.append(panel)
        tables.append(
            frame.reset_index().assign(指标=measure.label, how=how_text(measure))[
                ["name_zh", "指标", "value", "unit", "how"]
            ]
        )
        sources |= {part for s in frame.source for part in s.split("；") if part}
    download = pd.concat(tables).rename(
        columns={"name_zh": "县（市、区）", "value": "数值", "unit": "单位", "how": "口径"}
    )
    return embed(
        panels,
        name="county-choropleths",
        title="分级设色图（适合打印）：常住人口、人口增长和人口密度",
        description="三幅台州九县（市、区）分级设色图：2020年常住人口、2010—2020年常住人口增长、"
        "2020年人口密度；灰色表示缺失。",
        sources=sorted(sources) or ["无"],
        data=download,
        note="分级方法：自然断点法，每幅图最多 4 级；灰色为缺失。"
        "人口密度按边界计算的面积推算，见下方面积表。各县数值见上方交互地图和下方表格。"
        + boundary_note(),
        interactive=False,
    )


def county_table() -> Html:
    """Render every county figure the maps use, one row per county."""
    values = counties.county_values()
    wide = values.pivot(index=["adcode", "name_zh"], columns="label", values="value")
    wide = wide[[m.label for m in counties.MEASURES]].reset_index()
    for m in counties.MEASURES:
        if m.how != "data":  # a derived value, rounded; a published figure keeps its digits
            wide[m.label] = wide[m.label].map(
                lambda v, i=m.id: None if pd.isna(v) else number(v, i, False)
            )
    telecom = telecom_texts()
    wide["公开的电信数字"] = wide.adcode.map(telecom)
    wide = wide.replace({np.nan: None}).rename(
        columns={"name_zh": "县（市、区）", "adcode": "行政区划代码"}
    )
    return table(
        wide,
        "九个县（市、区）的数字",
        numeric=[m.label for m in counties.MEASURES],
        note="人口单位为万人，增长为 %，密度为人/km²（本站推算）。"
        "“缺失”表示本站可查的公开材料中没有该数字。",
    )


AREA_COLUMNS = {
    "name_zh": "县（市、区）",
    "adcode": "行政区划代码",
    "area_km2": "按边界计算的面积（km²）",
    "official_km2": "官方土地面积（km²）",
    "official_source": "官方数字来源",
}


def areas_frame() -> pd.DataFrame:
    """The areas as shown: Chinese headers, 缺失 where no document gives the official area."""
    frame = counties.areas_table()[list(AREA_COLUMNS)]
    frame = frame.assign(official_source=frame.official_source.fillna(NO_DATA_LABEL))
    return frame.rename(columns=AREA_COLUMNS)


def areas_table() -> Html:
    """Render the computed areas beside the official ones."""
    return table(
        areas_frame(),
        "面积：按边界计算（等积投影）与官方公布的土地面积",
        numeric=["按边界计算的面积（km²）", "官方土地面积（km²）"],
        note="按边界计算的面积用等积投影求得；边界数据的陆地范围包括部分滩涂和围垦区，"
        "所以可能大于官方公布的土地面积。",
    )


def telecom_phrase(n: int) -> str:
    """Say how many of the nine counties have telecom figures, with no "只有 0 个"."""
    if n:
        return f"九个县（市、区）中，只有 {n} 个在本站可查的公开材料中有电信数字"
    return "九个县（市、区）在本站可查的公开材料中都没有电信数字"


def city_population_sentence(facts: dict) -> str:
    """Say where the city's census population comes from, and how it compares with the sum of
    its nine counties (within 0.1% counts as the same: bulletins round each figure)."""
    city, sums = facts["city_totals"], facts["county_sums"]
    if city is None:
        return "全市常住人口按九县之和计算"
    if any(math.isnan(sums[y]) for y in city):
        return "全市常住人口取自全市的普查数字（有的县缺少数字，无法与九县之和比较）"
    gaps = {y: city[y] / sums[y] - 1 for y in sorted(city)}
    apart = {y: g for y, g in gaps.items() if abs(g) > 0.001}
    if not apart:
        return "全市常住人口取自全市的普查数字，与九县之和一致"
    return "全市常住人口取自全市的普查数字，与九县之和相差" + "，".join(
        f"{y} 年 {g:+.1%}".replace("+", "多 ").replace("-", "少 ") for y, g in apart.items()
    )


def require_stated_facts(facts: dict) -> None:
    """Stop the build, naming the sentence, when the county facts no longer support the page.

    ``facts`` is :func:`analysis.model.counties.summary`; each judgement below is one the
    page states in words it cannot compute.
    """
    page = "县域地图"
    require(
        facts["coast_min_density"] > facts["hills_max_density"]
        and counties.round_bound(facts["coast_min_density"], above=False)
        >= counties.round_bound(facts["hills_max_density"], above=True),
        page,
        "沿海四县（市、区）的人口密度都高于山区三县",
    )
    require(
        set(facts["slowest"]) == {"路桥区", "温岭市", "玉环市"}, page, "路桥、温岭、玉环增长较慢"
    )
    require(facts["hills_min_change"] > facts["city_change"], page, "山区县都在增长")
