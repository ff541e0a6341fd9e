"""Layout as a reader sees it, on a desktop (1366 px) and a phone (390 px).

* Nothing on a page reaches past the window's edge, where it would be cut off or make a
  phone reader scroll sideways (a wide table scrolls inside its own box, with a cue).
* In every chart (the static drawing first shown, then the one Vega redraws when a reader
  points at it) no two pieces of text overlap, no text is cut off at the drawing's edge and
  no label is shortened with "…".
* The county map's layer switch and legends sit outside the map, so they cover no county;
  the map names every county and shows only the legend of the visible layer.
"""

from __future__ import annotations

import pytest

WIDTHS = {"desktop": 1366, "phone": 390}
SLACK_PX = 1.5  # sub-pixel rounding between the boxes of neighbouring text

# The text boxes of each <svg> drawing in `root`: what overlaps, what is clipped or cut.
CHART_TEXT_JS = """
(root, slack) => {
  const visible = (el, stop) => {
    for (let e = el; e && e !== stop.parentElement; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.display === 'none' || cs.visibility === 'hidden' || +cs.opacity === 0) return false;
    }
    return true;
  };
  const problems = [];
  const svgs = Array.from(root.querySelectorAll('svg')).filter((s) => s.querySelector('text'));
  for (const svg of svgs) {
    const box = svg.getBoundingClientRect();
    const frame = root.getBoundingClientRect();
    if (box.right > frame.right + slack || box.left < frame.left - slack) {
      problems.push(`drawing ${Math.round(box.width)} px wide sticks out of its ${
        Math.round(frame.width)} px box`);
    }
    const texts = Array.from(svg.querySelectorAll('text'))
      .filter((t) => t.textContent.trim() && visible(t, svg))
      .map((t) => ({text: t.textContent.trim(), r: t.getBoundingClientRect()}))
      .filter((t) => t.r.width > 0 && t.r.height > 0);
    for (const t of texts) {
      if (t.text.endsWith('…')) problems.push(`cut short: "${t.text}"`);
      if (t.r.left < box.left - slack || t.r.right > box.right + slack
          || t.r.top < box.top - slack || t.r.bottom > box.bottom + slack) {
        problems.push(`clipped at the edge: "${t.text}"`);
      }
    }
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i].r, b = texts[j].r;
        const same = Math.abs(a.left - b.left) < 1 && Math.abs(a.top - b.top) < 1
          && Math.abs(a.width - b.width) < 1;
        if (same && texts[i].text === texts[j].text) continue; // a label over its own halo
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > slack && h > slack) {
          problems.push(`"${texts[i].text}" overlaps "${texts[j].text}"`);
        }
      }
    }
  }
  return problems;
}
"""

