"""What a dispatch round sees, read in a handful of queries (no per-order queries).

Orders the round may act on (classified; dispatching but not manual; assigned past accept_by),
their refusals, the technicians of their cities with today's load, the service points with
today's assignments, the effective policies, coverage and open grab offers.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from core.dispatch.policy import effective, scope_chain
from core.dispatch.round_model import Point, Snapshot, Tech, WaitingOrder, city_of
from core.orders.lifecycle import DispatchMode, OrderState
from core.orders.model import ServiceOrder
from core.sla.limit_types import Step
from core.storage.dispatch.policies import policy_bodies
from core.storage.dispatch.refusals import releases
from core.storage.grab.pool import OPEN
from core.storage.orders.repository import to_aggregate
from core.storage.people.accounts import BUSY_STATES
from core.storage.sla.limits import LimitBook
from core.storage.tables import (
    GrabOfferRecord,
    OrderEventRecord,
    OrderRecord,
    ServicePointRecord,
    ServiceRegionRecord,
    TechnicianRecord,
)

log = logging.getLogger(__name__)
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")  # no daylight saving in China
S = OrderState


@dataclass
class Loaded:
    """The planner's snapshot, and what applying its decisions needs besides."""

    snapshot: Snapshot
    orders: dict[int, ServiceOrder] = field(default_factory=dict)  # aggregates as read
    offers: dict[int, int] = field(default_factory=dict)  # order id -> open offer id


def day_start(now: datetime) -> datetime:
    local = now.astimezone(SHANGHAI)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _acting_on(now: datetime) -> Any:
    return or_(
        OrderRecord.state == S.CLASSIFIED.value,
        and_(OrderRecord.state == S.DISPATCHING.value,
             or_(OrderRecord.dispatch_mode.is_(None),
                 OrderRecord.dispatch_mode != DispatchMode.MANUAL.value)),
        and_(OrderRecord.state == S.ASSIGNED.value, OrderRecord.accept_by <= now),
    )


def _refusals(session: Session, now: datetime) -> tuple[dict[int, int], dict[int, set[int]]]:
    """Per order: how often it was turned down (refused, timed out), and every technician it
    was released from (core.dispatch.refusals: none of them is offered it again)."""
    counts: dict[int, int] = defaultdict(int)
    excluded: dict[int, set[int]] = defaultdict(set)
    for r in releases(session, order_ids=select(OrderRecord.id).where(_acting_on(now))):
        if r.what.turned_down:
            counts[r.order_id] += 1
        excluded[r.order_id].add(r.what.technician_id)
    return counts, excluded


def _technicians(session: Session, cities: set[str]) -> list[Tech]:
    if not cities:
        return []
    load = (
        select(OrderRecord.technician_id, func.count().label("n"))
        .where(OrderRecord.state.in_([s.value for s in BUSY_STATES]),
               OrderRecord.technician_id.is_not(None))
        .group_by(OrderRecord.technician_id)
        .subquery()
    )
    rows = session.execute(
        select(TechnicianRecord, ServicePointRecord.key, func.coalesce(load.c.n, 0))
        .outerjoin(ServicePointRecord, ServicePointRecord.id == TechnicianRecord.service_point_id)
        .outerjoin(load, load.c.technician_id == TechnicianRecord.id)
        .where(TechnicianRecord.active.is_(True),
               func.substr(TechnicianRecord.county_adcode, 1, 4).in_(sorted(cities)))
        .order_by(TechnicianRecord.id)
    ).all()
    # A home that is not a place (NaN) would poison every cost in the city's batch: such a
    # technician sits the round out rather than stopping it for everyone.
    return [Tech(t.id, t.name, t.county_adcode, frozenset(t.skills or ()), t.home_lng,
                 t.home_lat, t.daily_capacity, int(n), _finite(t.rating) or 0.0,
                 frozenset(t.qualifications or ()), point)
            for t, point, n in rows
            if _finite(t.home_lng) is not None and _finite(t.home_lat) is not None]


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _today(session: Session, now: datetime) -> dict[tuple[str, str], int]:
    """Assignments (by the centre, an agent or a claim) since local midnight, per
    (order county, the technician's service point)."""
    tech_id = OrderEventRecord.data["technician_id"].as_integer()
    rows = session.execute(
        select(OrderRecord.county_adcode, ServicePointRecord.key, func.count())
        .select_from(OrderEventRecord)
        .join(OrderRecord, OrderRecord.id == OrderEventRecord.order_id)
        .join(TechnicianRecord, TechnicianRecord.id == tech_id)
        .join(ServicePointRecord, ServicePointRecord.id == TechnicianRecord.service_point_id)
        .where(OrderEventRecord.kind.in_(("assign", "claim")),
               OrderEventRecord.at >= day_start(now))
        .group_by(OrderRecord.county_adcode, ServicePointRecord.key)
    ).all()
    return {(county or "", key): int(n) for county, key, n in rows}


