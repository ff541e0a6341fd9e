"""Tests for analysis.build.vendor: the manifest, the copy step and the npm pins."""

from __future__ import annotations

import json
import os
import re
import shutil

import pytest

from analysis.build import vendor
from analysis.core.paths import VENDOR_DIR

EXPECTED_PACKAGES = {"vega", "vega-embed", "leaflet", "axe-core"}
EXACT_VERSION = re.compile(r"^\d+\.\d+\.\d+$")


def _fake_node_modules(root):
    """Create a node_modules tree under ``root`` holding every manifest file."""
    for asset in vendor.MANIFEST:
        path = root / asset.package / asset.source
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"/* {asset.package} {asset.source} */\n", encoding="utf-8")
    return root


def test_package_json_pins_exact_versions():
    """Every dependency in vendor/package.json is an exact x.y.z pin (no ^, ~, ranges)."""
    manifest = json.loads((VENDOR_DIR / "package.json").read_text(encoding="utf-8"))
    deps = {**manifest.get("dependencies", {}), **manifest.get("devDependencies", {})}
    assert set(deps) == EXPECTED_PACKAGES
    loose = {name: spec for name, spec in deps.items() if not EXACT_VERSION.match(spec)}
    assert not loose, f"not pinned exactly (use `npm i -E`): {loose}"


def test_lockfile_matches_package_json():
    """The lockfile's root entry records the same exact versions as package.json."""
    manifest = json.loads((VENDOR_DIR / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((VENDOR_DIR / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["lockfileVersion"] >= 2
    assert lock["packages"][""]["dependencies"] == manifest["dependencies"]
    for name, version in manifest["dependencies"].items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


def test_lockfile_names_no_registry_host():
    """The lockfile records no download URLs (the npmrc omits `resolved`)."""
    lock = json.loads((VENDOR_DIR / "package-lock.json").read_text(encoding="utf-8"))
    with_urls = [key for key, meta in lock["packages"].items() if "resolved" in meta]
    assert not with_urls, f"lockfile entries with a `resolved` URL: {with_urls[:5]}"


def test_manifest_covers_each_package_with_a_license():
    """Each package that files are taken from also contributes its LICENSE."""
    with_license = {asset.package for asset in vendor.MANIFEST if asset.license}
    assert with_license == set(vendor.packages())
    assert set(vendor.packages()) == {"vega", "vega-embed", "leaflet"}
    targets = [asset.target for asset in vendor.MANIFEST]
    assert len(targets) == len(set(targets)), "two manifest entries share a target"


def test_js_and_css_lists_point_into_the_manifest():
    """CHART_JS / MAP_JS / MAP_CSS name files that install_assets actually produces."""
    targets = {f"vendor/{asset.target}" for asset in vendor.MANIFEST}
    for name in (*vendor.CHART_JS, *vendor.MAP_JS, *vendor.MAP_CSS):
        assert name in targets


def test_install_assets_copies_every_file(tmp_path):
    """Copying from a complete (fake) tree yields every manifest target, non-empty."""
    node_modules = _fake_node_modules(tmp_path / "node_modules")
    dest = tmp_path / "site" / "_static" / "vendor"
    copied = vendor.install_assets(dest, node_modules=node_modules)
    assert copied == [dest / asset.target for asset in vendor.MANIFEST]
    for path in copied:
        assert path.is_file() and path.stat().st_size > 0, path
    assert (dest / "licenses" / "leaflet.LICENSE.txt").is_file()
    assert (dest / "images" / "layers.png").is_file()


def test_install_assets_names_the_missing_file(tmp_path):
    """A missing source raises an error naming it, and nothing is copied."""
    node_modules = _fake_node_modules(tmp_path / "node_modules")
    gone = node_modules / "vega-embed" / "build" / "vega-embed.min.js"
    gone.unlink()
    dest = tmp_path / "dest"
    with pytest.raises(vendor.VendorAssetError, match=re.escape(str(gone))):
        vendor.install_assets(dest, node_modules=node_modules)
    assert not dest.exists()


def test_main_reports_missing_files(tmp_path, monkeypatch, capsys):
    """The command line exits 1 with the missing file in its message."""
    node_modules = _fake_node_modules(tmp_path / "node_modules")
    shutil.rmtree(node_modules / "leaflet")
    monkeypatch.setattr(vendor, "NODE_MODULES", node_modules)
    monkeypatch.setattr(vendor, "ensure_node_modules", lambda: False)
    assert vendor.main([str(tmp_path / "dest")]) == 1
    assert "leaflet.css" in capsys.readouterr().err


def test_node_modules_stale(tmp_path):
    """node_modules counts as stale when missing or older than the lockfile."""
    (tmp_path / "package-lock.json").write_text("{}", encoding="utf-8")
    assert vendor.node_modules_stale(tmp_path)
    marker = tmp_path / "node_modules" / ".package-lock.json"
    marker.parent.mkdir()
    marker.write_text("{}", encoding="utf-8")
    lock_time = (tmp_path / "package-lock.json").stat().st_mtime
    os.utime(marker, (lock_time + 10, lock_time + 10))
    assert not vendor.node_modules_stale(tmp_path)
    os.utime(marker, (lock_time - 10, lock_time - 10))
    assert vendor.node_modules_stale(tmp_path)


@pytest.mark.skipif(
    not (VENDOR_DIR / "node_modules").is_dir(), reason="vendor/node_modules not installed"
)
def test_real_node_modules_match_pins_and_manifest(tmp_path):
    """The installed packages have the pinned versions and hold every manifest file."""
    manifest = json.loads((VENDOR_DIR / "package.json").read_text(encoding="utf-8"))
    for name, version in manifest["dependencies"].items():
        assert vendor.installed_version(name) == version, f"{name}: run npm ci --prefix vendor"
    copied = vendor.install_assets(tmp_path)
    sizes = {path.name: path.stat().st_size for path in copied}
    assert sizes["vega.min.js"] > 100_000
    assert sizes["vega-embed.min.js"] > 10_000
    assert sizes["leaflet.js"] > 100_000
    assert all(size > 0 for size in sizes.values())
    licence = (tmp_path / "licenses" / "vega.LICENSE.txt").read_text(encoding="utf-8")
    assert "Redistribution and use in source and binary forms" in licence
