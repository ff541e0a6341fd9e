"""Benchmark the built Smart Taizhou Atlas site: page weight, chart draw time, Lighthouse, builds.

This is a benchmark, not a test: it prints a table of figures, compares them with the
targets of the performance issue (PASS/MISS per line), saves everything to
``_build/bench.json`` and exits 0 whatever the figures are. It exits non-zero only when
it cannot run at all (no built site, no Chromium, no Playwright).

Run it with ``make bench`` (or ``.venv/bin/python bench/bench.py --help``); see
``bench/README.md`` for what each figure means.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from atlas_dev import site as site_helpers
from atlas_dev.site import CHROMIUM_ARGS, QuietHandler, chromium_path, discover_pages, serve

REPO_ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = REPO_ROOT / "bench"
BUILD_DIR = REPO_ROOT / "_build"
SITE_DIR = BUILD_DIR / "html"
OUT_FILE = BUILD_DIR / "bench.json"
LIGHTHOUSE_CLI = BENCH_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = chromium_path()
LIGHTHOUSE_CHROME_FLAGS = " ".join(["--headless=new", *CHROMIUM_ARGS])
LIGHTHOUSE_PRESETS = {"mobile": [], "desktop": ["--preset=desktop"]}
LIGHTHOUSE_TIMEOUT_S = 180

NAV_TIMEOUT_MS = 60_000
CHART_TIMEOUT_MS = 15_000
CHART_RUNS = 5
TOP_RESOURCES = 5
# Served gzip-compressed under --gzip (fonts and images are compressed already).
COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".geojson", ".svg", ".txt", ".map"}
KIB = 1024
MIB = 1024 * KIB

# Targets of the performance issue.
TARGET_PAGE_BYTES = 1 * MIB
TARGET_SITE_BYTES = 10 * MIB
TARGET_PERFORMANCE = 0.95
TARGET_ACCESSIBILITY = 1.0
TARGET_CLEAN_BUILD_S = 60.0
TARGET_REBUILD_S = 10.0
TARGET_CHART_MS = 1000.0

# Runs in every page before its own scripts: note when the last `.atlas-vega` element got
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


class BenchError(RuntimeError):
    """The benchmark cannot run (no site, no browser, ...)."""


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


class _GzipHandler(QuietHandler):
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


# --------------------------------------------------------------------------- lighthouse


def ensure_lighthouse() -> str | None:
    """Install bench/node_modules with ``npm ci`` if missing; return an error text or None."""
    if LIGHTHOUSE_CLI.is_file():
        return None
    if not shutil.which("npm") or not shutil.which("node"):
        return "node/npm not found"
    print("Installing Lighthouse: npm ci --prefix bench ...", flush=True)
    command = ["npm", "ci", "--prefix", str(BENCH_DIR), "--no-audit", "--no-fund"]
    result = subprocess.run(
        [*command, "--loglevel=error"], capture_output=True, text=True, check=False
    )
    if result.returncode != 0 or not LIGHTHOUSE_CLI.is_file():
        return f"npm ci --prefix bench failed: {result.stderr.strip()[-500:]}"
    return None


def run_lighthouse(url: str, out_file: Path, preset: str) -> dict[str, Any]:
    """Run the Lighthouse CLI on one URL with one preset; return its parsed JSON report."""
    command = [
        "node",
        str(LIGHTHOUSE_CLI),
        url,
        "--output=json",
        f"--output-path={out_file}",
        "--only-categories=performance,accessibility",
        f"--chrome-path={CHROMIUM}",
        f"--chrome-flags={LIGHTHOUSE_CHROME_FLAGS}",
        "--quiet",
        *LIGHTHOUSE_PRESETS[preset],
    ]
    started = time.monotonic()
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=LIGHTHOUSE_TIMEOUT_S, check=False
        )
        stderr, code = result.stderr, result.returncode
    except subprocess.TimeoutExpired:
        stderr, code = f"timed out after {LIGHTHOUSE_TIMEOUT_S} s", None
    seconds = time.monotonic() - started
    report = json.loads(out_file.read_text(encoding="utf-8")) if out_file.is_file() else None
    return {"report": report, "exit_code": code, "stderr": stderr.strip()[-800:], "s": seconds}


def failed_audits(report: dict[str, Any], category: str) -> list[dict[str, Any]]:
    """Return the audits of ``category`` that scored below 1, with their offending elements."""
    out = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if audit.get("score") is None or audit["score"] >= 1:
            continue
        if audit.get("scoreDisplayMode") in {"manual", "notApplicable", "informative"}:
            continue
        items = (audit.get("details") or {}).get("items") or []
        nodes = []
        for item in items:
            node = item.get("node") or {}
            nodes.append(
                {
                    "selector": node.get("selector"),
                    "snippet": node.get("snippet"),
                    "label": node.get("nodeLabel"),
                    "url": item.get("url"),
                }
            )
        entry = {"id": ref["id"], "title": audit["title"], "score": audit["score"]}
        entry["weight"] = ref.get("weight")
        entry["items"] = nodes
        out.append(entry)
    return out


def performance_opportunities(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Return non-passing performance diagnostics/opportunities with their estimated savings."""
    metric_ids = {"first-contentful-paint", "largest-contentful-paint", "total-blocking-time"}
    metric_ids |= {"cumulative-layout-shift", "speed-index", "interactive"}
    out = []
    for ref in report["categories"]["performance"]["auditRefs"]:
        audit = report["audits"].get(ref["id"], {})
        if ref["id"] in metric_ids or audit.get("score") is None or audit["score"] >= 0.9:
            continue
        if audit.get("scoreDisplayMode") in {"manual", "notApplicable", "informative"}:
            continue
        details = audit.get("details") or {}
        out.append(
            {
                "id": ref["id"],
                "title": audit["title"],
                "score": audit["score"],
                "display": audit.get("displayValue"),
                "savings_ms": details.get("overallSavingsMs"),
                "savings_bytes": details.get("overallSavingsBytes"),
            }
        )
    return out


