"""Tests for ``analysis.render.html``: escaped, accessible tables, cards and source notes."""

from __future__ import annotations

from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from analysis.render import html
from analysis.render.html import Html

MISSING = '<span class="atlas-missing">缺失</span>'


class TableParser(HTMLParser):
    """Collect a rendered table's caption, header cells, body cells and links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.caption = ""
        self.headers: list[tuple[dict, str]] = []
        self.rows: list[list[str]] = []
        self.cell_attrs: list[list[dict]] = []
        self.links: list[tuple[str, str]] = []
        self.stack: list[str] = []
        self.text = ""
        self.attrs: dict = {}
        self.href: str | None = None

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        attrs = dict(attrs)
        if tag in ("th", "td", "caption"):
            self.text, self.attrs = "", attrs
        if tag == "tr" and "tbody" in self.stack:
            self.rows.append([])
            self.cell_attrs.append([])
        if tag == "a":
            self.href, self.link_text = attrs.get("href"), ""

    def handle_endtag(self, tag):
        self.stack.pop()
        if tag == "caption":
            self.caption = self.text
        elif tag == "th":
            self.headers.append((self.attrs, self.text))
        elif tag == "td":
            self.rows[-1].append(self.text)
            self.cell_attrs[-1].append(self.attrs)
        elif tag == "a":
            self.links.append((self.href, self.link_text))

    def handle_data(self, data):
        self.text += data
        if "a" in self.stack:
            self.link_text += data


def parse(fragment: str) -> TableParser:
    parser = TableParser()
    parser.feed(fragment)
    parser.close()
    assert parser.stack == [], "unbalanced tags"
    return parser


# --- table() -----------------------------------------------------------------------------------


def test_table_returns_html_that_notebooks_render():
    out = html.table(pd.DataFrame({"a": [1]}), "标题")
    assert isinstance(out, Html)
    assert out._repr_html_() == str(out)


def test_table_escapes_cell_text():
    frame = pd.DataFrame({"名称": ["<script>alert('x')</script>", "A & B"], "值": ['"q"', "1<2"]})
    out = html.table(frame, "表")
    assert "<script>" not in out
    assert "&lt;script&gt;" in out
    assert "A &amp; B" in out
    assert "1&lt;2" in out
    rows = parse(out).rows
    assert rows == [["<script>alert('x')</script>", '"q"'], ["A & B", "1<2"]]


def test_table_escapes_caption_headers_and_note():
    frame = pd.DataFrame({"<b>col</b>": ["x"]})
    out = html.table(frame, "Caption <i>&</i>", note="note <u>")
    assert "<b>" not in out and "<i>" not in out and "<u>" not in out
    parsed = parse(out)
    assert parsed.caption == "Caption <i>&</i>"
    assert [text for _, text in parsed.headers] == ["<b>col</b>"]
    assert '<p class="atlas-table-note">note &lt;u&gt;</p>' in out


def test_table_marks_missing_values():
    frame = pd.DataFrame(
        {
            "text": ["a", None, "c"],
            "number": [1.5, np.nan, 3.0],
            "nullable": pd.array([1, pd.NA, 3], dtype="Int64"),
        }
    )
    out = html.table(frame, "缺失值")
    assert out.count(MISSING) == 3
    rows = parse(out).rows
    assert rows[1] == ["缺失", "缺失", "缺失"]
    assert rows[0] == ["a", "1.5", "1"]
    assert rows[2] == ["c", "3", "3"]


def test_table_does_not_mark_zero_or_empty_text_as_missing():
    out = html.table(pd.DataFrame({"n": [0.0], "t": [""]}), "零")
    assert MISSING not in out
    assert parse(out).rows == [["0", ""]]


def test_table_formats_floats_with_thousands_separators():
    out = html.table(pd.DataFrame({"v": [1234.5, 791.45]}), "数")
    assert parse(out).rows == [["1,234.5"], ["791.45"]]


def test_table_renders_links_from_a_link_column():
    frame = pd.DataFrame(
        {
            "文献": ["公报", "年鉴", "报道"],
            "url": ["https://example.org/a?x=1&y=2", None, ""],
            "年份": [2012, 2013, 2012],
        }
    )
    out = html.table(frame, "来源", links={"文献": "url"})
    parsed = parse(out)
    assert [text for _, text in parsed.headers] == ["文献", "年份"]  # the URL column is hidden
    assert parsed.links == [("https://example.org/a?x=1&y=2", "公报")]
    assert '<a href="https://example.org/a?x=1&amp;y=2">公报</a>' in out
    assert parsed.rows == [["公报", "2012"], ["年鉴", "2013"], ["报道", "2012"]]


def test_table_link_href_is_escaped():
    frame = pd.DataFrame({"t": ["x"], "u": ['https://e.org/"><script>']})
    out = html.table(frame, "c", links={"t": "u"})
    assert "<script>" not in out
    assert parse(out).links == [('https://e.org/"><script>', "x")]


def test_table_has_caption_and_column_headers():
    frame = pd.DataFrame({"指标": ["a", "b"], "数值": [1.0, 2.0], "单位": ["%", "%"]})
    out = html.table(frame, "台州 2011 年指标", numeric=["数值"])
    parsed = parse(out)
    assert parsed.caption == "台州 2011 年指标"
    assert out.index("<caption>") < out.index("<thead>")
    assert [(attrs, text) for attrs, text in parsed.headers] == [
        ({"scope": "col"}, "指标"),
        ({"scope": "col"}, "数值"),
        ({"scope": "col"}, "单位"),
    ]
    assert len(parsed.rows) == 2
    for attrs in parsed.cell_attrs:
        assert attrs == [{}, {"class": "num"}, {}]


def test_table_without_note_has_no_note_paragraph():
    assert "atlas-table-note" not in html.table(pd.DataFrame({"a": [1]}), "c")


# --- cards() and source_note() -----------------------------------------------------------------


def test_cards_escape_every_field():
    out = html.cards(
        [("<b>用户</b>", "1 < 2 万户", "来源 & 说明"), ("普及率", "58.61%", "<i>注</i>")]
    )
    assert isinstance(out, Html)
    assert out.count('class="atlas-card"') == 2
    assert "<b>" not in out and "<i>" not in out
    assert '<p class="atlas-card-label">&lt;b&gt;用户&lt;/b&gt;</p>' in out
    assert '<p class="atlas-card-value">1 &lt; 2 万户</p>' in out
    assert '<p class="atlas-card-note">来源 &amp; 说明</p>' in out
    assert out.index("用户") < out.index("普及率")


def test_cards_empty():
    assert html.cards([]) == '<div class="atlas-cards"></div>'


def test_source_note_deduplicates_citations_in_order():
    out = html.source_note(["B 公报（2013）", "A 年鉴", "B 公报（2013）", "A 年鉴", "C"])
    assert out == '<p class="atlas-source">来源：B 公报（2013）；A 年鉴；C</p>'


def test_source_note_escapes_and_adds_note():
    out = html.source_note(["<A>", "<A>"], note="x < y")
    assert out == '<p class="atlas-source">来源：&lt;A&gt;<br>说明：x &lt; y</p>'


@pytest.mark.parametrize("citations", [iter(["A", "A"]), ("A" for _ in range(2))])
def test_source_note_accepts_iterators(citations):
    assert html.source_note(citations) == '<p class="atlas-source">来源：A</p>'


def test_static_link():
    assert html.static_link("data/sources.csv") == "atlas-static:/data/sources.csv"


def test_a_long_text_cell_gets_a_wider_column():
    """On a phone a long source title in a narrow column made rows tall and mostly empty."""
    frame = pd.DataFrame({"来源": ["甲" * (html.LONG_CELL + 1), "短"], "数值": [1.0, 2.0]})
    out = str(html.table(frame, "表", numeric=["数值"]))
    assert f'<td class="long">{"甲" * (html.LONG_CELL + 1)}</td>' in out
    assert "<td>短</td>" in out and '<td class="num">' in out


def test_a_long_table_shows_its_first_rows_and_offers_every_row():
    from urllib.parse import unquote

    frame = pd.DataFrame({"年份": range(2100, 2000, -1), "数值": [float(i) for i in range(100)]})
    page = html.table(frame, "长表", numeric=["数值"], max_rows=30)
    assert page.count("<tr>") == 31  # the header and the first 30 rows
    assert "2100" in page and "2071" in page and ">2070<" not in page
    assert "表中列出前 30 行，共 100 行" in page
    uri = page.split('href="data:text/csv;charset=utf-8,')[1].split('"')[0]
    rows = unquote(uri).lstrip("\ufeff").splitlines()
    assert rows[0] == "年份,数值" and len(rows) == 101 and rows[-1] == "2001,99.0"
    short = html.table(frame.head(30), "短表", max_rows=30)
    assert "下载全部数据" not in short and short.count("<tr>") == 31
