"""The automatic first steps of an intake order: audit, place, classify, by the actor `intake`."""

from __future__ import annotations

from datetime import datetime

from core.contracts.intake import PlacementOut
from core.orders.lifecycle import OrderState, Role
from core.orders.model import Actor, ServiceOrder

INTAKE_ACTOR = Actor("intake", Role.SYSTEM)  # the backend itself, not an admin


def auto_audit(order: ServiceOrder, at: datetime, score: int) -> None:
    order.perform("audit", INTAKE_ACTOR, at, f"自动审核通过（风险分 {score}）")


def place_and_classify(
    order: ServiceOrder, at: datetime, placement: PlacementOut | None,
    service_type: str | None, skills: list[str], classify_note: str,
) -> None:
    """Place the audited order when its county is known, then classify it when it can be."""
    if order.state is not OrderState.AUDITED or placement is None or not placement.adcode:
        return
    where = f"{placement.province}{placement.city}{placement.county}" or placement.adcode
    reason = f"按地址定位到 {where}" + (f"：{placement.note}" if placement.note else "")
    args: dict[str, object] = {"county_adcode": placement.adcode,
                               "county_name": placement.county or order.county_name}
    if placement.lng is not None and placement.lat is not None:
        args.update(lng=placement.lng, lat=placement.lat)
    order.perform("place", INTAKE_ACTOR, at, reason, **args)
    if not service_type:
        return
    why = f"按商品目录分类：{classify_note}" if classify_note else "按商品目录分类"
    order.perform("classify", INTAKE_ACTOR, at, why, service_type=service_type, skills=skills)
