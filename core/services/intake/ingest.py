"""Taking platform payloads in: webhooks, file imports, retries and the poller come here.

Every record is stored in intake_messages with its raw bytes and outcome, in the same
transaction as what it changed; each record has a transaction of its own (the handler enters
the unit of work once per record), so one bad record never holds back or undoes the others.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.exc import DataError, IntegrityError

from core.contracts.intake import IntakeReceipt, Outcome, RecordOutcome
from core.intake.adapters import Adapter, get_adapter, read
from core.intake.adapters._fields import decode, load_json
from core.intake.changes import late_reason
from core.intake.errors import PayloadIgnored, PayloadRejected
from core.intake.model import Intent, PlatformOrder, RawRecord
from core.intake.pipeline import ConversionCentre, default_centre
from core.intake.policy import ClientPolicy
from core.orders.errors import OrderError, StaleVersion
from core.services.intake.changes import take_cancel, take_refund, take_update
from core.services.intake.commands import Ingest, IngestRecords, KeepUnusable, Parsed
from core.services.intake.new import take_new_or_changed
from core.services.intake.results import NOT_TAKEN, Result, cannot_apply
from core.services.intake.urges import take_urge
from core.storage.intake.clients import client_policy
from core.storage.intake.links import linked
from core.storage.intake.messages import Arrived, record_bytes, store_message
from core.storage.intake.times import newest_taken, took
from core.storage.uow import UnitOfWork

Take = Callable[[UnitOfWork, ConversionCentre, PlatformOrder, ClientPolicy, datetime, str],
                Result]
TAKES: dict[Intent, Take] = {Intent.NEW: take_new_or_changed, Intent.UPDATE: take_update,
                             Intent.CANCEL: take_cancel, Intent.REFUND: take_refund,
                             Intent.URGE: take_urge}


class EnvelopeRejected(PayloadRejected):
    """The payload as a whole was unusable; it is stored as one dead message (422 naming it)."""

    def __init__(self, message_id: int, error: PayloadRejected) -> None:
        super().__init__(error.field, error.reason)
        self.message_id, self.error = message_id, error
        self.detail = (f"{self.detail}；已存为待处理消息 {message_id} "
                       f"(kept as dead letter {message_id})")


def handle_ingest(cmd: Ingest, uow: UnitOfWork, *,
                  centre: ConversionCentre | None = None) -> IntakeReceipt:
    """Store and convert every record of a payload (UnknownPlatform, EnvelopeRejected)."""
    adapter = get_adapter(cmd.platform)
    try:
        parsed = read(adapter, cmd.payload, cmd.content_type)
    except PayloadRejected as exc:
        message_id = handle_keep_unusable(KeepUnusable(
            adapter.name, cmd.payload, cmd.content_type, cmd.channel, exc, cmd.source), uow)
        raise EnvelopeRejected(message_id, exc) from None
    return handle_ingest_records(IngestRecords(adapter.name, parsed, cmd.content_type,
                                               cmd.channel, cmd.source), uow, centre=centre)


def handle_keep_unusable(cmd: KeepUnusable, uow: UnitOfWork) -> int:
    """Keep a payload that could not be cut into records as one dead letter; its id."""
    with uow:
        message_id = store_message(uow.session, Arrived(
            platform=cmd.platform, channel=cmd.channel, at=uow.clock.now(),
            payload=cmd.payload, content_type=cmd.content_type, outcome=Outcome.DEAD,
            field=cmd.error.field, reason=cmd.error.reason, source=cmd.source,
            scope="envelope"))
        uow.commit()
    return message_id


def handle_ingest_records(cmd: IngestRecords, uow: UnitOfWork, *,
                          centre: ConversionCentre | None = None) -> IntakeReceipt:
    """Every record an adapter read, each in a transaction of its own."""
    adapter = get_adapter(cmd.platform)
    centre = centre or default_centre()
    # One time for the whole payload: its records arrived together.
    at = uow.clock.now()
    outcomes = [_one(uow, adapter, record, order, cmd, at, centre)
                for record, order in cmd.parsed]
    return IntakeReceipt(platform=adapter.name, received=len(cmd.parsed), outcomes=outcomes)


def _one(uow: UnitOfWork, adapter: Adapter, record: RawRecord,
         order: PlatformOrder | PayloadRejected, cmd: IngestRecords, at: datetime,
         centre: ConversionCentre) -> RecordOutcome:
    def arrived(result: Result, key: str) -> Arrived:
        return Arrived(platform=adapter.name, channel=cmd.channel, at=at,
                       payload=record_bytes(record.text), content_type=cmd.content_type,
                       outcome=result.outcome, platform_order_id=key,
                       order_ids=result.order_ids, field=result.field, reason=result.reason,
                       source=cmd.source)

    if isinstance(order, PayloadIgnored):
        # Understood and not service work: kept with its reason, nothing for an agent to fix.
        result, key = Result(Outcome.REFUSED, field=order.field, reason=order.reason), record.key
    elif isinstance(order, PayloadRejected):
        result, key = Result(Outcome.DEAD, field=order.field, reason=order.reason), record.key
    else:
        key = order.platform_order_id
        for attempt in range(2):
            try:
                with uow:
                    result = _apply(uow, adapter, order, at, cmd.source, centre)
                    message_id = store_message(uow.session, arrived(result, key))
                    uow.commit()
                return _outcome(record.index, key, result, message_id)
            except (IntegrityError, StaleVersion):
                # Another process took in the same platform order (or changed the order)
                # meanwhile: a second pass sees its work and dedupes against it.
                if attempt:
                    raise
            except OrderError as exc:
                result = Result(Outcome.DEAD, reason=cannot_apply(
                    "无法应用到服务单", "cannot be applied to the service order", exc))
                break
            except DataError as exc:
                # A value the adapter let through but the database cannot hold (too long).
                result = Result(Outcome.DEAD, reason=cannot_apply(
                    "数据库无法保存该订单", "the database cannot store the order", exc.orig))
                break
    with uow:
        message_id = store_message(uow.session, arrived(result, key))
        uow.commit()
    return _outcome(record.index, key, result, message_id)


def _apply(uow: UnitOfWork, adapter: Adapter, order: PlatformOrder, at: datetime,
           source: str, centre: ConversionCentre) -> Result:
    late = late_reason(order.modified_at, newest_taken(uow.session, order))
    if late is not None:
        ids = sorted(set(linked(uow.session, order.platform, order.platform_order_id).values()))
        return Result(Outcome.REFUSED, ids, late, "modified_at")
    policy = client_policy(uow.session, adapter.name, order.shop, source)
    result = TAKES[order.intent](uow, centre, order, policy, at, adapter.label)
    if result.outcome not in NOT_TAKEN:
        took(uow.session, order, at)
    return result


def _outcome(index: int, key: str, result: Result, message_id: int) -> RecordOutcome:
    return RecordOutcome(index=index, platform_order_id=key, outcome=result.outcome,
                         order_ids=result.order_ids, message_id=message_id,
                         field=result.field, reason=result.reason)


def parse_again(adapter: Adapter, raw: bytes, content_type: str, scope: str,
                platform_order_id: str) -> Parsed:
    """A dead letter's (fixed) bytes as records again; PayloadRejected when still unusable
    (empty, malformed, nested too deep, no record in it, a record the adapter refuses)."""
    if scope == "record" and "json" in content_type.lower():
        text = decode(raw)
        record = RawRecord(0, text, load_json(text), platform_order_id)
        parsed: Parsed = [(record, adapter.parse(record))]
    else:
        parsed = read(adapter, raw, content_type)
    if not parsed:
        raise PayloadRejected("", "没有可导入的记录 (the payload holds no records)")
    for _, result in parsed:
        if isinstance(result, PayloadRejected):
            raise result
    return parsed

