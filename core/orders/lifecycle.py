"""The lifecycle of a service order: states, the actions between them and who may take them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class OrderState(StrEnum):
    NEW = "new"
    AUDITED = "audited"
    PLACED = "placed"
    CLASSIFIED = "classified"
    DISPATCHING = "dispatching"
    ASSIGNED = "assigned"
    ACCEPTED = "accepted"
    APPOINTED = "appointed"
    CHECKED_IN = "checked_in"
    SERVED = "served"
    VERIFIED = "verified"
    IN_REVIEW = "in_review"
    SETTLEABLE = "settleable"
    SETTLED = "settled"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    FROZEN = "frozen"


class Role(StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    FINANCE = "finance"
    ADMIN = "admin"
    TECHNICIAN = "technician"
    # The backend's own automatic steps (intake, dispatcher): never a person, never a login;
    # the timeline tells them apart from an admin's hand.
    SYSTEM = "system"


class ServiceType(StrEnum):
    INSTALL = "install"
    REPAIR = "repair"
    MEASURE = "measure"
    RETURN_VISIT = "return_visit"
    AFTER_SALES = "after_sales"


class DispatchMode(StrEnum):
    AUTO = "auto"
    GRAB = "grab"
    MANUAL = "manual"


class OrderTag(StrEnum):
    """Facts about an order that steer dispatch (a region's policy may send them to a person)."""

    URGENT = "urgent"
    VIP = "vip"
    INCIDENT = "incident"
    FEE_CHANGE = "fee_change"


class RefusalCode(StrEnum):
    """Why a technician or service point refused an assignment."""

    TOO_FAR = "too_far"
    NO_TIME = "no_time"
    LACKS_SKILL = "lacks_skill"
    PRICE_TOO_LOW = "price_too_low"
    CUSTOMER_UNREACHABLE = "customer_unreachable"
    OTHER = "other"
    # Not a person's choice: the region's acceptance time ran out.
    TIMEOUT = "timeout"


class CannotCompleteCode(StrEnum):
    """Why the technician could not complete the visit. Some need another visit by him (book
    again once the customer, the goods or the site are ready); the others need the desk."""

    CUSTOMER_ABSENT = "customer_absent"  # nobody home, no access to the site
    PARTS_MISSING = "parts_missing"  # the goods or a part are missing or damaged
    SITE_NOT_READY = "site_not_ready"  # no power, water, wall or space ready yet
    CUSTOMER_DECLINES = "customer_declines"  # the customer does not want the service
    NEEDS_OTHER_TRADE = "needs_other_trade"  # beyond his skill: another trade is needed
    OTHER = "other"


# The reasons after which the same technician comes again (the order goes back to ACCEPTED,
# the appointment cleared); every other goes back to a person at dispatch.
REVISIT_CODES = frozenset({CannotCompleteCode.CUSTOMER_ABSENT, CannotCompleteCode.PARTS_MISSING,
                           CannotCompleteCode.SITE_NOT_READY})
CANNOT_COMPLETE_WORDS: dict[CannotCompleteCode, tuple[str, str]] = {
    CannotCompleteCode.CUSTOMER_ABSENT: ("客户不在家或无法入户", "customer absent or no access"),
    CannotCompleteCode.PARTS_MISSING: ("货物或配件缺失", "goods or parts missing"),
    CannotCompleteCode.SITE_NOT_READY: ("现场不具备施工条件", "site not ready"),
    CannotCompleteCode.CUSTOMER_DECLINES: ("客户拒绝服务", "customer declines the service"),
    CannotCompleteCode.NEEDS_OTHER_TRADE: ("超出技能，需要其他工种",
                                           "beyond his skill: needs another trade"),
    CannotCompleteCode.OTHER: ("其他原因", "other"),
}


S = OrderState
TERMINAL = frozenset({S.CLOSED, S.CANCELLED})
# States in which the order is still open work for somebody (the queue shows these).
OPEN_STATES = frozenset(set(S) - TERMINAL)
# Once the visit is done the order can no longer be cancelled, only frozen or settled.
CANCELLABLE = frozenset(
    {S.NEW, S.AUDITED, S.PLACED, S.CLASSIFIED, S.DISPATCHING, S.ASSIGNED, S.ACCEPTED, S.APPOINTED}
)
AFTER_SALES_FROM = frozenset({S.VERIFIED, S.IN_REVIEW, S.SETTLEABLE, S.SETTLED, S.CLOSED})

_DESK = frozenset({Role.AGENT, Role.SUPERVISOR, Role.ADMIN})
_FIELD = frozenset({Role.TECHNICIAN, Role.AGENT, Role.SUPERVISOR, Role.ADMIN})
_MONEY = frozenset({Role.FINANCE, Role.ADMIN})
# What the automatic intake and dispatcher do; nothing after the visit, nothing about money.
_AUTO = _DESK | {Role.SYSTEM}
# Verification and the review period: a person, or the backend's own check.
_REVIEW = _DESK | {Role.SYSTEM}


@dataclass(frozen=True)
class Action:
    """One step an actor can take: from which states, to which state, by whom."""

    name: str
    sources: frozenset[OrderState]
    target: OrderState | None  # None: decided by the aggregate (unfreeze restores)
    roles: frozenset[Role]
    needs_reason: bool = False


def _a(
    name: str,
    sources: set[OrderState] | frozenset[OrderState],
    target: OrderState | None,
    roles: frozenset[Role],
    needs_reason: bool = False,
) -> Action:
    return Action(name, frozenset(sources), target, roles, needs_reason)


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        _a("audit", {S.NEW}, S.AUDITED, _AUTO),
        _a("place", {S.AUDITED}, S.PLACED, _AUTO),
        _a("classify", {S.PLACED}, S.CLASSIFIED, _AUTO),
        _a("open_dispatch", {S.CLASSIFIED}, S.DISPATCHING, _AUTO),
        # Dispatching moves through the region's modes (central -> grab -> manual); each move
        # to a later mode, and why, is an `escalate`.
        _a("escalate", {S.DISPATCHING}, S.DISPATCHING, _AUTO, needs_reason=True),
        _a("assign", {S.DISPATCHING, S.ASSIGNED}, S.ASSIGNED, _AUTO),
        # A technician takes an order offered in the grab pool.
        _a("claim", {S.DISPATCHING}, S.ASSIGNED, frozenset({Role.TECHNICIAN})),
        # The assignment is taken back (not accepted in time, or by an agent) to dispatch again.
        _a("withdraw", {S.ASSIGNED}, S.DISPATCHING, _AUTO, needs_reason=True),
        # Pinned: automatic dispatch never changes this assignment.
        _a("pin", {S.ASSIGNED, S.ACCEPTED, S.APPOINTED}, None, _DESK),
        _a("unpin", {S.ASSIGNED, S.ACCEPTED, S.APPOINTED}, None, _DESK, needs_reason=True),
        # Urgent, VIP, incident, fee change, a grab price: facts that steer dispatch.
        _a("mark", OPEN_STATES - {S.FROZEN}, None, _DESK, needs_reason=True),
        _a("accept", {S.ASSIGNED}, S.ACCEPTED, _FIELD),
        _a("refuse", {S.ASSIGNED, S.ACCEPTED}, S.DISPATCHING, _FIELD, needs_reason=True),
        _a("appoint", {S.ACCEPTED, S.APPOINTED}, S.APPOINTED, _FIELD),
        _a("check_in", {S.APPOINTED}, S.CHECKED_IN, _FIELD),
        _a("complete", {S.CHECKED_IN}, S.SERVED, _FIELD),
        # The visit cannot be done: back to him to book again, or back to a person at
        # dispatch (the reason code decides; ServiceOrder._on_cannot_complete).
        _a("cannot_complete", {S.ACCEPTED, S.APPOINTED, S.CHECKED_IN}, None, _FIELD,
           needs_reason=True),
        # Verified by a person in the review queue, or by the backend when the evidence is
        # complete and the technician is not routed to manual review; the review period then
        # starts at once and ends by itself (the backend) unless a follow-up finds a problem.
        _a("verify", {S.SERVED}, S.VERIFIED, _REVIEW),
        _a("start_review", {S.VERIFIED}, S.IN_REVIEW, _REVIEW),
        _a("pass_review", {S.IN_REVIEW}, S.SETTLEABLE, _REVIEW),
        _a("settle", {S.SETTLEABLE}, S.SETTLED, _MONEY),
        _a("close", {S.SETTLED}, S.CLOSED, _MONEY),
        _a("cancel", CANCELLABLE, S.CANCELLED, _AUTO, needs_reason=True),
        _a("freeze", OPEN_STATES - {S.FROZEN}, S.FROZEN, _DESK | _MONEY, needs_reason=True),
        _a("unfreeze", {S.FROZEN}, None, _DESK | _MONEY, needs_reason=True),
        # Opens a new after-sales order; the original keeps its state.
        _a("after_sales", AFTER_SALES_FROM, None, _DESK, needs_reason=True),
    ]
}


def allowed_actions(state: OrderState, role: Role | None = None) -> list[str]:
    """The actions the state allows, optionally only those the role may take."""
    return [
        a.name
        for a in ACTIONS.values()
        if state in a.sources and (role is None or role in a.roles)
    ]
