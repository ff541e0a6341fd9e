"""Load every page of the built site in Chromium and check what a reader would get.

Per page: no request leaves 127.0.0.1, no console error or uncaught exception, no HTTP
error (favicon included), every Vega chart and Leaflet map is drawn, no serious or
critical axe-core (WCAG 2.1 A/AA) violation, every internal link and anchor resolves,
and a full-page screenshot is saved. See conftest.py for the fixtures and settings.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

# How long charts and maps may take to appear after network idle (a failing page waits
# this long once, so keep it short).
CHART_WAIT_S = float(os.environ.get("ATLAS_CHART_WAIT_S", "10"))
NAV_TIMEOUT_MS = 30_000
MAX_LISTED = 8  # how many offending items a failure message lists per check

# A chart counts as drawn when vega-embed put a canvas, or an SVG with at least one data
# mark (an element inside a `.mark-*` group of role "mark", so axes, legends and titles
# alone do not count: a chart whose data failed to load is not drawn).
IS_DRAWN_JS = """
const atlasIsDrawn = (el) => {
  const canvas = el.querySelector('canvas');
  if (canvas && canvas.width > 0 && canvas.height > 0) return true;
  const svg = el.querySelector('svg');
  return !!(svg && svg.querySelector(['path', 'rect', 'circle', 'line', 'text', 'image']
    .map((tag) => `g[class*="mark-"].role-mark ${tag}`).join(', ')));
};
"""

# Runs in every frame before the page's own scripts: note the time each time one more
# chart becomes drawn, so the last value is "all charts drawn". Stored as an absolute
# time (timeOrigin + now) so charts inside iframes share the top page's clock.
CHART_TIMER_JS = (
    "(() => {"
    + IS_DRAWN_JS
    + """
  window.__atlasChartsDrawn = 0;
  window.__atlasChartsDrawnAt = null;
  const check = () => {
    const n = Array.from(document.querySelectorAll('.vega-embed')).filter(atlasIsDrawn).length;
    if (n > window.__atlasChartsDrawn) {
      window.__atlasChartsDrawn = n;
      window.__atlasChartsDrawnAt = performance.timeOrigin + performance.now();
    }
  };
  new MutationObserver(check).observe(document, {childList: true, subtree: true});
})();
"""
)

FRAME_STATE_JS = (
    "() => {"
    + IS_DRAWN_JS
    + """
  const label = (el, i, wrapper) => {
    const w = el.closest(wrapper);
    return (w && w.id) || el.id || `${wrapper}[${i}]`;
  };
  const embeds = Array.from(document.querySelectorAll('.vega-embed'));
  const atlasCharts = Array.from(document.querySelectorAll('.atlas-chart'));
  const chartDrawn = (wrapper) => [wrapper, ...wrapper.querySelectorAll('.vega-embed')]
    .some((el) => el.classList.contains('vega-embed') && atlasIsDrawn(el));
  const undrawnCharts = [
    ...atlasCharts.map((el, i) => chartDrawn(el) ? null : label(el, i, '.atlas-chart')),
    ...embeds.map((el, i) => el.closest('.atlas-chart') || atlasIsDrawn(el) ? null
      : label(el, i, '.vega-embed')),
  ].filter(Boolean);
  const maps = Array.from(document.querySelectorAll('.leaflet-container'));
  const mapDrawn = (el) => !!el.querySelector('path.leaflet-interactive');
  return {
    atlasCharts: atlasCharts.length,
    embeds: embeds.length,
    chartsDrawn: embeds.filter(atlasIsDrawn).length,
    undrawnCharts,
    atlasMaps: document.querySelectorAll('.atlas-map').length,
    maps: maps.length,
    mapsDrawn: maps.filter(mapDrawn).length,
    undrawnMaps: maps.map((el, i) => mapDrawn(el) ? null : label(el, i, '.atlas-map'))
      .filter(Boolean),
    chartsDrawnAt: window.__atlasChartsDrawnAt ?? null,
  };
}
"""
)

AXE_RUN_JS = """
async () => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
  });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.length,
    targets: v.nodes.slice(0, 3).map((n) => n.target.map(String).join(' >>> ')),
  }));
}
"""

LINKS_JS = """
() => Array.from(document.querySelectorAll('a[href]'), (a) => [a.getAttribute('href'), a.href])
"""
IDS_JS = "() => Array.from(document.querySelectorAll('[id]'), (el) => el.id)"
ICONS_JS = """
() => Array.from(document.querySelectorAll('link[rel~="icon" i]'), (l) => l.href)
"""


def _is_local(url: str, host: str) -> bool:
    """Return True for URLs served by the test server, or inline data:/blob:/about: URLs."""
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname == host


def _listing(items: list[str]) -> str:
    """Format at most MAX_LISTED items as an indented bullet list."""
    shown = [f"    - {item}" for item in items[:MAX_LISTED]]
    if len(items) > MAX_LISTED:
        shown.append(f"    - ... and {len(items) - MAX_LISTED} more")
    return "\n".join(shown)


def _site_file(site_root: Path, url_path: str) -> Path:
    """Map a URL path on the test server to the file the server would send."""
    target = site_root / unquote(url_path).lstrip("/")
    if url_path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def check_links(site, page_path: str, links: list[list[str]], live_ids: set[str]) -> list[str]:
    """Return a description of every broken same-site link or anchor among ``links``.

    ``links`` holds ``[raw href, resolved href]`` pairs; ``live_ids`` are the ids in the
    page's DOM after scripts ran (accepted for anchors into the page itself).
    """
    page_file = site.root / page_path
    broken: list[str] = []
    seen: set[tuple[str, str]] = set()
    for raw, absolute in links:
        parts = urlsplit(absolute)
        if parts.scheme not in {"http", "https"} or parts.hostname != site.host:
            continue  # mailto:, javascript:, or an external link (not followed)
        if parts.port != site.port:
            broken.append(f"{raw!r} points at another port: {absolute}")
            continue
        key = (parts.path, parts.fragment)
        if key in seen:
            continue
        seen.add(key)
        target = _site_file(site.root, parts.path)
        if not target.resolve().is_relative_to(site.root) or not target.is_file():
            broken.append(f"{raw!r} -> missing file {parts.path}")
            continue
        fragment = unquote(parts.fragment)
        is_download = "_sources" in target.parts or target.suffix in {".ipynb", ".md"}
        if not fragment or is_download or target.suffix != ".html":
            continue
        if fragment in site.ids(target):
            continue
        if target == page_file and fragment in live_ids:
            continue
        if fragment == "top":  # HTML scrolls to the top for #top without such an id
            continue
        where = "this page" if target == page_file else parts.path
        broken.append(f"{raw!r} -> no id {fragment!r} in {where}")
    return broken


def _wait_for_drawing(page, deadline: float) -> list[dict]:
    """Poll every frame until all charts and maps are drawn or ``deadline`` passes.

    Returns the last state of each frame (see FRAME_STATE_JS).
    """
    while True:
        states = []
        for frame in page.frames:
            if frame.is_detached():
                continue
            try:
                states.append(frame.evaluate(FRAME_STATE_JS))
            except Exception:  # a frame that navigated away mid-poll
                continue
        charts_ok = sum(s["chartsDrawn"] for s in states) >= sum(s["atlasCharts"] for s in states)
        maps_ok = sum(s["mapsDrawn"] for s in states) >= sum(s["atlasMaps"] for s in states)
        all_drawn = not any(s["undrawnCharts"] or s["undrawnMaps"] for s in states)
        if (charts_ok and maps_ok and all_drawn) or time.monotonic() > deadline:
            return states
        page.wait_for_timeout(100)


def test_site_built(site_pages):
    """The built site exists and holds at least one page (else: run make book)."""
    site_dir, pages, redirects = site_pages
    if not (pages or redirects):
        pytest.fail(
            f"Built site not found at {site_dir} (or it holds no .html page): run `make book` "
            f"first, or point ATLAS_SITE_DIR at a built site.",
            pytrace=False,
        )


def test_redirect_target_exists(site, redirect_page: str):
    """A pure meta-refresh redirect page (the book's root index.html) points at a page."""
    target = site.redirect_target(site.root / redirect_page)
    url = urlsplit(urljoin(site.base_url + redirect_page, target))
    if url.hostname != site.host:
        pytest.fail(f"{redirect_page} redirects off-site to {target}", pytrace=False)
    path = _site_file(site.root, url.path)
    if not path.is_file():
        pytest.fail(
            f"{redirect_page} redirects to {target}, but {path} does not exist", pytrace=False
        )


def test_page(site, browser, axe_script, screenshot_dir, save_report_entry, page_path: str):
    """Load one page and check requests, errors, charts, maps, axe and links."""
    blocked: list[str] = []
    console_errors: list[str] = []
    page_errors: list[str] = []
    bad_responses: list[str] = []

    def route(route) -> None:
        """Let local requests through; record and abort everything else."""
        url = route.request.url
        if _is_local(url, site.host):
            route.continue_()
        else:
            blocked.append(url)
            route.abort("blockedbyclient")

    def on_console(message) -> None:
        """Record console errors with their source location."""
        if message.type == "error":
            loc = message.location or {}
            where = f" ({loc.get('url')}:{loc.get('lineNumber')})" if loc.get("url") else ""
            console_errors.append(message.text + where)

    def on_response(response) -> None:
        """Record HTTP errors."""
        if response.status >= 400:
            bad_responses.append(f"{response.status} {response.url}")

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        context.route("**/*", route)
        context.add_init_script(CHART_TIMER_JS)
        page = context.new_page()
        page.on("console", on_console)
        page.on("pageerror", lambda error: page_errors.append(str(error)))
        page.on("response", on_response)

        page.goto(site.base_url + page_path, wait_until="networkidle", timeout=NAV_TIMEOUT_MS)
        # Maps fetch Leaflet when they near the viewport and charts fetch Vega when a reader
        # points at them: scroll to each figure and hover it, as a reader would.
        for figure in page.locator(".atlas-chart, .atlas-map").all():
            figure.scroll_into_view_if_needed()
            figure.hover()
            page.wait_for_timeout(50)
        page.evaluate("() => window.scrollTo(0, 0)")
        states = _wait_for_drawing(page, time.monotonic() + CHART_WAIT_S)
        time_origin = page.evaluate("() => performance.timeOrigin")

        # Chromium does not report favicon requests to Playwright: fetch them directly.
        icons = page.evaluate(ICONS_JS) or [urljoin(site.base_url, "/favicon.ico")]
        for icon in icons:
            if not _is_local(icon, site.host):
                blocked.append(f"{icon} (favicon)")
            elif not icon.startswith(("data:", "blob:")):
                status = context.request.get(icon).status
                if status >= 400:
                    bad_responses.append(f"{status} {icon} (favicon)")

        for frame in page.frames:
            if not frame.is_detached():
                frame.add_script_tag(path=str(axe_script))
        violations = page.evaluate(AXE_RUN_JS)
        serious = [v for v in violations if v["impact"] in {"serious", "critical"}]

        broken_links = check_links(
            site, page_path, page.evaluate(LINKS_JS), set(page.evaluate(IDS_JS))
        )

        shot = screenshot_dir / (page_path.removesuffix(".html").replace("/", "__") + ".png")
        page.screenshot(path=str(shot), full_page=True)
    finally:
        context.close()

    atlas_charts = sum(s["atlasCharts"] for s in states)
    embeds = sum(s["embeds"] for s in states)
    charts_drawn = sum(s["chartsDrawn"] for s in states)
    atlas_maps = sum(s["atlasMaps"] for s in states)
    maps = sum(s["maps"] for s in states)
    maps_drawn = sum(s["mapsDrawn"] for s in states)
    chart_times = [s["chartsDrawnAt"] for s in states if s["chartsDrawnAt"] is not None]
    save_report_entry(
        {
            "page": page_path,
            "requests_blocked": blocked,
            "console_errors": console_errors + [f"pageerror: {e}" for e in page_errors],
            "http_errors": bad_responses,
            "charts": charts_drawn,
            "charts_expected": atlas_charts,
            "maps": maps_drawn,
            "maps_expected": atlas_maps,
            "axe_serious": [f"{v['id']} ({v['impact']}, {v['nodes']} nodes)" for v in serious],
            "broken_links": broken_links,
            # ms from navigation start until the last chart was drawn (None: no charts)
            "chart_ms": round(max(chart_times) - time_origin, 1) if chart_times else None,
        }
    )

    problems: list[str] = []
    if blocked:
        problems.append(
            f"{len(blocked)} request(s) to hosts other than {site.host} (blocked):\n"
            + _listing(blocked)
        )
    if console_errors:
        problems.append(f"{len(console_errors)} console error(s):\n" + _listing(console_errors))
    if page_errors:
        problems.append(f"{len(page_errors)} uncaught exception(s):\n" + _listing(page_errors))
    if bad_responses:
        problems.append(f"{len(bad_responses)} HTTP error(s):\n" + _listing(bad_responses))
    undrawn_charts = [label for s in states for label in s["undrawnCharts"]]
    if charts_drawn != atlas_charts or undrawn_charts:
        problems.append(
            f"charts: {charts_drawn} drawn of {atlas_charts} .atlas-chart element(s) "
            f"({embeds} .vega-embed) after {CHART_WAIT_S:.0f}s"
            + (f"; not drawn: {', '.join(undrawn_charts)}" if undrawn_charts else "")
        )
    undrawn_maps = [label for s in states for label in s["undrawnMaps"]]
    if maps_drawn < atlas_maps or undrawn_maps:
        problems.append(
            f"maps: {maps_drawn} of {maps} .leaflet-container(s) have a polygon "
            f"(path.leaflet-interactive), {atlas_maps} .atlas-map element(s)"
            + (f"; not drawn: {', '.join(undrawn_maps)}" if undrawn_maps else "")
        )
    if serious:
        problems.append(
            f"{len(serious)} serious/critical axe violation(s):\n"
            + _listing(
                [
                    f"{v['id']} [{v['impact']}] {v['help']} ({v['nodes']} node(s)): "
                    + "; ".join(v["targets"])
                    for v in serious
                ]
            )
        )
    if broken_links:
        problems.append(f"{len(broken_links)} broken internal link(s):\n" + _listing(broken_links))
    if problems:
        pytest.fail(
            f"{page_path}: {len(problems)} problem(s) (screenshot: {shot})\n  * "
            + "\n  * ".join(problems),
            pytrace=False,
        )
