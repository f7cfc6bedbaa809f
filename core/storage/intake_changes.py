"""A platform's later messages about an order it sent: update, cancel, refund."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.contracts.intake import Outcome
from core.intake.audit import NO_HISTORY
from core.intake.model import Placement, PlatformOrder
from core.intake.pipeline import ConversionCentre, placement_out
from core.intake.policy import ClientPolicy
from core.orders.lifecycle import CANCELLABLE, TERMINAL, OrderState
from core.orders.model import ServiceOrder
from core.storage.intake_clients import RegionCoverage
from core.storage.intake_links import linked, origin_record, update_origin
from core.storage.intake_new import Result, summarise
from core.storage.intake_purchases import purchases_of
from core.storage.intake_steps import INTAKE_ACTOR
from core.storage.uow import UnitOfWork


def _unknown(source: PlatformOrder, label: str, what: str) -> Result:
    return Result(Outcome.REFUSED, reason=(
        f"未找到{label}订单 {source.platform_order_id} 对应的服务单，无法{what}"),
        field="platform_order_id")


def _flag(uow: UnitOfWork, order_id: int, note: str, at: datetime) -> None:
    """Keep what intake could not apply on the order's origin, for agents to follow up."""
    origin = origin_record(uow.session, order_id, lock=True)
    if origin is not None:
        notes = [*origin.origin.get("platform_notes", []), {"at": at.isoformat(), "note": note}]
        update_origin(origin, platform_notes=notes)


def _placement(centre: ConversionCentre, source: PlatformOrder, policy: ClientPolicy
               ) -> Placement:
    conversion = centre.convert(source, policy, NO_HISTORY)
    if conversion.orders:
        return conversion.orders[0].placement
    return centre.locator.locate(source.address, source.province, source.city, source.district)


def take_update(uow: UnitOfWork, centre: ConversionCentre, source: PlatformOrder,
                policy: ClientPolicy, at: datetime, label: str) -> Result:
    """New contact or address: applied to every open order made from the platform order."""
    ids = sorted(set(linked(uow.session, source.platform, source.platform_order_id).values()))
    if not ids:
        return _unknown(source, label, "更新")
    place = _placement(centre, source, policy)
    wanted: dict[str, Any] = {k: v for k, v in (
        ("customer_name", source.customer_name), ("customer_phone", source.customer_phone),
        ("address", source.address)) if v}
    if place.adcode:
        wanted.update(province=place.province[:32], city=place.city[:32],
                      county_adcode=place.adcode, county_name=place.county[:64],
                      lng=place.lng, lat=place.lat)
    outcomes: list[Outcome] = []
    for order_id in ids:
        order = uow.orders.get(order_id)
        assert order is not None
        changes = {k: v for k, v in wanted.items() if getattr(order, k) != v}
        if order.state in TERMINAL:
            outcomes.append(Outcome.REFUSED if changes else Outcome.DUPLICATE)
            continue
        if not changes:
            outcomes.append(Outcome.DUPLICATE)
            continue
        names = "、".join(_LABELS.get(k, k) for k in changes if k in _LABELS)
        order.note_intake(INTAKE_ACTOR, at, f"{label}平台更新了订单：{names or '地址定位'}",
                          data={"platform_status": source.status}, **changes)
        uow.orders.save(order)
        origin = origin_record(uow.session, order_id, lock=True)
        if origin is not None and place.adcode:
            covered = RegionCoverage(uow.session).covers(place.adcode)
            origin.covered, origin.county_adcode = covered, place.adcode
            update_origin(origin, placement=placement_out(place).model_dump(mode="json"),
                          covered=covered)
        outcomes.append(Outcome.UPDATED)
    reason = "订单已结束，未更新" if Outcome.REFUSED in outcomes else ""
    if set(outcomes) == {Outcome.DUPLICATE}:
        reason = "内容没有变化"
    return summarise(outcomes, ids, reason)


_LABELS = {"customer_name": "姓名", "customer_phone": "电话", "address": "地址"}


def _cancel(uow: UnitOfWork, order: ServiceOrder, why: str, at: datetime,
            platform_order_id: str) -> Outcome:
    """Cancel one service order for its platform, or record why it could not be."""
    assert order.id is not None
    if order.state is OrderState.CANCELLED:
        return Outcome.DUPLICATE
    # A trade and its work card are one purchase: either one's cancel cancels the order. An
    # order merged from several purchases keeps the others' part, for a person to check.
    if purchases_of(uow.session, order.id) > 1:
        note = f"合并单中的平台订单 {platform_order_id} {why}，其余部分仍有效，请人工核对"
    elif order.state in CANCELLABLE:
        order.perform("cancel", INTAKE_ACTOR, at, why)
        uow.orders.save(order)
        return Outcome.CANCELLED
    else:
        note = f"{why}，但服务单已到「{order.state.value}」，不能自动取消，请人工处理"
    order.note_intake(INTAKE_ACTOR, at, note, data={"platform_intent": "cancel"})
    uow.orders.save(order)
    _flag(uow, order.id, note, at)
    return Outcome.REFUSED


def take_cancel(uow: UnitOfWork, centre: ConversionCentre, source: PlatformOrder,
                policy: ClientPolicy, at: datetime, label: str) -> Result:
    ids = sorted(set(linked(uow.session, source.platform, source.platform_order_id).values()))
    if not ids:
        return _unknown(source, label, "取消")
    detail = source.note or source.status
    why = f"{label}平台取消了订单" + (f"（{detail}）" if detail else "")
    outcomes = []
    for order_id in ids:
        order = uow.orders.get(order_id)
        assert order is not None
        outcomes.append(_cancel(uow, order, why, at, source.platform_order_id))
    reason = "部分服务单不能自动取消，已记录并标记" if Outcome.REFUSED in outcomes else ""
    result = summarise(outcomes, ids, reason)
    if Outcome.CANCELLED in outcomes:
        return Result(Outcome.CANCELLED, result.order_ids, reason)
    return result


def take_refund(uow: UnitOfWork, centre: ConversionCentre, source: PlatformOrder,
                policy: ClientPolicy, at: datetime, label: str) -> Result:
    """A full refund of a visit cancels its order; a partial one is noted on it."""
    existing = linked(uow.session, source.platform, source.platform_order_id)
    if not existing:
        return _unknown(source, label, "退款")
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
            outcomes.append(_cancel(uow, order, f"{label}平台全额退款", at,
                                    source.platform_order_id))
        elif state == "partial" and order.state not in TERMINAL:
            lines = [line for line in visit.lines if line.refunded]
            names = "、".join(f"{line.name}×{line.quantity}" for line in lines)
            order.note_intake(INTAKE_ACTOR, at, f"{label}平台部分退款：{names}",
                              data={"refunded": [line.sku for line in lines]})
            uow.orders.save(order)
            outcomes.append(Outcome.UPDATED)
        else:
            outcomes.append(Outcome.DUPLICATE)
    if not outcomes:
        return Result(Outcome.REFUSED, sorted(set(existing.values())),
                      "退款涉及的商品不在已有服务单中", "lines")
    if Outcome.CANCELLED in outcomes:
        return Result(Outcome.CANCELLED, sorted(set(ids)))
    return summarise(outcomes, ids)
