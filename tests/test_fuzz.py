"""Hypothesis fuzz: one corrupted cell anywhere gives a clean message or exactly that value.

Each example copies ``data/``, replaces one cell of one CSV file with a generated text and
validates. Either validation stops with one-line Chinese messages (file, row, column, what to
do) — never another exception — or it passes and the typed table holds exactly what the cell
says: a number that is its plain ASCII decimal, a text that is the cell itself. A figure read
differently from what the CSV shows would be a quiet wrong figure on the site.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd
from conftest import read_rows, write_rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.core.paths import REPO_ROOT
from analysis.core.validate import (
    DataValidationError,
    load_package,
    read_descriptor,
    resource_paths,
)

DESCRIPTOR = read_descriptor(REPO_ROOT / "data")
FILES = {  # file -> (resource name, offset of its first row in the resource, fields by name)
    rel: r
    for r in DESCRIPTOR["resources"]
    if r.get("format", "csv") == "csv"
    for rel in resource_paths(r)
}
TRICKY = [
    "",
    " ",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "1e30",
    "1E3",
    "-1",
    "0",
    "-0",
    "７９１.４５",
    "7_91.45",
    "1,234",
    "12 ",
    " 12",
    "2099",
    "1800",
    "10000000",
    "99999999999999999999999",
    "0.0000001",
    "<!--<script>",
    '"',
    "，",
    "\u3000",
    "331021",
    "331083",
    "万户",
    "户",
    "javascript:alert(1)",
    "２０１１",
    "2011.0",
    "True",
]
CELLS = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=10),
    st.integers(-(10**13), 10**13).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
)
PLAIN = {"number": re.compile(r"-?[0-9]+(\.[0-9]+)?"), "integer": re.compile(r"-?[0-9]+")}
ONE_LINE = re.compile(r"^[^\n]+：[^\n]+。$")


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.data())
def test_one_corrupted_cell(data):
    rel = data.draw(st.sampled_from(sorted(FILES)), label="file")
    resource = FILES[rel]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "data"
        shutil.copytree(REPO_ROOT / "data", root)
        rows = read_rows(root / rel)
        row = data.draw(st.integers(2, len(rows)), label="spreadsheet row")
        column = data.draw(st.sampled_from(rows[0]), label="column")
        text = data.draw(CELLS, label="new text")
        col = rows[0].index(column)
        rows[row - 1][col] = text
        write_rows(root / rel, rows)
        try:
            tables = load_package(root)
        except DataValidationError as err:
            assert err.problems
            for problem in err.problems:
                assert ONE_LINE.match(str(problem)), str(problem)
            return
    # accepted: the table holds exactly what the cell shows
    field = next(f for f in resource["schema"]["fields"] if f["name"] == column)
    table = tables[resource["name"]]
    (i,) = [k for k, origin in enumerate(table.attrs["origin"]) if origin == (rel, row)]
    value = table[column].iloc[i]
    kind = field.get("type", "string")
    if text == "":
        assert pd.isna(value)
    elif kind in PLAIN:
        assert PLAIN[kind].fullmatch(text), f"{text!r} was accepted as {value!r}"
        assert float(value) == float(text)
    else:
        assert value == text
