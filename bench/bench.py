"""Benchmark the built Smart Taizhou Atlas site: page weight, chart times, Lighthouse, builds.

This is a benchmark, not a test: it prints tables of figures, compares them with the
targets of the performance issues (PASS/MISS per line), saves everything to
``_build/bench.json`` and exits 0 whatever the figures are. It exits non-zero only when
it cannot run at all (no built site, no Chromium, no Playwright).

The parts: ``measure`` (page weight, chart times, site size, the static servers),
``lighthouse``, ``builds`` (clean builds and rebuilds, medians), ``growth`` (the same site
built on about ten times the rows) and ``report`` (tables and targets).

Run it with ``make bench`` (or ``.venv/bin/python bench/bench.py --help``); see
``bench/README.md`` for what each figure means.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import growth
from builds import measure_builds
from common import CHROMIUM, OUT_FILE, SITE_DIR, BenchError
from lighthouse import lighthouse_all
from measure import (
    CHART_RUNS,
    TOP_RESOURCES,
    GzipHandler,
    chart_draw_times,
    launch_chromium,
    measure_page_weight,
    site_size,
    snapshot_site,
)
from report import evaluate_targets, print_report

from atlas_dev.site import CHROMIUM_ARGS, QuietHandler, discover_pages, serve


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--builds", action="store_true", help="also time clean builds and rebuilds (slow)"
    )
    parser.add_argument("--clean-runs", type=int, default=3, help="timed clean builds (3)")
    parser.add_argument("--rebuild-runs", type=int, default=3, help="timed no-change rebuilds (3)")
    parser.add_argument(
        "--growth",
        action="store_true",
        help="also build the site on about ten times the rows and compare (slow)",
    )
    parser.add_argument("--no-lighthouse", action="store_true", help="skip Lighthouse")
    parser.add_argument(
        "--desktop", action="store_true", help="also run Lighthouse's desktop preset"
    )
    parser.add_argument("--site", type=Path, default=SITE_DIR, help="built site (_build/html)")
    parser.add_argument("--out", type=Path, default=OUT_FILE, help="results (_build/bench.json)")
    return parser.parse_args(argv)


def measure_site(site: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Measure page weight, chart times and Lighthouse (plain and gzip) on a copy of ``site``."""
    pages, skipped = discover_pages(site)
    if not pages:
        raise BenchError(f"no page found under {site}: run `make book` first")
    results: dict[str, Any] = {"pages_skipped": skipped, "site_size": site_size(site)}
    reports = args.out.with_name(args.out.stem + "-lighthouse")
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
        snapshot = snapshot_site(site, Path(tmp))
        with serve(snapshot, QuietHandler) as base_url, launch_chromium() as browser:
            print(f"Page weight: {len(pages)} pages ...", flush=True)
            results["pages"] = [measure_page_weight(browser, base_url, p) for p in pages]
            chart_pages = [p["page"] for p in results["pages"] if p["atlas_charts"]]
            print(f"Chart times: {len(chart_pages)} pages x {CHART_RUNS} ...", flush=True)
            results["charts"] = [
                chart_draw_times(browser, base_url, p, CHART_RUNS) for p in chart_pages
            ]
            if not args.no_lighthouse:
                presets = ["mobile", "desktop"] if args.desktop else ["mobile"]
                print(f"Lighthouse ({', '.join(presets)}), no compression ...", flush=True)
                results["lighthouse"] = lighthouse_all(base_url, pages, presets, reports / "plain")
        if not args.no_lighthouse:
            with serve(snapshot, GzipHandler) as base_url:
                print("Lighthouse (mobile), gzip as static hosts send it ...", flush=True)
                results["lighthouse_gzip"] = lighthouse_all(
                    base_url, pages, ["mobile"], reports / "gzip"
                )
    heaviest = max(results["pages"], key=lambda p: p["bytes"])
    results["heaviest_page"] = {
        "page": heaviest["page"],
        "bytes": heaviest["bytes"],
        "initial_bytes": heaviest["initial_bytes"],
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
        grown = growth.run() if args.growth else None
    except BenchError as exc:
        print(f"bench: cannot run: {exc}", file=sys.stderr)
        return 2
    results = {
        "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "site": str(site),
        "chromium": str(CHROMIUM),
        "chromium_args": CHROMIUM_ARGS,
        **results,
        "builds": builds,
        "growth": grown,
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
