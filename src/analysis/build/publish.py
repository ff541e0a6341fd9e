"""Build the site into a staging folder and publish it only when every page built cleanly.

``make book`` runs ``python -m analysis.build.publish``:

1. validate ``data/`` (:func:`analysis.core.validate.load_package`); on any problem print one
   Chinese line per problem and stop;
2. clear the notebook cache if the package or data changed (:mod:`analysis.build.cache`);
3. run Jupyter Book with warnings as errors into ``_build/stage/_build/html``, its whole output
   kept in ``_build/logs/book.log``; on failure print one line per failed page (and the
   exception a cell raised or the warning it printed) and stop;
4. swap the staged site into ``_build/html`` with two renames.

A failed run never touches ``_build/html``: the previous good site stays, or there is none,
and the last line says which. No traceback reaches the screen; the log keeps everything.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import traceback
from pathlib import Path

from analysis.build import cache
from analysis.core.paths import BUILD_DIR, REPO_ROOT, data_dir

BUILD = Path(os.environ.get("ATLAS_BUILD_DIR") or BUILD_DIR)  # tests build elsewhere
SITE = BUILD / "html"
STAGE = BUILD / "stage"
STAGED_SITE = STAGE / "_build" / "html"
LOG_DIR = BUILD / "logs"
BOOK_LOG = LOG_DIR / "book.log"
PDF_KEPT = BUILD / "pdf"  # the last printed edition and the key of what it was made from
CACHE_DIRS = (STAGE / "_build" / ".jupyter_cache", STAGE / "_build" / ".doctrees")  # = cache's

# "/abs/book/page.md:12: WARNING: text" or "/abs/book/page.md: ERROR: text"
LOCATED = re.compile(
    r"^(?P<path>\S+?\.(?:md|ipynb|rst))(?::\d+)?: (?P<level>WARNING|ERROR|CRITICAL|SEVERE): "
    r"(?P<text>.*)$"
)
EXCEPTION = re.compile(
    r"^(?:\w+\.)*(?P<name>\w*(?:Error|Exception|Warning|Interrupt)|StaleSentence): "
)
WRAPPERS = ("ExecutionError", "CellExecutionError")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def site_status(site: Path | None = None) -> str:
    """The sentence that ends every failed run: what readers see now."""
    site = site or SITE
    if (site / "index.html").exists():
        return f"网站没有更新：{rel(site)} 中仍是上一次成功构建的网站。"
    return f"没有发布任何网站：{rel(site)} 不存在。"


def rel(path: Path) -> str:
    try:
        return str(path.relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def page_name(path: str) -> str:
    """``/abs/book/scenarios.md`` -> ``book/scenarios.md``."""
    try:
        return str(Path(path).resolve().relative_to(REPO_ROOT))
    except ValueError:
        return path


def cell_exception(lines: list[str], start: int) -> str | None:
    """The first exception line (``ValueError: …``) at or after ``start`` in the log."""
    for line in lines[start : start + 400]:
        found = EXCEPTION.match(line.strip())
        if found and found["name"] not in WRAPPERS:
            # a page's own stop (glue.require) is already one Chinese line: no class name
            return line.strip()[found.end() :] if found["name"] == "StaleSentence" else line.strip()
    return None


def stderr_text(executed: Path | None, source: Path, page: str) -> str | None:
    """The first line a page's cells wrote to stderr, from its executed notebook, if kept."""
    if executed is None:
        return None
    try:
        docname = Path(page).resolve().relative_to(source.resolve()).with_suffix(".ipynb")
        notebook = json.loads((executed / docname).read_text(encoding="utf-8"))
    except (ValueError, OSError, json.JSONDecodeError):
        return None
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            if output.get("name") == "stderr":
                text = "".join(output.get("text", []))
                first = next((t.strip() for t in text.splitlines() if t.strip()), "")
                return re.sub(r"^/tmp/ipykernel_\d+/\d+\.py:\d+: ", "", first)
    return None


def summarise(log: str, executed: Path | None = None, source: Path = REPO_ROOT) -> list[str]:
    """One Chinese line per failed page (or per failure without a page) from a build log.

    ``executed`` is the build's ``jupyter_execute`` folder: a page whose cells wrote to
    stderr (a warning) is summarised with what they wrote.
    """
    lines = [ANSI.sub("", line) for line in log.splitlines()]
    failures: dict[str, str] = {}
    for n, line in enumerate(lines):
        found = LOCATED.match(line.strip())
        if not found:
            continue
        page, text = page_name(found["path"]), found["text"].strip()
        if page in failures:
            continue
        if "Executing notebook failed" in text or "CellExecutionError" in text:
            text = cell_exception(lines, n) or text
        elif "stderr was found" in text:
            written = stderr_text(executed, source, found["path"])
            text = f"运行时输出了警告或错误信息：{written}" if written else text
        failures[page] = text
    if not failures:
        for n, line in enumerate(lines):
            if "Executing notebook failed" in line or "CellExecutionError" in line:
                reason = cell_exception(lines, n + 1) or line.strip()
                failures["一个页面"] = reason
                break
            if line.startswith(("Extension error", "Exception occurred", "Sphinx error")):
                failures["网站"] = (cell_exception(lines, n + 1) or line).strip()
                break
            if re.search(r"\b(WARNING|ERROR|CRITICAL): ", line):
                failures["网站"] = line.strip()
                break
    return [
        f"{page if page in ('一个页面', '网站') else '页面 ' + page + ' '}未能构建：{shorten(text)}"
        for page, text in failures.items()
    ]


