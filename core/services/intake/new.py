"""A NEW platform order: recognised when re-sent, refused outside coverage, joined to its
purchase's order, merged into an open one of the same visit, or created."""

from __future__ import annotations

from datetime import datetime

from core.contracts.intake import AuditFlagOut, Outcome, dropped_out, placement_out
from core.intake.changes import CONTACT_FIELDS, contact_changed
from core.intake.model import (
    AddressPoint,
    AuditDecision,
    Conversion,
    ConvertedOrder,
    PlatformOrder,
)
from core.intake.pipeline import ConversionCentre
from core.intake.policy import ClientPolicy, coverage_refusal
from core.orders.model import OrderItem, ServiceOrder
from core.services.intake.changes import note_goods_signed, record_signed, take_update
from core.services.intake.results import Result, nothing_to_visit, summarise
from core.services.intake.steps import (
    INTAKE_ACTOR,
    auto_audit,
    order_point,
    place_and_classify,
)
from core.storage.intake.clients import RegionCoverage, SqlAuditContext
from core.storage.intake.links import (
    append_items,
    build_origin,
    link,
    linked,
    merge_digest,
    merge_target,
    origin_record,
    save_origin,
    update_origin,
)
from core.storage.intake.purchases import claim, joining, purchase_orders
from core.storage.orders.numbers import next_order_numbers
from core.storage.uow import UnitOfWork


def items_of(order: ConvertedOrder) -> list[OrderItem]:
    return [OrderItem(line.sku[:64], line.name[:200], line.quantity, line.unit_price_fen)
            for line in order.lines]


def take_new_or_changed(uow: UnitOfWork, centre: ConversionCentre, source: PlatformOrder,
                        policy: ClientPolicy, at: datetime, label: str) -> Result:
    """A known order sent again as new: pull platforms (JD, Suning) flag no updates, so a
    re-sent order whose contact or address changed is applied as an update."""
    result = take_new(uow, centre, source, policy, at, label)
    if result.outcome is not Outcome.DUPLICATE:
        return result
    # Only what the platform itself changed counts: an agent's own placement stays. An order
    # another platform order made (this one joined it: a trade's work card) keeps its contact
    # as that one gave it; a copy of the joined one re-sent is no change.
    for order_id in result.order_ids:
        order = uow.orders.get(order_id)
        made_by_it = order is not None and (order.platform, order.platform_order_id) == (
            source.platform, source.platform_order_id)
        if made_by_it and (source.goods_signed_at is not None or contact_changed(
                {name: getattr(order, name) for name in CONTACT_FIELDS}, source)):
            return take_update(uow, centre, source, policy, at, label)
    return result


def take_new(uow: UnitOfWork, centre: ConversionCentre, source: PlatformOrder,
             policy: ClientPolicy, at: datetime, label: str) -> Result:
    session = uow.session
    coverage = RegionCoverage(session)
    context = SqlAuditContext(session, at, source.platform, source.platform_order_id)
    conversion = centre.convert(source, policy, context, coverage)
    if not conversion.orders:
        return Result(Outcome.REFUSED, reason=nothing_to_visit(conversion.dropped))
    existing = linked(session, source.platform, source.platform_order_id)
    fresh = [o for o in conversion.orders if o.trade not in existing]
    if not fresh:
        return Result(Outcome.DUPLICATE, sorted(set(existing.values())),
                      "重复推送：已有对应的服务单，未做改动 (sent again: its service orders "
                      "exist already, nothing changed)")
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
            _join_purchase(uow, joins[order.trade], source, order, at, label)
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
            built = _receive(order, at, label, source.point)
            record_signed(built, source, at, label)
            created.append((order, built))
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


