/* Load a page's heavy libraries only when they are needed.
 * Used by atlas-charts.js and atlas-maps.js: window.atlasLazy(script, selector, ready, events)
 * reads the library paths from the including <script data-libs="..." data-css="...">, relative
 * to the site's _static folder, loads them in order once, then calls ready(element) for each
 * matching element: when the reader first interacts with its figure (one of `events`), or,
 * without `events`, as it approaches the viewport. window.atlasLoad(tag, url) loads one more
 * script ("script") or stylesheet ("link"). */
(function () {
  "use strict";
  var loaded = {};
  function load(tag, url) {
    // one request per file, however many figures (or callers) ask for it
    loaded[url] = loaded[url] || new Promise(function (resolve, reject) {
      var el = document.createElement(tag);
      if (tag === "link") {
        el.rel = "stylesheet";
        el.href = url;
      } else {
        el.src = url;
        el.async = false;
      }
      el.onload = resolve;
      el.onerror = function () { reject(new Error("could not load " + url)); };
      document.head.appendChild(el);
    });
    return loaded[url];
  }
  window.atlasLoad = load;
  window.atlasLazy = function (script, selector, ready, events) {
    var base = script.src;
    var list = function (attr) {
      return (script.getAttribute(attr) || "").split(/\s+/).filter(Boolean).map(function (p) {
        return new URL(p, base).href;
      });
    };
    var css = list("data-css");
    var libs = list("data-libs");
    var loading = null;
    function loadAll() {
      if (!loading) {
        loading = Promise.all(css.map(function (u) { return load("link", u); })).then(function () {
          return libs.reduce(function (chain, u) {
            return chain.then(function () { return load("script", u); });
          }, Promise.resolve());
        });
      }
      return loading;
    }
    function start(el) {
      if (el.getAttribute("data-started")) {
        return;
      }
      el.setAttribute("data-started", "true");
      loadAll().then(function () { ready(el); }).catch(function (err) {
        el.insertAdjacentText("afterend", "（交互功能未能加载：" + err.message + "）");
        console.error(err);
      });
    }
    var elements = document.querySelectorAll(selector);
    if (events) {
      elements.forEach(function (el) {
        var figure = el.closest("figure") || el;
        events.forEach(function (name) {
          figure.addEventListener(name, function () { start(el); }, { once: true, passive: true });
        });
      });
      return;
    }
    if (!("IntersectionObserver" in window)) {
      elements.forEach(start);
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          start(entry.target);
        }
      });
    }, { rootMargin: "400px 0px" });
    elements.forEach(function (el) { observer.observe(el); });
  };
})();
