"""The benchmark's report: plain-text tables and the targets (PASS, MISS, SKIP)."""

from __future__ import annotations

from typing import Any

from common import (
    KIB,
    MIB,
    TARGET_ACCESSIBILITY,
    TARGET_CHART_MS,
    TARGET_CLEAN_BUILD_S,
    TARGET_GROWTH_BUILD_RATIO,
    TARGET_PAGE_BYTES,
    TARGET_PERFORMANCE,
    TARGET_REBUILD_S,
    TARGET_SITE_BYTES,
)
from measure import CHART_RUNS, TOP_RESOURCES


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
    for key, how in (("lighthouse", "no compression"), ("lighthouse_gzip", "gzip")):
        lighthouse = results.get(key) or {}
        if not lighthouse or "error" in lighthouse:
            add(f"Lighthouse ({how})", lighthouse.get("error", "not run"), "scores", None)
            continue
        for preset, runs in lighthouse.items():
            label = f" [{preset}, {how}]"
            goal = TARGET_PERFORMANCE if (key, preset) == ("lighthouse", "mobile") else 1.0
            scored = [r for r in runs if "error" not in r]
            ok_all = len(scored) == len(runs)
            perf = [r["performance"] for r in scored]
            a11y = [r["accessibility"] for r in scored]
            add(
                f"Lighthouse performance, min over pages{label}",
                fmt(min(perf) if perf else None, ".2f"),
                f">= {goal:.2f}",
                (ok_all and min(perf) >= goal) if perf else None,
            )
            add(
                f"Lighthouse accessibility, min over pages{label}",
                fmt(min(a11y) if a11y else None, ".2f"),
                "= 1.00",
                (ok_all and min(a11y) >= TARGET_ACCESSIBILITY) if a11y else None,
            )
    builds = results.get("builds")
    clean = builds["clean"]["median_s"] if builds else None
    rebuild = builds["no_change"]["median_s"] if builds else None
    limit, again = TARGET_CLEAN_BUILD_S, TARGET_REBUILD_S
    add("clean build (median)", fmt(clean, ".1f", " s"), f"<= {limit:.0f} s", _le(clean, limit))
    add(
        "no-change rebuild (median)",
        fmt(rebuild, ".1f", " s"),
        f"<= {again:.0f} s",
        _le(rebuild, again),
    )
    grown = results.get("growth")
    if grown and "error" not in grown:
        big, today = grown["grown"], grown["today"]
        ratio = big["build_s"] / today["build_s"]
        limit = TARGET_GROWTH_BUILD_RATIO
        add(
            f"clean build at {grown['row_factor']:.1f}x the rows, against today's",
            f"{ratio:.2f}x",
            f"<= {limit:.0f}x",
            ratio <= limit,
        )
        heavy = big["heaviest_page"]
        add(
            f"heaviest page at {grown['row_factor']:.1f}x the rows ({heavy['page']})",
            kib(heavy["bytes"]),
            "<= 1 MiB",
            heavy["bytes"] <= TARGET_PAGE_BYTES,
        )
    elif grown:
        add("growth benchmark", grown["error"][:60], "runs", False)
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
    weights = [kib(page["initial_bytes"]), kib(page["bytes"])]
    return [page["page"], *weights, page["requests"], failed, page["atlas_charts"]]


def print_report(results: dict[str, Any]) -> None:
    """Print every figure as plain-text tables."""
    print_pages_summary(results)
    rows = [page_row(p) for p in results["pages"]]
    print_table(
        "Page weight (fresh context; 'on load' = until network idle, 'all' = after scrolling to"
        " and pointing at every chart and map and touching every chart control, which fetches"
        " Vega/Leaflet and map geometry; uncompressed bodies; the server does not compress)",
        ["page", "on load", "all", "requests", "failed", "charts"],
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
    print_lighthouse(results.get("lighthouse") or {}, "no compression")
    print_lighthouse(results.get("lighthouse_gzip") or {}, "gzip")
    print_builds(results.get("builds"))
    print_growth(results.get("growth"))
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


def print_lighthouse(lighthouse: dict[str, Any], how: str) -> None:
    """Print the Lighthouse scores and metrics, failed accessibility audits and problems."""
    if "error" in lighthouse:
        print(f"\n== Lighthouse ({how}): not run ({lighthouse['error']})")
        return
    for preset, runs in lighthouse.items():
        settings = next((r["settings"] for r in runs if "settings" in r), {})
        throttling = settings.get("throttling") or {}
        setup = (
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
            f"Lighthouse {preset}, {how} ({setup})",
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


def _scores(results: dict[str, Any], key: str) -> dict[str, dict[str, Any]]:
    runs = (results.get(key) or {}).get("mobile") or []
    return {r["page"]: r for r in runs if "error" not in r}


def print_pages_summary(results: dict[str, Any]) -> None:
    """One row per page: weight on load and all fetched, Lighthouse both ways, chart time."""
    plain, gzipped = _scores(results, "lighthouse"), _scores(results, "lighthouse_gzip")
    charts = {c["page"]: c for c in results.get("charts", [])}
    rows = []
    for page in results["pages"]:
        name = page["page"]
        p, g = plain.get(name, {}), gzipped.get(name, {})
        chart = charts.get(name, {})
        rows.append(
            [
                name,
                kib(page["initial_bytes"]),
                kib(page["bytes"]),
                fmt(p.get("performance"), ".2f"),
                fmt(g.get("performance"), ".2f"),
                fmt(p.get("accessibility"), ".2f"),
                fmt(chart.get("median_ms"), ".0f", " ms"),
            ]
        )
    print_table(
        "Pages (weight uncompressed; Lighthouse mobile performance without and with gzip;"
        " charts interactive = median ms from the first touch)",
        ["page", "on load", "all fetched", "perf", "perf gzip", "a11y", "charts"],
        rows,
    )


def print_growth(grown: dict[str, Any] | None) -> None:
    """Print today's site against the site built on the multiplied data."""
    if not grown:
        print("\n== Growth: not measured (run with --growth)")
        return
    if "error" in grown:
        print(f"\n== Growth: failed ({grown['error'][:300]})")
        return
    rows = []
    for label, key in (("today", "today"), (f"{grown['row_factor']:.1f}x rows", "grown")):
        g = grown[key]
        heavy = g["heaviest_page"]
        rows.append(
            [
                label,
                g["rows"],
                f"{g['build_s']:.1f} s",
                f"{heavy['page']}",
                kib(heavy["initial_bytes"]),
                kib(heavy["bytes"]),
                mib(g["site_bytes"]),
            ]
        )
    print_table(
        "Growth (clean build of each, median of "
        f"{grown['runs']} runs; heaviest page by weight with everything fetched)",
        ["data", "rows", "clean build", "heaviest page", "on load", "all fetched", "site"],
        rows,
    )
