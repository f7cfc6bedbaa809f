"""The customer's postponement pauses the on-site clock (SQLite and PostgreSQL): a reschedule
the customer asked for is recorded on the order as of the request (who, when, why), and one
that waited for a supervisor moves the on-site deadline later by the wait; a reschedule of the
technician's making, or a refused one, pauses nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from deadline_support import OPEN_DISPATCH, perform, rows, t
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.fieldwork.appointments import RescheduleReason, Slot
from core.orders.lifecycle import Role
from core.orders.model import Actor
from core.services.fieldwork.appointment_policies import (
    ChangeAppointmentPolicy,
    handle_change_appointment_policy,
)
from core.services.fieldwork.appointments import (
    BookAppointment,
    Booked,
    DecideReschedule,
    handle_book,
    handle_decide_reschedule,
)
from core.storage.tables import OrderEventRecord
from core.storage.uow import UnitOfWork

TECH = Actor("tech1", Role.TECHNICIAN, 1)
BOSS = Actor("supervisor", Role.SUPERVISOR)
ON_SITE_DUE = ("on_site", 1, "严重")


def _book(engine: Engine, when: datetime, version: int, day: int,
          reason: RescheduleReason | None = None) -> Booked:
    slot = Slot(t(10, day=day), t(12, day=day))
    return handle_book(BookAppointment(1, version, TECH, slot, reason_code=reason,
                                       reason="客户出差" if reason else ""),
                       UnitOfWork(engine, clock=SimulatedClock(when)))


def _postpones(engine: Engine) -> list[OrderEventRecord]:
    with Session(engine) as session:
        return list(session.scalars(select(OrderEventRecord).where(
            OrderEventRecord.order_id == 1, OrderEventRecord.kind == "customer_postpone")))


@pytest.fixture
def appointed(world: Engine) -> int:
    """Order 1 accepted at 10:00 and booked at 11:00 for tomorrow; every reschedule waits for a
    supervisor. The order's version."""
    handle_change_appointment_policy(
        ChangeAppointmentPolicy("default", 0, 72, 0, "改约一律审批", "supervisor"),
        UnitOfWork(world, clock=SimulatedClock(t(9))))
    perform(world, 1, t(9, 50), OPEN_DISPATCH)
    perform(world, 1, t(10), [("assign", {"technician_id": 1}), ("accept", {})])
    return _book(world, t(11), _version(world), 3).order.version


def _version(engine: Engine) -> int:
    with UnitOfWork(engine) as uow:
        order = uow.orders.get(1)
        assert order is not None
        return order.version


def test_a_postponement_that_waited_for_a_supervisor_moves_on_site_later_by_the_wait(
        world: Engine, appointed: int) -> None:
    before = rows(world, 1)[ON_SITE_DUE].due
    waiting = _book(world, t(12), appointed, 4, RescheduleReason.CUSTOMER_REQUEST)
    assert waiting.booking.status == "pending" and _postpones(world) == []

    handle_decide_reschedule(DecideReschedule(waiting.booking.id, BOSS, True, "客户确有急事"),
                             UnitOfWork(world, clock=SimulatedClock(t(17))))

    (event,) = _postpones(world)
    assert (event.at, event.actor, event.actor_role) == (t(12), "tech1", "technician")
    assert "客户要求改约" in event.reason and "客户出差" in event.reason
    assert before == t(10, day=5)  # 72 hours after the accept
    assert rows(world, 1)[ON_SITE_DUE].due == before + timedelta(hours=5)


@pytest.mark.parametrize(("reason", "approve"), [
    (RescheduleReason.CUSTOMER_REQUEST, False),  # the supervisor refused the customer's request
    (RescheduleReason.TECHNICIAN_UNAVAILABLE, True),  # the technician's own making
])
def test_a_refused_or_the_technicians_reschedule_records_and_pauses_nothing(
        world: Engine, appointed: int, reason: RescheduleReason, approve: bool) -> None:
    before = rows(world, 1)[ON_SITE_DUE].due
    waiting = _book(world, t(12), appointed, 4, reason)

    handle_decide_reschedule(DecideReschedule(waiting.booking.id, BOSS, approve, "主管决定"),
                             UnitOfWork(world, clock=SimulatedClock(t(17))))

    assert _postpones(world) == []
    assert rows(world, 1)[ON_SITE_DUE].due == before
