"""Urging (催单): whom each alert level of each step urges, which breaches go back to manual
dispatch, and who may read and answer an urge. Pure: the policy as data, its body checked
field by field (UrgePolicyError names the field), and the decisions the urge round takes.

By default a 预警 reminds the technician, a 警告 his service point, and a breach (严重)
escalates to the supervisor; a breach of the accept step also takes the order back to manual
dispatch (nobody accepted it in time: a person dispatches it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from core.orders.lifecycle import DispatchMode, OrderState, Role
from core.sla.limit_types import Level, Step

MAX_URGE_TEXT = 500


class Target(StrEnum):
    """Whom an urge is addressed to (NONE: the policy urges nobody at that level)."""

    TECHNICIAN = "technician"
    SERVICE_POINT = "service_point"  # the technician's service point (he sees it too)
    SUPERVISOR = "supervisor"
    DESK = "desk"  # agents and supervisors: nobody in the field to remind yet
    NONE = "none"


TARGET_WORDS: dict[Target, tuple[str, str]] = {
    Target.TECHNICIAN: ("师傅", "technician"),
    Target.SERVICE_POINT: ("服务网点", "service point"),
    Target.SUPERVISOR: ("主管", "supervisor"),
    Target.DESK: ("客服", "desk"),
    Target.NONE: ("不催", "nobody"),
}


class Source(StrEnum):
    ALERT = "alert"  # the urge round, from a recorded warning or breach
    MANUAL = "manual"  # an agent or supervisor by hand
    PLATFORM = "platform"  # a platform's 催单 through intake


class ToManual(StrEnum):
    """What the breach policy did to the order's dispatch ('' nothing)."""

    ESCALATED = "escalated"  # dispatching in auto/grab: moved to manual
    WITHDRAWN = "withdrawn"  # assigned, not accepted: taken back to manual


LEVEL_FIELDS = {Level.NOTICE: "notice", Level.WARNING: "warning", Level.SEVERE: "severe"}
FIELD_TARGETS = frozenset({Target.TECHNICIAN, Target.SERVICE_POINT})


class UrgePolicyError(ValueError):
    def __init__(self, loc: tuple[str, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message


@dataclass(frozen=True)
class StepUrging:
    notice: Target = Target.TECHNICIAN
    warning: Target = Target.SERVICE_POINT
    severe: Target = Target.SUPERVISOR
    to_manual: bool = False  # a breach takes the order back to manual dispatch

    def target(self, level: Level) -> Target:
        return Target(getattr(self, LEVEL_FIELDS[level]))

    def as_dict(self) -> dict[str, Any]:
        return {"notice": self.notice.value, "warning": self.warning.value,
                "severe": self.severe.value, "to_manual": self.to_manual}


@dataclass(frozen=True)
class UrgePolicy:
    steps: Mapping[Step, StepUrging] = field(default_factory=dict)

    def of(self, step: Step) -> StepUrging:
        return self.steps.get(step, StepUrging())

    def as_body(self) -> dict[str, Any]:
        return {"steps": {s.value: self.of(s).as_dict() for s in Step}}


BUILT_IN = UrgePolicy({s: StepUrging(to_manual=s is Step.ACCEPT) for s in Step})


def parse_policy(body: Mapping[str, Any]) -> UrgePolicy:
    """The policy a body sets; steps it leaves out keep the built-in urging."""
    unknown = sorted(set(body) - {"steps"})
    if unknown:
        raise UrgePolicyError((unknown[0],), f"未知字段 {unknown[0]} (unknown field)")
    steps = body.get("steps", {})
    if not isinstance(steps, Mapping):
        raise UrgePolicyError(("steps",), "应为按环节的对象 (an object by step)")
    out = dict(BUILT_IN.steps)
    for name, value in steps.items():
        try:
            step = Step(name)
        except ValueError:
            raise UrgePolicyError(("steps", str(name)), f"'{name}' 不是环节 (not a step; use "
                                  f"{', '.join(Step)})") from None
        out[step] = _step(step, value)
    return UrgePolicy(out)


def _step(step: Step, value: Any) -> StepUrging:
    loc = ("steps", step.value)
    if not isinstance(value, Mapping):
        raise UrgePolicyError(loc, "应为对象 (an object)")
    unknown = sorted(set(value) - {*LEVEL_FIELDS.values(), "to_manual"})
    if unknown:
        raise UrgePolicyError((*loc, str(unknown[0])), f"未知字段 {unknown[0]} (unknown field)")
    base = BUILT_IN.of(step)
    chosen: dict[str, Any] = {}
    for name in LEVEL_FIELDS.values():
        raw = value.get(name, getattr(base, name).value)
        try:
            chosen[name] = Target(raw)
        except ValueError:
            raise UrgePolicyError((*loc, name), f"'{raw}' 不是催单对象 (not a target; use "
                                  f"{', '.join(Target)})") from None
    to_manual = value.get("to_manual", base.to_manual)
    if not isinstance(to_manual, bool):
        raise UrgePolicyError((*loc, "to_manual"), "应为 true 或 false (true or false)")
    return StepUrging(to_manual=to_manual, **chosen)


def addressee(level: Level, urging: StepUrging, has_technician: bool,
              has_point: bool) -> Target | None:
    """Whom an alert urges (None: nobody). A service point falls back to its technician when
    he has none; with nobody in the field yet the field reminder goes to the desk."""
    target = urging.target(level)
    if target is Target.NONE:
        return None
    if target is Target.SERVICE_POINT and not has_point:
        target = Target.TECHNICIAN
    if target in FIELD_TARGETS and not has_technician:
        return Target.DESK
    return target


def manual_move(level: Level, urging: StepUrging, state: OrderState,
                mode: DispatchMode | None) -> ToManual | None:
    """What a breach does to dispatch under the policy: only an order not yet accepted can go
    back to a person (dispatching in another mode, or assigned and unanswered)."""
    if level is not Level.SEVERE or not urging.to_manual:
        return None
    if state is OrderState.DISPATCHING and mode is not DispatchMode.MANUAL:
        return ToManual.ESCALATED
    if state is OrderState.ASSIGNED:
        return ToManual.WITHDRAWN
    return None


DESK_READERS = frozenset({Role.AGENT, Role.SUPERVISOR, Role.ADMIN})
URGERS = frozenset({Role.AGENT, Role.SUPERVISOR})


def may_read(target: Target, technician_id: int | None, role: Role,
             own_technician: int | None) -> bool:
    """Desk roles read every urge; a technician only those addressed to him (or his point)."""
    if role in DESK_READERS:
        return True
    return (role is Role.TECHNICIAN and target in FIELD_TARGETS
            and own_technician is not None and technician_id == own_technician)


def may_reply(target: Target, technician_id: int | None, role: Role,
              own_technician: int | None) -> bool:
    """An urge is answered by whom it was addressed to: the technician (also for his
    point), the supervisor, or the desk (an agent or a supervisor)."""
    if target in FIELD_TARGETS:
        return (role is Role.TECHNICIAN and own_technician is not None
                and technician_id == own_technician)
    if target is Target.SUPERVISOR:
        return role is Role.SUPERVISOR
    return target is Target.DESK and role in URGERS
