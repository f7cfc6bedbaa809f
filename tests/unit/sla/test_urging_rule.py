"""The urging rule: whom each alert level urges, the fall-backs when nobody is in the field,
which breaches go back to manual dispatch, who may read and answer, and the policy body's
checks naming the field."""

from __future__ import annotations

import pytest

from core.orders.lifecycle import DispatchMode, OrderState, Role
from core.sla.limit_types import Level, Step
from core.sla.urging import (
    BUILT_IN,
    StepUrging,
    Target,
    ToManual,
    UrgePolicyError,
    addressee,
    manual_move,
    may_read,
    may_reply,
    parse_policy,
)

T, SP, SUP, DESK = Target.TECHNICIAN, Target.SERVICE_POINT, Target.SUPERVISOR, Target.DESK


@pytest.mark.parametrize(("level", "tech", "point", "expected"), [
    (Level.NOTICE, True, True, T),
    (Level.WARNING, True, True, SP),
    (Level.WARNING, True, False, T),  # no service point: its technician
    (Level.NOTICE, False, False, DESK),  # nobody in the field yet: the desk
    (Level.WARNING, False, True, DESK),
    (Level.SEVERE, False, False, SUP),
    (Level.SEVERE, True, True, SUP),
])
def test_the_built_in_policy_urges_technician_then_point_then_supervisor(
        level: Level, tech: bool, point: bool, expected: Target) -> None:
    assert addressee(level, BUILT_IN.of(Step.ON_SITE), tech, point) is expected


def test_a_level_the_policy_urges_nobody_about_has_no_addressee() -> None:
    quiet = StepUrging(notice=Target.NONE)

    assert addressee(Level.NOTICE, quiet, True, True) is None


@pytest.mark.parametrize(("state", "mode", "expected"), [
    (OrderState.DISPATCHING, DispatchMode.AUTO, ToManual.ESCALATED),
    (OrderState.DISPATCHING, DispatchMode.GRAB, ToManual.ESCALATED),
    (OrderState.DISPATCHING, DispatchMode.MANUAL, None),  # a person has it already
    (OrderState.ASSIGNED, DispatchMode.AUTO, ToManual.WITHDRAWN),
    (OrderState.ACCEPTED, DispatchMode.AUTO, None),  # accepted: his to finish
])
def test_an_accept_breach_goes_back_to_manual_dispatch_while_not_accepted(
        state: OrderState, mode: DispatchMode, expected: ToManual | None) -> None:
    assert manual_move(Level.SEVERE, BUILT_IN.of(Step.ACCEPT), state, mode) is expected


def test_warnings_and_policies_without_to_manual_never_move_dispatch() -> None:
    accept = BUILT_IN.of(Step.ACCEPT)

    assert manual_move(Level.WARNING, accept, OrderState.ASSIGNED, DispatchMode.AUTO) is None
    assert manual_move(Level.SEVERE, BUILT_IN.of(Step.ON_SITE), OrderState.ASSIGNED,
                       DispatchMode.AUTO) is None


@pytest.mark.parametrize(("target", "role", "own", "read", "reply"), [
    (T, Role.TECHNICIAN, 7, True, True),
    (SP, Role.TECHNICIAN, 7, True, True),
    (T, Role.TECHNICIAN, 8, False, False),  # another technician's urge
    (SUP, Role.TECHNICIAN, 7, False, False),
    (T, Role.AGENT, None, True, False),  # a desk role cannot answer as the technician
    (SUP, Role.AGENT, None, True, False),
    (SUP, Role.SUPERVISOR, None, True, True),
    (DESK, Role.AGENT, None, True, True),
    (DESK, Role.ADMIN, None, True, False),
    (T, Role.FINANCE, None, False, False),
])
def test_who_reads_and_who_answers(target: Target, role: Role, own: int | None, read: bool,
                                   reply: bool) -> None:
    assert may_read(target, 7, role, own) is read
    assert may_reply(target, 7, role, own) is reply


def test_a_body_sets_some_steps_and_the_rest_stay_built_in() -> None:
    policy = parse_policy({"steps": {"on_site": {"warning": "supervisor", "to_manual": True}}})

    assert policy.of(Step.ON_SITE) == StepUrging(warning=SUP, to_manual=True)
    assert policy.of(Step.ACCEPT) == BUILT_IN.of(Step.ACCEPT)
    assert parse_policy(policy.as_body()) == policy


@pytest.mark.parametrize(("body", "loc"), [
    ({"steps": {"nap": {}}}, ("steps", "nap")),
    ({"steps": {"accept": {"notice": "boss"}}}, ("steps", "accept", "notice")),
    ({"steps": {"accept": {"to_manual": "yes"}}}, ("steps", "accept", "to_manual")),
    ({"steps": {"accept": {"shout": "x"}}}, ("steps", "accept", "shout")),
    ({"steps": {"accept": []}}, ("steps", "accept")),
    ({"steps": []}, ("steps",)),
    ({"levels": {}}, ("levels",)),
])
def test_a_bad_body_is_refused_naming_the_field(body: dict[str, object],
                                                loc: tuple[str, ...]) -> None:
    with pytest.raises(UrgePolicyError) as raised:
        parse_policy(body)

    assert raised.value.loc == loc
