"""Taking platform payloads in: one service for webhooks, file imports, retries and the poller.

Every record is stored in intake_messages with its raw bytes and outcome, in the same
transaction as what it changed; each record has a transaction of its own, so one bad record
never holds back or undoes the others.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.exc import DataError, IntegrityError

from core.contracts.intake import Channel, IntakeReceipt, MessageStatus, Outcome, RecordOutcome
from core.intake.adapters import Adapter, get_adapter, read
from core.intake.adapters._fields import decode, load_json
from core.intake.errors import PayloadIgnored, PayloadRejected
from core.intake.model import Intent, PlatformOrder, RawRecord
from core.intake.pipeline import ConversionCentre, default_centre
from core.intake.policy import ClientPolicy
from core.orders.errors import OrderError, StaleVersion
from core.storage.intake_changes import take_cancel, take_refund, take_update
from core.storage.intake_clients import client_policy
from core.storage.intake_messages import (
    Arrived,
    NotDead,
    dead_letter,
    mark_discarded,
    mark_retried,
    mark_retried_as,
    record_bytes,
    reopen,
    store_message,
)
from core.storage.intake_new import Result, take_new
from core.storage.intake_times import stale_refusal, took
from core.storage.tables import IntakeMessageRecord
from core.storage.uow import UnitOfWork

NewUow = Callable[[], UnitOfWork]
Parsed = list[tuple[RawRecord, PlatformOrder | PayloadRejected]]


def take_new_or_changed(uow: UnitOfWork, centre: ConversionCentre, source: PlatformOrder,
                        policy: ClientPolicy, at: datetime, label: str) -> Result:
    """A known order sent again as new: pull platforms (JD, Suning) flag no updates, so a
    re-sent order whose contact or address changed is applied as an update."""
    result = take_new(uow, centre, source, policy, at, label)
    if result.outcome is not Outcome.DUPLICATE:
        return result
    # Only what the platform itself changed counts: an agent's own placement stays. An order
    # another platform order made (this one joined it: a trade's work card) keeps its contact
    # as that one gave it; a copy of the joined one re-sent is no change.
    contact = {"customer_name": source.customer_name, "customer_phone": source.customer_phone,
               "address": source.address}
    for order_id in result.order_ids:
        order = uow.orders.get(order_id)
        made_by_it = order is not None and (order.platform, order.platform_order_id) == (
            source.platform, source.platform_order_id)
        if made_by_it and any(v and getattr(order, k) != v for k, v in contact.items()):
            return take_update(uow, centre, source, policy, at, label)
    return result


HANDLERS = {Intent.NEW: take_new_or_changed, Intent.UPDATE: take_update,
            Intent.CANCEL: take_cancel, Intent.REFUND: take_refund}


class EnvelopeRejected(Exception):
    """The payload as a whole was unusable; it is stored as one dead message."""

    def __init__(self, message_id: int, error: PayloadRejected) -> None:
        self.message_id, self.error = message_id, error
        super().__init__(str(error))


def ingest(new_uow: NewUow, platform: str, payload: bytes, content_type: str,
           channel: Channel, at: datetime, *, source: str = "",
           centre: ConversionCentre | None = None) -> IntakeReceipt:
    """Store and convert every record of a payload (UnknownPlatform, EnvelopeRejected)."""
    adapter = get_adapter(platform)
    try:
        parsed = read(adapter, payload, content_type)
    except PayloadRejected as exc:
        message_id = store_envelope(new_uow, adapter.name, payload, content_type, channel, at,
                                    exc, source=source)
        raise EnvelopeRejected(message_id, exc) from None
    return ingest_records(new_uow, adapter, parsed, content_type, channel, at, source=source,
                          centre=centre)


def store_envelope(new_uow: NewUow, platform: str, payload: bytes, content_type: str,
                   channel: Channel, at: datetime, error: PayloadRejected, *,
                   source: str = "") -> int:
    """Keep a payload that could not be cut into records as one dead letter; its id."""
    with new_uow() as uow:
        message_id = store_message(uow.session, Arrived(
            platform=platform, channel=channel, at=at, payload=payload,
            content_type=content_type, outcome=Outcome.DEAD, field=error.field,
            reason=error.reason, source=source, scope="envelope"))
        uow.commit()
    return message_id


def ingest_records(new_uow: NewUow, adapter: Adapter, parsed: Parsed, content_type: str,
                   channel: Channel, at: datetime, *, source: str = "",
                   centre: ConversionCentre | None = None) -> IntakeReceipt:
    centre = centre or default_centre()
    outcomes = [_one(new_uow, adapter, record, order, content_type, channel, at, source, centre)
                for record, order in parsed]
    return IntakeReceipt(platform=adapter.name, received=len(parsed), outcomes=outcomes)


def _one(new_uow: NewUow, adapter: Adapter, record: RawRecord,
         order: PlatformOrder | PayloadRejected, content_type: str, channel: Channel,
         at: datetime, source: str, centre: ConversionCentre) -> RecordOutcome:
    def arrived(result: Result, key: str) -> Arrived:
        return Arrived(platform=adapter.name, channel=channel, at=at,
                       payload=record_bytes(record.text),
                       content_type=content_type, outcome=result.outcome,
                       platform_order_id=key, order_ids=result.order_ids,
                       field=result.field, reason=result.reason, source=source)

    if isinstance(order, PayloadIgnored):
        # Understood and not service work: kept with its reason, nothing for an agent to fix.
        result, key = Result(Outcome.REFUSED, field=order.field, reason=order.reason), record.key
    elif isinstance(order, PayloadRejected):
        result, key = Result(Outcome.DEAD, field=order.field, reason=order.reason), record.key
    else:
        key = order.platform_order_id
        for attempt in range(2):
            try:
                with new_uow() as uow:
                    result = _apply(uow, adapter, order, at, source, centre)
                    message_id = store_message(uow.session, arrived(result, key))
                    uow.commit()
                return _outcome(record.index, key, result, message_id)
            except (IntegrityError, StaleVersion):
                # Another process took in the same platform order (or changed the order)
                # meanwhile: a second pass sees its work and dedupes against it.
                if attempt:
                    raise
            except OrderError as exc:
                result = Result(Outcome.DEAD, reason=f"无法应用到服务单：{exc}")
                break
            except DataError as exc:
                # A value the adapter let through but the database cannot hold (too long).
                result = Result(Outcome.DEAD, reason=f"数据库无法保存该订单：{exc.orig}")
                break
    with new_uow() as uow:
        message_id = store_message(uow.session, arrived(result, key))
        uow.commit()
    return _outcome(record.index, key, result, message_id)


def _apply(uow: UnitOfWork, adapter: Adapter, order: PlatformOrder, at: datetime,
           source: str, centre: ConversionCentre) -> Result:
    stale = stale_refusal(uow.session, order)
    if stale is not None:
        return stale
    policy = client_policy(uow.session, adapter.name, order.shop, source)
    result = HANDLERS[order.intent](uow, centre, order, policy, at, adapter.label)
    took(uow.session, order, result, at)
    return result


def _outcome(index: int, key: str, result: Result, message_id: int) -> RecordOutcome:
    return RecordOutcome(index=index, platform_order_id=key, outcome=result.outcome,
                         order_ids=result.order_ids, message_id=message_id,
                         field=result.field, reason=result.reason)


def _reparse(adapter: Adapter, message: IntakeMessageRecord, raw: bytes) -> Parsed:
    """A dead letter's (fixed) bytes as records again; PayloadRejected when still unusable
    (empty, malformed, nested too deep, no record in it, a record the adapter refuses)."""
    json_record = message.scope == "record" and "json" in message.content_type.lower()
    if not json_record:
        parsed = read(adapter, raw, message.content_type)
    else:
        text = decode(raw)
        record = RawRecord(0, text, load_json(text), message.platform_order_id)
        parsed = [(record, adapter.parse(record))]
    if not parsed:
        raise PayloadRejected("", "没有可导入的记录 (the payload holds no records)")
    for _, result in parsed:
        if isinstance(result, PayloadRejected):
            raise result
    return parsed


def retry(new_uow: NewUow, message_id: int, payload: str | None, by: str, at: datetime, *,
          centre: ConversionCentre | None = None) -> IntakeReceipt | None:
    """Send a dead letter again (as it was or fixed); None when there is no such message.

    Raises NotDead for a message that is not a dead letter (also when another retry of it
    is under way), PayloadRejected when the payload is still unusable (then nothing is
    stored). The dead letter is claimed (marked retried) before its records go in, so of
    two retries at once exactly one takes them in.
    """
    with new_uow() as uow:
        message = dead_letter(uow.session, message_id)
        if message is None:
            return None
        if message.status != MessageStatus.DEAD:
            raise NotDead(message.id, message.status)
        adapter = get_adapter(message.platform)
        raw = message.payload if payload is None else record_bytes(payload)
        parsed = _reparse(adapter, message, raw)
        content_type, source = message.content_type, message.source
        mark_retried(message, None, by, at)
        uow.commit()
    try:
        receipt = ingest_records(new_uow, adapter, parsed, content_type, Channel.RETRY, at,
                                 source=source, centre=centre)
    except BaseException:
        # The letter is dead again, to retry later (records that went in meanwhile are
        # recognised then as re-sent).
        with new_uow() as uow:
            message = dead_letter(uow.session, message_id)
            assert message is not None
            reopen(message)
            uow.commit()
        raise
    with new_uow() as uow:
        message = dead_letter(uow.session, message_id)
        assert message is not None
        mark_retried_as(message, receipt.outcomes[0].message_id)
        uow.commit()
    return receipt


def discard(new_uow: NewUow, message_id: int, reason: str, by: str,
            at: datetime) -> IntakeMessageRecord | None:
    """Throw a dead letter away with the agent's reason; None when there is no such message."""
    with new_uow() as uow:
        message = dead_letter(uow.session, message_id)
        if message is None:
            return None
        mark_discarded(message, reason, by, at)
        uow.commit()
    return message
