"""Sphinx extension that keeps the published site self-contained and light.

* Copies the vendored JavaScript (vega, vega-embed, Leaflet; see ``analysis.build.vendor``) into
  ``_static/vendor``. Pages that draw a chart or a map get a small loader
  (``atlas-lazy.js``) that fetches those libraries only when a chart or map comes near the
  viewport; other pages load none of them.
* Resolves ``atlas-static:`` links written by notebooks (downloads of data files) into paths
  relative to each page, and publishes every table of ``data/`` as UTF-8-with-BOM CSV under
  ``_static/data`` so that Excel on Chinese Windows opens it correctly.
* Drops MyST-NB's notebook-cell stylesheet (no page shows code cells) and gives the
  navigation's section captions the heading level their ARIA role requires.
* Fails the build if any page still refers to a script, style or image on another host.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from analysis.build.vendor import CHART_JS, MAP_CSS, MAP_JS, install_assets
from analysis.core.paths import data_dir
from analysis.core.validate import read_descriptor, resource_paths
from analysis.model import gaps

CHART_MARKER = '<figure class="atlas-chart"'
MAP_MARKER = '<figure class="atlas-map"'
STATIC_LINK = re.compile(r'(href|src)="atlas-static:/([^"]+)"')
MAP_SCRIPT = re.compile(
    r"<script>(\(window\.atlasMaps = window\.atlasMaps \|\| \[\]\)"
    r'\.push\(\{id: "(\w+)".*?)</script>',
    re.S,
)
THIRD_PARTY = re.compile(
    r'<(?:script|img|iframe|source)[^>]*\ssrc="(https?:)?//[^"]+"|<link[^>]*\shref="(https?:)?//[^"]+"'
)


def copy_vendor_assets(app: Sphinx) -> None:
    """Install the vendored scripts into the build's ``_static/vendor`` folder."""
    install_assets(Path(app.outdir) / "_static" / "vendor")


def publish_data_tables(app: Sphinx, exception: Exception | None) -> None:
    """Publish every file of the data package under ``_static/data``.

    CSV files get a UTF-8 byte-order mark so that Excel on Chinese Windows reads them as
    UTF-8; other files (GeoJSON, JSON) are copied as they are. The derived downloads of
    :mod:`analysis.model.gaps` (gap list, fill-in templates) are written beside them.
    """
    if exception is not None or app.builder.format != "html":
        return
    root = data_dir()
    target = Path(app.outdir) / "_static" / "data"
    target.mkdir(parents=True, exist_ok=True)
    (target / "datapackage.json").write_bytes((root / "datapackage.json").read_bytes())
    for resource in read_descriptor(root)["resources"]:
        for rel in resource_paths(resource):
            out = target / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            if rel.endswith(".csv"):
                text = (root / rel).read_text(encoding="utf-8")
                out.write_text(text, encoding="utf-8-sig", newline="")
            else:
                out.write_bytes((root / rel).read_bytes())
    gaps.write_downloads(target)


def add_page_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Add chart and map libraries to the pages that need them and resolve static links."""
    body = context.get("body", "")
    needs_charts, needs_maps = CHART_MARKER in body, MAP_MARKER in body
    if needs_charts or needs_maps:
        app.add_js_file("atlas-lazy.js", defer="defer")
    # the libraries themselves load only when a chart or map nears the viewport
    if "atlas-table-wrap" in body or "table-wrapper" in body:  # wide tables get a cue
        app.add_js_file("atlas-tables.js", defer="defer")
    if needs_charts:
        app.add_js_file("atlas-charts.js", defer="defer", **{"data-libs": " ".join(CHART_JS)})
    if needs_maps:
        externalise_map_scripts(app, pagename, context)
        app.add_js_file(
            "atlas-maps.js",
            defer="defer",
            **{"data-libs": " ".join(MAP_JS), "data-css": " ".join(MAP_CSS)},
        )
    if "atlas-static:/" in body:
        pathto = context["pathto"]
        context["body"] = STATIC_LINK.sub(
            lambda m: f'{m.group(1)}="{pathto("_static/" + m.group(2), 1)}"', body
        )
    # MyST-NB's 42 KB stylesheet styles code cells and their prompts; no page shows any
    context["css_files"] = [
        c for c in context.get("css_files", []) if "mystnb." not in str(getattr(c, "filename", c))
    ]
    nav = context.get("furo_navigation_tree")
    if nav:  # Sphinx writes toctree captions as role="heading" without the required level
        context["furo_navigation_tree"] = nav.replace(
            '<p class="caption" role="heading">',
            '<p class="caption" role="heading" aria-level="2">',
        )


def externalise_map_scripts(app: Sphinx, pagename: str, context: dict) -> None:
    """Move each map's script (geometry included) out of the page into ``_static/maps``.

    The page then stays light; ``atlas-maps.js`` fetches the script, after Leaflet, when the
    map comes near the viewport. The map element names its script in ``data-script``.
    """
    body = context["body"]
    for match in MAP_SCRIPT.finditer(body):
        script, map_id = match.group(1), match.group(2)
        rel = f"maps/{pagename.replace('/', '-')}-{map_id}.js"
        out = Path(app.outdir) / "_static" / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(script + "\n", encoding="utf-8")
        href = context["pathto"]("_static/" + rel, 1)
        body = body.replace(match.group(0), "").replace(
            f'id="{map_id}"', f'id="{map_id}" data-script="{href}"', 1
        )
    context["body"] = body


def check_no_third_party(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    """Raise if a page body loads anything from another host (the theme is checked by tests)."""
    match = THIRD_PARTY.search(context.get("body", ""))
    if match:
        raise ExtensionError(
            f"page {pagename} loads a third-party resource: {match.group(0)[:160]}"
        )


def setup(app: Sphinx) -> dict:
    """Register the extension's event handlers."""
    app.connect("builder-inited", copy_vendor_assets)
    app.connect("html-page-context", add_page_assets, priority=900)  # after the theme
    app.connect("html-page-context", check_no_third_party)
    app.connect("build-finished", publish_data_tables)
    app.add_css_file("atlas.css")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
