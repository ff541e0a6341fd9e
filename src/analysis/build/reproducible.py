"""Is the build reproducible? Build the book a second time and compare the two sites.

The site of one commit must be byte for byte the same whatever machine builds it. The
classic ways to lose that are text measured with the fonts a machine happens to have
(:mod:`analysis.render.fonts` pins the charts' font), the build clock (:mod:`analysis.build.edition`
dates the content from git), random ids and output in an arbitrary order.

:func:`manifest` lists every file of a built site with its SHA-256; :func:`build` runs
Jupyter Book once more into a temporary folder, every page executed afresh (no notebook
cache), with another font set visible (``FONTCONFIG_FILE``: only the DejaVu fonts, no CJK
font at all); :func:`compare` names the files that differ. ``python -m analysis.build.reproducible
--against _build/html`` does all three (``make test`` runs it through
``tests/repro/test_reproducible.py`` right after ``make book``). The printed edition (PDF) is
printed again from the second site and compared too (:mod:`analysis.build.pdf` prints with
the pinned font alone and takes the print run's dates and ids out of the file).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from analysis.core.paths import REPO_ROOT
from analysis.render import fonts

# a font set unlike the build machine's: Latin fonts only, no CJK font
OTHER_FONTS = ("/usr/share/fonts/truetype/dejavu",)


def manifest(site: Path) -> dict[str, str]:
    """Return {path relative to ``site``: SHA-256} for every file, in path order."""
    out = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        out[path.relative_to(site).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def compare(first: dict[str, str], second: dict[str, str]) -> list[str]:
    """Return one line per file that is in only one manifest or differs between them."""
    lines = []
    for rel in sorted(first.keys() | second.keys()):
        if rel not in second:
            lines.append(f"only in the first build: {rel}")
        elif rel not in first:
            lines.append(f"only in the second build: {rel}")
        elif first[rel] != second[rel]:
            lines.append(f"differs: {rel}")
    return lines


def _run(command: list[str], env: dict[str, str] | None, what: str) -> None:
    """Run one step of the second build; raise, with the end of its log, if it fails."""
    result = subprocess.run(
        command,
        cwd=REPO_ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{(result.stdout + result.stderr)[-3000:]}")


def build(out: Path, env: dict[str, str] | None = None) -> Path:
    """Build the book into ``out`` (no cache) and print its PDF; return the site folder."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    _run(
        [str(jupyter_book), "build", "--warningiserror", "--path-output", str(out), str(REPO_ROOT)],
        env,
        "the second build",
    )
    site = out / "_build" / "html"
    _run([sys.executable, "-m", "analysis.build.pdf", "--site", str(site)], env, "the second PDF")
    return site


def check(against: Path, work: Path) -> list[str]:
    """Build again with another font set in ``work``; return the differences to ``against``."""
    env = {"FONTCONFIG_FILE": str(fonts.fontconfig_file(work, OTHER_FONTS))}
    site = build(work / "book", env)
    return compare(manifest(against), manifest(site))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", type=Path, default=REPO_ROOT / "_build" / "html")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="atlas-repro-") as tmp:
        lines = check(args.against.resolve(), Path(tmp))
    for line in lines:
        print(line)
    print("reproducible" if not lines else f"{len(lines)} files differ")
    return 1 if lines else 0


if __name__ == "__main__":
    raise SystemExit(main())
