"""Static charts are measured with the pinned font, whatever fonts the machine has."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.build import reproducible
from analysis.core.paths import REPO_ROOT
from analysis.render import fonts

DRAW = """
import hashlib
import altair as alt, pandas as pd
from analysis.render import charts, fonts
frame = pd.DataFrame({"地区": ["台州市", "浙江省"], "数值": [1, 2]})
chart = alt.Chart(frame).mark_bar().encode(
    x=alt.X("地区:N", title="地区名称（单位）"), y="数值:Q", color=alt.Color("地区:N", title="图例")
)
register = fonts.register
fonts.register = lambda: None  # first drawn unpinned (a font once registered stays registered)
for pinned in (False, True):
    if pinned:
        fonts.register = register
    print(hashlib.sha256(charts.static_svg(charts.to_vega(chart), "x").encode()).hexdigest())
"""


def draw(other_fonts: bool, folder: str) -> tuple[str, str]:
    """Return the hashes of one drawing, (unpinned, pinned), made in a fresh process."""
    env = dict(os.environ)
    if other_fonts:
        env["FONTCONFIG_FILE"] = str(fonts.fontconfig_file(Path(folder), reproducible.OTHER_FONTS))
    done = subprocess.run(
        [sys.executable, "-c", DRAW],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    unpinned, pinned = done.stdout.split()
    return unpinned, pinned


@pytest.fixture(scope="module")
def drawings(tmp_path_factory) -> dict[bool, tuple[str, str]]:
    folder = str(tmp_path_factory.mktemp("fonts"))
    return {other: draw(other, folder) for other in (False, True)}


def test_the_drawing_does_not_depend_on_the_machines_fonts(drawings):
    assert drawings[False][1] == drawings[True][1]


def test_without_the_pinned_font_it_would(drawings):
    # the check above can fail: unpinned, a machine without CJK fonts measures otherwise
    assert drawings[False][0] != drawings[True][0]


def test_the_pages_and_charts_ask_for_the_pinned_family_first():
    assert fonts.font_file().is_file()
    css = (REPO_ROOT / "book" / "_static" / "atlas.css").read_text(encoding="utf-8")
    stack = re.search(r"--font-stack:\s*([^;]+);", css).group(1)
    assert stack.strip() == fonts.css_stack()
    js = (REPO_ROOT / "book" / "_static" / "atlas-charts.js").read_text(encoding="utf-8")
    assert f'var FONT = "{", ".join(fonts.STACK)}, sans-serif";' in js
