"""Audit rules for fake orders (刷单): each flag has a reason in Chinese and a score.

A verdict sums the scores of one service order's flags (capped at 100) and decides by the
client's policy: "manual" reviews every order, "auto_pass" only those at or above the
threshold. What the audit knows about earlier orders comes through an AuditContext (storage
implements it; NO_HISTORY knows nothing).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from core.intake.catalogue import CatalogueEntry
from core.intake.model import (
    AuditDecision,
    AuditFlag,
    AuditVerdict,
    Placement,
    PlatformLine,
    PlatformOrder,
)
from core.intake.policy import ClientPolicy
from core.orders.lifecycle import ServiceType
from core.text import both, with_words

SALES = frozenset({ServiceType.INSTALL, ServiceType.MEASURE})  # visits that follow a purchase
TOKEN_FEN = 100  # paying less than one yuan for goods that need a visit is no real purchase
BELOW_LIST_SHARE = 10  # a unit paid at under a tenth of the list price
MAX_PER_HOME = 20  # when the catalogue names no limit
ADDRESSES_SOME, ADDRESSES_MANY = 3, 5
ORDERS_MANY = 10

SCORES = {
    "blacklisted": 100,
    "token_price": 50,
    "below_list_price": 35,
    "implausible_quantity": 40,
    "unplaceable": 30,
    "virtual_goods": 30,
    "phone_many_addresses": 20,  # 45 from ADDRESSES_MANY on
    "phone_many_orders": 15,
    "masked_phone": 10,
}


class AuditContext(Protocol):
    """What storage knows about earlier orders (recent ones, this platform order excluded)."""

    def orders_for_phone(self, phone: str) -> int:
        ...

    def addresses_for_phone(self, phone: str) -> int:
        """Distinct (normalised) addresses the phone's earlier orders went to."""
        ...

    def blacklisted(self, phone: str, address: str) -> str | None:
        """The blacklist's reason when the phone or the address is on it."""
        ...


class _NoHistory:
    """A context that has seen no order and blacklists nobody (CLI, previews, tests)."""

    def orders_for_phone(self, phone: str) -> int:
        return 0

    def addresses_for_phone(self, phone: str) -> int:
        return 0

    def blacklisted(self, phone: str, address: str) -> str | None:
        return None


NO_HISTORY: AuditContext = _NoHistory()


class _Remembered:
    """Asks the underlying context once per question (an order split in several visits)."""

    def __init__(self, context: AuditContext) -> None:
        self._context = context
        self.orders_for_phone = cache(context.orders_for_phone)
        self.addresses_for_phone = cache(context.addresses_for_phone)
        self.blacklisted = cache(context.blacklisted)


def remembering(context: AuditContext) -> AuditContext:
    """The context with its answers kept for the duration of one conversion."""
    return context if context is NO_HISTORY else _Remembered(context)


@dataclass(frozen=True)
class AuditSubject:
    """One service order to audit, with the platform order it came from."""

    order: PlatformOrder
    placement: Placement
    items: tuple[tuple[PlatformLine, CatalogueEntry], ...]  # this visit's lines
    service_type: ServiceType | None
    virtual_fen: int = 0  # value of the platform order's virtual goods
    virtual_names: tuple[str, ...] = ()


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _flag(code: str, reason: str, score: int | None = None) -> AuditFlag:
    return AuditFlag(code, reason, SCORES[code] if score is None else score)


def price_flags(subject: AuditSubject) -> list[AuditFlag]:
    """Zero or token payment for a sale, and units paid far below the list price."""
    if subject.service_type not in SALES:
        return []  # repairs and return visits are often free
    order = subject.order
    price_known = order.paid_fen is not None or any(line.unit_price_fen for line in order.lines)
    if not price_known and order.service_tags:
        return []  # a service work card without prices is a request, not a sale
    paid = order.paid_fen if order.paid_fen is not None else sum(
        line.quantity * line.unit_price_fen for line in order.lines)
    flags: list[AuditFlag] = []
    if paid < TOKEN_FEN:
        flags.append(_flag("token_price", both(
            f"实付 {_yuan(paid)} 元，低于 1 元，疑似刷单",
            f"paid {_yuan(paid)} yuan, less than 1 yuan: a fake order?")))
    for line, entry in subject.items:
        if (entry.price_fen and entry.service_type in SALES
                and line.unit_price_fen * BELOW_LIST_SHARE < entry.price_fen and paid >= TOKEN_FEN):
            flags.append(_flag(
                "below_list_price",
                both(f"「{line.name}」单价 {_yuan(line.unit_price_fen)} 元，"
                     f"不到目录价 {_yuan(entry.price_fen)} 元的一成",
                     f'"{line.name}" at {_yuan(line.unit_price_fen)} yuan a unit, less than '
                     f"a tenth of its list price of {_yuan(entry.price_fen)} yuan")))
            break
    return flags


