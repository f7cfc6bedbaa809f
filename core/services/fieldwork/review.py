"""Verification review: the desk looks at a served order's evidence chain (appointment call,
check-in, completion code, photos, serial numbers, flags) against what its client asks for its
product kind (core.fieldwork.verification), then approves (the lifecycle's `verify`, then the
review period begins: core.services.fieldwork.review_period.begin_review) or rejects (`freeze`:
the order and its fee are frozen), with a reason, from the version it saw.

`assess_served` is the one assessment of an order's evidence: the queue, a person's decision
and the backend's own check at completion (core.services.fieldwork.completion) all use it.

One order's evidence is read by each slice's own handler; the queue reads the evidence of all
served orders at once (core.storage.fieldwork.verification). Desk roles that see the full
contact review: agent, supervisor, admin.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from core.contracts.fieldwork.codes import CodeStatusOut
from core.errors import Conflict, Refused
from core.fieldwork.appointments import CallVerdict
from core.fieldwork.codes import CodeState, state_of
from core.fieldwork.flags import Flag, FlagKind
from core.fieldwork.position import Outcome
from core.fieldwork.verification import (
    Assessment,
    Evidence,
    PhotoEvidence,
    Requirement,
    Verdict,
    assess,
)
from core.orders import commands as c
from core.orders.lifecycle import OrderState, Role
from core.orders.model import Actor, ServiceOrder
from core.services.fieldwork.appointments import OrderBookings, handle_bookings
from core.services.fieldwork.call_records import CallsOfOrder, OrderCalls, handle_order_calls
from core.services.fieldwork.checkin import ListCheckIns, handle_list_check_ins
from core.services.fieldwork.codes import CodeStatus, handle_code_status
from core.services.fieldwork.photos import ListPhotos, OrderPhotos, handle_list_photos, units_of
from core.services.fieldwork.review_period import begin_review
from core.services.fieldwork.serials import ListSerials, OrderSerials, handle_list_serials
from core.services.orders import current_order, take_action
from core.storage.audited import Audit
from core.storage.fieldwork.appointments import AppointmentRecord
from core.storage.fieldwork.checkins import CheckInRecord
from core.storage.fieldwork.flags import flags_of
from core.storage.fieldwork.photos import PhotoRecord
from core.storage.fieldwork.serials import SerialRecord
from core.storage.fieldwork.verification import (
    ClientRequirements,
    QueueRows,
    booking_in_force,
    evidence_rows,
    served_count,
    served_orders,
    technician_name,
)
from core.storage.tables import OrderRecord
from core.storage.uow import UnitOfWork
from core.text import around, with_words

REVIEWERS = frozenset({Role.AGENT, Role.SUPERVISOR, Role.ADMIN})
MAX_QUEUE = 500
APPROVED = "核验通过 (verification approved)"
REJECTED = "核验驳回，工单及服务费冻结 (verification rejected: the order and its fee are frozen)"


def check_reviewer(actor: Actor) -> None:
    if actor.role not in REVIEWERS:
        raise Refused(f"只有坐席、主管和管理员可以核验工单 (role '{actor.role.value}' may not "
                      f"review verifications)")


class NotServed(Conflict):
    """The order is not (or no longer) waiting for verification."""

    def __init__(self, order_id: int, state: str) -> None:
        super().__init__(f"工单 {order_id} 当前为 {state}，不在待核验状态 (order {order_id} is "
                         f"{state}: it does not wait for verification)")


# -- the evidence as the rule sees it ------------------------------------------------------------

def photo_evidence(photos: Sequence[PhotoRecord]) -> tuple[PhotoEvidence, ...]:
    return tuple(PhotoEvidence(p.id, tuple(FlagKind(f["kind"]) for f in p.flags or []))
                 for p in photos)


def evidence_of(units: int, booking: AppointmentRecord | None, check_in: CheckInRecord | None,
                code: tuple[CodeState | None, int], photos: Sequence[PhotoRecord],
                flags: Sequence[Flag], serials: Sequence[SerialRecord]) -> Evidence:
    """The rule's plain values from the slices' rows: the booking in force, the latest
    check-in, the current code's state and wrong tries, the photos, the order's flags, the
    serials in force."""
    return Evidence(
        units=units,
        call_verdict=CallVerdict(booking.call_verdict) if booking is not None else None,
        checkin_outcome=Outcome(check_in.outcome) if check_in is not None else None,
        checkin_distance_m=check_in.distance_m if check_in is not None else None,
        checkin_tolerance_m=check_in.tolerance_m if check_in is not None else None,
        code_state=code[0], code_failures=code[1], photos=photo_evidence(photos),
        flags=tuple(flags), serials=tuple(r.serial for r in serials))


def _code_of_status(status: CodeStatusOut) -> tuple[CodeState | None, int]:
    current = status.current
    if current is None:
        return None, 0
    return CodeState(current.state), current.attempts


def _code_of_rows(rows: QueueRows, now: datetime) -> tuple[CodeState | None, int]:
    row = rows.code
    if row is None:
        return None, 0
    return state_of(voided=row.voided_at is not None, used=row.used_at is not None,
                    locked=row.locked_at is not None, expires_at=row.expires_at,
                    now=now), row.attempts


# -- one order's evidence ------------------------------------------------------------------------

@dataclass(frozen=True)
class ShowEvidence:
    order_id: int
    actor: Actor


@dataclass(frozen=True)
class OrderEvidence:
    order: ServiceOrder
    client_code: str
    technician_name: str
    units: int
    booking: AppointmentRecord | None  # the booking the visit was made on
    bookings: list[AppointmentRecord]  # oldest first
    calls: CallsOfOrder
    check_ins: list[CheckInRecord]  # oldest first
    code: CodeStatusOut
    photos: OrderPhotos
    serials: OrderSerials
    flags: list[Flag]
    requirement: Requirement
    assessment: Assessment


def handle_evidence(cmd: ShowEvidence, uow: UnitOfWork) -> OrderEvidence:
    """The order's evidence chain and its assessment, each part read by its slice's handler
    (Refused 403 for a role that does not review; NotFound 404)."""
    check_reviewer(cmd.actor)
    calls = handle_order_calls(OrderCalls(cmd.order_id, cmd.actor), uow)
    order = calls.order
    bookings = handle_bookings(OrderBookings(cmd.order_id, cmd.actor), uow)
    check_ins = handle_list_check_ins(ListCheckIns(cmd.order_id, cmd.actor), uow)
    code = handle_code_status(CodeStatus(cmd.order_id, cmd.actor), uow)
    photos = handle_list_photos(ListPhotos(cmd.order_id, cmd.actor), uow)
    serials = handle_list_serials(ListSerials(cmd.order_id, cmd.actor), uow)
    service_type = order.service_type.value if order.service_type else None
    with uow.reads() as session:
        flags = flags_of(session, [cmd.order_id]).get(cmd.order_id, [])
        requirements = ClientRequirements(session)
        client = requirements.client_of(order.platform)
        requirement = requirements.requirement(order.platform, service_type)
        name = technician_name(session, order.technician_id)
    booking = booking_in_force(bookings)
    units = units_of(order)
    evidence = evidence_of(units, booking, check_ins[-1] if check_ins else None,
                           _code_of_status(code), photos.photos, flags, serials.current)
    return OrderEvidence(order, client, name, units, booking, bookings, calls, check_ins, code,
                         photos, serials, flags, requirement, assess(evidence, requirement))


# -- the queue -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReviewQueue:
    actor: Actor
    limit: int = 200


@dataclass(frozen=True)
class QueueEntry:
    rows: QueueRows
    client_code: str
    requirement: Requirement
    assessment: Assessment


@dataclass(frozen=True)
class Queue:
    served: int  # every served order, also those past the limit
    entries: list[QueueEntry]


def _entries(session: Session, rows: Sequence[QueueRows], now: datetime) -> list[QueueEntry]:
    requirements = ClientRequirements(session)
    entries = []
    for found in rows:
        order = found.order
        requirement = requirements.requirement(order.platform, order.service_type or None)
        evidence = evidence_of(found.units, found.booking, found.check_in,
                               _code_of_rows(found, now), found.photos, found.flags,
                               found.serials)
        entries.append(QueueEntry(found, requirements.client_of(order.platform), requirement,
                                  assess(evidence, requirement)))
    return entries


def assess_served(session: Session, order_id: int, now: datetime) -> QueueEntry:
    """One order's evidence against its client's requirement, read in the caller's session
    (inside a write transaction: what it wrote so far counts)."""
    record = session.get(OrderRecord, order_id)
    assert record is not None, "assess_served is for an order the caller has loaded"
    (entry,) = _entries(session, evidence_rows(session, [record]), now)
    return entry


def handle_review_queue(cmd: ReviewQueue, uow: UnitOfWork) -> Queue:
    """The `limit` longest-served orders (at most 500), flagged or incomplete first, then the
    longest served (Refused 403 for a role that does not review)."""
    check_reviewer(cmd.actor)
    now = uow.clock.now()
    with uow.reads() as session:
        served = served_count(session)
        entries = _entries(session, served_orders(session, min(cmd.limit, MAX_QUEUE)), now)
    entries.sort(key=lambda e: (e.assessment.verdict is Verdict.READY,
                                e.rows.order.state_changed_at, e.rows.order.id))
    return Queue(served, entries)


# -- the decision --------------------------------------------------------------------------------

@dataclass(frozen=True)
class DecideVerification:
    """Approve or reject a served order from the version seen, saying why."""

    order_id: int
    version: int
    approve: bool
    reason: str
    actor: Actor


@dataclass(frozen=True)
class Decided:
    order: ServiceOrder
    reason: str


def _recorded_reason(approve: bool, why: str, assessment: Assessment) -> str:
    """The decision and the evidence's verdict when it was taken, in both languages, then the
    reviewer's words as he said them."""
    zh, en = (APPROVED if approve else REJECTED).removesuffix(")").split(" (", 1)
    return with_words(around(assessment.text(), (f"{zh}（审核时：", f"{en} (evidence then: "),
                             ("）", ")")), why)


def handle_decide(cmd: DecideVerification, uow: UnitOfWork) -> Decided:
    """Approve: `verify`, and the review period begins in the same transaction; reject:
    `freeze` (the fee is frozen with the order). The reason as recorded names the decision
    and the evidence's verdict when it was taken.

    NoReason 422, Refused 403 (not a reviewer), NotFound 404, StaleVersion 409 (changed since
    seen), NotServed 409 (not waiting for verification)."""
    check_reviewer(cmd.actor)
    now = uow.clock.now()
    why = Audit.of(cmd.actor.name, now, cmd.reason).reason
    with uow:
        order = current_order(uow, cmd.order_id, cmd.version, cmd.actor)
        if order.state is not OrderState.SERVED:
            raise NotServed(cmd.order_id, order.state.value)
        entry = assess_served(uow.session, cmd.order_id, now)
        reason = _recorded_reason(cmd.approve, why, entry.assessment)
        command: c.Command = c.Verify() if cmd.approve else c.Freeze()
        take_action(uow, order, command, cmd.actor, now, reason)
        if cmd.approve:
            begin_review(uow.session, order, now)
            uow.orders.save(order)
        uow.commit()
    return Decided(order, reason)