def summarize_lighthouse(page_path: str, preset: str, run: dict[str, Any]) -> dict[str, Any]:
    """Reduce one Lighthouse run to the benchmark's figures."""
    report = run["report"]
    entry: dict[str, Any] = {"page": page_path, "preset": preset, "seconds": round(run["s"], 1)}
    if not report or report.get("runtimeError") or run["exit_code"] != 0:
        error = (report or {}).get("runtimeError") or {"message": run["stderr"] or "no report"}
        entry["error"] = error.get("message")
        return entry
    audits = report["audits"]
    requests = (audits.get("network-requests", {}).get("details") or {}).get("items") or []
    settings = report["configSettings"]
    entry.update(
        {
            "performance": report["categories"]["performance"]["score"],
            "accessibility": report["categories"]["accessibility"]["score"],
            "fcp_ms": audits["first-contentful-paint"].get("numericValue"),
            "lcp_ms": audits["largest-contentful-paint"].get("numericValue"),
            "tbt_ms": audits["total-blocking-time"].get("numericValue"),
            "cls": audits["cumulative-layout-shift"].get("numericValue"),
            "speed_index_ms": audits["speed-index"].get("numericValue"),
            "total_byte_weight": audits["total-byte-weight"].get("numericValue"),
            "requests": len(requests),
            "off_site_requests": [
                r["url"]
                for r in requests
                if not r["url"].startswith(("http://127.0.0.1", "data:", "blob:"))
            ],
            "run_warnings": report.get("runWarnings", []),
            "audit_errors": {
                audit_id: audit.get("errorMessage", "")[:200]
                for audit_id, audit in audits.items()
                if audit.get("scoreDisplayMode") == "error"
            },
            "settings": {
                "formFactor": settings.get("formFactor"),
                "throttlingMethod": settings.get("throttlingMethod"),
                "throttling": settings.get("throttling"),
                "screenEmulation": settings.get("screenEmulation"),
            },
            "lighthouse_version": report.get("lighthouseVersion"),
            "failed_accessibility_audits": failed_audits(report, "accessibility"),
            "performance_opportunities": performance_opportunities(report),
        }
    )
    return entry


def lighthouse_all(
    base_url: str, pages: list[str], presets: list[str], reports: Path
) -> dict[str, Any]:
    """Run Lighthouse on every page with every preset; keep the full reports in ``reports``."""
    error = ensure_lighthouse()
    if error:
        return {"error": error}
    shutil.rmtree(reports, ignore_errors=True)
    reports.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    for preset in presets:
        results[preset] = []
        for page_path in pages:
            print(f"  lighthouse {preset:7} {page_path}", flush=True)
            out_file = reports / f"{page_path.replace('/', '__')}.{preset}.json"
            run = run_lighthouse(base_url + page_path, out_file, preset)
            results[preset].append(summarize_lighthouse(page_path, preset, run))
    return results


