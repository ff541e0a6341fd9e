"""Every built page reads in Chinese: no stray Latin-script word, no snake_case id.

Each page is loaded in Chromium, its charts and maps are drawn (as in ``test_site.py``), and the
text of every rendered text node is collected from the page and from its frames (the maps),
chart text included (Vega draws axis titles, labels and legends as SVG text). Text inside code
blocks and inline code on the analysts' pages (methods, add-data) is what they type and is not
scanned. Words are checked by :func:`atlas_dev.visible_text.findings` against a short allow-list.
A failure lists, per page, each word with the text it was found in.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
from test_site import CHART_TIMER_JS, CHART_WAIT_S, NAV_TIMEOUT_MS, _wait_for_drawing

from atlas_dev.visible_text import bare_numbers, findings

# pages written for analysts: their code and inline code are commands, paths and column names
ANALYST_PAGES = {"book/methods.html", "book/add-data.html"}

# Collect rendered text nodes: (text, in_code) for every node whose element has a box.
TEXT_JS = """
() => {
  const out = [];
  const walker = document.createTreeWalker(document.body || document, NodeFilter.SHOW_TEXT);
  const skip = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE']);
  let node;
  while ((node = walker.nextNode())) {
    const text = node.nodeValue.replace(/\\s+/g, ' ').trim();
    const el = node.parentElement;
    if (!text || !el || skip.has(el.tagName)) continue;
    if (el.closest('[hidden], [aria-hidden="true"]:not(svg *)')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    if (!el.getClientRects().length) continue;
    out.push([text, !!el.closest('pre, code, kbd, samp')]);
  }
  return out;
}
"""


def page_text(site, browser, page_path: str) -> list[tuple[str, bool]]:
    """Load a page as a reader would, draw its charts and maps, return its rendered text."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if site.host in route.request.url
                else route.abort("blockedbyclient")
            ),
        )
        context.add_init_script(CHART_TIMER_JS)
        page = context.new_page()
        page.goto(site.base_url + page_path, wait_until="networkidle", timeout=NAV_TIMEOUT_MS)
        for figure in page.locator(".atlas-chart, .atlas-map").all():
            figure.scroll_into_view_if_needed()
            figure.hover()
            page.wait_for_timeout(50)
        _wait_for_drawing(page, time.monotonic() + CHART_WAIT_S)
        texts = []
        for frame in page.frames:
            if not frame.is_detached():
                texts += [tuple(t) for t in frame.evaluate(TEXT_JS)]
        return texts
    finally:
        context.close()


def test_visible_text_is_chinese(site, browser, page_path: str):
    """No Latin-script word outside the allow-list, no snake_case id, no number of five or more
    digits without thousands separators (style guide) that a reader can see."""
    texts = page_text(site, browser, page_path)
    words: Counter[str] = Counter()
    where: dict[str, str] = {}
    for text, in_code in texts:
        if in_code and page_path in ANALYST_PAGES:
            continue
        for word in findings(text) + bare_numbers(text):
            words[word] += 1
            where.setdefault(word, text[:80])
    if words:
        listing = "\n".join(
            f"  {word!r} ×{n}  in: {where[word]!r}" for word, n in words.most_common()
        )
        pytest.fail(
            f"{page_path}: {sum(words.values())} Latin-script word(s), id(s) or unseparated "
            "number(s) a reader sees "
            f"({len(words)} distinct):\n{listing}",
            pytrace=False,
        )
