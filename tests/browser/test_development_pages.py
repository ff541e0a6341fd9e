"""The built pages show the development-stage check and the penetration-against-income chart
exactly as :mod:`analysis.chapters.development` computes them from data/."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from analysis.build import lean_pages
from analysis.chapters import development as stage
from analysis.core import data
from analysis.model import development as dev

STUDY = "book/study.html"
INFRA = "book/infrastructure.html"
SPEC = re.compile(
    r'<script type="application/json" class="atlas-spec"(?: data-src="([^"]*)")?>(.*?)</script>',
    re.S,
)


def page_specs(site, page: str) -> list[str]:
    """The chart specs of a built page: inline, or the files they name (lean_pages)."""
    html = (site.root / page).read_text(encoding="utf-8")
    folder = (site.root / page).parent
    return [
        (folder / src).read_text(encoding="utf-8") if src else text
        for src, text in SPEC.findall(html)
    ]


def page_text(site, page: str) -> str:
    path = site.root / page
    if not path.exists():
        pytest.fail(f"{page} is not built")
    html = path.read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html)))


def test_study_page_states_every_computed_sentence(site, real_data):
    text = page_text(site, STUDY)
    values = stage.glue_values()
    for name in (
        "stage_base",
        "stage_check",
        "stage_rate_years",
        "stage_verdict_registered",
        "stage_verdict_resident",
        "stage_331000_registered_6000",
        "stage_331000_resident_10000",
        "stage_100000_resident_10000",
    ):
        assert values[name] in text, name
    for caption in (
        "人均生产总值何时达到 6,000 和 10,000 美元（按当年平均汇率折算）",
        "台州人均生产总值：两种人口口径（本站推算）",
        "浙江与全国的人均生产总值",
        "公布的台州人均生产总值与本站推算的对照",
    ):
        assert caption in text, caption


def test_study_page_cites_every_document_used(site, real_data):
    text = page_text(site, STUDY)
    per = dev.per_capita()
    ids = {s for group in per.sources for s in group} | {s for s in per.rate_source if s}
    for source_id in ids:
        assert data.source_citation(source_id) in text, source_id


def test_penetration_chart_draws_the_computed_points(site, real_data):
    specs = [
        lean_pages.expand(json.loads(s.replace("<\\/", "</"))) for s in page_specs(site, INFRA)
    ]
    (spec,) = [
        s for s in specs if s.get("description", "").startswith("散点图：横轴为人均生产总值")
    ]
    values = next(d["values"] for d in spec["data"] if d.get("values"))
    frame = stage.penetration_frame()
    drawn = sorted((v["地区"], v["年份"], v["指标"], v["普及率"]) for v in values)
    expected = sorted(
        (r["地区"], int(r["年份"]), r["指标"], float(r["普及率"])) for _, r in frame.iterrows()
    )
    assert drawn == expected
    assert stage.income_sentence() in page_text(site, INFRA)
    assert "下载图表数据（CSV）" in page_text(site, INFRA)
