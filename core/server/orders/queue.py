"""The order queue, order intake and order detail."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from core.contracts import OrderCreate, OrderDetail, OrderPage
from core.contracts.intake import OrderOrigin
from core.errors import NotFound
from core.orders.lifecycle import OrderState
from core.server.deps import AnyUser, DbSession, DeskUser, IntakeUser, Uow
from core.server.orders.details import load_order, order_detail
from core.server.params import RowId
from core.server.problems import PROBLEM_RESPONSES, field_error
from core.server.seen import rows_as_seen
from core.services import orders as cases
from core.storage.intake.links import origin_of
from core.storage.orders.feed import max_seq
from core.storage.orders.queue import SORTS, QueueFilter, queue_page
from core.storage.orders.repository import OrderRepository

router = APIRouter(prefix="/v1/orders", tags=["orders"])
SortName = Literal[
    "created_at", "order_no", "state_changed_at", "state", "county", "platform", "customer",
    "service_type",
]
assert set(SortName.__args__) == set(SORTS)  # type: ignore[attr-defined]
Adcode = Annotated[str | None, Query(pattern=r"^\d{6}$")]


def _states(raw: str | None) -> list[str]:
    if not raw:
        return []
    states = [s.strip() for s in raw.split(",") if s.strip()]
    known = {s.value for s in OrderState}
    unknown = [s for s in states if s not in known]
    if unknown:
        raise field_error(422, ["query", "state"], f"未知的工单状态 {', '.join(unknown)} "
                                                   f"(unknown state(s): {', '.join(unknown)})")
    return states


@router.get("", response_model=OrderPage, responses=PROBLEM_RESPONSES)
def list_orders(
    session: DbSession,
    user: DeskUser,
    state: str | None = None,
    county: Adcode = None,
    city: Adcode = None,
    service_type: str | None = None,
    platform: str | None = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    open: bool | None = None,
    sort: SortName = "created_at",
    direction: Literal["desc", "asc"] = "desc",
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
) -> OrderPage:
    filters = QueueFilter(
        states=_states(state), county=county, city=city, service_type=service_type,
        platform=platform, q=q, open=open,
    )
    # Read before the page: every change after this position is at least as new as the rows.
    feed_seq = max_seq(session)
    rows, next_cursor = queue_page(session, filters, sort, direction, limit, cursor)
    return OrderPage(rows=rows_as_seen(rows, user.role), next_cursor=next_cursor,
                     feed_seq=feed_seq)


@router.post("", response_model=OrderDetail, status_code=201, responses=PROBLEM_RESPONSES)
def create_order(
    body: OrderCreate, user: IntakeUser, uow: Uow, session: DbSession,
) -> OrderDetail:
    order = cases.create_order(cases.CreateOrder(body, user.actor), uow)
    assert order.id is not None
    # Read back in the read session, not in a second write transaction (see perform_action).
    return order_detail(session, order.id, user)


@router.get("/{order_id}", response_model=OrderDetail, responses=PROBLEM_RESPONSES)
def get_order(order_id: RowId, session: DbSession, user: AnyUser) -> OrderDetail:
    return order_detail(session, order_id, user)


@router.get("/{order_id}/origin", response_model=OrderOrigin, responses=PROBLEM_RESPONSES)
def get_origin(order_id: RowId, session: DbSession, user: AnyUser) -> OrderOrigin:
    """How intake made the order (split, merge, audit, placement); 404 when it has none."""
    load_order(OrderRepository(session), order_id, user)
    origin = origin_of(session, order_id)
    if origin is None:
        raise NotFound(f"工单 {order_id} 不是经转换中心接入的 "
                       f"(order {order_id} did not come through the conversion centre)")
    return origin
