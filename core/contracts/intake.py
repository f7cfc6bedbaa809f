"""The conversion centre on the wire: receipts, dead letters, the review queue, file import."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator

from core.contracts.fields import MULTILINE, OptionalReason, Reason
from core.contracts.orders import ItemOut, OrderRow, Strict
from core.intake.model import Conversion, Placement
from core.orders.lifecycle import ServiceType


class Channel(StrEnum):
    WEBHOOK = "webhook"
    POLL = "poll"
    FILE = "file"
    RETRY = "retry"


class MessageStatus(StrEnum):
    CONVERTED = "converted"  # became (or changed) service orders
    REFUSED = "refused"  # understood, but not taken: outside coverage, update of an unknown order
    DEAD = "dead"  # could not be converted: waits for an agent to fix and retry, or discard
    RETRIED = "retried"  # a dead letter fixed and sent again (see retried_as)
    DISCARDED = "discarded"  # a dead letter an agent threw away, with the reason


class Outcome(StrEnum):
    CREATED = "created"
    MERGED = "merged"  # joined an existing service order of the same trade, customer, address
    UPDATED = "updated"
    CANCELLED = "cancelled"
    DUPLICATE = "duplicate"  # re-sent, nothing changed
    REVIEW = "review"  # created, waiting in the audit review queue
    REFUSED = "refused"
    DEAD = "dead"


class PlatformOut(BaseModel):
    """A platform the centre has an adapter for."""

    name: str  # tmall, taobao, jd, suning, erp, own
    label: str  # shown to agents: 天猫服务工单, ...
    content_types: list[str]


class RecordOutcome(BaseModel):
    """What happened to one record (platform order) of a payload."""

    index: int
    platform_order_id: str
    outcome: Outcome
    order_ids: list[int] = Field(default_factory=list)
    message_id: int | None = None  # the stored message, dead letters included
    field: str = ""
    reason: str = ""


class IntakeReceipt(BaseModel):
    """The answer to a webhook, a poll or a file import."""

    platform: str
    received: int
    outcomes: list[RecordOutcome]


class IntakeMessageOut(BaseModel):
    """One stored record as it arrived, with what became of it (dead letters are these)."""

    id: int
    platform: str
    channel: Channel
    platform_order_id: str
    received_at: datetime
    status: MessageStatus
    field: str
    reason: str
    content_type: str
    payload: str
    order_ids: list[int]
    retried_as: int | None
    resolved_by: str
    resolved_at: datetime | None
    resolution: str


class IntakeMessagePage(BaseModel):
    rows: list[IntakeMessageOut]
    next_cursor: str | None


class RetryRequest(Strict):
    """Send a dead letter again, as it was or with the agent's fix to its raw text."""

    payload: Annotated[str | None, Field(default=None, max_length=1_000_000), MULTILINE] = None


class DiscardRequest(Strict):
    reason: Reason


class AuditFlagOut(BaseModel):
    code: str
    reason: str
    score: int


class DroppedLineOut(BaseModel):
    sku: str
    name: str
    quantity: int
    reason: str


class PlacementOut(BaseModel):
    adcode: str | None
    province: str
    city: str
    county: str
    lng: float | None
    lat: float | None
    confidence: float
    method: str
    note: str


class ConvertedOrderOut(BaseModel):
    """A unified service order as the centre made it (CLI output, import preview)."""

    platform: str
    platform_order_id: str
    trade: str
    intent: str
    customer_name: str
    customer_phone: str
    address: str
    placement: PlacementOut
    service_type: ServiceType | None
    skills: list[str]
    items: list[ItemOut]
    dropped: list[DroppedLineOut]
    audit_decision: str
    audit_score: int
    audit_flags: list[AuditFlagOut]
    covered: bool | None
    split_note: str
    classify_note: str


class PreviewRow(BaseModel):
    """One record of an import file: what it would become, or its problem."""

    index: int
    platform_order_id: str
    ok: bool
    field: str = ""
    problem: str = ""
    orders: list[ConvertedOrderOut] = Field(default_factory=list)


class ImportPreview(BaseModel):
    platform: str
    filename: str
    rows: list[PreviewRow]
    ok_count: int
    problem_count: int


class ReviewItem(BaseModel):
    """An order waiting for an agent to decide whether it is real (audit review queue)."""

    order: OrderRow
    customer_phone: str
    address: str
    amount_fen: int
    score: int
    flags: list[AuditFlagOut]
    platform_order_id: str


class ReviewPage(BaseModel):
    rows: list[ReviewItem]
    total: int


