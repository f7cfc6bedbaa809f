"""The conversion centre: a platform order becomes unified service orders.

    adapter.records(payload) -> RawRecord...; adapter.parse(record) -> PlatformOrder
    ConversionCentre(catalogue, locator).convert(order, policy, context, coverage) -> Conversion

convert splits the lines into visits per trade (split.py), places the address once (the
locator), classifies each visit (classify.py), audits it (audit.py) and checks coverage.

What each intent produces (the intake handlers, core.services.intake, apply it):
- NEW, UPDATE: one ConvertedOrder per visit; refunded lines are dropped (not visits).
- CANCEL: one ConvertedOrder per visit, refunded lines included, so the handler finds every service
  order made from the platform order by (platform, platform_order_id, trade) and cancels it. A
  cancel without lines (JD's close messages carry only the order number) converts to no
  orders: the handler cancels every service order of that platform order.
- REFUND: as CANCEL, and each order's extra["refund"] says what the refund does to that visit:
  "full" (cancel it), "partial" (keep it for its lines not marked refunded) or "none". A refund
  message marking no line refunded refunds the whole platform order ("full" everywhere).
Cancel and refund messages are not audited: their verdict is PASS with score 0 and no flags.
A platform order with nothing needing a visit (gifts, virtual goods only) converts to no
service orders; Conversion.dropped then says why for every line.
"""

from __future__ import annotations

from functools import cache
from typing import Protocol

from core.intake.audit import NO_HISTORY, AuditContext, AuditSubject, audit, remembering
from core.intake.catalogue import Catalogue, load_catalogue
from core.intake.classify import classify
from core.intake.model import (
    AuditDecision,
    AuditVerdict,
    Conversion,
    ConvertedOrder,
    Intent,
    Placement,
    PlatformOrder,
)
from core.intake.policy import ClientPolicy, Coverage
from core.intake.split import Visit, split_lines

NOT_AUDITED = AuditVerdict(AuditDecision.PASS, 0)
_CHANGES_EXISTING = frozenset({Intent.CANCEL, Intent.REFUND})
DEFAULT_POLICY = ClientPolicy()


class Locates(Protocol):
    """What the centre needs of a locator (core.geo.placement.Locator)."""

    def locate(self, address: str, province: str = "", city: str = "",
               district: str = "") -> Placement:
        ...


def refund_state(visit: Visit, whole_order: bool) -> str:
    """What a refund message does to one visit: full, partial or none."""
    if whole_order:
        return "full"
    refunded = sum(1 for line in visit.lines if line.refunded)
    if refunded == len(visit.lines):
        return "full"
    return "partial" if refunded else "none"


class ConversionCentre:
    """Turns platform orders into unified service orders with the catalogue and a locator."""

    def __init__(self, catalogue: Catalogue, locator: Locates) -> None:
        self.catalogue = catalogue
        self.locator = locator

    def convert(self, order: PlatformOrder, policy: ClientPolicy = DEFAULT_POLICY,
                context: AuditContext = NO_HISTORY,
                coverage: Coverage | None = None) -> Conversion:
        """Every service order the platform order makes, and the lines that need no visit."""
        changes_existing = order.intent in _CHANGES_EXISTING
        split = split_lines(order.lines, self.catalogue, keep_refunded=changes_existing)
        if not split.visits:
            return Conversion(order, (), split.dropped)
        placement = self.locator.locate(order.address, order.province, order.city,
                                        order.district)
        covered = (coverage.covers(placement.adcode)
                   if coverage is not None and placement.adcode is not None else None)
        virtual = [(d.line, e) for d in split.dropped
                   if (e := self.catalogue.entry_for(d.line.sku, d.line.name)).virtual]
        virtual_fen = sum(line.quantity * line.unit_price_fen for line, _ in virtual)
        virtual_names = tuple(line.name for line, _ in virtual)
        whole_refund = order.intent is Intent.REFUND and not any(
            line.refunded for line in order.lines)
        context = remembering(context)
        orders = []
        for visit in split.visits:
            classified = classify(visit.items, order.service_tags)
            if changes_existing:
                verdict = NOT_AUDITED
            else:
                verdict = audit(AuditSubject(order, placement, visit.items,
                                             classified.service_type, virtual_fen,
                                             virtual_names), context, policy)
            extra: dict[str, object] = {}
            if order.intent is Intent.REFUND:
                extra["refund"] = refund_state(visit, whole_refund)
            orders.append(ConvertedOrder(
                platform=order.platform,
                platform_order_id=order.platform_order_id,
                trade=visit.trade,
                intent=order.intent,
                customer_name=order.customer_name,
                customer_phone=order.customer_phone,
                address=order.address,
                placement=placement,
                service_type=classified.service_type,
                skills=classified.skills,
                lines=visit.lines,
                audit=verdict,
                covered=covered,
                shop=order.shop,
                ordered_at=order.ordered_at,
                split_note=split.note,
                classify_note=classified.note,
                extra=extra,
            ))
        return Conversion(order, tuple(orders), split.dropped)


@cache
def default_centre() -> ConversionCentre:
    """The centre over the shipped catalogue and the NBS 2023 locator, built once."""
    from core.geo.placement import default_locator

    return ConversionCentre(load_catalogue(), default_locator())
