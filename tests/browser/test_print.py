"""A page printed from the browser is clean A4: no navigation, no controls, tables whole."""

from __future__ import annotations

import pytest

A4_CONTENT_PX = 688  # (210 mm - 2 x 14 mm margins) at 96 px per inch

HIDDEN = [".sidebar-drawer", ".toc-drawer", ".mobile-header", ".related-pages", ".vega-bindings"]
CHECK_JS = """(hidden) => {
  const shown = (el) => el.offsetParent !== null || getComputedStyle(el).position === 'fixed'
    && getComputedStyle(el).display !== 'none';
  const visible = hidden.filter((s) => Array.from(document.querySelectorAll(s)).some(shown));
  const wide = Array.from(document.querySelectorAll('table')).filter(
    (t) => t.getBoundingClientRect().right > document.documentElement.clientWidth + 1
  ).map((t) => (t.querySelector('caption') || t).textContent.slice(0, 40));
  return {visible, wide};
}"""


@pytest.mark.parametrize("printed_page", ["book/scorecard.html", "book/infrastructure.html"])
def test_printed_page_has_no_navigation_no_controls_and_whole_tables(site, browser, printed_page):
    context = browser.new_context(viewport={"width": A4_CONTENT_PX, "height": 1000})
    try:
        page = context.new_page()
        page.goto(site.base_url + printed_page, wait_until="networkidle")
        page.emulate_media(media="print")
        result = page.evaluate(CHECK_JS, HIDDEN)
    finally:
        context.close()
    assert not result["visible"], f"shown in print: {result['visible']}"
    assert not result["wide"], f"tables cut at the A4 edge: {result['wide']}"
