"""Serial number routes: the technician submits each unit's serial on his order; the desk and
the technician read an order's serials with every earlier one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from core.contracts.fieldwork.checkin import FlagOut
from core.contracts.fieldwork.serials import (
    OrderSerialsOut,
    SerialIn,
    SerialOut,
    SerialResult,
)
from core.orders.lifecycle import Role
from core.server.deps import CurrentUser, Uow, allow
from core.server.params import RowId
from core.server.problems import PROBLEM_RESPONSES
from core.services.fieldwork.serials import (
    ListSerials,
    OrderSerials,
    SubmitSerial,
    handle_list_serials,
    handle_submit_serial,
)
from core.storage.fieldwork.serials import SerialRecord

router = APIRouter(prefix="/v1", tags=["serial numbers"])
Submitter = Annotated[CurrentUser, Depends(allow(Role.TECHNICIAN))]
SerialViewer = Annotated[CurrentUser, Depends(allow(Role.TECHNICIAN, Role.AGENT, Role.SUPERVISOR,
                                                    Role.ADMIN))]


def serial_out(row: SerialRecord) -> SerialOut:
    return SerialOut(id=row.id, unit=row.unit, serial=row.serial, typed=row.typed,
                     technician_id=row.technician_id, submitted_at=row.submitted_at,
                     submitted_by=row.submitted_by, reason=row.reason,
                     replaced_at=row.replaced_at, replaced_by=row.replaced_by)


def serials_out(found: OrderSerials) -> OrderSerialsOut:
    return OrderSerialsOut(order_id=found.order_id, units=found.units,
                           serials=[serial_out(r) for r in found.current],
                           history=[serial_out(r) for r in found.history])


@router.post("/orders/{order_id}/serials", response_model=SerialResult,
             responses=PROBLEM_RESPONSES)
def submit_serial(order_id: RowId, body: SerialIn, user: Submitter, uow: Uow) -> SerialResult:
    """The technician submits one unit's serial between check-in and verification (422: not a
    plausible serial, no such unit, a replacement without a reason; 409: not now). The same
    serial in force on another order is flagged, never refused."""
    done = handle_submit_serial(SubmitSerial(order_id, user.actor, body.unit, body.serial,
                                             body.reason), uow)
    return SerialResult(
        serial=serial_out(done.serial),
        replaced=serial_out(done.replaced) if done.replaced is not None else None,
        flags=[FlagOut(kind=f.kind.value, text=f.text(), detail=f.detail) for f in done.flags],
        order=serials_out(done.serials))


@router.get("/orders/{order_id}/serials", response_model=OrderSerialsOut,
            responses=PROBLEM_RESPONSES)
def list_serials(order_id: RowId, user: SerialViewer, uow: Uow) -> OrderSerialsOut:
    """The order's serials in force by unit, and every one ever submitted, oldest first."""
    return serials_out(handle_list_serials(ListSerials(order_id, user.actor), uow))
