"""Appointments: book (the technician, or the desk for a customer on the phone from the
technician's free windows), reschedule (a reason code; past the client's limit it waits for a
supervisor), decide a waiting reschedule, record a failed contact attempt, the free windows.

A booking applies the lifecycle's `appoint` and stores its row, its NO_CALL_APPOINTMENT flag
(a technician's booking without a real call before it: core.fieldwork.appointments) and the
order's completion code (core.services.fieldwork.codes.ensure_code_in) in ONE transaction; the
code's SMS is tried after the commit. Flags never block.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from core.errors import Conflict, Invalid, NotFound, Refused
from core.fieldwork.appointments import (
    FURTHEST_AHEAD,
    RESCHEDULE_WORDS,
    SHANGHAI,
    Authenticity,
    BookingStatus,
    CallVerdict,
    ContactReason,
    DayPart,
    Initiator,
    RescheduleReason,
    Slot,
    SlotKind,
    check_slot,
    contact_words,
    desk_booking,
    free_slots,
    judge_calls,
    needs_approval,
    next_contact,
    reschedule_words,
)
from core.orders import commands as c
from core.orders.lifecycle import OrderState, Role
from core.orders.model import Actor, ServiceOrder
from core.services.fieldwork.codes import ensure_code_in, send_now
from core.services.fieldwork.sms import SmsProvider
from core.services.orders import current_order, load_visible
from core.storage.audited import Audit
from core.storage.fieldwork import appointments as store
from core.storage.fieldwork.appointments import AppointmentRecord, ContactAttemptRecord
from core.storage.fieldwork.codes import lock_order
from core.storage.fieldwork.flags import add_flags
from core.storage.orders.repository import OrderRepository
from core.storage.tables import TechnicianRecord
from core.storage.uow import UnitOfWork
from core.text import says_something, split_words, with_words

BOOKABLE = frozenset({OrderState.ACCEPTED, OrderState.APPOINTED})
CONTACTABLE = frozenset({OrderState.ASSIGNED, OrderState.ACCEPTED, OrderState.APPOINTED})
APPROVERS = frozenset({Role.SUPERVISOR, Role.ADMIN})
# Reschedules the customer brings about: the on-site clock stands still from the request until
# the new slot takes effect (core.sla.limits BUILT_IN on_site: customer_postpone ... appoint).
POSTPONED_BY_CUSTOMER = frozenset({RescheduleReason.CUSTOMER_REQUEST,
                                   RescheduleReason.CUSTOMER_ABSENT})


@dataclass(frozen=True)
class BookAppointment:
    """Book or reschedule from the version seen; a reschedule needs `reason_code`. `sms`: the
    provider to try the completion code's SMS with at once (None: the outbox round)."""

    order_id: int
    version: int
    actor: Actor
    slot: Slot
    reason_code: RescheduleReason | None = None
    reason: str = ""
    sms: SmsProvider | None = None


@dataclass(frozen=True)
class Booked:
    order: ServiceOrder
    booking: AppointmentRecord
    authenticity: Authenticity


@dataclass(frozen=True)
class DecideReschedule:
    booking_id: int
    actor: Actor
    approve: bool
    reason: str
    sms: SmsProvider | None = None


def slot_of(row: AppointmentRecord) -> Slot:
    return Slot(row.starts_at, row.ends_at, SlotKind(row.kind),
                DayPart(row.part) if row.part else None)


DIRECT = "主管直接改约 (rescheduled by a supervisor)"


def _event_reason(slot: Slot, initiated: Initiator, reason_code: RescheduleReason | None,
                  why: str, approved_by: str = "", approval: str = "") -> str:
    """The appointment's timeline reason: the backend's pieces, each `中文 (English)`, then
    the words of whoever asked (and of the supervisor who approved) as they said them."""
    who = "客户来电预约 (booked for the customer)" if initiated is Initiator.CUSTOMER \
        else "师傅预约 (booked by the technician)"
    parts = [who, slot.words()]
    if reason_code is not None:
        zh, en = RESCHEDULE_WORDS[reason_code]
        parts.append(f"改约原因：{zh} (rescheduled because: {en})")
    if approved_by == DIRECT:
        parts.append(DIRECT)
    elif approved_by:
        parts.append(f"主管 {approved_by} 批准改约 (reschedule approved by {approved_by})")
    said = "；".join(w.strip() for w in (why, approval) if says_something(w))
    return with_words("；".join(parts), said)


