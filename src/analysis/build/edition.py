"""Editions of the site: a data version, the date the content last changed, what changed.

* :func:`data_version` -- the date of the latest change to ``data/`` and a short hash of its
  contents (SHA-256 over every file's path and bytes, first 8 hex digits). Two builds of the
  same data show the same version, whatever the day of the build.
* :func:`content_date` -- the date the published content last changed: the date of the last
  git commit touching ``book/`` or ``data/`` (or the table of contents). When those folders
  have uncommitted edits, or there is no git (an unpacked archive), it is the newest
  modification time of their files. Never the build clock.
* Editions are recorded in ``editions/`` as manifests: one JSON per published edition with
  the data version and, for every row of every table in the data package, its key and a hash
  of its values (``python -m analysis.build.edition record``, ``make edition``). :func:`changes`
  compares the current data with the previous edition: rows added, revised and removed. The
  manifest is kept in the repository, so the comparison needs neither git nor history.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from analysis.core.paths import REPO_ROOT, data_dir

EDITIONS_DIR = REPO_ROOT / "editions"
CONTENT_PATHS = ("book", "data", "_toc.yml")
# the fallback date of a file tree is in China's time zone, like the site's readers
TZ = dt.timezone(dt.timedelta(hours=8))


@dataclass(frozen=True)
class DataVersion:
    """The version of ``data/``: the date of its latest change and a short content hash."""

    date: str  # YYYY-MM-DD
    digest: str  # 8 hex digits

    def label(self) -> str:
        """Return the version as shown to readers: '2026-11-25 · 1a2b3c4d'."""
        return f"{self.date} · {self.digest}"


@dataclass
class TableChanges:
    """Rows added, revised and removed in one table (keys as dicts of column → value)."""

    table: str
    added: list[dict] = field(default_factory=list)
    revised: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)

    def total(self) -> int:
        """Return the number of changed rows."""
        return len(self.added) + len(self.revised) + len(self.removed)


# --------------------------------------------------------------------------- dates


def _git(args: list[str], root: Path) -> str | None:
    """Run git in ``root``; return its output, or None without git or outside a work tree."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _newest_mtime(paths: list[Path]) -> str:
    """Return the newest modification date (YYYY-MM-DD, China time) of the files under paths."""
    newest = 0.0
    for base in paths:
        files = base.rglob("*") if base.is_dir() else [base]
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                newest = max(newest, path.stat().st_mtime)
    return dt.datetime.fromtimestamp(newest, TZ).date().isoformat()


def last_change_date(paths: list[Path], root: Path = REPO_ROOT) -> str:
    """Return the date the files under ``paths`` last changed (see the module docstring)."""
    rel = [str(p.relative_to(root)) if p.is_relative_to(root) else str(p) for p in paths]
    inside = all(p.is_relative_to(root) for p in paths)
    if inside and _git(["rev-parse", "--is-inside-work-tree"], root) == "true":
        dirty = _git(["status", "--porcelain", "--", *rel], root)
        date = _git(["log", "-1", "--format=%cs", "--", *rel], root)
        if dirty == "" and date:
            return date
    return _newest_mtime(paths)


def content_date(root: Path = REPO_ROOT) -> str:
    """Return the date the site's content (pages, data, contents) last changed."""
    return last_change_date([root / p for p in CONTENT_PATHS if (root / p).exists()], root)


def data_digest(root: Path | None = None) -> str:
    """Return the first 8 hex digits of a SHA-256 over every file of ``data/``."""
    root = root or data_dir()
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes().replace(b"\r\n", b"\n"))
    return digest.hexdigest()[:8]


def commit_data_digest(commit: str, root: Path = REPO_ROOT) -> str:
    """Return :func:`data_digest` of ``data/`` as of a git commit."""
    names = (_git(["ls-tree", "-r", "--name-only", commit, "data"], root) or "").splitlines()
    digest = hashlib.sha256()
    for name in sorted(names, key=lambda n: Path(n).relative_to("data").parts):
        blob = subprocess.run(
            ["git", "show", f"{commit}:{name}"], cwd=root, capture_output=True, check=True
        ).stdout
        digest.update(Path(name).relative_to("data").as_posix().encode())
        digest.update(blob.replace(b"\r\n", b"\n"))
    return digest.hexdigest()[:8]


