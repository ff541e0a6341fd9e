/* Run the queued folium map scripts once the vendored Leaflet has loaded (see src/analysis/maps.py). */
(function () {
  "use strict";
  var queue = window.atlasMaps || [];
  queue.forEach(function (draw) {
    try {
      draw();
    } catch (err) {
      console.error("map failed to draw", err);
    }
  });
  window.atlasMaps = { push: function (draw) { draw(); } };
})();
