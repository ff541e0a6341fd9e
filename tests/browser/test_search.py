"""Chinese search: the index holds Chinese words (jieba) and the search page finds the pages.

Sphinx splits Chinese text into words only when jieba is installed; without it the index
holds no Chinese word and every Chinese query returns nothing.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest

# query -> pages that must be among the results
EXPECTED = {
    "宽带": {"book/infrastructure.html", "book/scenarios.html"},
    "移动电话": {"book/infrastructure.html", "book/index.html"},
    "光纤": {"book/infrastructure.html"},
    "普及率": {"book/infrastructure.html"},
    "椒江": {"book/counties.html"},
    "评估": {"book/scorecard.html"},
}
HAN = re.compile("[\u4e00-\u9fff]")


def _index(root) -> dict:
    text = (root / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


def test_search_index_holds_chinese_words(site):
    index = _index(site.root)
    words = set(index["terms"]) | set(index["titleterms"])
    chinese = {w for w in words if HAN.search(w)}
    assert len(chinese) > 500, f"only {len(chinese)} Chinese words in searchindex.js"
    missing = [w for w in EXPECTED if w not in words]
    assert not missing, f"not in searchindex.js: {missing}"


@pytest.mark.parametrize("query", list(EXPECTED))
def test_search_finds_the_pages(site, browser, query):
    page = browser.new_page()
    try:
        page.goto(f"{site.base_url}search.html?q={quote(query)}", wait_until="networkidle")
        page.wait_for_function(
            "() => document.querySelector('#search-results p.search-summary')"
            " && !/搜索中|Searching/.test(document.querySelector('#search-results').innerText)",
            timeout=20_000,
        )
        hrefs = page.eval_on_selector_all(
            "#search-results ul.search li a", "els => els.map(a => a.getAttribute('href'))"
        )
    finally:
        page.close()
    found = {h.split("?")[0].split("#")[0] for h in hrefs}
    assert EXPECTED[query] <= found, f"{query}: expected {EXPECTED[query]}, found {sorted(found)}"
