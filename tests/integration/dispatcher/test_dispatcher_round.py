"""Dispatch rounds against SQLite and PostgreSQL: open, assign, escalate, take back, offer."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from test_dispatcher_support import (
    AGENT,
    T0,
    act,
    add_technician,
    classify,
    events,
    offers,
    order,
    order_ids,
    round_at,
    set_policy,
    set_technician,
    technician_id,
    writer,
)

from core.dispatch.engine import plan
from core.orders.lifecycle import DispatchMode, OrderState
from core.services.dispatch import CENTRE, RoundReport
from core.services.dispatch_apply import apply_plan
from core.storage.dispatch.snapshot import load


def test_a_classified_order_is_opened_and_assigned_with_terms_and_reason(world: Engine):
    first = order_ids(world)[0]
    classify(world, first)
    report = round_at(world, T0)
    assert (report.opened, report.assigned) == (1, 1)
    placed = order(world, first)
    assert placed.state is OrderState.ASSIGNED and not placed.dispatch_pinned
    assert placed.technician_id == technician_id(world, "t1")
    assert placed.accept_by == T0 + timedelta(minutes=30)
    opened, assign = events(world, first)[-2:]
    assert (opened.kind, opened.data["mode"], opened.actor) == ("open_dispatch", "auto",
                                                               CENTRE.name)
    assert assign.kind == "assign" and assign.data["automatic"] is True
    assert assign.data["terms"]["load"] == 1 and "goals" in assign.data["terms"]
    assert assign.reason.startswith("中心派单：距离 1.4 公里；今日 1/4 单；评分 4.5")


def test_a_second_round_leaves_everything_as_it_is(world: Engine):
    classify(world, order_ids(world)[0])
    round_at(world, T0)
    again = round_at(world, T0 + timedelta(seconds=3))
    assert (again.opened, again.assigned, sum(again.escalated.values())) == (0, 0, 0)


def test_an_impossible_policy_sends_the_order_to_a_person_with_the_reason(world: Engine):
    set_policy(world, {"required_qualifications": {"install": ["高空作业证"]}})
    first = order_ids(world)[0]
    classify(world, first)
    report = round_at(world, T0)
    assert report.escalated == {"no_eligible": 1}
    stuck = order(world, first)
    assert stuck.state is OrderState.DISPATCHING and stuck.dispatch_mode is DispatchMode.MANUAL
    assert stuck.dispatch_note == ("无法自动派单：本区域具备技能的师傅都没有「高空作业证」资质 "
                                  "(cannot dispatch automatically: no skilled technician "
                                  "here holds 高空作业证)")
    assert events(world, first)[-1].data["code"] == "no_eligible"


def test_an_agent_assigning_meanwhile_wins_and_stays_pinned(world: Engine):
    first = order_ids(world)[0]
    classify(world, first)
    act(world, first, "open_dispatch", mode="auto")
    with Session(world) as session:
        loaded = load(session, T0)
    decided = plan(loaded.snapshot)
    other = add_technician(world, "t9", 116.45, 39.92)
    act(world, first, "assign", technician_id=other, pinned=True)  # between snapshot and apply
    report = RoundReport()
    apply_plan(writer(world), loaded, decided.decisions, T0, report)
    assert (report.stale, report.assigned) == (1, 0)
    kept = order(world, first)
    assert kept.technician_id == other and kept.dispatch_pinned
    # Later rounds leave the pinned assignment alone too.
    assert round_at(world, T0 + timedelta(seconds=5)).assigned == 0
    assert order(world, first).technician_id == other


def test_one_stale_order_does_not_cost_the_others_their_decisions(world: Engine):
    first, second, _ = order_ids(world)
    classify(world, first)
    classify(world, second)
    with Session(world) as session:
        loaded = load(session, T0)
    decided = plan(loaded.snapshot)
    act(world, first, "open_dispatch", mode="manual", note="坐席接手")
    report = RoundReport()
    apply_plan(writer(world), loaded, decided.decisions, T0, report)
    assert report.stale == 1 and report.assigned == 1
    assert order(world, second).state is OrderState.ASSIGNED
    assert order(world, first).dispatch_mode is DispatchMode.MANUAL


def test_a_timeout_takes_the_order_back_and_gives_it_to_someone_else(world: Engine):
    first = order_ids(world)[0]
    classify(world, first)
    round_at(world, T0)
    other = add_technician(world, "t9", 116.50, 39.90)
    report = round_at(world, T0 + timedelta(minutes=31))
    assert (report.withdrawn, report.assigned) == (1, 1)
    moved = order(world, first)
    assert moved.state is OrderState.ASSIGNED and moved.technician_id == other
    withdraw = [e for e in events(world, first) if e.kind == "withdraw"][-1]
    assert withdraw.data["code"] == "timeout"
    assert withdraw.data["previous_technician_id"] == technician_id(world, "t1")
    assert "30 分钟内未接单" in withdraw.reason


def test_a_pinned_assignment_that_times_out_goes_to_a_person(world: Engine):
    first = order_ids(world)[0]
    classify(world, first)
    act(world, first, "open_dispatch", mode="manual", note="坐席接手")
    act(world, first, "assign", technician_id=technician_id(world, "t1"), pinned=True,
        accept_by=T0 + timedelta(minutes=30))
    round_at(world, T0 + timedelta(minutes=31))
    back = order(world, first)
    assert back.state is OrderState.DISPATCHING and back.dispatch_mode is DispatchMode.MANUAL
    assert "由人指定" in back.dispatch_note


def test_refusals_up_to_the_limit_send_the_order_to_a_person(world: Engine):
    first = order_ids(world)[0]
    classify(world, first)
    add_technician(world, "t9", 116.50, 39.90)
    for n in range(2):
        round_at(world, T0 + timedelta(minutes=n))
        held = order(world, first)
        assert held.state is OrderState.ASSIGNED
        tech_actor = AGENT  # a desk user may record the refusal for the technician
        act(world, first, "refuse", T0 + timedelta(minutes=n, seconds=30), actor=tech_actor,
            code="no_time")
    report = round_at(world, T0 + timedelta(minutes=3))
    assert report.escalated == {"refused_too_often": 1}
    assert order(world, first).dispatch_mode is DispatchMode.MANUAL


def test_marking_an_order_urgent_while_it_waits_sends_it_to_a_person(world: Engine):
    first = order_ids(world)[0]
    classify(world, first)
    set_technician(world, "t1", daily_capacity=0)
    round_at(world, T0)
    assert order(world, first).dispatch_mode is DispatchMode.AUTO  # waiting for capacity
    act(world, first, "mark", tags=["urgent"])
    report = round_at(world, T0 + timedelta(seconds=3))
    assert report.escalated == {"urgent": 1}
    assert order(world, first).dispatch_note == (
        "加急订单，需人工派单 (an urgent order goes to a person)")


def test_full_capacity_moves_on_to_the_grab_pool_and_then_to_a_person(world: Engine):
    first = order_ids(world)[0]
    classify(world, first)
    set_technician(world, "t1", daily_capacity=0)
    assert round_at(world, T0).waiting == 1
    later = T0 + timedelta(minutes=6)
    report = round_at(world, later)
    assert report.escalated == {"central_exhausted": 1} and report.offers_opened == 1
    assert order(world, first).dispatch_mode is DispatchMode.GRAB
    (offer,) = offers(world, first)
    assert offer.status == "open" and offer.expires_at == later + timedelta(minutes=30)
    assert round_at(world, later + timedelta(minutes=1)).offers_opened == 0  # idempotent
    expired = round_at(world, later + timedelta(minutes=30))
    assert expired.escalated == {"unclaimed": 1}
    (offer,) = offers(world, first)
    assert offer.status == "expired"
    gone = order(world, first)
    assert gone.dispatch_mode is DispatchMode.MANUAL
    assert gone.dispatch_note == ("抢单池 30 分钟无人接单，转人工派单 (nobody claimed it in the "
                                 "grab pool in 30 min; to manual dispatch)")


def test_an_offer_whose_order_an_agent_took_is_withdrawn(world: Engine):
    set_policy(world, {"stages": [{"mode": "grab", "minutes": 30},
                                  {"mode": "manual", "minutes": None}]})
    first = order_ids(world)[0]
    classify(world, first)
    assert round_at(world, T0).offers_opened == 1
    act(world, first, "assign", technician_id=technician_id(world, "t1"))
    report = round_at(world, T0 + timedelta(seconds=3))
    assert report.offers_closed == 1
    assert [o.status for o in offers(world, first)] == ["withdrawn"]


def test_an_order_in_an_uncovered_city_opens_as_manual(world: Engine):
    first = order_ids(world)[0]
    act(world, first, "audit")
    act(world, first, "place", county_adcode="440106")  # 广州天河: no technician there
    act(world, first, "classify", service_type="install")
    report = round_at(world, T0)
    assert report.escalated == {"uncovered": 1}
    assert order(world, first).dispatch_note == (
        "本市没有在岗师傅 (no technician on duty in this city)")
