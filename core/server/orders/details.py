"""Assembling an order's detail (row, items, timeline, what the caller may do next)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.contracts import ItemOut, OrderDetail
from core.errors import NotFound
from core.orders.lifecycle import OrderState
from core.orders.model import ServiceOrder
from core.orders.privacy import (
    contact_view,
    order_visible,
    shown_address,
    shown_phone,
    shown_point,
)
from core.server.deps import CurrentUser
from core.services.orders import load_visible
from core.storage.orders.repository import OrderRepository
from core.storage.orders.views import order_row, timeline


def visible_to(user: CurrentUser, order: ServiceOrder) -> bool:
    """Technicians see only the orders assigned to them; desk roles see everything."""
    return order_visible(user.role, user.technician_id, order.technician_id)


def load_order(repo: OrderRepository, order_id: int, user: CurrentUser) -> ServiceOrder:
    """The aggregate, or NotFound / Refused (404 / 403)."""
    return load_visible(repo, order_id, user.actor)


def order_detail(
    session: Session, order_id: int, user: CurrentUser, *, check_visible: bool = True
) -> OrderDetail:
    """The detail; after an action the caller sees the result even if it is no longer theirs.

    The customer's phone and address are shown as core.orders.privacy decides for the caller's
    role and the order (a technician's contact ends with his visit)."""
    repo = OrderRepository(session)
    order = load_order(repo, order_id, user) if check_visible else repo.get(order_id)
    if order is None:
        raise NotFound(f"没有工单 {order_id} (there is no order {order_id})")
    row = order_row(session, order_id)
    assert row is not None
    view = contact_view(user.role, state=order.state, assigned_to_caller=(
        order.technician_id is not None and order.technician_id == user.technician_id))
    lng, lat = shown_point(view, row.lng, row.lat)
    return OrderDetail(
        **(row.model_dump() | {"lng": lng, "lat": lat}),
        platform_order_id=order.platform_order_id,
        customer_phone=shown_phone(view, order.customer_phone),
        address=shown_address(view, order.address, order.county_name),
        province=order.province,
        skills=list(order.skills),
        items=[ItemOut(sku=i.sku, name=i.name, quantity=i.quantity,
                       unit_price_fen=i.unit_price_fen) for i in order.items],
        amount_fen=order.amount_fen,
        dispatch_since=order.dispatch_since,
        grab_price_fen=order.grab_price_fen,
        appointment_start=order.appointment_start,
        appointment_end=order.appointment_end,
        parent_id=order.parent_id,
        frozen_from=OrderState(order.frozen_from) if order.frozen_from else None,
        allowed_actions=order.allowed(user.role) if visible_to(user, order) else [],
        timeline=timeline(session, order_id),
    )
