"""The built pages show the numbers the analysis computes from data/, cell for cell.

Each table on a page is found by its caption and compared with the frame the analysis
returns, formatted by the same cell formatter; a chart's embedded data is compared with the
frame it was drawn from. A page that drifted from data/ (a stale cache, an edited table
left unbuilt) fails here.
"""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser

import pytest

from analysis.build import lean_pages
from analysis.chapters import catalogue
from analysis.chapters import infrastructure as infra
from analysis.chapters import scenarios as scenario_charts
from analysis.model import scenarios
from analysis.render.html import cell


class Tables(HTMLParser):
    """Collect every ``<table>`` as (caption, rows of cell texts) and every chart spec."""

    def __init__(self, folder=None) -> None:
        super().__init__(convert_charrefs=True)
        self.folder = folder  # the page's folder: a spec published as a file is read there
        self.tables: dict[str, list[list[str]]] = {}
        self.specs: list[dict] = []
        self._caption: str | None = None
        self._rows: list[list[str]] | None = None
        self._text: list[str] | None = None
        self._in_caption = False
        self._in_spec = False
        self._spec: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "table":
            self._rows, self._caption = [], ""
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._text = []
        elif tag == "script" and values.get("class") == "atlas-spec":
            self._in_spec, self._spec = True, []
            if values.get("data-src"):  # the spec is a file beside the page (lean_pages)
                self._spec = [(self.folder / values["data-src"]).read_text(encoding="utf-8")]

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._text is not None:
            self._rows[-1].append(re.sub(r"\s+", " ", "".join(self._text)).strip())
            self._text = None
        elif tag == "table" and self._rows is not None:
            self.tables[self._caption.strip()] = self._rows
            self._rows = None
        elif tag == "script" and self._in_spec:
            spec = json.loads("".join(self._spec).replace("<\\/", "</"))
            self.specs.append(lean_pages.expand(spec))
            self._in_spec = False

    def handle_data(self, data):
        if self._in_caption:
            self._caption += data
        elif self._text is not None:
            self._text.append(data)
        elif self._in_spec:
            self._spec.append(data)


def text_of(value) -> str:
    """The text a reader sees for a value: the site's cell formatter, tags removed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", cell(value)))).strip()


def parsed(site, page: str) -> Tables:
    path = site.root / page
    if not path.exists():
        pytest.fail(f"{page} is not built")
    scan = Tables(path.parent)
    scan.feed(path.read_text(encoding="utf-8"))
    return scan


def assert_table_equals(scan: Tables, caption: str, frame) -> None:
    assert caption in scan.tables, f"no table captioned {caption!r}; have {list(scan.tables)}"
    rows = scan.tables[caption]
    assert rows[0] == [str(c) for c in frame.columns]
    expected = [[text_of(v) for v in rec] for rec in frame.itertuples(index=False)]
    assert rows[1:] == expected


INFRA = "book/infrastructure.html"


@pytest.mark.parametrize(
    ("caption", "frame"),
    [
        ("2011年末的关键数字：台州与浙江、全国", lambda: infra.key_figures()),
        ("2011年台州的普及率：公布数与按两种人口口径的推算", lambda: infra.rates_on_both_bases()),
        ("2011年台州移动电话普及率在浙江、全国发展轨迹上的位置", lambda: infra.positions()),
        ("里程碑：各地区首次达到的年份（按公开年末数字）", lambda: infra.milestones()),
        ("从铜缆到光纤、从固定电话到手机：本站按公开用户数推算的比值", lambda: infra.ratios()),
        ("年均增长率（本站按首尾两个公开年份推算）", lambda: infra.growth()),
        (
            "县（市、区）的电信数字：公开来源中能找到的全部",
            lambda: infra.county_figures().drop(columns="rate", errors="ignore"),
        ),
        (
            "数据缺口：台州市及各县（市、区）",
            lambda: catalogue.coverage_frame(infra.taizhou_area_codes()),
        ),
    ],
)
def test_infrastructure_tables_equal_the_analysis(site, real_data, caption, frame):
    expected, scan = frame(), parsed(site, INFRA)
    if expected.empty:  # no county telecom figure (issue 16): a sentence says so, no empty table
        assert caption not in scan.tables
        return
    assert_table_equals(scan, caption, expected)


def test_catalogue_gaps_table_equals_the_analysis(site, real_data):
    scan = parsed(site, "book/catalogue.html")
    caption = "数据缺口：本站应有、但在可查材料中尚未找到的数字"
    assert_table_equals(scan, caption, catalogue.coverage_frame())


def test_trend_chart_data_equals_the_published_figures(site, real_data):
    scan = parsed(site, INFRA)
    frame = infra.trend_frame()
    specs = [
        s for s in scan.specs if s.get("description", "").startswith("折线图：台州市、浙江省和全国")
    ]
    assert len(specs) == 2  # rates on a linear axis, counts on a log axis
    values = [
        v for spec in specs for v in next(d["values"] for d in spec["data"] if d.get("values"))
    ]
    drawn = sorted((v["地区"], v["指标"], v["年份"], v["数值"]) for v in values)
    expected = sorted(
        (r["地区"], r["指标"], int(r["年份"]), float(r["数值"])) for _, r in frame.iterrows()
    )
    assert drawn == expected


def test_key_points_quote_the_study_figures(site, real_data):
    text = re.sub(r"<[^>]+>", "", (site.root / INFRA).read_text(encoding="utf-8"))
    for fig in infra.study_figures():
        if fig.indicator in ("fibre_village_rate", "broadband_household_rate", "mobile_per_100"):
            assert fig.formatted() in unescape(text), fig.indicator


SCEN = "book/scenarios.html"


@pytest.mark.parametrize(
    ("caption", "frame"),
    [
        (
            "回测：中国移动电话普及率，用 2011 年以前的数字作出的推算与此后公布的数字",
            lambda: scenario_charts.backtest_frame(),
        ),
        (
            "“宽带中国”固定宽带家庭普及率目标：台州在各情景下达到的年份",
            lambda: scenario_charts.targets_frame(),
        ),
        ("课题路线图（2015、2020 年）与公开数字", lambda: scenario_charts.roadmap_timeline()),
        (
            "移动电话普及率：用 2011 年以前数字与用全部数字拟合的对照",
            lambda: scenario_charts.forward_look(),
        ),
    ],
)
def test_scenario_tables_equal_the_analysis(site, real_data, caption, frame):
    assert_table_equals(parsed(site, SCEN), caption, frame())


def test_backtest_table_equals_the_model_to_its_shown_precision(site, real_data):
    caption = "回测：中国移动电话普及率，用 2011 年以前的数字作出的推算与此后公布的数字"
    rows = parsed(site, SCEN).tables[caption]
    model = scenarios.backtest("mobile_per_100")
    assert len(rows) - 1 == len(model)
    for shown, row in zip(rows[1:], model.itertuples(index=False), strict=True):
        assert float(shown[3]) == pytest.approx(row.projected, abs=0.05)
        assert float(shown[6]) == pytest.approx(row.ape, abs=0.05)


def test_scorecard_table_equals_the_scores(site, real_data):
    from analysis.chapters import scorecard as card
    from analysis.model import scorecard

    frame = card.scorecard_frame().drop(columns=["chart", "source_url"])
    caption = f"“智慧台州”评估表（台州数字截至 {scorecard.as_of()} 年）"
    assert_table_equals(parsed(site, "book/scorecard.html"), caption, frame)
