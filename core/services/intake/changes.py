"""A platform's later messages about an order it sent: update, cancel, refund.

What each one changes is decided by the rules in core.intake.changes; here the orders are
loaded, changed and the origin kept up to date.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.contracts.intake import Outcome, placement_out
from core.intake.audit import NO_HISTORY
from core.intake.changes import (
    CancelVerdict,
    cancel_or_flag,
    cancel_reason,
    signed_for,
    signed_note,
    update_note,
    wanted_fields,
)
from core.intake.model import Placement, PlatformOrder
from core.intake.pipeline import ConversionCentre
from core.intake.policy import ClientPolicy
from core.orders import commands as c
from core.orders.lifecycle import TERMINAL
from core.orders.model import ServiceOrder
from core.services.fieldwork.axb_bindings import after_lifecycle
from core.services.intake.results import Result, summarise, unknown_order
from core.services.intake.steps import INTAKE_ACTOR, OrderPoint, order_point
from core.storage.intake.clients import RegionCoverage
from core.storage.intake.links import add_platform_note, linked, origin_record, update_origin
from core.storage.intake.purchases import purchases_of
from core.storage.uow import UnitOfWork
from core.text import with_words


def _placement(centre: ConversionCentre, source: PlatformOrder, policy: ClientPolicy
               ) -> Placement:
    conversion = centre.convert(source, policy, NO_HISTORY)
    if conversion.orders:
        return conversion.orders[0].placement
    return centre.locator.locate(source.address, source.province, source.city, source.district)


def _with_point(wanted: dict[str, Any], point: OrderPoint, source: PlatformOrder,
                order: ServiceOrder) -> dict[str, Any]:
    """What the update asks of this order's point: the platform's geocode when it sent one near
    the county (steps.order_point), else the county's centre when the address moved (the old
    point is the old house's); an update that leaves the address and county as they are and
    sends no geocode leaves the point alone (a phone change must not undo a geocode)."""
    if "lng" not in wanted:  # the update's address could not be placed: nothing to say
        return wanted
    moved = (source.address and source.address != order.address) \
        or wanted["county_adcode"] != order.county_adcode
    if source.point is None and not moved:
        return {k: v for k, v in wanted.items() if k not in ("lng", "lat")}
    return {**wanted, "lng": point.lng, "lat": point.lat}


def _linked_ids(uow: UnitOfWork, source: PlatformOrder) -> list[int]:
    return sorted(set(linked(uow.session, source.platform, source.platform_order_id).values()))


GOODS_SIGNED = "goods_signed"


def record_signed(order: ServiceOrder, source: PlatformOrder, at: datetime, label: str) -> bool:
    """Record the goods signed for when the message tells it (a new order: nothing to check);
    whether it did. The first-contact clock starts at the signing time."""
    signed = signed_for(source, at)
    if signed is None:
        return False
    order.note_fact(GOODS_SIGNED, INTAKE_ACTOR, signed, signed_note(label, signed),
                    data={"told_at": at.isoformat()})
    return True


def note_goods_signed(uow: UnitOfWork, order: ServiceOrder, source: PlatformOrder,
                      at: datetime, label: str) -> bool:
    """record_signed on a stored order: an open one, once (a platform re-sends its cards)."""
    assert order.id is not None
    if source.goods_signed_at is None or order.state in TERMINAL \
            or uow.orders.has_event(order.id, GOODS_SIGNED):
        return False
    return record_signed(order, source, at, label)


def take_update(uow: UnitOfWork, centre: ConversionCentre, source: PlatformOrder,
                policy: ClientPolicy, at: datetime, label: str) -> Result:
    """New contact or address, the goods signed for: applied to every open order made from
    the platform order."""
    ids = _linked_ids(uow, source)
    if not ids:
        return unknown_order(source, label, ("更新", "update"))
    place = _placement(centre, source, policy)
    wanted = wanted_fields(source, place)
    point = order_point(place.lng, place.lat, source.point)
    outcomes: list[Outcome] = []
    for order_id in ids:
        order = uow.orders.get(order_id)
        assert order is not None
        changes = {k: v for k, v in _with_point(wanted, point, source, order).items()
                   if getattr(order, k) != v}
        if order.state in TERMINAL:
            outcomes.append(Outcome.REFUSED if changes else Outcome.DUPLICATE)
            continue
        signed = note_goods_signed(uow, order, source, at, label)
        if not changes:
            if signed:
                uow.orders.save(order)
            outcomes.append(Outcome.UPDATED if signed else Outcome.DUPLICATE)
            continue
        note = update_note(label, source.platform, changes)
        if point.note and ("lng" in changes or "lat" in changes or not point.taken):
            note += f"；{point.note}"
        order.note_intake(INTAKE_ACTOR, at, note,
                          data={"platform_status": source.status}, **changes)
        uow.orders.save(order)
        origin = origin_record(uow.session, order_id, lock=True)
        if origin is not None and place.adcode:
            covered = RegionCoverage(uow.session).covers(place.adcode)
            origin.covered, origin.county_adcode = covered, place.adcode
            update_origin(origin, placement=placement_out(place).model_dump(mode="json"),
                          covered=covered)
        outcomes.append(Outcome.UPDATED)
    reason = ("订单已结束，未更新 (the order has ended: not updated)"
              if Outcome.REFUSED in outcomes else "")
    if set(outcomes) == {Outcome.DUPLICATE}:
        reason = "内容没有变化 (nothing changed)"
    return summarise(outcomes, ids, reason)


def _cancel(uow: UnitOfWork, order: ServiceOrder, why: str, at: datetime,
            platform_order_id: str) -> Outcome:
    """Cancel one service order for its platform, or record why it could not be."""
    assert order.id is not None
    decision = cancel_or_flag(order.state, purchases_of(uow.session, order.id), why,
                              platform_order_id)
    if decision.verdict is CancelVerdict.ALREADY:
        return Outcome.DUPLICATE
    if decision.verdict is CancelVerdict.CANCEL:
        order.apply(c.Cancel(), INTAKE_ACTOR, at, why)
        uow.orders.save(order)
        # An accepted order's virtual number is released with it (the outbox round calls the
        # provider after the commit).
        after_lifecycle(uow.session, order, c.Cancel.action, INTAKE_ACTOR, at)
        return Outcome.CANCELLED
    order.note_intake(INTAKE_ACTOR, at, decision.note, data={"platform_intent": "cancel"})
    uow.orders.save(order)
    # Kept on the order's origin too, for agents to follow up.
    add_platform_note(uow.session, order.id, decision.note, at)
    return Outcome.REFUSED


def take_cancel(uow: UnitOfWork, centre: ConversionCentre, source: PlatformOrder,
                policy: ClientPolicy, at: datetime, label: str) -> Result:
    ids = _linked_ids(uow, source)
    if not ids:
        return unknown_order(source, label, ("取消", "cancel"))
    why = cancel_reason(label, source)
    outcomes = []
    for order_id in ids:
        order = uow.orders.get(order_id)
        assert order is not None
        outcomes.append(_cancel(uow, order, why, at, source.platform_order_id))
    reason = ("部分服务单不能自动取消，已记录并标记 (some service orders cannot be cancelled "
              "automatically: noted and flagged)" if Outcome.REFUSED in outcomes else "")
    result = summarise(outcomes, ids, reason)
    if Outcome.CANCELLED in outcomes:
        return Result(Outcome.CANCELLED, result.order_ids, reason)
    return result


def take_refund(uow: UnitOfWork, centre: ConversionCentre, source: PlatformOrder,
                policy: ClientPolicy, at: datetime, label: str) -> Result:
    """A full refund of a visit cancels its order; a partial one is noted on it."""
    existing = linked(uow.session, source.platform, source.platform_order_id)
    if not existing:
        return unknown_order(source, label, ("退款", "refund"))
    outcomes: list[Outcome] = []
    ids: list[int] = []
    for visit in centre.convert(source, policy, NO_HISTORY).orders:
        order_id = existing.get(visit.trade)
        if order_id is None:
            continue
        order = uow.orders.get(order_id)
        assert order is not None
        ids.append(order_id)
        state = visit.extra.get("refund", "none")
        if state == "full":
            outcomes.append(_cancel(uow, order, f"{label}平台全额退款 (refunded in full on "
                                    f"{source.platform})", at, source.platform_order_id))
        elif state == "partial" and order.state not in TERMINAL:
            lines = [line for line in visit.lines if line.refunded]
            names = "、".join(f"{line.name}×{line.quantity}" for line in lines)
            order.note_intake(INTAKE_ACTOR, at, with_words(
                f"{label}平台部分退款 (refunded in part on {source.platform})", names),
                              data={"refunded": [line.sku for line in lines]})
            uow.orders.save(order)
            outcomes.append(Outcome.UPDATED)
        else:
            outcomes.append(Outcome.DUPLICATE)
    if not outcomes:
        return Result(Outcome.REFUSED, sorted(set(existing.values())),
                      "退款涉及的商品不在已有服务单中 (the refunded goods are in no service "
                      "order)", "lines")
    if Outcome.CANCELLED in outcomes:
        return Result(Outcome.CANCELLED, sorted(set(ids)))
    return summarise(outcomes, ids)