# --------------------------------------------------------------------------- builds


def time_command(
    command: list[str], runs: int, warmup: int, before: Callable[[], None], log: Path
) -> dict[str, Any]:
    """Run ``command`` warmup + runs times (``before`` untimed before each); return medians."""
    samples = []
    for index in range(warmup + runs):
        before()
        usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        with log.open("a", encoding="utf-8") as stream:
            code = subprocess.run(
                command, cwd=REPO_ROOT, stdout=stream, stderr=subprocess.STDOUT, check=False
            ).returncode
        wall = time.monotonic() - started
        usage_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (usage_after.ru_utime - usage_before.ru_utime) + (
            usage_after.ru_stime - usage_before.ru_stime
        )
        if index >= warmup:
            samples.append({"wall_s": wall, "cpu_s": cpu, "exit_code": code})
        print(f"    run {index + 1}/{warmup + runs}: {wall:.1f} s (exit {code})", flush=True)
    walls = [s["wall_s"] for s in samples]
    return {
        "command": " ".join(command),
        "runs": samples,
        "warmup": warmup,
        "median_s": statistics.median(walls),
        "min_s": min(walls),
        "max_s": max(walls),
        "median_cpu_s": statistics.median(s["cpu_s"] for s in samples),
        "all_exit_0": all(s["exit_code"] == 0 for s in samples),
    }


def measure_builds(clean_runs: int, rebuild_runs: int) -> dict[str, Any]:
    """Time a clean build (rm -rf _build, make book) and a no-change rebuild (make book)."""
    log_dir = Path(tempfile.mkdtemp(prefix="atlas-bench-builds-"))
    print("Build times (this rebuilds the site) ...", flush=True)
    print("  clean build: rm -rf _build && make book", flush=True)
    clean = time_command(
        ["make", "book"],
        clean_runs,
        warmup=1,
        before=lambda: shutil.rmtree(BUILD_DIR, ignore_errors=True),
        log=log_dir / "clean.log",
    )
    print("  no-change rebuild: make book", flush=True)
    rebuild = time_command(
        ["make", "book"], rebuild_runs, warmup=1, before=lambda: None, log=log_dir / "rebuild.log"
    )
    return {"clean": clean, "no_change": rebuild, "logs": str(log_dir)}


# --------------------------------------------------------------------------- report


def kib(n: float | None) -> str:
    """Format a byte count in KiB."""
    return "-" if n is None else f"{n / KIB:,.1f} KiB"


def mib(n: float | None) -> str:
    """Format a byte count in MiB."""
    return "-" if n is None else f"{n / MIB:,.2f} MiB"


def fmt(value: float | None, spec: str = ".0f", unit: str = "") -> str:
    """Format a number or '-' for missing."""
    return "-" if value is None else f"{value:{spec}}{unit}"


def print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    """Print a plain-text table with right-aligned columns after the first."""
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    print(f"\n== {title}")
    line = "  ".join(
        h.ljust(widths[i]) if i == 0 else h.rjust(widths[i]) for i, h in enumerate(header)
    )
    print(line)
    print("-" * len(line))
    for row in rows:
        print(
            "  ".join(
                str(c).ljust(widths[i]) if i == 0 else str(c).rjust(widths[i])
                for i, c in enumerate(row)
            )
        )


def verdict(ok: bool | None) -> str:
    """Return PASS, MISS, or SKIP (no figure)."""
    return "SKIP" if ok is None else ("PASS" if ok else "MISS")


