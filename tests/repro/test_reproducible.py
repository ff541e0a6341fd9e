"""Two builds of one commit, one with other fonts visible, publish byte-identical sites.

Run by ``make test`` right after ``make book``: the site ``make book`` published is the
first build; :func:`analysis.build.reproducible.check` builds the book once more into a temporary
folder, every page executed afresh, with only the DejaVu fonts visible (no CJK font), and
compares the two trees file by file (SHA-256 manifests), the PDF printed from each included.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis.build import reproducible
from analysis.core.paths import BUILD_DIR

SITE = Path(os.environ.get("ATLAS_SITE_DIR") or BUILD_DIR / "html")


def test_a_second_build_with_other_fonts_is_byte_identical(tmp_path):
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no built site at {SITE}: run `make book` first")
    differences = reproducible.check(SITE.resolve(), tmp_path)
    assert not differences, "\n".join(differences[:40])
