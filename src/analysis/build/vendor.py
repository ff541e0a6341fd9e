"""Copy the vendored browser libraries from ``vendor/node_modules`` into the book.

The book must not load anything from a CDN, so the JavaScript and CSS that the
chart and map pages need are installed with npm (versions pinned exactly in
``vendor/package.json`` and ``vendor/package-lock.json``) and copied into
the built site's ``_static/vendor`` by :mod:`analysis.build.sphinxext`. :data:`MANIFEST`
lists every file that is copied; nothing else from ``node_modules`` reaches the site.

Layout of the destination folder (relative to ``_static/vendor``)::

    vega.min.js  vega-embed.min.js
    leaflet.js   leaflet.css       images/*.png      (leaflet.css expects images/ beside it)
    licenses/<package>.LICENSE.txt

Run ``python -m analysis.build.vendor DEST`` to (re)install the npm packages when needed
and copy the files into ``DEST``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from analysis.core.paths import REPO_ROOT, VENDOR_DIR

NODE_MODULES = VENDOR_DIR / "node_modules"
LOCKFILE = VENDOR_DIR / "package-lock.json"
PACKAGE_JSON = VENDOR_DIR / "package.json"


@dataclass(frozen=True)
class Asset:
    """One file to copy: ``node_modules/<package>/<source>`` -> ``<dest>/<target>``."""

    package: str
    source: str
    target: str
    license: bool = False


def _license(package: str) -> Asset:
    """Return the manifest entry for ``package``'s LICENSE file."""
    return Asset(package, "LICENSE", f"licenses/{package}.LICENSE.txt", license=True)


#: Every file copied into the site, in no particular order.
MANIFEST: tuple[Asset, ...] = (
    Asset("vega", "build/vega.min.js", "vega.min.js"),
    _license("vega"),
    Asset("vega-embed", "build/vega-embed.min.js", "vega-embed.min.js"),
    _license("vega-embed"),
    Asset("leaflet", "dist/leaflet.js", "leaflet.js"),
    Asset("leaflet", "dist/leaflet.css", "leaflet.css"),
    *(
        Asset("leaflet", f"dist/images/{name}", f"images/{name}")
        for name in (
            "layers.png",
            "layers-2x.png",
            "marker-icon.png",
            "marker-icon-2x.png",
            "marker-shadow.png",
        )
    ),
    _license("leaflet"),
)

#: Scripts a chart page loads, in order, relative to ``_static``. Charts are compiled from
#: Vega-Lite to Vega at build time (vl-convert), so vega-embed needs only Vega.
CHART_JS: tuple[str, ...] = ("vendor/vega.min.js", "vendor/vega-embed.min.js")
#: Scripts and stylesheets a map page loads, relative to ``_static``.
MAP_JS: tuple[str, ...] = ("vendor/leaflet.js",)
MAP_CSS: tuple[str, ...] = ("vendor/leaflet.css",)


class VendorAssetError(FileNotFoundError):
    """A file listed in :data:`MANIFEST` is missing from ``node_modules``."""


def packages() -> list[str]:
    """Return the names of the npm packages the manifest takes files from."""
    return sorted({asset.package for asset in MANIFEST})


def installed_version(package: str, node_modules: Path | None = None) -> str:
    """Return the version of ``package`` installed under ``node_modules``."""
    meta = (node_modules or NODE_MODULES) / package / "package.json"
    return json.loads(meta.read_text(encoding="utf-8"))["version"]


def missing_sources(node_modules: Path | None = None) -> list[Path]:
    """Return the manifest source files that do not exist under ``node_modules``."""
    node_modules = node_modules or NODE_MODULES
    return [
        node_modules / asset.package / asset.source
        for asset in MANIFEST
        if not (node_modules / asset.package / asset.source).is_file()
    ]


def install_assets(dest: Path, node_modules: Path | None = None) -> list[Path]:
    """Copy every :data:`MANIFEST` file from ``node_modules`` into ``dest``.

    ``node_modules`` defaults to :data:`NODE_MODULES` (``vendor/node_modules``).
    All sources are checked before anything is copied; if any is missing a
    :class:`VendorAssetError` naming each missing file is raised and ``dest`` is left
    untouched. Returns the copied files (inside ``dest``) in manifest order.
    """
    node_modules = node_modules or NODE_MODULES
    missing = missing_sources(node_modules)
    if missing:
        listed = "\n  ".join(str(path) for path in missing)
        raise VendorAssetError(
            f"{len(missing)} vendored file(s) missing:\n  {listed}\n"
            f"Run `npm ci --prefix vendor` (or `python -m analysis.build.vendor DEST`), and if a "
            f"package was upgraded check its file layout against analysis.build.vendor.MANIFEST."
        )
    dest = Path(dest)
    copied: list[Path] = []
    for asset in MANIFEST:
        target = dest / asset.target
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(node_modules / asset.package / asset.source, target)
        copied.append(target)
    return copied


def node_modules_stale(vendor_dir: Path = VENDOR_DIR) -> bool:
    """Return True if ``vendor_dir/node_modules`` is missing or older than the lockfile.

    npm writes ``node_modules/.package-lock.json`` on every install, so its
    modification time tells when the tree was last installed.
    """
    node_modules = vendor_dir / "node_modules"
    lockfile = vendor_dir / "package-lock.json"
    if not node_modules.is_dir():
        return True
    marker = node_modules / ".package-lock.json"
    installed_at = (marker if marker.exists() else node_modules).stat().st_mtime
    return lockfile.stat().st_mtime > installed_at


def ensure_node_modules(vendor_dir: Path = VENDOR_DIR) -> bool:
    """Run ``npm ci`` in ``vendor_dir`` if its node_modules is missing or stale.

    Returns True if npm was run. Raises ``RuntimeError`` if npm is not installed or
    fails.
    """
    if not node_modules_stale(vendor_dir):
        return False
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            f"npm is needed to install the vendored browser libraries into "
            f"{vendor_dir / 'node_modules'} but was not found on PATH (apt-get install npm)."
        )
    cmd = [npm, "ci", "--prefix", str(vendor_dir), "--no-audit", "--no-fund"]
    print("+", " ".join(cmd), file=sys.stderr)
    result = subprocess.run(cmd, cwd=REPO_ROOT, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"`{' '.join(cmd)}` failed with exit code {result.returncode}")
    # npm ci keeps the lockfile's mtime; touch the marker so the tree counts as fresh.
    (vendor_dir / "node_modules" / ".package-lock.json").touch()
    return True


def main(argv: list[str] | None = None) -> int:
    """Command line entry point: ``python -m analysis.build.vendor DEST``."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis.build.vendor",
        description="Install the pinned npm packages if needed and copy the vendored "
        "browser assets into DEST (the build uses book/_static/vendor).",
    )
    parser.add_argument("dest", type=Path, help="destination folder, e.g. book/_static/vendor")
    args = parser.parse_args(argv)
    try:
        ensure_node_modules()
        copied = install_assets(args.dest)
    except (VendorAssetError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    versions = ", ".join(f"{name} {installed_version(name)}" for name in packages())
    print(f"copied {len(copied)} vendored files into {args.dest} ({versions})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
