"""The font the static charts are measured with: pinned, installed from a registry package.

A static chart drawing (``analysis.render.charts.static_svg``) places its legend boxes, axis titles
and plot width by measuring its Chinese text. Measured with whatever fonts the build machine
happens to have, two builds of one commit differ. The charts therefore name
:data:`FAMILY` first, and :func:`register` hands the renderer (vl-convert) the font file of
the pinned Python package ``pylopdf-fonts-zh-cn`` (Noto Sans SC 2.004, SIL Open Font License;
``requirements.txt``) before any chart is drawn. No system package provides a family of that
name (Debian's ``fonts-noto-cjk`` is "Noto Sans CJK SC", the same design), so the measurement
no longer depends on the machine. The pages ask the browser for the same family first
(``book/_static/atlas.css``); the 8 MB file itself is not shipped with the site.
"""

from __future__ import annotations

import functools
from pathlib import Path

import vl_convert

FAMILY = "Noto Sans SC"
# the same family, then what readers' machines have: Debian/Android, Windows, macOS/iOS
STACK = (FAMILY, "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC")


def font_file() -> Path:
    """Return the pinned font file (Noto Sans SC Regular, OpenType)."""
    import pylopdf_fonts_zh_cn

    return Path(pylopdf_fonts_zh_cn.sans_path())


@functools.cache
def register() -> Path:
    """Register the pinned font's folder with vl-convert (once per process); return it."""
    folder = font_file().parent
    vl_convert.register_font_directory(str(folder))
    return folder


def css_stack() -> str:
    """Return the font stack as a CSS ``font-family`` value (generic family last)."""
    return ", ".join(f'"{name}"' for name in STACK) + ", sans-serif"


def fontconfig_file(folder: Path, font_dirs: tuple[str, ...], alias: str | None = None) -> Path:
    """Write a fontconfig file that makes only ``font_dirs`` visible; return its path.

    With ``alias``, the generic families (sans-serif, serif, monospace) all mean that family,
    so whatever a page asks for is drawn with the fonts in ``font_dirs`` and nothing else.
    """
    dirs = "".join(f"<dir>{d}</dir>" for d in font_dirs)
    generic = (
        "".join(
            f"<alias><family>{g}</family><prefer><family>{alias}</family></prefer></alias>"
            for g in ("sans-serif", "serif", "monospace")
        )
        if alias
        else ""
    )
    path = folder / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">'
        f"<fontconfig>{dirs}{generic}<cachedir>{folder / 'fc-cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    return path
