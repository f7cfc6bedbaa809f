"""The Routes dock with a fake client: pick a technician, see their day, follow the store."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_fakes import FakeStore, make_row, make_technician
from ui_support import Messages

from console.errors import Offline
from console.presenters.routes.day import summary
from console.windows.routes import RouteDesk
from core.contracts import TechnicianOut
from core.contracts.dispatch import RouteOut, RouteStop

DAY = date(2026, 3, 3)
T9 = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


def route_of(tech: int, day: date, order_ids: list[int], *, late: int | None = None,
             unplanned: list[int] | None = None) -> RouteOut:
    stops = [
        RouteStop(order_id=o, order_no=f"LM{o:08d}", lng=116.4 + i / 100, lat=39.9,
                  window_start=T9 + timedelta(hours=2 * i),
                  window_end=T9 + timedelta(hours=2 * i + 2),
                  arrive=T9 + timedelta(hours=2 * i), start=T9 + timedelta(hours=2 * i),
                  leave=T9 + timedelta(hours=2 * i + 1), late=o == late, travel_minutes=15)
        for i, o in enumerate(order_ids)
    ]
    return RouteOut(technician_id=tech, technician_name=f"师傅{tech}", day=day,
                    start=T9 - timedelta(minutes=15) if stops else None,
                    end=T9 + timedelta(hours=10) if stops else None, home_lng=116.3,
                    home_lat=39.8, stops=stops, unplanned=unplanned or [],
                    unplanned_order_nos=[f"LM{o:08d}" for o in unplanned or []],
                    distance_km=12.34, feasible=late is None and not unplanned,
                    planned_at=datetime.now(UTC), opens=T9 - timedelta(hours=1),
                    closes=T9 + timedelta(hours=11))


class FakeRouteClient:
    def __init__(self) -> None:
        self.routes: dict[int, list[int]] = {11: [1, 2], 12: [3]}
        self.calls: list[tuple[int, date | None]] = []
        self.gates: dict[int, asyncio.Event] = {}
        self.settled: list[int] = []  # calls answered, failed or cancelled
        self.fail = False

    async def technicians(self) -> list[TechnicianOut]:
        return [make_technician(11, "王师傅"), make_technician(12, "李师傅")]

    async def technician_route(self, technician_id: int, day: date | None = None) -> RouteOut:
        self.calls.append((technician_id, day))
        try:
            gate = self.gates.get(technician_id)
            if gate is not None:
                await gate.wait()
            if self.fail:
                raise Offline("no network")
            return route_of(technician_id, day or DAY, self.routes.get(technician_id, []),
                            late=2 if technician_id == 11 else None)
        finally:
            # The presenter takes the answer in the same step of its task: once this is
            # recorded and the loop has run once more, what it did with it is on screen.
            self.settled.append(technician_id)


class FakeMap(QWidget):
    technicianClicked = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.drawn: list[tuple[Any, ...]] = []

    def set_route(self, technician_id: int, points: list[tuple[float, float]],
                  labels: list[str], **options: Any) -> None:
        self.drawn.append((technician_id, points, labels, options))

    def clear_route(self) -> None:
        self.drawn.append(("cleared",))


_KEEP: list[QWidget] = []  # the windows of the running test (qtbot holds no reference)


def build(qtbot: QtBot, client: FakeRouteClient | None = None,
          store: FakeStore | None = None) -> tuple[RouteDesk, FakeRouteClient, FakeMap, list[int]]:
    client = client or FakeRouteClient()
    window = QMainWindow()
    qtbot.addWidget(window)
    queue = QDockWidget("queue", window)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, queue)
    fake_map = FakeMap()
    qtbot.addWidget(fake_map)
    _KEEP[:] = [window, fake_map]
    opened: list[int] = []
    desk = RouteDesk(client, Messages(), window, opened.append, queue_dock=queue,
                     map_widget=fake_map, subscribe=store.subscribe if store else None,
                     parent=window)
    desk.presenter._timer.setInterval(30)  # the debounce, short for tests
    desk.panel.set_day(DAY)
    return desk, client, fake_map, opened


async def test_choosing_a_technician_shows_their_day_and_draws_it(qtbot: QtBot) -> None:
    desk, client, fake_map, _ = build(qtbot)
    desk.start()
    await eventually(lambda: desk.panel.technician.count() == 3)

    desk.panel.choose_technician(11)

    await eventually(lambda: desk.presenter.current is not None)
    assert client.calls == [(11, DAY)]
    assert [s.order_id for s in desk.panel.timeline.stops()] == [1, 2]
    assert [s.late for s in desk.panel.timeline.stops()] == [False, True]
    tech, points, labels, options = fake_map.drawn[-1]
    assert tech == 11 and points == [(39.9, 116.4), (39.9, 116.4 + 1 / 100)]
    assert labels[0].startswith("1. LM00000001 09:00-10:00")
    assert options["home"] == (39.8, 116.3) and options["late"] == [False, True]
    assert "12.3 km" in desk.panel.summary.text() and "1 late" in desk.panel.summary.text()


async def test_clicking_a_technician_on_the_map_shows_their_route(qtbot: QtBot) -> None:
    desk, client, fake_map, _ = build(qtbot)

    fake_map.technicianClicked.emit(12)  # before the list was loaded

    await eventually(lambda: desk.presenter.current is not None)
    assert desk.panel.technician_id() == 12 and client.calls == [(12, DAY)]
    assert fake_map.drawn[-1][0] == 12


async def test_clicking_a_visit_opens_its_order(qtbot: QtBot) -> None:
    desk, _, _, opened = build(qtbot)
    desk.show_technician(11)
    await eventually(lambda: desk.presenter.current is not None)

    desk.panel.timeline.orderActivated.emit(2)

    assert opened == [2]


async def test_another_day_asks_again_and_an_empty_day_clears_the_map(qtbot: QtBot) -> None:
    desk, client, fake_map, _ = build(qtbot)
    client.routes[11] = []
    desk.show_technician(11)
    await eventually(lambda: desk.presenter.current is not None)
    assert fake_map.drawn[-1] == ("cleared",)

    desk.panel.set_day(DAY + timedelta(days=1))

    await eventually(lambda: len(client.calls) == 2)
    assert client.calls[-1] == (11, DAY + timedelta(days=1))
    assert "no appointments" in desk.panel.summary.text()


async def test_only_the_latest_choice_is_shown(qtbot: QtBot) -> None:
    client = FakeRouteClient()
    client.gates[11] = asyncio.Event()  # 11's answer is slow
    desk, _, fake_map, _ = build(qtbot, client)
    desk.start()
    await eventually(lambda: desk.panel.technician.count() == 3)
    desk.panel.choose_technician(11)
    await eventually(lambda: client.calls == [(11, DAY)])

    desk.panel.choose_technician(12)
    await eventually(lambda: desk.presenter.current is not None)
    client.gates[11].set()
    await eventually(lambda: 11 in client.settled and not desk.presenter.busy())

    assert desk.presenter.current is not None and desk.presenter.current.technician_id == 12
    assert [d[0] for d in fake_map.drawn] == [12]


async def test_a_change_to_their_orders_re_plans_once_after_a_pause(qtbot: QtBot) -> None:
    store = FakeStore()
    desk, client, _, _ = build(qtbot, store=store)
    desk.show_technician(11)
    await eventually(lambda: len(client.calls) == 1)
    await eventually(lambda: desk.presenter.current is not None)

    for version in (2, 3, 4):  # a burst of feed events on the route's order
        store.emit("upsert", [make_row(1, technician_id=11, version=version)])
    assert desk.presenter.pending()

    await eventually(lambda: len(client.calls) == 2)
    assert not desk.presenter.pending()  # no re-plan is left waiting to go
    assert len(client.calls) == 2


async def test_changes_elsewhere_do_not_re_plan(qtbot: QtBot) -> None:
    store = FakeStore()
    desk, _, _, _ = build(qtbot, store=store)
    desk.show_technician(11)
    await eventually(lambda: desk.presenter.current is not None)

    store.emit("upsert", [make_row(9, technician_id=12), make_row(8, technician_id=None)])

    assert not desk.presenter.pending()


async def test_an_order_moved_to_someone_else_re_plans_the_old_route(qtbot: QtBot) -> None:
    store = FakeStore()
    desk, client, _, _ = build(qtbot, store=store)
    desk.show_technician(11)
    await eventually(lambda: desk.presenter.current is not None)

    store.emit("upsert", [make_row(2, technician_id=12, version=5)])  # was on 11's route

    await eventually(lambda: len(client.calls) == 2)


async def test_a_failed_background_re_plan_is_logged_not_shown(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    store = FakeStore()
    client = FakeRouteClient()
    desk, _, _, _ = build(qtbot, client, store)
    messages: Messages = desk.presenter._route  # type: ignore[assignment]
    desk.show_technician(11)
    await eventually(lambda: desk.presenter.current is not None)
    client.fail = True

    store.emit("upsert", [make_row(1, technician_id=11, version=7)])
    # Logged by the fetch itself, which then ends without an error for the message route.
    await eventually(lambda: "could not re-plan the route" in caplog.text)

    assert messages.shown == []
    desk.panel.refresh.click()  # asked for by hand: the failure is shown
    await eventually(lambda: bool(messages.shown))
    assert "no network" in messages.shown[-1][1]


def test_stop_unsubscribes_and_the_dock_sits_beside_the_queue(qtbot: QtBot) -> None:
    store = FakeStore()
    desk, _, _, _ = build(qtbot, store=store)
    window = desk.dock.parentWidget()
    assert isinstance(window, QMainWindow)
    assert desk.dock.windowTitle() == "Routes" and desk.dock.objectName() == "routesDock"
    assert len(store._subscribers) == 1

    desk.stop()

    assert store._subscribers == []



def test_summary_names_what_does_not_fit() -> None:
    text = summary(route_of(11, DAY, [1], unplanned=[5]))

    assert text.startswith("师傅11: 1 visits") and "LM00000005" in text
