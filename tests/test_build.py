"""The book build fails loudly: a raising cell, a Sphinx warning or corrupted data stops it.

Each test builds a one-page book in a temporary folder with the project's own ``_config.yml``,
theme templates and Sphinx extension, so the settings under test are the real ones.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.build.publish import summarise
from analysis.core.paths import REPO_ROOT

JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
HEADER = (REPO_ROOT / "book" / "index.md").read_text(encoding="utf-8").split("---", 2)[1]


def page(body: str) -> str:
    """Return a MyST notebook page with the project's jupytext header and ``body``."""
    return f"---{HEADER}---\n\n# 测试页\n\n{body}\n"


def build(tmp_path: Path, body: str, env: dict[str, str] | None = None):
    """Build a one-page book whose page is ``body``; return the finished process."""
    root = tmp_path / "site"
    (root / "book").mkdir(parents=True)
    shutil.copy(REPO_ROOT / "_config.yml", root)
    (root / "_toc.yml").write_text("format: jb-book\nroot: book/index\n", encoding="utf-8")
    for folder in ("_static", "_templates"):
        shutil.copytree(REPO_ROOT / "book" / folder, root / "book" / folder)
    (root / "book" / "index.md").write_text(page(body), encoding="utf-8")
    return subprocess.run(
        [str(JUPYTER_BOOK), "build", "--warningiserror", "--keep-going", str(root)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


CELL = "```{{code-cell}} ipython3\n{}\n```"


@pytest.mark.slow
def test_clean_page_builds(tmp_path):
    result = build(
        tmp_path, CELL.format("from analysis.core import data\nlen(data.table('sources'))")
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert (tmp_path / "site" / "_build" / "html" / "book" / "index.html").exists()


@pytest.mark.slow
def test_raising_cell_fails_the_build(tmp_path):
    result = build(tmp_path, CELL.format("raise RuntimeError('deliberate failure 7731')"))
    assert result.returncode != 0
    assert "deliberate failure 7731" in result.stdout + result.stderr
    # make book shows one line naming the page and the exception, not the traceback
    (line,) = summarise(result.stdout + "\n" + result.stderr)
    assert line.startswith("页面 ") and "index.md 未能构建" in line
    assert "RuntimeError: deliberate failure 7731" in line


@pytest.mark.slow
def test_warning_printed_by_a_cell_fails_the_build(tmp_path):
    body = CELL.format("import warnings\nwarnings.warn('deliberate warning 5521', RuntimeWarning)")
    result = build(tmp_path, body)
    assert result.returncode != 0
    executed = tmp_path / "site" / "_build" / "jupyter_execute"
    log = result.stdout + "\n" + result.stderr
    (line,) = summarise(log, executed=executed, source=tmp_path / "site")
    assert "index.md 未能构建" in line
    assert "RuntimeWarning: deliberate warning 5521" in line


@pytest.mark.slow
def test_sphinx_warning_fails_the_build(tmp_path):
    result = build(tmp_path, "See {ref}`a-label-that-does-not-exist`.")
    assert result.returncode != 0
    assert "a-label-that-does-not-exist" in result.stdout + result.stderr


@pytest.mark.slow
def test_corrupted_data_fails_the_build_naming_file_row_column(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", data)
    seed = data / "observations" / "seed_2011.csv"
    lines = seed.read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if ",mobile_per_100," in line)
    lines[row] = lines[row].replace(",134.88,", ",-134.88,")
    seed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    body = CELL.format("from analysis.core import data\ndata.table('observations')")
    result = build(tmp_path, body, env={"ATLAS_DATA_DIR": str(data)})
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"observations/seed_2011.csv，第 {row + 1} 行，value 列" in output


def test_a_page_stopped_by_a_stale_sentence_is_one_chinese_line():
    """glue.require's stop is summarised as its own Chinese message, without the class name."""
    log = "\n".join(
        [
            "\x1b[91m/x/book/infrastructure.md: WARNING: Executing notebook failed: "
            "CellExecutionError [mystnb.exec]\x1b[39;49;00m",
            "Traceback (most recent call last):",
            "\x1b[31mStaleSentence\x1b[39m                             Traceback",
            "\x1b[31mStaleSentence\x1b[39m: 信息基础设施：数据已不支持这句话，请修改——“某句话”",
        ]
    )
    (line,) = summarise(log)
    assert line.endswith("未能构建：信息基础设施：数据已不支持这句话，请修改——“某句话”")
    assert "StaleSentence" not in line
