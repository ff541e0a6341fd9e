"""The scenario explorer draws, in the browser, the same curve as the Python model."""

from __future__ import annotations

import pytest

from analysis.chapters import scenarios as scenario_charts
from analysis.model import diffusion, scenarios

# the reader-shaped curve's values, read from the Vega view the page keeps on the element
CUSTOM_JS = """(el) => {
  const spec = JSON.parse(el.nextElementSibling.textContent);
  const names = spec.data.filter((d) => JSON.stringify(d.transform || []).includes('"as":"custom"'))
    .map((d) => d.name);
  return names.flatMap((name) => el.atlasView.data(name)).map((row) => [row.year, row.custom]);
}"""


def custom_curve(chart) -> dict[int, float]:
    return {int(year): value for year, value in chart.evaluate(CUSTOM_JS)}


def assert_curve_with_saturation(chart, base, K: float) -> None:
    """The drawn custom curve is the anchored logistic of ``base`` with saturation ``K``."""
    moved = diffusion.anchor(
        diffusion.Fit("logistic", {"K": K, "r": base.curve.params["r"], "t0": 0.0}, (), ()),
        base.anchor_year,
        base.anchor_value,
    )
    drawn = custom_curve(chart)
    for year in (2015, 2020, 2030):
        assert drawn[year] == pytest.approx(moved.predict([year])[0], rel=1e-6), year


@pytest.mark.parametrize("indicator", scenario_charts.INDICATORS)
def test_the_drawn_curve_is_the_python_curve(site, browser, real_data, indicator):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(site.base_url + "book/scenarios.html", wait_until="networkidle")
        figure = page.locator(f"figure[id^='chart-scenarios-{indicator.replace('_', '-')}-']")
        chart = figure.locator(".atlas-vega")
        chart.hover()  # a reader points at the chart: Vega loads and redraws it
        page.wait_for_function(
            "(el) => el.getAttribute('data-drawn') === 'true'", arg=chart.element_handle()
        )
        base = scenarios.project("baseline", indicator)
        drawn = custom_curve(chart)
        for year in (2012, 2015, 2020, 2030):
            assert drawn[year] == pytest.approx(base.values([year])[0], rel=1e-6), year
        # move the saturation slider: the curve is the anchored logistic with the new K
        slider = chart.locator("input[type=range]").first
        slider.evaluate(
            "(el) => { el.value = String(+el.max); "
            "el.dispatchEvent(new Event('input', {bubbles: true})); }"
        )
        page.wait_for_timeout(300)
        K = float(slider.input_value())
        assert_curve_with_saturation(chart, base, K)
    finally:
        context.close()


def test_the_sliders_work_before_vega_and_their_values_are_applied(site, browser):
    """The page loads no Vega until touched; a value set on a plain slider carries over."""
    indicator = scenario_charts.INDICATORS[0]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(site.base_url + "book/scenarios.html", wait_until="networkidle")
        page.wait_for_timeout(500)
        assert not [u for u in requests if "vega" in u.rsplit("/", 1)[-1]], requests
        figure = page.locator(f"figure[id^='chart-scenarios-{indicator.replace('_', '-')}-']")
        chart = figure.locator(".atlas-vega")
        plain = figure.locator(".atlas-static-controls input[type=range]").first
        assert figure.locator(".atlas-static-controls select").count() == 1
        # set and read in one step: once Vega has drawn, the plain slider is gone
        K = float(
            plain.evaluate(
                "(el) => { el.value = String(+el.max); "
                "el.dispatchEvent(new Event('input', {bubbles: true})); return el.value; }"
            )
        )
        page.wait_for_function(
            "(el) => el.getAttribute('data-drawn') === 'true'", arg=chart.element_handle()
        )
        assert figure.locator(".atlas-static-controls").count() == 0
        assert float(chart.locator("input[type=range]").first.input_value()) == K
        base = scenarios.project("baseline", indicator)
        assert_curve_with_saturation(chart, base, K)
    finally:
        context.close()
