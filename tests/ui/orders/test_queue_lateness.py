"""Lateness in the queue is the running step's time limit (open SLA alerts), not time in state,
and never shown for orders in review, settlement or frozen."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_fakes import T0, FakeStore, make_row

from console.errors import ApiError
from console.models.orders import Column, QueueModel
from console.presenters.orders.lateness import LatenessFeed
from core.contracts import ChangeEvent
from core.contracts.sla_deadlines import AlertOut
from core.orders.lifecycle import OrderState

S = OrderState


def alert(order_id: int, level: str, cursor: str = "") -> AlertOut:
    return AlertOut(order_id=order_id, order_no=f"LM{order_id}", county_adcode="110105",
                    service_type="install", step="dispatch", step_name="派单 (dispatch)",
                    level=level, at=T0, due=T0 + timedelta(hours=1), clock="natural",
                    recorded_at=T0, time_left=timedelta(minutes=-5), cursor=cursor)


class AlertsClient:
    def __init__(self, alerts: list[AlertOut], refuse: bool = False) -> None:
        self.alerts, self.refuse, self.calls = alerts, refuse, 0

    async def sla_alerts(self, after: str | None = None, limit: int = 200, **_: Any
                         ) -> list[AlertOut]:
        self.calls += 1
        if self.refuse:
            raise ApiError(403, "Forbidden")
        start = 0 if after is None else int(after)
        return self.alerts[start:start + limit]


def cell(model: QueueModel, order_id: int, role: Qt.ItemDataRole) -> Any:
    row = model.row_of(order_id)
    assert row is not None
    return model.index(row, Column.TIME_IN_STATE).data(role)


def queue(qtbot: QtBot) -> QueueModel:
    rows = [make_row(1, state=S.DISPATCHING), make_row(2, state=S.ASSIGNED),
            make_row(3, state=S.SETTLED), make_row(4, state=S.FROZEN),
            make_row(5, state=S.IN_REVIEW), make_row(6, state=S.NEW)]
    # Everything waited days in its state: time alone would mark all of them red.
    return QueueModel(FakeStore(rows={r.id: r for r in rows}),
                      clock=lambda: T0 + timedelta(days=3))


async def test_orders_over_their_step_limit_are_marked_and_waiting_alone_is_not(
    qtbot: QtBot,
) -> None:
    model = queue(qtbot)
    owner = QWidget()
    qtbot.addWidget(owner)
    client = AlertsClient([alert(1, "严重"), alert(1, "预警"), alert(2, "警告"),
                           alert(3, "严重"), alert(4, "严重"), alert(5, "警告")])
    feed = LatenessFeed(client, model, owner=owner)
    feed.start()
    await eventually(lambda: feed.fetches == 1)

    fg, font = Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole
    assert cell(model, 1, fg).color().name() == "#c62828" and cell(model, 1, font).bold()
    assert "Over the limit: 派单 (dispatch)" in cell(model, 1, Qt.ItemDataRole.ToolTipRole)
    assert cell(model, 2, fg).color().name() == "#e65100" and cell(model, 2, font) is None
    for settled_frozen_or_in_review in (3, 4, 5):
        assert cell(model, settled_frozen_or_in_review, fg) is None
    assert cell(model, 6, fg) is None  # days in "new", but no limit says it is late
    feed.stop()


async def test_every_page_of_alerts_is_read(qtbot: QtBot) -> None:
    model = queue(qtbot)
    owner = QWidget()
    qtbot.addWidget(owner)
    many = [alert(1000 + n, "预警", cursor=str(n + 1)) for n in range(1000)]
    client = AlertsClient([*many, alert(6, "严重", cursor="1001")])
    feed = LatenessFeed(client, model, owner=owner)
    feed.start()
    await eventually(lambda: feed.fetches == 1)
    assert client.calls == 2
    assert cell(model, 6, Qt.ItemDataRole.ForegroundRole) is not None
    feed.stop()


async def test_a_role_that_may_not_read_alerts_stops_asking(qtbot: QtBot) -> None:
    model = queue(qtbot)
    owner = QWidget()
    qtbot.addWidget(owner)
    client = AlertsClient([], refuse=True)
    feed = LatenessFeed(client, model, owner=owner, min_interval_ms=0)
    feed.start()
    await eventually(lambda: feed.refused)
    assert client.calls == 1 and feed.polling.timer is not None
    assert not feed.polling.timer.isActive()  # no more asking every 30 s


async def test_an_alert_on_the_feed_fetches_again_soon(qtbot: QtBot) -> None:
    model = queue(qtbot)
    owner = QWidget()
    qtbot.addWidget(owner)
    client = AlertsClient([])
    listeners: list[Any] = []
    feed = LatenessFeed(client, model, owner=owner, min_interval_ms=0,
                        subscribe_events=lambda f: listeners.append(f) or (lambda: None))
    feed.start()
    await eventually(lambda: feed.fetches == 1)
    client.alerts = [alert(6, "严重")]
    row = make_row(6, state=S.NEW)
    listeners[0]([ChangeEvent.model_validate(
        {"seq": 9, "order_id": 6, "kind": "sla_alert", "at": T0, "actor": "system",
         "actor_role": "system", "reason": "", "from_state": "new", "to_state": "new",
         "version": 1, "data": {}, "order": row})])
    await eventually(lambda: feed.fetches == 2)
    assert cell(model, 6, Qt.ItemDataRole.ForegroundRole) is not None
    feed.stop()
