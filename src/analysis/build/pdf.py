"""The printed edition: one A4 PDF of the whole book, made from the built site's own pages.

``make pdf`` (after ``make book``) runs ``python -m analysis.build.pdf``:

1. takes the ``<article>`` of every page of the built site in the order of ``_toc.yml``,
   makes its ids unique (``p-<page>--<id>``) and turns links between pages into links inside
   the document; links to the site's files (downloads, data) keep their text but not the link,
   which would point at the print server;
2. puts a cover (title, edition, data version, date the content last changed) and a contents
   list in front, and the site's stylesheets plus the print stylesheet (``atlas-print.css``)
   around it; no script runs, so every chart and map is its static drawing (the interactive
   map is left out, its printable drawing is kept), sources folded under a chart are opened;
3. prints it with the Chromium the browser tests use (Playwright's ``page.pdf``: A4, running
   head with the title and edition, page numbers, bookmarks), twice: the first pass finds the
   page on which each chapter starts (``pdftotext``, when poppler is installed) so that the
   contents list shows page numbers;
4. writes the PDF into the built site (``_static/smart-taizhou-atlas.pdf``), where every
   page's footer links to it.

Nothing is downloaded. The PDF is the same on every machine (``make repro`` compares it):
Chromium prints it seeing only the pinned font of :mod:`analysis.render.fonts` (Noto Sans SC
from a registry package; the generic families mean it too), never the machine's own fonts, and
the document's creation and modification dates are the date the content last changed
(:func:`analysis.build.edition.content_date`), not the clock.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from analysis.build import edition
from analysis.build.browser import chromium_path, launch_chromium, serve
from analysis.build.reach import PDF_NAME
from analysis.core.paths import BUILD_DIR, REPO_ROOT
from analysis.render import fonts

SITE_DIR = BUILD_DIR / "html"
TITLE = "智慧台州·政策分析"
SUBTITLE = "建设“智慧台州”的数据、图表与评估 · 印刷版"
FONT = f"'{fonts.FAMILY}', sans-serif"  # the only family Chromium sees when it prints
# Chromium writes the clock into these (D:YYYYMMDDHHmmSS+00'00'); same length when replaced
PDF_DATES = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}([^)]*)\)")
NODE_ID = re.compile(rb"\(node(\d{8})\)")  # ids of the tagged structure

ARTICLE = re.compile(r'<article role="main"[^>]*>(.*)</article>', re.S)
H1 = re.compile(r"<h1>(.*?)<a class=\"headerlink\"", re.S)
SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
STYLESHEET = re.compile(r'<link rel="stylesheet" type="text/css" href="([^"]+)"\s*/>')
ID_ATTR = re.compile(r'\bid="([^"]+)"')
HREF = re.compile(r'\bhref="([^"]*)"')


def toc_pages(root: Path = REPO_ROOT) -> list[str]:
    """Return the book's pages (``book/index``, ...) in the order of ``_toc.yml``."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        pages += [c["file"] for c in part.get("chapters", [])]
    return [p.removesuffix(".md") for p in pages]


def _anchor(page: str, frag: str = "") -> str:
    name = page.replace("/", "-")
    return f"p-{name}--{frag}" if frag else f"p-{name}"


def _rewrite_links(body: str, page: str, pages: set[str]) -> str:
    """Make ids unique per page and turn links between book pages into in-document links."""
    body = ID_ATTR.sub(lambda m: f'id="{_anchor(page, m.group(1))}"', body)
    folder = page.rsplit("/", 1)[0] + "/" if "/" in page else ""

    def link(match: re.Match) -> str:
        href = html.unescape(match.group(1))
        if href.startswith("#"):
            return f'href="#{_anchor(page, href[1:])}"'
        if re.match(r"^[a-z]+:", href) or href.startswith("/"):
            return match.group(0)
        path, _, frag = href.partition("#")
        target = (folder + path.removesuffix(".html")) if path.endswith(".html") else None
        if target is not None:
            target = str(Path(target)).replace("\\", "/")
            parts: list[str] = []
            for piece in target.split("/"):
                if piece == "..":
                    parts = parts[:-1]
                elif piece not in ("", "."):
                    parts.append(piece)
            target = "/".join(parts)
        if target in pages:
            return f'href="#{_anchor(target, frag) if frag else _anchor(target)}"'
        # a file of the site (a download, a data file): the print server's address would be
        # printed into the PDF, so the text stays and the link goes
        return ""

    return HREF.sub(link, body)


