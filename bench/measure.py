"""Measure a built site in Chromium: page weight (on load, everything fetched), chart times.

Also the site's size on disk, and the static server used for every measurement: plain, or
sending text gzip-compressed as most static hosts do.
"""

from __future__ import annotations

import functools
import gzip
import shutil
import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from common import CHROMIUM, BenchError

from atlas_dev import site as site_helpers
from atlas_dev.site import QuietHandler

NAV_TIMEOUT_MS = 60_000
CHART_TIMEOUT_MS = 15_000
CHART_RUNS = 5
TOP_RESOURCES = 5
# Served gzip-compressed by the gzip server (fonts and images are compressed already).
COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".geojson", ".svg", ".txt", ".map"}

# data-drawn="true" (set by book/_static/atlas-charts.js once vega-embed has drawn it).
CHART_TIMER_JS = """
window.__benchDrawnAt = null;
new MutationObserver((records) => {
  for (const record of records) {
    if (record.target.getAttribute('data-drawn') === 'true') {
      window.__benchDrawnAt = performance.now();
    }
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-drawn']});
"""

# Truthy (ms since navigation start) once every `.atlas-vega` element is drawn.
ALL_CHARTS_DRAWN_JS = """
() => {
  const charts = Array.from(document.querySelectorAll('.atlas-vega'));
  if (!charts.length || charts.some((el) => el.getAttribute('data-drawn') !== 'true')) {
    return false;
  }
  return window.__benchDrawnAt ?? performance.now();
}
"""

PAGE_FACTS_JS = """
() => {
  const nav = performance.getEntriesByType('navigation')[0];
  return {
    atlasCharts: document.querySelectorAll('.atlas-chart').length,
    atlasVega: document.querySelectorAll('.atlas-vega').length,
    domContentLoadedMs: nav ? nav.domContentLoadedEventEnd : null,
    loadMs: nav ? nav.loadEventEnd : null,
  };
}
"""


# What a reader can make a figure fetch: point at every chart and map (Vega, Leaflet, map
# geometry) and touch the first control of a chart with controls (sliders, selectors).
TOUCH_EVERYTHING_JS = """
() => document.querySelectorAll('.atlas-static-controls input, .atlas-static-controls select')
  .forEach((el) => el.dispatchEvent(new Event('focusin', {bubbles: true})))
"""


# --------------------------------------------------------------------------- site


def site_size(site: Path) -> dict[str, Any]:
    """Sum the bytes of every file of the site, without ``_sources/``, and by top folder."""
    total = without_sources = 0
    by_top: dict[str, int] = {}
    files: list[tuple[int, str]] = []
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        rel = path.relative_to(site).as_posix()
        top = rel.split("/", 1)[0] + "/" if "/" in rel else "(root files)"
        total += size
        if top != "_sources/":
            without_sources += size
        by_top[top] = by_top.get(top, 0) + size
        files.append((size, rel))
    files.sort(reverse=True)
    return {
        "bytes": total,
        "bytes_without_sources": without_sources,
        "has_sources": (site / "_sources").is_dir(),
        "files": len(files),
        "by_top_folder": dict(sorted(by_top.items(), key=lambda item: -item[1])),
        "largest_files": [{"path": rel, "bytes": size} for size, rel in files[:10]],
    }


def snapshot_site(site: Path, into: Path) -> Path:
    """Copy the built site so a rebuild by someone else cannot change it mid-benchmark."""
    target = into / "html"
    shutil.copytree(site, target)
    return target


@functools.lru_cache(maxsize=512)
def _gzipped(path: str, mtime_ns: int) -> bytes:
    """Return the gzip-compressed bytes of a file (cached per path and modification time)."""
    return gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=mtime_ns // 10**9)


class GzipHandler(QuietHandler):
    """Like most static hosts: send text files gzip-compressed to clients that accept it."""

    def do_GET(self) -> None:
        """Send a compressible file gzipped, anything else as the plain handler does."""
        path = Path(self.translate_path(self.path))
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not accepts or not path.is_file() or path.suffix.lower() not in COMPRESSIBLE:
            super().do_GET()
            return
        body = _gzipped(str(path), path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)


# --------------------------------------------------------------------------- browser


@contextmanager
def launch_chromium() -> Iterator[Any]:
    """Launch Debian's Chromium headless through Playwright; yield the browser."""
    if not CHROMIUM.exists():
        raise BenchError(f"{CHROMIUM} not found: apt-get install chromium (or set ATLAS_CHROMIUM)")
    try:
        import playwright.sync_api  # noqa: F401  (report a missing Playwright as BenchError)
    except ImportError as exc:
        raise BenchError(f"playwright is not installed in this Python: {exc}") from exc
    with site_helpers.launch_chromium(CHROMIUM) as browser:
        yield browser


