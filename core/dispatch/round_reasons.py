"""What the dispatcher writes into an order's timeline and dispatch note: the facts that
decided, Chinese first with the English in parentheses (`中文 (English)`; the console shows the
person's language).

A reason built of parts (no one eligible, because ...) is put together from `Said` pairs, each
part in its own language, and made one text once, so no bilingual text nests in another.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from core.intake.catalogue import trade_label
from core.orders.dispatching import fit_note
from core.orders.lifecycle import DispatchMode, OrderTag, ServiceType
from core.text import both, with_words


class Said(NamedTuple):
    """One thing the dispatcher says, in Chinese and in English."""

    zh: str
    en: str

    def __str__(self) -> str:
        return both(self.zh, self.en)


NOTHING = Said("", "")  # no reason: somebody may take the order
MODE_NAMES = {DispatchMode.AUTO: Said("中心派单", "central dispatch"),
              DispatchMode.GRAB: Said("抢单池", "the grab pool"),
              DispatchMode.MANUAL: Said("人工派单", "manual dispatch")}
NO_TECHNICIAN_IN_CITY = Said("本市没有在岗师傅", "no technician on duty in this city")
ALL_REFUSED = Said("本区域符合条件的师傅都已拒过此单或超时未接",
                   "every eligible technician here refused this order or let it lapse")
ALL_FULL = Said("符合条件的师傅今日已满额", "every eligible technician is full today")
UNCOVERED_REGION = Said("该区县不在服务网络覆盖范围内",
                        "this county is outside the service network")
POLICY_MANUAL = Said("本区域策略：人工派单", "this region's policy: manual dispatch")
# Why a tag (or after-sales) sends an order to a person.
RULE_REASONS = {
    OrderTag.URGENT.value: Said("加急订单，需人工派单", "an urgent order goes to a person"),
    OrderTag.VIP.value: Said("VIP 客户订单，需人工派单", "a VIP customer's order goes to a person"),
    OrderTag.INCIDENT.value: Said("客诉/事故订单，需人工处理",
                                  "a complaint or incident order goes to a person"),
    OrderTag.FEE_CHANGE.value: Said("费用有变更，需人工派单",
                                    "the fee changed: the order goes to a person"),
    ServiceType.AFTER_SALES.value: Said("售后订单，需人工派单",
                                        "an after-sales order goes to a person"),
}


# Skills and qualifications come from order data and policies: a reason names a few, briefly.
NAMES_SHOWN = 5
NAME_LIMIT = 20


def _names(values: Iterable[str], chinese: bool) -> str:
    names = sorted({fit_note(trade_label(v) if chinese else v, NAME_LIMIT)
                    for v in values})
    more = len(names) - NAMES_SHOWN
    shown = ("、" if chinese else ", ").join(names[:NAMES_SHOWN])
    if more <= 0:
        return shown
    return f"{shown} 等 {len(names)} 项" if chinese else f"{shown} and {more} more"


def no_skill(skills: Iterable[str]) -> Said:
    skills = list(skills)
    return Said(f"本区域没有具备「{_names(skills, True)}」技能的师傅",
                f"no technician here has the skills {_names(skills, False)}")


def no_qualification(quals: Iterable[str]) -> Said:
    quals = list(quals)
    return Said(f"本区域具备技能的师傅都没有「{_names(quals, True)}」资质",
                f"no skilled technician here holds {_names(quals, False)}")


def too_far(limit_km: int, nearest_km: float) -> Said:
    return Said(f"符合条件的师傅都在 {limit_km} 公里以外（最近 {nearest_km:.1f} 公里）",
                f"every eligible technician is over {limit_km} km away "
                f"(nearest {nearest_km:.1f} km)")


def distance(km: float | None) -> Said:
    if km is None:
        return Said("距离未知", "distance unknown")
    return Said(f"距离 {km:.1f} 公里", f"{km:.1f} km away")


def load(today: int, capacity: int) -> Said:
    return Said(f"今日 {today}/{capacity} 单", f"{today}/{capacity} orders today")


def rating(value: float) -> Said:
    return Said(f"评分 {value:.1f}", f"rating {value:.1f}")


def time_left(minutes: float) -> Said:
    """The step's time left (or over) in whole minutes, as a candidate or an assignment says."""
    if minutes >= 0:
        return Said(f"时限余 {minutes:.0f} 分钟", f"{minutes:.0f} min left")
    return Said(f"已超时 {-minutes:.0f} 分钟", f"{-minutes:.0f} min overdue")