def evaluate_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Compare the figures with the issue's targets."""
    targets = []

    def add(name: str, value: str, target: str, ok: bool | None) -> None:
        targets.append({"target": name, "value": value, "goal": target, "status": verdict(ok)})

    heaviest = results["heaviest_page"]
    add(
        f"heaviest page ({heaviest['page']})",
        kib(heaviest["bytes"]),
        "<= 1 MiB",
        heaviest["bytes"] <= TARGET_PAGE_BYTES,
    )
    size = results["site_size"]["bytes"]
    add("whole site", mib(size), "<= 10 MiB", size <= TARGET_SITE_BYTES)
    lighthouse = results.get("lighthouse", {})
    for preset in ("mobile", "desktop"):
        runs = lighthouse.get(preset)
        if runs is None:
            continue
        label = "" if preset == "mobile" else " [desktop, secondary]"
        scored = [r for r in runs if "error" not in r]
        ok_all = len(scored) == len(runs)
        perf = [r["performance"] for r in scored]
        a11y = [r["accessibility"] for r in scored]
        add(
            f"Lighthouse performance, min over pages{label}",
            fmt(min(perf) if perf else None, ".2f"),
            ">= 0.95",
            (ok_all and min(perf) >= TARGET_PERFORMANCE) if perf else None,
        )
        add(
            f"Lighthouse accessibility, min over pages{label}",
            fmt(min(a11y) if a11y else None, ".2f"),
            "= 1.00",
            (ok_all and min(a11y) >= TARGET_ACCESSIBILITY) if a11y else None,
        )
    if "lighthouse" not in results or "error" in lighthouse:
        add("Lighthouse", lighthouse.get("error", "not run"), "scores", None)
    builds = results.get("builds")
    # Build targets: TARGET_CLEAN_BUILD_S and TARGET_REBUILD_S.
    clean = builds["clean"]["median_s"] if builds else None
    rebuild = builds["no_change"]["median_s"] if builds else None
    add("clean build (median)", fmt(clean, ".1f", " s"), "<= 60 s", _le(clean, 60.0))
    add("no-change rebuild (median)", fmt(rebuild, ".1f", " s"), "<= 10 s", _le(rebuild, 10.0))
    for chart in results["charts"]:
        median = chart["median_ms"]
        ok = median is not None and not chart["not_drawn_runs"] and median <= TARGET_CHART_MS
        add(
            f"charts interactive after hover ({chart['page']})",
            fmt(median, ".0f", " ms"),
            "<= 1000 ms",
            ok,
        )
    return targets


def _le(value: float | None, limit: float) -> bool | None:
    """Return value <= limit, or None when there is no value."""
    return None if value is None else value <= limit


def page_row(page: dict[str, Any]) -> list[Any]:
    """Return one row of the page weight table."""
    failed = len(page["failed_requests"])
    weights = [kib(page["initial_bytes"]), kib(page["bytes"]), kib(page["encoded_bytes"])]
    return [page["page"], *weights, page["requests"], failed, page["atlas_charts"]]


def print_report(results: dict[str, Any]) -> None:
    """Print every figure as plain-text tables."""
    rows = [page_row(p) for p in results["pages"]]
    served = "server gzips text" if results["gzip"] else "server does not compress"
    print_table(
        "Page weight (fresh context; 'on load' = until network idle, 'all' = after scrolling to"
        " and pointing at every chart and map, which fetches Vega/Leaflet and map geometry;"
        f" uncompressed bodies; transferred = bytes on the wire; {served})",
        ["page", "on load", "all", "transferred", "requests", "failed", "charts"],
        rows,
    )
    heaviest = results["heaviest_page"]
    print_table(
        f"Top {TOP_RESOURCES} resources of the heaviest page: {heaviest['page']}",
        ["resource", "type", "size", "share"],
        [
            [r["url"], r["type"], kib(r["bytes"]), f"{100 * r['bytes'] / heaviest['bytes']:.0f} %"]
            for r in heaviest["top_resources"]
        ],
    )
    size = results["site_size"]
    rows = [["whole site", mib(size["bytes"]), size["files"]]]
    rows.append(["without _sources/", mib(size["bytes_without_sources"]), ""])
    rows += [[f"  {top}", mib(n), ""] for top, n in list(size["by_top_folder"].items())[:6]]
    print_table("Site size (all files under _build/html)", ["part", "size", "files"], rows)
    print_table(
        "Largest files of the site",
        ["file", "size"],
        [[f["path"], kib(f["bytes"])] for f in size["largest_files"][:6]],
    )
    print_charts(results["charts"])
    print_lighthouse(results.get("lighthouse", {}))
    print_builds(results.get("builds"))
    print_table(
        "Targets",
        ["target", "value", "goal", "status"],
        [[t["target"], t["value"], t["goal"], t["status"]] for t in results["targets"]],
    )


