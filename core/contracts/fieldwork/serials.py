"""Serial numbers on the wire: the technician's submission per unit, and an order's serials
with every earlier one (core.fieldwork.serials has the rule)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from core.contracts.fields import OptionalReason, Strict
from core.contracts.fieldwork.checkin import FlagOut
from core.fieldwork.serials import MAX_TYPED

MAX_UNITS = 10_000


class SerialIn(Strict):
    """One unit's serial as read off the nameplate (spaces and hyphens between groups are
    fine); `reason` is required when it replaces the unit's serial."""

    unit: int = Field(default=1, ge=1, le=MAX_UNITS)
    serial: str = Field(min_length=1, max_length=MAX_TYPED)
    reason: OptionalReason = ""


class SerialOut(BaseModel):
    """A serial as submitted: normalized and as typed, who and when, why it replaced another,
    and when it was itself replaced (null: in force)."""

    id: int
    unit: int
    serial: str
    typed: str
    technician_id: int | None
    submitted_at: datetime
    submitted_by: str
    reason: str | None
    replaced_at: datetime | None
    replaced_by: str | None


class OrderSerialsOut(BaseModel):
    """The order's units, the serials in force by unit, and every one ever submitted."""

    order_id: int
    units: int
    serials: list[SerialOut]
    history: list[SerialOut]


class SerialResult(BaseModel):
    """The serial stored, what it replaced, the flags it raised (the same serial in force on
    another order), and the order's serials afterwards."""

    serial: SerialOut
    replaced: SerialOut | None
    flags: list[FlagOut]
    order: OrderSerialsOut
