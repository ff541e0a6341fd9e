"""Fixtures for the browser tests: a local server for the built site and one Chromium.

Environment:

* ``ATLAS_SITE_DIR``  -- built site to test (default ``<repo>/_build/html``).
* ``ATLAS_BROWSER_OUT`` -- where screenshots and ``browser-report.json`` go
  (default ``<repo>/_build``).
* ``ATLAS_CHROMIUM`` -- browser binary (default Debian's ``/usr/bin/chromium``).
* ``CI=true`` -- a missing browser fails the run instead of skipping it.

Every ``.html`` page under the site folder is found at collection time and becomes one
``test_page`` case (see :func:`pytest_generate_tests`).
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import threading
from dataclasses import dataclass
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SITE_DIR = Path(os.environ.get("ATLAS_SITE_DIR") or REPO_ROOT / "_build" / "html").resolve()
OUT_DIR = Path(os.environ.get("ATLAS_BROWSER_OUT") or REPO_ROOT / "_build").resolve()
SCREENSHOT_DIR = OUT_DIR / "screenshots"
REPORT_FILE = OUT_DIR / "browser-report.json"
REPORT_PARTS = OUT_DIR / "browser-report.d"  # one JSON per page, merged at session end
CHROMIUM = Path(os.environ.get("ATLAS_CHROMIUM") or "/usr/bin/chromium")
AXE_JS = REPO_ROOT / "vendor" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]

# Build output folders that hold assets, not pages.
NON_PAGE_DIRS = {"_static", "_sources", "_images", "_downloads"}
# Pages not tested in the browser. Empty on purpose: Sphinx's genindex.html and
# search.html carry the same theme chrome as the content pages and showed no problem of
# their own on a Jupyter Book 1 build (search.html needs only the local searchindex.js),
# so they are tested like any other page.
EXCLUDED_PAGES: set[str] = set()

MISSING_SITE_MESSAGE = (
    "Built site not found at {site} (or it holds no .html page): run `make book` first, "
    "or point ATLAS_SITE_DIR at a built site."
)


class _PageScan(HTMLParser):
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
        if tag in {"script", "style", "title", "template"}:
            self._skip_depth += 1

    def handle_endtag(self, tag: str) -> None:
        """Leave a script/style/title block."""
        if tag in {"script", "style", "title", "template"} and self._skip_depth:
            self._skip_depth -= 1

    def handle_data(self, data: str) -> None:
        """Note whether the page has any visible text."""
        if not self._skip_depth and data.strip():
            self.has_text = True


@functools.cache
def scan_html(path: Path) -> _PageScan:
    """Parse one HTML file once (cached) and return what :class:`_PageScan` found."""
    scan = _PageScan()
    scan.feed(path.read_text(encoding="utf-8", errors="replace"))
    scan.close()
    return scan


def redirect_target(path: Path) -> str | None:
    """Return the target URL if ``path`` is a pure meta-refresh redirect page, else None."""
    scan = scan_html(path)
    if scan.refresh is None or scan.has_text:
        return None
    match = re.search(r"url\s*=\s*['\"]?([^'\"\s>]+)", scan.refresh, flags=re.IGNORECASE)
    return match.group(1) if match else None


def discover_pages(site: Path) -> tuple[list[str], list[str]]:
    """Return (pages to test, pure redirect pages) as paths relative to ``site``."""
    if not site.is_dir():
        return [], []
    pages, redirects = [], []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.split("/", 1)[0] in NON_PAGE_DIRS or rel in EXCLUDED_PAGES:
            continue
        (redirects if redirect_target(path) else pages).append(rel)
    return pages, redirects


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize ``page_path`` over every page and ``redirect_page`` over redirects."""
    pages, redirects = discover_pages(SITE_DIR)
    if "page_path" in metafunc.fixturenames:
        metafunc.parametrize("page_path", pages)
    if "redirect_page" in metafunc.fixturenames:
        metafunc.parametrize("redirect_page", redirects)


def pytest_configure(config: pytest.Config) -> None:
    """Drop per-page report parts left by an earlier run (controller process only)."""
    if not hasattr(config, "workerinput"):
        shutil.rmtree(REPORT_PARTS, ignore_errors=True)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Merge the per-page report parts into ``browser-report.json``."""
    if hasattr(session.config, "workerinput") or not REPORT_PARTS.is_dir():
        return
    entries = [json.loads(p.read_text(encoding="utf-8")) for p in REPORT_PARTS.glob("*.json")]
    entries.sort(key=lambda entry: entry["page"])
    REPORT_FILE.parent.mkdir(parents=True, exist_ok=True)
    REPORT_FILE.write_text(json.dumps(entries, indent=2, ensure_ascii=False), encoding="utf-8")
    shutil.rmtree(REPORT_PARTS, ignore_errors=True)


def _save_report_entry(entry: dict) -> None:
    """Store one page's report entry (merged into browser-report.json at session end)."""
    REPORT_PARTS.mkdir(parents=True, exist_ok=True)
    name = entry["page"].replace("/", "__") + ".json"
    (REPORT_PARTS / name).write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")


class _QuietHandler(SimpleHTTPRequestHandler):
    """Static file handler without per-request logging and with a few extra MIME types."""

    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".geojson": "application/geo+json",
        ".topojson": "application/json",
        ".svg": "image/svg+xml",
        ".wasm": "application/wasm",
    }

    def log_message(self, format: str, *args: object) -> None:
        """Do not log requests."""


@dataclass(frozen=True)
class Site:
    """The served site: its folder on disk, its base URL (ending in ``/``) and helpers."""

    root: Path
    base_url: str
    host: str
    port: int

    def ids(self, path: Path) -> set[str]:
        """Return the element ids and ``<a name>`` anchors of an HTML file (cached)."""
        return scan_html(path).ids

    def redirect_target(self, path: Path) -> str | None:
        """Return the target of a pure meta-refresh redirect page, else None."""
        return redirect_target(path)


@pytest.fixture(scope="session")
def site() -> Site:
    """Serve the built site on 127.0.0.1 (free port) for the whole session."""
    if not SITE_DIR.is_dir():
        pytest.fail(MISSING_SITE_MESSAGE.format(site=SITE_DIR), pytrace=False)
    handler = functools.partial(_QuietHandler, directory=str(SITE_DIR))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="atlas-site", daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield Site(SITE_DIR, f"http://{host}:{port}/", host, port)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Launch Debian's Chromium once per session (skip if absent, fail if absent on CI)."""
    if not CHROMIUM.exists():
        message = (
            f"!!! BROWSER TESTS NOT RUN: {CHROMIUM} not found. Install Debian's chromium "
            f"(apt-get install chromium) or set ATLAS_CHROMIUM. !!!"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """Path of axe-core's browser build (installed by ``npm ci --prefix vendor``)."""
    if not AXE_JS.is_file():
        pytest.fail(
            f"{AXE_JS} is missing: run `npm ci --prefix vendor` (or `make book`).", pytrace=False
        )
    return AXE_JS


@pytest.fixture(scope="session")
def save_report_entry():
    """Return a function that stores one page's entry for ``browser-report.json``."""
    return _save_report_entry


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """Folder for the full-page screenshots (created on first use)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


@pytest.fixture(scope="session")
def site_pages() -> tuple[Path, list[str], list[str]]:
    """Return (site folder, pages tested, pure redirect pages) without serving anything."""
    pages, redirects = discover_pages(SITE_DIR)
    return SITE_DIR, pages, redirects
