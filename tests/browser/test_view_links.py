"""Links that keep the view: a chart's controls and the map's layer are written to the
address, and opening that address shows the same view (the round trip a forwarded link makes).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from test_controls import FILLS_JS, MARKS_JS, SLIDE_JS

DRAWN = "(el) => el.getAttribute('data-state-restored') === 'true'"


def _open_chart(page, url: str, index: int):
    page.goto(url, wait_until="networkidle")
    chart = page.locator(".atlas-vega-controls").nth(index)
    chart.hover()  # Vega loads at the first touch (at once for an address with a view)
    page.wait_for_function(DRAWN, arg=chart.element_handle(), timeout=20_000)
    return chart


def _query(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def test_selector_chart_view_round_trip(site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        chart = _open_chart(page, site.base_url + "book/infrastructure.html", 0)
        select = chart.locator("select").first
        other = next(
            o for o in select.locator("option").all_inner_texts() if o != select.input_value()
        )
        select.select_option(label=other)
        page.wait_for_timeout(300)
        chosen, marks = select.input_value(), chart.evaluate(MARKS_JS)
        query = _query(page)
        assert any(k.startswith("infrastructure-trends.") for k in query), query
        # a colleague opens the forwarded address
        fresh = context.new_page()
        again = _open_chart(fresh, page.url, 0)
        page.wait_for_timeout(300)
        assert again.locator("select").first.input_value() == chosen
        assert again.evaluate(MARKS_JS) == marks
        # the figure offers the address of this view
        link = again.locator("xpath=ancestor::figure//a[@class='atlas-view-link']")
        assert "infrastructure-trends." in link.get_attribute("href")
    finally:
        context.close()


def test_scenario_sliders_and_choice_round_trip(site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        chart = _open_chart(page, site.base_url + "book/scenarios.html", 0)
        sliders = chart.locator("input[type=range]").all()
        assert sliders, "the scenario chart has no slider"
        for slider in sliders:
            slider.evaluate(SLIDE_JS)
        select = chart.locator("select")
        if select.count():
            options = select.first.locator("option").all_inner_texts()
            select.first.select_option(label=options[-1])
        page.wait_for_timeout(400)
        values = [s.input_value() for s in sliders]
        marks = chart.evaluate(MARKS_JS)
        assert len([k for k in _query(page) if k.startswith("scenarios-")]) >= len(sliders)
        fresh = context.new_page()
        again = _open_chart(fresh, page.url, 0)
        fresh.wait_for_timeout(400)
        got = [float(s.input_value()) for s in again.locator("input[type=range]").all()]
        assert got == [float(v) for v in values] or all(
            abs(a - float(b)) < 1e-4 * max(1, abs(a)) for a, b in zip(got, values, strict=True)
        )
        assert again.evaluate(MARKS_JS) == marks
    finally:
        context.close()


def test_map_layer_round_trip(site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(site.base_url + "book/counties.html", wait_until="networkidle")
        the_map = page.locator(".atlas-leaflet").first
        the_map.scroll_into_view_if_needed()
        page.wait_for_function(DRAWN, arg=the_map.element_handle(), timeout=20_000)
        figure = page.locator("figure.atlas-map").first  # the switch sits above the map
        radios = figure.locator("input[name=atlas-measure]")
        last = radios.nth(radios.count() - 1)
        last.check()
        page.wait_for_timeout(200)
        fills = the_map.evaluate(FILLS_JS)
        layer = last.get_attribute("value")
        assert layer in _query(page).values(), page.url
        fresh = context.new_page()
        fresh.goto(page.url, wait_until="networkidle")
        again = fresh.locator(".atlas-leaflet").first
        fresh.wait_for_function(DRAWN, arg=again.element_handle(), timeout=20_000)
        again_figure = fresh.locator("figure.atlas-map").first
        assert again_figure.locator(f"input[value='{layer}']").is_checked()
        assert again.evaluate(FILLS_JS) == fills
    finally:
        context.close()
