"""Virtual-number (AXB) routes: the provider's signed call-record push (no bearer token: its
signature is its credential), an order's binding and calls for the desk, and the virtual
number the order's technician dials.

The provider is the app's `state.axb`, chosen by the composition root; until create_app sets
one, the first request makes a simulated provider with a random push secret (so no push can
be signed from outside until a real provider is configured).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from core.contracts.fieldwork.appointments import (
    BindingOut,
    CallOut,
    CallPushReceipt,
    OrderCallsOut,
    VirtualNumberOut,
)
from core.orders.lifecycle import Role
from core.orders.privacy import ContactView, contact_view, shown_phone
from core.server.deps import CurrentUser, DeskUser, Uow, allow
from core.server.params import RowId
from core.server.problems import PROBLEM_RESPONSES
from core.services.fieldwork.axb import AxbProvider
from core.services.fieldwork.call_records import (
    BadPush,
    OrderCalls,
    TakeCallRecords,
    handle_order_calls,
    handle_take_call_records,
)
from core.storage.fieldwork.appointments import BOUND, PENDING, AxbBindingRecord, CallRecord

router = APIRouter(prefix="/v1", tags=["appointments"])
FieldUser = Annotated[CurrentUser, Depends(allow(Role.TECHNICIAN, Role.AGENT, Role.SUPERVISOR,
                                                 Role.ADMIN))]
SIGNED = ("x-lastmile-signature", "x-lastmile-timestamp")
# The body is read as bytes (the signature covers exactly them), so it is described here.
PUSH_BODY: dict[str, Any] = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {
        "type": "string", "format": "binary",
        "description": '{"records": [{"record_id", "binding_id", "caller_side": '
                       '"technician"|"customer", "started_at", "duration_s", "connected", '
                       '"recording"}]} (1 to 100 records)'}}}}}
_PUSH_RESPONSES: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES,
    401: PROBLEM_RESPONSES[422] | {"description": "unsigned, forged or replayed"},
}


async def app_axb(request: Request) -> AxbProvider:
    """The app's AXB provider (the composition root, create_app, chose it)."""
    provider: AxbProvider = request.app.state.axb
    return provider


Axb = Annotated[AxbProvider, Depends(app_axb)]


def _headers(request: Request) -> dict[str, str]:
    """The headers by lower-case name; a signed header sent twice is refused (which copy the
    signature saw would be a guess)."""
    names = [name.decode("latin-1").lower() for name, _ in request.headers.raw]
    for signed in SIGNED:
        if names.count(signed) > 1:
            raise BadPush(f"请求头 {signed} 重复 (header '{signed}' is given more than once)")
    return {k.lower(): v for k, v in request.headers.items()}


@router.post("/axb/call-records", response_model=CallPushReceipt, responses=_PUSH_RESPONSES,
             openapi_extra=PUSH_BODY)
async def take_call_records(request: Request, uow: Uow, axb: Axb) -> CallPushReceipt:
    """The provider's call records, signed with its push secret (X-Lastmile-Timestamp,
    X-Lastmile-Signature over timestamp.body) within 5 minutes; 401 otherwise and nothing is
    kept. A record sent again is acknowledged, not stored twice. The body is bounded before it
    is read (core.server.limits)."""
    headers = _headers(request)
    body = await request.body()
    return await run_in_threadpool(handle_take_call_records,
                                   TakeCallRecords(body, headers, axb.push_secret), uow)


def binding_out(row: AxbBindingRecord, view: ContactView) -> BindingOut:
    return BindingOut(
        id=row.id, status=row.status, virtual_number=row.virtual_number,
        technician_id=row.technician_id,
        technician_phone=shown_phone(view, row.technician_phone),
        customer_phone=shown_phone(view, row.customer_phone), record_calls=row.record_calls,
        expires_at=row.expires_at, tries=row.tries,
        next_try_at=row.next_try_at if row.status == PENDING else None,
        last_error=row.last_error, created_at=row.created_at, bound_at=row.bound_at,
        unbound_at=row.unbound_at)


def call_out(row: CallRecord) -> CallOut:
    return CallOut(id=row.id, record_id=row.record_id, caller_side=row.caller_side,
                   started_at=row.started_at, duration_s=row.duration_s,
                   connected=row.connected, recording=row.recording,
                   received_at=row.received_at)


@router.get("/orders/{order_id}/calls", response_model=OrderCallsOut,
            responses=PROBLEM_RESPONSES)
def order_calls(order_id: RowId, user: DeskUser, uow: Uow) -> OrderCallsOut:
    """The order's virtual-number binding (pending while the provider is down), every binding
    and the calls with their times and durations; phones as the caller's role may see them."""
    found = handle_order_calls(OrderCalls(order_id, user.actor), uow)
    view = contact_view(user.role, state=found.order.state)
    bindings = [binding_out(b, view) for b in found.bindings]
    live = next((b for b in bindings if b.status in (PENDING, BOUND)), None)
    return OrderCallsOut(order_id=order_id, binding=live or next(iter(bindings), None),
                         bindings=bindings, calls=[call_out(c) for c in found.calls])


@router.get("/orders/{order_id}/virtual-number", response_model=VirtualNumberOut,
            responses=PROBLEM_RESPONSES)
def virtual_number(order_id: RowId, user: FieldUser, uow: Uow) -> VirtualNumberOut:
    """The number to dial to reach the customer (the order's technician; the desk): empty and
    `pending` while the provider has not bound it yet, `none` before any binding."""
    found = handle_order_calls(OrderCalls(order_id, user.actor), uow)
    mine = [b for b in found.bindings if b.status in (PENDING, BOUND)
            and (user.role is not Role.TECHNICIAN or b.technician_id == user.technician_id)]
    if not mine:
        return VirtualNumberOut(order_id=order_id, status="none", virtual_number="",
                                expires_at=None)
    row = mine[0]
    return VirtualNumberOut(order_id=order_id, status=row.status,
                            virtual_number=row.virtual_number, expires_at=row.expires_at)
