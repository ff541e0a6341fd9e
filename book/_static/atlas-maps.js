/* Draw the page's folium maps with the vendored Leaflet, loaded (by atlas-lazy.js) only when a
 * map comes near the viewport. Each map's folium script is queued in window.atlasMaps under
 * its element id (see src/analysis/maps.py). */
(function () {
  "use strict";
  var queue = window.atlasMaps = window.atlasMaps || [];
  function draw(el) {
    queue.filter(function (item) { return item.id === el.id; }).forEach(function (item) {
      try {
        item.draw();
      } catch (err) {
        console.error("map failed to draw", err);
      }
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
