"""What the dispatcher writes into an order's timeline: plain Chinese, the facts that decided."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from core.intake.classify import SKILL_NAMES
from core.orders.dispatching import fit_note
from core.orders.lifecycle import DispatchMode, OrderTag, ServiceType

MODE_NAMES = {DispatchMode.AUTO: "中心派单", DispatchMode.GRAB: "抢单池",
              DispatchMode.MANUAL: "人工派单"}
NO_TECHNICIAN_IN_CITY = "本市没有在岗师傅"
ALL_REFUSED = "本区域符合条件的师傅都已拒过此单或超时未接"
ALL_FULL = "符合条件的师傅今日已满额"
UNCOVERED_REGION = "该区县不在服务网络覆盖范围内"
POLICY_MANUAL = "本区域策略：人工派单"
# Why a tag (or after-sales) sends an order to a person.
RULE_REASONS = {
    OrderTag.URGENT.value: "加急订单，需人工派单",
    OrderTag.VIP.value: "VIP 客户订单，需人工派单",
    OrderTag.INCIDENT.value: "客诉/事故订单，需人工处理",
    OrderTag.FEE_CHANGE.value: "费用有变更，需人工派单",
    ServiceType.AFTER_SALES.value: "售后订单，需人工派单",
}


# Skills and qualifications come from order data and policies: a reason names a few, briefly.
NAMES_SHOWN = 5
NAME_LIMIT = 20


def _names(values: Iterable[str]) -> str:
    names = sorted({fit_note(SKILL_NAMES.get(v, v), NAME_LIMIT) for v in values})
    more = len(names) - NAMES_SHOWN
    shown = "、".join(names[:NAMES_SHOWN])
    return f"{shown} 等 {len(names)} 项" if more > 0 else shown


def no_skill(skills: Iterable[str]) -> str:
    return f"本区域没有具备「{_names(skills)}」技能的师傅"


def no_qualification(quals: Iterable[str]) -> str:
    return f"本区域具备技能的师傅都没有「{_names(quals)}」资质"


def too_far(limit_km: int, nearest_km: float) -> str:
    return f"符合条件的师傅都在 {limit_km} 公里以外（最近 {nearest_km:.1f} 公里）"


def no_eligible(why: str) -> str:
    return f"无法自动派单：{why}"


def open_mode(mode: DispatchMode, minutes: int | None) -> str:
    if mode is DispatchMode.MANUAL:
        return POLICY_MANUAL
    limit = f"（{minutes} 分钟）" if minutes else ""
    return f"进入{MODE_NAMES[mode]}{limit}"


def next_mode(mode: DispatchMode) -> str:
    return f"转{MODE_NAMES[mode]}"


def central_exhausted(minutes: int | None, why: str, mode: DispatchMode) -> str:
    within = f" {minutes} 分钟内" if minutes else ""
    return f"中心派单{within}未能派出（{why}），{next_mode(mode)}"


def unclaimed(minutes: int | None, mode: DispatchMode) -> str:
    within = f" {minutes} 分钟" if minutes else ""
    return f"抢单池{within}无人接单，{next_mode(mode)}"


def timeout(name: str, minutes: int) -> str:
    return f"师傅{name} {minutes} 分钟内未接单，收回重新派单"


def pinned_timeout(name: str, minutes: int) -> str:
    return f"指定的师傅{name} {minutes} 分钟内未接单；此单由人指定，转人工决定"


def dispatch_failed(error: str) -> str:
    """The round could not apply its decision: a person takes the order, told why."""
    return f"自动派单无法处理此单，转人工：{fit_note(error, 300)}"


def refused_too_often(times: int) -> str:
    return f"已被拒单或超时未接 {times} 次，转人工派单"


def assign_reason(terms: Mapping[str, Any]) -> str:
    """E.g. 中心派单：距离 3.2 公里；今日 2/8 单；评分 4.8；时限余 40 分钟；网点比例 58%/60%."""
    parts = []
    km = terms.get("distance_km")
    parts.append("距离未知" if km is None else f"距离 {km:.1f} 公里")
    parts.append(f"今日 {terms['load']}/{terms['daily_capacity']} 单")
    parts.append(f"评分 {terms['rating']:.1f}")
    minutes = terms.get("sla_minutes")
    if minutes is not None:
        parts.append(f"时限余 {minutes} 分钟" if minutes >= 0 else f"已超时 {-minutes} 分钟")
    if terms.get("point_share") is not None:
        parts.append(f"网点比例 {terms['point_share']}%/{terms['point_target']}%")
    return "中心派单：" + "；".join(parts)
