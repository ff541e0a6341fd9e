"""The package keeps the pages' kernels quick to start (see ``analysis/__init__.py``)."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
import analysis.render.charts
import altair as alt
alt.Chart({"values": [{"a": 1}]}).mark_point().encode(x="a:Q").to_dict(validate=True)
print(bool(sys.modules.get("rfc3987_syntax")))
"""


def test_charts_import_without_compiling_the_iri_grammars_and_still_validate():
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
