"""Lighthouse on every page of a served site (the npm package pinned in bench/package.json)."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from common import BENCH_DIR, CHROMIUM, LIGHTHOUSE_CHROME_FLAGS

LIGHTHOUSE_CLI = BENCH_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
LIGHTHOUSE_PRESETS = {"mobile": [], "desktop": ["--preset=desktop"]}
LIGHTHOUSE_TIMEOUT_S = 180


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
