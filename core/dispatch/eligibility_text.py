"""The words for an eligibility break, from its code and parameters: the one place they are
written, in Chinese and English.

The desk reads about a technician (third person, short: a candidate's breaks); a technician
reads about themselves (second person: why the pool refused a claim). Skills show by their
Chinese trade names; the English keeps the stored codes, for logs and developers.
"""

from __future__ import annotations

from typing import Literal

from core.dispatch.eligibility import Break, Rule
from core.intake.catalogue import TRADE_LABELS

Lang = Literal["zh", "en"]


def skill_name(skill: str) -> str:
    return TRADE_LABELS.get(skill, skill)


def _desk_zh(b: Break) -> str:
    match b.rule:
        case Rule.INACTIVE:
            return "师傅已停用"
        case Rule.MISSING_SKILLS:
            return f"缺少技能「{'、'.join(skill_name(s) for s in b.names)}」"
        case Rule.MISSING_QUALIFICATIONS:
            return f"缺少资质「{'、'.join(b.names)}」"
        case Rule.OTHER_CITY:
            return "不在订单所在城市"
        case Rule.FULL:
            return f"今日已满 {b.load}/{b.capacity} 单"
        case Rule.TOO_FAR:
            return f"超出最远距离 {b.limit_km} 公里"
        case Rule.TURNED_DOWN:
            return f"曾拒绝此单 {b.times} 次" if b.times else "曾拒绝此单"
        case Rule.TAKEN_BACK:
            return "此单曾从该师傅收回"


def _technician_zh(b: Break) -> str:
    match b.rule:
        case Rule.INACTIVE:
            return "你的账号已停用"
        case Rule.MISSING_SKILLS:
            return f"缺少技能：{'、'.join(skill_name(s) for s in b.names)}"
        case Rule.MISSING_QUALIFICATIONS:
            return f"缺少资质：{'、'.join(b.names)}"
        case Rule.OTHER_CITY:
            return "此单不在你所在的城市"
        case Rule.FULL:
            return f"今日单量已满（{b.load}/{b.capacity}）"
        case Rule.TOO_FAR:
            return f"距离 {b.km:.1f} 公里，超出 {b.limit_km} 公里上限"
        case Rule.TURNED_DOWN:
            return "你曾拒绝或超时未接此单"
        case Rule.TAKEN_BACK:
            return "此单曾从你这里收回"


def _en(b: Break) -> str:
    match b.rule:
        case Rule.INACTIVE:
            return "the technician is not active"
        case Rule.MISSING_SKILLS:
            return f"missing skills: {', '.join(b.names)}"
        case Rule.MISSING_QUALIFICATIONS:
            return f"missing qualifications: {', '.join(b.names)}"
        case Rule.OTHER_CITY:
            return "the order is in another city"
        case Rule.FULL:
            return f"no capacity left today ({b.load}/{b.capacity})"
        case Rule.TOO_FAR:
            return f"too far: {b.km:.1f} km > {b.limit_km} km"
        case Rule.TURNED_DOWN:
            times = f" {b.times} time{'s' if b.times > 1 else ''}" if b.times else ""
            return f"refused or let this order time out{times} before"
        case Rule.TAKEN_BACK:
            return "the order was taken back from this technician before"


def words(b: Break, lang: Lang = "zh", *, to_technician: bool = False) -> str:
    """The break in one language, for the desk or for the technician concerned."""
    if lang == "en":
        return _en(b)
    return _technician_zh(b) if to_technician else _desk_zh(b)


def for_technician(b: Break) -> str:
    """What a technician is told, Chinese first with the English after it."""
    return f"{words(b, to_technician=True)} ({words(b, 'en')})"
