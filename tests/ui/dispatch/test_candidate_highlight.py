"""The dispatch desk's candidates as issue 13 met them: the highlight Enter assigns starts at #1
after an assignment and on every order change, other cities only behind their box, and the
technician who refused the order listed last with how often."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from dispatch_fakes import DispatchFakeClient, needs_row
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_fakes import make_technician
from ui_support import Messages

from console.models.dispatch.candidates import WHY
from console.windows.dispatch import DispatchDesk
from core.contracts.dispatch import CandidateOut
from core.dispatch.ranking import OrderNeeds, Technician, rank
from core.geo.regions import load_regions

CHAOYANG, HUANGPU = "110105", "310101"
LNG, LAT = 116.45, 39.92


def candidate(tid: int, rank_no: int, *, km: float = 2.0, breaks: tuple[str, ...] = ()
              ) -> CandidateOut:
    return CandidateOut(technician=make_technician(tid, f"师傅{tid}"), rank=rank_no,
                        score=100.0 - rank_no, distance_km=km, reasons=[f"距离 {km} 公里"],
                        breaks=list(breaks), terms={}, eligible=not breaks)


def listing(*ids: int) -> list[CandidateOut]:
    return [candidate(t, n) for n, t in enumerate(ids, start=1)]


@pytest.fixture
def client() -> DispatchFakeClient:
    return DispatchFakeClient(rows=[needs_row(1), needs_row(2)])


@pytest.fixture
async def desk(qtbot: QtBot, client: DispatchFakeClient,
               messages: Messages) -> AsyncIterator[DispatchDesk]:
    """The desk, not yet on screen: `opened(desk)` shows it, after a test set its lists."""
    window = QMainWindow()
    qtbot.addWidget(window)
    d = DispatchDesk(client, messages, window, lambda _i: None)
    yield d
    d.stop()


async def opened(d: DispatchDesk) -> DispatchDesk:
    """On screen, the first order's candidates listed."""
    d.dock.window().show()
    d.show_desk()
    await eventually(lambda: d.presenter.listed == 1)
    return d


def highlighted(d: DispatchDesk) -> tuple[int, object]:
    """The highlighted row and its technician: what Enter would assign."""
    return d.view.candidates.currentIndex().row(), d.view.candidates.current_key()


async def test_after_an_assignment_the_next_order_opens_at_its_first_candidate(
    qtbot: QtBot, desk: DispatchDesk, client: DispatchFakeClient
) -> None:
    # Order 2's list has order 1's best, now 1,231 km away, at #20.
    client.ranked = {1: listing(11, 12), 2: [*listing(*range(30, 49)), candidate(11, 20,
                                                                                km=1231.0)]}
    await opened(desk)
    assert highlighted(desk) == (0, 11)
    desk.view.candidates.setFocus()

    qtbot.keyClick(desk.view.candidates, Qt.Key.Key_Return)
    await eventually(lambda: desk.presenter.listed == 2)

    assert highlighted(desk) == (0, 30)
    qtbot.keyClick(desk.view.candidates, Qt.Key.Key_Return)
    await eventually(lambda: len(client.requests) == 2)
    assert [(i.order_id, i.technician_id) for r in client.requests for i in r.assignments] == [
        (1, 11), (2, 30)]


async def test_another_order_starts_at_its_first_candidate_not_the_one_moved_to(
    qtbot: QtBot, desk: DispatchDesk, client: DispatchFakeClient
) -> None:
    client.ranked = {1: listing(11, 12, 13), 2: listing(13, 11, 12)}
    await opened(desk)
    desk.view.candidates.setFocus()
    qtbot.keyClick(desk.view.candidates, Qt.Key.Key_Down)
    qtbot.keyClick(desk.view.candidates, Qt.Key.Key_Down)
    assert highlighted(desk) == (2, 13)

    desk.view.orders.select_key(2)
    await eventually(lambda: desk.presenter.listed == 2)

    assert highlighted(desk) == (0, 13)


async def test_a_refresh_keeps_the_agents_pick_and_a_first_row_stays_first(
    qtbot: QtBot, desk: DispatchDesk, client: DispatchFakeClient
) -> None:
    client.ranked = {1: listing(11, 12, 13)}
    await opened(desk)
    calls = len(client.candidate_calls)
    client.ranked = {1: listing(12, 13, 11)}  # 11 slid down meanwhile
    desk.presenter.refresh(force=True)
    await eventually(lambda: len(client.candidate_calls) > calls
                     and desk.presenter.candidates.candidate(0).technician.id == 12)
    assert highlighted(desk) == (0, 12)  # not following 11 down to #3

    desk.view.candidates.setFocus()
    qtbot.keyClick(desk.view.candidates, Qt.Key.Key_Down)  # the agent picks 13
    calls = len(client.candidate_calls)
    client.ranked = {1: listing(11, 12, 13)}
    desk.presenter.refresh(force=True)
    await eventually(lambda: len(client.candidate_calls) > calls
                     and desk.presenter.candidates.candidate(0).technician.id == 11)
    assert highlighted(desk) == (2, 13)


