"""Technicians' day routes: fetch the planned day, show it as a timeline and a path on the map.

The GUI thread never waits: every fetch runs as a task on the qasync loop, and only the answer
to the latest request is shown (a technician picked, then another, shows the second). Changes
to the technician's orders in the store re-plan after a short pause, so a burst of feed events
asks the server once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from datetime import date
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from console.presenters.messages import MessageRoute
from console.presenters.tasks import spawn
from core.contracts import OrderRow, TechnicianOut
from core.contracts.dispatch import RouteOut
from ui.formatting import SHANGHAI
from ui.routes.timeline import RoutePanel, TimelineStop

log = logging.getLogger(__name__)
translate = QCoreApplication.translate
DEBOUNCE_MS = 800


class RouteClient(Protocol):
    async def technicians(self) -> list[TechnicianOut]: ...

    async def technician_route(self, technician_id: int,
                               day: date | None = None) -> RouteOut: ...


def _hhmm(at: Any) -> str:
    return str(at.astimezone(SHANGHAI).strftime("%H:%M")) if at is not None else "--:--"


def timeline_stops(route: RouteOut) -> list[TimelineStop]:
    stops = []
    for s in route.stops:
        tip = translate("RouteDesk", "{0}: window {1}-{2}, arrives {3}, leaves {4}").format(
            s.order_no, _hhmm(s.window_start), _hhmm(s.window_end), _hhmm(s.arrive),
            _hhmm(s.leave))
        if s.late:
            tip += translate("RouteDesk", " (late)")
        stops.append(TimelineStop(s.order_id, s.order_no, s.window_start, s.window_end,
                                  s.arrive, s.start or s.arrive, s.leave, s.late,
                                  s.travel_minutes, tip))
    return stops


def summary(route: RouteOut) -> str:
    """One line: how many visits, when out and back, how far, what is late or left out."""
    if not route.stops and not route.unplanned:
        return translate("RouteDesk", "{0}: no appointments on {1}.").format(
            route.technician_name, route.day.isoformat())
    text = translate("RouteDesk", "{0}: {1} visits, out {2}, back {3}, {4} km.").format(
        route.technician_name, len(route.stops), _hhmm(route.start), _hhmm(route.end),
        f"{route.distance_km:.1f}")
    late = sum(1 for s in route.stops if s.late)
    if late:
        text += " " + translate("RouteDesk", "{0} late.").format(late)
    if route.unplanned:
        names = ", ".join(route.unplanned_order_nos or [str(i) for i in route.unplanned])
        text += " " + translate("RouteDesk", "Does not fit the day: {0}.").format(names)
    return text


class RoutePresenter(QObject):
    """Drives a RoutePanel (and a map with set_route/clear_route, if given).

    Signals: routeShown(RouteOut) after a route is on screen; techniciansLoaded(int count).
    """

    routeShown = Signal(object)
    techniciansLoaded = Signal(int)

    def __init__(self, client: RouteClient, panel: RoutePanel, route: MessageRoute, *,
                 map_widget: QWidget | None = None, debounce_ms: int = DEBOUNCE_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client = client
        self._panel = panel
        self._route = route
        self._map = map_widget
        self._seq = 0
        self._task: asyncio.Task[None] | None = None
        self.current: RouteOut | None = None
        self.fetches = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(lambda: self.refresh(quiet=True))
        panel.technicianChosen.connect(lambda _tech: self.refresh())
        panel.dayChosen.connect(lambda _day: self.refresh())
        panel.refreshRequested.connect(self.refresh)

    def load_technicians(self) -> asyncio.Task[None]:
        return spawn(self._load_technicians(), self._route,
                     translate("RouteDesk", "Loading the technicians"))

    async def _load_technicians(self) -> None:
        technicians = await self._client.technicians()
        choices = [(t.id, t.name) for t in technicians if t.active]
        self._panel.set_technicians(choices)
        self.techniciansLoaded.emit(len(choices))

    def refresh(self, *, quiet: bool = False) -> None:
        """Fetch the chosen technician's day now (quiet: failures are logged, not shown)."""
        self._timer.stop()
        tech = self._panel.technician_id()
        self._seq += 1
        if self._task is not None and not self._task.done():
            self._task.cancel()  # its answer would be dropped anyway
        if tech is None:
            self._show(None)
            return
        coro = self._fetch(self._seq, tech, self._panel.chosen_day(), quiet)
        self._task = spawn(coro, self._route, translate("RouteDesk", "Planning the route"))

    def pending(self) -> bool:
        return self._timer.isActive()

    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    async def _fetch(self, seq: int, tech: int, day: date, quiet: bool) -> None:
        self.fetches += 1
        try:
            route = await self._client.technician_route(tech, day)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if not quiet:
                raise
            log.warning("could not re-plan the route of technician %s: %s", tech, exc)
            return
        if seq == self._seq:
            self._show(route)

    def _show(self, route: RouteOut | None) -> None:
        shown, self.current = self.current, route
        if route is None:
            self._panel.timeline.set_stops([])
            self._panel.summary.setText("")
            if shown is not None:  # nothing of ours on the map otherwise
                self._clear_map()
            return
        self._panel.timeline.set_stops(timeline_stops(route), route.opens, route.closes)
        self._panel.summary.setText(summary(route))
        self._draw_on_map(route)
        self.routeShown.emit(route)

    def _draw_on_map(self, route: RouteOut) -> None:
        set_route = getattr(self._map, "set_route", None)
        if set_route is None:
            return
        if not route.stops:
            self._clear_map()
            return
        labels = [f"{i}. {s.order_no} {_hhmm(s.arrive)}-{_hhmm(s.leave)}"
                  for i, s in enumerate(route.stops, 1)]
        set_route(route.technician_id, [(s.lat, s.lng) for s in route.stops], labels,
                  home=(route.home_lat, route.home_lng), late=[s.late for s in route.stops])

    def _clear_map(self) -> None:
        clear = getattr(self._map, "clear_route", None)
        if clear is not None:
            clear()

    # -- the store ---------------------------------------------------------------------------

    def orders_changed(self, kind: str, rows: Iterable[OrderRow]) -> None:
        """Re-plan soon if a change touches the shown technician's orders."""
        tech = self._panel.technician_id()
        if tech is None:
            return
        on_route = set() if self.current is None else (
            {s.order_id for s in self.current.stops} | set(self.current.unplanned))
        if kind == "reset" or any(r.technician_id == tech or r.id in on_route for r in rows):
            self._timer.start()  # restarts: a burst of changes waits for the last one

    def stop(self) -> None:
        self._timer.stop()
        self._seq += 1
        if self._task is not None and not self._task.done():
            self._task.cancel()
