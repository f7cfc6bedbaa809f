"""What field execution flags on an order: a fact that asks a person to look, never a block.

A flag names its kind, the technician it concerns and the facts that raised it (`detail`, plain
JSON values). Each kind is worded once here, Chinese for the desk and English for logs; the risk
score and the review workspace read the same kinds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class FlagKind(StrEnum):
    NO_CALL_APPOINTMENT = "no_call_appointment"  # booked with no real call before it
    CHECKIN_OUTSIDE = "checkin_outside"  # checked in farther from the address than allowed
    CHECKIN_SKIPPED = "checkin_skipped"  # no position sent
    CHECKIN_STALE = "checkin_stale"  # the position's fix is too old
    CHECKIN_INACCURATE = "checkin_inaccurate"  # the fix's accuracy is too coarse to judge
    CODE_FAILED = "code_failed"  # a wrong verification code
    CODE_LOCKED = "code_locked"  # too many wrong codes
    PHOTO_NO_EXIF = "photo_no_exif"  # a photo without its capture time or place
    PHOTO_ELSEWHERE = "photo_elsewhere"  # taken far from the address or outside the visit
    PHOTO_REUSED = "photo_reused"  # the same picture seen on another order
    COMPLAINT = "complaint"  # an upheld complaint from a follow-up call
    CANNOT_COMPLETE = "cannot_complete"  # the technician reported he could not complete
    SERIAL_REUSED = "serial_reused"  # the same serial number in force on another order


WORDS: dict[FlagKind, tuple[str, str]] = {
    FlagKind.NO_CALL_APPOINTMENT: ("预约前没有真实通话", "appointment without a real call"),
    FlagKind.CHECKIN_OUTSIDE: ("签到位置离地址过远", "checked in too far from the address"),
    FlagKind.CHECKIN_SKIPPED: ("签到未上传位置", "checked in without a position"),
    FlagKind.CHECKIN_STALE: ("签到位置已过时", "check-in position is stale"),
    FlagKind.CHECKIN_INACCURATE: ("签到定位精度不足", "check-in position too inaccurate"),
    FlagKind.CODE_FAILED: ("核销码错误", "wrong verification code"),
    FlagKind.CODE_LOCKED: ("核销码错误次数过多，已锁定", "verification code locked"),
    FlagKind.PHOTO_NO_EXIF: ("照片缺少拍摄时间或位置", "photo without capture time or place"),
    FlagKind.PHOTO_ELSEWHERE: ("照片拍摄地点或时间不符",
                               "photo taken elsewhere or at another time"),
    FlagKind.PHOTO_REUSED: ("照片与其他工单重复", "photo reused from another order"),
    FlagKind.COMPLAINT: ("回访投诉成立", "upheld complaint"),
    FlagKind.CANNOT_COMPLETE: ("师傅报告无法完工", "technician could not complete"),
    FlagKind.SERIAL_REUSED: ("序列号与其他工单重复", "serial number seen on another order"),
}


def words(kind: FlagKind, lang: str = "zh") -> str:
    zh, en = WORDS[kind]
    return en if lang == "en" else zh


@dataclass(frozen=True)
class Flag:
    kind: FlagKind
    detail: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        """Chinese first with the English after it."""
        return f"{words(self.kind)} ({words(self.kind, 'en')})"
