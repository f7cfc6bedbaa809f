"""Demo arrivals as the platforms send them: signed webhooks, ERP files, now and then a flaw.

The simulator posts these to `/v1/intake/{platform}` (or drops ERP files in the inbox folder),
so demo orders take the same road as real ones: adapters, split/merge, audit, placement.
A small share is deliberately imperfect, as real traffic is: re-sent orders, address changes,
cancellations, a Tmall buyer's urge (催单) or signing for the goods, and payloads missing a
field, which end up as dead letters for the agents.
"""

from __future__ import annotations

import importlib
import random
from collections import deque
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from types import ModuleType

from core.contracts import OrderCreate
from core.demo.clock import SHANGHAI, orders_come
from core.intake.model import AddressPoint, Intent, PlatformLine, PlatformOrder, SignedRequest
from core.orders.lifecycle import ServiceType

SERVICE_TAGS = {
    ServiceType.INSTALL: "安装",
    ServiceType.REPAIR: "维修",
    ServiceType.MEASURE: "测量",
    ServiceType.RETURN_VISIT: "回访",
    ServiceType.AFTER_SALES: "售后",
}
# How often an arrival is not a plain new order (the rest are).
RESEND_SHARE = 0.03
UPDATE_SHARE = 0.02
CANCEL_SHARE = 0.02
FLAWED_SHARE = 0.03
GIFT_SHARE = 0.1
# Of the updates to a Tmall work card, how many are instead the buyer urging it (催单); the
# others now also tell when the goods were signed for (gmtSign). Drawn from a stream of their
# own, so the orders and flaws a seed makes stay as they were.
URGE_SHARE = 0.5
SIGNED_BEFORE = timedelta(hours=2)
RECENT = 50


def demo_secret(platform: str) -> str:
    """The webhook secret the demo seed configures for a platform."""
    return f"demo-{platform}-secret"


def renderer(platform: str) -> ModuleType:
    return importlib.import_module(f"core.demo.platforms.{platform}")


def platform_order(create: OrderCreate, at: datetime, rng: random.Random) -> PlatformOrder:
    """A demo order as a platform would have it: region names split out, service words."""
    province, city, district, street = _address_parts(create)
    pid = create.platform_order_id
    lines = [PlatformLine(sku=i.sku, name=i.name, quantity=i.quantity,
                          unit_price_fen=i.unit_price_fen, line_id=f"{pid}-{n}")
             for n, i in enumerate(create.items, start=1)]
    if rng.random() < GIFT_SHARE:
        lines.append(PlatformLine(sku="GIFT-CLEANER", name="赠品：空调清洗剂", quantity=1,
                                  unit_price_fen=0, line_id=f"{create.platform_order_id}-g",
                                  gift=True))
    tags = (SERVICE_TAGS[create.service_type],) if create.service_type else ()
    return PlatformOrder(
        platform=create.platform, platform_order_id=create.platform_order_id,
        intent=Intent.NEW, customer_name=create.customer_name,
        customer_phone=create.customer_phone, address=street, province=province, city=city,
        district=district, lines=tuple(lines),
        paid_fen=sum(i.quantity * i.unit_price_fen for i in create.items),
        ordered_at=at, modified_at=at, shop=f"demo-{create.platform}", service_tags=tags,
        # The scattered address point (core.demo.dataset.scatter), for the renderers whose
        # platform sends a geocode with an order (only the own shop's format does).
        point=(AddressPoint(create.lng, create.lat)
               if create.lng is not None and create.lat is not None else None),
    )


def _address_parts(create: OrderCreate) -> tuple[str, str, str, str]:
    """Province, city, district and the rest of a demo address (which starts with the names)."""
    rest = create.address
    names = []
    for name in (create.province, create.city):
        if name and rest.startswith(name):
            rest = rest[len(name):]
        names.append(name)
    district = ""
    for suffix in ("区", "县", "市", "旗"):
        cut = rest.find(suffix)
        if 0 < cut <= 8:
            district, rest = rest[: cut + 1], rest[cut + 1:]
            break
    return names[0], names[1], district, rest