def print_charts(charts: list[dict[str, Any]]) -> None:
    """Print the chart draw times."""
    if not charts:
        print("\n== Chart draw time: no page has .atlas-chart elements")
        return
    print_table(
        f"Charts interactive (ms from first hover; the static SVG is drawn with the page; "
        f"{CHART_RUNS} fresh loads, unthrottled)",
        ["page", "median", "min", "max", "load event", "(unused)", "not drawn"],
        [
            [
                c["page"],
                fmt(c["median_ms"], ".0f", " ms"),
                fmt(c["min_ms"], ".0f", " ms"),
                fmt(c["max_ms"], ".0f", " ms"),
                fmt(c["median_load_ms"], ".0f", " ms"),
                fmt(c["median_after_load_ms"], "+.0f", " ms"),
                c["not_drawn_runs"],
            ]
            for c in charts
        ],
    )


def print_lighthouse(lighthouse: dict[str, Any]) -> None:
    """Print the Lighthouse scores and metrics, failed accessibility audits and problems."""
    if "error" in lighthouse:
        print(f"\n== Lighthouse: not run ({lighthouse['error']})")
        return
    for preset, runs in lighthouse.items():
        settings = next((r["settings"] for r in runs if "settings" in r), {})
        throttling = settings.get("throttling") or {}
        how = (
            f"{settings.get('formFactor')}, {settings.get('throttlingMethod')} throttling "
            f"rtt {throttling.get('rttMs')} ms, {throttling.get('throughputKbps')} kbps, "
            f"CPU x{throttling.get('cpuSlowdownMultiplier')}"
        )
        rows = []
        for r in runs:
            if "error" in r:
                rows.append([r["page"], "ERROR", r["error"][:60], "", "", "", "", ""])
                continue
            rows.append(
                [
                    r["page"],
                    fmt(r["performance"], ".2f"),
                    fmt(r["accessibility"], ".2f"),
                    fmt(r["fcp_ms"], ".0f", " ms"),
                    fmt(r["lcp_ms"], ".0f", " ms"),
                    fmt(r["tbt_ms"], ".0f", " ms"),
                    kib(r["total_byte_weight"]),
                    f"{r['seconds']:.0f} s",
                ]
            )
        print_table(
            f"Lighthouse {preset} ({how})",
            ["page", "perf", "a11y", "FCP", "LCP", "TBT", "byte weight", "run"],
            rows,
        )
        print_lighthouse_problems(runs)


def print_lighthouse_problems(runs: list[dict[str, Any]]) -> None:
    """Print failed accessibility audits, top opportunities, off-site requests and warnings."""
    for r in runs:
        for audit in r.get("failed_accessibility_audits", []):
            print(f"  a11y FAIL {r['page']}: {audit['id']} - {audit['title']}")
            for item in audit["items"][:5]:
                where = item["selector"] or item["url"] or "?"
                print(f"      {where}  {(item['snippet'] or '')[:100]}")
        if r.get("off_site_requests"):
            print(f"  off-site requests {r['page']}: {r['off_site_requests'][:5]}")
        for warning in r.get("run_warnings", []):
            print(f"  warning {r['page']}: {warning[:160]}")
    errors: dict[str, tuple[str, int]] = {}
    for r in runs:
        for audit_id, message in r.get("audit_errors", {}).items():
            errors[audit_id] = (message, errors.get(audit_id, ("", 0))[1] + 1)
    for audit_id, (message, n) in errors.items():
        print(f"  audit ERROR on {n} pages: {audit_id}: {message[:110]}")
    counts: dict[str, list[Any]] = {}
    for r in runs:
        for opp in r.get("performance_opportunities", []):
            entry = counts.setdefault(opp["id"], [opp["title"], 0, 0])
            entry[1] += 1
            entry[2] = max(entry[2], opp["savings_ms"] or 0)
    if counts:
        print("  performance audits below 0.9 (pages, largest estimated saving):")
        for audit_id, (title, n, saving) in sorted(counts.items(), key=lambda kv: -kv[1][2]):
            print(f"    {audit_id:32} {n} pages, up to {saving:,.0f} ms  ({title})")


