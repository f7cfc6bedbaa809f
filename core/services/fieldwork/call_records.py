"""The AXB provider's call records: a signed push taken in once per record id (the
interface is in core.services.fieldwork.axb's docstring), and an order's calls for the desk."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.contracts.fieldwork.appointments import CallPushReceipt, CallRecordPush
from core.errors import Invalid, LastmileError
from core.fieldwork.appointments import CallVerdict, backs
from core.intake.adapters._lastmile import signed_time, verify
from core.intake.freshness import staleness
from core.intake.model import SignedRequest
from core.orders.model import Actor, ServiceOrder
from core.services.orders import load_visible
from core.storage.fieldwork import appointments as store
from core.storage.fieldwork.appointments import AxbBindingRecord, CallRecord
from core.storage.orders.repository import OrderRepository
from core.storage.tables import OrderRecord
from core.storage.uow import UnitOfWork

PUSH_WINDOW = timedelta(minutes=5)  # a push signed further from now than this is a replay

class BadPush(LastmileError):
    """A call-record push that is not the provider's: unsigned, forged, or a replay."""

    status = 401


@dataclass(frozen=True)
class TakeCallRecords:
    """The provider's push as received: the exact body bytes and the headers (lower-case)."""

    body: bytes
    headers: Mapping[str, str]
    secret: str


def _verified(cmd: TakeCallRecords, now: datetime) -> CallRecordPush:
    if not cmd.secret:
        raise BadPush("未配置隐私号推送密钥 (no AXB push secret is configured)")
    request = SignedRequest(query={}, headers=cmd.headers, body=cmd.body)
    if not verify(request, cmd.secret):
        raise BadPush("推送签名不符 (the push's signature does not match the AXB secret)")
    stale = staleness(signed_time(request), now, PUSH_WINDOW)
    if stale:
        raise BadPush(stale)
    try:
        return CallRecordPush.model_validate_json(cmd.body)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise Invalid(f"通话记录格式不符 (malformed call records: {first['msg']})",
                      loc=("body", *first["loc"])) from None


def _take(session: Session, push: CallRecordPush, now: datetime
          ) -> tuple[list[CallRecord], int, list[str]]:
    taken, duplicates, unmatched = [], 0, []
    for item in push.records:
        if store.call_record(session, item.record_id) is not None:
            duplicates += 1
            continue
        binding = store.binding_by_provider_id(session, item.binding_id)
        if binding is None:
            unmatched.append(item.record_id)
            continue
        row = CallRecord(record_id=item.record_id, provider_binding_id=item.binding_id,
                         binding_id=binding.id, order_id=binding.order_id,
                         caller_side=item.caller_side, started_at=item.started_at,
                         duration_s=item.duration_s if item.connected else 0,
                         connected=item.connected, recording=item.recording, received_at=now)
        try:
            with session.begin_nested():  # the same record pushed twice at once: one row
                session.add(row)
        except IntegrityError:
            duplicates += 1
            continue
        taken.append(row)
    return taken, duplicates, unmatched


def _back_late(session: Session, taken: Sequence[CallRecord]) -> int:
    """Bookings flagged without a call that a call pushed only now backs: found late (the flag
    stays, as flags do; the booking shows the call that backs it)."""
    found = 0
    for order_id in sorted({r.order_id for r in taken}):
        order = session.get(OrderRecord, order_id)
        window = store.policy_for_order(session, order.platform if order else "").call_window
        for booking in store.unbacked_bookings(session, order_id):
            calls = store.calls_for_rule(session, order_id, booking.technician_id)
            backing = [c for c in calls if backs(c, booking.requested_at, window)]
            if backing:
                booking.call_verdict = CallVerdict.FOUND_LATE.value
                booking.call_record_id = max(backing, key=lambda c: c.started_at).id
                found += 1
    return found


def handle_take_call_records(cmd: TakeCallRecords, uow: UnitOfWork) -> CallPushReceipt:
    """Take the provider's call records: BadPush 401 (nothing read, nothing kept) unless signed
    with the push secret within 5 minutes; Invalid 422 for a malformed body (nothing kept);
    then each record once (a record id seen before is acknowledged, not stored again); a record
    of a binding we do not know is named back and not kept."""
    now = uow.clock.now()
    push = _verified(cmd, now)
    with uow:
        taken, duplicates, unmatched = _take(uow.session, push, now)
        late = _back_late(uow.session, taken)
        uow.commit()
    return CallPushReceipt(taken=len(taken), duplicates=duplicates, unmatched=unmatched,
                           found_late=late)


@dataclass(frozen=True)
class OrderCalls:
    order_id: int
    actor: Actor


@dataclass(frozen=True)
class CallsOfOrder:
    order: ServiceOrder
    bindings: list[AxbBindingRecord]  # newest first
    calls: list[CallRecord]  # earliest first


def handle_order_calls(cmd: OrderCalls, uow: UnitOfWork) -> CallsOfOrder:
    """The order's bindings and calls (NotFound 404 / Refused 403 as the order is)."""
    with uow.reads() as session:
        order = load_visible(OrderRepository(session), cmd.order_id, cmd.actor)
        return CallsOfOrder(order, store.bindings_of(session, cmd.order_id),
                            store.calls_of(session, cmd.order_id))