def data_version(root: Path | None = None) -> DataVersion:
    """Return the version of ``data/`` (date of its latest change, short content hash)."""
    root = root or data_dir()
    return DataVersion(last_change_date([root]), data_digest(root))


# --------------------------------------------------------------------------- manifests


def _read_text(root: Path, rel: str, commit: str | None) -> str:
    """Read a data file from the work tree, or from a git commit when ``commit`` is given."""
    if commit is None:
        return (root / rel).read_text(encoding="utf-8-sig")
    text = _git(["show", f"{commit}:data/{rel}"], REPO_ROOT)
    return (text or "").lstrip("\ufeff")


def _descriptor(root: Path, commit: str | None) -> dict:
    return json.loads(_read_text(root, "datapackage.json", commit))


def table_rows(root: Path | None = None, commit: str | None = None) -> dict[str, dict[str, str]]:
    """Return {table: {row key: row hash}} for every table of the data package.

    A row's key is its primary-key values joined by ``|``; its hash is the first 12 hex
    digits of a SHA-256 over all its values. ``commit`` reads ``data/`` as of a git commit.
    """
    root = root or data_dir()
    out: dict[str, dict[str, str]] = {}
    for resource in _descriptor(root, commit)["resources"]:
        key = resource.get("schema", {}).get("primaryKey")
        paths = resource.get("path")
        if not key:
            continue
        rows: dict[str, str] = {}
        for rel in [paths] if isinstance(paths, str) else paths:
            text = _read_text(root, rel, commit)
            for row in csv.DictReader(io.StringIO(text)):
                k = "|".join((row.get(c) or "").strip() for c in key)
                values = json.dumps(sorted(row.items()), ensure_ascii=False)
                rows[k] = hashlib.sha256(values.encode()).hexdigest()[:12]
        out[resource["name"]] = {"key": key, "rows": rows}
    return out


def manifest(root: Path | None = None, commit: str | None = None) -> dict:
    """Return the manifest of the current data (or of ``data/`` at a git commit)."""
    root = root or data_dir()
    if commit is None:
        version = data_version(root)
        date, digest = version.date, version.digest
    else:
        date = _git(["log", "-1", "--format=%cs", commit], REPO_ROOT) or ""
        digest = commit_data_digest(commit)
    return {"date": date, "data_version": digest, "tables": table_rows(root, commit)}


def editions(folder: Path = EDITIONS_DIR) -> list[dict]:
    """Return the recorded editions, oldest first (file names start with the edition number)."""
    if not folder.is_dir():
        return []
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def record(folder: Path = EDITIONS_DIR, commit: str | None = None) -> Path:
    """Write the manifest of the current data (or of a commit) as a new edition; return it."""
    data = {"edition": len(editions(folder)) + 1, **manifest(commit=commit)}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{data['edition']:03d}-{data['date']}-{data['data_version']}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    return path


def previous_edition(current: dict, recorded: list[dict]) -> dict | None:
    """Return the edition the current data is compared with.

    If the current data is the latest recorded edition, the one before it; otherwise (data
    changed since the latest edition) the latest edition. None when there is none.
    """
    if recorded and recorded[-1]["data_version"] == current["data_version"]:
        return recorded[-2] if len(recorded) > 1 else None
    return recorded[-1] if recorded else None


def _key_dict(key: list[str], joined: str) -> dict:
    return dict(zip(key, joined.split("|"), strict=False))


def diff(old: dict, new: dict) -> list[TableChanges]:
    """Return the rows added, revised and removed, table by table, from ``old`` to ``new``."""
    result = []
    for name in list(new["tables"]) + [t for t in old["tables"] if t not in new["tables"]]:
        before = old["tables"].get(name, {"rows": {}})
        after = new["tables"].get(name, {"rows": {}})
        key = after.get("key") or before.get("key")
        changes = TableChanges(name)
        for k, h in after["rows"].items():
            if k not in before["rows"]:
                changes.added.append(_key_dict(key, k))
            elif before["rows"][k] != h:
                changes.revised.append(_key_dict(key, k))
        changes.removed = [_key_dict(key, k) for k in before["rows"] if k not in after["rows"]]
        result.append(changes)
    return result


