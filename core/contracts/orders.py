"""Orders on the wire: queue rows, detail with timeline, actions, the change feed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from core.contracts.fields import MAX_SKILLS, Name, OptionalReason, Tag
from core.contracts.fields import Strict as Strict  # dispatch's and intake's requests use it
from core.intake.adapters.own_format import OwnShopItem, OwnShopOrder
from core.orders.lifecycle import OrderState, ServiceType

# One line of a new order: the own shop's item format (core.intake.adapters.own_format).
ItemIn = OwnShopItem


class OrderCreate(Strict, OwnShopOrder):
    """A unified order as the own shop (and later every platform adapter) delivers it: the own
    shop's record format itself, so manual entry and the own shop cannot drift apart."""


class ItemOut(BaseModel):
    sku: str
    name: str
    quantity: int
    unit_price_fen: int


class OrderRow(BaseModel):
    """One line of the queue: what a console needs to show and filter an order."""

    id: int
    order_no: str
    platform: str
    customer_name: str
    county_adcode: str | None
    county_name: str
    city: str
    service_type: ServiceType | None
    state: OrderState
    technician_id: int | None
    technician_name: str
    lng: float | None
    lat: float | None
    version: int
    created_at: datetime
    state_changed_at: datetime
    # Dispatch facts (defaults keep rows cached by older consoles readable).
    dispatch_mode: str | None = None
    dispatch_note: str = ""
    dispatch_pinned: bool = False
    tags: list[str] = Field(default_factory=list)
    accept_by: datetime | None = None


class OrderPage(BaseModel):
    rows: list[OrderRow]
    next_cursor: str | None
    # The change-feed position the page is at least as new as: apply changes after it.
    feed_seq: int


class TimelineEntry(BaseModel):
    seq: int
    kind: str
    from_state: OrderState | None
    to_state: OrderState
    actor: str
    actor_role: str
    reason: str
    at: datetime
    version: int
    data: dict[str, Any]


class OrderDetail(OrderRow):
    platform_order_id: str
    customer_phone: str
    address: str
    province: str
    skills: list[str]
    items: list[ItemOut]
    amount_fen: int
    dispatch_since: datetime | None = None
    grab_price_fen: int | None = None
    appointment_start: datetime | None
    appointment_end: datetime | None
    parent_id: int | None
    frozen_from: OrderState | None
    allowed_actions: list[str]
    timeline: list[TimelineEntry]


class ActionRequest(Strict):
    """A lifecycle action on an order, based on the version the client has seen."""

    action: str = Field(min_length=1, max_length=32)
    version: int = Field(ge=1)
    reason: OptionalReason = ""
    technician_id: int | None = None
    mode: str | None = Field(default=None, max_length=32)
    county_adcode: str | None = Field(default=None, pattern=r"^\d{6}$")
    service_type: ServiceType | None = None
    skills: list[Name] | None = Field(default=None, max_length=MAX_SKILLS)
    start: datetime | None = None
    end: datetime | None = None
    # assign: pin it (a person's assignment is pinned unless they say otherwise).
    pinned: bool | None = None
    # refuse / withdraw: why, as a code (core.orders.lifecycle.RefusalCode).
    code: str | None = Field(default=None, max_length=32)
    # mark: the order's tags (replacing them) and/or its grab price in fen (null clears it).
    tags: list[Tag] | None = Field(default=None, max_length=10)
    grab_price_fen: int | None = Field(default=None, ge=0, le=100_000_000)


class ChangeEvent(TimelineEntry):
    """A timeline entry on the feed, with the order's queue row after the change."""

    order_id: int
    order: OrderRow


class ChangePage(BaseModel):
    events: list[ChangeEvent]
    last_seq: int