def chapter(site: Path, page: str, pages: set[str]) -> tuple[str, str]:
    """Return (title, HTML section) of one built page, ready for the printed edition."""
    text = (site / f"{page}.html").read_text(encoding="utf-8")
    match = ARTICLE.search(text)
    if not match:
        raise SystemExit(f"印刷版：{page}.html 中没有正文（<article>），请先运行 make book。")
    body = SCRIPT.sub("", match.group(1))
    title_match = H1.search(body)
    title = re.sub(r"<[^>]+>", "", title_match.group(1)).strip() if title_match else page
    body = body.replace("<details", "<details open")
    body = _rewrite_links(body, page, pages)
    return title, f'<section class="pdf-chapter" id="{_anchor(page)}">{body}</section>'


def cover(version: edition.DataVersion, content_date: str, number: int | None) -> str:
    """Return the cover page."""
    ed = f"第 {number} 版 · " if number else ""
    return (
        '<section class="pdf-cover">'
        f'<h1 class="pdf-title">{html.escape(TITLE)}</h1>'
        f'<p class="pdf-subtitle">{html.escape(SUBTITLE)}</p>'
        '<dl class="pdf-edition">'
        f"<dt>版本</dt><dd>{ed}数据版本 {html.escape(version.label())}</dd>"
        f"<dt>数据日期</dt><dd>{html.escape(version.date)}（数据表最后修改的日期）</dd>"
        f"<dt>内容更新</dt><dd>{html.escape(content_date)}</dd>"
        "</dl>"
        f'<p class="pdf-author">{html.escape(edition.AUTHOR)}</p>'
        '<p class="pdf-note">本印刷版由网站页面直接生成，内容与同一版本的网站一致。'
        "交互图表在此为静态图；每张图表下方注明数据来源。</p>"
        "</section>"
    )


def contents(titles: list[tuple[str, str]], numbers: dict[str, int]) -> str:
    """Return the contents page: chapter titles, linked, with page numbers when known."""
    rows = "".join(
        f'<li><a href="#{_anchor(page)}"><span class="pdf-toc-title">{html.escape(title)}</span>'
        f'<span class="pdf-toc-page">{numbers.get(page, "")}</span></a></li>'
        for page, title in titles
    )
    return f'<section class="pdf-contents"><h2>目录</h2><ol>{rows}</ol></section>'


PDF_CSS = f"""
@page {{ size: A4; margin: 18mm 15mm 17mm 15mm; }}
html, body {{ font-family: {FONT}; }}
body {{ --font-stack: {FONT}; --font-stack--headings: {FONT}; }}
.pdf-cover {{ break-after: page; padding-top: 45mm; }}
.pdf-title {{ font-size: 30pt; margin: 0 0 6mm; color: #0b5d7a; }}
.pdf-subtitle {{ font-size: 14pt; margin: 0 0 25mm; }}
.pdf-edition {{ display: grid; grid-template-columns: 7em 1fr; row-gap: 2mm; font-size: 11pt; }}
.pdf-edition dt {{ font-weight: 600; }} .pdf-edition dd {{ margin: 0; }}
.pdf-author {{ margin-top: 30mm; font-size: 12pt; }}
.pdf-note {{ font-size: 9pt; color: #444; margin-top: 8mm; }}
.pdf-contents {{ break-after: page; }}
.pdf-contents ol {{ list-style: none; padding: 0; font-size: 12pt; }}
.pdf-contents li a {{ display: flex; gap: .5em; padding: 1.5mm 0; border-bottom: .4pt dotted #999 }}
.pdf-toc-title {{ flex: 1; }}
.pdf-chapter {{ break-before: page; }}
.pdf-chapter h1 {{ font-size: 19pt; }}
"""