# Elements of the page's content that reach past the window's right edge, unless a box of
# their own scrolls them (a wide table): the theme hides what sticks out, so a chart or a
# line that is too wide is silently cut off rather than scrolled.
OVERFLOW_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const scrolledInside = (el) => {
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (['auto', 'scroll'].includes(cs.overflowX)) {
        return e.getBoundingClientRect().right <= width + 1;
      }
    }
    return false;
  };
  const wide = Array.from(document.querySelectorAll('article *, footer *')).filter((el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.right > width + 1 && !scrolledInside(el);
  });
  const shown = wide.filter((el) => !wide.includes(el.parentElement)).slice(0, 6)
    .map((el) => `<${el.tagName.toLowerCase()} class="${el.getAttribute('class') || ''}"> ${
      (el.textContent || '').trim().slice(0, 30)} ends at ${
      Math.round(el.getBoundingClientRect().right)} px`);
  // a table that scrolls sideways inside its box says so just above it
  const uncued = Array.from(document.querySelectorAll('.atlas-table-wrap, .table-wrapper'))
    .filter((box) => box.scrollWidth > box.clientWidth + 1)
    .filter((box) => {
      const hint = box.previousElementSibling;
      return !(hint && hint.classList.contains('atlas-scroll-hint') && !hint.hidden
        && box.classList.contains('atlas-scrolls') && box.tabIndex === 0);
    }).map((box) => (box.querySelector('caption') || box).textContent.trim().slice(0, 40));
  return {scroll: document.documentElement.scrollWidth, width, wide: shown, uncued};
}
"""


def open_page(browser, site, page_path: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(site.base_url + page_path, wait_until="networkidle")
    return context, page


@pytest.mark.parametrize("device", WIDTHS)
def test_no_page_is_wider_than_the_window(site, browser, page_path: str, device: str):
    context, page = open_page(browser, site, page_path, WIDTHS[device])
    try:
        for figure in page.locator(".atlas-chart, .atlas-map").all():
            figure.scroll_into_view_if_needed()
            page.wait_for_timeout(50)
        state = page.evaluate(OVERFLOW_JS)
    finally:
        context.close()
    assert not state["uncued"], (
        f"{page_path} at {WIDTHS[device]} px: tables scroll sideways without a cue: "
        + "; ".join(state["uncued"])
    )
    assert state["scroll"] <= state["width"] and not state["wide"], (
        f"{page_path} at {WIDTHS[device]} px ({state['scroll']} px of content) has content "
        "past the right edge of the window:\n  " + "\n  ".join(state["wide"])
    )


def chart_problems(figure) -> list[str]:
    return figure.evaluate(CHART_TEXT_JS, SLACK_PX)


@pytest.mark.parametrize("device", WIDTHS)
def test_chart_text_neither_overlaps_nor_is_clipped(site, browser, page_path: str, device: str):
    context, page = open_page(browser, site, page_path, WIDTHS[device])
    problems: list[str] = []
    try:
        for figure in page.locator(".atlas-chart, .atlas-chart-static").all():
            figure.scroll_into_view_if_needed()
            name = figure.get_attribute("id") or "static chart"
            problems += [f"{name} (as first shown): {p}" for p in chart_problems(figure)]
            vega = figure.locator(".atlas-vega")
            if vega.count():
                figure.hover()
                page.wait_for_function(
                    "(el) => el.getAttribute('data-drawn') === 'true'",
                    arg=vega.element_handle(),
                    timeout=15_000,
                )
                page.wait_for_timeout(100)
                problems += [f"{name} (redrawn): {p}" for p in chart_problems(figure)]
    finally:
        context.close()
    assert not problems, f"{page_path} at {WIDTHS[device]} px:\n  " + "\n  ".join(problems[:20])


# The county map: switch and legends outside the map, one legend shown, every county named.
MAP_STATE_JS = """
(figure) => {
  const map = figure.querySelector('.leaflet-container').getBoundingClientRect();
  const box = (el) => el.getBoundingClientRect();
  const meets = (a, b) => a.left < b.right && b.left < a.right
    && a.top < b.bottom && b.top < a.bottom;
  const controls = Array.from(figure.querySelectorAll('.atlas-measure-switch, .atlas-legend'))
    .filter((el) => !el.hidden && box(el).height > 0);
  const labels = Array.from(figure.querySelectorAll('.atlas-county-label span'))
    .filter((el) => box(el).width > 0);
  const overlaps = [];
  labels.forEach((a, i) => labels.slice(i + 1).forEach((b) => {
    if (meets(box(a), box(b))) overlaps.push(`${a.textContent} / ${b.textContent}`);
  }));
  return {
    controlsOnMap: controls.filter((el) => meets(box(el), map)).map((el) => el.className),
    legends: Array.from(figure.querySelectorAll('.atlas-legend[data-measure]'))
      .filter((el) => !el.hidden && box(el).height > 0).map((el) => el.dataset.measure),
    names: labels.map((el) => el.textContent),
    labelsOutside: labels.filter((el) => !meets(box(el), map)).map((el) => el.textContent),
    overlaps,
    scale: Array.from(figure.querySelectorAll('.leaflet-control-scale-line'))
      .map((el) => el.textContent),
    fills: Array.from(figure.querySelectorAll('path.leaflet-interactive'))
      .map((p) => p.getAttribute('fill')).join(','),
  };
}
"""


@pytest.mark.parametrize("device", WIDTHS)
def test_county_map_controls_leave_the_counties_visible(site, browser, device: str):
    from analysis.model import counties
    from analysis.render.maps import read_layer

    context, page = open_page(browser, site, "book/counties.html", WIDTHS[device])
    try:
        figure = page.locator("figure.atlas-map").first
        figure.scroll_into_view_if_needed()
        page.wait_for_function(
            "(f) => f.querySelectorAll('path.leaflet-interactive').length >= 9",
            arg=figure.element_handle(),
            timeout=15_000,
        )
        first = figure.evaluate(MAP_STATE_JS)
        figure.locator("input[name=atlas-measure]").nth(2).check()
        page.wait_for_timeout(200)
        switched = figure.evaluate(MAP_STATE_JS)
    finally:
        context.close()
    measures = [m.id for m in counties.MEASURES]
    assert first["controlsOnMap"] == [], f"controls over the map: {first['controlsOnMap']}"
    assert first["legends"] == [measures[0]] and switched["legends"] == [measures[2]]
    assert switched["fills"] != first["fills"], "the switch did not recolour the counties"
    assert sorted(first["names"]) == sorted(read_layer(counties.LAYER).name_zh)
    assert first["labelsOutside"] == [] and first["overlaps"] == []
    assert first["scale"] and all(s.strip().endswith(("km", "m")) for s in first["scale"])


EXPORT_JS = """
async (el) => {
  const text = decodeURIComponent((await el.atlasExport('svg')).split(',')[1]);
  const png = await el.atlasExport('png');
  return {text, png: png.slice(0, 22), size: png.length};
}
"""


def test_a_saved_chart_carries_its_title_unit_and_source(site, browser):
    context, page = open_page(browser, site, "book/infrastructure.html", 1366)
    try:
        figure = page.locator("figure.atlas-chart").first
        figure.hover()  # Vega loads at the first touch of the figure
        chart = figure.locator(".atlas-vega")
        page.wait_for_function(
            "(el) => el.getAttribute('data-drawn') === 'true'",
            arg=chart.element_handle(),
            timeout=15_000,
        )
        assert figure.locator(".atlas-chart-export button").count() == 2
        saved = chart.evaluate(EXPORT_JS)
        title = figure.get_attribute("data-export-title")
        source = figure.get_attribute("data-export-source")
    finally:
        context.close()
    assert title in saved["text"] and source in saved["text"]
    assert "移动电话普及率（部/百人）" in saved["text"]  # the axis names indicator and unit
    assert saved["png"] == "data:image/png;base64," and saved["size"] > 5_000
