/* Keep the view of a chart or map in the page's address, so a forwarded link opens the same view.
 * Charts: every control of a chart with controls (the indicator selector, the scenario choice and
 * sliders: Vega signals bound to inputs) is written to the query string as
 * ?<chart>.<signal>=<value>, where <chart> is the figure's id without its content hash
 * ("chart-infrastructure-trends-0fb7c33b" -> "infrastructure-trends"). Maps: the layer chosen in a
 * map's layer switch is written as ?map.<map>=<layer>. Opening an address with such a query scrolls
 * to the figure (so it draws), then restores the view. The chart's PNG/SVG export draws the view
 * shown, and the link under each such figure copies the address of that view. Works with
 * atlas-charts.js (which sets el.atlasView and data-drawn when Vega has drawn) and atlas-maps.js. */
(function () {
  "use strict";
  function chartKey(el) {
    var fig = el.closest("figure");
    var id = (fig && fig.id) || "";
    return id.replace(/^chart-/, "").replace(/-[0-9a-f]{8}$/, "");
  }
  function mapKey(el) {
    return (el.id || "").replace(/^map_/, "").replace(/_\d+$/, "");
  }
  function params() { return new URLSearchParams(window.location.search); }
  function write(name, value) {
    var p = params();
    if (value === null || value === undefined) { p.delete(name); } else { p.set(name, String(value)); }
    var q = p.toString();
    var url = window.location.pathname + (q ? "?" + q : "") + window.location.hash;
    window.history.replaceState(null, "", url);
    document.querySelectorAll(".atlas-view-link").forEach(function (a) { a.href = window.location.href; });
  }
  function boundSignals(el) {
    var specEl = el.nextElementSibling;
    if (!specEl || !specEl.classList.contains("atlas-spec")) { return []; }
    var spec = JSON.parse(specEl.textContent);
    return (spec.signals || []).filter(function (s) { return s.bind; }).map(function (s) { return s.name; });
  }
  function addViewLink(fig) {
    if (!fig || fig.querySelector(".atlas-view-link")) { return; }
    var p = document.createElement("p");
    p.className = "atlas-view-note";
    var a = document.createElement("a");
    a.className = "atlas-view-link";
    a.href = window.location.href;
    a.textContent = "本图当前视图的链接（可复制转发）";
    a.addEventListener("click", function (event) {
      if (navigator.clipboard && window.isSecureContext) {
        event.preventDefault();
        navigator.clipboard.writeText(window.location.href).then(function () {
          a.textContent = "链接已复制";
        });
      }
    });
    p.appendChild(a);
    fig.appendChild(p);
  }
  function bindChart(el) {
    if (el.atlasStateBound || !el.atlasView) { return; }
    el.atlasStateBound = true;
    var view = el.atlasView;
    var key = chartKey(el);
    var names = boundSignals(el);
    if (!key || !names.length) { return; }
    var p = params();
    var changed = false;
    names.forEach(function (name) {
      var raw = p.get(key + "." + name);
      if (raw === null) { return; }
      var current = view.signal(name);
      var value = typeof current === "number" ? parseFloat(raw) : raw;
      if (typeof current === "number" && !isFinite(value)) { return; }
      view.signal(name, value);
      changed = true;
    });
    var done = changed ? view.runAsync() : Promise.resolve();
    done.then(function () {
      // Vega updates the bound inputs itself; a slider's value shows 4 significant digits
      el.querySelectorAll(".vega-bind input[type=range]").forEach(function (input) {
        var out = input.nextElementSibling;
        var v = parseFloat(input.value);
        if (out && isFinite(v)) { out.textContent = String(+v.toPrecision(4)); }
      });
      names.forEach(function (name) {
        view.addSignalListener(name, function (_, value) {
          write(key + "." + name, typeof value === "number" ? +value.toPrecision(6) : value);
        });
      });
      el.setAttribute("data-state-restored", "true");
      addViewLink(el.closest("figure"));
    });
  }
  function bindMap(el) {
    // the layer switch sits above the map, in the map's figure
    var sw = (el.closest("figure") || el).querySelector(".atlas-measure-switch");
    if (!sw || sw.atlasStateBound) { return; }
    sw.atlasStateBound = true;
    var key = "map." + mapKey(el);
    var wanted = params().get(key);
    if (wanted !== null) {
      var input = sw.querySelector('input[value="' + CSS.escape(wanted) + '"]');
      if (input && !input.checked) {
        input.checked = true;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
    sw.addEventListener("change", function (event) { write(key, event.target.value); });
    el.setAttribute("data-state-restored", "true");
    addViewLink(el.closest("figure"));
  }
  function scan() {
    document.querySelectorAll(".atlas-vega[data-drawn]").forEach(bindChart);
    document.querySelectorAll(".atlas-leaflet").forEach(bindMap);
  }
  function init() {
    new MutationObserver(scan).observe(document.body, {
      subtree: true, childList: true, attributes: true, attributeFilter: ["data-drawn"]
    });
    scan();
    // a link with a view: bring its figure into view so that it draws
    var p = params();
    var first = null;
    p.forEach(function (_, name) {
      if (first) { return; }
      var dot = name.indexOf(".");
      var head = name.slice(0, dot);
      var rest = name.slice(dot + 1);
      if (head === "map") {
        first = document.querySelector('.atlas-leaflet[id^="map_' + CSS.escape(rest) + '"]');
      } else {
        document.querySelectorAll("figure[id^=chart-]").forEach(function (fig) {
          var v = fig.querySelector(".atlas-vega");
          if (!first && v && chartKey(v) === head) { first = fig; }
        });
      }
    });
    if (first && !window.location.hash) { first.scrollIntoView({ block: "center" }); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
/* Printing: a source list folded in a <details> is opened so that it prints under its chart. */
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details.atlas-sources").forEach(function (d) { d.open = true; });
});