@dataclass(frozen=True)
class Arrival:
    """One webhook call: where it goes, what it carries, and what kind of arrival it is."""

    platform: str
    kind: str  # new, resend, update, urge, cancel, flawed
    request: SignedRequest
    content_type: str
    platform_order_id: str


class ArrivalStream:
    """Turns the demo's new orders into platform webhooks, with a realistic share of flaws."""

    def __init__(self, seed: int = 7) -> None:
        self._rng = random.Random(seed)
        self._urges = random.Random(seed + 1)
        self._recent: deque[PlatformOrder] = deque(maxlen=RECENT)

    def arrival(self, create: OrderCreate, now: datetime) -> Arrival:
        rng = self._rng
        roll = rng.random()
        order = platform_order(create, now, rng)
        kind = "new"
        if self._recent and roll < RESEND_SHARE:
            order, kind = rng.choice(self._recent), "resend"
        elif self._recent and roll < RESEND_SHARE + UPDATE_SHARE:
            old = rng.choice(self._recent)
            order = replace(old, intent=Intent.UPDATE, modified_at=now,
                            address=old.address + "（地址已更正）", note="买家修改收货地址")
            kind = "update"
            if old.platform == "tmall":
                order, kind = self._tmall_word(order, now)
        elif self._recent and roll < RESEND_SHARE + UPDATE_SHARE + CANCEL_SHARE:
            old = self._recent.popleft()
            order = replace(old, intent=Intent.CANCEL, modified_at=now, note="买家取消订单")
            kind = "cancel"
        elif roll < RESEND_SHARE + UPDATE_SHARE + CANCEL_SHARE + FLAWED_SHARE:
            # A platform that sent the order without the customer's phone: a dead letter.
            order, kind = replace(order, customer_phone=""), "flawed"
        else:
            self._recent.append(order)
        return self.signed(order, now, kind)

    def _tmall_word(self, update: PlatformOrder, now: datetime) -> tuple[PlatformOrder, str]:
        """A Tmall card's later word: the buyer's urge, or the update with the signing time."""
        if self._urges.random() < URGE_SHARE:
            ref = f"U{update.platform_order_id}-{int(now.timestamp())}"
            return replace(update, intent=Intent.URGE, urge_ref=ref[:64],
                           note="买家催单：师傅什么时候上门？"), "urge"
        return replace(update, goods_signed_at=now - SIGNED_BEFORE), "update"

    def signed(self, order: PlatformOrder, now: datetime, kind: str = "new") -> Arrival:
        module = renderer(order.platform)
        body, content_type = module.render([order])
        request = module.signed(body, demo_secret(order.platform), now)
        return Arrival(order.platform, kind, request, content_type, order.platform_order_id)


def day_arrivals(n: int, start: datetime, rng: random.Random,
                 length: timedelta = timedelta(days=1)) -> list[datetime]:
    """`n` arrival times in [start, start + length), in order: by day as often as the demo's
    backlog has them, few at night."""
    times: list[datetime] = []
    while len(times) < n:
        at = start + length * rng.random()
        if orders_come(at, rng):
            times.append(at)
    return sorted(times)


def drop_export(inbox: Path, arrival: Arrival, now: datetime) -> Path:
    """Writes an ERP arrival as an export file, renamed into place so no half file is read."""
    suffix = ".csv" if arrival.content_type.startswith("text/csv") else ".json"
    stamp = now.astimezone(SHANGHAI).strftime("%Y%m%d-%H%M%S-%f")
    target = inbox / f"erp-{stamp}-{arrival.platform_order_id}{suffix}"
    partial = target.with_name("." + target.name + ".part")
    partial.write_bytes(arrival.request.body)
    partial.replace(target)
    return target
