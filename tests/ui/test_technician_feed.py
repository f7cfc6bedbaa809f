"""Technicians on the map follow assignments: fetched again when load changes, debounced."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_fakes import FakeClient, FakeStore, make_row, make_technician

from console.windows import Workspace
from console.windows.technician_feed import TechnicianFeed
from core.contracts import TechnicianOut
from core.orders.lifecycle import OrderState


class Fetcher:
    """A technicians endpoint that answers when the test lets it."""

    def __init__(self) -> None:
        self.calls = 0
        self.load = 0
        self.hold: asyncio.Future[None] | None = None

    async def __call__(self) -> list[TechnicianOut]:
        self.calls += 1
        if self.hold is not None:
            await self.hold
        return [make_technician(11, "王师傅", load=self.load)]


Delivered = list[list[TechnicianOut]]


def feed_with(fetcher: Fetcher, delivered: Delivered,
              interval_ms: int = 0) -> TechnicianFeed:
    return TechnicianFeed(fetcher, delivered.append, interval_ms=interval_ms)


async def test_start_fetches_and_delivers_the_technicians() -> None:
    fetcher, delivered = Fetcher(), Delivered()
    feed = feed_with(fetcher, delivered)

    feed.start([make_row(1, state=OrderState.NEW)])

    await eventually(lambda: len(delivered) == 1)
    assert delivered[0][0].load_today == 0


async def test_an_assignment_fetches_again() -> None:
    fetcher, delivered = Fetcher(), Delivered()
    feed = feed_with(fetcher, delivered)
    feed.start([make_row(1, state=OrderState.DISPATCHING)])
    await eventually(lambda: len(delivered) == 1)
    fetcher.load = 1

    feed.orders_changed(
        "upsert", [make_row(1, state=OrderState.ASSIGNED, technician_id=11, version=2)]
    )

    await eventually(lambda: len(delivered) == 2)
    assert delivered[1][0].load_today == 1


async def test_changes_that_move_no_load_fetch_nothing() -> None:
    fetcher, delivered = Fetcher(), Delivered()
    feed = feed_with(fetcher, delivered)
    feed.start([make_row(1, state=OrderState.NEW)])
    await eventually(lambda: len(delivered) == 1)

    feed.orders_changed("upsert", [make_row(1, state=OrderState.AUDITED, version=2),
                                   make_row(2, state=OrderState.NEW)])

    # A fetch starts or is timed at once when wanted; none is under way or waiting.
    assert not feed.busy() and not feed.pending()
    assert fetcher.calls == 1


async def test_changes_within_the_interval_wait_and_come_as_one_fetch() -> None:
    fetcher, delivered = Fetcher(), Delivered()
    feed = feed_with(fetcher, delivered, interval_ms=60_000)
    feed.start()
    await eventually(lambda: len(delivered) == 1)

    for i in range(1, 4):
        feed.orders_changed("upsert", [make_row(i, state=OrderState.ASSIGNED, technician_id=11)])

    assert fetcher.calls == 1  # the next fetch waits for the interval, however many changes
    assert feed.pending()
    feed.stop()
    assert not feed.pending()


async def test_held_changes_come_as_one_fetch_once_the_interval_has_passed() -> None:
    fetcher, delivered = Fetcher(), Delivered()
    feed = feed_with(fetcher, delivered, interval_ms=500)
    feed.start()
    await eventually(lambda: len(delivered) == 1)

    for i in range(1, 4):
        feed.orders_changed("upsert", [make_row(i, state=OrderState.ASSIGNED, technician_id=11)])
    assert feed.pending() and fetcher.calls == 1

    await eventually(lambda: len(delivered) == 2)
    assert fetcher.calls == 2 and not feed.pending() and not feed.busy()
    feed.stop()


async def test_a_change_during_a_fetch_waits_for_the_interval_too() -> None:
    fetcher, delivered = Fetcher(), Delivered()
    fetcher.hold = asyncio.get_running_loop().create_future()
    feed = feed_with(fetcher, delivered, interval_ms=60_000)
    feed.start()
    await eventually(lambda: fetcher.calls == 1)

    feed.orders_changed("upsert", [make_row(1, state=OrderState.ASSIGNED, technician_id=11)])
    fetcher.hold.set_result(None)

    await eventually(lambda: len(delivered) == 1)
    assert feed.pending() and fetcher.calls == 1  # the once-more fetch is held, not at once
    feed.stop()
    assert not feed.pending()


async def test_a_change_during_a_fetch_fetches_once_more_afterwards() -> None:
    fetcher, delivered = Fetcher(), Delivered()
    fetcher.hold = asyncio.get_running_loop().create_future()
    feed = feed_with(fetcher, delivered)
    feed.start()
    await eventually(lambda: fetcher.calls == 1)

    feed.orders_changed("upsert", [make_row(1, state=OrderState.ASSIGNED, technician_id=11)])
    assert fetcher.calls == 1  # never two at a time
    fetcher.hold.set_result(None)

    await eventually(lambda: len(delivered) == 2)
    assert fetcher.calls == 2


async def test_a_failed_fetch_is_logged_and_the_next_change_retries(
    caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[int] = []
    delivered: list[list[TechnicianOut]] = []

    async def failing() -> list[TechnicianOut]:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("server away")
        return [make_technician(11, "王师傅")]

    feed = TechnicianFeed(failing, delivered.append, interval_ms=0)
    with caplog.at_level(logging.WARNING, logger="console.windows.technician_feed"):
        feed.start()
        await eventually(lambda: len(calls) == 1 and not feed.busy())
    assert "refreshing the technicians failed: server away" in caplog.text
    assert delivered == []

    feed.refresh()

    await eventually(lambda: len(delivered) == 1)


class RecordingMap(QWidget):
    """Stands in for MapView: remembers what it was given."""

    def __init__(self) -> None:
        super().__init__()
        self.technicians: list[list[dict[str, Any]]] = []

    def set_orders(self, orders: list[dict[str, Any]]) -> None:
        pass

    def set_technicians(self, technicians: list[dict[str, Any]]) -> None:
        self.technicians.append(list(technicians))


async def test_the_workspace_feeds_load_and_capacity_to_the_map_and_follows_assignments(
    qtbot: QtBot, settings_factory: Callable[[], QSettings]
) -> None:
    store = FakeStore(rows={1: make_row(1, state=OrderState.DISPATCHING)})
    client = FakeClient()
    client.candidate_list[0].technician.load_today = 2
    the_map = RecordingMap()
    workspace = Workspace("agent", client, store, settings_factory=settings_factory,
                          map_factory=lambda: the_map)
    qtbot.addWidget(workspace.window)
    assert workspace.technician_feed is not None
    workspace.technician_feed.interval_ms = 0

    workspace.start_technicians()
    await eventually(lambda: len(the_map.technicians) == 1)
    first = {t["id"]: (t["load"], t["capacity"]) for t in the_map.technicians[0]}
    assert first[11] == (2, 6)

    client.candidate_list[0].technician.load_today = 3
    store.emit("upsert", [make_row(1, state=OrderState.ASSIGNED, technician_id=11, version=2)])

    await eventually(lambda: len(the_map.technicians) == 2)
    assert {t["id"]: t["load"] for t in the_map.technicians[1]}[11] == 3
    workspace.technician_feed.stop()