HEADER = (
    '<div style="width:100%; font-size:7.5pt; color:#555; padding:0 15mm; '
    f'font-family:{FONT}; display:flex; justify-content:space-between">'
    "<span>{title}</span><span>{edition}</span></div>"
)
FOOTER = (
    '<div style="width:100%; font-size:8pt; color:#555; text-align:center; '
    f'font-family:{FONT}">第 <span class="pageNumber"></span> 页 / '
    '共 <span class="totalPages"></span> 页</div>'
)


def document(site: Path, numbers: dict[str, int] | None = None) -> tuple[str, list]:
    """Return (HTML of the whole book, [(page, title)]) from the built site."""
    pages = toc_pages()
    known = set(pages)
    parts = [chapter(site, page, known) for page in pages]
    titles = [(page, title) for page, (title, _) in zip(pages, parts, strict=True)]
    head_page = (site / f"{pages[0]}.html").read_text(encoding="utf-8")
    sheets = [href for href in STYLESHEET.findall(head_page) if "pygments" not in href]
    links = "".join(f'<link rel="stylesheet" href="{h}">' for h in sheets)
    links += '<link rel="stylesheet" href="../_static/atlas-print.css">'
    version = edition.data_version()
    recorded = edition.editions()
    number = (
        recorded[-1]["edition"]
        if recorded and recorded[-1]["data_version"] == version.digest
        else None
    )
    body = cover(version, edition.content_date(), number) + contents(titles, numbers or {})
    body += "".join(section for _, section in parts)
    doc = (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{html.escape(TITLE)}</title>{links}<style>{PDF_CSS}</style></head>"
        f'<body><div class="page"><div class="main"><div class="content">{body}'
        "</div></div></div></body></html>"
    )
    return doc, titles


def chapter_pages(pdf: Path, titles: list[tuple[str, str]]) -> dict[str, int]:
    """Return the page on which each chapter starts (its title, searched after the contents)."""
    if not shutil.which("pdftotext"):
        return {}
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    found: dict[str, int] = {}
    start = 2  # page 1 is the cover, page 2 the contents
    for page, title in titles:
        needle = re.sub(r"\s+", "", title)
        for i in range(start, len(pages)):
            # a chapter starts a page: its title is the first line after the running head
            lines = [line for line in pages[i].splitlines() if line.strip()][1:3]
            if any(needle in re.sub(r"\s+", "", line) for line in lines):
                found[page] = i + 1
                start = i + 1
                break
    return found


def print_fonts(folder: Path) -> Path:
    """The fontconfig file Chromium prints with: the pinned font's folder, nothing else."""
    return fonts.fontconfig_file(folder, (str(fonts.font_file().parent),), alias=fonts.FAMILY)


def settle(pdf: Path, content_date: str) -> None:
    """Take what varies from one print run to the next out of the PDF, in place.

    The creation and modification dates become ``content_date`` (YYYY-MM-DD) at midnight UTC,
    and the ids Chromium gives the tagged structure (``node00050755``, numbered in the order
    its renderer happened to create them) are renumbered in the order they appear, the same
    in every reference. Every replacement keeps its length, so the file's offsets hold.
    """
    day = content_date.replace("-", "").encode()

    def dated(match: re.Match) -> bytes:
        return b"/" + match.group(1) + b" (D:" + day + b"000000" + match.group(2) + b")"

    numbers: dict[bytes, bytes] = {}

    def numbered(match: re.Match) -> bytes:
        digits = numbers.setdefault(match.group(1), b"%08d" % (len(numbers) + 1))
        return b"(node" + digits + b")"

    data = PDF_DATES.sub(dated, pdf.read_bytes())
    data = NODE_ID.sub(numbered, data)
    pdf.write_bytes(data)


