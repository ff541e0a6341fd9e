"""Keep the notebook execution cache honest.

Jupyter Book re-executes a notebook only when the notebook itself changes. A page also depends
on the ``analysis`` package and on ``data/``: when either changes, cached outputs would publish
stale figures. :func:`refresh` fingerprints those inputs and, when the fingerprint differs from
the one recorded at the last build, clears the execution cache and Sphinx's saved doctrees (else
Sphinx would not even re-read an unchanged page). ``make book`` runs it first.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from analysis.core.paths import BUILD_DIR, REPO_ROOT

INPUTS = ("src/analysis", "data", "editions", "requirements.txt", "_config.yml")
# make book builds into _build/stage (see analysis.build.publish), where Jupyter Book keeps both
CACHE_DIRS = (
    BUILD_DIR / "stage" / "_build" / ".jupyter_cache",
    BUILD_DIR / "stage" / "_build" / ".doctrees",
)
STAMP = BUILD_DIR / "inputs.sha256"


def fingerprint(root: Path = REPO_ROOT, inputs: tuple[str, ...] = INPUTS) -> str:
    """Return a SHA-256 over the paths and bytes of every input file (sorted, deterministic)."""
    digest = hashlib.sha256()
    for name in inputs:
        base = root / name
        files = sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else [base]
        for path in files:
            if "__pycache__" in path.parts or not path.exists():
                continue
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def refresh(
    cache_dirs: tuple[Path, ...] = CACHE_DIRS, stamp: Path = STAMP, root: Path = REPO_ROOT
) -> bool:
    """Clear ``cache_dirs`` if the inputs changed since the last call; return True if cleared."""
    current = fingerprint(root)
    previous = stamp.read_text().strip() if stamp.exists() else None
    cleared = previous != current and any(d.exists() for d in cache_dirs)
    if previous != current:
        for cache_dir in cache_dirs:
            shutil.rmtree(cache_dir, ignore_errors=True)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current + "\n")
    return cleared


def main() -> int:
    """Command line: refresh the cache and say what happened."""
    if refresh():
        print("analysis package or data changed: notebook cache cleared, pages will re-execute")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
