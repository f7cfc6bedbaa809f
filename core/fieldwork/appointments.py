"""Appointments: the slot a technician and a customer agree on, the failed attempts to reach the
customer, reschedules and their limit, and whether a real call stands behind the booking.

A slot is a window of at most 2 hours or a half-day part (上午 08-12, 下午 12-18, 晚上 18-21,
Beijing time), in the future and within working hours. A failed contact attempt carries one
of the platforms' reason codes and when to try next. A reschedule carries a reason code; past
the client's limit it waits for a supervisor. The authenticity rule: a booking by the
technician needs a connected call he made on the order's virtual number (AXB) before he booked,
within the call window; without one it is flagged NO_CALL_APPOINTMENT, never refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from enum import StrEnum
from typing import Any

from core.errors import Invalid
from core.fieldwork.flags import Flag, FlagKind
from core.text import both

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")  # China keeps no daylight saving
WORK_START, WORK_END = 8, 21  # the hours a visit may take place, Beijing time
WINDOW = timedelta(hours=2)  # the longest window a technician may promise
SHORTEST_WINDOW = timedelta(minutes=30)
FURTHEST_AHEAD = timedelta(days=30)  # a slot later than this is a typo, not a plan
MAX_RESCHEDULE_LIMIT = 10
MAX_CALL_WINDOW_HOURS = 30 * 24
MIN_TALK_S = 10  # a connected call shorter than this is a hang-up, not an agreement


class DayPart(StrEnum):
    MORNING = "morning"  # 上午 08-12
    AFTERNOON = "afternoon"  # 下午 12-18
    EVENING = "evening"  # 晚上 18-21


PART_HOURS: dict[DayPart, tuple[int, int]] = {
    DayPart.MORNING: (8, 12), DayPart.AFTERNOON: (12, 18), DayPart.EVENING: (18, 21)}
PART_WORDS: dict[DayPart, tuple[str, str]] = {
    DayPart.MORNING: ("上午", "morning"), DayPart.AFTERNOON: ("下午", "afternoon"),
    DayPart.EVENING: ("晚上", "evening")}


class SlotKind(StrEnum):
    WINDOW = "window"  # a window of at most 2 hours
    PART = "part"  # a half-day part


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    kind: SlotKind = SlotKind.WINDOW
    part: DayPart | None = None

    @classmethod
    def of_part(cls, day: date, part: DayPart) -> Slot:
        begin, finish = PART_HOURS[part]
        return cls(datetime.combine(day, time(begin), SHANGHAI),
                   datetime.combine(day, time(finish), SHANGHAI), SlotKind.PART, part)

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.start < end and start < self.end

    def words(self) -> str:
        """"3月5日 上午 08:00-12:00 (2026-03-05 morning 08:00-12:00)"."""
        start, end = self.start.astimezone(SHANGHAI), self.end.astimezone(SHANGHAI)
        hours = f"{start:%H:%M}-{end:%H:%M}"
        zh_part, en_part = PART_WORDS[self.part] if self.part else ("", "")
        zh = f"{start.month}月{start.day}日 {zh_part}{' ' if zh_part else ''}{hours}"
        en = f"{start:%Y-%m-%d} {en_part}{' ' if en_part else ''}{hours}"
        return both(zh, en)


class BadSlot(Invalid):
    """A slot no visit can take place in; names the field at fault."""


def check_slot(slot: Slot, now: datetime) -> None:
    """BadSlot unless the slot is in the future (at the clock's time), within 30 days, within
    working hours on one day (Beijing time) and not longer than its kind."""
    start_loc: tuple[str, ...] = ("body", "part" if slot.kind is SlotKind.PART else "start")
    end_loc: tuple[str, ...] = ("body", "part" if slot.kind is SlotKind.PART else "end")
    if slot.start.tzinfo is None or slot.end.tzinfo is None:
        raise BadSlot("预约时间须带时区 (appointment times must carry a time zone)",
                      loc=start_loc)
    if slot.end <= slot.start:
        raise BadSlot("预约结束时间须晚于开始时间 (the slot must end after it starts)",
                      loc=end_loc)
    if slot.start <= now:
        raise BadSlot("预约时间须在当前时间之后 (the slot must lie in the future)", loc=start_loc)
    if slot.start - now > FURTHEST_AHEAD:
        raise BadSlot(f"预约时间不能晚于 {FURTHEST_AHEAD.days} 天之后 (the slot must begin "
                      f"within {FURTHEST_AHEAD.days} days)", loc=start_loc)
    start, end = slot.start.astimezone(SHANGHAI), slot.end.astimezone(SHANGHAI)
    opens = datetime.combine(start.date(), time(WORK_START), SHANGHAI)
    closes = datetime.combine(start.date(), time(WORK_END), SHANGHAI)
    if start < opens or end > closes:
        raise BadSlot(f"预约须在北京时间 {WORK_START:02d}:00-{WORK_END:02d}:00 之内 (the slot "
                      f"must lie within {WORK_START:02d}:00-{WORK_END:02d}:00 Beijing time)",
                      loc=start_loc if start < opens else end_loc)
    if slot.kind is SlotKind.WINDOW:
        if slot.end - slot.start > WINDOW:
            raise BadSlot("预约时段不能超过 2 小时 (a window lasts at most 2 hours; ask for 上午/"
                          "下午/晚上 instead)", loc=end_loc)
        if slot.end - slot.start < SHORTEST_WINDOW:
            raise BadSlot("预约时段不能短于 30 分钟 (a window lasts at least 30 minutes)",
                          loc=end_loc)


def day_slots(day: date) -> list[Slot]:
    """What a day offers: 2-hour windows starting on every hour from 08:00 to 19:00, then the
    three parts."""
    windows = [Slot(datetime.combine(day, time(h), SHANGHAI),
                    datetime.combine(day, time(h), SHANGHAI) + WINDOW)
               for h in range(WORK_START, WORK_END - 1)]
    return windows + [Slot.of_part(day, part) for part in DayPart]


def free_slots(day: date, busy: Iterable[tuple[datetime, datetime]],
               now: datetime) -> list[Slot]:
    """The day's slots that begin after `now` and overlap none of the busy intervals."""
    taken = list(busy)
    return [s for s in day_slots(day)
            if s.start > now and not any(s.overlaps(b, e) for b, e in taken)]


# -- failed contact attempts --------------------------------------------------------------------

class ContactReason(StrEnum):
    """Why the customer could not be reached or booked, as the platforms word it."""

    LINE_BUSY = "line_busy"
    NO_ANSWER = "no_answer"
    PHONE_OFF = "phone_off"
    GOODS_NOT_RECEIVED = "goods_not_received"
    NOT_NEEDED_YET = "not_needed_yet"
    INSTALLATION_CANCELLED = "installation_cancelled"
    WRONG_NUMBER = "wrong_number"


CONTACT_WORDS: dict[ContactReason, tuple[str, str]] = {
    ContactReason.LINE_BUSY: ("占线", "line busy"),
    ContactReason.NO_ANSWER: ("无人接听", "no answer"),
    ContactReason.PHONE_OFF: ("关机或停机", "phone off"),
    ContactReason.GOODS_NOT_RECEIVED: ("客户未收到货", "goods not received"),
    ContactReason.NOT_NEEDED_YET: ("客户暂不需要安装", "customer does not need installation yet"),
    ContactReason.INSTALLATION_CANCELLED: ("客户取消安装", "installation cancelled"),
    ContactReason.WRONG_NUMBER: ("号码错误或空号", "wrong number"),
}
# When to try again when the caller names no time; None: a person must act first (the
# order is to be cancelled, or the right number found), no retry is planned.
NEXT_CONTACT_AFTER: dict[ContactReason, timedelta | None] = {
    ContactReason.LINE_BUSY: timedelta(minutes=30),
    ContactReason.NO_ANSWER: timedelta(hours=2),
    ContactReason.PHONE_OFF: timedelta(hours=4),
    ContactReason.GOODS_NOT_RECEIVED: timedelta(days=1),
    ContactReason.NOT_NEEDED_YET: timedelta(days=3),
    ContactReason.INSTALLATION_CANCELLED: None,
    ContactReason.WRONG_NUMBER: None,
}


def contact_words(reason: ContactReason) -> str:
    zh, en = CONTACT_WORDS[reason]
    return both(zh, en)


def next_contact(reason: ContactReason, now: datetime, given: datetime | None) -> datetime | None:
    """When to try the customer again: the time given (in the future, within 30 days), else
    the reason's default (None when a person must act first)."""
    loc = ("body", "next_contact_at")
    if given is None:
        after = NEXT_CONTACT_AFTER[reason]
        return None if after is None else now + after
    if given.tzinfo is None:
        raise Invalid("下次联系时间须带时区 (next_contact_at needs a time zone)", loc=loc)
    if given <= now:
        raise Invalid("下次联系时间须在当前时间之后 (next_contact_at must lie in the future)",
                      loc=loc)
    if given - now > FURTHEST_AHEAD:
        raise Invalid(f"下次联系时间不能晚于 {FURTHEST_AHEAD.days} 天之后 (next_contact_at must "
                      f"lie within {FURTHEST_AHEAD.days} days)", loc=loc)
    return given


# -- reschedules --------------------------------------------------------------------------------

class RescheduleReason(StrEnum):
    CUSTOMER_REQUEST = "customer_request"
    CUSTOMER_ABSENT = "customer_absent"
    GOODS_NOT_RECEIVED = "goods_not_received"
    SITE_NOT_READY = "site_not_ready"
    PARTS_MISSING = "parts_missing"
    TECHNICIAN_UNAVAILABLE = "technician_unavailable"
    WEATHER = "weather"


RESCHEDULE_WORDS: dict[RescheduleReason, tuple[str, str]] = {
    RescheduleReason.CUSTOMER_REQUEST: ("客户要求改约", "customer asked to change"),
    RescheduleReason.CUSTOMER_ABSENT: ("上门时客户不在", "customer not at home"),
    RescheduleReason.GOODS_NOT_RECEIVED: ("客户未收到货", "goods not received"),
    RescheduleReason.SITE_NOT_READY: ("现场不具备安装条件", "site not ready"),
    RescheduleReason.PARTS_MISSING: ("缺少配件", "parts missing"),
    RescheduleReason.TECHNICIAN_UNAVAILABLE: ("师傅时间冲突", "technician unavailable"),
    RescheduleReason.WEATHER: ("天气原因", "weather"),
}


def reschedule_words(reason: RescheduleReason) -> str:
    zh, en = RESCHEDULE_WORDS[reason]
    return both(zh, en)


class Initiator(StrEnum):
    TECHNICIAN = "technician"  # the technician agreed it with the customer
    CUSTOMER = "customer"  # the customer asked the desk, who booked it on the phone


class BookingStatus(StrEnum):
    BOOKED = "booked"  # in force at once
    PENDING = "pending"  # a reschedule past the limit, waiting for a supervisor
    APPROVED = "approved"  # a supervisor let it through: in force since
    REFUSED = "refused"  # a supervisor turned it down: the earlier slot stays


@dataclass(frozen=True)
class AppointmentPolicy:
    """A client's appointments: reschedules allowed before a supervisor must approve (0: every
    one), and how long before a booking a call counts for it."""

    reschedule_limit: int = 2
    call_window: timedelta = timedelta(hours=72)

    def __post_init__(self) -> None:
        if not 0 <= self.reschedule_limit <= MAX_RESCHEDULE_LIMIT:
            raise ValueError(f"reschedule_limit must be 0 to {MAX_RESCHEDULE_LIMIT}")
        if not timedelta(hours=1) <= self.call_window <= timedelta(hours=MAX_CALL_WINDOW_HOURS):
            raise ValueError(f"call_window must be 1 to {MAX_CALL_WINDOW_HOURS} hours")


def needs_approval(reschedules_done: int, policy: AppointmentPolicy) -> bool:
    """Whether one more reschedule, after `reschedules_done` of them, waits for a supervisor."""
    return reschedules_done >= policy.reschedule_limit


# -- the call behind a booking ------------------------------------------------------------------

class CallerSide(StrEnum):
    TECHNICIAN = "technician"  # A in the AXB binding: the technician dialled the virtual number
    CUSTOMER = "customer"  # B: the customer did


@dataclass(frozen=True)
class Call:
    """One call on the order's virtual number, as the provider reported it."""

    id: int
    caller: CallerSide
    started_at: datetime
    duration_s: int
    connected: bool


class CallVerdict(StrEnum):
    REAL = "real"  # a connected call by the technician in the window before the booking
    NO_CALL = "no_call"  # none: flagged
    DESK = "desk"  # booked by the desk on the customer's word: not the technician's claim
    FOUND_LATE = "found_late"  # flagged, then the provider pushed a call that backs it


@dataclass(frozen=True)
class Authenticity:
    verdict: CallVerdict
    call_id: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def flags(self) -> tuple[Flag, ...]:
        if self.verdict is CallVerdict.NO_CALL:
            return (Flag(FlagKind.NO_CALL_APPOINTMENT, dict(self.detail)),)
        return ()


def backs(call: Call, booked_at: datetime, window: timedelta) -> bool:
    """Whether this call stands behind a booking made at `booked_at`."""
    return (call.caller is CallerSide.TECHNICIAN and call.connected
            and call.duration_s >= MIN_TALK_S
            and booked_at - window <= call.started_at < booked_at)


def judge_calls(calls: Sequence[Call], booked_at: datetime, window: timedelta) -> Authenticity:
    """The technician's booking at `booked_at` against the order's calls: the latest call that
    backs it, or NO_CALL with what was seen (every call in the window, by kind)."""
    backing = [c for c in calls if backs(c, booked_at, window)]
    if backing:
        best = max(backing, key=lambda c: c.started_at)
        return Authenticity(CallVerdict.REAL, best.id, {"call_id": best.id})
    seen = [c for c in calls if booked_at - window <= c.started_at < booked_at]
    detail = {
        "booked_at": booked_at.isoformat(), "window_hours": int(window.total_seconds() // 3600),
        "calls_in_window": len(seen),
        "technician_connected": sum(1 for c in seen if c.caller is CallerSide.TECHNICIAN
                                    and c.connected),
        "customer_calls": sum(1 for c in seen if c.caller is CallerSide.CUSTOMER),
        "calls_after_booking": sum(1 for c in calls if c.started_at >= booked_at),
    }
    return Authenticity(CallVerdict.NO_CALL, None, detail)


def desk_booking() -> Authenticity:
    """A booking the desk made with the customer on the line: nothing for the AXB to show."""
    return Authenticity(CallVerdict.DESK)
