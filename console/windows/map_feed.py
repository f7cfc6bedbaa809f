"""The map of a workspace: the widget (or a note where QtWebEngine fails), kept in step with
the queue: the filtered orders and the technicians."""

from __future__ import annotations

import logging
import os
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtWidgets import QWidget

from console.models.orders import OrderFilterProxy
from core.contracts import TechnicianOut
from ui.plain_text import PlainLabel

log = logging.getLogger(__name__)

# Browsers stay responsive with a few thousand clustered markers; the queue may hold 100,000.
MAX_MARKERS = 3000
REFRESH_MS = 1000


TILE_URL_ENV = "LASTMILE_TILE_URL"
TILE_SUBDOMAINS_ENV = "LASTMILE_TILE_SUBDOMAINS"


def default_map() -> QWidget:
    """The map widget if QtWebEngine works here, else a plain note in its place.

    Offline it draws region boundaries; LASTMILE_TILE_URL (a Leaflet URL template, e.g. AMap's
    or Tianditu's, with LASTMILE_TILE_SUBDOMAINS) adds an online tile layer underneath.
    """
    try:
        from ui.map_view import MapView

        view = MapView()
        tile_url = os.environ.get(TILE_URL_ENV, "").strip()
        if tile_url:
            view.set_tile_url(tile_url, subdomains=os.environ.get(TILE_SUBDOMAINS_ENV, "abc"))
        return view
    except Exception:  # no WebEngine, no GPU process, no map module: the console still works
        log.exception("the map is not available")
        note = PlainLabel(
            QCoreApplication.translate("Workspace", "The map is not available on this computer.")
        )
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return note


def technician_marker(t: TechnicianOut) -> dict[str, Any]:
    return {"id": t.id, "lat": t.home_lat, "lng": t.home_lng, "name": t.name,
            "load": t.load_today, "capacity": t.daily_capacity}


class MapFeed(QObject):
    """Pushes the visible orders to a map widget, at most once a second."""

    def __init__(self, proxy: OrderFilterProxy, map_widget: QWidget) -> None:
        super().__init__(map_widget)
        self._proxy = proxy
        self._map = map_widget
        self.pushed = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.push)
        for signal in (proxy.rowsInserted, proxy.rowsRemoved, proxy.modelReset,
                       proxy.layoutChanged, proxy.filterChanged):
            signal.connect(self.schedule)
        proxy.dataChanged.connect(self._data_changed)
        self._repainting = False
        proxy.queue().repaintStarted.connect(lambda: self._set_repainting(True))
        proxy.queue().repaintFinished.connect(lambda: self._set_repainting(False))

    def _set_repainting(self, value: bool) -> None:
        self._repainting = value

    def schedule(self, *_args: object) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def _data_changed(self, *_args: object) -> None:
        # The time-in-state clock repaints every row but moves no marker.
        if not self._repainting:
            self.schedule()

    def push(self) -> None:
        set_orders = getattr(self._map, "set_orders", None)
        if set_orders is None:
            return
        queue = self._proxy.queue()
        markers = []
        for row in range(min(self._proxy.rowCount(), MAX_MARKERS)):
            source = self._proxy.mapToSource(self._proxy.index(row, 0)).row()
            order = queue.order_at(source)
            if order.lat is None or order.lng is None:
                continue
            markers.append({
                "id": order.id, "lat": order.lat, "lng": order.lng, "state": str(order.state),
                # The popup's status line is the state's label (ui.map_view.state_families).
                "label": f"{order.order_no} · {order.customer_name}",
            })
        set_orders(markers)
        self.pushed += 1

    def set_technicians(self, technicians: list[TechnicianOut]) -> None:
        setter = getattr(self._map, "set_technicians", None)
        if setter is not None:
            setter([technician_marker(t) for t in technicians if t.active])