def render(site: Path, out: Path) -> dict:
    """Print the whole book to ``out``; return facts about the run."""
    started = time.monotonic()
    version = edition.data_version()
    header = HEADER.format(
        title=html.escape(TITLE), edition=html.escape(f"数据版本 {version.label()}")
    )
    numbers: dict[str, int] = {}
    passes = 0
    with (
        tempfile.TemporaryDirectory(prefix="atlas-pdf-fonts-") as fc,
        serve(site) as base_url,
        launch_chromium(env={"FONTCONFIG_FILE": str(print_fonts(Path(fc)))}) as browser,
    ):
        page = browser.new_page()
        # nothing from other hosts: the printed edition is as offline as the site
        page.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith(base_url) else route.abort()
            ),
        )
        current: dict[str, str] = {}
        page.route(
            base_url + "book/__print__.html",
            lambda route: route.fulfill(
                status=200, content_type="text/html; charset=utf-8", body=current["doc"]
            ),
        )
        for _ in range(2):
            current["doc"], titles = document(site, numbers)
            page.goto(base_url + "book/__print__.html", wait_until="load")
            page.evaluate("document.fonts.ready.then(() => true)")
            page.emulate_media(media="print")
            page.pdf(
                path=str(out),
                format="A4",
                print_background=True,
                display_header_footer=True,
                header_template=header,
                footer_template=FOOTER,
                margin={"top": "18mm", "bottom": "17mm", "left": "15mm", "right": "15mm"},
                outline=True,
                tagged=True,
            )
            passes += 1
            found = chapter_pages(out, titles)
            if not found or found == numbers:
                break
            numbers = found
    settle(out, edition.content_date())
    return {
        "pages": numbers,
        "bytes": out.stat().st_size,
        "seconds": round(time.monotonic() - started, 1),
        "passes": passes,
    }


def edition_key(site: Path) -> str:
    """A SHA-256 of everything the printed edition is made from: every file of the built site
    but the PDF, the edition on its cover, this module, the pinned font and the Chromium
    binary (size and date)."""
    from analysis.build import reproducible

    pages = reproducible.manifest(site)
    pages.pop(f"_static/{PDF_NAME}", None)
    digest = hashlib.sha256(json.dumps(pages, sort_keys=True).encode())
    digest.update(Path(__file__).read_bytes())
    cover = [edition.data_version().label(), edition.content_date(), edition.editions()[-1:]]
    digest.update(json.dumps(cover, sort_keys=True, default=str).encode())
    for path in (fonts.font_file(), chromium_path()):
        info = path.stat() if path.exists() else None
        digest.update(f"{path}:{info and (info.st_size, info.st_mtime_ns)}".encode())
    return digest.hexdigest()


def main(argv: list[str] | None = None) -> int:
    """Command line: build the printed edition into the built site."""
    parser = argparse.ArgumentParser(prog="python -m analysis.build.pdf")
    parser.add_argument("--site", type=Path, default=SITE_DIR, help="built site (_build/html)")
    args = parser.parse_args(argv)
    site = args.site.resolve()
    if not (site / "book").is_dir():
        print(f"印刷版：没有找到已构建的网站 {site}，请先运行 make book。", file=sys.stderr)
        return 1
    out = site / "_static" / PDF_NAME
    with tempfile.TemporaryDirectory() as tmp:
        draft = Path(tmp) / PDF_NAME
        facts = render(site, draft)
        shutil.move(draft, out)
    print(
        f"printed edition: {out.relative_to(REPO_ROOT) if out.is_relative_to(REPO_ROOT) else out}"
        f" ({facts['bytes'] / 1024:.0f} KiB, {facts['passes']} pass(es), {facts['seconds']} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
