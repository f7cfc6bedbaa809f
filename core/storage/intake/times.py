"""The newest platform time taken in per platform order: a message older than it arrives late.

Each platform order remembers the newest `modified_at` it took; the intake handlers refuse an
older message (core.intake.changes.late_reason) and it changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.intake.model import PlatformOrder
from core.storage.tables import IntakePlatformTimeRecord


def _newest(session: Session, source: PlatformOrder) -> IntakePlatformTimeRecord | None:
    """The platform order's row, locked: messages about one platform order apply one at a
    time (taken before any order row, so the order-then-origin rule still holds)."""
    return session.scalars(
        select(IntakePlatformTimeRecord).where(
            IntakePlatformTimeRecord.platform == source.platform,
            IntakePlatformTimeRecord.platform_order_id == source.platform_order_id,
        ).with_for_update()
    ).first()


def newest_taken(session: Session, source: PlatformOrder) -> datetime | None:
    """The newest platform time the source's platform order took (locked), or None."""
    if source.modified_at is None:
        return None
    newest = _newest(session, source)
    return newest.modified_at if newest is not None else None


def took(session: Session, source: PlatformOrder, at: datetime) -> None:
    """Remember the message's platform time: its platform order took it."""
    if source.modified_at is None:
        return
    newest = _newest(session, source)
    if newest is None:
        # A concurrent first message of the same platform order fails on the key and is taken
        # again (the ingest handler retries on IntegrityError), then meets this row.
        session.add(IntakePlatformTimeRecord(
            platform=source.platform, platform_order_id=source.platform_order_id,
            modified_at=source.modified_at, updated_at=at))
    elif source.modified_at > newest.modified_at:
        newest.modified_at, newest.updated_at = source.modified_at, at
