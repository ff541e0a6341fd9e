"""The analyst's path end to end: a yearbook's worth of Taizhou figures, the whole book rebuilt.

``tests/fixtures/yearbook_taizhou.csv`` holds 30+ rows (every Taizhou indicator of
``data/expected_coverage.csv``, 2012–2016, with gaps, a falling series and a figure above
the 2011 cautious saturation). The module copies the book and ``data/`` into a temporary
folder, appends the rows and a source, validates and builds the whole book once (the
expensive part: one build per test session), serves it, and checks what a reader sees:
the values on the pages, the gaps closed, the computed sentences and Taizhou's line.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from analysis.core.paths import REPO_ROOT
from atlas_dev.site import serve

FIXTURE = REPO_ROOT / "tests" / "fixtures" / "yearbook_taizhou.csv"
BIN = Path(sys.executable).parent
SOURCE = [
    "test_tz_yearbook_2017",
    "《台州统计年鉴2017》（测试用）",
    "台州市统计局",
    "2017",
    "official",
    "",
    "测试用数据。",
    "Test fixture.",
]
TAIZHOU_COLOUR = "#0b5d7a"


def rows() -> list[dict[str, str]]:
    with FIXTURE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def yearbook_site(tmp_path_factory):
    """Build the whole book on data/ plus the yearbook rows; serve it for the module."""
    root = tmp_path_factory.mktemp("yearbook")
    shutil.copytree(REPO_ROOT / "book", root / "book")
    shutil.copytree(REPO_ROOT / "data", root / "data")
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy(REPO_ROOT / name, root)
    with (root / "data" / "sources.csv").open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(SOURCE)
    body = FIXTURE.read_text(encoding="utf-8").split("\n", 1)[1]
    with (root / "data" / "observations" / "taizhou.csv").open("a", encoding="utf-8") as fh:
        fh.write(body)
    env = {**os.environ, "ATLAS_DATA_DIR": str(root / "data")}
    checked = subprocess.run(
        [str(BIN / "python"), "-m", "analysis.build.check"],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = subprocess.run(
        [str(BIN / "jupyter-book"), "build", "--warningiserror", "--keep-going", str(root)],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    html = root / "_build" / "html"
    with serve(html) as base_url:
        yield html, base_url


def text(html: Path, page: str) -> str:
    soup = BeautifulSoup((html / "book" / page).read_text(encoding="utf-8"), "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    return " ".join(soup.get_text(" ").split())


def test_the_fixture_covers_every_taizhou_indicator_expected():
    import pandas as pd

    expected = pd.read_csv(REPO_ROOT / "data" / "expected_coverage.csv", dtype=str)
    wanted = set(expected[expected.area_code == "331000"].indicator)
    given = {r["indicator"] for r in rows() if r["area_code"] == "331000"}
    assert len(rows()) >= 25 and wanted <= given


@pytest.mark.slow
def test_pages_show_the_yearbook_figures_and_computed_sentences(yearbook_site):
    html, _ = yearbook_site
    scen = text(html, "scenarios.html")
    # the curves rest on Taizhou's own series and pass through its 2016 figure
    assert "移动电话普及率 2016 年 153.71" in scen
    assert "增长速度按台州市 2011—2016 年的公开数字拟合（6 个点）" in scen
    assert "台州 2015 年的公开数字已达到全国 2020 年 70% 的目标" in scen  # published wins
    assert "2015 年已达到（公开数字）" in scen and "2014 年（情景推算）" not in scen
    assert "回测：台州市移动电话普及率" in scen
    score = text(html, "scorecard.html")
    assert "78.37（2016）" in score and "台州数字截至 2016 年" in score
    assert "本站收录了台州" in score and "几乎没有发布过" not in score
    assert "只有 2011 年数字" not in score
    index = text(html, "index.html")
    assert "最新到 2016 年" in index and "基本查不到" not in index
    infra = text(html, "infrastructure.html")
    assert "台州有 6 个年份的公开数字" in infra
    assert "台州只有 2011 年一个年份" not in infra
    assert "千兆宽带用户数在本站可查的材料中没有公开数字（光纤到户已有）" in infra


@pytest.mark.slow
def test_the_gaps_close_for_the_added_years(yearbook_site):
    html, _ = yearbook_site
    soup = BeautifulSoup((html / "book" / "infrastructure.html").read_text("utf-8"), "html.parser")
    caption = next(c for c in soup.find_all("caption") if "数据缺口" in c.get_text())
    cells = {
        (tr.find_all("td")[0].get_text(strip=True), tr.find_all("td")[1].get_text(strip=True)): [
            td.get_text(strip=True) for td in tr.find_all("td")
        ]
        for tr in caption.find_parent("table").find("tbody").find_all("tr")
    }
    mobile = cells[("台州市", "移动电话普及率")]
    assert "2012" not in mobile[-2] and "2016" not in mobile[-2]  # missing years
    assert mobile[3] == "6"  # 2011 and the five added years


@pytest.mark.slow
def test_the_trend_chart_draws_taizhous_line(yearbook_site, browser):
    _, base_url = yearbook_site
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        page.goto(base_url + "book/infrastructure.html", wait_until="networkidle")
        chart = page.locator("figure[id^='chart-infrastructure-trends-'] .atlas-vega")
        chart.hover()  # Vega loads at the first touch of the chart
        page.wait_for_function(
            "(el) => el.getAttribute('data-drawn') === 'true'", arg=chart.element_handle()
        )
        lines = chart.evaluate(
            """(el) => Array.from(el.querySelectorAll('svg .mark-line path'))
                 .map((p) => [p.getAttribute('stroke'), p.getAttribute('d') || ''])"""
        )
        taizhou = [d for stroke, d in lines if stroke == TAIZHOU_COLOUR]
        assert taizhou and max(d.count("L") for d in taizhou) >= 4  # 2011–2016 joined
        page.goto(base_url + "book/scenarios.html", wait_until="networkidle")
        assert page.get_by_text("153.71（2016 年）").first.is_visible()
    finally:
        context.close()
