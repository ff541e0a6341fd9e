"""The package's layers import one way: core ← model ← chapters, core ← render ← chapters.

Read with :mod:`ast` from the source files (imports inside functions count too), so a forbidden
import fails here before it tangles the layers:

* ``core`` (paths, validation, the tables, reference identities) imports no other layer;
* ``model`` (computation: numbers and codes) imports only ``core``;
* ``render`` (HTML, charts, maps, number formatting) imports only ``core``;
* ``chapters`` (one module per page) import ``core``, ``model`` and ``render``;
* ``build`` (Sphinx, vendor, cache, PDF, editions) imports ``core``, ``model``, ``render``;
* nothing imports ``chapters`` but the pages in ``book/`` — and ``chapters.summary``, the page
  that quotes the other pages' computed sentences;
* the runtime package never imports ``atlas_dev`` (the offline geo step, test/bench helpers).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from analysis.core import reference
from analysis.core.paths import REPO_ROOT

SRC = REPO_ROOT / "src"
LAYERS = ("core", "model", "render", "chapters", "build")
ALLOWED = {
    "core": {"core"},
    "model": {"core", "model"},
    "render": {"core", "render"},
    "chapters": {"core", "model", "render", "chapters"},
    "build": {"core", "model", "render", "build"},
}
# the one module allowed to import its sibling chapters (it quotes their computed sentences)
CHAPTER_IMPORTERS = {"analysis.chapters.summary"}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module an import statement in ``path`` names, with its line (relative resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else None
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = (package or module_name(path)).split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from analysis.model import trends`` names analysis.model.trends
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
            found.append((node.lineno, base))
    return found


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "analysis" and len(parts) > 1 and parts[1] in LAYERS:
        return parts[1]
    return None


def violations(path: Path) -> list[str]:
    """The imports of one source file that break the direction of the layers."""
    me = module_name(path)
    mine = layer_of(me)
    out = []
    for line, target in imported_modules(path):
        where = f"{path.relative_to(REPO_ROOT)}:{line} imports {target}"
        if me.startswith("analysis") and target.split(".")[0] == "atlas_dev":
            out.append(f"{where}: the runtime package must not import atlas_dev")
            continue
        theirs = layer_of(target)
        if theirs is None:
            continue
        if theirs == "chapters" and mine != "chapters":
            out.append(f"{where}: only the pages in book/ import chapters")
        elif theirs == "chapters" and me not in CHAPTER_IMPORTERS and target.count(".") >= 2:
            if target.split(".")[2] != me.split(".")[2]:
                out.append(f"{where}: a chapter does not import another chapter")
        elif mine is not None and theirs not in ALLOWED[mine]:
            out.append(f"{where}: {mine} may import only {sorted(ALLOWED[mine])}")
    return out


SOURCES = sorted(SRC.rglob("*.py"))


def test_every_module_is_in_a_layer():
    loose = [
        p.relative_to(SRC)
        for p in SOURCES
        if module_name(p).startswith("analysis.") and layer_of(module_name(p)) is None
    ]
    assert loose == [], f"put these modules in one of {LAYERS}: {loose}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_follow_the_layers(path):
    assert violations(path) == []


@pytest.mark.parametrize(
    ("module", "line", "forbidden"),
    [
        ("analysis/model/trends.py", "from analysis.render.html import table", True),
        ("analysis/model/trends.py", "from analysis.chapters import study", True),
        ("analysis/core/data.py", "from analysis.model import trends", True),
        ("analysis/core/data.py", "    from analysis.render import html", True),
        ("analysis/render/charts.py", "from analysis.model import trends", True),
        ("analysis/render/charts.py", "from analysis.chapters import study", True),
        ("analysis/build/pdf.py", "from analysis.chapters import summary", True),
        ("analysis/build/pdf.py", "from atlas_dev.site import serve", True),
        ("analysis/chapters/study.py", "from analysis.chapters import counties", True),
        ("analysis/chapters/study.py", "from analysis.model import trends", False),
        ("analysis/chapters/summary.py", "from analysis.chapters import study", False),
        ("analysis/model/rates.py", "from analysis.core import data", False),
        ("atlas_dev/geo.py", "from analysis.core.layers import read_layer", False),
    ],
)
def test_the_check_sees_a_forbidden_import(tmp_path, monkeypatch, module, line, forbidden):
    # the same check on a copy of the tree with one import added: it must fail exactly then
    copy = tmp_path / "src"
    for path in SOURCES:
        target = copy / path.relative_to(SRC)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    added = copy / module
    body = line if not line.startswith(" ") else f"def _added():\n{line}\n"
    added.write_text(added.read_text(encoding="utf-8") + f"\n{body}\n", encoding="utf-8")
    monkeypatch.setitem(globals(), "SRC", copy)
    monkeypatch.setitem(globals(), "REPO_ROOT", tmp_path)
    assert bool(violations(added)) is forbidden


def literal_identities(path: Path) -> list[str]:
    """Area codes of ``areas.csv`` and the study's source id written as literals in ``path``."""
    codes = set(reference.NAMES) | {reference.STUDY_SOURCE}
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        f"{path.relative_to(REPO_ROOT)}:{node.lineno} {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in codes
        and id(node) not in docstrings
    ]


def test_area_codes_and_the_study_are_named_in_one_place():
    # core/reference.py reads them from data/areas.csv; every other module imports them
    found = [
        hit
        for path in SOURCES
        if path != SRC / "analysis" / "core" / "reference.py"
        for hit in literal_identities(path)
    ]
    assert found == []


def test_the_identity_check_sees_a_literal(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('"""Docstrings may say 331000."""\nCITY = "331000"\n', encoding="utf-8")
    monkey_root = globals()["REPO_ROOT"]
    globals()["REPO_ROOT"] = tmp_path
    try:
        assert literal_identities(module) == ["m.py:2 '331000'"]
    finally:
        globals()["REPO_ROOT"] = monkey_root