class ReviewDecision(Strict):
    approve: bool
    version: int = Field(ge=1)
    reason: OptionalReason = ""


class PlatformArrivals(BaseModel):
    """Arrivals of one platform since a time, by what became of them."""

    platform: str
    label: str
    received: int
    converted: int
    review: int
    refused: int
    dead: int
    last_at: datetime | None


class ArrivalStats(BaseModel):
    since: datetime
    platforms: list[PlatformArrivals]


class CoverageGap(BaseModel):
    """Orders accepted in a county the network does not cover yet."""

    county_adcode: str
    county_name: str
    city: str
    orders: int
    last_at: datetime


class OrderOrigin(BaseModel):
    """How an order came to be: platform orders, split and merge, audit, placement, standard."""

    platform_order_ids: list[str]
    trade: str
    split_note: str
    merged_from: list[str]
    dropped: list[DroppedLineOut]
    audit_score: int
    audit_flags: list[AuditFlagOut]
    audit_decision: str
    placement: PlacementOut | None
    covered: bool | None
    classify_note: str
    region_standard: dict[str, int | str] | None


class ClientPolicyOut(BaseModel):
    """A client (brand or shop) and how its orders are taken in."""

    code: str
    name: str
    shops: list[str]
    audit_mode: Literal["auto_pass", "manual"]
    coverage_mode: Literal["accept_all", "covered_only"]
    merge_window_minutes: int
    review_threshold: int
    version: int
    updated_by: str
    updated_at: datetime | None


class ClientPolicyUpdate(Strict):
    """A supervisor's change of a client's policy, based on the version they saw, with why."""

    version: int = Field(ge=1)
    reason: Reason
    audit_mode: Literal["auto_pass", "manual"]
    coverage_mode: Literal["accept_all", "covered_only"]
    merge_window_minutes: int = Field(ge=0, le=1440)
    review_threshold: int = Field(ge=1, le=100)


class BlacklistEntryOut(BaseModel):
    """A phone or address known for fake orders; removed entries are kept, marked inactive."""

    id: int
    phone: str
    address: str
    reason: str
    created_by: str
    created_at: datetime
    active: bool
    removed_by: str
    removed_at: datetime | None
    removed_reason: str


class BlacklistEntryIn(Strict):
    phone: str = Field(default="", max_length=32)
    address: str = Field(default="", max_length=500)
    reason: Reason

    @model_validator(mode="after")
    def _phone_or_address(self) -> BlacklistEntryIn:
        if not self.phone.strip() and not self.address.strip():
            raise ValueError("请填写电话或地址 (give a phone or an address)")
        return self


class BlacklistRemoval(Strict):
    reason: Reason


class SettingsChangeOut(BaseModel):
    """One change of intake settings (a client's policy, the blacklist): who, when, why."""

    id: int
    at: datetime
    actor: str
    subject: str  # client:<code> | blacklist:<id>
    reason: str
    before: dict[str, Any]
    after: dict[str, Any]


# -- from the conversion centre's plain data to the wire (the rules never import this module)

def placement_out(placement: Placement) -> PlacementOut:
    return PlacementOut(
        adcode=placement.adcode, province=placement.province, city=placement.city,
        county=placement.county, lng=placement.lng, lat=placement.lat,
        confidence=placement.confidence, method=placement.method, note=placement.note)


def dropped_out(conversion: Conversion) -> list[DroppedLineOut]:
    return [DroppedLineOut(sku=d.line.sku, name=d.line.name, quantity=d.line.quantity,
                           reason=d.reason) for d in conversion.dropped]


def to_wire(conversion: Conversion) -> list[ConvertedOrderOut]:
    """The conversion's service orders as the CLI and the import preview show them."""
    dropped = dropped_out(conversion)
    return [
        ConvertedOrderOut(
            platform=o.platform,
            platform_order_id=o.platform_order_id,
            trade=o.trade,
            intent=o.intent.value,
            customer_name=o.customer_name,
            customer_phone=o.customer_phone,
            address=o.address,
            placement=placement_out(o.placement),
            service_type=o.service_type,
            skills=list(o.skills),
            items=[ItemOut(sku=line.sku, name=line.name, quantity=line.quantity,
                           unit_price_fen=line.unit_price_fen) for line in o.lines],
            dropped=list(dropped),
            audit_decision=o.audit.decision.value,
            audit_score=o.audit.score,
            audit_flags=[AuditFlagOut(code=f.code, reason=f.reason, score=f.score)
                         for f in o.audit.flags],
            covered=o.covered,
            split_note=o.split_note,
            classify_note=o.classify_note,
        )
        for o in conversion.orders
    ]
