"""Lifecycle actions on an order: ActionRequest -> a typed command -> its handler."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from core.contracts import ActionRequest, OrderDetail
from core.orders import commands as c
from core.orders.model import ServiceOrder
from core.server.deps import AnyUser, CurrentUser, DbSession, Uow
from core.server.orders.details import order_detail
from core.server.params import RowId
from core.server.problems import PROBLEM_RESPONSES
from core.services import orders as cases
from core.services.assign import AssignOrder, assign_order
from core.services.orders import OpenAfterSales, PerformAction

router = APIRouter(prefix="/v1/orders", tags=["actions"])
_ARG_FIELDS = ("technician_id", "mode", "county_adcode", "service_type", "skills", "start", "end",
               "code", "tags")


def _command(body: ActionRequest) -> c.Command:
    """The action's command from the fields the client set (unknown or unexpected: 422)."""
    # Refused with their own route named before their arguments are asked.
    if body.action in (c.Claim.action, c.CannotComplete.action):
        cases.not_taken_here(body.action)
    args: dict[str, Any] = {
        f: getattr(body, f) for f in _ARG_FIELDS if getattr(body, f) is not None
    }
    if "grab_price_fen" in body.model_fields_set:
        args["grab_price_fen"] = body.grab_price_fen
    return c.command_for(body.action, args)


def _handle(order_id: int, body: ActionRequest, user: CurrentUser,
            uow: Uow) -> tuple[ServiceOrder, int]:
    """(the order to answer with, the status)."""
    if body.action == c.AfterSales.action:  # answers with the new order
        return cases.open_after_sales(
            OpenAfterSales(order_id, body.version, user.actor, body.reason), uow), 201
    command = _command(body)
    if isinstance(command, c.Assign):
        return assign_order(AssignOrder(
            order_id, body.version, user.actor, body.reason,
            technician_id=command.technician_id, pinned=body.pinned,
        ), uow).order, 200
    return cases.perform_action(
        PerformAction(order_id, body.version, command, user.actor, body.reason), uow), 200


@router.post("/{order_id}/actions", response_model=OrderDetail,
             responses={**PROBLEM_RESPONSES, 409: PROBLEM_RESPONSES[422] | {"description":
                        "the order changed meanwhile; current_version says to what"}})
def perform_action(
    order_id: RowId, body: ActionRequest, user: AnyUser, uow: Uow, session: DbSession,
    response: Response,
) -> OrderDetail:
    """Apply one action; `after_sales` answers 201 with the NEW after-sales order."""
    result, response.status_code = _handle(order_id, body, user, uow)
    assert result.id is not None
    # Read back outside the unit of work, in the request's read session: the write session
    # would start a new write transaction (BEGIN IMMEDIATE on SQLite, the database write lock)
    # just to read. The read session has not begun yet, so it sees the commit.
    return order_detail(session, result.id, user, check_visible=False)
