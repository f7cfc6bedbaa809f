"""Reads for manual dispatch: orders waiting for a person, who refused what, region standards.

`refusals` and `Refusal` are core.storage.dispatch.refusals' (the one refusal query),
re-exported here for the desk's callers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.contracts import OrderRow
from core.orders.attention import NEEDS_PERSON_MODE, NEEDS_PERSON_STATE
from core.orders.lifecycle import DispatchMode
from core.storage.dispatch.refusals import Refusal, refusals
from core.storage.orders.views import order_rows_select, row_to_order_row
from core.storage.people.accounts import BUSY_STATES
from core.storage.tables import (
    OrderEventRecord,
    OrderRecord,
    ServicePointRecord,
    TechnicianRecord,
)

E = OrderEventRecord
__all__ = ["Escalation", "Refusal", "last_escalations", "manual_orders",
           "point_counts", "point_keys", "refusals", "technician_names"]
# Events that moved an order to a mode, with the escalation code in their data.
MODE_EVENTS = ("escalate", "open_dispatch", "refuse", "withdraw")


@dataclass(frozen=True)
class Escalation:
    code: str
    reason: str
    at: datetime


def manual_orders(session: Session) -> list[OrderRow]:
    """Orders dispatching in manual mode: the ones only a person can place."""
    stmt = order_rows_select().where(
        # core.orders.attention.needs_person, as SQL.
        OrderRecord.state == NEEDS_PERSON_STATE.value,
        OrderRecord.dispatch_mode == NEEDS_PERSON_MODE.value,
    )
    return [row_to_order_row(r) for r in session.execute(stmt).all()]


def last_escalations(session: Session, order_ids: Iterable[int]) -> dict[int, Escalation]:
    """Per order, the last event that moved it into manual dispatch: its code and why."""
    ids = list(order_ids)
    found: dict[int, Escalation] = {}
    if not ids:
        return found
    stmt = (select(E.order_id, E.kind, E.data, E.reason, E.at)
            .where(E.order_id.in_(ids), E.kind.in_(MODE_EVENTS)).order_by(E.seq))
    for order_id, kind, data, reason, at in session.execute(stmt).all():
        data = dict(data or {})
        if kind in ("refuse", "withdraw") and data.get("mode") != DispatchMode.MANUAL.value:
            continue  # a release without a mode change says nothing about why a person is needed
        found[order_id] = Escalation(str(data.get("code") or ""), reason or "", at)
    return found


def point_keys(session: Session) -> dict[int, str]:
    """Technician id -> the key of their service point ('' without one)."""
    stmt = select(TechnicianRecord.id, ServicePointRecord.key).outerjoin(
        ServicePointRecord, ServicePointRecord.id == TechnicianRecord.service_point_id)
    return {tid: key or "" for tid, key in session.execute(stmt).all()}


def point_counts(session: Session, county_adcode: str | None) -> dict[str, int]:
    """The county's orders each service point's technicians hold now (for the ratio goal)."""
    if not county_adcode:
        return {}
    stmt = (
        select(ServicePointRecord.key, func.count())
        .select_from(OrderRecord)
        .join(TechnicianRecord, TechnicianRecord.id == OrderRecord.technician_id)
        .join(ServicePointRecord, ServicePointRecord.id == TechnicianRecord.service_point_id)
        .where(OrderRecord.county_adcode == county_adcode,
               OrderRecord.state.in_([s.value for s in BUSY_STATES]))
        .group_by(ServicePointRecord.key)
    )
    return {key: int(n) for key, n in session.execute(stmt).all()}


def technician_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    stmt = select(TechnicianRecord.id, TechnicianRecord.name).where(
        TechnicianRecord.id.in_(wanted))
    return {tid: name for tid, name in session.execute(stmt).all()}
