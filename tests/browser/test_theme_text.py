"""The theme speaks Chinese: no English words of Furo or Sphinx on any built page."""

from __future__ import annotations

import re

import pytest

# Words the theme writes in English unless translated (book/_locale) or replaced
# (book/_templates/page.html): shown on the page, read by screen readers or shown on hover.
ENGLISH = [
    "Skip to content",
    "Back to top",
    "On this page",
    "Toggle site navigation sidebar",
    "Toggle table of contents sidebar",
    "Toggle Light / Dark / Auto color theme",
    "<title>Contents</title>",
    "<title>Menu</title>",
    "<title>Expand</title>",
    "<title>Light mode</title>",
    "<title>Dark mode</title>",
    "Auto light/dark",
    'placeholder="Search"',
    "Made with",
]


def test_theme_words_are_chinese(site_pages):
    root, pages, _ = site_pages
    if not pages:
        pytest.fail("no built page: run make book", pytrace=False)
    found = {}
    for page in pages:
        html = (root / page).read_text(encoding="utf-8")
        hits = [word for word in ENGLISH if word in html]
        if hits:
            found[page] = hits
        assert "跳到正文" in html and "回到顶部" in html, page
        assert re.search(r'placeholder="搜索"', html), page
    assert not found, f"English theme words on built pages: {found}"
