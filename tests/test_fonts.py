"""Static charts are measured with the pinned font, whatever fonts the machine has."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from analysis.build import reproducible
from analysis.core.paths import REPO_ROOT
from analysis.render import fonts

DRAW = """
import hashlib, sys
import altair as alt, pandas as pd
from analysis.render import charts
if sys.argv[1] == "unpinned":
    from analysis.render import fonts
    fonts.register = lambda: None
frame = pd.DataFrame({"地区": ["台州市", "浙江省"], "数值": [1, 2]})
chart = alt.Chart(frame).mark_bar().encode(
    x=alt.X("地区:N", title="地区名称（单位）"), y="数值:Q", color=alt.Color("地区:N", title="图例")
)
print(hashlib.sha256(charts.static_svg(charts.to_vega(chart), "x").encode()).hexdigest())
"""


def draw(tmp_path, mode: str, other_fonts: bool) -> str:
    env = dict(os.environ)
    if other_fonts:
        env["FONTCONFIG_FILE"] = str(fonts.fontconfig_file(tmp_path, reproducible.OTHER_FONTS))
    done = subprocess.run(
        [sys.executable, "-c", DRAW, mode],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_the_drawing_does_not_depend_on_the_machines_fonts(tmp_path):
    assert draw(tmp_path, "pinned", False) == draw(tmp_path, "pinned", True)


def test_without_the_pinned_font_it_would(tmp_path):
    # the check above can fail: unpinned, a machine without CJK fonts measures otherwise
    assert draw(tmp_path, "unpinned", False) != draw(tmp_path, "unpinned", True)


def test_the_pages_and_charts_ask_for_the_pinned_family_first():
    assert fonts.font_file().is_file()
    css = (REPO_ROOT / "book" / "_static" / "atlas.css").read_text(encoding="utf-8")
    stack = re.search(r"--font-stack:\s*([^;]+);", css).group(1)
    assert stack.strip() == fonts.css_stack()
    js = (REPO_ROOT / "book" / "_static" / "atlas-charts.js").read_text(encoding="utf-8")
    assert f'var FONT = "{", ".join(fonts.STACK)}, sans-serif";' in js