def shorten(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build_book(log_path: Path | None = None) -> tuple[int, str]:
    """Run Jupyter Book into the staging folder; return its exit code and full output."""
    log_path = log_path or BOOK_LOG
    shutil.rmtree(STAGED_SITE, ignore_errors=True)  # a partial site from an earlier failure
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [
            str(jupyter_book),
            "build",
            "--warningiserror",
            "--keep-going",
            "--path-output",
            str(STAGE),
            str(REPO_ROOT),
        ],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )
    output = result.stdout + "\n" + result.stderr
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.write_text(output, encoding="utf-8")
    return result.returncode, output


def swap_in(staged: Path | None = None, site: Path | None = None) -> None:
    """Replace ``site`` by ``staged`` with two renames (the old site is removed afterwards)."""
    staged, site = staged or STAGED_SITE, site or SITE
    old = site.with_name(site.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        site.rename(old)
    staged.rename(site)
    shutil.rmtree(old, ignore_errors=True)


def fail(lines: list[str]) -> int:
    for line in lines:
        print(line, file=sys.stderr)
    print(site_status(), file=sys.stderr)
    return 1


def publish() -> int:
    """Validate, build into the staging folder and swap it in; return the exit code."""
    from analysis.core.validate import DataValidationError, load_package

    try:
        load_package()
    except DataValidationError as err:
        lines = [f"数据校验未通过（{data_dir()}），构建停止："]
        return fail(lines + [f"  - {p}" for p in err.problems])
    from analysis.model import scenario_checks  # needs the validated tables, so it runs after them

    if lines := scenario_checks.report():
        head = f"数据校验未通过（{data_dir()}）：情景假设与数据或模型不符，构建停止："
        return fail([head] + [f"  - {line}" for line in lines])
    if cache.refresh(cache_dirs=CACHE_DIRS, stamp=BUILD / "inputs.sha256"):
        print("分析代码或数据有改动：已清除笔记本缓存，各页将重新运行。")
    print(f"正在构建网站（完整记录写入 {rel(BOOK_LOG)}）……", flush=True)
    code, output = build_book()
    problems = summarise(output, executed=STAGE / "_build" / "jupyter_execute")
    if code != 0 or problems or not (STAGED_SITE / "index.html").exists():
        lines = problems or [f"网站构建失败（Jupyter Book 退出码 {code}）"]
        lines.append(f"完整记录见 {rel(BOOK_LOG)}。")
        shutil.rmtree(STAGED_SITE, ignore_errors=True)
        return fail(lines)
    print("正在生成印刷版（PDF）……", flush=True)
    if print_edition(STAGED_SITE) != 0:
        shutil.rmtree(STAGED_SITE, ignore_errors=True)
        return fail(["印刷版（PDF）未能生成，网站不发布；上面一行说明了原因。"])
    swap_in()
    print(f"网站已发布到 {rel(SITE)}。")
    return 0


def print_edition(staged: Path) -> int:
    """Print the staged site's PDF into it (analysis.build.pdf), so the site is published whole.

    The PDF is the same whenever what it is made from is (``make repro`` checks it), so when
    :func:`analysis.build.pdf.edition_key` matches the last print, that PDF is copied instead.
    """
    from analysis.build import pdf
    from analysis.build.reach import PDF_NAME

    key, kept = pdf.edition_key(staged), PDF_KEPT / PDF_NAME
    target = staged / "_static" / PDF_NAME
    last = PDF_KEPT / "key"
    if kept.is_file() and last.is_file() and last.read_text(encoding="utf-8") == key:
        shutil.copyfile(kept, target)
        print("印刷版所依据的页面没有变化，沿用上次生成的 PDF。")
        return 0
    code = pdf.main(["--site", str(staged)])
    if code == 0:
        PDF_KEPT.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, kept)
        (PDF_KEPT / "key").write_text(key, encoding="utf-8")
    return code


def main() -> int:
    """Command line; an unexpected error is one line on screen, its traceback in the log."""
    try:
        return publish()
    except Exception:
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        log = LOG_DIR / "publish.log"
        log.write_text(traceback.format_exc(), encoding="utf-8")
        last = traceback.format_exc().strip().splitlines()[-1]
        return fail([f"构建时出现意外错误（{shorten(last)}），完整记录见 {rel(log)}。"])


if __name__ == "__main__":
    raise SystemExit(main())