async def test_other_cities_only_behind_their_box(
    qtbot: QtBot, desk: DispatchDesk, client: DispatchFakeClient
) -> None:
    far = candidate(50, 3, km=1650.0, breaks=("不在订单所在城市",))
    client.ranked = {1: listing(11, 12)}
    client.ranked_all = {1: [*listing(11, 12), far]}
    await opened(desk)
    assert not desk.view.all_cities.isChecked()
    assert client.all_cities_calls and not any(client.all_cities_calls)
    desk.view.candidates.setFocus()
    qtbot.keyClick(desk.view.candidates, Qt.Key.Key_Down)

    desk.view.all_cities.click()
    await eventually(lambda: desk.presenter.candidates.rowCount() == 3)

    assert client.all_cities_calls[-1] is True
    assert highlighted(desk) == (0, 11)
    desk.view.all_cities.click()
    await eventually(lambda: desk.presenter.candidates.rowCount() == 2)
    assert client.all_cities_calls[-1] is False


async def test_an_order_without_candidates_in_its_city_says_where_to_look(
    desk: DispatchDesk, client: DispatchFakeClient
) -> None:
    client.ranked = {1: []}
    client.ranked_all = {1: [candidate(50, 1, km=1650.0, breaks=("不在订单所在城市",))]}

    await opened(desk)
    await eventually(lambda: "Other cities too" in desk.view.candidates_title.text())

    desk.view.all_cities.click()
    await eventually(lambda: desk.presenter.candidates.rowCount() == 1)
    assert "Candidates for" in desk.view.candidates_title.text()


async def test_while_the_next_orders_candidates_load_enter_assigns_nothing(
    qtbot: QtBot, messages: Messages
) -> None:
    class Held(DispatchFakeClient):
        hold: asyncio.Future[None] | None = None

        async def candidates(self, order_id: int, all_cities: bool = False
                             ) -> list[CandidateOut]:
            if order_id == 2 and self.hold is not None:
                await self.hold
            return await super().candidates(order_id, all_cities)

    client = Held()
    window = QMainWindow()
    qtbot.addWidget(window)
    d = DispatchDesk(client, messages, window, lambda _i: None)
    window.show()
    d.show_desk()
    await eventually(lambda: d.presenter.listed == 1)
    client.hold = asyncio.get_running_loop().create_future()

    d.view.orders.select_key(2)
    d.view.candidates.setFocus()
    qtbot.keyClick(d.view.candidates, Qt.Key.Key_1)
    qtbot.keyClick(d.view.candidates, Qt.Key.Key_Return)

    assert d.presenter.candidates.rowCount() == 0  # order 1's list is gone at once
    client.hold.set_result(None)
    await eventually(lambda: d.presenter.listed == 2)
    assert client.requests == []
    d.stop()


def ranked_by_the_rule() -> list[CandidateOut]:
    """Issue 13's order: everyone breaks a rule; the nearest, freest technician (11) had
    refused it 8 times."""
    order = OrderNeeds(CHAOYANG, ("aircon",), LNG, LAT, refused_by={11: 8})
    techs = [Technician(11, ("aircon",), CHAOYANG, LNG, LAT, 8, 0),
             Technician(12, ("aircon",), CHAOYANG, LNG, LAT + 0.02, 8, 8),
             Technician(13, ("general",), CHAOYANG, LNG, LAT + 0.03, 8, 1)]
    return [CandidateOut(technician=make_technician(r.technician_id, f"师傅{r.technician_id}"),
                         rank=n, score=r.score, distance_km=r.distance_km, reasons=r.reasons,
                         breaks=r.breaks, terms=r.terms, eligible=r.eligible,
                         refused_this_order=r.refused_times)
            for n, r in enumerate(rank(order, techs, load_regions()), start=1)]


async def test_the_technician_who_refused_the_order_is_last_with_his_refusals(
    desk: DispatchDesk, client: DispatchFakeClient
) -> None:
    client.ranked = {1: ranked_by_the_rule()}

    await opened(desk)

    model = desk.presenter.candidates
    assert [model.candidate(r).technician.id for r in range(model.rowCount())] == [13, 12, 11]
    assert model.index(2, WHY).data().startswith("⚠ 曾拒绝此单 8 次")
    assert highlighted(desk) == (0, 13)
