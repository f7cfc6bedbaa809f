/* Lastmile map page, part two (loaded after lastmile_map.js): a technician's day route drawn
 * as a path, and the map as a drop target for orders dragged from the console's Qt views.
 * Adds setRoute / clearRoute / dropOrder / listenForDrops (and test views) to window.lastmile. */
(function () {
  "use strict";

  var lm = window.lastmile;
  // One technician's day route at a time: path home -> stops -> home, numbered stops.
  var route = null; // {techId, layer, points, path}
  // A drop this close (screen pixels) to a technician's marker counts as a drop on them.
  var DROP_RADIUS = 30;
  var ORDER_DRAG_PREFIX = "lastmile-order:";
  var dropTarget = null; // the technician marker highlighted while dragging over the map

  function clearRoute() {
    if (route) {
      lm.parts().map.removeLayer(route.layer);
      route = null;
    }
    return true;
  }

  function stopIcon(number, late) {
    // The number is ours (1, 2, ...), so plain HTML is safe here.
    return L.divIcon({
      className: "lm-stop" + (late ? " lm-stop-late" : ""),
      html: "<div>" + number + "</div>",
      iconSize: [22, 22],
      iconAnchor: [11, 11],
    });
  }

  // home: [lat, lng] or null; points: [[lat, lng], ...] in visiting order; labels: one text
  // per stop (its tooltip); late: one flag per stop (drawn red).
  function setRoute(techId, home, points, labels, late, fit) {
    var map = lm.parts().map;
    clearRoute();
    var layer = L.layerGroup();
    var path = home ? [home].concat(points, [home]) : points.slice();
    if (path.length > 1) {
      L.polyline(path, { color: "#3949ab", weight: 3, opacity: 0.8, dashArray: "8 6",
                         interactive: false }).addTo(layer);
    }
    if (home) {
      L.circleMarker(home, { radius: 6, color: "#3949ab", weight: 2, fillColor: "#ffffff",
                             fillOpacity: 1, interactive: false }).addTo(layer);
    }
    for (var i = 0; i < points.length; i++) {
      var marker = L.marker(points[i], { icon: stopIcon(i + 1, late && late[i]),
                                          zIndexOffset: 1000, keyboard: false });
      if (labels && labels[i]) {
        var tip = document.createElement("div");
        tip.textContent = labels[i]; // labels carry customer text, never HTML
        marker.bindTooltip(tip);
      }
      marker.addTo(layer);
    }
    layer.addTo(map);
    route = { techId: techId, layer: layer, points: points.length, path: path };
    if (fit !== false && path.length) {
      lm.keepView(); // the route decides the view; no refit when orders arrive
      map.fitBounds(L.latLngBounds(path), { padding: [30, 30], maxZoom: 14, animate: false });
    }
    return points.length;
  }

  function nearestTechnician(x, y) {
    var parts = lm.parts();
    var best = null;
    var bestDistance = DROP_RADIUS;
    var here = L.point(x, y);
    for (var id in parts.techs) {
      var at = parts.map.latLngToContainerPoint(parts.techs[id].marker.getLatLng());
      var d = at.distanceTo(here);
      if (d <= bestDistance) {
        best = parts.techs[id];
        bestDistance = d;
      }
    }
    return best;
  }

  function orderOfDrag(text) {
    if (typeof text !== "string" || text.indexOf(ORDER_DRAG_PREFIX) !== 0) return null;
    var rest = text.slice(ORDER_DRAG_PREFIX.length);
    return /^\d+$/.test(rest) ? parseInt(rest, 10) : null;
  }

  function markDropTarget(entry) {
    var old = dropTarget && dropTarget.marker.getElement();
    if (old) old.classList.remove("lm-tech-drop");
    dropTarget = entry;
    var el = entry && entry.marker.getElement();
    if (el) el.classList.add("lm-tech-drop");
  }

  // An order dropped at container point (x, y): on (or near) a technician -> the bridge hears
  // of it. Returns the technician's id, or null when the drop missed or was not an order.
  function dropOrder(text, x, y) {
    markDropTarget(null);
    var orderId = orderOfDrag(text);
    if (orderId === null) return null;
    var entry = nearestTechnician(x, y);
    if (!entry) return null;
    var bridge = lm.parts().bridge;
    if (bridge) bridge.orderDroppedOnTechnician(orderId, entry.marker.lmTechId);
    return entry.marker.lmTechId;
  }

  function carriesText(e) {
    var types = e.dataTransfer ? e.dataTransfer.types : [];
    for (var i = 0; i < types.length; i++) {
      if (types[i] === "text/plain") return true;
    }
    return false;
  }

  function listenForDrops(container) {
    // While dragging the data cannot be read (browsers protect it until the drop), so any
    // text is welcome; the drop itself checks that it names an order.
    container.addEventListener("dragover", function (e) {
      if (!carriesText(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = "copy";
      var p = lm.parts().map.mouseEventToContainerPoint(e);
      markDropTarget(nearestTechnician(p.x, p.y));
    });
    container.addEventListener("dragleave", function () { markDropTarget(null); });
    container.addEventListener("drop", function (e) {
      if (!carriesText(e)) return;
      e.preventDefault();
      var p = lm.parts().map.mouseEventToContainerPoint(e);
      dropOrder(e.dataTransfer.getData("text/plain"), p.x, p.y);
    });
  }

  lm.setRoute = setRoute;
  lm.clearRoute = clearRoute;
  lm.dropOrder = dropOrder;
  lm.listenForDrops = listenForDrops;
  // Read-only views used by tests and diagnostics.
  // "techId stops pathPoints", or "" without a route.
  lm.routeInfo = function () {
    return route ? route.techId + " " + route.points + " " + route.path.length : "";
  };
  // The stop markers' numbers in order, "!" after a late one: "1 2 3!".
  lm.routeStopTexts = function () {
    if (!route) return "";
    var texts = [];
    route.layer.eachLayer(function (l) {
      if (l.getElement && l.getElement() && l.options.icon) {
        var late = l.getElement().className.indexOf("lm-stop-late") >= 0 ? "!" : "";
        texts.push(l.getElement().textContent + late);
      }
    });
    return texts.join(" ");
  };
  // A technician marker's position on screen, "x y" (for drops in tests).
  lm.techPoint = function (id) {
    var parts = lm.parts();
    if (!parts.techs[id]) return "";
    var p = parts.map.latLngToContainerPoint(parts.techs[id].marker.getLatLng());
    return p.x + " " + p.y;
  };
})();
