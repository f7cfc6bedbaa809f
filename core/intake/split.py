"""Split a platform order's lines into visits (one per trade) and merge keys for close arrivals.

Gifts, goods without service, virtual goods and refunded lines need no visit: they are dropped,
each with its reason `中文 (English)` (a free repair or return visit marked as a gift is kept).
Lines of trade "general" (a clothes rack, a lock) ride along on the order's main visit when there is
one, as any technician fits them; otherwise they form a visit of their own. Storage merges a
new visit into an open order with the same merge_key arriving within the client's merge window.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.intake.catalogue import GENERAL, Catalogue, CatalogueEntry, trade_label, trade_label_en
from core.intake.model import ConvertedOrder, DroppedLine, PlatformLine
from core.orders.lifecycle import ServiceType
from core.text import both

PIECES = "；"  # between the pieces of a note, each `中文 (English)`
_SALES = frozenset({ServiceType.INSTALL, ServiceType.MEASURE})


@dataclass(frozen=True)
class Visit:
    """The lines one service order is for: all of one trade (plus ride-along general lines)."""

    trade: str
    items: tuple[tuple[PlatformLine, CatalogueEntry], ...]

    @property
    def lines(self) -> tuple[PlatformLine, ...]:
        return tuple(line for line, _ in self.items)

    @property
    def value_fen(self) -> int:
        return sum(line.quantity * line.unit_price_fen for line, _ in self.items)


@dataclass(frozen=True)
class Split:
    visits: tuple[Visit, ...]
    dropped: tuple[DroppedLine, ...]
    note: str  # how the order was split, for every service order made from it


def _free_service(entry: CatalogueEntry) -> bool:
    """A repair, return visit or after-sales call: often free, yet never a gift.

    Taobao and the own shop take a line priced 0 for a gift; such a line still needs its visit.
    """
    return entry.needs_service and entry.service_type not in _SALES


def drop_reason(line: PlatformLine, entry: CatalogueEntry, *, keep_refunded: bool) -> str | None:
    """Why a line needs no visit (naming it), or None when it does."""
    name = line.name.replace(PIECES, "，")
    if entry.gift or (line.gift and not _free_service(entry)):
        return both(f"赠品「{name}」，无需上门", f'gift "{name}" needs no visit of its own')
    if entry.virtual:
        return both(f"虚拟商品「{name}」，无需上门", f'virtual goods "{name}" need no visit')
    if not entry.needs_service:
        return both(f"「{name}」无需安装服务", f'"{name}" needs no installation service')
    if line.quantity <= 0:
        return both(f"「{name}」数量为 0，无需上门", f'"{name}" has quantity 0: no visit needed')
    if line.refunded and not keep_refunded:
        return both(f"「{name}」已退款，无需上门", f'"{name}" was refunded: no visit needed')
    return None


def split_lines(lines: Iterable[PlatformLine], catalogue: Catalogue, *,
                keep_refunded: bool = False) -> Split:
    """Visits per trade (in order of first appearance) and the lines dropped, with reasons.

    keep_refunded=True keeps refunded lines in their visits (cancel and refund messages, so
    storage can find the service orders they change).
    """
    by_trade: dict[str, list[tuple[PlatformLine, CatalogueEntry]]] = {}
    dropped: list[DroppedLine] = []
    for line in lines:
        entry = catalogue.entry_for(line.sku, line.name)
        reason = drop_reason(line, entry, keep_refunded=keep_refunded)
        if reason is None:
            by_trade.setdefault(entry.trade, []).append((line, entry))
        else:
            dropped.append(DroppedLine(line, reason))
    riders = by_trade.pop(GENERAL, []) if len(by_trade) > 1 else []
    visits = [Visit(trade, tuple(items)) for trade, items in by_trade.items()]
    ride_note = ""
    if riders:
        main = max(visits, key=lambda v: v.value_fen)  # first of equals: max keeps the first
        visits[visits.index(main)] = Visit(main.trade, main.items + tuple(riders))
        names = "、".join(line.name.replace(PIECES, "，") for line, _ in riders)
        ride_note = PIECES + both(
            f"通用商品（{names}）随{trade_label(main.trade)}单一同上门",
            f"general goods ({names}) go along on the {trade_label_en(main.trade)} visit")
    return Split(tuple(visits), tuple(dropped), _note(visits, dropped) + ride_note)


def _note(visits: list[Visit], dropped: list[DroppedLine]) -> str:
    """How the order was split, then each dropped line's reason: pieces `中文 (English)`."""
    trades = "、".join(trade_label(v.trade) for v in visits)
    trades_en = ", ".join(trade_label_en(v.trade) for v in visits)
    if len(visits) > 1:
        note = both(f"1 笔订单按工种拆为 {len(visits)} 张服务单（{trades}）",
                    f"the order split by trade into {len(visits)} service orders: {trades_en}")
    elif visits:
        note = both(f"整单转为 1 张服务单（{trades}）",
                    f"the whole order makes 1 service order: {trades_en}")
    else:
        note = both("没有需要上门的商品，未生成服务单",
                    "no goods need a visit: no service order made")
    if dropped:
        many = len(dropped)
        lines = f"{many} line{'s need' if many > 1 else ' needs'} no visit"
        note += PIECES + PIECES.join([both(f"{many} 行无需上门", lines)]
                                     + [d.reason for d in dropped])
    return note


# Symbols people type between address parts (punctuation and spaces go by Unicode category).
_ADDRESS_SYMBOLS = frozenset("`~^|<>+=$")


def normalise_address(address: str) -> str:
    """An address with width, case, whitespace and punctuation differences taken out."""
    folded = unicodedata.normalize("NFKC", address).lower()  # full-width -> half-width
    return "".join(ch for ch in folded if ch not in _ADDRESS_SYMBOLS
                   and unicodedata.category(ch)[0] not in "PZC")


def normalise_phone(phone: str) -> str:
    """A phone number as digits (masks kept), without the +86 / 0086 country code."""
    folded = unicodedata.normalize("NFKC", phone)
    digits = "".join(ch for ch in folded if ch.isdigit() or ch == "*")
    for prefix in ("0086", "86"):
        # Only a mobile number (11 digits, starting with 1) is stripped of its country code.
        rest = digits.removeprefix(prefix)
        if rest != digits and len(rest) == 11 and rest.startswith("1"):
            return rest
    return digits


def merge_key(order: ConvertedOrder) -> str:
    """Phone, address and trade: service orders with the same key may merge into one."""
    phone, address = normalise_phone(order.customer_phone), normalise_address(order.address)
    return f"{phone}|{address}|{order.trade}"


def within_window(existing_at: datetime, new_at: datetime, window: timedelta) -> bool:
    """Whether an arrival at new_at is close enough to an order made at existing_at to merge."""
    if existing_at.tzinfo is None or new_at.tzinfo is None:
        raise ValueError("merge window times must be timezone-aware")
    return abs(new_at - existing_at) <= window
