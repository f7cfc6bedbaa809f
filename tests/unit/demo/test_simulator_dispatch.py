"""The simulator around the backend's dispatch: technicians answer, claim and race in the grab
pool; a stand-in agent works the needs-person list after its patience; arrivals get marks."""

from __future__ import annotations

import logging
import random
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from demo_fakes import FakeBackend

from core.contracts.orders import ItemIn, OrderCreate
from core.demo import marks, wording
from core.demo.acting import Performer, StepReport
from core.demo.agent_desk import DISPATCH_PATIENCE, GIVE_UP_AFTER, StandInAgent
from core.demo.api import ApiSession
from core.demo.crew import IGNORE_SHARE, REFUSE_SHARE, Crew
from core.demo.grabbing import GrabHunt
from core.demo.simulator import Simulator, pace_from_env
from core.orders.lifecycle import OrderState, RefusalCode, ServiceType
from core.orders.model import ServiceOrder

CHENGDU_WUHOU = "510107"
HANGZHOU_XIHU = "330106"
NOW = datetime.now(UTC)


@pytest.fixture
async def client() -> AsyncIterator[tuple[FakeBackend, httpx.AsyncClient]]:
    fake = FakeBackend()
    async with httpx.AsyncClient(transport=fake.transport(), base_url="http://demo") as http:
        yield fake, http


def _waiting(fake: FakeBackend, county: str, skills: list[str],
             tags: tuple[str, ...] = ()) -> int:
    """An order the backend's dispatcher has just opened (as the fake dispatcher does)."""
    order = fake.receive(_create(county, skills))
    centre = fake.users["centre"]
    order.perform("audit", centre, NOW)
    order.perform("place", centre, NOW, county_adcode=county)
    order.perform("classify", centre, NOW, service_type="install")
    if tags:
        order.perform("mark", centre, NOW, "标记", tags=list(tags))
    fake.dispatch.tick()
    assert order.id is not None
    return order.id


def _create(county: str, skills: list[str]) -> OrderCreate:
    return OrderCreate(platform="own", platform_order_id=f"T{random.random()}",
                       customer_name="王芳", customer_phone="13912345678", address="测试路 2 号",
                       county_adcode=county, service_type=ServiceType.INSTALL, skills=skills,
                       items=[ItemIn(sku="GN-LOCK", name="智能门锁", quantity=1,
                                     unit_price_fen=149900)])


def _kinds(order: ServiceOrder) -> list[str]:
    return [e.kind for e in order.pending_events]


# -- the grab pool -------------------------------------------------------------------------

async def test_technicians_racing_for_one_offer_leave_exactly_one_winner(
    client: tuple[FakeBackend, httpx.AsyncClient], caplog: pytest.LogCaptureFixture,
) -> None:
    fake, http = client
    order_id = _waiting(fake, CHENGDU_WUHOU, ["general"])
    assert fake.orders[order_id].dispatch_mode == "grab"
    crew = Crew(random.Random(1), Performer())
    everyone = len(fake.technicians)
    hunt = GrabHunt(random.Random(1), crew, lookers=everyone, new_logins=everyone)
    hunt.wants = lambda offer: True  # type: ignore[method-assign]
    centre = ApiSession(http, "centre")
    report = StepReport()
    caplog.set_level(logging.INFO, logger="core.demo")

    await hunt.round(http, centre, report)

    eligible = [t for t in fake.technicians.values()
                if t.county_adcode.startswith("5101") and "general" in t.skills]
    order = fake.orders[order_id]
    assert report.actions["claim"] == 1
    assert report.claims_lost == len(eligible) - 1 >= 1
    assert order.state is OrderState.ACCEPTED  # a claim is the technician's acceptance
    assert _kinds(order)[-2:] == ["claim", "accept"]
    assert "taken" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_cheap_offers_tempt_few_and_priced_ones_many() -> None:
    hunt = GrabHunt(random.Random(3), Crew(random.Random(3), Performer()))

    def share(offer: dict[str, object]) -> float:
        return sum(hunt.wants(offer) for _ in range(2000)) / 2000

    plain = share({"price_fen": None, "below_floor": False, "distance_km": 3.0})
    cheap = share({"price_fen": 1500, "below_floor": True, "distance_km": 3.0})
    priced = share({"price_fen": 8000, "below_floor": False, "distance_km": 3.0})
    far = share({"price_fen": None, "below_floor": False, "distance_km": 40.0})
    assert cheap < far < plain < priced


