"""Which service orders a platform order became (dedupe), their origins, and merge candidates."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core.contracts.intake import AuditFlagOut, OrderOrigin, dropped_out, placement_out
from core.intake.model import Conversion, ConvertedOrder
from core.intake.split import merge_key
from core.orders.lifecycle import OrderState
from core.orders.model import OrderItem
from core.sla.deadlines import RegionStandard
from core.storage.tables import IntakeLinkRecord, OrderItemRecord, OrderOriginRecord, OrderRecord

# An order merges new visits only before dispatch starts: afterwards a technician has a plan.
MERGEABLE = (OrderState.NEW, OrderState.AUDITED, OrderState.PLACED, OrderState.CLASSIFIED)


def merge_digest(order: ConvertedOrder) -> str:
    """The merge key as a fixed-length digest (addresses run to 500 characters)."""
    return hashlib.sha256(merge_key(order).encode("utf-8")).hexdigest()


def linked(session: Session, platform: str, platform_order_id: str) -> dict[str, int]:
    """trade -> service order id for every order the platform order became."""
    rows = session.execute(
        select(IntakeLinkRecord.trade, IntakeLinkRecord.order_id).where(
            IntakeLinkRecord.platform == platform,
            IntakeLinkRecord.platform_order_id == platform_order_id,
        )
    ).all()
    return {trade: order_id for trade, order_id in rows}


def link(session: Session, order: ConvertedOrder, order_id: int, at: datetime) -> None:
    session.add(IntakeLinkRecord(platform=order.platform,
                                 platform_order_id=order.platform_order_id,
                                 trade=order.trade, order_id=order_id, created_at=at))


def merge_target(session: Session, digest: str, since: datetime) -> int | None:
    """The newest open, not yet dispatched order with the same key created since `since`."""
    return session.scalars(
        select(OrderOriginRecord.order_id)
        .join(OrderRecord, OrderRecord.id == OrderOriginRecord.order_id)
        .where(
            OrderOriginRecord.merge_key == digest,
            OrderOriginRecord.created_at >= since,
            OrderRecord.state.in_([s.value for s in MERGEABLE]),
        )
        .order_by(OrderOriginRecord.created_at.desc(), OrderOriginRecord.order_id.desc())
        .limit(1)
    ).first()


def build_origin(conversion: Conversion, order: ConvertedOrder,
                 standard: RegionStandard | None) -> OrderOrigin:
    return OrderOrigin(
        # A work card's trade (a task's sale) too: every platform id of the purchase.
        platform_order_ids=conversion.source.platform_ids(),
        trade=order.trade,
        split_note=order.split_note,
        merged_from=[],
        dropped=dropped_out(conversion),
        audit_score=order.audit.score,
        audit_flags=[AuditFlagOut(code=f.code, reason=f.reason, score=f.score)
                     for f in order.audit.flags],
        audit_decision=order.audit.decision.value,
        placement=placement_out(order.placement),
        covered=order.covered,
        classify_note=order.classify_note,
        region_standard=standard.as_dict() if standard else None,
    )


def save_origin(session: Session, order_id: int, client_code: str, order: ConvertedOrder,
                origin: OrderOrigin, audit_state: str, at: datetime) -> None:
    extra = {
        # What a later review approval needs to place and classify the order.
        "service_type": order.service_type.value if order.service_type else None,
        "skills": list(order.skills),
        "platform": order.platform,
        "platform_notes": [],
    }
    session.add(OrderOriginRecord(
        order_id=order_id, client_code=client_code, merge_key=merge_digest(order),
        audit_state=audit_state, covered=order.covered,
        county_adcode=order.placement.adcode or "", created_at=at,
        origin={**origin.model_dump(mode="json"), **extra},
    ))


def lock_order(session: Session, order_id: int) -> None:
    """Hold the order's row for the caller's transaction."""
    session.execute(select(OrderRecord.id).where(OrderRecord.id == order_id).with_for_update())


def origin_record(session: Session, order_id: int, *, lock: bool = False
                  ) -> OrderOriginRecord | None:
    """The order's origin; with `lock`, the order's row first, then the origin's.

    Every path that locks both (intake updates, merges, review decisions) comes through here,
    so all take them in one order and two of them can never deadlock on PostgreSQL.
    """
    query = select(OrderOriginRecord).where(OrderOriginRecord.order_id == order_id)
    if not lock:
        return session.scalars(query).first()
    lock_order(session, order_id)
    return session.scalars(query.with_for_update()).first()


def update_origin(record: OrderOriginRecord, **changes: Any) -> None:
    """Replace keys of the origin JSON (a new dict, so the change is written)."""
    record.origin = {**record.origin, **changes}


def add_platform_note(session: Session, order_id: int, note: str, at: datetime) -> None:
    """Keep what intake could not apply on the order's origin, for agents to follow up."""
    origin = origin_record(session, order_id, lock=True)
    if origin is not None:
        notes = [*origin.origin.get("platform_notes", []), {"at": at.isoformat(), "note": note}]
        update_origin(origin, platform_notes=notes)


def append_items(session: Session, order_id: int, start: int, items: list[OrderItem]) -> None:
    """Insert a merged visit's lines after the order's own, from position `start`."""
    session.execute(insert(OrderItemRecord), [
        {"order_id": order_id, "position": start + n, "sku": i.sku, "name": i.name,
         "quantity": i.quantity, "unit_price_fen": i.unit_price_fen}
        for n, i in enumerate(items)
    ])


def origin_of(session: Session, order_id: int) -> OrderOrigin | None:
    record = origin_record(session, order_id)
    return OrderOrigin.model_validate(record.origin) if record else None
