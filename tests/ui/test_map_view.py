"""MapView against the real offline page in Qt WebEngine (offscreen, network blocked)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")

import pytest
from map_support import JS_TIMEOUT_MS, LOAD_TIMEOUT_MS, shown_map_view, wait_js, wait_loaded
from PySide6.QtWebEngineCore import (
    QWebEngineProfile,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)

from core.orders.lifecycle import OrderState
from ui.map_page import TECH_COLOURS, family_of, page_path
from ui.map_view import MapView


class _NoNetwork(QWebEngineUrlRequestInterceptor):
    """Blocks every network request the page makes and remembers it."""

    def __init__(self) -> None:
        super().__init__()
        self.blocked: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        url = info.requestUrl()
        if url.scheme() not in ("file", "qrc", "data", "blob", "about"):
            self.blocked.append(url.toString())
            info.block(True)


@pytest.fixture
def no_network() -> Iterator[_NoNetwork]:
    interceptor = _NoNetwork()
    profile = QWebEngineProfile.defaultProfile()
    profile.setUrlRequestInterceptor(interceptor)
    yield interceptor
    profile.setUrlRequestInterceptor(None)  # type: ignore[arg-type]  # Qt takes nullptr


@pytest.fixture
def view(qtbot: Any, no_network: _NoNetwork) -> Iterator[MapView]:
    yield from shown_map_view()


@pytest.fixture
def loaded_view(qtbot: Any, view: MapView) -> MapView:
    return wait_loaded(qtbot, view)


def orders(n: int, state: str = "dispatching") -> list[dict[str, Any]]:
    # Spread over Hangzhou (around 30.27 N, 120.15 E).
    return [
        {
            "id": i,
            "lat": 30.0 + (i % 97) * 0.005,
            "lng": 120.0 + (i // 97) * 0.005,
            "state": state,
            "label": f"Order {i}",
        }
        for i in range(1, n + 1)
    ]


def technicians() -> list[dict[str, Any]]:
    return [
        {"id": 1, "lat": 30.25, "lng": 120.1, "name": "Idle", "load": 1, "capacity": 8},
        {"id": 2, "lat": 30.26, "lng": 120.2, "name": "Busy", "load": 6, "capacity": 8},
        {"id": 3, "lat": 30.27, "lng": 120.3, "name": "Full", "load": 8, "capacity": 8},
    ]


def test_page_references_only_local_scripts_and_styles() -> None:
    html = page_path().read_text(encoding="utf-8")

    urls = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html)
    urls += re.findall(r'<link[^>]*\shref="([^"]+)"', html)

    assert urls, "the page should load Leaflet from somewhere"
    assert not [u for u in urls if re.match(r"(?i)https?:|//", u)]
    local = [Path(u.removeprefix("file://")) for u in urls if u.startswith("file://")]
    assert all(p.is_file() for p in local)


def test_page_loads_with_network_blocked(
    qtbot: Any, loaded_view: MapView, no_network: _NoNetwork
) -> None:
    boundaries = wait_js(
        qtbot, loaded_view, "L.version + ' ' + lastmile.boundaryCount()", lambda v: bool(v)
    )

    assert boundaries.split()[0] == "1.9.4"
    assert int(boundaries.split()[1]) > 100
    assert no_network.blocked == []


def test_set_orders_puts_every_order_in_the_cluster(qtbot: Any, loaded_view: MapView) -> None:
    loaded_view.set_orders(orders(2000))

    assert wait_js(qtbot, loaded_view, "lastmile.orderCount()", lambda n: n == 2000) == 2000


def test_set_orders_before_load_is_applied_once_loaded(qtbot: Any, view: MapView) -> None:
    view.set_orders(orders(300))
    view.set_technicians(technicians())

    wait_js(qtbot, view, "lastmile.orderCount()", lambda n: n == 300)
    assert wait_js(qtbot, view, "lastmile.technicianCount()", lambda n: n == 3) == 3


def test_set_orders_again_updates_in_place(qtbot: Any, loaded_view: MapView) -> None:
    loaded_view.set_orders(orders(500))
    wait_js(qtbot, loaded_view, "lastmile.orderCount()", lambda n: n == 500)
    frozen = [dict(o, state="frozen") for o in orders(200)]

    loaded_view.set_orders(frozen)

    wait_js(qtbot, loaded_view, "lastmile.orderCount()", lambda n: n == 200)
    colour = wait_js(qtbot, loaded_view, "lastmile.orderColour(7)", lambda c: c is not None)
    assert colour == family_of("frozen").colour  # type: ignore[union-attr]


def test_orders_without_a_position_are_left_out(qtbot: Any, loaded_view: MapView) -> None:
    unplaced = {"id": 999, "lat": None, "lng": None, "state": "new", "label": "?"}

    loaded_view.set_orders([*orders(10), unplaced])

    assert wait_js(qtbot, loaded_view, "lastmile.orderCount()", lambda n: n == 10) == 10


@pytest.mark.parametrize(
    ("state", "colour"),
    [
        ("dispatching", "#f57c00"),
        ("accepted", "#1e88e5"),
        ("checked_in", "#8e24aa"),
        ("settled", "#43a047"),
        ("frozen", "#9e9e9e"),
    ],
)
def test_order_marker_colour_follows_state_family(
    qtbot: Any, loaded_view: MapView, state: str, colour: str
) -> None:
    loaded_view.set_orders(orders(3, state=state))

    assert wait_js(qtbot, loaded_view, "lastmile.orderColour(2)", lambda c: c is not None) == colour


def test_every_lifecycle_state_has_a_colour_family() -> None:
    assert [s for s in OrderState if family_of(s) is None] == []


def test_clicking_an_order_marker_emits_order_clicked(qtbot: Any, loaded_view: MapView) -> None:
    loaded_view.set_orders(orders(50))
    wait_js(qtbot, loaded_view, "lastmile.orderCount()", lambda n: n == 50)

    with qtbot.waitSignal(loaded_view.orderClicked, timeout=JS_TIMEOUT_MS) as blocker:
        loaded_view.page().runJavaScript("lastmile.orderMarker(7).fire('click')")

    assert blocker.args == [7]


def test_clicking_a_technician_emits_technician_clicked(qtbot: Any, loaded_view: MapView) -> None:
    loaded_view.set_technicians(technicians())
    wait_js(qtbot, loaded_view, "lastmile.technicianCount()", lambda n: n == 3)

    with qtbot.waitSignal(loaded_view.technicianClicked, timeout=JS_TIMEOUT_MS) as blocker:
        loaded_view.page().runJavaScript("lastmile.techMarker(2).fire('click')")

    assert blocker.args == [2]


def test_select_order_highlights_and_opens_its_popup(qtbot: Any, loaded_view: MapView) -> None:
    loaded_view.set_orders(orders(2000))

    loaded_view.select_order(1234)

    # A string: runJavaScript hands mixed-type arrays back as "".
    script = "lastmile.selectedOrder() + ' ' + lastmile.orderShown(1234)"
    assert wait_js(qtbot, loaded_view, script, lambda v: v == "1234 true true") == "1234 true true"


@pytest.mark.parametrize(("tech_id", "level"), [(1, "low"), (2, "mid"), (3, "high")])
def test_technician_marker_colour_follows_load(
    qtbot: Any, loaded_view: MapView, tech_id: int, level: str
) -> None:
    loaded_view.set_technicians(technicians())

    script = f"lastmile.techMarker({tech_id}) && lastmile.techMarker({tech_id}).options.icon"
    icon = wait_js(qtbot, loaded_view, f"{script}.options.html", lambda h: bool(h))

    assert TECH_COLOURS[level] in icon


def test_tile_layer_can_be_switched_on_and_off(qtbot: Any, loaded_view: MapView) -> None:
    # A file:// template: the layer is created without reaching for the network.
    loaded_view.set_tile_url("file:///nonexistent/{z}/{x}/{y}.png")
    wait_js(qtbot, loaded_view, "lastmile.hasTiles()", lambda v: v is True)

    loaded_view.set_tile_url(None)

    assert wait_js(qtbot, loaded_view, "lastmile.hasTiles()", lambda v: v is False) is False


def test_online_tiles_are_requested_from_the_configured_url(
    qtbot: Any, loaded_view: MapView, no_network: _NoNetwork
) -> None:
    # The interceptor blocks the request, which also shows it would catch any other network use.
    loaded_view.set_tile_url("http://tiles.example.invalid/{z}/{x}/{y}.png")

    qtbot.waitUntil(
        lambda: any("tiles.example.invalid" in u for u in no_network.blocked),
        timeout=JS_TIMEOUT_MS,
    )


def test_select_order_caps_the_zoom_and_shows_the_order_above_its_cluster(
    qtbot: Any, loaded_view: MapView
) -> None:
    # Thirty orders at one address: zoomToShowLayer would zoom to street level for them
    # and still show a cluster.
    same_place = [dict(o, lat=30.25, lng=120.15) for o in orders(30)]
    loaded_view.set_orders([*same_place, *orders(300)[30:]])
    wait_js(qtbot, loaded_view, "lastmile.orderCount()", lambda n: n == 300)

    loaded_view.select_order(17)

    assert wait_js(qtbot, loaded_view, "lastmile.orderShown(17)", lambda v: v == "true true")
    assert wait_js(qtbot, loaded_view, "lastmile.view().zoom", lambda z: z is not None) == 10


def test_a_selection_made_before_the_orders_arrive_is_applied(
    qtbot: Any, loaded_view: MapView
) -> None:
    loaded_view.select_order(42)
    wait_js(qtbot, loaded_view, "String(lastmile.selectedOrder())", lambda v: v == "null")

    loaded_view.set_orders(orders(100))

    assert wait_js(qtbot, loaded_view, "lastmile.orderShown(42)", lambda v: v == "true true")
    assert wait_js(qtbot, loaded_view, "lastmile.selectedOrder()", lambda v: v == 42) == 42


def test_an_order_picked_on_the_map_keeps_the_view(qtbot: Any, loaded_view: MapView) -> None:
    loaded_view.set_orders(orders(50))
    loaded_view.set_view(30.1, 120.05, 15)
    wait_js(qtbot, loaded_view, "lastmile.orderCount()", lambda n: n == 50)

    loaded_view.select_order(7, move=False)

    wait_js(qtbot, loaded_view, "lastmile.selectedOrder()", lambda v: v == 7)
    assert wait_js(qtbot, loaded_view, "lastmile.view().zoom", lambda z: z is not None) == 15


def test_the_selected_marker_stays_shown_when_the_orders_refresh(
    qtbot: Any, loaded_view: MapView
) -> None:
    same_place = [dict(o, lat=30.25, lng=120.15) for o in orders(30)]
    loaded_view.set_orders(same_place)
    loaded_view.select_order(17)
    wait_js(qtbot, loaded_view, "lastmile.orderShown(17)", lambda v: v == "true true")

    loaded_view.set_orders([dict(o, state="assigned") for o in same_place])

    wait_js(qtbot, loaded_view, "lastmile.orderColour(3)", lambda c: c == "#1e88e5")
    assert wait_js(qtbot, loaded_view, "lastmile.orderShown(17)", lambda v: bool(v)) == "true true"
    assert wait_js(qtbot, loaded_view, "lastmile.orderCount()", lambda n: n == 30) == 30


def test_the_console_map_takes_its_tile_url_from_the_setting(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from console.windows.map_feed import TILE_URL_ENV, default_map

    monkeypatch.setenv(TILE_URL_ENV, "file:///nonexistent/{z}/{x}/{y}.png")
    view = default_map()
    assert isinstance(view, MapView)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=LOAD_TIMEOUT_MS):
        pass

    assert wait_js(qtbot, view, "lastmile.hasTiles()", lambda v: v is True) is True


def test_without_a_tile_url_the_console_map_is_offline(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from console.windows.map_feed import TILE_URL_ENV, default_map

    monkeypatch.delenv(TILE_URL_ENV, raising=False)
    view = default_map()
    assert isinstance(view, MapView)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=LOAD_TIMEOUT_MS):
        pass

    assert wait_js(qtbot, view, "lastmile.hasTiles()", lambda v: v is False) is False


@pytest.mark.parametrize("state", ["new", "accepted", "settled", "dispatching", "frozen"])
def test_the_popup_status_line_is_the_label_the_queue_and_detail_show(state: str) -> None:
    # A New order said "waiting for dispatch", a Settled one "served", an Accepted one "assigned".
    from ui import labels
    from ui.map_view import state_families

    assert state_families()[state]["label"] == labels.state_labels()[state]
    assert state_families()[state]["colour"] == family_of(state).colour  # type: ignore[union-attr]
