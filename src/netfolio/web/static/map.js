// The network map's interactions: pan, zoom, and highlighting a person's who-knows-whom links.
"use strict";

(function () {
  var svg = document.getElementById("map");
  if (!svg) return;
  var base = svg.viewBox.baseVal;
  var home = { x: base.x, y: base.y, w: base.width, h: base.height };
  var view = Object.assign({}, home);

  function apply() {
    svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
    // labels keep their size on screen as the map zooms, and all show once zoomed in
    var scale = view.w / home.w;
    svg.style.setProperty("--label-scale", String(scale));
    svg.classList.toggle("zoomed", scale < 0.55);
  }

  function zoom(factor, cx, cy) {
    var w = Math.min(home.w * 4, Math.max(home.w / 12, view.w * factor));
    var h = w * home.h / home.w;
    if (cx === undefined) { cx = view.x + view.w / 2; cy = view.y + view.h / 2; }
    view.x = cx - (cx - view.x) * (w / view.w);
    view.y = cy - (cy - view.y) * (h / view.h);
    view.w = w; view.h = h;
    apply();
  }

  function point(event) {
    var rect = svg.getBoundingClientRect();
    return {
      x: view.x + (event.clientX - rect.left) / rect.width * view.w,
      y: view.y + (event.clientY - rect.top) / rect.height * view.h,
    };
  }

  svg.addEventListener("wheel", function (event) {
    event.preventDefault();
    var p = point(event);
    zoom(event.deltaY > 0 ? 1.15 : 1 / 1.15, p.x, p.y);
  }, { passive: false });

  var drag = null;
  svg.addEventListener("pointerdown", function (event) {
    if (event.target.closest("a")) return;
    drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y };
    svg.setPointerCapture(event.pointerId);
    svg.classList.add("dragging");
  });
  svg.addEventListener("pointermove", function (event) {
    if (!drag) return;
    var rect = svg.getBoundingClientRect();
    view.x = drag.vx - (event.clientX - drag.x) / rect.width * view.w;
    view.y = drag.vy - (event.clientY - drag.y) / rect.height * view.h;
    apply();
  });
  function stop() { drag = null; svg.classList.remove("dragging"); }
  svg.addEventListener("pointerup", stop);
  svg.addEventListener("pointercancel", stop);

  document.querySelectorAll("[data-zoom]").forEach(function (button) {
    button.addEventListener("click", function () {
      var how = button.getAttribute("data-zoom");
      if (how === "in") zoom(1 / 1.4);
      else if (how === "out") zoom(1.4);
      else { view = Object.assign({}, home); apply(); }
    });
  });

  // On a phone the map starts closer in (people cluster around you), so that the labels
  // of the strongest ties have room; "Reset" shows the whole map.
  if (window.matchMedia && window.matchMedia("(max-width: 640px)").matches) {
    zoom(1 / 1.8);
  }

  var nodes = svg.querySelectorAll(".node");
  var edges = svg.querySelectorAll(".edge");
  function highlight(node) {
    var id = node ? node.getAttribute("data-id") : null;
    var near = node ? (node.getAttribute("data-near") || "").split(" ") : [];
    nodes.forEach(function (n) {
      var nid = n.getAttribute("data-id");
      n.classList.toggle("hot", nid === id);
      n.classList.toggle("dim", !!id && nid !== id && near.indexOf(nid) < 0);
    });
    edges.forEach(function (e) {
      e.classList.toggle("hot", !!id && (e.getAttribute("data-a") === id || e.getAttribute("data-b") === id));
    });
  }
  nodes.forEach(function (n) {
    n.addEventListener("pointerenter", function () { highlight(n); });
    n.addEventListener("pointerleave", function () { highlight(null); });
    n.addEventListener("focus", function () { highlight(n); });
    n.addEventListener("blur", function () { highlight(null); });
  });
})();
