"""The checkable parts of the style guide (docs/style-guide.md), on page sources and source notes.

Prose is the page text outside code cells and the front matter. Reader pages are every page but
the two written for analysts (methods, add-data).
"""

from __future__ import annotations

import re

import pytest

from analysis.core import data
from analysis.core.paths import BOOK_DIR

ANALYST_PAGES = {"methods", "add-data"}
READER_PAGES = sorted(p for p in BOOK_DIR.glob("*.md") if p.stem not in ANALYST_PAGES)
CODE_CELL = re.compile(r"```\{code-cell\}.*?```", re.S)
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
CHINESE_NUMERALS = "一二三四五六七八九十"


def prose(path) -> str:
    """Return a page's text without front matter and code cells."""
    text = FRONT_MATTER.sub("", path.read_text(encoding="utf-8"))
    return CODE_CELL.sub("", text)


def cells(path) -> list[str]:
    return CODE_CELL.findall(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", READER_PAGES, ids=lambda p: p.name)
def test_reader_pages_carry_no_file_names_commands_or_paths(path):
    text = re.sub(r"\{\w+\}`[^`]*`", "", prose(path))  # MyST roles ({glue}`key`) are not shown
    assert re.findall(r"`[^`]+`", text) == [], "inline code on a reader page"
    for pattern in (r"data/", r"\.csv\b", r"\.xlsx\b", r"\.json\b", r"\bmake \w", r"python -m"):
        assert not re.search(pattern, text), f"{path.name}: {pattern!r} on a reader page"


@pytest.mark.parametrize("path", READER_PAGES, ids=lambda p: p.name)
def test_not_found_is_said_as_not_found_here(path):
    text = prose(path)
    for phrase in ("没有公开发布", "无公开来源", "没有公开来源"):
        assert phrase not in text, f"{path.name}: say 在本站可查的材料中没有找到, not {phrase}"


def test_one_word_for_missing_outside_the_scorecard():
    # the scorecard's status 无数据 is renamed by the issue-14 status words; everywhere else a
    # missing figure is 缺失
    for path in READER_PAGES:
        if path.stem not in {"scorecard", "index"}:  # index lists the scorecard's statuses
            assert "无数据" not in prose(path), path.name
    for module in (
        "model/counties",
        "chapters/counties",
        "chapters/infrastructure",
        "model/gaps",
        "chapters/catalogue",
        "render/html",
    ):
        source = (BOOK_DIR.parent / "src" / "analysis" / f"{module}.py").read_text("utf-8")
        assert "无数据" not in source and "无公开来源" not in source, module


@pytest.mark.parametrize("path", READER_PAGES, ids=lambda p: p.name)
def test_signs_are_words_in_sentences(path):
    assert not re.search(r"(增长|减少|下降|变化)\s*[+\-−]\s*\d", prose(path)), path.name


@pytest.mark.parametrize("path", READER_PAGES, ids=lambda p: p.name)
def test_large_numbers_in_prose_have_thousands_separators(path):
    text = re.sub(r"\{\w+\}`[^`]*`", "", prose(path))  # MyST roles ({glue}`key`) are not shown
    text = re.sub(r"GB/T \d+-\d+", "", text)  # a standard's number is a name
    text = re.sub(r"\b33\d{4}\b", "", text)  # six-digit area codes are names too
    bare = re.findall(r"(?<![\d,.])\d{5,}(?![\d])", text)
    assert bare == [], f"{path.name}: write {bare} with thousands separators"


@pytest.mark.parametrize("path", READER_PAGES, ids=lambda p: p.name)
def test_table_counts_in_prose_match_the_page(path):
    text = prose(path)
    assert not re.search(f"以[上下][{CHINESE_NUMERALS}]+张表", text), path.name
    for numeral in re.findall(f"本页([{CHINESE_NUMERALS}])张表", text):
        shown = sum(len(re.findall(r"\w+_table\(", c)) for c in cells(path) if "remove-input" in c)
        assert CHINESE_NUMERALS.index(numeral) + 1 == shown, f"{path.name}: 本页{numeral}张表"


def balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"（": 1, "）": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


@pytest.mark.parametrize("path", READER_PAGES, ids=lambda p: p.name)
def test_brackets_close_in_every_paragraph(path):
    for paragraph in prose(path).split("\n\n"):
        assert balanced(paragraph), f"{path.name}: unbalanced （） in {paragraph[:60]!r}"


def test_brackets_close_in_every_reader_text_of_the_data(real_data):
    texts = [
        (f"sources {r.id} {col}", getattr(r, col))
        for r in data.table("sources").itertuples()
        for col in ("title", "publisher", "note_zh")
    ]
    texts += [
        (f"indicators {r.id} {col}", getattr(r, col))
        for r in data.table("indicators").itertuples()
        for col in ("name_zh", "definition_zh")
    ]
    assert [where for where, text in texts if not balanced(str(text))] == []


def test_sentences_say_the_direction_of_a_signed_rate_in_words():
    from analysis.chapters.infrastructure import growth_phrase

    assert growth_phrase("+9.1%") == "年均增长 9.1%"
    assert growth_phrase("-3.2%") == "年均减少 3.2%"
    assert growth_phrase("−3.2%") == "年均减少 3.2%"


@pytest.mark.parametrize(
    ("value", "above", "bound"),
    [
        (333.6, True, 350),
        (334.0, True, 350),
        (350.0, True, 400),
        (1203.4, False, 1200),
        (1200.0, False, 1150),
    ],
)
def test_cut_offs_lie_strictly_beyond_the_figures_they_summarise(value, above, bound):
    from analysis.model.counties import round_bound

    assert round_bound(value, above=above) == bound
    assert (bound > round(value)) if above else (bound < round(value))