def _receive(order: ConvertedOrder, at: datetime, label: str,
             sent: AddressPoint | None) -> ServiceOrder:
    """The service order with its automatic steps; numbered by the caller in one reservation.

    Its point is the platform's geocode `sent` when that lies near the placed county, else the
    county's centre (steps.order_point). Why a geocode was not taken is in the place step's
    reason, or, for an order not placed now (held for review, or no county found), here."""
    place = order.placement
    passed = order.audit.decision is AuditDecision.PASS
    point = order_point(place.lng, place.lat, sent)
    received = (f"收到{label}订单 {order.platform_order_id} (received {order.platform} order "
                f"{order.platform_order_id})")
    if sent is not None and not point.taken and not (passed and place.adcode):
        received += f"；{point.note}"
    built = ServiceOrder.receive(
        INTAKE_ACTOR, at, received,
        order_no="", platform=order.platform, platform_order_id=order.platform_order_id,
        customer_name=order.customer_name, customer_phone=order.customer_phone,
        address=order.address, items=items_of(order),
        province=place.province[:32], city=place.city[:32],
        # The county shows in the queue (and the review queue) before the place step confirms it.
        county_adcode=place.adcode, county_name=place.county[:64],
        lng=point.lng, lat=point.lat,
    )
    if passed:
        auto_audit(built, at, order.audit.score)
        place_and_classify(
            built, at, placement_out(place),
            order.service_type.value if order.service_type else None,
            list(order.skills), order.classify_note, sent,
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
        f"合并{label}订单 {order.platform_order_id}：同一客户、地址和工种，{minutes} 分钟内到达 "
        f"(merged {order.platform} order {order.platform_order_id}: same customer, address and "
        f"trade within {minutes} minutes)",
        kind="intake_merge", items=[*target.items, *added],
        data={"merged_from": order.platform_order_id,
              "items": [{"sku": i.sku, "name": i.name, "quantity": i.quantity} for i in added]},
    )
    note_goods_signed(uow, target, conversion.source, at, label)
    uow.orders.save(target)
    append_items(session, target_id, start, added)
    link(session, order, target_id, at)
    known = {f["code"] for f in origin.origin.get("audit_flags", [])}
    flags = [AuditFlagOut(code=f.code, reason=f.reason, score=f.score).model_dump()
             for f in order.audit.flags if f.code not in known]
    dropped = [d.model_dump() for d in dropped_out(conversion)]
    ids = origin.origin.get("platform_order_ids", [])
    update_origin(
        origin,
        platform_order_ids=[*ids, *(i for i in conversion.source.platform_ids()
                                    if i not in ids)],
        merged_from=[*origin.origin.get("merged_from", []), order.platform_order_id],
        audit_flags=[*origin.origin.get("audit_flags", []), *flags],
        dropped=[*origin.origin.get("dropped", []), *dropped],
    )


def _join_purchase(uow: UnitOfWork, target_id: int, source: PlatformOrder,
                   order: ConvertedOrder, at: datetime, label: str) -> None:
    """Make the platform order part of the service order its purchase already has (a trade
    and its work card, a sale and its task: one purchase, one order)."""
    session = uow.session
    target = uow.orders.get(target_id)
    assert target is not None
    platform, purchase_id = source.purchase()
    target.note_intake(
        INTAKE_ACTOR, at,
        f"收到{label}订单 {source.platform_order_id}：与本服务单同属一笔购买（{purchase_id}），"
        f"已并入，不另建服务单 (received {source.platform} order {source.platform_order_id}: "
        f"the same purchase as this order ({purchase_id}), joined to it)",
        kind="intake_merge",
        data={"merged_from": source.platform_order_id, "purchase": purchase_id,
              "purchase_platform": platform},
    )
    note_goods_signed(uow, target, source, at, label)
    uow.orders.save(target)
    link(session, order, target_id, at)
    origin = origin_record(session, target_id, lock=True)
    if origin is None:  # an order entered by hand has no origin to extend
        return
    ids = list(origin.origin.get("platform_order_ids", []))
    update_origin(
        origin,
        platform_order_ids=[*ids, *(i for i in source.platform_ids() if i not in ids)],
        merged_from=[*origin.origin.get("merged_from", []), source.platform_order_id],
    )
