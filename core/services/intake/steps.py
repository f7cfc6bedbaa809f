"""The automatic first steps of an intake order: audit, place, classify, by the actor `intake`."""

from __future__ import annotations

from datetime import datetime

from core.contracts.intake import PlacementOut
from core.orders import commands as c
from core.orders.lifecycle import OrderState, Role
from core.orders.model import Actor, ServiceOrder

INTAKE_ACTOR = Actor("intake", Role.SYSTEM)  # the backend itself, not an admin


def auto_audit(order: ServiceOrder, at: datetime, score: int) -> None:
    order.apply(c.Audit(), INTAKE_ACTOR, at, f"自动审核通过（风险分 {score}）")


def place_and_classify(
    order: ServiceOrder, at: datetime, placement: PlacementOut | None,
    service_type: str | None, skills: list[str], classify_note: str,
) -> None:
    """Place the audited order when its county is known, then classify it when it can be."""
    if order.state is not OrderState.AUDITED or placement is None or not placement.adcode:
        return
    where = f"{placement.province}{placement.city}{placement.county}" or placement.adcode
    reason = f"按地址定位到 {where}" + (f"：{placement.note}" if placement.note else "")
    has_point = placement.lng is not None and placement.lat is not None
    order.apply(c.Place(county_adcode=placement.adcode,
                        county_name=placement.county or order.county_name,
                        lng=placement.lng if has_point else None,
                        lat=placement.lat if has_point else None), INTAKE_ACTOR, at, reason)
    if not service_type:
        return
    why = f"按商品目录分类：{classify_note}" if classify_note else "按商品目录分类"
    order.apply(c.Classify(service_type=service_type, skills=skills), INTAKE_ACTOR, at, why)
