"""The order handlers called directly with a real SQLite unit of work: a lifecycle action, an
after-sales request and an order entered by hand."""

from __future__ import annotations

from datetime import timedelta

import pytest
from order_world import AGENT, T0, TECH1, engine, order_create, world_template
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.errors import Conflict, Invalid, NotFound, Refused
from core.fieldwork.appointments import Slot
from core.orders import commands as c
from core.orders.errors import StaleVersion
from core.orders.lifecycle import OrderState, Role
from core.orders.model import Actor
from core.services.fieldwork.appointments import BookAppointment, handle_book
from core.services.fieldwork.checkin import RecordCheckIn, handle_check_in
from core.services.fieldwork.completion import CompleteVisit, handle_complete
from core.services.fieldwork.review import DecideVerification, handle_decide
from core.services.orders import (
    CreateOrder,
    OpenAfterSales,
    PerformAction,
    create_order,
    open_after_sales,
    perform_action,
)
from core.storage.orders.repository import DuplicateOrder, OrderRepository
from core.storage.tables import OrderEventRecord
from core.storage.uow import UnitOfWork

__all__ = ["engine", "world_template"]  # fixtures shared from order_world


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(T0 + timedelta(hours=1))


def _act(engine: Engine, clock: SimulatedClock, order_id: int, command: c.Command,
         actor: Actor = AGENT, reason: str = "") -> int:
    with Session(engine) as s:
        order = OrderRepository(s).get(order_id)
        assert order is not None
        version = order.version
    done = perform_action(PerformAction(order_id, version, command, actor, reason),
                          UnitOfWork(engine, clock=clock))
    return done.version


def test_an_action_is_applied_at_the_clocks_time_and_recorded(
        engine: Engine, clock: SimulatedClock) -> None:
    version = _act(engine, clock, 1, c.Audit())
    clock.advance(timedelta(minutes=5))
    _act(engine, clock, 1, c.Place(county_adcode="110108"))

    with Session(engine) as s:
        order = OrderRepository(s).get(1)
        events = s.scalars(select(OrderEventRecord).where(OrderEventRecord.order_id == 1)
                           .order_by(OrderEventRecord.seq)).all()
    assert order is not None and order.state is OrderState.PLACED
    assert order.county_name == "海淀区"  # the handler named the county
    assert [(e.kind, e.actor) for e in events] == [
        ("created", "intake"), ("audit", "agent"), ("place", "agent")]
    assert events[-1].at.replace(tzinfo=T0.tzinfo) == T0 + timedelta(hours=1, minutes=5)
    assert version == 2


def test_a_stale_version_is_refused_with_the_current_one(
        engine: Engine, clock: SimulatedClock) -> None:
    _act(engine, clock, 1, c.Audit())
    with pytest.raises(StaleVersion) as err:
        perform_action(PerformAction(1, 1, c.Place(), AGENT), UnitOfWork(engine, clock=clock))
    assert err.value.current == 2


def test_an_unknown_order_and_someone_elses_order(engine: Engine, clock: SimulatedClock) -> None:
    uow = UnitOfWork(engine, clock=clock)
    with pytest.raises(NotFound):
        perform_action(PerformAction(99, 1, c.Audit(), AGENT), uow)
    with pytest.raises(Refused):
        perform_action(PerformAction(1, 1, c.Accept(), TECH1), uow)


def test_an_unknown_county_names_the_field(engine: Engine, clock: SimulatedClock) -> None:
    _act(engine, clock, 1, c.Audit())
    with pytest.raises(Invalid) as err:
        perform_action(PerformAction(1, 2, c.Place(county_adcode="999999"), AGENT),
                       UnitOfWork(engine, clock=clock))
    assert err.value.loc == ("body", "county_adcode")


@pytest.mark.parametrize("command", [
    c.Claim(technician_id=1), c.Assign(technician_id=1), c.CheckIn(),
    c.Appoint(start=T0 + timedelta(days=1), end=T0 + timedelta(days=1, hours=2)),
    c.Complete(), c.Verify(), c.CannotComplete("other")])
def test_claims_assignments_check_ins_and_bookings_have_handlers_of_their_own(
        engine: Engine, clock: SimulatedClock, command: c.Command) -> None:
    with pytest.raises(Invalid) as err:
        perform_action(PerformAction(1, 1, command, AGENT), UnitOfWork(engine, clock=clock))
    assert err.value.loc == ("body", "action")


def _verified(engine: Engine, clock: SimulatedClock) -> None:
    desk, start = Actor("agent", Role.AGENT), T0 + timedelta(days=1)
    desk_steps: list[c.Command] = [c.Audit(), c.Place(), c.Classify(), c.OpenDispatch()]
    for command in desk_steps:
        _act(engine, clock, 1, command, desk)
    with UnitOfWork(engine, clock=clock) as uow:  # assignment has its own handler
        order = uow.orders.get(1)
        assert order is not None
        order.apply(c.Assign(technician_id=1), desk, clock.now())
        uow.orders.save(order)
        uow.commit()
    version = _act(engine, clock, 1, c.Accept(), TECH1)
    # Booking and checking in have handlers of their own (the slot and the call, the position).
    booked = handle_book(BookAppointment(1, version, TECH1, Slot(start, start + timedelta(
        hours=2))), UnitOfWork(engine, clock=clock))
    clock.advance(timedelta(days=1))
    handle_check_in(RecordCheckIn(1, booked.order.version, TECH1, None),
                    UnitOfWork(engine, clock=clock))
    with Session(engine) as s:
        version = OrderRepository(s).get(1).version  # type: ignore[union-attr]
    done = handle_complete(CompleteVisit(1, version, TECH1), UnitOfWork(engine, clock=clock))
    assert done.order.state is OrderState.SERVED  # no code, no photos: a person decides
    handle_decide(DecideVerification(1, done.order.version, True, "电话回访确认", desk),
                  UnitOfWork(engine, clock=clock))


def test_after_sales_opens_a_linked_order_each_time(engine: Engine, clock: SimulatedClock) -> None:
    _verified(engine, clock)
    children = []
    for why in ("漏水", "又漏水"):
        with Session(engine) as s:
            version = OrderRepository(s).get(1).version  # type: ignore[union-attr]
        children.append(open_after_sales(OpenAfterSales(1, version, AGENT, why),
                                         UnitOfWork(engine, clock=clock)))

    first, second = children
    assert first.parent_id == second.parent_id == 1
    assert first.state is OrderState.DISPATCHING and first.dispatch_note == "漏水"
    assert first.platform_order_id != second.platform_order_id
    with Session(engine) as s:
        parent = OrderRepository(s).get(1)
    assert parent is not None and parent.state is OrderState.IN_REVIEW


def test_an_order_entered_by_hand_and_the_same_one_again(
        engine: Engine, clock: SimulatedClock) -> None:
    made = create_order(CreateOrder(order_create(10), AGENT), UnitOfWork(engine, clock=clock))
    assert made.id is not None and made.state is OrderState.NEW
    assert made.created_at == clock.now()

    with pytest.raises(DuplicateOrder) as err:
        create_order(CreateOrder(order_create(10), AGENT), UnitOfWork(engine, clock=clock))
    assert isinstance(err.value, Conflict) and err.value.status == 409
    assert "already received" in err.value.message


def test_an_order_in_an_unknown_county_is_invalid(engine: Engine, clock: SimulatedClock) -> None:
    with pytest.raises(Invalid) as err:
        create_order(CreateOrder(order_create(11, county_adcode="999999"), AGENT),
                     UnitOfWork(engine, clock=clock))
    assert err.value.loc == ("body", "county_adcode")
