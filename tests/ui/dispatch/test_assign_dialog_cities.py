"""An order's Assign dialog (from its action buttons) lists the order's city; other cities
only when the agent ticks the box, the highlight back on #1, a failed refill said in place."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_fakes import FakeClient, make_candidates, make_detail, make_technician

from console.errors import ApiError
from console.presenters.orders.action_forms import ActionForms
from core.contracts.dispatch import CandidateOut
from ui.dispatch.assign_dialog import AssignDialog

FAR = CandidateOut(technician=make_technician(50, "周师傅"), rank=3, score=5.0,
                   distance_km=1650.0, reasons=["距离 1650.0 公里"], breaks=["不在订单所在城市"],
                   terms={}, eligible=False, region_ok=False)


class CityClient(FakeClient):
    def __init__(self) -> None:
        super().__init__(make_detail(7))
        self.asked: list[bool] = []
        self.fail: Exception | None = None

    async def candidates(self, order_id: int, all_cities: bool = False) -> list[CandidateOut]:
        self.asked.append(all_cities)
        if self.fail is not None:
            raise self.fail
        return [*make_candidates(), FAR] if all_cities else make_candidates()


async def opened_dialog(qtbot: QtBot, client: CityClient
                        ) -> tuple[AssignDialog, asyncio.Task[dict[str, Any] | None]]:
    forms = ActionForms(client)
    shown: list[QDialog] = []
    forms.on_open = shown.append
    answer = asyncio.ensure_future(forms.collect("assign", client.details[7]))
    await eventually(lambda: bool(shown))
    dialog = shown[0]
    assert isinstance(dialog, AssignDialog)
    return dialog, answer


async def test_other_cities_come_only_when_ticked_and_the_choice_starts_at_the_first(
    qtbot: QtBot
) -> None:
    client = CityClient()
    dialog, answer = await opened_dialog(qtbot, client)
    model = dialog.table.model()
    assert model.rowCount() == 2 and client.asked == [False]
    dialog.set_current_row(1)

    dialog.all_cities.click()
    await eventually(lambda: model.rowCount() == 3)

    assert client.asked == [False, True]
    assert dialog.table.currentIndex().row() == 0
    dialog.choose_current()
    assert await answer == {"technician_id": 11}


async def test_a_failed_refill_is_said_in_the_dialog_which_keeps_its_list(
    qtbot: QtBot
) -> None:
    client = CityClient()
    dialog, answer = await opened_dialog(qtbot, client)
    client.fail = ApiError(503, "服务暂不可用 (service unavailable)")

    dialog.all_cities.click()
    await eventually(lambda: dialog.problem.isVisibleTo(dialog))

    assert "service unavailable" in dialog.problem.text()
    assert dialog.table.model().rowCount() == 2
    dialog.reject()
    assert await answer is None