def _refuse_busy(session: Session, technician_id: int, slot: Slot, order_id: int) -> None:
    store.lock_technician(session, technician_id)
    busy = store.busy_intervals(session, technician_id, slot.start, slot.end, order_id)
    if busy:
        other, start, end = busy[0]
        span = Slot(start, end).words()
        raise Conflict(f"师傅在该时段已有预约（工单 {other}，{span}） (the technician is booked "
                       f"then: order {other})", loc=("body", "start"))


def _note_postpone(order: ServiceOrder, row: AppointmentRecord) -> None:
    """Record the customer's postponement on the order, as of the request (who asked, when,
    why), just before the new slot's `appoint`: a request that waited for a supervisor pauses
    the clock while it waited; a refused one records nothing and pauses nothing."""
    if not row.reschedule or row.reason_code not in POSTPONED_BY_CUSTOMER:
        return
    why = with_words(reschedule_words(RescheduleReason(row.reason_code)), row.reason)
    order.note_fact("customer_postpone", Actor(row.requested_by, Role(row.requested_role)),
                    row.requested_at, why)


def _apply(session: Session, uow: UnitOfWork, order: ServiceOrder, slot: Slot, actor: Actor,
           now: datetime, reason: str) -> int | None:
    """Appoint the order and make sure it has a completion code; the code's outbox id. The
    `reason` is _event_reason's: the backend's alone unless it quotes someone's words."""
    order.apply(c.Appoint(start=slot.start, end=slot.end), actor, now, reason,
                backend_reason=split_words(reason) is None)
    uow.orders.save(order)  # StaleVersion when another write won meanwhile
    return ensure_code_in(session, order, actor, now) if order.customer_phone else None


def handle_book(cmd: BookAppointment, uow: UnitOfWork) -> Booked:
    """Book or reschedule. Invalid 422 (a slot in the past, outside 08-21, longer than its
    kind; a reschedule without a reason code), NotFound 404 / Refused 403 (not his order),
    StaleVersion 409, Conflict 409 (not accepted yet, the technician busy then, a reschedule
    already waiting). Past the limit: the booking is `pending` and the order unchanged."""
    now = uow.clock.now()
    check_slot(cmd.slot, now)
    outbox: int | None = None
    with uow:
        lock_order(uow.session, cmd.order_id)  # one booking of the order at a time
        order = current_order(uow, cmd.order_id, cmd.version, cmd.actor)
        if order.state not in BOOKABLE or order.technician_id is None:
            raise Conflict(f"工单状态为 {order.state.value}，师傅接单后才能预约 (order "
                           f"{cmd.order_id} is {order.state.value}: book once it is accepted)")
        reschedule = order.state is OrderState.APPOINTED
        if reschedule and cmd.reason_code is None:
            raise Invalid("改约须选择原因 (a reschedule needs a reason_code)",
                          loc=("body", "reason_code"))
        if store.pending_of_order(uow.session, cmd.order_id) is not None:
            raise Conflict("该工单已有改约等待主管审批 (a reschedule of this order is waiting "
                           "for a supervisor)")
        technician_id = order.technician_id
        _refuse_busy(uow.session, technician_id, cmd.slot, cmd.order_id)
        policy = store.policy_for_order(uow.session, order.platform)
        initiated = Initiator.TECHNICIAN if cmd.actor.role is Role.TECHNICIAN \
            else Initiator.CUSTOMER
        judged = (judge_calls(store.calls_for_rule(uow.session, cmd.order_id, technician_id),
                              now, policy.call_window)
                  if initiated is Initiator.TECHNICIAN else desk_booking())
        status = BookingStatus.BOOKED
        if reschedule and needs_approval(store.reschedules_in_force(uow.session, cmd.order_id),
                                         policy):
            status = BookingStatus.APPROVED if cmd.actor.role in APPROVERS \
                else BookingStatus.PENDING
        row = AppointmentRecord(
            order_id=cmd.order_id, technician_id=technician_id, starts_at=cmd.slot.start,
            ends_at=cmd.slot.end, kind=cmd.slot.kind.value,
            part=cmd.slot.part.value if cmd.slot.part else "", initiated_by=initiated.value,
            reschedule=reschedule, reason_code=cmd.reason_code.value if cmd.reason_code else "",
            reason=cmd.reason.strip(), requested_by=cmd.actor.name,
            requested_role=cmd.actor.role.value, requested_at=now, status=status.value,
            decided_by="", decision_reason="", call_verdict=judged.verdict.value,
            call_record_id=judged.call_id)
        if status is BookingStatus.APPROVED:  # the approver asked for it himself
            row.decided_by, row.decided_at = cmd.actor.name, now
            row.decision_reason = DIRECT
        if status is not BookingStatus.PENDING:
            _note_postpone(order, row)
            outbox = _apply(uow.session, uow, order, cmd.slot, cmd.actor, now,
                            _event_reason(cmd.slot, initiated, cmd.reason_code, cmd.reason,
                                          DIRECT if status is BookingStatus.APPROVED else ""))
        uow.session.add(row)
        add_flags(uow.session, cmd.order_id, technician_id, judged.flags, now, cmd.actor.name)
        uow.commit()
    send_now(uow, cmd.sms, outbox)
    return Booked(order, row, judged)


