"""Merging: one customer's visits of one trade at one address, arriving close together."""

from __future__ import annotations

from datetime import timedelta

from intake_support import NOW, SetPolicy, Take, own_order
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.contracts.intake import Outcome
from core.storage.intake.links import origin_of
from core.storage.tables import OrderEventRecord, OrderItemRecord

HOOD = [{"sku": "KT-HOOD", "name": "油烟机 侧吸式", "quantity": 1, "unit_price_fen": 259900}]
HEATER = [{"sku": "WH-E60", "name": "电热水器 60升", "quantity": 1, "unit_price_fen": 129900}]


def test_a_second_order_within_the_window_joins_the_open_order(take: Take,
                                                               world: Engine) -> None:
    (first,) = take(own_order("SHOP1"), at=NOW).outcomes
    (second,) = take(own_order("SHOP2", items=[
        {"sku": "AC-KFR26", "name": "空调挂机 1匹", "quantity": 2, "unit_price_fen": 219900}]),
        at=NOW + timedelta(minutes=20)).outcomes

    assert second.outcome is Outcome.MERGED and second.order_ids == first.order_ids
    order_id = first.order_ids[0]
    with Session(world) as session:
        skus = session.scalars(select(OrderItemRecord.sku).where(
            OrderItemRecord.order_id == order_id).order_by(OrderItemRecord.position)).all()
        merge = session.scalars(select(OrderEventRecord).where(
            OrderEventRecord.order_id == order_id).order_by(OrderEventRecord.seq)).all()[-1]
        origin = origin_of(session, order_id)
    assert list(skus) == ["AC-KFR35", "AC-KFR26"]
    assert (merge.kind, merge.data["merged_from"]) == ("intake_merge", "SHOP2")
    assert origin is not None
    assert (origin.platform_order_ids, origin.merged_from) == (["SHOP1", "SHOP2"], ["SHOP2"])


def test_an_order_outside_the_window_is_a_new_order(take: Take) -> None:
    (first,) = take(own_order("SHOP1"), at=NOW).outcomes
    (second,) = take(own_order("SHOP2"), at=NOW + timedelta(minutes=31)).outcomes

    assert second.outcome is Outcome.CREATED and second.order_ids != first.order_ids


def test_the_window_is_the_clients(take: Take, set_policy: SetPolicy) -> None:
    set_policy(merge_window_minutes=5)
    take(own_order("SHOP1"), at=NOW)

    (second,) = take(own_order("SHOP2"), at=NOW + timedelta(minutes=10)).outcomes

    assert second.outcome is Outcome.CREATED


def test_other_trades_or_addresses_do_not_merge(take: Take) -> None:
    take(own_order("SHOP1"), at=NOW)

    (hood,) = take(own_order("SHOP2", items=HOOD), at=NOW + timedelta(minutes=1)).outcomes
    (elsewhere,) = take(own_order("SHOP3", address="北京市朝阳区建国路99号"),
                        at=NOW + timedelta(minutes=2)).outcomes

    assert hood.outcome is Outcome.CREATED and elsewhere.outcome is Outcome.CREATED


def test_a_platform_order_of_two_trades_splits_into_two_service_orders(
    take: Take, world: Engine
) -> None:
    (outcome,) = take(own_order("SHOP1", items=[*HOOD, *HEATER])).outcomes

    assert outcome.outcome is Outcome.CREATED and len(outcome.order_ids) == 2
    with Session(world) as session:
        origins = [origin_of(session, i) for i in outcome.order_ids]
    assert sorted(o.trade for o in origins if o) == ["kitchen", "water_heater"]
    assert all(o and "拆为 2 张" in o.split_note for o in origins)


def test_a_dispatched_order_takes_no_merges(take: Take, world: Engine) -> None:
    from core.orders.lifecycle import Role
    from core.orders.model import Actor
    from core.storage.uow import UnitOfWork

    (first,) = take(own_order("SHOP1"), at=NOW).outcomes
    with UnitOfWork(world) as uow:
        order = uow.orders.get(first.order_ids[0])
        assert order is not None
        order.perform("open_dispatch", Actor("agent", Role.AGENT), NOW)
        uow.orders.save(order)
        uow.commit()

    (second,) = take(own_order("SHOP2"), at=NOW + timedelta(minutes=1)).outcomes

    assert second.outcome is Outcome.CREATED
