"""The virtual number follows the order's lifecycle, through the handlers on SQLite and
PostgreSQL: accepting (an action or a grab claim) binds the technician and the customer in the
same transaction (at once with a provider, else by the scheduled round); cancelling, completing,
giving the order back or a cannot-complete that sends it to dispatch releases it; nothing is
bound when the accept does not commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.dispatch.policy import RegionPolicy
from core.fieldwork.appointments import SHANGHAI, Slot
from core.fieldwork.position import Fix
from core.orders import commands as c
from core.orders.errors import StaleVersion
from core.orders.lifecycle import CannotCompleteCode, OrderState, RefusalCode, Role
from core.orders.model import Actor
from core.services.fieldwork.appointments import BookAppointment, handle_book
from core.services.fieldwork.axb import SimulatedAxb
from core.services.fieldwork.axb_bindings import AxbRound, handle_axb_round
from core.services.fieldwork.checkin import RecordCheckIn, handle_check_in
from core.services.fieldwork.completion import (
    CompleteVisit,
    ReportCannotComplete,
    handle_cannot_complete,
    handle_complete,
)
from core.services.grab import ClaimOffer, handle_claim
from core.services.orders import PerformAction, perform_action
from core.storage.fieldwork.appointments import AxbBindingRecord
from core.storage.grab.pool import open_offer
from core.storage.tables import OrderRecord
from core.storage.uow import UnitOfWork

NOW = datetime(2026, 3, 2, 17, 0, tzinfo=SHANGHAI)  # after the tiny world was seeded
DESK = Actor("agent", Role.AGENT)
TECH1 = Actor("tech1", Role.TECHNICIAN, 1)  # Wang Jian, phone 13900000001
CUSTOMER, TECH1_PHONE = "13800000001", "13900000001"  # order 1's customer


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(NOW)


@pytest.fixture
def axb() -> SimulatedAxb:
    return SimulatedAxb(push_secret="p" * 40)


def _uow(engine: Engine, clock: SimulatedClock) -> UnitOfWork:
    return UnitOfWork(engine, clock=clock)


def _walk(engine: Engine, order_id: int, commands: Sequence[c.Command], actor: Actor = DESK,
          ) -> int:
    """Apply lifecycle steps straight on the order (the set-up); its version."""
    with UnitOfWork(engine) as uow:
        order = uow.orders.get(order_id)
        assert order is not None
        for command in commands:
            order.apply(command, actor, NOW - timedelta(hours=1))
        uow.orders.save(order)
        uow.commit()
    return order.version


def _assigned(engine: Engine, order_id: int = 1) -> int:
    return _walk(engine, order_id, [c.Audit(), c.Place(county_adcode="110105"), c.Classify(),
                                    c.OpenDispatch(), c.Assign(technician_id=1)])


def _act(engine: Engine, clock: SimulatedClock, command: c.Command, actor: Actor,
         axb: SimulatedAxb | None = None, reason: str = "", order_id: int = 1) -> int:
    with Session(engine) as session:
        version = session.scalar(select(OrderRecord.version).where(OrderRecord.id == order_id))
    assert version is not None
    done = perform_action(PerformAction(order_id, version, command, actor, reason, axb),
                          _uow(engine, clock))
    return done.version


def _bindings(engine: Engine, order_id: int = 1) -> list[AxbBindingRecord]:
    with Session(engine) as session:
        return list(session.scalars(select(AxbBindingRecord)
                                    .where(AxbBindingRecord.order_id == order_id)
                                    .order_by(AxbBindingRecord.id)))


def test_accepting_binds_the_technician_and_the_customer_at_once(
        world: Engine, clock: SimulatedClock, axb: SimulatedAxb) -> None:
    _assigned(world)

    _act(world, clock, c.Accept(), TECH1, axb)

    (row,) = _bindings(world)
    assert (row.status, row.technician_id) == ("bound", 1)
    assert (row.technician_phone, row.customer_phone) == (TECH1_PHONE, CUSTOMER)
    assert row.virtual_number == axb.number_of(row.provider_binding_id)
    request, _ = axb.bindings[row.provider_binding_id]
    assert (request.technician_phone, request.customer_phone) == (TECH1_PHONE, CUSTOMER)


def test_without_a_provider_the_accept_queues_it_and_the_round_binds_it(
        world: Engine, clock: SimulatedClock, axb: SimulatedAxb) -> None:
    _assigned(world)

    _act(world, clock, c.Accept(), TECH1)  # as the action route does until given one

    assert [r.status for r in _bindings(world)] == ["pending"] and not axb.bindings
    result = handle_axb_round(AxbRound(axb), _uow(world, clock))
    assert result.bound == 1 and [r.status for r in _bindings(world)] == ["bound"]


def test_a_provider_that_is_down_leaves_the_accept_done_and_the_binding_pending(
        world: Engine, clock: SimulatedClock, axb: SimulatedAxb) -> None:
    _assigned(world)
    axb.down = True

    _act(world, clock, c.Accept(), TECH1, axb)

    with Session(world) as session:
        assert session.get(OrderRecord, 1).state == OrderState.ACCEPTED  # type: ignore[union-attr]
    ((status, error),) = [(r.status, r.last_error) for r in _bindings(world)]
    assert status == "pending" and "暂不可用" in error


def test_an_accept_that_does_not_commit_binds_nothing(
        world: Engine, clock: SimulatedClock, axb: SimulatedAxb) -> None:
    version = _assigned(world)

    with pytest.raises(StaleVersion):
        perform_action(PerformAction(1, version - 1, c.Accept(), TECH1, axb=axb),
                       _uow(world, clock))

    assert _bindings(world) == [] and not axb.bindings


def test_an_order_without_a_customer_phone_is_accepted_without_a_binding(
        world: Engine, clock: SimulatedClock, axb: SimulatedAxb) -> None:
    with Session(world) as session, session.begin():
        session.execute(update(OrderRecord).where(OrderRecord.id == 1).values(customer_phone=""))
    _assigned(world)

    _act(world, clock, c.Accept(), TECH1, axb)

    assert _bindings(world) == [] and not axb.bindings


def test_a_grab_claim_is_an_accept_and_binds_the_number(
        world: Engine, clock: SimulatedClock, axb: SimulatedAxb) -> None:
    with UnitOfWork(world) as uow:
        order = uow.orders.get(1)
        assert order is not None
        for command in (c.Audit(), c.Place(county_adcode="110105"), c.Classify(),
                        c.OpenDispatch(mode="grab")):
            order.apply(command, DESK, NOW - timedelta(minutes=5))
        uow.orders.save(order)
        open_offer(uow.session, order, RegionPolicy(), NOW - timedelta(minutes=5), 30)
        uow.commit()

    claimed = handle_claim(ClaimOffer(1, TECH1, axb=axb), _uow(world, clock))

    assert claimed.order.state == OrderState.ACCEPTED
    ((status, phones),) = [(r.status, (r.technician_phone, r.customer_phone))
                           for r in _bindings(world)]
    assert status == "bound" and phones == (TECH1_PHONE, CUSTOMER)


def test_cancelling_releases_the_number(
        world: Engine, clock: SimulatedClock, axb: SimulatedAxb) -> None:
    _assigned(world)
    _act(world, clock, c.Accept(), TECH1, axb)
    (bound,) = _bindings(world)

    _act(world, clock, c.Cancel(), DESK, axb, reason="客户取消")

    (row,) = _bindings(world)
    assert row.status == "unbound" and "取消" in row.unbind_reason
    assert axb.released == [bound.provider_binding_id] and not axb.bindings


def test_a_release_waits_for_the_round_without_a_provider(
        world: Engine, clock: SimulatedClock, axb: SimulatedAxb) -> None:
    _assigned(world)
    _act(world, clock, c.Accept(), TECH1, axb)

    _act(world, clock, c.Cancel(), DESK, reason="客户取消")

    assert [r.status for r in _bindings(world)] == ["unbinding"] and axb.bindings
    assert handle_axb_round(AxbRound(axb), _uow(world, clock)).unbound == 1
    assert [r.status for r in _bindings(world)] == ["unbound"] and not axb.bindings


def test_the_technician_giving_the_order_back_releases_his_number(
        world: Engine, clock: SimulatedClock, axb: SimulatedAxb) -> None:
    _assigned(world)
    _act(world, clock, c.Accept(), TECH1, axb)

    _act(world, clock, c.Refuse(code=RefusalCode.NO_TIME.value), TECH1, axb, reason="时间冲突")

    assert [(r.status, "退单" in r.unbind_reason) for r in _bindings(world)] == [
        ("unbound", True)]


def test_completing_the_visit_releases_the_number(
        world: Engine, clock: SimulatedClock, axb: SimulatedAxb) -> None:
    _assigned(world)
    version = _act(world, clock, c.Accept(), TECH1, axb)
    start = NOW.replace(hour=19)
    booked = handle_book(BookAppointment(1, version, TECH1, Slot(start, start + timedelta(
        hours=2))), _uow(world, clock))
    clock.jump_to(start + timedelta(minutes=5))
    handle_check_in(RecordCheckIn(1, booked.order.version, TECH1,
                                  Fix(39.92, 116.45, 10.0, clock.now())), _uow(world, clock))
    assert [r.status for r in _bindings(world)] == ["bound"]  # kept through the visit

    done = handle_complete(CompleteVisit(1, _version(world), TECH1, axb=axb),
                           _uow(world, clock))

    assert done.order.state is OrderState.SERVED  # no code, no photos: the review queue
    assert [r.status for r in _bindings(world)] == ["unbound"] and not axb.bindings


def _version(engine: Engine, order_id: int = 1) -> int:
    with Session(engine) as session:
        version = session.scalar(select(OrderRecord.version).where(OrderRecord.id == order_id))
    assert version is not None
    return version


@pytest.mark.parametrize(("code", "kept"), [(CannotCompleteCode.CUSTOMER_ABSENT, True),
                                            (CannotCompleteCode.NEEDS_OTHER_TRADE, False)])
def test_cannot_complete_releases_the_number_only_when_he_leaves_the_order(
        world: Engine, clock: SimulatedClock, axb: SimulatedAxb, code: CannotCompleteCode,
        kept: bool) -> None:
    _assigned(world)
    _act(world, clock, c.Accept(), TECH1, axb)
    assert [r.status for r in _bindings(world)] == ["bound"]

    done = handle_cannot_complete(ReportCannotComplete(1, _version(world), TECH1, code,
                                                       "客户不在家，电话未接", axb=axb),
                                    _uow(world, clock))

    assert (done.order.technician_id is not None) is kept
    if kept:  # he books again with the same customer: the same number
        assert [r.status for r in _bindings(world)] == ["bound"] and axb.bindings
    else:
        (row,) = _bindings(world)
        assert row.status == "unbound" and "无法完工" in row.unbind_reason and not axb.bindings
