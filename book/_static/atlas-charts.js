/* Draw every Altair chart of the page with the vendored Vega and vega-embed.
 * Each chart is a .atlas-vega element followed by a <script type="application/json"> holding
 * its Vega spec, compiled at build time (see src/analysis/charts.py). */
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
    }).then(function () {
      // vega-embed's menu is a <details><summary> with only an icon: give it a name (axe summary-name).
      var summary = el.querySelector("details > summary");
      if (summary) {
        summary.setAttribute("aria-label", labels.CLICK_TO_VIEW_ACTIONS);
        summary.setAttribute("title", labels.CLICK_TO_VIEW_ACTIONS);
      }
      el.setAttribute("data-drawn", "true");
    });
  }
  function drawAll() {
    document.querySelectorAll(".atlas-vega").forEach(function (el) {
      draw(el).catch(function (err) {
        el.textContent = "图表未能显示：" + err;
        console.error(err);
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
