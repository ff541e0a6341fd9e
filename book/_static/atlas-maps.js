/* Draw the page's folium maps with the vendored Leaflet, loaded (atlas-lazy.js) only when a map
 * comes near the viewport. Each map element names, in data-script, the script that folium wrote
 * for it (moved out of the page at build time, see src/analysis/sphinxext.py); that script
 * queues its drawing function in window.atlasMaps under the element's id. */
(function () {
  "use strict";
  var queue = window.atlasMaps = window.atlasMaps || [];
  function run(el) {
    queue.filter(function (item) { return item.id === el.id; }).forEach(function (item) {
      try {
        item.draw();
      } catch (err) {
        console.error("map failed to draw", err);
      }
    });
  }
  function draw(el) {
    var src = el.getAttribute("data-script");
    if (!src) {
      run(el);
      return;
    }
    window.atlasLoad("script", new URL(src, document.baseURI).href).then(function () {
      run(el);
    }).catch(function (err) {
      console.error(err);
    });
  }
  var script = document.currentScript;
  function init() { window.atlasLazy(script, ".atlas-leaflet", draw); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
