/* Wide tables on narrow screens. A table wider than its box scrolls sideways inside the box
 * (.atlas-table-wrap, or the theme's .table-wrapper). This marks such a box (.atlas-scrolls:
 * shadows at the hidden side, see atlas.css), shows a cue above it, lets the keyboard reach
 * it, and keeps all this up to date when the window is resized or the phone turned. */
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll(".atlas-table-wrap, .table-wrapper").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      var hint = box.previousElementSibling;
      if (!hint || !hint.classList.contains("atlas-scroll-hint")) {
        hint = document.createElement("p");
        hint.className = "atlas-scroll-hint";
        hint.textContent = "表格较宽：在表格上左右滑动，可看到全部列。";
        box.parentNode.insertBefore(hint, box);
      }
      hint.hidden = !scrolls;
      box.classList.toggle("atlas-scrolls", scrolls);
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "表格（可左右滑动）");
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
  window.addEventListener("resize", mark);
})();
