"""The grab pool monitor: counts, the offers table, the status filter, refresh only on screen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QMainWindow, QWidget
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_support import Messages

from console.errors import ApiError
from console.models.grab.pool import ATTEMPTS, CLAIMANT, EXPIRES, PRICE, STATUS, PoolModel
from console.presenters.grab.pool import PoolMonitorPresenter
from console.windows.grab import PoolMonitorDesk
from core.contracts.dispatch import PoolOfferRow, PoolSummary
from ui.grab.pool_monitor import PoolMonitorView
from ui.roles import WARNING_ROLE

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def make_offer(order_id: int, status: str = "open", *, price: int | None = None,
               floor: int = 3000, claimant: str = "") -> PoolOfferRow:
    closed = status != "open"
    return PoolOfferRow(
        offer_id=order_id, order_id=order_id, order_no=f"LM2026030200000{order_id}",
        county_adcode="110105", county_name="朝阳区", status=status,
        offered_at=NOW - timedelta(minutes=10), expires_at=NOW + timedelta(minutes=20),
        closed_at=NOW - timedelta(minutes=1) if closed else None, price_fen=price,
        floor_fen=floor, below_floor=price is not None and price < floor, views=7,
        claim_attempts=3 if status == "claimed" else 0, claimed_by=9 if claimant else None,
        claimed_by_name=claimant,
    )


class FakePoolClient:
    """Answers grab_pool from memory and remembers what was asked."""

    def __init__(self, rows: list[PoolOfferRow] | None = None) -> None:
        self.rows = rows if rows is not None else [
            make_offer(1, price=2500), make_offer(2, "claimed", claimant="王师傅"),
            make_offer(3, "expired")]
        self.calls: list[tuple[str | None, int]] = []
        self.fail: Exception | None = None

    async def grab_pool(self, status: str | None = None, limit: int = 200) -> PoolSummary:
        self.calls.append((status, limit))
        if self.fail is not None:
            raise self.fail
        rows = [r for r in self.rows if status is None or r.status == status]
        count = {s: sum(r.status == s for r in self.rows)
                 for s in ("open", "claimed", "expired", "withdrawn")}
        return PoolSummary(**count, views=sum(r.views for r in self.rows),
                           claim_attempts=sum(r.claim_attempts for r in self.rows),
                           below_floor=sum(r.below_floor for r in self.rows), rows=rows)


def cell(model: PoolModel, row: int, column: int, role: int = Qt.ItemDataRole.DisplayRole
         ) -> object:
    return model.data(model.index(row, column), role)


def test_the_model_shows_status_countdown_and_flags_a_low_price() -> None:
    model = PoolModel(now=lambda: NOW)
    model.set_rows([make_offer(1, price=2500), make_offer(2, "claimed", claimant="王师傅"),
                    make_offer(3, price=5000)])
    assert model.rowCount() == 3 and model.columnCount() == 9
    assert cell(model, 0, STATUS) == "Open" and cell(model, 1, STATUS) == "Claimed"
    assert cell(model, 0, EXPIRES) == "20 min"
    assert cell(model, 1, EXPIRES) == "2026-03-02 15:59"  # closed: when, in Beijing time
    assert cell(model, 0, PRICE) == "¥25.00 (below floor)"
    assert cell(model, 0, PRICE, WARNING_ROLE) is True
    assert cell(model, 0, PRICE, Qt.ItemDataRole.ForegroundRole) is not None
    assert cell(model, 2, PRICE, WARNING_ROLE) is False and cell(model, 2, PRICE) == "¥50.00"
    assert cell(model, 1, CLAIMANT) == "王师傅" and cell(model, 1, ATTEMPTS) == "3"
    assert "¥30.00" in str(cell(model, 0, PRICE, Qt.ItemDataRole.ToolTipRole))
    assert model.data(QModelIndex()) is None


async def test_the_desk_shows_counts_and_rows_and_filters(qtbot: QtBot,
                                                         messages: Messages) -> None:
    client = FakePoolClient()
    window = QMainWindow()
    qtbot.addWidget(window)
    opened: list[int] = []
    desk = PoolMonitorDesk(client, messages, window, opened.append)
    window.show()
    desk.show_desk()
    await eventually(lambda: desk.presenter.refreshes >= 1)

    counts = desk.view.counts.values()
    assert (counts["open"], counts["claimed"], counts["expired"]) == (1, 1, 1)
    assert counts["below_floor"] == 1 and counts["views"] == 21
    assert desk.view.counts.labels["below_floor"].text() == "Below floor: 1"
    assert desk.dock.windowTitle() == "Grab pool (1 open)"
    assert desk.presenter.model.rowCount() == 3

    combo = desk.view.status_combo
    combo.setCurrentIndex(combo.findData("claimed"))
    await eventually(lambda: desk.presenter.model.rowCount() == 1)
    assert client.calls[-1] == ("claimed", 200)

    desk.view.table.select_key(2)
    desk.view.table.doubleClicked.emit(desk.presenter.model.index(0, 0))
    assert opened == [2]
    desk.stop()


async def test_refreshes_only_while_on_screen(qtbot: QtBot, messages: Messages) -> None:
    client = FakePoolClient()
    parent = QWidget()
    qtbot.addWidget(parent)
    view = PoolMonitorView(parent)
    on_screen = [False]
    presenter = PoolMonitorPresenter(client, view, messages, interval_ms=20,
                                     visible=lambda: on_screen[0])
    timer = presenter.polling.timer
    assert timer is not None
    ticks = [0]
    timer.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))  # after the presenter's
    presenter.start()
    await eventually(lambda: ticks[0] >= 3)
    assert client.calls == [] and not presenter.busy()  # hidden: no polling at all

    on_screen[0] = True
    await eventually(lambda: presenter.refreshes >= 3)
    on_screen[0] = False
    await eventually(lambda: not presenter.busy())
    seen, ticked = len(client.calls), ticks[0]
    await eventually(lambda: ticks[0] >= ticked + 3)
    assert len(client.calls) == seen and not presenter.busy()
    presenter.stop()


async def test_a_failing_refresh_is_reported_once(qtbot: QtBot, messages: Messages) -> None:
    client = FakePoolClient()
    client.fail = ApiError(500, "boom")
    parent = QWidget()
    qtbot.addWidget(parent)
    presenter = PoolMonitorPresenter(client, PoolMonitorView(parent), messages, interval_ms=20)
    presenter.start()
    await eventually(lambda: len(client.calls) >= 4)
    presenter.stop()
    assert len(messages.shown) == 1 and "Refreshing the grab pool" in messages.shown[0][1]

