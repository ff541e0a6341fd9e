"""Charts are compiled to Vega at build time and embedded with caption, source and data."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

import altair as alt
import pandas as pd

from analysis import charts, infrastructure

FRAME = pd.DataFrame({"年份": [2010, 2011], "数值": [1.5, 2.5]})


def simple_chart() -> alt.Chart:
    return alt.Chart(FRAME).mark_line().encode(x="年份:O", y="数值:Q")


def embedded(**overrides) -> str:
    args = dict(
        name="demo",
        title="标题 <b>",
        description="描述",
        sources=["来源甲", "来源甲", "来源乙"],
        data=FRAME,
        note="说明 & 注",
    )
    args.update(overrides)
    return str(charts.embed(simple_chart(), **args))


def spec_of(html: str) -> dict:
    raw = re.search(r'<script type="application/json" class="atlas-spec">(.*?)</script>', html)
    return json.loads(raw.group(1).replace("<\\/", "</"))


def test_a_long_source_list_folds_into_details_one_per_line():
    many = [f"文献{i} <x>" for i in range(charts.MAX_INLINE_SOURCES + 1)]
    html = embedded(sources=many)
    assert f"<summary>{len(many)} 份文献（展开）</summary>" in html
    assert html.count("<li>") == len(many) and "文献0 &lt;x&gt;" in html
    assert "<details" not in embedded(sources=many[: charts.MAX_INLINE_SOURCES])


def test_controls_add_a_hint_and_mark_the_chart_for_early_drawing():
    html = embedded(controls="用选择框切换 <指标>")
    assert '<p class="atlas-chart-hint">用选择框切换 &lt;指标&gt;</p>' in html
    assert 'class="atlas-vega atlas-vega-controls"' in html
    assert "atlas-vega-controls" not in embedded()


def test_a_static_chart_has_no_spec_and_is_not_picked_up_by_the_loader():
    html = embedded(interactive=False)
    assert "atlas-spec" not in html and "atlas-vega" not in html
    assert '<figure class="atlas-chart-static"' in html and "<svg " in html
    assert "下载图表数据（CSV）" in html


def test_spec_is_vega_not_vega_lite():
    spec = charts.to_vega(simple_chart())
    assert "/schema/vega/v" in spec["$schema"]
    assert "marks" in spec and "encoding" not in spec


def test_embed_escapes_text_and_deduplicates_sources():
    html = embedded()
    assert "标题 &lt;b&gt;" in html and "<b>" not in html.split("atlas-spec")[0]
    assert "来源：来源甲；来源乙" in html
    assert "说明 &amp; 注" in html
    assert spec_of(html)["description"] == "描述"


def test_embed_offers_the_charted_data_as_excel_friendly_csv():
    html = embedded()
    href = re.search(r'href="(data:text/csv;charset=utf-8,[^"]+)" download="demo.csv"', html)
    text = unquote(href.group(1).split(",", 1)[1])
    assert text.startswith("\ufeff")
    assert text.lstrip("\ufeff").splitlines() == ["年份,数值", "2010,1.5", "2011,2.5"]


def test_embed_is_deterministic_and_safe_inside_script():
    first, second = embedded(), embedded()
    assert first == second
    html = embedded(description="</script><script>alert(1)</script>")
    assert html.count("</script>") == 1  # only the spec's own closing tag


def test_trend_chart_draws_every_published_figure_and_breaks_lines_at_gaps(real_data):
    frame = infrastructure.trend_frame()
    html = str(infrastructure.trend_chart())
    values = spec_of(html)["data"][0]["values"]
    assert len(values) == len(frame)
    # the lines are grouped by run of consecutive years: a run never spans a missing year
    for (_area, _ind, _seg), grp in frame.groupby(["地区", "指标", "线段"]):
        years = sorted(grp["年份"])
        assert years == list(range(years[0], years[-1] + 1))
    assert 'class="atlas-vega atlas-vega-controls"' in html


def test_chart_is_drawn_without_script_as_labelled_svg():
    html = embedded(description="图 <描述>")
    svg = re.search(r'<div class="atlas-vega">(<svg .*?</svg>)</div>', html, re.S).group(1)
    assert 'role="img" aria-label="图 &lt;描述&gt;"' in svg
    assert "mark-line" in svg  # the line itself is drawn, not just axes
