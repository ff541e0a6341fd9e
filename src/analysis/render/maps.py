"""folium maps embedded in book pages with the vendored Leaflet, no tile server by default.

folium writes the Leaflet code; :func:`embed_map` takes only the map's own ``<div>``, style and
script out of folium's standalone page (whose CDN ``<script>`` tags are dropped) and queues the
script so that ``book/_static/atlas-maps.js`` runs it once the local Leaflet has loaded.
Element ids are made deterministic so a rebuild gives the same page.
"""

from __future__ import annotations

import json
import re
from html import escape

import folium
from branca.element import MacroElement
from jinja2 import Template

from analysis.core.layers import read_layer  # noqa: F401  (re-exported for the chapters)
from analysis.core.paths import data_dir
from analysis.render.html import Html

HIGHLIGHT = {"weight": 3, "fillOpacity": 0.7}


class MapControls(MacroElement):
    """Leaflet's zoom buttons titled in Chinese and its scale bar in metres and kilometres
    only (folium's own controls say "Zoom in" and also show miles)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
L.control.zoom({zoomInTitle: "放大", zoomOutTitle: "缩小"}).addTo({{ this._parent.get_name() }});
L.control.scale({imperial: false, position: "bottomleft"}).addTo({{ this._parent.get_name() }});
{% endmacro %}"""
    )

    def __init__(self):
        super().__init__()
        self._name = "MapControls"


def base_map(bounds: list[list[float]], tiles: str | None = None) -> folium.Map:
    """Return a folium map fitted to ``bounds``, metric scale, no tiles unless ``tiles``."""
    fmap = folium.Map(
        tiles=tiles, control_scale=False, zoom_control=False, zoom_snap=0.25, zoom_delta=0.5
    )
    fmap.add_child(MapControls())
    fmap.fit_bounds(bounds, padding=(8, 8))
    return fmap


def stable_ids(fmap: folium.Map, prefix: str) -> None:
    """Replace folium's random element ids with ids derived from ``prefix`` and position."""
    stack, n = [fmap], 0
    while stack:
        element = stack.pop(0)
        element._id = f"{prefix}_{n}"
        n += 1
        stack.extend(element._children.values())


def split_rendered(fmap: folium.Map) -> tuple[str, str, str]:
    """Return the map's (style, div, script) from folium's standalone HTML page."""
    page = fmap.get_root().render()
    map_id = fmap.get_name()
    style = re.search(r"<style>\s*#" + map_id + r"\s*\{.*?\}\s*</style>", page, re.S)
    div = re.search(r'<div class="folium-map" id="' + map_id + r'"\s*>\s*</div>', page)
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    if not (style and div and scripts):
        raise RuntimeError("folium output changed: cannot find the map's style, div or script")
    return style.group(0), div.group(0), scripts[-1]


NUMBER = re.compile(r"-?\d+\.\d+")
LIST_SPACE = re.compile(r"(?<=[\d\]]), (?=[-\d\[])")


def compact_numbers(script: str, decimals: int = 4) -> str:
    """Shorten coordinate lists in folium's script: ``decimals`` places, no spaces.

    Four decimals of a degree are about 10 m, finer than the boundaries' simplification
    tolerance (about 50 m), so the drawing does not change while the page gets lighter.
    """
    rounded = NUMBER.sub(
        lambda m: f"{float(m.group(0)):.{decimals}f}".rstrip("0").rstrip("."), script
    )
    return LIST_SPACE.sub(",", rounded)


def embed_map(
    fmap: folium.Map,
    *,
    name: str,
    title: str,
    description: str,
    height: int,
    caption_html: str,
    controls_html: str = "",
) -> Html:
    """Return the HTML figure for a folium map drawn with the site's own Leaflet.

    ``controls_html`` (a layer switch, legends) goes between the title and the map, so that
    no control covers the map.
    """
    stable_ids(fmap, f"map_{name.replace('-', '_')}")
    style, div, script = split_rendered(fmap)
    style = re.sub(r"height:\s*100(\.0)?%", f"height: {height}px", style)
    div = div.replace('class="folium-map"', 'class="folium-map atlas-leaflet"')
    div = div.replace("<div ", f'<div role="region" aria-label="{escape(description)}" ', 1)
    # no data string may end the script element or open an HTML comment inside it
    script = compact_numbers(script).replace("</", "<\\/").replace("<!--", "<\\!--")
    queued = (
        f'(window.atlasMaps = window.atlasMaps || []).push({{id: "{fmap.get_name()}", '
        f"draw: function () {{{script}}}}});"
    )
    return Html(
        f'<figure class="atlas-map"><p class="atlas-chart-title">{escape(title)}</p>'
        f"{controls_html}{style}{div}<script>{queued}</script>"
        f'<figcaption class="atlas-source">{caption_html}</figcaption></figure>'
    )


def boundary_note() -> str:
    """Return the (HTML-escaped) note on where the county boundaries come from."""
    meta = json.loads((data_dir() / "geo" / "derivation.json").read_text(encoding="utf-8"))
    version = escape(str(meta.get("source", {}).get("version", "")))
    return (
        f"边界来源：公开的行政区划数据集 {version} 版（源自高德地图行政区划数据，许可见方法页），"
        "经拓扑保持简化，仅供示意，不作为权威边界。无底图瓦片。"
    )