def no_eligible(why: Said) -> str:
    return str(Said(f"无法自动派单：{why.zh}", f"cannot dispatch automatically: {why.en}"))


def open_mode(mode: DispatchMode, minutes: int | None) -> str:
    if mode is DispatchMode.MANUAL:
        return str(POLICY_MANUAL)
    name = MODE_NAMES[mode]
    if not minutes:
        return str(Said(f"进入{name.zh}", f"into {name.en}"))
    return str(Said(f"进入{name.zh}（{minutes} 分钟）", f"into {name.en} ({minutes} min)"))


def central_exhausted(minutes: int | None, why: Said, mode: DispatchMode) -> str:
    nxt = MODE_NAMES[mode]
    return str(Said(
        f"中心派单{f' {minutes} 分钟内' if minutes else ''}未能派出（{why.zh}），转{nxt.zh}",
        f"central dispatch found nobody{f' in {minutes} min' if minutes else ''} "
        f"({why.en}); to {nxt.en}"))


def unclaimed(minutes: int | None, mode: DispatchMode) -> str:
    nxt = MODE_NAMES[mode]
    return str(Said(f"抢单池{f' {minutes} 分钟' if minutes else ''}无人接单，转{nxt.zh}",
                    f"nobody claimed it in the grab pool{f' in {minutes} min' if minutes else ''}"
                    f"; to {nxt.en}"))


def timeout(name: str, minutes: int) -> str:
    return str(Said(f"师傅{name} {minutes} 分钟内未接单，收回重新派单",
                    f"technician {name} did not accept within {minutes} min; "
                    f"taken back to dispatch again"))


def pinned_timeout(name: str, minutes: int) -> str:
    return str(Said(f"指定的师傅{name} {minutes} 分钟内未接单；此单由人指定，转人工决定",
                    f"the chosen technician {name} did not accept within {minutes} min; "
                    f"a person chose him, so a person decides"))


def dispatch_failed(error: str) -> str:
    """The round could not apply its decision: a person takes the order, told why (the error
    as it was raised, in neither language's part)."""
    return with_words(str(Said("自动派单无法处理此单，转人工",
                               "automatic dispatch could not handle this order; to a person")),
                      fit_note(error, 300))


def refused_too_often(times: int) -> str:
    return str(Said(f"已被拒单或超时未接 {times} 次，转人工派单",
                    f"refused or let lapse {times} times; to manual dispatch"))


def assign_reason(terms: Mapping[str, Any]) -> str:
    """E.g. 中心派单：距离 3.2 公里；今日 2/8 单；评分 4.8；时限余 40 分钟；网点比例 58%/60%
    (central dispatch: 3.2 km away; ...)."""
    parts = [distance(terms.get("distance_km")), load(terms["load"], terms["daily_capacity"]),
             rating(terms["rating"])]
    minutes = terms.get("sla_minutes")
    if minutes is not None:
        parts.append(time_left(minutes))
    if terms.get("point_share") is not None:
        share = f"{terms['point_share']}%/{terms['point_target']}%"
        parts.append(Said(f"网点比例 {share}", f"service point share {share}"))
    return str(Said("中心派单：" + "；".join(p.zh for p in parts),
                    "central dispatch: " + "; ".join(p.en for p in parts)))
