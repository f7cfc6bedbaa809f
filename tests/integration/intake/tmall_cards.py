"""A Tmall work card of the intake tests, as the demo renderer sends it."""

from __future__ import annotations

from datetime import timedelta

from intake_support import NOW, Take

from core.demo.platforms.tmall import render
from core.intake.model import Intent, PlatformLine, PlatformOrder

CARD = PlatformOrder(
    platform="tmall", platform_order_id="3100000000000001", intent=Intent.NEW,
    customer_name="赵六", customer_phone="13700000001", address="北京市朝阳区建国路1号",
    province="北京市", city="北京市", district="朝阳区", shop="demo-tmall",
    lines=(PlatformLine("AC-KFR35", "空调挂机 1.5匹 KFR-35GW", 1, 289900, line_id="1",
                        service_tags=("安装",)),),
    paid_fen=289900, ordered_at=NOW - timedelta(minutes=5), modified_at=NOW,
    service_tags=("安装",))


def created(take: Take) -> int:
    """Take the card in; its service order's id."""
    (outcome,) = take(render([CARD])[0], platform="tmall").outcomes
    assert outcome.outcome.value == "created", outcome
    order_id: int = outcome.order_ids[0]
    return order_id
