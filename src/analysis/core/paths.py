"""Locations of the repository's folders, resolved once from this file.

``ATLAS_DATA_DIR`` overrides the data folder (tests point it at a temporary copy).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]


def data_dir() -> Path:
    """Return the data folder: ``$ATLAS_DATA_DIR`` if set, else ``<repo>/data``."""
    override = os.environ.get("ATLAS_DATA_DIR")
    return Path(override) if override else REPO_ROOT / "data"


BOOK_DIR = REPO_ROOT / "book"
VENDOR_DIR = REPO_ROOT / "vendor"
BUILD_DIR = REPO_ROOT / "_build"
