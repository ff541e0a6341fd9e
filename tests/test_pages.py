"""Book pages follow the project's rules: stored without outputs, thin code cells, one template."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
import yaml

from analysis.core.paths import BOOK_DIR, REPO_ROOT

CODE_CELL = re.compile(r"```\{code-cell\}[^\n]*\n(.*?)```", re.S)
MAX_CELL_LINES = 15


def toc_files() -> list[str]:
    """Return every page named in _toc.yml, e.g. 'book/index'."""
    toc = yaml.safe_load((REPO_ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    return files


PAGES = sorted(BOOK_DIR.glob("*.md"))
CHAPTERS = ["study", "infrastructure", "counties", "scenarios", "scorecard"]


def test_every_page_is_in_the_toc_and_every_toc_entry_exists():
    listed = set(toc_files())
    assert {f"book/{p.stem}" for p in PAGES} == listed


def test_committed_notebooks_carry_no_outputs():
    files = subprocess.run(
        ["git", "ls-files", "*.ipynb"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    with_outputs = [
        f
        for f in files
        if any(c.get("outputs") for c in json.loads((REPO_ROOT / f).read_text())["cells"])
    ]
    assert with_outputs == []


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_code_cells_are_a_few_lines_calling_the_package(path):
    for cell in CODE_CELL.findall(path.read_text(encoding="utf-8")):
        code = [line for line in cell.splitlines() if line.strip() and not line.startswith(":")]
        assert len(code) <= MAX_CELL_LINES, f"{path.name}: a cell of {len(code)} lines"
        assert not re.search(r"^\s*(def|class)\s", cell, re.M), f"{path.name}: logic in a cell"
        assert not re.search(r"pd\.read_csv|open\(", cell), f"{path.name}: reads data directly"


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapters_follow_the_reader_first_template(name):
    text = (BOOK_DIR / f"{name}.md").read_text(encoding="utf-8")
    first_section = text.find("\n## ")
    assert 0 < text.find(":::{admonition} 要点") < first_section, "key findings come first"
    sections = re.findall(r"^## (.+)$", text, re.M)
    assert sections[-1] == "数据与方法", "data and methods close the chapter"
