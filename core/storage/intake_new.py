"""A NEW platform order: recognised when re-sent, refused outside coverage, merged or created."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert

from core.contracts.intake import AuditFlagOut, DroppedLineOut, Outcome
from core.intake.model import AuditDecision, Conversion, ConvertedOrder, PlatformOrder
from core.intake.pipeline import ConversionCentre, placement_out
from core.intake.policy import ClientPolicy, coverage_refusal
from core.orders.model import OrderItem, ServiceOrder
from core.storage.intake_clients import RegionCoverage, SqlAuditContext
from core.storage.intake_links import (
    build_origin,
    link,
    linked,
    merge_digest,
    merge_target,
    origin_record,
    save_origin,
    update_origin,
)
from core.storage.intake_purchases import claim, join_purchase, joining, purchase_orders
from core.storage.intake_steps import INTAKE_ACTOR, auto_audit, place_and_classify
from core.storage.numbers import next_order_numbers
from core.storage.tables import OrderItemRecord
from core.storage.uow import UnitOfWork

# Outcome of a record that became several service orders: the most telling one.
PRIORITY = (Outcome.REVIEW, Outcome.CREATED, Outcome.MERGED, Outcome.UPDATED,
            Outcome.CANCELLED, Outcome.REFUSED, Outcome.DUPLICATE)


@dataclass(frozen=True)
class Result:
    """What one record did: its outcome, the service orders involved, and why."""

    outcome: Outcome
    order_ids: list[int] = field(default_factory=list)
    reason: str = ""
    field: str = ""


def summarise(outcomes: list[Outcome], order_ids: list[int], reason: str = "") -> Result:
    best = min(outcomes, key=PRIORITY.index)
    return Result(best, sorted(set(order_ids)), reason)


def items_of(order: ConvertedOrder) -> list[OrderItem]:
    return [OrderItem(line.sku[:64], line.name[:200], line.quantity, line.unit_price_fen)
            for line in order.lines]


def take_new(uow: UnitOfWork, centre: ConversionCentre, source: PlatformOrder,
             policy: ClientPolicy, at: datetime, label: str) -> Result:
    session = uow.session
    coverage = RegionCoverage(session)
    context = SqlAuditContext(session, at, source.platform, source.platform_order_id)
    conversion = centre.convert(source, policy, context, coverage)
    if not conversion.orders:
        why = "；".join(f"{d.line.name}：{d.reason}" for d in conversion.dropped)
        return Result(Outcome.REFUSED, reason=f"没有需要上门服务的商品（{why or '没有商品行'}）")
    existing = linked(session, source.platform, source.platform_order_id)
    fresh = [o for o in conversion.orders if o.trade not in existing]
    if not fresh:
        return Result(Outcome.DUPLICATE, sorted(set(existing.values())),
                      "重复推送：已有对应的服务单，未做改动")
    purchase = purchase_orders(session, source)
    joins = {o.trade: target for o in fresh
             if (target := joining(session, purchase, o, len(fresh) == 1)) is not None}
    for order in fresh:
        refusal = None if order.trade in joins else coverage_refusal(policy, order)
        if refusal:
            return Result(Outcome.REFUSED, reason=refusal, field="address")
    outcomes: list[Outcome] = []
    ids: list[int] = []
    created: list[tuple[ConvertedOrder, ServiceOrder]] = []
    for order in fresh:
        if order.trade in joins:
            join_purchase(uow, joins[order.trade], source, order, at, label)
            outcomes.append(Outcome.MERGED)
            ids.append(joins[order.trade])
            continue
        target = merge_target(session, merge_digest(order), at - policy.merge_window)
        if target is not None:
            _merge(uow, target, conversion, order, at, label, policy)
            claim(session, source, order.trade, target, at)
            outcomes.append(Outcome.MERGED)
            ids.append(target)
        else:
            created.append((order, _receive(order, at, label)))
    if created:
        numbers = next_order_numbers(session, at, len(created))
        for (_, built), number in zip(created, numbers, strict=True):
            built.order_no = number
        uow.orders.add_many([built for _, built in created])
        for order, built in created:
            assert built.id is not None
            link(session, order, built.id, at)
            claim(session, source, order.trade, built.id, at)
            passed = order.audit.decision is AuditDecision.PASS
            save_origin(session, built.id, policy.code, order,
                        build_origin(conversion, order, coverage.standard(order.placement.adcode)),
                        "pass" if passed else "review", at)
            outcomes.append(Outcome.CREATED if passed else Outcome.REVIEW)
            ids.append(built.id)
    return summarise(outcomes, ids)


def _receive(order: ConvertedOrder, at: datetime, label: str) -> ServiceOrder:
    """The service order with its automatic steps; numbered by the caller in one reservation."""
    place = order.placement
    built = ServiceOrder.receive(
        INTAKE_ACTOR, at, f"收到{label}订单 {order.platform_order_id}",
        order_no="", platform=order.platform, platform_order_id=order.platform_order_id,
        customer_name=order.customer_name, customer_phone=order.customer_phone,
        address=order.address, items=items_of(order),
        province=place.province[:32], city=place.city[:32],
        # The county shows in the queue (and the review queue) before the place step confirms it.
        county_adcode=place.adcode, county_name=place.county[:64],
        lng=place.lng, lat=place.lat,
    )
    if order.audit.decision is AuditDecision.PASS:
        auto_audit(built, at, order.audit.score)
        place_and_classify(
            built, at, placement_out(place),
            order.service_type.value if order.service_type else None,
            list(order.skills), order.classify_note,
        )
    return built


def _merge(uow: UnitOfWork, target_id: int, conversion: Conversion, order: ConvertedOrder,
           at: datetime, label: str, policy: ClientPolicy) -> None:
    """Append the visit's lines to the open order of the same customer, address and trade."""
    session = uow.session
    target = uow.orders.get(target_id)
    origin = origin_record(session, target_id, lock=True)
    assert target is not None and origin is not None
    added = items_of(order)
    start = len(target.items)
    minutes = int(policy.merge_window.total_seconds() // 60)
    target.note_intake(
        INTAKE_ACTOR, at,
        f"合并{label}订单 {order.platform_order_id}：同一客户、地址和工种，{minutes} 分钟内到达",
        kind="intake_merge", items=[*target.items, *added],
        data={"merged_from": order.platform_order_id,
              "items": [{"sku": i.sku, "name": i.name, "quantity": i.quantity} for i in added]},
    )
    uow.orders.save(target)
    session.execute(insert(OrderItemRecord), [
        {"order_id": target_id, "position": start + n, "sku": i.sku, "name": i.name,
         "quantity": i.quantity, "unit_price_fen": i.unit_price_fen}
        for n, i in enumerate(added)
    ])
    link(session, order, target_id, at)
    known = {f["code"] for f in origin.origin.get("audit_flags", [])}
    flags = [AuditFlagOut(code=f.code, reason=f.reason, score=f.score).model_dump()
             for f in order.audit.flags if f.code not in known]
    dropped = [DroppedLineOut(sku=d.line.sku, name=d.line.name, quantity=d.line.quantity,
                              reason=d.reason).model_dump() for d in conversion.dropped]
    ids = origin.origin.get("platform_order_ids", [])
    update_origin(
        origin,
        platform_order_ids=[*ids, *(i for i in conversion.source.platform_ids()
                                    if i not in ids)],
        merged_from=[*origin.origin.get("merged_from", []), order.platform_order_id],
        audit_flags=[*origin.origin.get("audit_flags", []), *flags],
        dropped=[*origin.origin.get("dropped", []), *dropped],
    )
