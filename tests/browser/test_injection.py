"""Markup in any data string stays text: the built pages are whole and nothing runs.

Every free-text cell of the data package that can reach a page (names, titles, publishers,
notes, definitions, statements; plus the county names of the map layer; see MATCHED_BY_NAME)
gets one of four
payloads appended: an HTML comment opening a script, a closing ``</script>`` with a script
after it, an ``<img onerror>`` and a ``javascript:`` link. The site is built from that data
into a temporary folder and every page is opened in Chromium: no payload runs, no dialog opens,
every page has as many headings, tables, charts and maps as the clean site (``_build/html``),
and the payloads are shown as text. A ``javascript:`` address in ``sources.csv`` is refused.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.core.paths import REPO_ROOT
from analysis.core.validate import (
    DataValidationError,
    load_package,
    read_descriptor,
    resource_paths,
)

PAYLOADS = [
    "<!--<script>",
    "</script><script>window.__atlasPwned = 1</script>",
    '<img src=x onerror="window.__atlasPwned = 1">',
    '<a href="javascript:window.__atlasPwned = 1">点此</a>',
]
# fields the code matches on, or that must equal another file's cell
NOT_FREE_TEXT = {"unit", "date", "url", "id"}
# Chapter code and pages pick some rows by their Chinese name (counties.COAST and HILLS,
# infrastructure.AREA_COLORS, the infrastructure page's query on 移动电话用户数): those
# names carry no payload; every other area and indicator name does.
MATCHED_BY_NAME = {
    ("areas.csv", "name_zh"): lambda row: row["area_code"] not in {"331003", "331082", "331021"},
    ("indicators.csv", "name_zh"): lambda row: row["id"] == "mobile_users",
}
COUNT = "h1, h2, h3, table, figure, .atlas-chart svg, .atlas-map, script.atlas-spec"

pytestmark = pytest.mark.slow


def free_text_fields(descriptor: dict) -> dict[str, list[str]]:
    """File -> string columns without pattern or enum that are no key or reference."""
    fields: dict[str, list[str]] = {}
    for resource in descriptor["resources"]:
        schema = resource.get("schema")
        if not schema or resource.get("format", "csv") != "csv":
            continue
        keys = set(schema.get("primaryKey", []))
        keys |= {f for fk in schema.get("foreignKeys", []) for f in fk["fields"]}
        names = [
            f["name"]
            for f in schema["fields"]
            if f.get("type", "string") == "string"
            and not {"pattern", "enum"} & set(f.get("constraints", {}))
            and f["name"] not in keys | NOT_FREE_TEXT
        ]
        for rel in resource_paths(resource):
            fields[rel] = names
    return fields


def inject(root: Path) -> int:
    """Append a payload to every free-text cell under ``root``; return the cells changed."""
    changed = 0
    for rel, names in free_text_fields(read_descriptor(root)).items():
        path = root / rel
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
            header = list(rows[0].keys()) if rows else []
        for n, row in enumerate(rows):
            for name in names:
                if MATCHED_BY_NAME.get((rel, name), lambda row: False)(row):
                    continue
                if row.get(name):
                    row[name] += " " + PAYLOADS[(n + changed) % len(PAYLOADS)]
                    changed += 1
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    # the map layer repeats the county names of areas.csv
    areas = {r["area_code"]: r["name_zh"] for r in csv.DictReader((root / "areas.csv").open())}
    for rel in ("geo/taizhou_counties.geojson",):
        layer = json.loads((root / rel).read_text(encoding="utf-8"))
        for feature in layer["features"]:
            feature["properties"]["name_zh"] = areas[feature["properties"]["adcode"]]
        (root / rel).write_text(json.dumps(layer, ensure_ascii=False), encoding="utf-8")
    return changed


@pytest.fixture(scope="module")
def injected_site(tmp_path_factory) -> Path:
    """The site built from data whose every free-text cell carries a payload."""
    keep = os.environ.get("ATLAS_INJECTED_DIR")  # to look at the injected site afterwards
    work = Path(keep) if keep else tmp_path_factory.mktemp("injected")
    shutil.rmtree(work / "data", ignore_errors=True)
    data = work / "data"
    shutil.copytree(REPO_ROOT / "data", data)
    assert inject(data) > 300
    out = work / "out"
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [
            str(jupyter_book),
            *("build", "--warningiserror", "--keep-going", "--path-output", str(out)),
            str(REPO_ROOT),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "ATLAS_DATA_DIR": str(data)},
        cwd=REPO_ROOT,
        timeout=1800,
        check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    return out / "_build" / "html"


def page_paths(site: Path) -> list[str]:
    return sorted(
        str(p.relative_to(site))
        for p in (site / "book").glob("*.html")
        if "http-equiv" not in p.read_text(encoding="utf-8")[:2000]
    )


def census(browser, url: str) -> tuple[dict, list[str], str]:
    """Element counts as parsed, then problems once scripts ran (payload, dialog, error)."""
    page = browser.new_page()
    problems: list[str] = []
    page.on("dialog", lambda d: (problems.append(f"dialog {d.message}"), d.dismiss()))
    page.on("pageerror", lambda e: problems.append(f"script error {e}"))
    page.on(
        "console",
        lambda m: problems.append(f"console {m.text}") if m.type == "error" else None,
    )
    page.goto(url, wait_until="domcontentloaded")
    counts = page.evaluate(
        "sel => Object.fromEntries(sel.split(', ')"
        ".map(s => [s, document.querySelectorAll(s).length]))",
        COUNT,
    )
    page.wait_for_load_state("load")
    for _ in range(6):  # lazily drawn charts and maps
        page.mouse.wheel(0, 2500)
        page.wait_for_timeout(300)
    page.wait_for_timeout(1000)
    if page.evaluate("() => window.__atlasPwned === 1"):
        problems.append("a payload ran")
    text = page.evaluate("() => document.body.innerText")
    page.close()
    return counts, problems, text


def test_payloads_stay_text(injected_site, site, browser):
    from atlas_dev.site import serve

    pages = page_paths(injected_site)
    assert pages == page_paths(site.root)
    shown = set()
    with serve(injected_site) as bad_url:
        for rel in pages:
            clean, clean_problems, _ = census(browser, site.base_url + rel)
            counts, problems, text = census(browser, bad_url + rel)
            assert problems == clean_problems, rel
            if rel == "book/methods.html":
                # its "本期更新" lists the rows changed since the last edition in one table per
                # kind of change: the injected rows are such changes, so the tables may differ
                clean.pop("table"), counts.pop("table")
            assert counts == clean, f"{rel}: {counts} != clean {clean}"
            shown |= {p for p in PAYLOADS if p in text}
    assert "<!--<script>" in shown and any("onerror" in p for p in shown)


def test_javascript_address_is_refused(data_copy, edit_cell):
    edit_cell("sources.csv", 2, "url", "javascript:alert(1)")
    with pytest.raises(DataValidationError) as err:
        load_package(data_copy)
    (problem,) = err.value.problems
    assert (problem.row, problem.column) == (2, "url") and "http://" in str(problem)
