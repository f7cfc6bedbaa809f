"""The vocabulary of SLA time limits: steps, clocks, lifecycle events, alert levels, and one
step's limit (ours and the platform's beside it). Pure data; checking is core.sla.limit_body,
inheritance and deadlines core.sla.limits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Step(StrEnum):
    ACCEPT = "accept"
    FIRST_CONTACT = "first_contact"
    APPOINTMENT = "appointment"
    ON_SITE = "on_site"
    COMPLETE = "complete"
    VERIFY = "verify"
    REVIEW = "review"


STEP_WORDS: dict[Step, tuple[str, str]] = {
    Step.ACCEPT: ("接单", "accept"),
    Step.FIRST_CONTACT: ("首次联系", "first contact"),
    Step.APPOINTMENT: ("预约", "appointment"),
    Step.ON_SITE: ("上门", "on site"),
    Step.COMPLETE: ("完工", "complete"),
    Step.VERIFY: ("核验", "verify"),
    Step.REVIEW: ("回访期", "review"),
}

# The fastest each step can possibly be done, in minutes: a limit below it cannot be met.
# Accepting needs the technician to read the order; a first contact one call; booking a call
# and the customer's answer; reaching the site travel; completing the work itself; verifying a
# look at the evidence; the review period is counted in whole days.
STEP_FLOOR_MINUTES: dict[Step, int] = {
    Step.ACCEPT: 5, Step.FIRST_CONTACT: 5, Step.APPOINTMENT: 10, Step.ON_SITE: 30,
    Step.COMPLETE: 30, Step.VERIFY: 5, Step.REVIEW: 24 * 60,
}
MAX_LIMIT_MINUTES = 90 * 24 * 60
MAX_END_OF_DAY_DAYS = 30
# Only steps that follow the agreed day may be due at its end ("installed by 23:59:59 of the
# agreed day"); the others have no agreed day to count from.
END_OF_DAY_STEPS = frozenset({Step.ON_SITE, Step.COMPLETE})
ANY_TYPE = "any"


class Clock(StrEnum):
    NATURAL = "natural"  # every minute counts
    BUSINESS = "business"  # only working hours on working days (core.sla.business_time)


class Level(StrEnum):
    """Alert levels: at the first and second warn share, and at the deadline (breach)."""

    NOTICE = "预警"
    WARNING = "警告"
    SEVERE = "严重"


# Lifecycle events a limit starts, stops, pauses or resumes on: the order's actions
# (core.orders.lifecycle.ACTIONS) plus the facts fieldwork and intake record beside them.
EVENT_WORDS: dict[str, tuple[str, str]] = {
    "created": ("订单创建", "order created"),
    "open_dispatch": ("开始派单", "dispatch opened"),
    "assign": ("派给师傅", "assigned"),
    "claim": ("师傅抢单", "claimed"),
    "accept": ("师傅接单", "accepted"),
    "goods_signed": ("客户签收货物", "goods signed for"),
    "contact_attempt": ("首次联系客户", "contact attempt"),
    "appoint": ("预约成功", "appointment booked"),
    "customer_postpone": ("客户要求改期", "customer postpones"),
    "check_in": ("上门签到", "checked in"),
    "complete": ("完工", "completed"),
    "cannot_complete": ("无法完工", "cannot complete"),
    "verify": ("核验通过", "verified"),
    "start_review": ("回访期开始", "review started"),
    "pass_review": ("回访期通过", "review passed"),
}
EVENTS = tuple(EVENT_WORDS)


@dataclass(frozen=True)
class Due:
    """How long a step may take: `minutes` of its clock, or the end of the agreed day plus
    `end_of_day` days (23:59:59 natural; the day's closing time in business time)."""

    minutes: int | None = None
    end_of_day: int | None = None

    def as_dict(self) -> dict[str, int]:
        return {"minutes": self.minutes} if self.minutes is not None else {
            "end_of_day": self.end_of_day or 0}

    def __str__(self) -> str:
        if self.minutes is None:
            return f"约定日+{self.end_of_day}天 23:59:59" if self.end_of_day else "约定日 23:59:59"
        return f"{self.minutes} 分钟"


@dataclass(frozen=True)
class PlatformLimit:
    """The platform's own limit for the step, kept beside ours: shown, and its breach told."""

    due: Due
    clock: Clock = Clock.NATURAL
    rule: str = ""  # which published rule, e.g. "天猫家装安装规范（2023）"

    def as_dict(self) -> dict[str, object]:
        return {"due": self.due.as_dict(), "clock": self.clock.value, "rule": self.rule}


@dataclass(frozen=True)
class StepLimit:
    """One step's limit for a region and service type, as it applies."""

    due: Due
    clock: Clock = Clock.NATURAL
    warn_percent: tuple[int, int] = (50, 75)
    start: tuple[str, ...] = ()  # the clock starts at the first of these
    stop: tuple[str, ...] = ()  # and stops at the first of these
    pause: tuple[str, ...] = ()  # it stands still from one of these
    resume: tuple[str, ...] = ()  # until one of these
    platform: PlatformLimit | None = None


@dataclass(frozen=True)
class Suspension:
    """A period no step's clock runs (a platform's Spring Festival suspension), [start, end)."""

    name: str
    start: datetime
    end: datetime

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "start": self.start.isoformat(), "end": self.end.isoformat()}
