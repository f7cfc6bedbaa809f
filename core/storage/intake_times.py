"""The newest platform time taken in per platform order: a message older than it arrives late.

Platforms push and re-send out of order (retries, several relays, a pull overlapping a push), so
an update changed at 10:00 may arrive after one changed at 10:05. Applying it would put the
older address or phone back. Each platform order remembers the newest `modified_at` it took;
an older message is kept, refused with the reason, and changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.contracts.intake import Outcome
from core.intake.model import PlatformOrder
from core.storage.intake_links import linked
from core.storage.intake_new import Result
from core.storage.numbers import BUSINESS_TZ
from core.storage.tables import IntakePlatformTimeRecord

# What a message that was not taken leaves untouched: it changed nothing the platform said.
NOT_TAKEN = frozenset({Outcome.REFUSED, Outcome.DEAD})


def _newest(session: Session, source: PlatformOrder) -> IntakePlatformTimeRecord | None:
    """The platform order's row, locked: messages about one platform order apply one at a
    time (taken before any order row, so the order-then-origin rule still holds)."""
    return session.scalars(
        select(IntakePlatformTimeRecord).where(
            IntakePlatformTimeRecord.platform == source.platform,
            IntakePlatformTimeRecord.platform_order_id == source.platform_order_id,
        ).with_for_update()
    ).first()


def _shown(moment: datetime) -> str:
    return moment.astimezone(BUSINESS_TZ).strftime("%Y-%m-%d %H:%M:%S")


def stale_refusal(session: Session, source: PlatformOrder) -> Result | None:
    """The refusal of a message older than what its platform order took, or None."""
    if source.modified_at is None:
        return None
    newest = _newest(session, source)
    if newest is None or source.modified_at >= newest.modified_at:
        return None
    ids = sorted(set(linked(session, source.platform, source.platform_order_id).values()))
    taken, sent = _shown(newest.modified_at), _shown(source.modified_at)
    return Result(Outcome.REFUSED, ids, (
        f"过时的平台消息：平台修改时间 {sent} 早于已采用的 {taken}，未应用 "
        f"(stale: changed on the platform at {sent}, before the {taken} already taken; "
        "not applied)"), "modified_at")


def took(session: Session, source: PlatformOrder, result: Result, at: datetime) -> None:
    """Remember the message's platform time when its platform order took it."""
    if source.modified_at is None or result.outcome in NOT_TAKEN:
        return
    newest = _newest(session, source)
    if newest is None:
        # A concurrent first message of the same platform order fails on the key and is taken
        # again (intake_service retries on IntegrityError), then meets this row.
        session.add(IntakePlatformTimeRecord(
            platform=source.platform, platform_order_id=source.platform_order_id,
            modified_at=source.modified_at, updated_at=at))
    elif source.modified_at > newest.modified_at:
        newest.modified_at, newest.updated_at = source.modified_at, at
