"""The order repository: loads and saves ServiceOrder aggregates with optimistic concurrency."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Table, Update, bindparam, insert, select, update
from sqlalchemy.orm import Session

from core.errors import Conflict
from core.orders.errors import StaleVersion
from core.orders.lifecycle import DispatchMode, OrderState, ServiceType
from core.orders.model import OrderEvent, OrderItem, ServiceOrder
from core.storage.tables import OrderEventRecord, OrderItemRecord, OrderRecord


class DuplicateOrder(Conflict):
    """An order with the same (platform, platform_order_id) already exists (409)."""

    def __init__(self, platform: str, platform_order_id: str) -> None:
        self.platform, self.platform_order_id = platform, platform_order_id
        super().__init__(f"{platform} 的订单 {platform_order_id} 已经收到过 "
                         f"(order {platform_order_id} from {platform} was already received)")


def _columns(order: ServiceOrder) -> dict[str, Any]:
    """The orders-row values of an aggregate (None sort keys become '')."""
    return {
        "order_no": order.order_no,
        "platform": order.platform,
        "platform_order_id": order.platform_order_id,
        "customer_name": order.customer_name,
        "customer_phone": order.customer_phone,
        "address": order.address,
        "province": order.province,
        "city": order.city,
        "county_adcode": order.county_adcode or "",
        "county_name": order.county_name,
        "lng": order.lng,
        "lat": order.lat,
        "service_type": order.service_type.value if order.service_type else "",
        "skills": list(order.skills),
        "state": order.state.value,
        "frozen_from": order.frozen_from.value if order.frozen_from else None,
        "dispatch_mode": order.dispatch_mode.value if order.dispatch_mode else None,
        "technician_id": order.technician_id,
        "appointment_start": order.appointment_start,
        "appointment_end": order.appointment_end,
        "parent_id": order.parent_id,
        "dispatch_since": order.dispatch_since,
        "dispatch_note": order.dispatch_note,
        "dispatch_pinned": order.dispatch_pinned,
        "tags": list(order.tags),
        "grab_price_fen": order.grab_price_fen,
        "accept_by": order.accept_by,
        "version": order.version,
        "created_at": order.created_at,
        "state_changed_at": order.state_changed_at or order.created_at,
    }


def to_aggregate(row: OrderRecord, items: Sequence[OrderItemRecord]) -> ServiceOrder:
    return ServiceOrder(
        id=row.id,
        order_no=row.order_no,
        platform=row.platform,
        platform_order_id=row.platform_order_id,
        customer_name=row.customer_name,
        customer_phone=row.customer_phone,
        address=row.address,
        created_at=row.created_at,
        items=[OrderItem(i.sku, i.name, i.quantity, i.unit_price_fen) for i in items],
        province=row.province,
        city=row.city,
        county_adcode=row.county_adcode or None,
        county_name=row.county_name,
        lng=row.lng,
        lat=row.lat,
        service_type=ServiceType(row.service_type) if row.service_type else None,
        skills=list(row.skills),
        state=OrderState(row.state),
        frozen_from=OrderState(row.frozen_from) if row.frozen_from else None,
        dispatch_mode=DispatchMode(row.dispatch_mode) if row.dispatch_mode else None,
        technician_id=row.technician_id,
        appointment_start=row.appointment_start,
        appointment_end=row.appointment_end,
        parent_id=row.parent_id,
        dispatch_since=row.dispatch_since,
        dispatch_note=row.dispatch_note or "",
        dispatch_pinned=bool(row.dispatch_pinned),
        tags=list(row.tags or []),
        grab_price_fen=row.grab_price_fen,
        accept_by=row.accept_by,
        version=row.version,
        state_changed_at=row.state_changed_at,
    )


def event_values(order_id: int, event: OrderEvent) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "kind": event.kind,
        "from_state": event.from_state.value if event.from_state else None,
        "to_state": event.to_state.value,
        "actor": event.actor,
        "actor_role": event.actor_role,
        "reason": event.reason,
        "at": event.at,
        "version": event.version,
        "data": event.data,
    }


def _item_values(order_id: int, order: ServiceOrder) -> list[dict[str, Any]]:
    return [
        {"order_id": order_id, "position": n, "sku": i.sku, "name": i.name,
         "quantity": i.quantity, "unit_price_fen": i.unit_price_fen}
        for n, i in enumerate(order.items)
    ]


_ORDERS: Table = OrderRecord.__table__  # type: ignore[assignment]


@cache
def _update_statement(names: tuple[str, ...]) -> Update:
    """The optimistic UPDATE, built once: building an ORM statement per save cost about 7 ms
    an order (14 s for a dispatch round over a backlog of 2,000), this about 1 ms."""
    return (update(_ORDERS)
            .where(_ORDERS.c.id == bindparam("w_id"), _ORDERS.c.version == bindparam("w_version"))
            .values({name: bindparam(f"v_{name}") for name in names}))


class OrderRepository:
    """Aggregates in and out of one session; events wait in `touched` until the UoW commits."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.touched: list[ServiceOrder] = []
        # The version each order has in the database as far as this transaction knows.
        self._stored: dict[int, int] = {}

    def _touch(self, order: ServiceOrder) -> None:
        assert order.id is not None
        self._stored[order.id] = order.version
        if not any(o is order for o in self.touched):
            self.touched.append(order)

    def get(self, order_id: int) -> ServiceOrder | None:
        row = self.session.get(OrderRecord, order_id)
        if row is None:
            return None
        items = self.session.scalars(
            select(OrderItemRecord)
            .where(OrderItemRecord.order_id == order_id)
            .order_by(OrderItemRecord.position)
        ).all()
        order = to_aggregate(row, items)
        self._stored[order_id] = order.version
        return order

    def exists(self, platform: str, platform_order_id: str) -> bool:
        found = self.session.scalar(
            select(OrderRecord.id).where(
                OrderRecord.platform == platform,
                OrderRecord.platform_order_id == platform_order_id,
            )
        )
        return found is not None

    def has_event(self, order_id: int, kind: str) -> bool:
        """Whether the order's timeline already holds an event of this kind."""
        E = OrderEventRecord
        return self.session.scalar(
            select(E.seq).where(E.order_id == order_id, E.kind == kind).limit(1)) is not None

    def add(self, order: ServiceOrder) -> None:
        """Insert a new aggregate; it gets its id now, its events at commit."""
        if self.exists(order.platform, order.platform_order_id):
            raise DuplicateOrder(order.platform, order.platform_order_id)
        self.add_many([order])

    def add_many(self, orders: Sequence[ServiceOrder]) -> None:
        """Insert many new aggregates in a few statements; duplicates fail at the constraint."""
        if not orders:
            return
        ids = self.session.scalars(
            insert(OrderRecord).returning(OrderRecord.id, sort_by_parameter_order=True),
            [_columns(o) for o in orders],
        ).all()
        items: list[dict[str, Any]] = []
        for order, new_id in zip(orders, ids, strict=True):
            order.id = new_id
            items.extend(_item_values(new_id, order))
            self._touch(order)
        if items:
            self.session.execute(insert(OrderItemRecord), items)

    def save(self, order: ServiceOrder) -> None:
        """Write the aggregate if nobody else changed it since it was loaded."""
        assert order.id is not None, "save() is for loaded orders; use add() for new ones"
        # Loaded elsewhere (no record here): its pending events are what it changed since.
        expected = self._stored.get(order.id, order.version - len(order.pending_events))
        values = _columns(order)
        result = self.session.execute(
            _update_statement(tuple(values)),
            {"w_id": order.id, "w_version": expected, **{f"v_{k}": v for k, v in values.items()}},
        )
        if result.rowcount == 0:  # type: ignore[attr-defined]
            current = self.session.scalar(
                select(OrderRecord.version).where(OrderRecord.id == order.id)
            )
            raise StaleVersion(order.id, expected, current if current is not None else -1)
        self._touch(order)

    def pending_event_rows(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for order in self.touched:
            assert order.id is not None
            rows.extend(event_values(order.id, e) for e in order.pending_events)
        return rows

    def forget_pending(self) -> None:
        for order in self.touched:
            order.pending_events.clear()
        self.touched.clear()
