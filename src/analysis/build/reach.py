"""Sphinx extension for reaching readers: Chinese search, editions, the printed edition.

* Search: Sphinx splits Chinese text into words with ``jieba`` (pinned in the requirements);
  :data:`SEARCH_WORDS` adds the site's own words (county names, indicator terms) to jieba's
  dictionary so that they are indexed whole.
* Editions: every page's footer shows the date the content last changed (not the build
  clock) and the data version (:mod:`analysis.build.edition`), and links to the printed edition.
* Print: ``atlas-print.css`` makes any page print as clean A4 (no navigation, no controls);
  ``atlas-state.js`` keeps a chart's or map's view in the address.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from analysis.build import edition

SEARCH_WORDS = Path(__file__).with_name("search_words.txt")
PDF_NAME = "smart-taizhou-atlas.pdf"  # under _static; built by ``make pdf`` (analysis.build.pdf)
PDF_DOWNLOAD_NAME = "智慧台州·政策分析.pdf"


def set_search_words(app: Sphinx, config: Config) -> None:
    """Point Sphinx's Chinese search at the project's word list (an absolute path)."""
    options = dict(config.html_search_options or {})
    options.setdefault("dict", str(SEARCH_WORDS))
    config.html_search_options = options


def edition_context(app: Sphinx) -> None:
    """Compute the content date and data version once per build."""
    version = edition.data_version()
    app.atlas_edition = {
        "content_date": edition.content_date(),
        "data_version": version.label(),
        "data_date": version.date,
    }


def add_edition(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Give the footer the content date, the data version and the printed edition's link."""
    info = getattr(app, "atlas_edition", None) or {}
    if info:
        context["last_updated"] = info["content_date"]
        context["atlas_data_version"] = info["data_version"]
    context["atlas_pdf"] = context["pathto"]("_static/" + PDF_NAME, 1)
    context["atlas_pdf_name"] = PDF_DOWNLOAD_NAME


def setup(app: Sphinx) -> dict:
    """Register the extension's event handlers and assets."""
    app.connect("config-inited", set_search_words)
    app.connect("builder-inited", edition_context)
    app.connect("html-page-context", add_edition)
    app.add_css_file("atlas-print.css", media="print")
    app.add_js_file("atlas-state.js", defer="defer")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
