"""The Sphinx extension adds chart/map libraries only where needed and keeps pages offline."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sphinx.errors import ExtensionError

from analysis.build import sphinxext


class FakeApp:
    def __init__(self, outdir=None):
        self.js, self.css, self.attrs = [], [], {}
        self.outdir = outdir
        self.builder = SimpleNamespace(format="html")

    def add_js_file(self, name, **kwargs):
        self.js.append(name)
        self.attrs[name] = kwargs

    def add_css_file(self, name, **kwargs):
        self.css.append(name)


def context(body: str) -> dict:
    return {
        "body": body,
        "pathto": lambda target, resource: "../" + target,
        "furo_navigation_tree": '<p class="caption" role="heading"><span>起点</span></p>',
    }


def test_text_page_gets_no_chart_or_map_library():
    app, ctx = FakeApp(), context("<p>正文</p>")
    sphinxext.add_page_assets(app, "book/index", "page.html", ctx, None)
    assert app.js == [] and app.css == []


def test_navigation_captions_get_a_heading_level():
    ctx = context("<p>正文</p>")
    sphinxext.add_page_assets(FakeApp(), "book/index", "page.html", ctx, None)
    assert 'role="heading" aria-level="2"' in ctx["furo_navigation_tree"]


def test_chart_and_map_pages_get_their_libraries():
    app = FakeApp()
    body = '<figure class="atlas-chart">x</figure><figure class="atlas-map">y</figure>'
    sphinxext.add_page_assets(app, "p", "page.html", context(body), None)
    assert app.js == ["atlas-lazy.js", "atlas-charts.js", "atlas-maps.js"]
    assert (
        app.attrs["atlas-charts.js"]["data-libs"] == "vendor/vega.min.js vendor/vega-embed.min.js"
    )
    assert app.attrs["atlas-maps.js"]["data-libs"] == "vendor/leaflet.js"
    assert app.attrs["atlas-maps.js"]["data-css"] == "vendor/leaflet.css"
    assert app.css == []  # Leaflet's CSS is loaded with the map, not in the page head


def test_static_links_are_made_page_relative():
    ctx = context('<a href="atlas-static:/data/sources.csv">下载</a>')
    sphinxext.add_page_assets(FakeApp(), "book/catalogue", "page.html", ctx, None)
    assert '<a href="../_static/data/sources.csv">' in ctx["body"]


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="https://cdn.example.org/vega.js"></script>',
        '<link rel="stylesheet" href="//fonts.example.org/a.css">',
        '<img alt="" src="http://tiles.example.org/1/2/3.png">',
    ],
)
def test_third_party_resource_stops_the_build(snippet):
    with pytest.raises(ExtensionError, match="third-party"):
        sphinxext.check_no_third_party(FakeApp(), "p", "page.html", context(snippet), None)


def test_links_to_other_sites_are_allowed():
    body = '<a href="https://www.stats.gov.cn/">国家统计局</a>'
    sphinxext.check_no_third_party(FakeApp(), "p", "page.html", context(body), None)


def test_data_tables_are_published_with_bom(tmp_path):
    app = FakeApp(outdir=tmp_path)
    sphinxext.publish_data_tables(app, None)
    raw = (tmp_path / "_static" / "data" / "sources.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,title")
    assert (tmp_path / "_static" / "data" / "datapackage.json").exists()
    assert (tmp_path / "_static" / "data" / "geo" / "taizhou_counties.geojson").exists()


def test_map_scripts_move_out_of_the_page(tmp_path, real_data):
    from analysis.chapters import counties as county_maps

    app = FakeApp(outdir=tmp_path)
    ctx = context(str(county_maps.interactive_map()))
    sphinxext.add_page_assets(app, "book/counties", "page.html", ctx, None)
    assert "window.atlasMaps" not in ctx["body"]
    (script,) = (tmp_path / "_static" / "maps").glob("book-counties-*.js")
    assert script.read_text().startswith("(window.atlasMaps")
    assert f'data-script="../_static/maps/{script.name}"' in ctx["body"]
