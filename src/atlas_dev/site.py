"""Helpers for working with the built site: find its pages, serve it, locate Chromium.

Shared by the browser tests (``tests/browser/conftest.py``) and the benchmark
(``bench/bench.py``), so both see the same pages, served the same way, in the same
browser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

from analysis.build.browser import (  # noqa: F401  (re-exported for the tests and the bench)
    CHROMIUM_ARGS,
    DEFAULT_CHROMIUM,
    QuietHandler,
    chromium_path,
    launch_chromium,
    serve,
)

# Build output folders that hold assets, not pages (``_static`` has two webpack template
# fragments named *.html that are not pages).
NON_PAGE_DIRS = frozenset({"_static", "_sources", "_images", "_downloads"})

# Elements whose text is not shown on the page.
_HIDDEN_TEXT_TAGS = frozenset({"script", "style", "title", "template"})
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\"\s>]+)", flags=re.IGNORECASE)


# --------------------------------------------------------------------------- pages


class PageScan(HTMLParser):
    """Collect element ids, ``<a name>`` anchors, a meta refresh and visible text."""

    def __init__(self) -> None:
        """Start with nothing found."""
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refresh: str | None = None
        self.has_text = False
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record ids, named anchors and ``<meta http-equiv=refresh>``."""
        values = {name.lower(): value or "" for name, value in attrs}
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.refresh = values.get("content", "")
        if tag in _HIDDEN_TEXT_TAGS:
            self._skip_depth += 1

    def handle_endtag(self, tag: str) -> None:
        """Leave a block whose text is not shown."""
        if tag in _HIDDEN_TEXT_TAGS and self._skip_depth:
            self._skip_depth -= 1

    def handle_data(self, data: str) -> None:
        """Note whether the page has any visible text."""
        if not self._skip_depth and data.strip():
            self.has_text = True

    @property
    def redirect_target(self) -> str | None:
        """The target URL if the page is a pure meta-refresh redirect (no visible text)."""
        if self.refresh is None or self.has_text:
            return None
        match = _REFRESH_URL.search(self.refresh)
        return match.group(1) if match else None


def scan_page(path: Path) -> PageScan:
    """Parse one HTML file and return what :class:`PageScan` found in it."""
    scan = PageScan()
    scan.feed(path.read_text(encoding="utf-8", errors="replace"))
    scan.close()
    return scan


def redirect_target(path: Path) -> str | None:
    """Return the target URL if ``path`` is a pure meta-refresh redirect page, else None."""
    return scan_page(path).redirect_target


def is_redirect_page(path: Path) -> bool:
    """Return True if ``path`` is a pure meta-refresh redirect page (no visible text)."""
    return redirect_target(path) is not None


def discover_pages(site: Path, exclude: Iterable[str] = ()) -> tuple[list[str], list[str]]:
    """Return (pages, pure redirect pages) under ``site`` as sorted relative paths.

    Every ``.html`` file counts except those in asset folders (:data:`NON_PAGE_DIRS`) and
    the relative paths in ``exclude``. A missing ``site`` folder gives two empty lists.
    """
    if not site.is_dir():
        return [], []
    excluded = set(exclude)
    pages: list[str] = []
    redirects: list[str] = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.split("/", 1)[0] in NON_PAGE_DIRS or rel in excluded:
            continue
        (redirects if is_redirect_page(path) else pages).append(rel)
    return pages, redirects


# --------------------------------------------------------------------------- serving
