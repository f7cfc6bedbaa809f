"""The map's day route and its drop target, on the real offline page in Qt WebEngine."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from map_support import JS_TIMEOUT_MS, shown_map_view, wait_js, wait_loaded
from PySide6.QtCore import QCoreApplication, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QMainWindow, QWidget
from support.waiting import eventually
from ui_support import Messages

from console.windows.routes import RouteDesk
from core.contracts.dispatch import RouteOut, RouteStop
from ui.map_view import ORDER_MIME_PREFIX, MapView

TECHS = [
    {"id": 1, "lat": 30.25, "lng": 120.10, "name": "Wang", "load": 1, "capacity": 8},
    {"id": 2, "lat": 30.26, "lng": 120.20, "name": "Li", "load": 6, "capacity": 8},
]
HOME = (30.25, 120.10)
STOPS = [(30.27, 120.12), (30.28, 120.15), (30.26, 120.16)]


@pytest.fixture
def view(qtbot: Any) -> Iterator[MapView]:
    yield from shown_map_view()


@pytest.fixture
def loaded(qtbot: Any, view: MapView) -> MapView:
    return wait_loaded(qtbot, view)


def with_technicians(qtbot: Any, view: MapView) -> MapView:
    view.set_technicians(TECHS)
    view.set_view(30.26, 120.15, 12)
    wait_js(qtbot, view, "lastmile.technicianCount()", lambda n: n == 2)
    return view


def tech_point(qtbot: Any, view: MapView, tech_id: int) -> tuple[float, float]:
    text = wait_js(qtbot, view, f"lastmile.techPoint({tech_id})", lambda v: bool(v))
    x, y = (float(v) for v in text.split())
    return x, y


def test_set_route_draws_home_stops_and_home_with_numbered_stops(
    qtbot: Any, loaded: MapView
) -> None:
    loaded.set_route(7, STOPS, ["LM1 09:00", "LM2 11:00", "LM3 13:00"], home=HOME,
                     late=[False, False, True])

    assert wait_js(qtbot, loaded, "lastmile.routeInfo()", lambda v: bool(v)) == "7 3 5"
    assert wait_js(qtbot, loaded, "lastmile.routeStopTexts()", bool) == "1 2 3!"
    assert loaded.route_technician() == 7


def test_a_new_route_replaces_the_old_and_clear_removes_it(qtbot: Any, loaded: MapView) -> None:
    loaded.set_route(7, STOPS, home=HOME)
    loaded.set_route(8, STOPS[:1], home=HOME)
    assert wait_js(qtbot, loaded, "lastmile.routeInfo()", lambda v: v.startswith("8")) == "8 1 3"

    loaded.clear_route()

    assert wait_js(qtbot, loaded, "lastmile.routeInfo()", lambda v: v == "") == ""
    assert loaded.route_technician() is None


def test_a_route_set_before_the_page_loads_is_drawn_once_it_has(
    qtbot: Any, view: MapView
) -> None:
    view.set_route(3, STOPS, home=HOME)

    assert wait_js(qtbot, view, "lastmile.routeInfo()", lambda v: bool(v)) == "3 3 5"


def test_route_labels_are_text_not_html(qtbot: Any, loaded: MapView) -> None:
    label = "<img src=x onerror=alert(1)>"
    loaded.set_route(1, STOPS[:1], [label], home=HOME)
    wait_js(qtbot, loaded, "lastmile.routeInfo()", bool)

    loaded.page().runJavaScript(
        "document.querySelector('.lm-stop').dispatchEvent("
        "new MouseEvent('mouseover', {bubbles: true}))")
    tooltip = wait_js(qtbot, loaded, "(function () {"
                      "var t = document.querySelector('.leaflet-tooltip');"
                      "return t ? t.querySelectorAll('img').length + ' ' + t.textContent : '';"
                      "})()", bool)

    assert tooltip == f"0 {label}"


def test_an_order_dropped_on_a_technician_emits_the_pair(qtbot: Any, loaded: MapView) -> None:
    with_technicians(qtbot, loaded)
    x, y = tech_point(qtbot, loaded, 2)

    with qtbot.waitSignal(loaded.orderDroppedOnTechnician, timeout=JS_TIMEOUT_MS) as blocker:
        loaded.page().runJavaScript(f"lastmile.dropOrder('lastmile-order:42', {x + 20}, {y})")

    assert blocker.args == [42, 2]


@pytest.mark.parametrize("text, offset", [("lastmile-order:42", 80), ("hello", 0),
                                          ("lastmile-order:x", 0)])
def test_a_drop_away_from_technicians_or_not_an_order_does_nothing(
    qtbot: Any, loaded: MapView, text: str, offset: int
) -> None:
    with_technicians(qtbot, loaded)
    x, y = tech_point(qtbot, loaded, 1)
    dropped: list[tuple[int, int]] = []
    loaded.orderDroppedOnTechnician.connect(lambda o, t: dropped.append((o, t)))

    result = wait_js(qtbot, loaded, f"String(lastmile.dropOrder('{text}', {x + offset}, {y}))",
                     lambda v: v is not None)

    assert result == "null"
    # The bridge delivers in order: once a good drop arrives, a call from the bad one would have.
    x, y = tech_point(qtbot, loaded, 2)
    with qtbot.waitSignal(loaded.orderDroppedOnTechnician, timeout=JS_TIMEOUT_MS):
        loaded.page().runJavaScript(f"lastmile.dropOrder('lastmile-order:7', {x + 20}, {y})")
    assert dropped == [(7, 2)]


def test_an_html_drop_event_on_the_map_reaches_the_bridge(qtbot: Any, loaded: MapView) -> None:
    with_technicians(qtbot, loaded)
    x, y = tech_point(qtbot, loaded, 1)
    script = f"""(function () {{
      var box = document.querySelector('.leaflet-container').getBoundingClientRect();
      var dt = new DataTransfer();
      dt.setData('text/plain', '{ORDER_MIME_PREFIX}5');
      var init = {{bubbles: true, cancelable: true, dataTransfer: dt,
                   clientX: box.left + {x}, clientY: box.top + {y} + 10}};
      var over = new DragEvent('dragover', init);
      document.querySelector('.leaflet-container').dispatchEvent(over);
      document.querySelector('.leaflet-container').dispatchEvent(new DragEvent('drop', init));
      return over.defaultPrevented;
    }})()"""

    with qtbot.waitSignal(loaded.orderDroppedOnTechnician, timeout=JS_TIMEOUT_MS) as blocker:
        loaded.page().runJavaScript(script)

    assert blocker.args == [5, 1]


def test_a_qt_drag_dropped_on_the_widget_reaches_the_page(qtbot: Any, loaded: MapView) -> None:
    # What a drag from a Qt view does: Qt delivers enter/move/drop to the page's widget and
    # Chromium turns them into the page's dragover/drop events.
    with_technicians(qtbot, loaded)
    x, y = tech_point(qtbot, loaded, 2)
    target: QWidget = loaded._view.focusProxy() or loaded._view
    at = QPointF(x, y)
    mime = QMimeData()
    mime.setText(f"{ORDER_MIME_PREFIX}9")
    action = Qt.DropAction.CopyAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier

    enter = QDragEnterEvent(QPoint(int(x), int(y)), action, mime, buttons, mods)
    QCoreApplication.sendEvent(target, enter)
    move = QDragMoveEvent(QPoint(int(x), int(y)), action, mime, buttons, mods)
    QCoreApplication.sendEvent(target, move)
    # The page's dragover marks the technician under the pointer as the drop target.
    wait_js(qtbot, loaded, "document.querySelectorAll('.lm-tech-drop').length", lambda n: n == 1)

    with qtbot.waitSignal(loaded.orderDroppedOnTechnician, timeout=JS_TIMEOUT_MS) as blocker:
        QCoreApplication.sendEvent(target, QDropEvent(at, action, mime, buttons, mods))

    assert blocker.args == [9, 2]


async def test_the_route_desk_draws_the_planned_day_on_the_real_map(
    qtbot: Any, loaded: MapView
) -> None:
    nine = datetime(2026, 3, 3, 1, tzinfo=UTC)
    stops = [RouteStop(order_id=i + 1, order_no=f"LM{i + 1}", lng=lng, lat=lat,
                       window_start=nine, window_end=nine + timedelta(hours=8),
                       arrive=nine + timedelta(hours=i),
                       leave=nine + timedelta(hours=i, minutes=50),
                       late=i == 2) for i, (lat, lng) in enumerate(STOPS)]

    class Client:
        async def technicians(self) -> list[Any]:
            return []

        async def technician_route(self, technician_id: int, day: date | None = None) -> RouteOut:
            return RouteOut(technician_id=technician_id, technician_name="Wang",
                            day=date(2026, 3, 3), start=nine, end=nine + timedelta(hours=4),
                            home_lng=HOME[1], home_lat=HOME[0], stops=stops, unplanned=[],
                            distance_km=9.5, feasible=False, planned_at=nine)

    window = QMainWindow()
    qtbot.addWidget(window)
    desk = RouteDesk(Client(), Messages(), window, lambda _order: None, map_widget=loaded,
                     parent=window)
    desk.panel.set_technicians([(1, "Wang")])
    desk.panel.choose_technician(1)

    await eventually(lambda: desk.presenter.current is not None)
    assert wait_js(qtbot, loaded, "lastmile.routeInfo()", bool) == "1 3 5"
    assert wait_js(qtbot, loaded, "lastmile.routeStopTexts()", bool) == "1 2 3!"
    desk.stop()
