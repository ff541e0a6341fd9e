"""Charts with controls: every selector and slider redraws the chart when a reader uses it.

The pages are the built pages holding a ``.atlas-vega-controls`` chart; there must be at
least one (the infrastructure chapter's indicator selector).
"""

from __future__ import annotations

import pytest

MARKS_JS = """(el) => Array.from(el.querySelectorAll(
  'svg .mark-symbol path, svg .mark-line path, svg .mark-area path'))
  .map((p) => p.getAttribute('d') + '|' + p.getAttribute('transform')).join(';')"""


# move a range input a quarter of its span away from where it is, as a drag would
SLIDE_JS = """(el) => {
  const lo = +el.min, hi = +el.max, span = hi - lo;
  const v = +el.value + (+el.value - lo < span / 2 ? span / 4 : -span / 4);
  el.value = String(v);
  el.dispatchEvent(new Event('input', {bubbles: true}));
  el.dispatchEvent(new Event('change', {bubbles: true}));
}"""


def pages_with_controls(root) -> list[str]:
    return sorted(
        str(p.relative_to(root))
        for p in root.rglob("*.html")
        if "atlas-vega-controls" in p.read_text(encoding="utf-8")
    )


def test_some_page_has_a_chart_with_controls(site):
    assert pages_with_controls(site.root), "no page has a chart with controls"


def test_every_control_redraws_its_chart(site, browser):
    pages = pages_with_controls(site.root)
    if not pages:
        pytest.fail("no page has a chart with controls")
    errors: list[str] = []
    for page_path in pages:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            page.on("pageerror", lambda err, where=page_path: errors.append(f"{where}: {err}"))
            page.goto(site.base_url + page_path, wait_until="networkidle")
            for chart in page.locator(".atlas-vega-controls").all():
                chart.hover()  # the static drawing is redrawn by Vega at the first touch
                page.wait_for_function(
                    "(el) => el.getAttribute('data-drawn') === 'true'",
                    arg=chart.element_handle(),
                    timeout=15_000,
                )
                selects = chart.locator("select").all()
                sliders = chart.locator("input[type=range]").all()
                assert selects or sliders, f"{page_path}: a chart with controls shows no control"
                for slider in sliders:
                    before = chart.evaluate(MARKS_JS)
                    slider.evaluate(SLIDE_JS)
                    page.wait_for_timeout(300)
                    after = chart.evaluate(MARKS_JS)
                    assert after and after != before, (
                        f"{page_path}: moving a slider did not redraw the chart"
                    )
                for select in selects:
                    before = chart.evaluate(MARKS_JS)
                    options = select.locator("option").all_inner_texts()
                    current = select.input_value()
                    other = next(o for o in options if o != current)
                    select.select_option(label=other)
                    page.wait_for_timeout(300)
                    after = chart.evaluate(MARKS_JS)
                    assert after and after != before, (
                        f"{page_path}: choosing {other!r} did not redraw the chart"
                    )
        finally:
            context.close()
    assert not errors, f"page errors: {errors}"


FILLS_JS = """(el) => Array.from(el.querySelectorAll('path.leaflet-interactive'))
  .map((p) => p.getAttribute('fill'))"""


def test_county_map_draws_nine_counties_and_switches_measure(site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(site.base_url + "book/counties.html", wait_until="networkidle")
        the_map = page.locator(".atlas-leaflet").first
        the_map.scroll_into_view_if_needed()
        page.wait_for_function(
            "(el) => el.querySelectorAll('path.leaflet-interactive').length > 0",
            arg=the_map.element_handle(),
            timeout=15_000,
        )
        before = the_map.evaluate(FILLS_JS)
        # nine county polygons (islands are parts of their county's multipolygon)
        assert len(before) == 9
        # the layer switch sits above the map, in the same figure (it covers no county)
        radios = page.locator("figure.atlas-map").first.locator("input[name=atlas-measure]")
        assert radios.count() >= 2
        radios.nth(radios.count() - 1).check()
        page.wait_for_timeout(200)
        after = the_map.evaluate(FILLS_JS)
        assert len(after) == 9 and after != before
    finally:
        context.close()
