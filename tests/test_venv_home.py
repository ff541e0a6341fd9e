"""``make`` in a copied or moved project folder never runs another folder's package.

A ``.venv`` carries absolute paths (script shebangs, the editable install of ``analysis``), so a
copy would run the first folder's code and data. The Makefile deletes a ``.venv`` made in another
folder (or left half-installed) before any rule runs, and the install rule rebuilds it here.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from analysis.core.paths import REPO_ROOT

NOTICE = "注意：.venv 不是在本文件夹"


def fake_venv(folder: Path, home: Path) -> Path:
    """A .venv whose scripts and editable install point at ``home`` (not really runnable)."""
    venv = folder / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "jupyter-book").write_text(f"#!{home}/.venv/bin/python\n", encoding="utf-8")
    site = venv / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    (site / "__editable__.analysis-0.1.0.pth").write_text(f"{home}/src\n", encoding="utf-8")
    return venv


def dry_run(folder: Path) -> subprocess.CompletedProcess[str]:
    for name in ("Makefile", "requirements.txt", "pyproject.toml"):
        shutil.copy(REPO_ROOT / name, folder / name)
    return subprocess.run(
        ["make", "-n", "-C", str(folder), "lint"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("other", ["/srv/first-edition", None], ids=["copied", "half-made"])
def test_venv_from_another_folder_is_rebuilt(tmp_path, other):
    folder = tmp_path / "second-edition"
    folder.mkdir()
    venv = fake_venv(folder, Path(other) if other else folder)
    if other is None:
        (venv / "bin" / "jupyter-book").unlink()  # install never finished
    result = dry_run(folder)
    assert NOTICE in result.stdout + result.stderr
    assert not venv.exists()
    assert "-m venv .venv" in result.stdout  # the install rule runs again, here


def test_own_venv_is_kept(tmp_path):
    folder = tmp_path / "edition"
    folder.mkdir()
    venv = fake_venv(folder, folder.resolve())
    result = dry_run(folder)
    assert NOTICE not in result.stdout + result.stderr
    assert venv.exists()