def load(session: Session, now: datetime) -> Loaded:
    rows = session.scalars(select(OrderRecord).where(_acting_on(now))
                           .order_by(OrderRecord.id)).all()
    counts, excluded = _refusals(session, now) if rows else ({}, {})
    cities = {city_of(r.county_adcode or "") for r in rows}
    techs = _technicians(session, cities)
    points = {p.key: p for p in session.scalars(select(ServicePointRecord))}
    assigned_today = _today(session, now) if rows else {}
    per_point: dict[str, int] = defaultdict(int)
    for (_, key), n in assigned_today.items():
        per_point[key] += n
    counties = {r.county_adcode or "" for r in rows} | {p.county_adcode for p in points.values()}
    scopes = sorted({s for c in counties for s in scope_chain(c)})
    bodies = policy_bodies(session, scopes)
    regions = {r.county_adcode: r for r in session.scalars(
        select(ServiceRegionRecord).where(ServiceRegionRecord.county_adcode.in_(counties)))}
    grab_ids = [r.id for r in rows if r.dispatch_mode == DispatchMode.GRAB.value]
    offers = {oid: (offer_id, expires) for offer_id, oid, expires in session.execute(
        select(GrabOfferRecord.id, GrabOfferRecord.order_id, GrabOfferRecord.expires_at)
        .where(GrabOfferRecord.status == OPEN, GrabOfferRecord.order_id.in_(grab_ids))
        .order_by(GrabOfferRecord.id))} if grab_ids else {}
    loaded = Loaded(Snapshot(
        now=now, orders=[], technicians=techs,
        policies={c: effective(c, bodies) for c in counties},
        points={k: Point(k, p.county_adcode, p.daily_capacity or 0, per_point[k])
                for k, p in points.items()},
        assigned_today=assigned_today,
        covered={c: bool(r.covered) for c, r in regions.items()},
    ))
    waiting: list[WaitingOrder] = []
    book = LimitBook(session)
    for row in rows:
        try:
            order = to_aggregate(row, [])  # items are not saved by save(); no need to read them
        except (ValueError, TypeError) as exc:  # a row no rule can read: the others go on
            log.error("dispatch: order %s cannot be read, left out: %s", row.id, exc)
            continue
        assert order.id is not None
        loaded.orders[order.id] = order
        offer = offers.get(order.id)
        if offer:
            loaded.offers[order.id] = offer[0]
        waiting.append(WaitingOrder(
            id=order.id, version=order.version, state=order.state,
            county=order.county_adcode or "", lng=_finite(order.lng), lat=_finite(order.lat),
            skills=frozenset(order.skills), service_type=order.service_type,
            mode=order.dispatch_mode, dispatch_since=order.dispatch_since,
            created_at=order.created_at, tags=frozenset(order.tags),
            pinned=order.dispatch_pinned, technician_id=order.technician_id,
            accept_by=order.accept_by, excluded=frozenset(excluded.get(order.id, ())),
            refusals=counts.get(order.id, 0),
            acceptance_due=book.due(Step.ACCEPT, order.created_at, order.county_adcode,
                                    order.service_type.value if order.service_type else None),
            offer_open=offer is not None, offer_expires=offer[1] if offer else None,
        ))
    loaded.snapshot = replace(loaded.snapshot, orders=waiting)
    return loaded
