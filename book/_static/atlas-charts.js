/* Make the page's charts interactive. Each chart is a .atlas-vega element holding a static SVG
 * drawn at build time, followed by a <script type="application/json"> with its Vega spec (see
 * src/analysis/charts.py) and, for a chart with controls, plain inputs usable at once. The
 * first time a reader points at, taps or tabs into a chart, or moves one of its inputs, the
 * vendored Vega and vega-embed are loaded (atlas-lazy.js) and the chart is redrawn with
 * tooltips and the values the reader set. Buttons under each chart save it as PNG or SVG with
 * its title and sources. */
(function () {
  "use strict";
  var FONT = "Noto Sans SC, Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif";
  var SVG_NS = "http://www.w3.org/2000/svg";

  // Split text into lines of at most `width` px, counting a CJK character as `size` px and
  // any other as half that (the drawing's fonts are not measured here).
  function lines(text, width, size) {
    var out = [], line = "", w = 0;
    Array.from(text).forEach(function (ch) {
      var cw = /[\u2e80-\uffff]/.test(ch) ? size : size * 0.55;
      if (w + cw > width && line) { out.push(line); line = ""; w = 0; }
      line += ch;
      w += cw;
    });
    if (line) { out.push(line); }
    return out;
  }

  // The chart as drawn now (the indicator or scenario the reader chose), with its title above
  // and its sources below, as an SVG document: what a reader saves, reuses and cites.
  function titledSVG(el) {
    var figure = el.closest("figure");
    return el.atlasView.toSVG().then(function (text) {
      var chart = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
      var w = Math.max(+chart.getAttribute("width"), 320), h = +chart.getAttribute("height");
      var doc = document.implementation.createDocument(SVG_NS, "svg", null);
      var svg = doc.documentElement;
      var y = 8;
      function add(tag, attrs, content) {
        var node = doc.createElementNS(SVG_NS, tag);
        Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
        if (content !== undefined) { node.textContent = content; }
        svg.appendChild(node);
        return node;
      }
      add("rect", {width: "100%", height: "100%", fill: "#ffffff"});
      lines(figure.getAttribute("data-export-title") || "", w - 16, 16).forEach(function (t) {
        y += 20;
        add("text", {x: 8, y: y, "font-family": FONT, "font-size": 16, "font-weight": 600,
          fill: "#111"}, t);
      });
      y += 8;
      chart.setAttribute("x", 0);
      chart.setAttribute("y", y);
      svg.appendChild(doc.importNode(chart, true));
      y += h + 4;
      var foot = (figure.getAttribute("data-export-source") || "") + "　（智慧台州·政策分析）";
      lines(foot, w - 16, 11).forEach(function (t) {
        y += 15;
        add("text", {x: 8, y: y, "font-family": FONT, "font-size": 11, fill: "#444"}, t);
      });
      y += 8;
      svg.setAttribute("width", w);
      svg.setAttribute("height", y);
      svg.setAttribute("viewBox", "0 0 " + w + " " + y);
      return new XMLSerializer().serializeToString(doc);
    });
  }

  // Resolve to a data: URL of the titled chart, as "svg" or "png" (twice the pixels).
  function exportURL(el, type) {
    return titledSVG(el).then(function (text) {
      var svgURL = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
      if (type === "svg") { return svgURL; }
      return new Promise(function (resolve, reject) {
        var img = new Image();
        img.onload = function () {
          var canvas = document.createElement("canvas");
          canvas.width = img.width * 2;
          canvas.height = img.height * 2;
          var ctx = canvas.getContext("2d");
          ctx.scale(2, 2);
          ctx.drawImage(img, 0, 0);
          resolve(canvas.toDataURL("image/png"));
        };
        img.onerror = function () { reject(new Error("could not draw the chart image")); };
        img.src = svgURL;
      });
    });
  }

  // Buttons under each chart that save it, titled and sourced, as PNG or SVG. Clicking one
  // first draws the chart if the reader has not yet pointed at it.
  function addExportButtons(el) {
    var figure = el.closest("figure");
    var caption = figure && figure.querySelector("figcaption");
    if (!caption || caption.querySelector(".atlas-chart-export")) { return; }
    var box = document.createElement("span");
    box.className = "atlas-chart-export";
    box.appendChild(document.createTextNode(" · 保存图表（含标题和来源）："));
    [["png", "PNG 图片"], ["svg", "SVG 图片"]].forEach(function (pair, i) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = pair[1];
      button.addEventListener("click", function () {
        var ready = new Promise(function (resolve) {
          (function wait() { if (el.atlasView) { resolve(); } else { setTimeout(wait, 100); } })();
        });
        ready.then(function () { return exportURL(el, pair[0]); }).then(function (url) {
          var a = document.createElement("a");
          a.href = url;
          a.download = (figure.getAttribute("data-export-name") || "chart") + "." + pair[0];
          document.body.appendChild(a);
          a.click();
          a.remove();
        }).catch(function (err) { console.error(err); });
      });
      if (i) { box.appendChild(document.createTextNode(" ")); }
      box.appendChild(button);
    });
    caption.appendChild(box);
  }

  // The plain inputs published after a chart with controls (src/analysis/chart_controls.py):
  // usable before Vega has loaded. Returns {signal: value} for those the reader changed.
  function plainControls(el) {
    var box = el.nextElementSibling && el.nextElementSibling.nextElementSibling;
    return box && box.classList.contains("atlas-static-controls") ? box : null;
  }
  function changedValues(box) {
    var out = {};
    if (!box) { return out; }
    box.querySelectorAll("[data-signal]").forEach(function (input) {
      if (input.tagName === "SELECT") {
        var option = input.options[input.selectedIndex];
        if (option && !option.defaultSelected) { out[input.getAttribute("data-signal")] = input.value; }
      } else if (input.value !== input.atlasStart) { // (a range snaps its start to its step)
        out[input.getAttribute("data-signal")] = parseFloat(input.value);
      }
    });
    return out;
  }

  // The chart's Vega spec: in the page, or in the file its data-src names (fetched once and
  // then kept in the page, where the view-link code and the browser tests read it).
  function specOf(el) {
    var holder = el.nextElementSibling;
    var src = holder.getAttribute("data-src");
    if (!src || holder.textContent) { return Promise.resolve(JSON.parse(holder.textContent)); }
    return fetch(src).then(function (response) {
      if (!response.ok) { throw new Error("could not load " + src); }
      return response.text();
    }).then(function (text) {
      var spec = expandData(JSON.parse(text));
      holder.textContent = JSON.stringify(spec);
      return spec;
    });
  }

  // The file stores each dataset by column (analysis.build.lean_pages.compact): rows again.
  function expandData(spec) {
    (spec.data || []).forEach(function (entry) {
      var stored = entry.atlasColumns;
      if (!stored) { return; }
      var columns = stored.columns.map(function (column) {
        return Array.isArray(column) ? column : column.codes.map(function (i) { return column.dict[i]; });
      });
      var n = columns.length ? columns[0].length : 0;
      var rows = [];
      for (var i = 0; i < n; i++) {
        var row = {};
        for (var j = 0; j < stored.fields.length; j++) { row[stored.fields[j]] = columns[j][i]; }
        rows.push(row);
      }
      entry.values = rows;
      delete entry.atlasColumns;
    });
    return spec;
  }

  function draw(el) {
    var box = plainControls(el);
    return specOf(el).then(function (spec) { return vegaEmbed(el, spec, {
      mode: "vega",
      renderer: "svg",
      actions: false // saving is offered by the buttons under the chart (addExportButtons)
    }); }).then(function (result) {
      // what the reader set on the plain inputs while Vega loaded (read now: they may have
      // moved since the first touch), then Vega's own inputs take their place
      var values = changedValues(box);
      Object.keys(values).forEach(function (name) { result.view.signal(name, values[name]); });
      return result.view.runAsync().then(function () {
        if (box) { box.remove(); }
        return result;
      });
    }).then(function (result) {
      el.atlasView = result.view; // for the browser tests, which read the drawn data
      el.atlasExport = function (type) { return exportURL(el, type); };
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
  // The chart named in the address (a forwarded view, see atlas-state.js) draws at once.
  function chartKey(el) {
    var fig = el.closest("figure");
    return ((fig && fig.id) || "").replace(/^chart-/, "").replace(/-[0-9a-f]{8}$/, "");
  }
  function init() {
    document.querySelectorAll(".atlas-vega").forEach(addExportButtons);
    var named = {};
    new URLSearchParams(window.location.search).forEach(function (_, name) {
      named[name.split(".")[0]] = true;
    });
    document.querySelectorAll(".atlas-vega-controls").forEach(function (el) {
      if (named[chartKey(el)]) { el.classList.add("atlas-vega-restore"); }
    });
    // a plain slider shows its value as it moves, before Vega has loaded
    document.querySelectorAll(".atlas-static-controls input[type=range]").forEach(function (input) {
      input.atlasStart = input.value;
      input.addEventListener("input", function () {
        var out = input.nextElementSibling;
        if (out) { out.textContent = String(+parseFloat(input.value).toPrecision(4)); }
      });
    });
    // every chart shows its static drawing first; Vega loads on the first touch of its figure
    // (pointing at it, tapping or tabbing into it, moving one of its plain inputs)
    window.atlasLazy(script, ".atlas-vega:not(.atlas-vega-restore)", draw,
      ["pointerenter", "touchstart", "focusin", "input", "change"]);
    window.atlasLazy(script, ".atlas-vega-restore", draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
