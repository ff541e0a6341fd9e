"""The printed edition (``make pdf``): A4, whole book, key figures, CJK fonts, drawn charts.

Needs poppler-utils (pdfinfo, pdftotext, pdffonts, pdftoppm); skipped locally without them,
failed on CI. The PDF is built into the site by ``make pdf`` (part of ``make test``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from analysis.build import pdf
from analysis.build.reach import PDF_NAME
from analysis.chapters import infrastructure

TOOLS = ("pdfinfo", "pdftotext", "pdffonts", "pdftoppm")


@pytest.fixture(scope="module")
def printed(site) -> Path:
    missing = [t for t in TOOLS if not shutil.which(t)]
    if missing:
        message = f"poppler-utils missing ({', '.join(missing)}): apt-get install poppler-utils"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    path = site.root / "_static" / PDF_NAME
    if not path.is_file():
        pytest.fail(f"{path} not found: run `make pdf`", pytrace=False)
    return path


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _pages(path: Path) -> list[str]:
    return _run("pdftotext", "-layout", str(path), "-").split("\f")


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_a4_and_page_count_recorded(printed, site):
    info = _run("pdfinfo", str(printed))
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert abs(float(size.group(1)) - 595.3) < 2 and abs(float(size.group(2)) - 841.9) < 2
    assert 10 <= pages <= 120, f"{pages} pages"
    report = site.root.parent / "pdf-report.json"
    report.write_text(
        json.dumps({"pages": pages, "bytes": printed.stat().st_size}, indent=2), encoding="utf-8"
    )


def test_cover_contents_and_every_chapter(printed):
    pages = _pages(printed)
    assert "数据版本" in pages[0] and "印刷版" in pages[0]
    assert "目录" in pages[1]
    flat = _flat("".join(pages))
    titles = pdf.document(printed.parents[1])[1]
    for _, title in titles:
        assert _flat(title) in flat, title
    # the contents list gives each chapter's page, and the chapter starts there
    numbers = pdf.chapter_pages(printed, titles)
    assert len(numbers) == len(titles)
    for page, title in titles:
        assert re.search(re.escape(_flat(title)) + str(numbers[page]), _flat(pages[1])), title


def test_every_key_figure_of_the_landing_page(printed, real_data):
    flat = _flat(_run("pdftotext", "-f", "3", "-l", "4", str(printed), "-"))
    for figure in infrastructure.study_figures():
        assert _flat(figure.formatted()) in flat, figure.formatted()


def test_page_numbers_and_running_heads(printed):
    pages = [p for p in _pages(printed) if p.strip()]
    for i, text in enumerate(pages[:5], start=1):
        assert f"第 {i} 页 / 共 {len(pages)} 页" in text
        assert "智慧台州·政策分析" in text.splitlines()[0]


def test_fonts_embedded_and_chinese_text_extractable(printed):
    rows = _run("pdffonts", str(printed)).splitlines()[2:]
    assert rows, "no fonts"
    for row in rows:
        emb = row.split()[-5]
        assert emb == "yes", f"font not embedded: {row}"
    text = _run("pdftotext", "-f", "3", "-l", "3", str(printed), "-")
    assert "智慧台州" in text and "移动电话普及率" in text


def _ink(path: Path, page: int) -> float:
    """Return the share of non-white pixels of one page rendered in grey at 30 dpi."""
    data = subprocess.run(
        ["pdftoppm", "-gray", "-r", "30", "-f", str(page), "-l", str(page), str(path)],
        capture_output=True,
        check=True,
    ).stdout
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    pixels = data[header.end() :]
    return sum(1 for b in pixels if b < 200) / len(pixels)


def test_no_chart_page_is_blank(printed, site):
    titles = set()
    for page in (site.root / "book").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        # charts and printable maps (the interactive map is left out of print)
        titles |= set(
            re.findall(
                r'<figure class="atlas-chart(?:-static)?"[^>]*><p class="atlas-chart-title">'
                r"([^<]+)</p>",
                text,
            )
        )
    assert titles, "no chart titles found in the site"
    pages = _pages(printed)
    checked = 0
    for title in titles:
        hits = [i for i, p in enumerate(pages, start=1) if _flat(title) in _flat(p)]
        assert hits, f"chart not in the printed edition: {title}"
        ink = _ink(printed, hits[-1])
        assert ink > 0.02, f"page {hits[-1]} ({title}) is nearly blank: {ink:.1%} ink"
        checked += 1
    assert checked >= 3


def test_links_lead_inside_the_document_or_to_public_addresses(printed):
    """No link points at the print server (127.0.0.1) or any other local address."""
    uris = re.findall(rb"/URI \(([^)]*)\)", printed.read_bytes())
    assert uris, "no external link at all"
    local = [u for u in uris if not re.match(rb"https?://[a-z]", u) or b"127.0.0.1" in u]
    assert not local, local[:5]


def test_dated_by_the_content_not_the_clock(printed):
    from analysis.build import edition

    info = _run("pdfinfo", "-isodates", str(printed))
    day = edition.content_date()
    assert re.search(rf"CreationDate:\s+{day}T00:00:00", info), info
    assert re.search(rf"ModDate:\s+{day}T00:00:00", info), info


def test_only_the_pinned_font_is_used(printed):
    """Chromium printed seeing the pinned font alone: no machine font reaches the PDF."""
    rows = _run("pdffonts", str(printed)).splitlines()[2:]
    named = {row.split()[0].split("+")[-1] for row in rows if not row.startswith("[none]")}
    assert named <= {"NotoSansSC-Regular"}, named
