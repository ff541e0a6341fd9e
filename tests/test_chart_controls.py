"""Plain inputs for a chart's Vega controls, and chart data published as files."""

from __future__ import annotations

import json
import re
from html import unescape
from types import SimpleNamespace
from urllib.parse import quote

import altair as alt
import pandas as pd

from analysis.build import lean_pages
from analysis.render import charts
from analysis.render.chart_controls import static_controls


def controlled_chart() -> alt.Chart:
    k = alt.param(name="K", value=80.5, bind=alt.binding_range(min=10, max=120, step=1, name="K："))
    pick = alt.param(
        name="pick", value="乙", bind=alt.binding_select(options=["甲", "乙"], name="情景：")
    )
    frame = pd.DataFrame({"x": [1, 2], "y": [3, 4]})
    return alt.Chart(frame).mark_line().encode(x="x:Q", y="y:Q").add_params(k, pick)


def test_every_bound_signal_gets_a_plain_input_with_vegas_settings():
    spec = charts.to_vega(controlled_chart())
    html = static_controls(spec)
    slider = re.search(r"<input ([^>]*)>", html).group(1)
    assert 'type="range"' in slider and 'data-signal="K"' in slider
    assert 'min="10"' in slider and 'max="120"' in slider and 'step="1"' in slider
    assert 'value="80.5"' in slider
    assert '<span class="vega-bind-name">K：</span>' in html
    select = re.search(r'<select data-signal="pick">(.*?)</select>', html).group(1)
    assert re.findall(r">(.)</option>", select) == ["甲", "乙"]
    assert '<option value="乙" selected>' in select
    assert static_controls({"signals": [{"name": "a", "value": 1}]}) == ""


def embed_demo(**extra) -> str:
    """The demo chart as a page embeds it (``extra``: e.g. the controls' help text)."""
    return str(
        charts.embed(
            controlled_chart(),
            name="demo",
            title="标题",
            description="折线图",
            sources=["某文献"],
            data=pd.DataFrame({"x": [1]}),
            **extra,
        )
    )


def test_a_chart_with_controls_is_published_with_its_plain_inputs():
    html = embed_demo(controls="拖动滑块。")
    # order: drawing, spec (read by atlas-charts.js as the drawing's next sibling), inputs
    assert html.index('class="atlas-vega') < html.index("atlas-spec")
    assert html.index("atlas-spec") < html.index("atlas-static-controls")
    plain = embed_demo()
    assert "atlas-static-controls" not in plain


def test_specs_and_downloads_become_files_beside_the_page(tmp_path):
    spec = {"data": [{"name": "t", "values": [{"a": "<b>"}]}]}
    csv = "\ufeff地区,数值\n台州,1\n"
    body = (
        '<figure class="atlas-chart" id="chart-demo-0a1b2c3d" data-export-title="x">'
        '<div class="atlas-vega"><svg></svg></div>'
        f'<script type="application/json" class="atlas-spec">{charts.script_json(spec)}</script>'
        f'<a href="data:text/csv;charset=utf-8,{quote(csv)}" download="demo.csv">下载</a>'
        "</figure>"
    )
    context = {"body": body, "pathto": lambda rel, resource: "../" + rel, "css_files": []}
    app = SimpleNamespace(outdir=str(tmp_path))
    lean_pages.externalise(app, "book/page", "page.html", context, None)
    out = context["body"]
    assert "data:text/csv" not in out and '"values"' not in out
    src = re.search(r'class="atlas-spec" data-src="([^"]+)"></script>', out).group(1)
    assert src == "../_static/charts/book-page-chart-demo-0a1b2c3d.json"
    written = tmp_path / "_static" / "charts" / "book-page-chart-demo-0a1b2c3d.json"
    assert lean_pages.expand(json.loads(written.read_text(encoding="utf-8"))) == spec
    href = unescape(re.search(r'href="([^"]+)" download="demo.csv"', out).group(1))
    assert re.fullmatch(r"\.\./_static/downloads/book-page-[0-9a-f]{8}-demo\.csv", href)
    assert (tmp_path / "_static" / href.removeprefix("../_static/")).read_bytes() == csv.encode()


def test_a_spec_file_stores_its_rows_by_column_and_comes_back_whole():
    rows = [
        {"地区": "台州市" if i % 3 else "浙江省", "年份": 2000 + i, "数值": i * 1.5, "来源": None}
        for i in range(40)
    ]
    spec = {"data": [{"name": "d", "values": rows}, {"name": "s", "values": [{"a": 1}, {"b": 2}]}]}
    stored = lean_pages.compact(spec)
    columns = stored["data"][0]["atlasColumns"]["columns"]
    assert stored["data"][0]["values"] == [] and columns[0]["dict"] == ["浙江省", "台州市"]
    assert columns[1] == [r["年份"] for r in rows]  # all distinct: listed as they are
    assert stored["data"][1] == spec["data"][1]  # rows with other keys are left alone
    assert (
        len(json.dumps(stored, ensure_ascii=False)) < len(json.dumps(spec, ensure_ascii=False)) / 2
    )
    assert lean_pages.expand(stored) == spec
