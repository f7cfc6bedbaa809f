"""An order's row and feed events as one caller may see them: the point at the customer's door
is exact only for those who see the customer's contact (core.orders.privacy)."""

from __future__ import annotations

from core.contracts import ChangeEvent, OrderRow
from core.orders.lifecycle import OrderState, Role
from core.orders.privacy import ContactView, contact_view, shown_point


def row_as_seen(row: OrderRow, role: Role, technician_id: int | None = None) -> OrderRow:
    assigned = technician_id is not None and row.technician_id == technician_id
    view = contact_view(role, assigned_to_caller=assigned, state=OrderState(row.state))
    if view is ContactView.FULL:
        return row
    lng, lat = shown_point(view, row.lng, row.lat)
    return row.model_copy(update={"lng": lng, "lat": lat})


def rows_as_seen(rows: list[OrderRow], role: Role,
                 technician_id: int | None = None) -> list[OrderRow]:
    return [row_as_seen(r, role, technician_id) for r in rows]


def events_as_seen(events: list[ChangeEvent], role: Role) -> list[ChangeEvent]:
    """Feed events for a desk role (the feed is the desk's)."""
    if contact_view(role) is ContactView.FULL:
        return events
    return [e.model_copy(update={"order": row_as_seen(e.order, role)}) for e in events]