def quantity_flags(subject: AuditSubject) -> list[AuditFlag]:
    """More of one product than a home could take (50 air conditioners to one flat)."""
    counts: Counter[str] = Counter()
    names: dict[str, tuple[str, int]] = {}
    for line, entry in subject.items:
        key = entry.sku or line.name
        counts[key] += line.quantity
        names[key] = (line.name, entry.max_per_home or MAX_PER_HOME)
    for key, quantity in counts.items():
        name, limit = names[key]
        if quantity > limit:
            return [_flag("implausible_quantity",
                          both(f"「{name}」数量 {quantity}，超过一户合理上限 {limit}",
                               f'{quantity} of "{name}", more than the {limit} a home '
                               "could take"))]
    return []


def history_flags(order: PlatformOrder, context: AuditContext) -> list[AuditFlag]:
    """Blacklist, and one phone ordering to many addresses or very often."""
    flags: list[AuditFlag] = []
    listed = context.blacklisted(order.customer_phone, order.address)
    if listed is not None:
        flags.append(_flag("blacklisted", with_words(
            "手机号或地址在黑名单中 (the phone or the address is blacklisted)", listed)))
    addresses = context.addresses_for_phone(order.customer_phone)
    if addresses >= ADDRESSES_SOME:
        score = 45 if addresses >= ADDRESSES_MANY else None
        flags.append(_flag("phone_many_addresses",
                           both(f"同一手机号近期已在 {addresses} 个不同地址下单",
                                f"the same phone ordered to {addresses} different addresses "
                                "lately"), score))
    orders = context.orders_for_phone(order.customer_phone)
    if orders >= ORDERS_MANY:
        flags.append(_flag("phone_many_orders", both(
            f"同一手机号近期已有 {orders} 笔订单",
            f"the same phone placed {orders} orders lately")))
    return flags


def subject_flags(subject: AuditSubject) -> list[AuditFlag]:
    """Flags from the order itself: price, quantity, placement, virtual goods, masked phone."""
    flags = price_flags(subject) + quantity_flags(subject)
    placement = subject.placement
    if placement.adcode is None:
        why = f"；{placement.note}" if placement.note else ""  # pieces `中文 (English)`
        flags.append(_flag("unplaceable", "地址无法定位到区县 (the address cannot be placed "
                                          f"in a county){why}"))
    visit_fen = sum(line.quantity * line.unit_price_fen for line, _ in subject.items)
    if subject.virtual_fen and subject.virtual_fen >= visit_fen:
        names = "、".join(subject.virtual_names[:3])
        flags.append(_flag("virtual_goods", both(
            f"订单以虚拟商品为主（{names}，{_yuan(subject.virtual_fen)} 元），疑似刷单",
            f"the order is mostly virtual goods, {_yuan(subject.virtual_fen)} yuan of them: "
            "a fake order?")))
    if "*" in subject.order.customer_phone:
        flags.append(_flag("masked_phone", "手机号被平台打码，无法直接联系客户核实 (the platform "
                                           "masked the phone: the customer cannot be called "
                                           "to check)"))
    return flags


def decide(flags: list[AuditFlag], policy: ClientPolicy) -> AuditVerdict:
    """The verdict of a service order's flags under the client's audit mode."""
    score = min(100, sum(flag.score for flag in flags))
    review = policy.audit_mode == "manual" or score >= policy.review_threshold
    decision = AuditDecision.REVIEW if review else AuditDecision.PASS
    return AuditVerdict(decision, score, tuple(flags))


def audit(subject: AuditSubject, context: AuditContext, policy: ClientPolicy) -> AuditVerdict:
    """All rules on one service order, decided by the client's policy."""
    return decide(history_flags(subject.order, context) + subject_flags(subject), policy)