async def test_rounds_claim_orders_from_the_pool() -> None:
    fake = FakeBackend()
    async with Simulator("http://demo", transport=fake.transport(), order_seed=1) as sim:
        for _ in range(40):
            await sim.step()

    claimed = [o for o in fake.orders.values() if "claim" in _kinds(o)]
    assert claimed
    assert all(o.county_adcode and o.county_adcode.startswith("51") for o in claimed)


# -- answering an assignment ---------------------------------------------------------------

def test_each_assignment_is_answered_once_and_some_are_left_to_time_out() -> None:
    crew = Crew(random.Random(5), Performer())

    answers = Counter(crew.answer_for(order_id, 7) for order_id in range(3000))

    assert all(crew.answer_for(i, 7) == crew.answer_for(i, 7) for i in range(50))
    assert abs(answers["ignore"] / 3000 - IGNORE_SHARE) < 0.02
    assert abs(answers["refuse"] / 3000 - REFUSE_SHARE) < 0.02
    assert answers["accept"] > 0.8 * 3000


async def test_refusals_carry_a_code_and_ignored_assignments_are_never_touched() -> None:
    fake = FakeBackend()
    async with Simulator("http://demo", transport=fake.transport(), order_seed=2,
                         seed=11) as sim:
        for _ in range(60):
            await sim.step()
        answers = dict(sim._crew._answers)

    refusals = [e for o in fake.orders.values() for e in o.pending_events if e.kind == "refuse"]
    assert refusals
    for event in refusals:
        code = event.data["code"]
        assert RefusalCode(code) is not RefusalCode.TIMEOUT
        assert event.reason in wording.REFUSALS[code]
    ignored = {k for k, v in answers.items() if v == "ignore"}
    assert ignored
    for order_id, technician_id in ignored:
        after_assign = False
        for event in fake.orders[order_id].pending_events:
            if event.kind == "assign" and event.data["technician_id"] == technician_id:
                after_assign = True
            elif after_assign and event.actor_role == "technician":
                raise AssertionError(f"ignored assignment of {order_id} was answered")


# -- the stand-in agent --------------------------------------------------------------------

async def test_the_agent_waits_its_patience_then_assigns_the_best_candidate_pinned(
    client: tuple[FakeBackend, httpx.AsyncClient],
) -> None:
    fake, http = client
    order_id = _waiting(fake, HANGZHOU_XIHU, ["general"], tags=("vip",))
    order = fake.orders[order_id]
    assert (order.state, order.dispatch_mode) == (OrderState.DISPATCHING, "manual")
    agent = StandInAgent(random.Random(2), Performer())
    report = StepReport()
    # The fake dispatcher stamps `since` with its own (real) clock: the agent's time runs on
    # from it, however long the suite ran before this test.
    start = fake.dispatch.now()

    await agent.round(http, report, now=start + DISPATCH_PATIENCE / 2)
    assert order.state is OrderState.DISPATCHING  # still waiting for a person
    for minute in range(20):
        await agent.round(http, report,
                          now=start + DISPATCH_PATIENCE + timedelta(minutes=minute))

    assert order.state is OrderState.ASSIGNED
    assign = order.pending_events[-1]
    assert (assign.kind, assign.actor, assign.data["pinned"]) == ("assign", "sim-agent", True)
    # Why it needed a person (the fake dispatcher's note) is in the agent's reason, in Chinese
    # as he types it (the note is bilingual).
    assert assign.reason == wording.MANUAL_ASSIGN.format(why="vip 订单需人工派单")
    assert report.actions["manual_assign"] == 1


