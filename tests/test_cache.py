"""The notebook cache is cleared when the package or the data change, and kept otherwise."""

from __future__ import annotations

from analysis.build import cache


def make_tree(root):
    (root / "src" / "analysis").mkdir(parents=True)
    (root / "src" / "analysis" / "m.py").write_text("X = 1\n")
    (root / "data").mkdir()
    (root / "data" / "t.csv").write_text("a\n1\n")
    (root / "requirements.txt").write_text("pandas==3\n")
    (root / "_config.yml").write_text("title: t\n")


def test_cache_kept_when_nothing_changed_and_cleared_when_data_change(tmp_path):
    make_tree(tmp_path)
    dirs = (tmp_path / "_build" / "cache", tmp_path / "_build" / ".doctrees")
    stamp = tmp_path / "_build" / "stamp"
    for d in dirs:
        d.mkdir(parents=True)
    assert cache.refresh(dirs, stamp, tmp_path) is True  # first build: no stamp yet
    for d in dirs:
        d.mkdir()
    assert cache.refresh(dirs, stamp, tmp_path) is False
    assert all(d.exists() for d in dirs)
    (tmp_path / "data" / "t.csv").write_text("a\n2\n")
    assert cache.refresh(dirs, stamp, tmp_path) is True
    assert not any(d.exists() for d in dirs)


def test_fingerprint_changes_with_package_code(tmp_path):
    make_tree(tmp_path)
    before = cache.fingerprint(tmp_path)
    (tmp_path / "src" / "analysis" / "m.py").write_text("X = 2\n")
    assert cache.fingerprint(tmp_path) != before
