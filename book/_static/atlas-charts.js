/* Make the page's charts interactive. Each chart is a .atlas-vega element holding a static SVG
 * drawn at build time, followed by a <script type="application/json"> with its Vega spec (see
 * src/analysis/charts.py). The first time a reader points at, taps or tabs into a chart, the
 * vendored Vega and vega-embed are loaded (atlas-lazy.js) and the chart is redrawn with
 * tooltips and an export menu. */
(function () {
  "use strict";
  var labels = {
    CLICK_TO_VIEW_ACTIONS: "导出图表",
    COMPILED_ACTION: "查看 Vega 代码",
    EDITOR_ACTION: "在编辑器中打开",
    PNG_ACTION: "保存为 PNG 图片",
    SOURCE_ACTION: "查看源代码",
    SVG_ACTION: "保存为 SVG 图片"
  };
  function draw(el) {
    var spec = JSON.parse(el.nextElementSibling.textContent);
    return vegaEmbed(el, spec, {
      mode: "vega",
      renderer: "svg",
      actions: { export: true, source: false, compiled: false, editor: false },
      i18n: labels
    }).then(function (result) {
      el.atlasView = result.view; // for the browser tests, which read the drawn data
      // vega-embed's menu is a <details><summary> with only an icon: give it a name (axe summary-name).
      var summary = el.querySelector("details > summary");
      if (summary) {
        summary.setAttribute("aria-label", labels.CLICK_TO_VIEW_ACTIONS);
        summary.setAttribute("title", labels.CLICK_TO_VIEW_ACTIONS);
      }
      // a slider shows its start value in full (0.22111292293708867): show 4 significant digits
      el.querySelectorAll(".vega-bind input[type=range] + span, .vega-bind input[type=range] + output")
        .forEach(function (out) {
          var v = parseFloat(out.textContent);
          if (isFinite(v) && out.textContent.length > 7) { out.textContent = String(+v.toPrecision(4)); }
        });
      el.setAttribute("data-drawn", "true");
    }).catch(function (err) {
      console.error("chart failed to draw", err);
    });
  }
  var script = document.currentScript;
  function init() {
    window.atlasLazy(script, ".atlas-vega:not(.atlas-vega-controls)", draw,
      ["pointerenter", "touchstart", "focusin"]);
    window.atlasLazy(script, ".atlas-vega-controls", draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
