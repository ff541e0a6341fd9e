"""Charts are compiled to Vega at build time and embedded with caption, source and data."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

import altair as alt
import pandas as pd

from analysis.chapters import infrastructure
from analysis.render import charts

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


def specs_of(html: str) -> list[dict]:
    return [
        json.loads(raw.replace("<\\/", "</"))
        for raw in re.findall(
            r'<script type="application/json" class="atlas-spec">(.*?)</script>', html
        )
    ]


def test_trend_chart_draws_every_published_figure_and_breaks_lines_at_gaps(real_data):
    frame = infrastructure.trend_frame()
    html = str(infrastructure.trend_chart())
    values = [row for spec in specs_of(html) for row in spec["data"][0]["values"]]
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


def test_rates_and_counts_are_not_drawn_on_one_linear_axis(real_data):
    rates, counts = specs_of(str(infrastructure.trend_chart()))
    rate_units = {row["单位"] for row in rates["data"][0]["values"]}
    count_units = {row["单位"] for row in counts["data"][0]["values"]}
    assert rate_units <= infrastructure.RATE_UNITS
    assert count_units and not count_units & infrastructure.RATE_UNITS
    y_types = {s["name"]: s["type"] for s in counts["scales"] if s["name"] == "y"}
    assert y_types == {"y": "log"}
    assert "对数刻度" in counts["title"]["subtitle"]
    assert {s["type"] for s in rates["scales"] if s["name"] == "y"} == {"linear"}


def test_the_trend_charts_name_the_chosen_indicator_in_title_and_axis(real_data):
    for spec in specs_of(str(infrastructure.trend_chart())):
        assert "indicator" in spec["title"]["text"]["signal"]
        titled = [a for a in spec["axes"] if a.get("orient") == "left" and "title" in a]
        assert titled and all(a["title"] == {"signal": "indicator"} for a in titled)


def test_a_legend_entry_without_a_figure_says_no_data(real_data):
    frame = infrastructure.trend_frame()
    expr = infrastructure.missing_label_expr(frame, ["台州市", "浙江省", "中国"], "indicator")
    # Taizhou has no 5G figure: its legend entry is marked for that indicator, not for mobile
    five_g = infrastructure.indicator_label("mobile_5g_users")
    mobile = infrastructure.indicator_label("mobile_per_100")
    assert five_g in expr and "（缺失）" in expr
    tz_missing = re.search(r"datum.label == \"台州市\" && indexof\((\[.*?\]),", expr).group(1)
    assert five_g in json.loads(tz_missing) and mobile not in json.loads(tz_missing)


def test_figures_carry_title_and_sources_for_saved_images():
    html = embedded()
    assert 'data-export-title="标题 &lt;b&gt;"' in html
    assert 'data-export-source="来源：来源甲；来源乙"' in html
    many = [f"文献{i}" for i in range(charts.MAX_INLINE_SOURCES + 2)]
    assert "等 6 份文献" in charts.export_source(many)


def test_legends_never_cut_labels_short():
    assert charts.theme_config()["legend"]["labelLimit"] == 0
