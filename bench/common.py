"""Settings shared by the benchmark's parts: where things are, targets, units.

Paths come from :mod:`analysis.core.paths` and the browser set-up from :mod:`atlas_dev.site`, as
the tests use them; only what the benchmark alone needs is defined here.
"""

from __future__ import annotations

from analysis.core.paths import BUILD_DIR, REPO_ROOT
from atlas_dev.site import CHROMIUM_ARGS, chromium_path

BENCH_DIR = REPO_ROOT / "bench"
SITE_DIR = BUILD_DIR / "html"
OUT_FILE = BUILD_DIR / "bench.json"
CHROMIUM = chromium_path()
LIGHTHOUSE_CHROME_FLAGS = " ".join(["--headless=new", *CHROMIUM_ARGS])
KIB = 1024
MIB = 1024 * KIB

# Targets of the performance issues.
TARGET_PAGE_BYTES = 1 * MIB
TARGET_SITE_BYTES = 10 * MIB
TARGET_PERFORMANCE = 0.95
TARGET_ACCESSIBILITY = 1.0
TARGET_CLEAN_BUILD_S = 60.0
TARGET_REBUILD_S = 10.0
TARGET_CHART_MS = 1000.0
TARGET_GROWTH_BUILD_RATIO = 2.0  # clean build with ~10x the rows, against today's


class BenchError(RuntimeError):
    """The benchmark cannot run (no site, no browser, ...)."""