def print_builds(builds: dict[str, Any] | None) -> None:
    """Print the build times, if measured."""
    if not builds:
        print("\n== Build times: not measured (run with --builds)")
        return
    rows = []
    for name, key in (("clean build", "clean"), ("no-change rebuild", "no_change")):
        b = builds[key]
        rows.append(
            [
                name,
                f"{b['median_s']:.1f} s",
                f"{b['min_s']:.1f} s",
                f"{b['max_s']:.1f} s",
                f"{b['median_cpu_s']:.1f} s",
                len(b["runs"]),
                "yes" if b["all_exit_0"] else "NO",
            ]
        )
    print_table(
        "Build times (wall clock, after 1 warm-up run)",
        ["build", "median", "min", "max", "cpu median", "runs", "exit 0"],
        rows,
    )


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--builds", action="store_true", help="also time a clean build and a rebuild (slow)"
    )
    parser.add_argument("--clean-runs", type=int, default=2, help="timed clean builds (2)")
    parser.add_argument("--rebuild-runs", type=int, default=3, help="timed no-change rebuilds (3)")
    parser.add_argument("--no-lighthouse", action="store_true", help="skip Lighthouse")
    parser.add_argument(
        "--no-desktop", action="store_true", help="run Lighthouse's mobile preset only"
    )
    parser.add_argument("--site", type=Path, default=SITE_DIR, help="built site (_build/html)")
    parser.add_argument(
        "--gzip",
        action="store_true",
        help="serve text files gzip-compressed, as most static hosts do (what-if figure)",
    )
    parser.add_argument("--out", type=Path, default=OUT_FILE, help="results (_build/bench.json)")
    return parser.parse_args(argv)


def measure_site(site: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Measure page weight, chart draw time and Lighthouse on a snapshot of ``site``."""
    pages, skipped = discover_pages(site)
    if not pages:
        raise BenchError(f"no page found under {site}: run `make book` first")
    results: dict[str, Any] = {"pages_skipped": skipped, "site_size": site_size(site)}
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
        snapshot = snapshot_site(site, Path(tmp))
        handler = _GzipHandler if args.gzip else QuietHandler
        with serve(snapshot, handler) as base_url, launch_chromium() as browser:
            print(f"Page weight: {len(pages)} pages ...", flush=True)
            results["pages"] = [measure_page_weight(browser, base_url, p) for p in pages]
            chart_pages = [p["page"] for p in results["pages"] if p["atlas_charts"]]
            print(f"Chart draw time: {len(chart_pages)} pages x {CHART_RUNS} ...", flush=True)
            results["charts"] = [
                chart_draw_times(browser, base_url, p, CHART_RUNS) for p in chart_pages
            ]
            if not args.no_lighthouse:
                presets = ["mobile"] if args.no_desktop else ["mobile", "desktop"]
                print(f"Lighthouse ({', '.join(presets)}) ...", flush=True)
                reports = args.out.with_name(args.out.stem + "-lighthouse")
                results["lighthouse"] = lighthouse_all(base_url, pages, presets, reports)
    heaviest = max(results["pages"], key=lambda p: p["bytes"])
    results["heaviest_page"] = {
        "page": heaviest["page"],
        "bytes": heaviest["bytes"],
        "top_resources": heaviest["resources"][:TOP_RESOURCES],
    }
    return results


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return the exit status."""
    args = parse_args(argv)
    started = time.monotonic()
    if not CHROMIUM.exists():  # checked again at launch; fail before any slow build
        print(f"bench: cannot run: {CHROMIUM} not found", file=sys.stderr)
        return 2
    builds = measure_builds(args.clean_runs, args.rebuild_runs) if args.builds else None
    site = args.site.resolve()
    try:
        if not site.is_dir():
            raise BenchError(f"built site not found at {site}: run `make book` first")
        results = measure_site(site, args)
    except BenchError as exc:
        print(f"bench: cannot run: {exc}", file=sys.stderr)
        return 2
    results = {
        "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "site": str(site),
        "chromium": str(CHROMIUM),
        "chromium_args": CHROMIUM_ARGS,
        "gzip": args.gzip,
        **results,
        "builds": builds,
    }
    results["targets"] = evaluate_targets(results)
    results["seconds"] = round(time.monotonic() - started, 1)
    print_report(results)
    out = args.out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nSaved {out} and the Lighthouse reports beside it ({results['seconds']:.0f} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
