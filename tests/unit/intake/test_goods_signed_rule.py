"""The goods signed for: the clock's start is the platform's signing time, never later than
when it was told; the order records it as a fact with its time and keeps its state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.intake.changes import signed_for
from core.intake.model import Intent, PlatformOrder
from core.orders.errors import InvalidCommand
from core.orders.lifecycle import OrderState, Role
from core.orders.model import Actor, ServiceOrder

TOLD = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
INTAKE = Actor("intake", Role.SYSTEM)


def _update(signed: datetime | None) -> PlatformOrder:
    return PlatformOrder("tmall", "1", Intent.UPDATE, "", "", "", goods_signed_at=signed)


@pytest.mark.parametrize(("signed", "start"), [
    (None, None),
    (TOLD - timedelta(hours=3), TOLD - timedelta(hours=3)),
    (TOLD + timedelta(hours=1), TOLD),  # the platform's clock ahead of ours
])
def test_the_clock_starts_at_the_signing_never_after_it_was_told(
        signed: datetime | None, start: datetime | None) -> None:
    assert signed_for(_update(signed), TOLD) == start


def _order() -> ServiceOrder:
    return ServiceOrder.receive(INTAKE, TOLD, order_no="S1", platform="tmall",
                                platform_order_id="1", customer_name="赵", customer_phone="1",
                                address="北京")


def test_a_fact_is_recorded_at_its_time_and_leaves_the_state() -> None:
    order = _order()

    event = order.note_fact("goods_signed", INTAKE, TOLD - timedelta(hours=3), "签收")

    assert (event.kind, event.at, event.from_state, event.to_state, event.version) == (
        "goods_signed", TOLD - timedelta(hours=3), OrderState.NEW, OrderState.NEW, 2)
    assert order.state is OrderState.NEW


def test_only_the_known_facts_are_recorded() -> None:
    with pytest.raises(InvalidCommand):
        _order().note_fact("accept", INTAKE, TOLD, "not a fact")
