/* Lastmile map page API: Python (ui/map_view.py) pushes orders and technicians here with
 * runJavaScript; clicks go back through the QWebChannel object "bridge".
 * Markers are updated in place (diffed by id) so a change-feed refresh keeps open popups and
 * does not rebuild thousands of markers. */
(function () {
  "use strict";

  var map = null;
  var cluster = null;
  var boundaries = null;
  var technicians = null;
  var tiles = null;
  var bridge = null;
  var config = { families: { "": { key: "", colour: "#9e9e9e", label: "" } },
                 techColours: {}, labels: {} };
  var orders = {}; // id -> {marker, data}
  var techs = {};  // id -> {marker, data}
  var selectedId = null;
  // Asked for before its marker arrived (the queue selects before the map has the orders).
  var wantedId = null;
  // The selected order drawn once more, above clusters and technicians, in its own pane:
  // visible at any zoom even while its own marker sits inside a cluster.
  var highlight = null;
  var selectedRenderer = null;
  var fitted = false;
  // The zoom a selection centres at: in the console's map dock (about 580 x 280 px) zoom 10
  // shows the order's district with its neighbours and nearby orders; at 12-13 the dock
  // held one marker and no boundary at all (checked on the demo's tour screenshots).
  var SELECT_ZOOM = 10;

  function family(state) {
    return config.families[state] || config.families[""];
  }

  function orderStyle(data, selected) {
    var f = family(data.state);
    return {
      radius: selected ? 11 : 7,
      color: selected ? "#000000" : "#ffffff",
      weight: selected ? 3 : 1.5,
      fillColor: f.colour,
      fillOpacity: 0.95,
    };
  }

  function line(parent, text, cls) {
    var div = document.createElement("div");
    if (cls) div.className = cls;
    div.textContent = text; // textContent: labels carry customer text, never HTML
    parent.appendChild(div);
    return div;
  }

  function orderPopup(data) {
    var box = document.createElement("div");
    line(box, data.label, "lm-popup-title");
    line(box, family(data.state).label, "lm-popup-state");
    return box;
  }

  function techLevel(data) {
    var ratio = data.capacity > 0 ? data.load / data.capacity : 1;
    return ratio < 0.5 ? "low" : ratio < 0.9 ? "mid" : "high";
  }

  function techIcon(data) {
    var level = techLevel(data);
    return L.divIcon({
      className: "lm-tech lm-tech-" + level,
      html: '<div style="background:' + config.techColours[level] + '"></div>',
      iconSize: [18, 18],
      iconAnchor: [9, 9],
      popupAnchor: [0, -10],
    });
  }

  function techPopup(data) {
    var box = document.createElement("div");
    line(box, data.name, "lm-popup-title");
    line(box, config.labels.load + " " + data.load + " / " + data.capacity, "lm-popup-state");
    return box;
  }

  function clusterIcon(c) {
    var children = c.getAllChildMarkers();
    var waiting = 0;
    for (var i = 0; i < children.length; i++) {
      if (children[i].lmWaiting) waiting++;
    }
    var n = children.length;
    var size = n < 100 ? 34 : n < 1000 ? 40 : 48;
    var html = '<div class="lm-cluster-count">' + n + "</div>";
    if (waiting > 0) html += '<div class="lm-cluster-waiting">' + waiting + "</div>";
    return L.divIcon({ html: html, className: "lm-cluster", iconSize: [size, size] });
  }

  function setOrders(list) {
    var seen = {};
    var added = [];
    var removed = [];
    var changed = [];
    for (var i = 0; i < list.length; i++) {
      var d = list[i];
      seen[d.id] = true;
      var entry = orders[d.id];
      if (!entry) {
        entry = { marker: L.circleMarker([d.lat, d.lng], orderStyle(d, false)), data: d };
        entry.marker.lmOrderId = d.id;
        entry.marker.on("click", onOrderClick);
        entry.marker.bindPopup(orderPopup(d));
        orders[d.id] = entry;
        added.push(entry.marker);
      } else {
        var old = entry.data;
        entry.data = d;
        if (old.lat !== d.lat || old.lng !== d.lng) {
          // markercluster only re-files a moved marker if it is taken out and put back
          cluster.removeLayer(entry.marker);
          entry.marker.setLatLng([d.lat, d.lng]);
          added.push(entry.marker);
        } else if (old.state !== d.state) {
          changed.push(entry.marker);
        }
        entry.marker.setStyle(orderStyle(d, d.id === selectedId));
        if (old.label !== d.label || old.state !== d.state) {
          entry.marker.setPopupContent(orderPopup(d));
        }
      }
      entry.marker.lmWaiting = family(d.state).key === "waiting";
    }
    for (var id in orders) {
      if (!seen[id]) {
        removed.push(orders[id].marker);
        if (String(selectedId) === id) selectedId = null;
        delete orders[id];
      }
    }
    if (selectedId !== null && orders[selectedId]) {
      drawHighlight(orders[selectedId]);
    } else {
      dropHighlight();
    }
    if (removed.length) cluster.removeLayers(removed);
    if (added.length) cluster.addLayers(added);
    if (changed.length) cluster.refreshClusters(changed);
    if (!fitted && list.length) {
      fitted = true;
      map.fitBounds(cluster.getBounds(), { padding: [20, 20], maxZoom: 13, animate: false });
    }
    if (wantedId !== null && orders[wantedId]) {
      selectOrder(wantedId, true);
    }
    return list.length;
  }

  function setTechnicians(list) {
    var seen = {};
    for (var i = 0; i < list.length; i++) {
      var d = list[i];
      seen[d.id] = true;
      var entry = techs[d.id];
      if (!entry) {
        entry = { marker: L.marker([d.lat, d.lng], { icon: techIcon(d), zIndexOffset: -1000 }) };
        entry.marker.lmTechId = d.id;
        entry.marker.on("click", onTechClick);
        entry.marker.bindPopup(techPopup(d));
        entry.marker.addTo(technicians);
        techs[d.id] = entry;
      } else {
        entry.marker.setLatLng([d.lat, d.lng]);
        entry.marker.setIcon(techIcon(d));
        entry.marker.setPopupContent(techPopup(d));
      }
      entry.data = d;
    }
    for (var id in techs) {
      if (!seen[id]) {
        technicians.removeLayer(techs[id].marker);
        delete techs[id];
      }
    }
    return list.length;
  }

  function dropHighlight() {
    if (highlight) {
      map.removeLayer(highlight);
      highlight = null;
    }
  }

  function drawHighlight(entry) {
    var d = entry.data;
    var style = Object.assign(orderStyle(d, true),
                              { pane: "lmSelected", renderer: selectedRenderer });
    if (!highlight) {
      highlight = L.circleMarker([d.lat, d.lng], style);
      highlight.on("click", onOrderClick);
      highlight.bindPopup(orderPopup(d));
      highlight.addTo(map);
    } else {
      highlight.setLatLng([d.lat, d.lng]);
      highlight.setStyle(style);
      if (highlight.lmOrderId !== d.id || highlight.lmLabel !== d.label + d.state) {
        highlight.setPopupContent(orderPopup(d));
      }
    }
    highlight.lmOrderId = d.id;
    highlight.lmLabel = d.label + d.state;
  }

  function reveal(entry) {
    // markercluster's zoomToShowLayer zooms in until the marker leaves its cluster; orders at
    // one address never do, so it ends at street level with nothing but a boundary line in
    // view. The highlight shows the order whatever its cluster does: centre on it at
    // SELECT_ZOOM, where the district and its neighbours stay in sight.
    var zoom = Math.min(SELECT_ZOOM, map.getMaxZoom());
    map.setView([entry.data.lat, entry.data.lng], zoom, { animate: false });
    highlight.openPopup();
  }

  function selectOrder(id, move) {
    var entry = orders[id];
    if (selectedId !== null && orders[selectedId]) {
      var prev = orders[selectedId];
      prev.marker.setStyle(orderStyle(prev.data, false));
    }
    if (!entry) dropHighlight();
    selectedId = entry ? id : null;
    wantedId = entry ? null : id;
    fitted = fitted || !!entry; // a selection decides the view; no refit when orders arrive
    if (!entry) return false;
    entry.marker.setStyle(orderStyle(entry.data, true));
    entry.marker.closePopup();
    drawHighlight(entry);
    if (move === false) {
      // Picked on the map: the view is where the user wants it.
      highlight.openPopup();
    } else {
      reveal(entry);
    }
    return true;
  }

  function setTileUrl(url, options) {
    if (tiles) {
      map.removeLayer(tiles);
      tiles = null;
    }
    if (url) {
      tiles = L.tileLayer(url, Object.assign({ maxZoom: 18 }, options || {}));
      tiles.addTo(map);
      tiles.bringToBack();
    }
    // Over tiles the boundaries become outlines only; offline their fill is the land.
    boundaries.eachLayer(function (layer) {
      layer.setStyle({ fillOpacity: url ? 0 : layer.lmFillOpacity });
    });
    return !!url;
  }

  function setView(lat, lng, zoom) {
    fitted = true; // the caller chose the view: do not refit on the next setOrders
    map.setView([lat, lng], zoom, { animate: false });
    return true;
  }

  function onOrderClick(e) {
    if (bridge) bridge.orderClicked(e.target.lmOrderId);
  }

  function onTechClick(e) {
    if (bridge) bridge.technicianClicked(e.target.lmTechId);
  }

  function configure(theConfig) {
    // Colours and translated labels come from Python so the page itself stays language-free.
    if (config.labels.attribution) {
      map.attributionControl.removeAttribution(config.labels.attribution);
    }
    config = theConfig;
    map.attributionControl.addAttribution(config.labels.attribution);
    return true;
  }

  function init(theMap, theCluster, theBoundaries) {
    map = theMap;
    // Plain credit for Leaflet, without the flag icon of its default prefix.
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    cluster = theCluster;
    boundaries = theBoundaries;
    technicians = L.layerGroup().addTo(map);
    // Above the marker pane (600, cluster icons), below tooltips (650) and popups (700).
    map.createPane("lmSelected").style.zIndex = 640;
    selectedRenderer = L.svg({ pane: "lmSelected" });
    boundaries.eachLayer(function (layer) {
      layer.lmFillOpacity = layer.options.fillOpacity;
    });
    // Day routes and order drops live in lastmile_routes.js, loaded after this file.
    if (window.lastmile.listenForDrops) window.lastmile.listenForDrops(map.getContainer());
    if (typeof QWebChannel !== "undefined" && typeof qt !== "undefined") {
      new QWebChannel(qt.webChannelTransport, function (channel) {
        bridge = channel.objects.bridge;
        bridge.pageReady();
      });
    }
  }

  window.lastmile = {
    init: init,
    configure: configure,
    clusterIcon: clusterIcon,
    setOrders: setOrders,
    setTechnicians: setTechnicians,
    selectOrder: selectOrder,
    setTileUrl: setTileUrl,
    setView: setView,
    // For lastmile_routes.js: the map, the technician markers by id, the bridge (once ready).
    parts: function () { return { map: map, techs: techs, bridge: bridge }; },
    keepView: function () { fitted = true; }, // the caller chose the view: no refit
    // Read-only views used by tests and diagnostics.
    orderCount: function () { return cluster.getLayers().length; },
    technicianCount: function () { return technicians.getLayers().length; },
    selectedOrder: function () { return selectedId; },
    // Whether the marker itself is drawn (not hidden in a cluster), and whether its popup is open.
    orderShown: function (id) {
      if (!highlight || highlight.lmOrderId !== id) return "false false";
      return map.hasLayer(highlight) + " " + highlight.isPopupOpen();
    },
    orderMarker: function (id) { return orders[id] ? orders[id].marker : null; },
    techMarker: function (id) { return techs[id] ? techs[id].marker : null; },
    orderColour: function (id) { return orders[id] ? orders[id].marker.options.fillColor : null; },
    hasTiles: function () { return tiles !== null; },
    boundaryCount: function () { return boundaries.getLayers().length; },
    view: function () {
      var c = map.getCenter();
      return { lat: c.lat, lng: c.lng, zoom: map.getZoom() };
    },
  };
})();
