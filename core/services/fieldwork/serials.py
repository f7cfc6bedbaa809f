"""Serial numbers: the order's technician submits the appliance's serial per unit (the order's
items' quantities, as photos count them) between check-in and verification.

The rule (core.fieldwork.serials) normalizes and refuses what cannot be a serial (422). A unit
that already has one is replaced only with a reason: the old row stays, marked replaced with
who and when (core.storage.fieldwork.serials). The same serial in force on another order is
flagged (SERIAL_REUSED) in the same transaction, never refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import Conflict, Invalid, Refused
from core.fieldwork import serials as rule
from core.fieldwork.flags import Flag, FlagKind
from core.orders.lifecycle import OrderState, Role
from core.orders.model import Actor
from core.services.fieldwork.photos import units_of
from core.services.orders import load_visible
from core.storage.audited import Audit
from core.storage.fieldwork import serials as stored
from core.storage.fieldwork.flags import add_flags
from core.storage.fieldwork.photos import lock_order
from core.storage.fieldwork.serials import SerialRecord
from core.storage.orders.repository import OrderRepository
from core.storage.uow import UnitOfWork

# Read off the nameplate at the visit: after the check-in, until the desk has verified it.
SUBMIT_STATES = frozenset({OrderState.CHECKED_IN, OrderState.SERVED})


@dataclass(frozen=True)
class SubmitSerial:
    """The serial of one unit (1 to the order's units), as typed; `reason` when it replaces
    the unit's serial."""

    order_id: int
    actor: Actor
    unit: int
    serial: str
    reason: str = ""


@dataclass(frozen=True)
class ListSerials:
    order_id: int
    actor: Actor


@dataclass(frozen=True)
class OrderSerials:
    """The serials in force (by unit) and every one ever submitted (oldest first)."""

    order_id: int
    units: int
    current: list[SerialRecord]
    history: list[SerialRecord]


@dataclass(frozen=True)
class Submitted:
    serial: SerialRecord
    replaced: SerialRecord | None
    flags: list[Flag]
    serials: OrderSerials


def serial_units(units: int) -> int:
    """The units that take a serial: an order without items still has its one appliance."""
    return max(1, units)


def handle_submit_serial(cmd: SubmitSerial, uow: UnitOfWork) -> Submitted:
    """Store the unit's serial (its flag with it). BadSerial 422, Invalid 422 (no such unit,
    the same serial as another unit, a replacement without a reason), Refused 403 (not the
    technician, or not his order), NotFound 404, Conflict 409 (not between check-in and
    verification)."""
    if cmd.actor.role is not Role.TECHNICIAN:
        raise Refused("序列号只能由工单的师傅提交 (serial numbers are submitted by the "
                      "order's technician)")
    serial = rule.check(cmd.serial)
    now = uow.clock.now()
    with uow:
        lock_order(uow.session, cmd.order_id)
        order = load_visible(uow.orders, cmd.order_id, cmd.actor)
        if order.state not in SUBMIT_STATES:
            raise Conflict(f"工单 {cmd.order_id} 当前为 {order.state.value}，签到后、审核前才能"
                           f"提交序列号 (order {cmd.order_id} is {order.state.value}: serial "
                           f"numbers are submitted between check-in and verification)")
        units = serial_units(units_of(order))
        if not 1 <= cmd.unit <= units:
            raise Invalid(f"工单共 {units} 台，没有第 {cmd.unit} 台 (the order has {units} "
                          f"units: there is no unit {cmd.unit})", loc=("body", "unit"))
        current = {r.unit: r for r in stored.current_serials(uow.session, cmd.order_id)}
        twin = next((u for u, r in current.items() if r.serial == serial and u != cmd.unit),
                    None)
        if twin is not None:
            raise Invalid(f"与第 {twin} 台的序列号相同 (the same serial as unit {twin})",
                          loc=("body", "serial"))
        before = current.get(cmd.unit)
        if before is not None and before.serial == serial:  # a retry: nothing new
            uow.commit()
            return Submitted(before, None, [], _listed(uow, cmd.order_id, units))
        reason = (Audit.of(cmd.actor.name, now, cmd.reason).reason if before is not None
                  else cmd.reason.strip() or None)
        row = SerialRecord(order_id=cmd.order_id, unit=cmd.unit, serial=serial,
                           typed=cmd.serial[:rule.MAX_TYPED], technician_id=cmd.actor.technician_id,
                           submitted_at=now, submitted_by=cmd.actor.name, reason=reason)
        replaced = stored.replace(uow.session, cmd.order_id, cmd.unit, row)
        others = stored.orders_with_serial(uow.session, serial, cmd.order_id)
        flags = ([Flag(FlagKind.SERIAL_REUSED, {"serial": serial, "unit": cmd.unit,
                                                "other_order_ids": others})] if others else [])
        add_flags(uow.session, cmd.order_id, cmd.actor.technician_id, flags, now, cmd.actor.name)
        uow.commit()
    return Submitted(row, replaced, flags, _listed(uow, cmd.order_id, units))


def _listed(uow: UnitOfWork, order_id: int, units: int) -> OrderSerials:
    with uow.reads() as session:
        return OrderSerials(order_id, units, stored.current_serials(session, order_id),
                            stored.history_of(session, order_id))


def handle_list_serials(cmd: ListSerials, uow: UnitOfWork) -> OrderSerials:
    """The order's serials (NotFound 404; Refused 403 for a technician not on the order)."""
    with uow.reads() as session:
        order = load_visible(OrderRepository(session), cmd.order_id, cmd.actor)
        units = serial_units(units_of(order))
    return _listed(uow, cmd.order_id, units)
