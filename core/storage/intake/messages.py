"""The message store: every record as it arrived, dead letters and what agents did with them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.contracts.intake import (
    Channel,
    IntakeMessageOut,
    IntakeMessagePage,
    MessageStatus,
    Outcome,
)
from core.errors import Conflict, Invalid, NotFound
from core.storage.tables import IntakeMessageRecord

# A payload larger than the adapters read (_fields.MAX_PAYLOAD_BYTES) is refused as too large;
# its first bytes are kept with that reason.
MAX_PAYLOAD_BYTES = 8 * 1024 * 1024


class BadMessageCursor(Invalid):
    """A page cursor that is not one this store handed out."""

    def __init__(self, cursor: str) -> None:
        super().__init__(f"翻页游标无效 ('{cursor[:40]}' is not a message cursor)",
                         loc=("query", "cursor"))


class NotDead(Conflict):
    """Only a dead letter can be retried or discarded (also: another retry has it)."""

    def __init__(self, message_id: int, status: str) -> None:
        # Not `status`: that is the HTTP status every LastmileError carries.
        self.message_id, self.message_status = message_id, status
        super().__init__(f"消息 {message_id} 已是 {status}，只有待处理的消息能重试或丢弃 "
                         f"(message {message_id} is {status}; only dead letters can be resolved)")


class NoSuchMessage(NotFound):
    def __init__(self, message_id: int) -> None:
        self.message_id = message_id
        super().__init__(f"没有消息 {message_id} (there is no intake message {message_id})")


@dataclass(frozen=True)
class Arrived:
    """One stored record: where it came from, its raw bytes, and what became of it."""

    platform: str
    channel: Channel
    at: datetime
    payload: bytes
    content_type: str
    outcome: Outcome
    platform_order_id: str = ""
    order_ids: list[int] = field(default_factory=list)
    field: str = ""
    reason: str = ""
    source: str = ""
    scope: str = "record"


def status_of(outcome: Outcome) -> MessageStatus:
    if outcome is Outcome.DEAD:
        return MessageStatus.DEAD
    if outcome is Outcome.REFUSED:
        return MessageStatus.REFUSED
    return MessageStatus.CONVERTED


def payload_text(payload: bytes) -> str:
    """Stored bytes as text to show: UTF-8, else GB18030, else with replacement marks."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return payload.decode(encoding)
        except UnicodeDecodeError:
            continue
    return payload.decode("utf-8", errors="replace")


def record_bytes(text: str) -> bytes:
    """A record's own text as stored: UTF-8, a lone surrogate kept as its (invalid) bytes."""
    return text.encode("utf-8", errors="surrogatepass")


def storable(text: str, limit: int | None = None) -> str:
    """Text from a payload (ids, reasons, field paths) as a text column can hold it: PostgreSQL
    refuses NUL, and UTF-8 cannot hold a lone surrogate; both become U+FFFD."""
    text = text[:limit] if limit is not None else text
    if "\x00" not in text and text.isascii():
        return text
    return "".join("\ufffd" if ch == "\x00" or "\ud800" <= ch <= "\udfff" else ch
                   for ch in text)


def store_message(session: Session, arrived: Arrived) -> int:
    """Insert the record's message in the caller's transaction; its id."""
    record = IntakeMessageRecord(
        platform=storable(arrived.platform, 32), channel=arrived.channel.value,
        source=storable(arrived.source, 64), scope=arrived.scope,
        platform_order_id=storable(arrived.platform_order_id, 64),
        received_at=arrived.at, status=status_of(arrived.outcome).value,
        outcome=arrived.outcome.value, field=storable(arrived.field, 200),
        reason=storable(arrived.reason), content_type=storable(arrived.content_type, 100),
        payload=bytes(arrived.payload[:MAX_PAYLOAD_BYTES]),
        order_ids=list(arrived.order_ids), resolved_by="", resolution="",
    )
    session.add(record)
    session.flush()
    return record.id


def message_out(record: IntakeMessageRecord) -> IntakeMessageOut:
    return IntakeMessageOut(
        id=record.id, platform=record.platform, channel=Channel(record.channel),
        platform_order_id=record.platform_order_id, received_at=record.received_at,
        status=MessageStatus(record.status), field=record.field, reason=record.reason,
        content_type=record.content_type, payload=payload_text(record.payload),
        order_ids=list(record.order_ids or []), retried_as=record.retried_as,
        resolved_by=record.resolved_by, resolved_at=record.resolved_at,
        resolution=record.resolution,
    )


def message_page(
    session: Session, *, status: str | None = None, platform: str | None = None,
    limit: int = 50, cursor: str | None = None,
) -> IntakeMessagePage:
    """Messages newest first; the cursor is the last id of the previous page."""
    query = select(IntakeMessageRecord)
    if status:
        query = query.where(IntakeMessageRecord.status == status)
    if platform:
        query = query.where(IntakeMessageRecord.platform == platform)
    if cursor:
        if not cursor.isdigit():
            raise BadMessageCursor(cursor)
        query = query.where(IntakeMessageRecord.id < int(cursor))
    rows = list(session.scalars(query.order_by(IntakeMessageRecord.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return IntakeMessagePage(rows=[message_out(r) for r in rows],
                             next_cursor=str(rows[-1].id) if more else None)


def message_record(session: Session, message_id: int) -> IntakeMessageRecord:
    """The stored message (NoSuchMessage when there is none)."""
    found = session.get(IntakeMessageRecord, message_id)
    if found is None:
        raise NoSuchMessage(message_id)
    return found


def dead_letter(session: Session, message_id: int) -> IntakeMessageRecord:
    """The message, locked for the caller's transaction (NoSuchMessage when there is none)."""
    found = session.scalars(
        select(IntakeMessageRecord).where(IntakeMessageRecord.id == message_id).with_for_update()
    ).first()
    if found is None:
        raise NoSuchMessage(message_id)
    return found


def mark_retried(record: IntakeMessageRecord, retried_as: int | None, by: str,
                 at: datetime) -> None:
    """Resolve a dead letter as retried; retried_as None while its records are going in."""
    if record.status != MessageStatus.DEAD:
        raise NotDead(record.id, record.status)
    record.status = MessageStatus.RETRIED.value
    record.resolved_by, record.resolved_at = by, at
    mark_retried_as(record, retried_as)


def mark_retried_as(record: IntakeMessageRecord, retried_as: int | None) -> None:
    record.retried_as = retried_as
    record.resolution = ("正在重新导入" if retried_as is None
                         else f"已修正并重新导入（消息 {retried_as}）")


def reopen(record: IntakeMessageRecord) -> None:
    """A retry that failed half-way: the letter is dead again."""
    record.status = MessageStatus.DEAD.value
    record.retried_as, record.resolved_by, record.resolved_at = None, "", None
    record.resolution = ""


def mark_discarded(record: IntakeMessageRecord, reason: str, by: str, at: datetime) -> None:
    if record.status != MessageStatus.DEAD:
        raise NotDead(record.id, record.status)
    record.status = MessageStatus.DISCARDED.value
    record.resolved_by, record.resolved_at, record.resolution = by, at, reason.strip()