async def test_nobody_near_enough_means_the_agent_cancels_after_a_long_wait(
    client: tuple[FakeBackend, httpx.AsyncClient], monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake, http = client
    order_id = _waiting(fake, HANGZHOU_XIHU, ["rocket_science"])
    fake.dispatch.tick()  # nobody has the skill: to a person
    order = fake.orders[order_id]
    assert order.dispatch_mode == "manual"
    monkeypatch.setattr(fake, "_candidates", lambda o: [
        {"technician": {"id": 1}, "distance_km": 900.0, "breaks": ["区域"]}])
    agent = StandInAgent(random.Random(0), Performer())
    report = StepReport()
    start = fake.dispatch.now()  # the fake dispatcher's clock stamped `since`

    waited = timedelta(0)
    while order.state is not OrderState.CANCELLED and waited < timedelta(hours=1):
        waited += timedelta(minutes=1)
        await agent.round(http, report, now=start + waited)

    cancel = order.pending_events[-1]
    assert (cancel.kind, cancel.actor, cancel.reason) == ("cancel", "sim-agent",
                                                          wording.MANUAL_CANCEL)
    assert DISPATCH_PATIENCE * GIVE_UP_AFTER <= waited <= DISPATCH_PATIENCE * GIVE_UP_AFTER * 2


# -- marks on arrival ----------------------------------------------------------------------

def test_a_few_arrivals_are_marked_vip_urgent_or_priced_either_side_of_the_floor() -> None:
    rng = random.Random(9)

    drawn = [marks.draw_mark(rng) for _ in range(4000)]

    tagged = [m for m in drawn if m and m.tags]
    priced = [m.grab_price_fen for m in drawn if m and m.grab_price_fen is not None]
    assert 0.035 < len(tagged) / 4000 < 0.065
    assert 0.015 < len(priced) / 4000 < 0.045
    assert {t for m in tagged for t in m.tags} == {"vip", "urgent"}
    assert min(priced) < 3000 < max(priced)
    assert all(m.reason in (wording.MARK_VIP, wording.MARK_URGENT) for m in tagged)


async def test_marked_arrivals_go_to_a_person_with_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(marks, "TAG_SHARE", 1.0)
    fake = FakeBackend()
    async with Simulator("http://demo", transport=fake.transport(), order_seed=4) as sim:
        for _ in range(4):
            await sim.step()

    marked = [o for o in fake.orders.values() if "mark" in _kinds(o)]
    assert marked
    for order in marked:
        event = next(e for e in order.pending_events if e.kind == "mark")
        assert (event.actor, event.reason) in {("centre", wording.MARK_VIP),
                                               ("centre", wording.MARK_URGENT)}
    waiting = [o for o in marked if o.state is OrderState.DISPATCHING]
    assert waiting and all(o.dispatch_mode == "manual" for o in waiting)


# -- pace ----------------------------------------------------------------------------------

def test_the_pace_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LASTMILE_DEMO_SPEED", "20")
    monkeypatch.setenv("LASTMILE_DEMO_ARRIVAL_SECONDS", "0.1,0.3")

    options = pace_from_env()
    sim = Simulator("http://demo", **options)

    assert options == {"speed": 20.0, "arrival_every": (0.1, 0.3)}
    assert sim._agent.patience == DISPATCH_PATIENCE / 20


def test_without_settings_the_pace_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LASTMILE_DEMO_SPEED", raising=False)
    monkeypatch.delenv("LASTMILE_DEMO_ARRIVAL_SECONDS", raising=False)

    assert pace_from_env() == {}
    assert Simulator("http://demo")._agent.patience == DISPATCH_PATIENCE



async def test_only_a_few_technicians_log_in_for_the_first_time_each_round(
    client: tuple[FakeBackend, httpx.AsyncClient],
) -> None:
    fake, http = client
    crew = Crew(random.Random(1), Performer())
    hunt = GrabHunt(random.Random(1), crew, lookers=10, new_logins=2)

    await hunt.round(http, ApiSession(http, "centre"), StepReport())

    lookers = [c for c in fake.calls if c[1:] == ("GET", "/v1/grab/offers")]
    assert len(lookers) == 2


async def test_an_order_escalated_before_the_demo_started_still_waits_the_patience(
    client: tuple[FakeBackend, httpx.AsyncClient],
) -> None:
    fake, http = client
    order = fake.orders[_waiting(fake, HANGZHOU_XIHU, ["general"], tags=("urgent",))]
    order.dispatch_since = NOW - timedelta(hours=3)  # from the seeded backlog
    agent = StandInAgent(random.Random(2), Performer())

    for minute in range(4):
        await agent.round(http, StepReport(), now=NOW + timedelta(minutes=minute))

    assert order.state is OrderState.DISPATCHING
