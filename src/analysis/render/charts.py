"""Altair charts embedded offline, each with its title, source, notes and data download.

Charts are compiled from Vega-Lite to Vega at build time with ``vl-convert``, and also drawn
to a static SVG that is part of the page, so a reader sees the chart at once, without any
script. When the reader points at, taps or tabs into a chart, ``book/_static/atlas-charts.js``
loads the vendored Vega and vega-embed and redraws it from the JSON spec that follows it, with
tooltips and the export menu. Pages without charts load none of this.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from html import escape

import altair as alt
import pandas as pd
import vl_convert

from analysis.core.reference import CHINA, NAMES, TAIZHOU, ZHEJIANG
from analysis.render import fonts
from analysis.render.chart_controls import static_controls
from analysis.render.html import Html, csv_data_uri

MAX_INLINE_SOURCES = 4
# one colour per area in every chart, keyed by area code (names come from areas.csv)
AREA_COLORS = {TAIZHOU: "#0b5d7a", ZHEJIANG: "#d9822b", CHINA: "#6b6b6b"}


def area_colors_by_name() -> dict[str, str]:
    """The area colours keyed by the Chinese names the charts show."""
    return {NAMES[code]: color for code, color in AREA_COLORS.items()}


FONT = ", ".join(fonts.STACK) + ", sans-serif"  # measured with the pinned font (render.fonts)


def theme_config() -> dict:
    """Return the shared chart configuration: CJK fonts, readable sizes, no border."""
    return {
        "font": FONT,
        "view": {"stroke": None},
        "axis": {
            "labelFontSize": 12,
            "titleFontSize": 12,
            "labelColor": "#333",
            "titleColor": "#333",
            # Vega spaces text by font size; CJK lines are taller (ascent and descent of
            # Noto Sans CJK): the padding keeps labels, titles and legend rows apart
            "titlePadding": 10,
        },
        # legends wrap into columns rather than cut a label short with "…"
        "legend": {
            "labelFontSize": 12,
            "titleFontSize": 12,
            "labelLimit": 0,
            "rowPadding": 6,
            "titlePadding": 8,
        },
        "title": {"fontSize": 14, "anchor": "start", "color": "#222", "offset": 10},
    }


def to_vega(chart: alt.TopLevelMixin) -> dict:
    """Compile an Altair chart to a Vega spec (the form the site's browser code embeds)."""
    spec = chart.to_dict()
    spec.setdefault("config", {}).update(theme_config())
    vl_version = spec["$schema"].rsplit("/v", 1)[1].split(".json")[0]
    major, minor = vl_version.split(".")[:2]
    fonts.register()
    return vl_convert.vegalite_to_vega(spec, vl_version=f"{major}_{minor}")


PATH_DATA = re.compile(r'(?<= d=")[^"]*')
LONG_DECIMAL = re.compile(r"(\.\d)\d+")


def static_svg(spec: dict, description: str) -> str:
    """Draw a Vega spec to an inline SVG, labelled for screen readers.

    Path coordinates keep one decimal (a tenth of a pixel): maps' outlines otherwise carry
    a dozen digits per point.
    """
    fonts.register()
    svg = vl_convert.vega_to_svg(spec)
    svg = PATH_DATA.sub(lambda m: LONG_DECIMAL.sub(r"\1", m.group(0)), svg)
    label = f'role="img" aria-label="{escape(description)}" '
    return svg.replace("<svg ", f'<svg {label}preserveAspectRatio="xMinYMin meet" ', 1)


SCRIPT_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_json(value: object) -> str:
    """JSON safe inside a ``<script>`` element: ``<``, ``>``, ``&`` (and the two JavaScript line
    separators) are written as ``\\u003c``-style escapes, so no data string can end the element
    or open a comment (``<!--<script>``) that changes where the browser ends it.
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return re.sub("[<>&\u2028\u2029]", lambda m: SCRIPT_UNSAFE[m.group(0)], text)


def embed(
    chart: alt.TopLevelMixin | Sequence[alt.TopLevelMixin],
    *,
    name: str,
    title: str,
    description: str,
    sources: list[str],
    data: pd.DataFrame,
    note: str | None = None,
    controls: str | None = None,
    interactive: bool = True,
    patch: Callable[[dict], None] | None = None,
) -> Html:
    """Return the HTML figure for a chart: drawing, caption, sources, notes, CSV download.

    ``description`` is the text alternative read by screen readers; ``data`` is exactly the
    table the chart draws, offered as a download. ``controls`` (a sentence saying what the
    chart's inputs do) marks a chart with bound inputs (selectors, sliders): the browser draws
    it as soon as it nears the viewport, so the inputs are there without a first hover.
    ``interactive=False`` publishes the drawing alone (a print map, say): no spec, so the
    page never loads Vega for it; ``chart`` may then be a list of charts, drawn side by side
    when there is room and one under the other on a phone. ``patch`` edits the compiled Vega
    spec in place (for what Vega-Lite cannot say, such as an axis title bound to a control).

    The figure carries its title and sources (``data-export-*``), which
    ``book/_static/atlas-charts.js`` writes into the PNG and SVG a reader saves.
    """
    if not interactive and isinstance(chart, Sequence):
        return _embed_static_set(
            list(chart),
            name=name,
            title=title,
            description=description,
            sources=sources,
            data=data,
            note=note,
        )
    spec = to_vega(chart.properties(description=description))
    if patch is not None:
        patch(spec)
    spec_json = script_json(spec)
    digest = hashlib.sha1(spec_json.encode()).hexdigest()[:8]
    chart_id = f"chart-{name}-{digest}"
    unique = list(dict.fromkeys(sources))
    sources_text = "；".join(escape(s) for s in unique)
    if len(unique) > MAX_INLINE_SOURCES:  # a long list folds away, one document per line
        items = "".join(f"<li>{escape(s)}</li>" for s in unique)
        sources_text = (
            f'<details class="atlas-sources"><summary>{len(unique)} 份文献（展开）</summary>'
            f"<ul>{items}</ul></details>"
        )
    hint = f'<p class="atlas-chart-hint">{escape(controls)}</p>' if controls else ""
    vega_class = "atlas-vega atlas-vega-controls" if controls else "atlas-vega"
    if interactive:
        drawing = (
            f'<div class="{vega_class}">{static_svg(spec, description)}</div>'
            f'<script type="application/json" class="atlas-spec">{spec_json}</script>'
        )
        if controls:  # usable before Vega loads (analysis.render.chart_controls)
            drawing += static_controls(spec)
    else:
        drawing = f'<div class="atlas-svg">{static_svg(spec, description)}</div>'
    return _figure(
        "atlas-chart" if interactive else "atlas-chart-static",
        chart_id,
        name,
        title,
        hint + drawing,
        sources_text,
        note,
        data,
        unique,
    )


def export_source(sources: list[str]) -> str:
    """Return the source line written into a saved chart image (a long list is shortened)."""
    if len(sources) <= MAX_INLINE_SOURCES:
        return "来源：" + "；".join(sources)
    return f"来源：{'；'.join(sources[:2])} 等 {len(sources)} 份文献（全部列在网页图下）"


def _figure(
    kind: str,
    chart_id: str,
    name: str,
    title: str,
    drawing: str,
    sources_text: str,
    note: str | None,
    data: pd.DataFrame,
    sources: list[str],
) -> Html:
    note_html = f"<br>说明：{escape(note)}" if note else ""
    return Html(
        f'<figure class="{kind}" id="{chart_id}" data-export-title="{escape(title)}" '
        f'data-export-source="{escape(export_source(sources))}" '
        f'data-export-name="{escape(name)}">'
        f'<p class="atlas-chart-title">{escape(title)}</p>{drawing}'
        f'<figcaption class="atlas-source">来源：{sources_text}{note_html}<br>'
        f'<a href="{csv_data_uri(data)}" download="{escape(name)}.csv">下载图表数据（CSV）</a>'
        "</figcaption></figure>"
    )


def _embed_static_set(
    charts: list[alt.TopLevelMixin],
    *,
    name: str,
    title: str,
    description: str,
    sources: list[str],
    data: pd.DataFrame,
    note: str | None,
) -> Html:
    """A figure of several static drawings (see :func:`embed`), each labelled by its title."""
    svgs = []
    for chart in charts:
        spec = to_vega(chart.properties(description=description))
        part = spec.get("title", {}).get("text", "") if isinstance(spec.get("title"), dict) else ""
        svgs.append(static_svg(spec, f"{description}（{part}）" if part else description))
    digest = hashlib.sha1("".join(svgs).encode()).hexdigest()[:8]
    unique = list(dict.fromkeys(sources))
    return _figure(
        "atlas-chart-static",
        f"chart-{name}-{digest}",
        name,
        title,
        '<div class="atlas-svg atlas-svg-set">' + "".join(svgs) + "</div>",
        "；".join(escape(s) for s in unique),
        note,
        data,
        unique,
    )