def short_url(url: str, base_url: str) -> str:
    """Return ``url`` relative to the served site, or unchanged if it is elsewhere."""
    return url[len(base_url) :] if url.startswith(base_url) else url


def measure_page_weight(browser: Any, base_url: str, page_path: str) -> dict[str, Any]:
    """Load one page in a fresh context until network idle; sum the bodies of all responses."""
    context = browser.new_context()
    responses: list[Any] = []
    failed: list[str] = []
    try:
        page = context.new_page()
        page.on("response", lambda response: responses.append(response))
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.goto(base_url + page_path, wait_until="networkidle", timeout=NAV_TIMEOUT_MS)
        initial = len(responses)
        # then everything a reader can trigger: scroll to every figure and point at it, so
        # maps fetch Leaflet and their geometry and charts fetch Vega
        for figure in page.locator(".atlas-chart, .atlas-map").all():
            figure.scroll_into_view_if_needed()
            figure.hover()
        page.evaluate(TOUCH_EVERYTHING_JS)
        page.wait_for_load_state("networkidle", timeout=NAV_TIMEOUT_MS)
        page.wait_for_timeout(500)
        facts = page.evaluate(PAGE_FACTS_JS)
        resources = []
        for response in responses:
            try:
                size = len(response.body())
                encoded = response.request.sizes()["responseBodySize"]
            except Exception:  # redirects and bodiless responses have no body to read
                size = encoded = 0
            resources.append(
                {
                    "url": short_url(response.url, base_url),
                    "type": response.request.resource_type,
                    "status": response.status,
                    "bytes": size,
                    "encoded_bytes": encoded,
                }
            )
    finally:
        context.close()
    initial_bytes = sum(item["bytes"] for item in resources[:initial])
    resources.sort(key=lambda item: -item["bytes"])
    return {
        "page": page_path,
        "initial_bytes": initial_bytes,
        "bytes": sum(item["bytes"] for item in resources),
        "encoded_bytes": sum(item["encoded_bytes"] for item in resources),
        "requests": len(resources),
        "failed_requests": [short_url(url, base_url) for url in failed],
        "off_site_requests": [r["url"] for r in resources if r["url"].startswith("http")],
        "atlas_charts": facts["atlasCharts"],
        "atlas_vega": facts["atlasVega"],
        "resources": resources,
    }


def measure_chart_draw(browser: Any, base_url: str, page_path: str) -> dict[str, Any]:
    """Load one page in a fresh context; ms from the first hover until every chart is redrawn.

    Charts arrive as static SVG inside the page (drawn with the HTML); pointing at a chart
    loads Vega and vega-embed and redraws it interactively. The figure is the time from
    hovering the charts until every one of them is interactive.
    """
    context = browser.new_context()
    try:
        context.add_init_script(CHART_TIMER_JS)
        page = context.new_page()
        page.goto(base_url + page_path, wait_until="load", timeout=NAV_TIMEOUT_MS)
        hovered_at = float(page.evaluate("() => performance.now()"))
        for chart in page.locator(".atlas-chart").all():
            chart.scroll_into_view_if_needed()
            chart.hover()
        page.evaluate(TOUCH_EVERYTHING_JS)
        try:
            handle = page.wait_for_function(
                ALL_CHARTS_DRAWN_JS, polling="raf", timeout=CHART_TIMEOUT_MS
            )
            drawn_ms = float(handle.json_value()) - hovered_at
        except Exception:  # not drawn in time (or the page failed): no figure for this run
            drawn_ms = None
        page.wait_for_load_state("load", timeout=NAV_TIMEOUT_MS)
        facts = page.evaluate(PAGE_FACTS_JS)
    finally:
        context.close()
    return {"drawn_ms": drawn_ms, "load_ms": facts["loadMs"], "dcl_ms": facts["domContentLoadedMs"]}


def chart_draw_times(browser: Any, base_url: str, page_path: str, runs: int) -> dict[str, Any]:
    """Measure ``runs`` loads of one chart page; return the runs and their medians."""
    samples = [measure_chart_draw(browser, base_url, page_path) for _ in range(runs)]
    drawn = [s["drawn_ms"] for s in samples if s["drawn_ms"] is not None]
    loads = [s["load_ms"] for s in samples if s["load_ms"]]
    after_load = [s["drawn_ms"] - s["load_ms"] for s in samples if s["drawn_ms"] and s["load_ms"]]
    return {
        "page": page_path,
        "runs": samples,
        "not_drawn_runs": runs - len(drawn),
        "median_ms": statistics.median(drawn) if drawn else None,
        "min_ms": min(drawn) if drawn else None,
        "max_ms": max(drawn) if drawn else None,
        "median_load_ms": statistics.median(loads) if loads else None,
        "median_after_load_ms": statistics.median(after_load) if after_load else None,
    }
