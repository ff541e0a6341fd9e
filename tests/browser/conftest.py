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
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from atlas_dev import site as site_helpers
from atlas_dev.site import PageScan, chromium_path, launch_chromium, serve

REPO_ROOT = Path(__file__).resolve().parents[2]
SITE_DIR = Path(os.environ.get("ATLAS_SITE_DIR") or REPO_ROOT / "_build" / "html").resolve()
OUT_DIR = Path(os.environ.get("ATLAS_BROWSER_OUT") or REPO_ROOT / "_build").resolve()
SCREENSHOT_DIR = OUT_DIR / "screenshots"
REPORT_FILE = OUT_DIR / "browser-report.json"
REPORT_PARTS = OUT_DIR / "browser-report.d"  # one JSON per page, merged at session end
CHROMIUM = chromium_path()
AXE_JS = REPO_ROOT / "vendor" / "node_modules" / "axe-core" / "axe.min.js"
# Former local names, kept for anything that imports them from here.
CHROMIUM_ARGS = site_helpers.CHROMIUM_ARGS
NON_PAGE_DIRS = site_helpers.NON_PAGE_DIRS
_PageScan = PageScan
_QuietHandler = site_helpers.QuietHandler

# Pages not tested in the browser. Empty on purpose: Sphinx's genindex.html and
# search.html carry the same theme chrome as the content pages and showed no problem of
# their own on a Jupyter Book 1 build (search.html needs only the local searchindex.js),
# so they are tested like any other page.
EXCLUDED_PAGES: set[str] = set()

MISSING_SITE_MESSAGE = (
    "Built site not found at {site} (or it holds no .html page): run `make book` first, "
    "or point ATLAS_SITE_DIR at a built site."
)


@functools.cache
def scan_html(path: Path) -> PageScan:
    """Parse one HTML file once (cached) and return what :class:`PageScan` found."""
    return site_helpers.scan_page(path)


def redirect_target(path: Path) -> str | None:
    """Return the target URL if ``path`` is a pure meta-refresh redirect page, else None."""
    return scan_html(path).redirect_target


def discover_pages(site: Path) -> tuple[list[str], list[str]]:
    """Return (pages to test, pure redirect pages) as paths relative to ``site``."""
    return site_helpers.discover_pages(site, exclude=EXCLUDED_PAGES)


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
    with serve(SITE_DIR) as base_url:
        url = urlsplit(base_url)
        yield Site(SITE_DIR, base_url, url.hostname, url.port)


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
    with launch_chromium(CHROMIUM) as chromium:
        yield chromium


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
