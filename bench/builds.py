"""Build times: clean builds and no-change rebuilds, repeated, medians (after a warm-up)."""

from __future__ import annotations

import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from analysis.core.paths import BUILD_DIR, REPO_ROOT


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
