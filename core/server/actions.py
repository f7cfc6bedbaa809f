"""Lifecycle actions on an order: ActionRequest -> ServiceOrder.perform / open_after_sales."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Response
from sqlalchemy.orm import Session

from core.contracts import ActionRequest, OrderDetail
from core.orders.errors import StaleVersion
from core.orders.model import ServiceOrder
from core.server.deps import AnyUser, CurrentUser, DbSession, Now, Uow
from core.server.details import load_order, order_detail
from core.server.orders import check_county
from core.server.params import RowId
from core.server.problems import PROBLEM_RESPONSES, field_error
from core.sla.deadlines import reply_due
from core.storage.dispatch_policies import effective_for
from core.storage.intake import county_name
from core.storage.numbers import next_order_numbers
from core.storage.people import technician
from core.storage.uow import UnitOfWork

router = APIRouter(prefix="/v1/orders", tags=["actions"])
_ARG_FIELDS = ("technician_id", "mode", "county_adcode", "service_type", "skills", "start", "end",
               "code", "tags")
# Claims go through the grab pool, whose conditional update lets exactly one technician win.
_NOT_HERE = {"claim": "claim an order through POST /v1/grab/offers/{order_id}/claim"}


def _arguments(session: Session, body: ActionRequest, order: ServiceOrder,
               now: datetime) -> dict[str, Any]:
    """The action's arguments for the aggregate: only the fields the client set, resolved."""
    if body.action in _NOT_HERE:
        raise field_error(422, ["body", "action"], _NOT_HERE[body.action])
    args: dict[str, Any] = {
        f: getattr(body, f) for f in _ARG_FIELDS if getattr(body, f) is not None
    }
    if "grab_price_fen" in body.model_fields_set:
        args["grab_price_fen"] = body.grab_price_fen
    if "service_type" in args:
        args["service_type"] = args["service_type"].value
    if "county_adcode" in args:
        check_county(args["county_adcode"], ["body", "county_adcode"])
        if body.action == "place":
            args["county_name"] = county_name(args["county_adcode"])
    if body.action == "assign" and "technician_id" in args:
        found = technician(session, args["technician_id"])
        if found is None or not found.record.active:
            raise field_error(422, ["body", "technician_id"],
                              f"there is no active technician {args['technician_id']}")
        args["technician_name"] = found.record.name
        # A person's choice is pinned (automatic dispatch never undoes it) unless they say not.
        args["pinned"] = True if body.pinned is None else body.pinned
        policy = effective_for(session, order.county_adcode).policy
        args["accept_by"] = reply_due(now, policy.accept_minutes)
    return args


def _after_sales(uow: UnitOfWork, order: ServiceOrder, body: ActionRequest,
                 user: CurrentUser, now: datetime) -> ServiceOrder:
    (number,) = next_order_numbers(uow.session, now)
    child = order.open_after_sales(user.actor, now, body.reason, number)
    # A second after-sales request on the same order needs its own platform reference.
    base, n = child.platform_order_id, 1
    while uow.orders.exists(child.platform, child.platform_order_id):
        n += 1
        child.platform_order_id = f"{base}{n}"
    uow.orders.save(order)
    uow.orders.add(child)
    return child


@router.post("/{order_id}/actions", response_model=OrderDetail,
             responses={**PROBLEM_RESPONSES, 409: PROBLEM_RESPONSES[422] | {"description":
                        "the order changed meanwhile; current_version says to what"}})
def perform_action(
    order_id: RowId, body: ActionRequest, user: AnyUser, uow: Uow, session: DbSession,
    response: Response, now: Now,
) -> OrderDetail:
    """Apply one action; `after_sales` answers 201 with the NEW after-sales order."""
    with uow:
        order = load_order(uow.orders, order_id, user)
        if body.version != order.version:
            raise StaleVersion(order_id, body.version, order.version)
        if body.action == "after_sales":
            result = _after_sales(uow, order, body, user, now)
            response.status_code = 201
        else:
            args = _arguments(uow.session, body, order, now)
            order.perform(body.action, user.actor, now, body.reason, **args)
            uow.orders.save(order)
            result = order
        uow.commit()
    assert result.id is not None
    # Read back outside the unit of work, in the request's read session: the write session
    # would start a new write transaction (BEGIN IMMEDIATE on SQLite, the database write lock)
    # just to read. The read session has not begun yet, so it sees the commit.
    return order_detail(session, result.id, user, check_visible=False)
