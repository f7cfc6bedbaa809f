"""The detail panel's Origin section: split and merge, dropped lines, audit, placement."""

from __future__ import annotations

import asyncio

from intake_fakes import FakeIntakeClient, make_origin
from pytestqt.qtbot import QtBot
from support.waiting import eventually
from ui_fakes import make_detail
from ui_support import Messages

from console.presenters.intake.origin import OriginPresenter
from console.presenters.orders.detail import OrderPresenter
from core.contracts.intake import OrderOrigin
from ui.orders.detail_panel import DetailPanel


def panel_with(qtbot: QtBot, order_id: int = 7) -> DetailPanel:
    panel = DetailPanel()
    qtbot.addWidget(panel)
    panel.show_order(make_detail(order_id))
    return panel


def test_origin_renders_split_merge_and_why(qtbot: QtBot) -> None:
    panel = panel_with(qtbot)
    assert panel.show_origin(7, make_origin())
    box = panel.origin_box
    assert not box.isHidden()
    assert box.title() == "Origin"
    assert box.text_of("platform_orders") == "TB1001, TB1002 (trade: Air conditioning)"
    assert box.text_of("split") == "1 笔订单按工种拆为 2 张服务单"
    assert box.text_of("merged") == "TB1002"
    assert box.text_of("dropped") == "赠品挂钩 (GIFT-1) ×2: 赠品，无需上门"
    assert box.text_of("audit") == "manual review, risk score 45\n• 实付 0.01 元，疑似刷单 (+40)"
    assert box.text_of("placement") == (
        "北京市 北京市 朝阳区 · 110105\n"
        "by address text with region hints, confidence 95%\n"
        "朝阳区 在北京和长春都有；按城市字段取北京")
    assert box.text_of("covered") == "No: outside the network"
    assert box.text_of("standard") == "Accept within (min): 30\nFee level: A"
    assert box.text_of("classify") == "按商品目录：空调安装"


def test_rows_with_nothing_to_say_are_hidden(qtbot: QtBot) -> None:
    panel = panel_with(qtbot)
    plain = make_origin().model_copy(update={
        "split_note": "", "merged_from": [], "dropped": [], "region_standard": None,
        "covered": None})
    panel.show_origin(7, plain)
    box = panel.origin_box
    assert box.text_of("split") == box.text_of("merged") == box.text_of("dropped") == ""
    assert box.text_of("standard") == ""
    assert box.text_of("covered") == "Not checked"


def test_an_order_entered_by_hand_has_no_origin_section(qtbot: QtBot) -> None:
    panel = panel_with(qtbot)
    panel.show_origin(7, None)
    assert panel.origin_box.isHidden()


def test_another_order_never_shows_the_last_ones_origin(qtbot: QtBot) -> None:
    panel = panel_with(qtbot)
    panel.show_origin(7, make_origin())
    panel.show_order(make_detail(8))
    assert panel.origin_box.isHidden()
    assert not panel.show_origin(7, make_origin())  # a late answer for order 7
    assert panel.origin_box.isHidden()
    panel.show_order(make_detail(8, version=4))  # the same order again keeps its origin
    panel.show_origin(8, make_origin())
    panel.show_order(make_detail(8, version=5))
    assert not panel.origin_box.isHidden()


class SlowOrigins(FakeIntakeClient):
    def __init__(self) -> None:
        super().__init__()
        self.held: dict[int, asyncio.Future[None]] = {}
        self.settled: set[int] = set()  # answered or cancelled

    async def order_origin(self, order_id: int) -> OrderOrigin | None:
        self.calls.append(f"origin:{order_id}")
        gate = self.held.setdefault(order_id, asyncio.get_running_loop().create_future())
        try:
            await asyncio.shield(gate)
            return self.origins.get(order_id)
        finally:
            self.settled.add(order_id)


async def test_showing_an_order_fetches_its_origin_once_per_version(
    qtbot: QtBot, messages: Messages
) -> None:
    client = FakeIntakeClient(make_detail(7))
    client.origins[7] = make_origin()
    panel = DetailPanel()
    qtbot.addWidget(panel)
    orders = OrderPresenter(client, panel, messages)
    origins = OriginPresenter(client.order_origin, panel, messages)
    orders.orderShown.connect(origins.order_shown)

    await orders.load(7)
    await eventually(lambda: panel.origin_box.origin() is not None)
    await orders.load(7)  # a reload at the same version
    await eventually(lambda: not origins.busy())
    assert client.calls.count("origin:7") == 1
    assert panel.origin_box.text_of("merged") == "TB1002"


async def test_a_late_origin_for_an_order_left_behind_is_dropped(
    qtbot: QtBot, messages: Messages
) -> None:
    client = SlowOrigins()
    client.origins = {7: make_origin(), 8: None}
    panel = DetailPanel()
    qtbot.addWidget(panel)
    origins = OriginPresenter(client.order_origin, panel, messages)
    panel.show_order(make_detail(7))
    origins.order_shown(make_detail(7))
    await eventually(lambda: "origin:7" in client.calls)
    panel.show_order(make_detail(8))
    origins.order_shown(make_detail(8))
    client.held[7].set_result(None)
    await eventually(lambda: "origin:8" in client.calls)
    client.held[8].set_result(None)
    # Both fetches are over (the first cancelled or answered): nothing more can arrive.
    await eventually(lambda: client.settled == {7, 8} and not origins.busy())
    assert panel.origin_box.isHidden()
    assert messages.shown == []


def test_every_platform_id_of_a_purchase_shows_exactly(qtbot: QtBot) -> None:
    panel = panel_with(qtbot)
    card_and_trade = make_origin().model_copy(update={
        "platform_order_ids": ["1435715475483", "2563410630772714941"],
        "merged_from": ["2563410630772714941"]})

    panel.show_origin(7, card_and_trade)

    assert panel.origin_box.text_of("platform_orders") == (
        "1435715475483, 2563410630772714941 (trade: Air conditioning)")