def changes(folder: Path = EDITIONS_DIR) -> tuple[dict | None, dict, list[TableChanges]]:
    """Return (previous edition or None, current manifest, changes since the previous one)."""
    current = manifest()
    previous = previous_edition(current, editions(folder))
    if previous is None:
        return None, current, []
    return previous, current, diff(previous, current)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``record`` the current data (or ``--at COMMIT``) as an edition, or ``show``."""
    parser = argparse.ArgumentParser(prog="python -m analysis.build.edition")
    parser.add_argument("action", choices=["record", "show"])
    parser.add_argument("--at", help="record data/ as of this git commit")
    args = parser.parse_args(argv)
    if args.action == "record":
        print(f"recorded {os.path.relpath(record(commit=args.at))}")
        return 0
    version = data_version()
    print(f"data version {version.label()}, content date {content_date()}")
    previous, _, found = changes()
    if previous is None:
        print("no previous edition recorded")
    for t in found:
        if t.total():
            print(f"{t.table}: +{len(t.added)} ~{len(t.revised)} -{len(t.removed)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


# --------------------------------------------------------------------------- pages

AUTHOR = "智慧台州·政策分析项目组"
TITLE = "智慧台州·政策分析"
DETAIL_LIMIT = 20  # changed rows listed per table; the rest are counted


def citation(version: DataVersion | None = None) -> str:
    """Return the suggested citation (GB/T 7714-2015, electronic resource) of this edition."""
    version = version or data_version()
    return (
        f"{AUTHOR}. {TITLE}：数据版本 {version.date}（{version.digest}）[EB/OL]. "
        f"({version.date})[引用日期]."
    )


def _describe(table: str, key: dict) -> str:
    """Return a row key in words: an observation as area, year and indicator."""
    from analysis.core import data

    if "area_code" in key and "indicator" in key:
        areas = data.indexed("areas", "area_code")["name_zh"]
        names = data.indexed("indicators", "id")["name_zh"]
        area = areas.get(key["area_code"], key["area_code"])
        what = names.get(key["indicator"], key["indicator"])
        year = key.get("year") or key.get("target_year") or ""
        return f"{area} {year} 年 {what}" if year else f"{area} {what}"
    return "、".join(v for v in key.values() if v)


def changes_section() -> str:
    """Render “本期更新”: a sentence, a table of rows added, revised and removed per table,
    and the changed observations and targets in words (at most :data:`DETAIL_LIMIT` each)."""
    from html import escape

    import pandas as pd

    from analysis.core.validate import read_descriptor
    from analysis.render.html import Html, table

    previous, current, found = changes()
    if previous is None:
        return Html("<p>这是本站记录的第一个版本，尚无可比较的上一版本。</p>")
    this = data_version()
    same = bool(editions()) and editions()[-1]["data_version"] == current["data_version"]
    label = f"第 {editions()[-1]['edition']} 版" if same else "当前数据（尚未记录为新版本）"
    prev_label = f"第 {previous['edition']} 版（{previous['date']} · {previous['data_version']}）"
    changed = [t for t in found if t.total()]
    if not changed:
        return Html(f"<p>{escape(label)}与{escape(prev_label)}相比，数据没有变化。</p>")

    names = {r["name"]: r.get("title", r["name"]) for r in read_descriptor()["resources"]}
    summary = pd.DataFrame(
        [
            {
                "数据表": names.get(t.table, t.table),
                "新增行": len(t.added),
                "修订行": len(t.revised),
                "删除行": len(t.removed),
            }
            for t in changed
        ]
    )
    total = sum(t.total() for t in changed)
    parts = [
        f"<p>{escape(label)}（数据版本 {escape(this.label())}）与{escape(prev_label)}相比，"
        f"共有 {len(changed)} 张数据表的 {total} 行发生变化。</p>",
        table(
            summary,
            "本期更新：各数据表新增、修订和删除的行数",
            numeric=["新增行", "修订行", "删除行"],
        ),
    ]
    for t in changed:
        if t.table not in ("observations", "targets"):
            continue
        rows = [("新增", k) for k in t.added] + [("修订", k) for k in t.revised]
        rows += [("删除", k) for k in t.removed]
        shown = pd.DataFrame(
            [{"变化": kind, "数据": _describe(t.table, k)} for kind, k in rows[:DETAIL_LIMIT]]
        )
        more = len(rows) - DETAIL_LIMIT
        note = f"另有 {more} 行变化未列出，可下载数据表比较。" if more > 0 else None
        parts.append(table(shown, f"本期更新：{names.get(t.table, t.table)}", note=note))
    return Html("".join(parts))
