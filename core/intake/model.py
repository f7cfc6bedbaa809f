"""What adapters produce (a platform order) and what the conversion centre makes of it.

An adapter reads one platform's structure into a `PlatformOrder`; everything after it (split and
merge, audit, placement, classification) sees only this shape, so a platform changing its format
touches one adapter module and nothing else. Money is integer fen.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from core.orders.lifecycle import ServiceType


class Intent(StrEnum):
    """What a platform message means for the service orders made from it."""

    NEW = "new"  # a new order (a re-sent one is recognised and changes nothing)
    UPDATE = "update"  # changed fields (address, phone, items) of a known order
    CANCEL = "cancel"  # the buyer or platform cancelled / closed the trade
    REFUND = "refund"  # refunded, wholly or for some lines (PlatformLine.refunded)
    URGE = "urge"  # the platform urges (催单) a known order: `urge_ref` and the words in `note`


@dataclass(frozen=True)
class PlatformLine:
    """One line of the sale as the platform sent it."""

    sku: str  # the platform's outer id / SKU code; the catalogue is keyed by it
    name: str
    quantity: int
    unit_price_fen: int  # what was paid per unit after discounts
    line_id: str = ""  # the platform's sub-order id (Taobao oid, JD skuId line, ...)
    gift: bool = False  # a free gift (赠品) as the platform marks it
    refunded: bool = False
    service_tags: tuple[str, ...] = ()  # the platform's service words for this line: 安装, 维修


@dataclass(frozen=True)
class AddressPoint:
    """The buyer address's geocode as the platform sent it: GCJ-02 (国测局坐标, the datum of
    Chinese maps and of the platforms' geocoders), longitude and latitude in degrees.

    Not WGS-84 (what a phone reports; core.fieldwork.position converts a fix before comparing)
    and not BD-09 (Baidu's). Adapters refuse a pair that is not finite and in range, so a point
    that exists is a coordinate; whether it is near the placed county is intake's decision
    (core.services.intake.steps.order_point).
    """

    lng: float
    lat: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.lng) and math.isfinite(self.lat)
                and -180.0 <= self.lng <= 180.0 and -90.0 <= self.lat <= 90.0):
            raise ValueError(f"not a coordinate: lng {self.lng!r}, lat {self.lat!r}")


@dataclass(frozen=True)
class PlatformOrder:
    """One platform order (trade, work card, service order, ERP row group) in unified terms."""

    platform: str  # adapter name: tmall, taobao, jd, suning, erp, own
    platform_order_id: str
    intent: Intent
    customer_name: str
    customer_phone: str
    address: str  # the street address as given (may or may not repeat the region names)
    province: str = ""  # the platform's structured region fields, as given
    city: str = ""
    district: str = ""
    town: str = ""
    lines: tuple[PlatformLine, ...] = ()
    paid_fen: int | None = None  # the whole order's payment, when the platform gives it
    ordered_at: datetime | None = None  # timezone-aware
    modified_at: datetime | None = None  # the platform's last change; pull cursors use it
    shop: str = ""  # seller nick / shop / brand code: selects the client whose order it is
    service_tags: tuple[str, ...] = ()  # order-level service words (work card service type)
    note: str = ""  # buyer / seller memo
    status: str = ""  # the platform's own status value, kept for the timeline
    # The sale a work card or home-service task serves (Tmall parent_biz_order_id, JD
    # saleOrderNo), as text exactly as sent; "" for a sale itself. See purchase().
    purchase_id: str = ""
    # The address's geocode (GCJ-02) when the platform sends one; None: intake places the order
    # at its county's centre, which field execution never judges a check-in against.
    point: AddressPoint | None = None
    # When the customer signed for the goods, as the platform tells it (a later update, as a
    # rule): the first-contact clock starts there (core.sla.limits BUILT_IN, goods_signed).
    goods_signed_at: datetime | None = None
    # An urge's own id on the platform (a re-sent urge joins the urge list once).
    urge_ref: str = ""

    def purchase(self) -> tuple[str, str]:
        """(platform, order id) of the purchase this order is part of: its sale, or itself.

        A trade and the work card opened for it name one purchase, so they make one service
        order whichever arrives first (core.storage.intake.purchases).
        """
        if self.purchase_id:
            return SALE_PLATFORMS.get(self.platform, self.platform), self.purchase_id
        return self.platform, self.platform_order_id

    def platform_ids(self) -> list[str]:
        """Every platform id of the order: its own, then its sale's when it names one."""
        ids = [self.platform_order_id]
        if self.purchase_id and self.purchase_id != self.platform_order_id:
            ids.append(self.purchase_id)
        return ids


# Whose ids a work card's or task's purchase_id names: Tmall cards serve the TOP trades the
# taobao adapter reads; JD tasks serve JD POP orders, read by the jd adapter itself.
SALE_PLATFORMS = {"tmall": "taobao"}


@dataclass(frozen=True)
class RawRecord:
    """One record cut out of a payload's envelope, before it is parsed.

    `text` is the record's own raw text (kept in the dead-letter store when it cannot be used);
    `data` is its decoded form (a dict for JSON, a list of row dicts for a CSV order).
    """

    index: int
    text: str
    data: Any
    key: str = ""  # the platform order id when the envelope shows it, for messages


@dataclass(frozen=True)
class SignedRequest:
    """What a webhook's signature is computed over."""

    query: Mapping[str, str]
    headers: Mapping[str, str]  # lower-case names
    body: bytes


@dataclass(frozen=True)
class Placement:
    """Where an address is: a county (NBS 2023 adcode) and a coordinate, or nowhere."""

    adcode: str | None  # county adcode, None when the address could not be placed
    province: str = ""
    city: str = ""
    county: str = ""
    lng: float | None = None
    lat: float | None = None
    confidence: float = 0.0  # 0..1
    method: str = "unplaced"  # structured | text | hints | unplaced
    note: str = ""  # why, for the timeline: "朝阳区 is in 北京 and 长春; 北京 given as city"


@dataclass(frozen=True)
class DroppedLine:
    """A line that needs no visit, and why (gift, goods without service, virtual goods)."""

    line: PlatformLine
    reason: str


@dataclass(frozen=True)
class AuditFlag:
    """One reason to think an order may be fake (刷单), with how much it weighs (0-100)."""

    code: str  # token_price, phone_many_addresses, unplaceable, blacklisted, virtual_goods, ...
    reason: str
    score: int


class AuditDecision(StrEnum):
    PASS = "pass"
    REVIEW = "review"


@dataclass(frozen=True)
class AuditVerdict:
    decision: AuditDecision
    score: int  # sum of the flags' scores, capped at 100
    flags: tuple[AuditFlag, ...] = ()


@dataclass(frozen=True)
class ConvertedOrder:
    """One unified service order the centre made from (part of) a platform order."""

    platform: str
    platform_order_id: str
    trade: str  # the catalogue's trade (aircon, kitchen, ...): one service order per trade
    intent: Intent
    customer_name: str
    customer_phone: str
    address: str
    placement: Placement
    service_type: ServiceType | None
    skills: tuple[str, ...]
    lines: tuple[PlatformLine, ...]  # the lines this visit is for
    audit: AuditVerdict
    covered: bool | None = None  # None: coverage not checked (no policy given)
    shop: str = ""
    ordered_at: datetime | None = None
    split_note: str = ""  # how the platform order was split, e.g. "1 笔订单按工种拆为 2 张服务单"
    classify_note: str = ""  # why this service type and these skills
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Conversion:
    """Everything one platform order became: service orders, and the lines left out."""

    source: PlatformOrder
    orders: tuple[ConvertedOrder, ...]
    dropped: tuple[DroppedLine, ...] = ()
