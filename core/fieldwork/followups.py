"""The review period and its follow-up calls: which orders a client's desk calls back, what a
call's outcome may be, when a complaint is a repeat fault, and how customers' word moves a
technician's rating.

A client's `ReviewPolicy` says how long a verified order waits in review (7 days by default)
and which orders are called: a random share (10 %), every order worth at least `high_value_fen`,
every flagged order, and each technician's first `first_orders` orders. The random share is
decided by a keyed hash of the order number, never by a random draw: the same order always
gets the same answer, so a simulation replays exactly and nobody re-rolls an order's luck.
An order can be picked for several reasons; `sample` gives them all.

A call ends satisfied (a 1-5 rating), with a problem (a complaint type and a note) or
unreachable (a retry time within the review period; after `max_attempts` the follow-up gives
up and the period's end decides). A quality or non-standard-work complaint within
`repeat_fault_days` of the visit is a repeat fault: the second visit is free to the customer
and charged to the technician who made the first. `technician_rating` is the one rule that turns
ratings and upheld complaints into the 0-5 rating dispatch ranks by.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from core.intake.classify import SERVICE_LABELS
from core.orders.lifecycle import ServiceType
from core.text import both


class SampleReason(StrEnum):
    RANDOM = "random"  # the random share
    HIGH_VALUE = "high_value"  # worth at least the policy's high value
    FLAGGED = "flagged"  # field execution flagged it
    NEW_TECHNICIAN = "new_technician"  # one of the technician's first orders


class ComplaintType(StrEnum):
    ATTITUDE = "attitude"
    QUALITY = "quality"
    TIMELINESS = "timeliness"
    OVERCHARGING = "overcharging"
    NON_STANDARD = "non_standard"  # work not done to the standard


class OutcomeKind(StrEnum):
    SATISFIED = "satisfied"
    PROBLEM = "problem"
    UNREACHABLE = "unreachable"


REASON_WORDS: dict[SampleReason, tuple[str, str]] = {
    SampleReason.RANDOM: ("随机抽样", "random sample"),
    SampleReason.HIGH_VALUE: ("高金额订单", "high-value order"),
    SampleReason.FLAGGED: ("有风险标记", "flagged order"),
    SampleReason.NEW_TECHNICIAN: ("新师傅前几单", "one of the technician's first orders"),
}
COMPLAINT_WORDS: dict[ComplaintType, tuple[str, str]] = {
    ComplaintType.ATTITUDE: ("服务态度", "attitude"),
    ComplaintType.QUALITY: ("安装质量", "quality"),
    ComplaintType.TIMELINESS: ("不守时", "timeliness"),
    ComplaintType.OVERCHARGING: ("乱收费", "overcharging"),
    ComplaintType.NON_STANDARD: ("不规范施工", "non-standard work"),
}
# The faults a second visit repairs: the technician's work itself, not his manners or prices.
REPEAT_FAULT_TYPES = frozenset({ComplaintType.QUALITY, ComplaintType.NON_STANDARD})
MIN_RATING, MAX_RATING = 1, 5
# The key of the random share's hash: fixed, so an order's answer never changes between runs
# or servers; a deployment that must keep the pick unguessable replaces it (and accepts that
# orders already in review keep the answer they got).
SAMPLE_KEY = b"lastmile/followups/sample/v1"
_SAMPLE_BUCKETS = 10_000  # the share's resolution: 0.01 %


def reason_text(reason: SampleReason) -> str:
    zh, en = REASON_WORDS[reason]
    return both(zh, en)


def complaint_text(kind: ComplaintType) -> str:
    zh, en = COMPLAINT_WORDS[kind]
    return both(zh, en)


class FollowupRuleError(ValueError):
    """A value the rule refuses; the message reads Chinese first."""


@dataclass(frozen=True)
class ReviewPolicy:
    """A client's review period and sampling (the defaults are the built-in policy)."""

    review_days: int = 7
    sample_percent: float = 10.0  # the random share, 0-100
    high_value_fen: int = 500_000  # every order worth this much or more (5,000 yuan); 0: none
    sample_flagged: bool = True
    first_orders: int = 5  # each technician's first N orders; 0: none
    max_attempts: int = 3  # unreachable calls before the follow-up gives up
    retry_hours: int = 4  # the next try after an unreachable call unless the agent sets one
    repeat_fault_days: int = 7

    def __post_init__(self) -> None:
        checks = [
            (1 <= self.review_days <= 90, "观察期须为 1-90 天 (review_days must be 1-90)"),
            (0 <= self.sample_percent <= 100,
             "抽样比例须为 0-100 (sample_percent must be 0-100)"),
            (self.high_value_fen >= 0, "高金额不能为负 (high_value_fen must not be negative)"),
            (0 <= self.first_orders <= 100, "新师傅单数须为 0-100 (first_orders must be 0-100)"),
            (1 <= self.max_attempts <= 10, "回访次数须为 1-10 (max_attempts must be 1-10)"),
            (1 <= self.retry_hours <= 72, "重试间隔须为 1-72 小时 (retry_hours must be 1-72)"),
            (0 <= self.repeat_fault_days <= 90,
             "返修期须为 0-90 天 (repeat_fault_days must be 0-90)"),
        ]
        for ok, message in checks:
            if not ok:
                raise FollowupRuleError(message)

    @property
    def review_period(self) -> timedelta:
        return timedelta(days=self.review_days)

    def values(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> ReviewPolicy:
        """The policy from stored or sent values; a key it does not know is refused."""
        unknown = sorted(set(values) - set(cls.__dataclass_fields__))
        if unknown:
            raise FollowupRuleError(f"未知的设置 {', '.join(unknown)} "
                                    f"(unknown settings: {', '.join(unknown)})")
        return cls(**dict(values))


BUILT_IN = ReviewPolicy()


# -- sampling -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SampleFacts:
    """What sampling looks at: the order number, its value, whether it is flagged, and how many
    orders of its technician entered review before it."""

    order_no: str
    amount_fen: int
    flagged: bool
    technician_earlier_orders: int | None  # None: no technician to count


def in_random_share(order_no: str, percent: float, key: bytes = SAMPLE_KEY) -> bool:
    """Whether the order falls in the random share: its keyed hash's bucket, never a draw."""
    digest = hmac.new(key, order_no.encode("utf-8"), hashlib.sha256).digest()
    bucket = int.from_bytes(digest[:8], "big") % _SAMPLE_BUCKETS
    return bucket < round(percent * _SAMPLE_BUCKETS / 100)


def sample(policy: ReviewPolicy, facts: SampleFacts) -> tuple[SampleReason, ...]:
    """Every reason the order is called back for (empty: it is not)."""
    reasons = []
    if in_random_share(facts.order_no, policy.sample_percent):
        reasons.append(SampleReason.RANDOM)
    if policy.high_value_fen > 0 and facts.amount_fen >= policy.high_value_fen:
        reasons.append(SampleReason.HIGH_VALUE)
    if policy.sample_flagged and facts.flagged:
        reasons.append(SampleReason.FLAGGED)
    earlier = facts.technician_earlier_orders
    if earlier is not None and earlier < policy.first_orders:
        reasons.append(SampleReason.NEW_TECHNICIAN)
    return tuple(reasons)


# -- outcomes -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    """What a call ended with, as the agent records it."""

    kind: OutcomeKind
    rating: int | None = None
    complaint: ComplaintType | None = None
    note: str = ""
    retry_at: datetime | None = None


def check_outcome(outcome: Outcome, now: datetime, period_until: datetime) -> None:
    """FollowupRuleError unless the outcome carries what its kind needs and nothing else."""
    kind = outcome.kind
    if kind is OutcomeKind.SATISFIED:
        if outcome.rating is None or not MIN_RATING <= outcome.rating <= MAX_RATING:
            raise FollowupRuleError(f"满意须给出 {MIN_RATING}-{MAX_RATING} 分评价 "
                                    f"(satisfied needs a rating of {MIN_RATING}-{MAX_RATING})")
    elif outcome.rating is not None:
        raise FollowupRuleError("只有满意的回访带评分 (only a satisfied call carries a rating)")
    if kind is OutcomeKind.PROBLEM:
        if outcome.complaint is None:
            raise FollowupRuleError("问题回访须选择投诉类型 (a problem needs a complaint type)")
        if not outcome.note.strip():
            raise FollowupRuleError("问题回访须写明情况 (a problem needs a note)")
    elif outcome.complaint is not None:
        raise FollowupRuleError("只有问题回访带投诉类型 (only a problem carries a complaint type)")
    if kind is OutcomeKind.UNREACHABLE:
        if outcome.retry_at is not None:
            check_retry(outcome.retry_at, now, period_until)
    elif outcome.retry_at is not None:
        raise FollowupRuleError("只有未接通的回访带重试时间 "
                                "(only an unreachable call carries a retry time)")


def check_retry(retry_at: datetime, now: datetime, period_until: datetime) -> None:
    """A retry lies after now and no later than the end of the review period."""
    if retry_at.tzinfo is None:
        raise FollowupRuleError("重试时间须带时区 (the retry time must carry a time zone)")
    if retry_at <= now:
        raise FollowupRuleError("重试时间须在现在之后 (the retry time must lie in the future)")
    if retry_at > period_until:
        raise FollowupRuleError("重试时间须在观察期结束之前 (the retry time must lie within "
                                "the review period)")


def next_retry(policy: ReviewPolicy, now: datetime, period_until: datetime) -> datetime:
    """The retry time when the agent sets none: after the policy's delay, at the latest the
    period's end."""
    return min(now + timedelta(hours=policy.retry_hours), period_until)


def gives_up(attempts: int, max_attempts: int) -> bool:
    """Whether a follow-up that has been unreachable `attempts` times stops calling (its
    `max_attempts` is the client's as it stood when the follow-up was made)."""
    return attempts >= max_attempts


def is_repeat_fault(policy: ReviewPolicy, complaint: ComplaintType, visit_at: datetime,
                    reported_at: datetime) -> bool:
    """A fault of the work reported within `repeat_fault_days` of the visit (the last day
    included): the second visit is free to the customer and charged to the technician."""
    return (complaint in REPEAT_FAULT_TYPES
            and reported_at - visit_at <= timedelta(days=policy.repeat_fault_days))


# -- the technician's rating ----------------------------------------------------------------------

DEFAULT_RATING = 4.5  # what a technician without follow-ups is rated (technicians.rating)
PRIOR_WEIGHT = 10  # the prior counts as this many ratings: one call cannot swing the rating
COMPLAINT_STARS = 0.0  # an upheld complaint counts as one rating of this many stars


def technician_rating(ratings: Sequence[int], upheld_complaints: int,
                      prior: float = DEFAULT_RATING, prior_weight: int = PRIOR_WEIGHT) -> float:
    """The technician's rating, 0-5: a Bayesian average of the customers' ratings and his
    upheld complaints (each a zero-star rating) with `prior_weight` ratings of `prior`."""
    if upheld_complaints < 0 or any(not MIN_RATING <= r <= MAX_RATING for r in ratings):
        raise FollowupRuleError("评分或投诉数无效 (invalid ratings or complaint count)")
    total = prior * prior_weight + sum(ratings) + COMPLAINT_STARS * upheld_complaints
    count = prior_weight + len(ratings) + upheld_complaints
    return round(min(max(total / count, 0.0), float(MAX_RATING)), 2)


# -- what the agent reads out ---------------------------------------------------------------------

def script(order_no: str, service_type: str, technician: str) -> str:
    """The call's script: who calls, about which visit (the service in words), and the
    questions to ask."""
    who = f"{technician}师傅" if technician else "师傅"
    known = service_type in ServiceType.__members__.values()
    service = SERVICE_LABELS[ServiceType(service_type)] if known else "上门服务"
    return (f"您好，这里是客服回访。您的订单 {order_no}（{service}）已由{who}完成。"
            f"请问服务是否满意？请您为本次服务打 1-5 分。如有问题（服务态度、安装质量、"
            f"守时、收费、施工规范），请告诉我们具体情况。")