def handle_decide_reschedule(cmd: DecideReschedule, uow: UnitOfWork) -> Booked:
    """A supervisor's decision on a waiting reschedule, with why: approved, the order takes the
    slot (Conflict 409 when the order or the technician's day changed meanwhile, or the slot
    has begun: refuse it then); refused, the earlier slot stays. Conflict 409 when decided."""
    if cmd.actor.role not in APPROVERS:
        raise Refused("只有主管可以审批改约 (only a supervisor decides a reschedule)")
    now = uow.clock.now()
    reason = Audit.of(cmd.actor.name, now, cmd.reason).reason
    outbox: int | None = None
    with uow:
        found = uow.session.get(AppointmentRecord, cmd.booking_id)
        if found is None:
            raise NotFound(f"没有改约申请 {cmd.booking_id} (there is no reschedule "
                           f"{cmd.booking_id})")
        lock_order(uow.session, found.order_id)
        row = store.lock_booking(uow.session, cmd.booking_id)
        assert row is not None
        if row.status != BookingStatus.PENDING.value:
            raise Conflict(f"改约申请已处理（{row.status}） (reschedule {row.id} was already "
                           f"decided: {row.status})")
        order = uow.orders.get(row.order_id)
        assert order is not None
        row.decided_by, row.decided_at, row.decision_reason = cmd.actor.name, now, reason
        row.status = (BookingStatus.APPROVED if cmd.approve else BookingStatus.REFUSED).value
        if cmd.approve:
            slot = slot_of(row)
            if order.state is not OrderState.APPOINTED or order.technician_id != row.technician_id:
                raise Conflict("工单在申请后已变化，请驳回 (the order changed since the request: "
                               "refuse it)")
            if slot.start <= now:
                raise Conflict("申请的时段已开始，请驳回后重新预约 (the slot has begun: refuse it "
                               "and book again)")
            _refuse_busy(uow.session, row.technician_id or 0, slot, row.order_id)
            why = _event_reason(slot, Initiator(row.initiated_by),
                                RescheduleReason(row.reason_code), row.reason, cmd.actor.name,
                                reason)
            _note_postpone(order, row)
            outbox = _apply(uow.session, uow, order, slot, cmd.actor, now, why)
        uow.commit()
    send_now(uow, cmd.sms, outbox)
    return Booked(order, row, Authenticity(CallVerdict(row.call_verdict),
                                           row.call_record_id))


@dataclass(frozen=True)
class OrderBookings:
    order_id: int
    actor: Actor


def handle_bookings(cmd: OrderBookings, uow: UnitOfWork) -> list[AppointmentRecord]:
    """Every slot asked for on the order, oldest first."""
    with uow.reads() as session:
        load_visible(OrderRepository(session), cmd.order_id, cmd.actor)
        return store.bookings_of(session, cmd.order_id)


def handle_pending_reschedules(uow: UnitOfWork) -> list[AppointmentRecord]:
    with uow.reads() as session:
        return store.pending_bookings(session)


# -- free windows -------------------------------------------------------------------------------

@dataclass(frozen=True)
class FreeWindows:
    """The technician's free slots on a Beijing day; `for_order`: leave its own slot out."""

    technician_id: int
    day: date
    actor: Actor
    for_order: int | None = None


@dataclass(frozen=True)
class FreeDay:
    free: list[Slot]
    busy: list[tuple[int, datetime, datetime]]


def handle_free_windows(cmd: FreeWindows, uow: UnitOfWork) -> FreeDay:
    """NotFound 404 for an unknown technician; Refused 403 for another technician's day;
    Invalid 422 for a day before today or more than 30 days ahead (Beijing)."""
    if cmd.actor.role is Role.TECHNICIAN and cmd.actor.technician_id != cmd.technician_id:
        raise Refused("只能查看自己的空闲时段 (a technician sees only his own free windows)")
    now = uow.clock.now()
    today = now.astimezone(SHANGHAI).date()
    if not today <= cmd.day <= today + FURTHEST_AHEAD:
        raise Invalid(f"日期须在今天到 {FURTHEST_AHEAD.days} 天之后之间 (date must lie within "
                      f"today and {FURTHEST_AHEAD.days} days ahead)", loc=("query", "date"))
    start = datetime.combine(cmd.day, time(0), SHANGHAI)
    with uow.reads() as session:
        if session.get(TechnicianRecord, cmd.technician_id) is None:
            raise NotFound(f"没有师傅 {cmd.technician_id} (there is no technician "
                           f"{cmd.technician_id})")
        busy = store.busy_intervals(session, cmd.technician_id, start,
                                    start + timedelta(days=1), cmd.for_order)
    return FreeDay(free_slots(cmd.day, [(s, e) for _, s, e in busy], now), busy)


# -- failed contact attempts --------------------------------------------------------------------

@dataclass(frozen=True)
class RecordContactAttempt:
    order_id: int
    actor: Actor
    reason: ContactReason
    note: str = ""
    next_contact_at: datetime | None = None


@dataclass(frozen=True)
class ListContactAttempts:
    order_id: int
    actor: Actor


def handle_contact_attempt(cmd: RecordContactAttempt, uow: UnitOfWork) -> ContactAttemptRecord:
    """Record a failed attempt (the technician on his order, or the desk). NotFound 404 /
    Refused 403 (not his order), Conflict 409 (not between assignment and the visit), Invalid
    422 (a next contact time in the past or beyond 30 days)."""
    now = uow.clock.now()
    nxt = next_contact(cmd.reason, now, cmd.next_contact_at)
    with uow:
        order = load_visible(uow.orders, cmd.order_id, cmd.actor)
        if order.state not in CONTACTABLE:
            raise Conflict(f"工单状态为 {order.state.value}，不能记录联系失败 (order "
                           f"{cmd.order_id} is {order.state.value}: no contact attempts now)")
        row = ContactAttemptRecord(
            order_id=cmd.order_id, technician_id=order.technician_id,
            reason_code=cmd.reason.value, note=cmd.note.strip() if says_something(cmd.note)
            else "", next_contact_at=nxt, at=now, recorded_by=cmd.actor.name,
            recorded_role=cmd.actor.role.value)
        uow.session.add(row)
        uow.commit()
    return row


def handle_contact_attempts(cmd: ListContactAttempts,
                            uow: UnitOfWork) -> list[ContactAttemptRecord]:
    with uow.reads() as session:
        load_visible(OrderRepository(session), cmd.order_id, cmd.actor)
        return store.attempts_of(session, cmd.order_id)


def attempt_text(row: ContactAttemptRecord) -> str:
    return contact_words(ContactReason(row.reason_code))
