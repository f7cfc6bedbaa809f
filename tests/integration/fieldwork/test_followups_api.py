"""The review period and follow-up calls over HTTP on SQLite and PostgreSQL: a verified order's
period and sampled call, the worklist and who sees the customer's phone, each outcome
(satisfied: settleable and the rating; problem: the after-sales order, the freeze, the repeat
fault's charge; unreachable: the next try, giving up), complaints ruled by a supervisor, the
period's end with the clock advanced, clients' review policies; and every refusal over HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.fieldwork.flags import Flag, FlagKind
from core.fieldwork.followups import technician_rating
from core.orders.lifecycle import Role
from core.orders.model import Actor
from core.server.app import create_app
from core.server.outbox import outbox_round
from core.services.fieldwork.axb import SimulatedAxb
from core.services.fieldwork.review_period import begin_review
from core.services.fieldwork.sms import SimulatedSms
from core.storage.fieldwork.flags import add_flags, flags_of
from core.storage.tables import AuditLogRecord, OrderEventRecord, TechnicianRecord
from core.storage.uow import UnitOfWork

DESK = Actor("agent", Role.AGENT)
WANG = 1  # tech1's technician id in the tiny world
PHONES = {1: "13800000001", 2: "13800000002", 3: "13800000003"}
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # after the tiny world was seeded
Headers = Callable[[str], dict[str, str]]


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(NOW)


@pytest.fixture
def client(world: Engine, clock: SimulatedClock, sms: SimulatedSms) -> Iterator[TestClient]:
    app = create_app(world, poll_seconds=0.05, clock=clock, sms=sms)
    with TestClient(app) as test_client:
        yield test_client


Review = Callable[..., None]


@pytest.fixture
def in_review(world: Engine, clock: SimulatedClock) -> Review:
    """in_review(order_id, served_days_ago=0): the order served by tech1 that long ago, then
    verified now and its review begun, as the review queue or the automatic check does."""
    def start(order_id: int, served_days_ago: float = 0) -> None:
        served = clock.now() - timedelta(days=served_days_ago)
        steps: list[tuple[str, dict[str, Any]]] = [
            ("audit", {}), ("place", {"county_adcode": "110105"}),
            ("classify", {"service_type": "install"}), ("open_dispatch", {}),
            ("assign", {"technician_id": WANG}), ("accept", {}),
            ("appoint", {"start": served - timedelta(hours=2), "end": served}),
            ("check_in", {}), ("complete", {})]
        with UnitOfWork(world) as uow:
            order = uow.orders.get(order_id)
            assert order is not None
            for action, args in steps:
                order.perform(action, DESK, served, "test", **args)
            uow.orders.save(order)
            uow.commit()
        with UnitOfWork(world) as uow:
            order = uow.orders.get(order_id)
            assert order is not None
            order.perform("verify", DESK, clock.now(), "证据齐全")
            begin_review(uow.session, order, clock.now())
            uow.orders.save(order)
            uow.commit()
    return start


def _ok(response: Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    return dict(response.json())


def _refused(response: Response, status: int, words: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = dict(response.json())
    assert words in body["detail"], body
    return body


def _review(client: TestClient, login: Headers, order_id: int,
            as_: str = "agent") -> dict[str, Any]:
    return _ok(client.get(f"/v1/orders/{order_id}/review", headers=login(as_)))


def _followup(client: TestClient, login: Headers, order_id: int) -> dict[str, Any]:
    (followup,) = _review(client, login, order_id)["followups"]
    return dict(followup)


def _outcome(client: TestClient, login: Headers, order_id: int, as_: str = "agent",
             version: int | None = None, **body: Any) -> Response:
    followup = _followup(client, login, order_id)
    return client.post(f"/v1/followups/{followup['id']}/outcome", headers=login(as_),
                       json={"version": version or followup["version"], **body})


def _rating(world: Engine) -> float:
    with Session(world) as session:
        tech = session.get(TechnicianRecord, WANG)
        assert tech is not None
        return float(tech.rating)


def _problem(client: TestClient, login: Headers, order_id: int,
             kind: str = "quality") -> dict[str, Any]:
    return _ok(_outcome(client, login, order_id, outcome="problem", complaint_type=kind,
                        note="空调漏水，师傅装歪了"))


def _rule(client: TestClient, login: Headers, complaint: dict[str, Any], uphold: bool,
          as_: str = "supervisor", reason: str = "录音核实") -> Response:
    return client.post(f"/v1/complaints/{complaint['id']}/ruling", headers=login(as_),
                       json={"uphold": uphold, "version": complaint["version"],
                             "reason": reason})


# -- the period and the worklist ------------------------------------------------------------------

def test_a_verified_order_waits_in_review_with_its_sampled_call_due_now(
        client: TestClient, login: Headers, in_review: Review) -> None:
    in_review(1)

    review = _review(client, login, 1)
    assert review["state"] == "in_review"
    period = review["period"]
    assert (period["client_code"], period["closed_at"], period["outcome"]) == (
        "demo-tmall", None, None)
    assert period["until"].startswith("2026-03-09T09:00")  # 7 days, the built-in policy
    followup = review["followups"][0]
    assert followup["reasons"] == ["new_technician"]  # tech1's first orders
    assert (followup["status"], followup["attempts"], followup["max_attempts"]) == (
        "open", 0, 3)
    assert followup["due_at"].startswith("2026-03-02T09:00")


def test_the_worklist_lists_due_calls_with_the_customer_and_the_script(
        client: TestClient, login: Headers, in_review: Review) -> None:
    in_review(1)
    in_review(2)

    worklist = _ok(client.get("/v1/followups", headers=login("agent")))

    assert (worklist["scope"], worklist["total"], worklist["due"]) == ("due", 2, 2)
    row = worklist["rows"][0]
    assert row["customer_phone"] == PHONES[row["order_id"]]  # the agent calls the customer
    assert row["due"] and row["technician_name"] == "Wang Jian"
    assert row["order_no"] in row["script"] and "1-5" in row["script"]
    paged = _ok(client.get("/v1/followups", params={"limit": 1, "offset": 1},
                           headers=login("supervisor")))
    assert [r["order_id"] for r in paged["rows"]] == [worklist["rows"][1]["order_id"]]


@pytest.mark.parametrize("who", ["tech1", "finance"])
def test_technicians_and_finance_never_get_the_worklist(
        client: TestClient, login: Headers, in_review: Review, who: str) -> None:
    in_review(1)
    _refused(client.get("/v1/followups", headers=login(who)), 403, "may not do this")


def test_who_sees_the_customers_phone_in_an_orders_review(
        client: TestClient, login: Headers, in_review: Review) -> None:
    in_review(1)
    for desk in ("agent", "supervisor", "admin"):
        assert _review(client, login, 1, desk)["customer_phone"] == PHONES[1]
    masked = _review(client, login, 1, "finance")
    assert masked["customer_phone"] == "138****0001"
    assert masked["address"] != _review(client, login, 1)["address"]
    _refused(client.get("/v1/orders/1/review", headers=login("tech1")), 403, "may not do this")


# -- satisfied ------------------------------------------------------------------------------------

def test_a_satisfied_call_makes_the_order_settleable_and_moves_the_rating(
        client: TestClient, login: Headers, in_review: Review, world: Engine) -> None:
    in_review(1)

    done = _ok(_outcome(client, login, 1, outcome="satisfied", rating=5))

    assert (done["order_state"], done["followup"]["status"], done["followup"]["rating"]) == (
        "settleable", "done", 5)
    assert done["technician_rating"] == technician_rating([5], 0) == _rating(world)
    review = _review(client, login, 1)
    assert (review["period"]["outcome"], review["period"]["closed_by"]) == ("approved", "agent")
    with Session(world) as session:
        passed = session.scalars(select(OrderEventRecord).where(
            OrderEventRecord.order_id == 1, OrderEventRecord.kind == "pass_review")).one()
        logged = session.scalars(select(AuditLogRecord).where(
            AuditLogRecord.kind == "technician_rating")).one()
    assert (passed.actor, passed.to_state) == ("agent", "settleable")
    assert "满意" in passed.reason
    assert (logged.subject, logged.actor, logged.after["rating"]) == (
        str(WANG), "agent", _rating(world))


@pytest.mark.parametrize("rating", [0, 6])
def test_a_rating_outside_one_to_five_is_refused(
        client: TestClient, login: Headers, in_review: Review, rating: int) -> None:
    in_review(1)
    _refused(_outcome(client, login, 1, outcome="satisfied", rating=rating), 422,
             "满意须给出 1-5 分评价 (satisfied needs a rating of 1-5)")
    assert _review(client, login, 1)["state"] == "in_review"


def test_an_outcome_from_a_stale_version_is_a_conflict(
        client: TestClient, login: Headers, in_review: Review) -> None:
    in_review(1)
    first = _followup(client, login, 1)
    _ok(_outcome(client, login, 1, outcome="unreachable"))

    stale = client.post(f"/v1/followups/{first['id']}/outcome", headers=login("agent"),
                        json={"version": first["version"], "outcome": "satisfied", "rating": 4})

    body = _refused(stale, 409, "changed meanwhile")
    assert body["current_version"] == first["version"] + 1


def test_a_call_on_an_order_no_longer_in_review_is_refused(
        client: TestClient, login: Headers, in_review: Review) -> None:
    in_review(1)
    version = _review(client, login, 1)["version"]
    frozen = client.post("/v1/orders/1/actions", headers=login("supervisor"),
                         json={"action": "freeze", "version": version, "reason": "客户投诉电话"})
    assert frozen.status_code == 200, frozen.text

    _refused(_outcome(client, login, 1, outcome="satisfied", rating=5), 409,
             "not in its review period")
    assert _ok(client.get("/v1/followups", headers=login("agent")))["rows"] == []


def test_two_agents_calling_from_one_version_one_wins_the_other_gets_a_409(
        client: TestClient, login: Headers, in_review: Review) -> None:
    in_review(1)
    seen = _followup(client, login, 1)

    answers = [client.post(f"/v1/followups/{seen['id']}/outcome", headers=login(who),
                           json={"version": seen["version"], "outcome": "satisfied",
                                 "rating": rating})
               for who, rating in (("agent", 5), ("supervisor", 2))]

    assert [a.status_code for a in answers] == [200, 409]
    assert _followup(client, login, 1)["rating"] == 5


def test_an_unknown_followup_is_not_found(client: TestClient, login: Headers) -> None:
    _refused(client.post("/v1/followups/999/outcome", headers=login("agent"),
                         json={"version": 1, "outcome": "satisfied", "rating": 5}),
             404, "no follow-up 999")


# -- unreachable ----------------------------------------------------------------------------------

def test_an_unreachable_call_with_a_past_retry_is_refused(
        client: TestClient, login: Headers, in_review: Review, clock: SimulatedClock) -> None:
    in_review(1)
    past = (clock.now() - timedelta(minutes=5)).isoformat()
    _refused(_outcome(client, login, 1, outcome="unreachable", retry_at=past), 422,
             "the retry time must lie in the future")
    late = (clock.now() + timedelta(days=8)).isoformat()
    _refused(_outcome(client, login, 1, outcome="unreachable", retry_at=late), 422,
             "within the review period")


def test_an_unreachable_customer_is_tried_again_then_given_up(
        client: TestClient, login: Headers, in_review: Review, clock: SimulatedClock) -> None:
    in_review(1)
    retry = clock.now() + timedelta(hours=2)

    first = _ok(_outcome(client, login, 1, outcome="unreachable", retry_at=retry.isoformat()))

    assert (first["followup"]["attempts"], first["followup"]["status"]) == (1, "open")
    assert datetime.fromisoformat(first["followup"]["due_at"]) == retry
    assert _ok(client.get("/v1/followups", headers=login("agent")))["total"] == 0
    assert _ok(client.get("/v1/followups", params={"scope": "open"},
                          headers=login("agent")))["total"] == 1
    clock.jump_to(retry)
    second = _ok(_outcome(client, login, 1, outcome="unreachable"))
    assert datetime.fromisoformat(second["followup"]["due_at"]) == retry + timedelta(hours=4)
    third = _ok(_outcome(client, login, 1, outcome="unreachable"))
    assert (third["followup"]["attempts"], third["followup"]["status"]) == (3, "gave_up")
    assert third["order_state"] == "in_review"  # the period's end decides


# -- problems and complaints ----------------------------------------------------------------------

def test_a_quality_problem_opens_a_free_after_sales_visit_charged_to_the_technician(
        client: TestClient, login: Headers, in_review: Review, world: Engine) -> None:
    in_review(1, served_days_ago=2)

    done = _problem(client, login, 1)

    complaint = done["complaint"]
    assert done["order_state"] == "frozen"
    assert (complaint["complaint_type"], complaint["status"], complaint["raised_by"]) == (
        "quality", "open", "agent")
    assert (complaint["repeat_fault"], complaint["free_visit"],
            complaint["charged_technician_id"], complaint["technician_id"]) == (
        True, True, WANG, WANG)
    after_sales = _ok(client.get(f"/v1/orders/{complaint['after_sales_order_id']}",
                                 headers=login("agent")))
    assert (after_sales["parent_id"], after_sales["service_type"], after_sales["state"]) == (
        1, "after_sales", "dispatching")
    assert after_sales["order_no"] == complaint["after_sales_order_no"]
    original = _ok(client.get("/v1/orders/1", headers=login("agent")))
    assert original["state"] == "frozen"
    with Session(world) as session:
        created = session.scalars(select(OrderEventRecord).where(
            OrderEventRecord.order_id == after_sales["id"],
            OrderEventRecord.kind == "created")).one()
        freeze = session.scalars(select(OrderEventRecord).where(
            OrderEventRecord.order_id == 1, OrderEventRecord.kind == "freeze")).one()
    assert created.data["free_visit"] is True and created.data["charged_technician_id"] == WANG
    assert "空调漏水" in freeze.reason and "fee are frozen" in freeze.reason
    review = _review(client, login, 1)
    assert review["period"]["outcome"] == "complaint"
    assert review["complaints"][0]["after_sales_order_no"] == after_sales["order_no"]


def test_a_fault_found_after_the_repeat_fault_days_is_not_free(
        client: TestClient, login: Headers, in_review: Review) -> None:
    in_review(1, served_days_ago=8)
    complaint = _problem(client, login, 1)["complaint"]
    assert (complaint["repeat_fault"], complaint["charged_technician_id"]) == (False, None)


def test_an_attitude_complaint_is_never_a_repeat_fault(
        client: TestClient, login: Headers, in_review: Review) -> None:
    in_review(1)
    complaint = _problem(client, login, 1, kind="attitude")["complaint"]
    assert (complaint["repeat_fault"], complaint["free_visit"]) == (False, False)


def test_a_problem_needs_a_type_and_a_note(
        client: TestClient, login: Headers, in_review: Review) -> None:
    in_review(1)
    _refused(_outcome(client, login, 1, outcome="problem", note="不满意"), 422,
             "a problem needs a complaint type")
    _refused(_outcome(client, login, 1, outcome="problem", complaint_type="quality"), 422,
             "a problem needs a note")


def test_complaints_are_listed_open_first(
        client: TestClient, login: Headers, in_review: Review) -> None:
    in_review(1)
    in_review(2)
    first = _problem(client, login, 1)["complaint"]
    second = _problem(client, login, 2, kind="timeliness")["complaint"]
    _ok(_rule(client, login, first, uphold=True))

    listed = _ok(client.get("/v1/complaints", params={"status": "all"},
                            headers=login("agent")))

    assert (listed["total"], listed["open"]) == (2, 1)
    assert [c["id"] for c in listed["rows"]] == [second["id"], first["id"]]
    only_open = _ok(client.get("/v1/complaints", headers=login("agent")))
    assert [c["id"] for c in only_open["rows"]] == [second["id"]]
    _refused(client.get("/v1/complaints", headers=login("finance")), 403, "may not do this")


def test_an_upheld_complaint_flags_the_order_and_lowers_the_rating(
        client: TestClient, login: Headers, in_review: Review, world: Engine) -> None:
    in_review(1)
    complaint = _problem(client, login, 1)["complaint"]

    ruled = _ok(_rule(client, login, complaint, uphold=True, reason="录音核实，确属安装问题"))

    assert (ruled["complaint"]["status"], ruled["complaint"]["ruled_by"]) == (
        "upheld", "supervisor")
    assert ruled["complaint"]["ruling_reason"] == "录音核实，确属安装问题"
    assert ruled["order_state"] == "frozen"  # the fee stays frozen
    assert ruled["technician_rating"] == technician_rating([], 1) == _rating(world) < 4.5
    with Session(world) as session:
        flags = flags_of(session, [1])[1]
    assert [f.kind.value for f in flags] == ["complaint"]
    assert flags[0].detail["complaint_id"] == complaint["id"]


def test_only_a_supervisor_or_admin_rules_a_complaint_once_from_its_version(
        client: TestClient, login: Headers, in_review: Review) -> None:
    in_review(1)
    complaint = _problem(client, login, 1)["complaint"]

    _refused(_rule(client, login, complaint, uphold=True, as_="agent"), 403, "may not do this")
    _refused(_rule(client, login, complaint, uphold=True, as_="finance"), 403, "may not do this")
    assert _rule(client, login, complaint, uphold=True, reason=" ").status_code == 422
    _ok(_rule(client, login, complaint, uphold=False, as_="admin"))
    _refused(_rule(client, login, complaint, uphold=True), 409, "changed meanwhile")
    again = {**complaint, "version": complaint["version"] + 1}
    _refused(_rule(client, login, again, uphold=True), 409, "was ruled already")


def test_a_dismissed_complaint_returns_the_order_to_review_and_its_end_makes_it_settleable(
        client: TestClient, login: Headers, in_review: Review, world: Engine,
        clock: SimulatedClock) -> None:
    in_review(1)
    complaint = _problem(client, login, 1)["complaint"]
    clock.advance(timedelta(days=8))

    ruled = _ok(_rule(client, login, complaint, uphold=False, reason="客户误会，已解释"))

    assert (ruled["complaint"]["status"], ruled["order_state"]) == ("dismissed", "in_review")
    assert _review(client, login, 1)["period"]["closed_at"] is None
    outbox_round(world, SimulatedSms(), SimulatedAxb(), clock)
    assert _review(client, login, 1)["state"] == "settleable"


# -- the end of the period ------------------------------------------------------------------------

def test_the_periods_end_makes_orders_without_a_problem_settleable(
        client: TestClient, login: Headers, in_review: Review, world: Engine,
        clock: SimulatedClock) -> None:
    in_review(1)
    in_review(2)
    _problem(client, login, 2)
    sms, axb = SimulatedSms(), SimulatedAxb()
    outbox_round(world, sms, axb, clock)
    assert _review(client, login, 1)["state"] == "in_review"  # not yet

    clock.advance(timedelta(days=7))
    outbox_round(world, sms, axb, clock)

    review = _review(client, login, 1)
    assert review["state"] == "settleable"
    assert (review["period"]["outcome"], review["period"]["closed_by"]) == ("lapsed", "review")
    assert review["followups"][0]["status"] == "expired"
    assert _review(client, login, 2)["state"] == "frozen"  # a problem keeps it
    with Session(world) as session:
        passed = session.scalars(select(OrderEventRecord).where(
            OrderEventRecord.order_id == 1, OrderEventRecord.kind == "pass_review")).one()
    assert (passed.actor, passed.actor_role) == ("review", "system")
    assert _ok(client.get("/v1/followups", params={"scope": "open"},
                          headers=login("agent")))["total"] == 0


# -- review policies ------------------------------------------------------------------------------

def _policy(client: TestClient, login: Headers, as_: str = "supervisor", version: int = 0,
            **changes: Any) -> Response:
    body = {"version": version, "reason": "该品牌安装简单，少回访", "review_days": 2,
            "sample_percent": 0, "high_value_fen": 0, "sample_flagged": False,
            "first_orders": 0, "max_attempts": 2, "retry_hours": 1, "repeat_fault_days": 7,
            **changes}
    return client.put("/v1/review-policies/demo-tmall", headers=login(as_), json=body)


def test_a_clients_review_policy_is_audited_and_followed(
        client: TestClient, login: Headers, in_review: Review) -> None:
    shown = _ok(client.get("/v1/review-policies/demo-tmall", headers=login("agent")))
    assert (shown["source"], shown["version"], shown["review_days"], shown["first_orders"]) == (
        "built_in", 0, 7, 5)

    changed = _ok(_policy(client, login))

    assert (changed["source"], changed["version"], changed["updated_by"]) == (
        "own", 1, "supervisor")
    (entry,) = client.get("/v1/review-policies/demo-tmall/log", headers=login("agent")).json()
    assert (entry["actor"], entry["reason"]) == ("supervisor", "该品牌安装简单，少回访")
    assert entry["before"]["rules"]["review_days"] == 7
    assert entry["after"]["rules"]["review_days"] == 2
    in_review(1)
    review = _review(client, login, 1)
    assert review["followups"] == []  # nothing picks it any more
    assert review["period"]["until"].startswith("2026-03-04T09:00")


def test_a_review_policy_change_is_refused_to_agents_stale_or_out_of_bounds(
        client: TestClient, login: Headers) -> None:
    _refused(_policy(client, login, as_="agent"), 403, "may not do this")
    _ok(_policy(client, login))
    _refused(_policy(client, login, review_days=3), 409, "changed meanwhile")
    assert _policy(client, login, version=1, review_days=0).status_code == 422
    assert _policy(client, login, version=1, reason="").status_code == 422
    _refused(client.get("/v1/review-policies/nobody", headers=login("agent")), 404,
             "no client nobody")



def test_the_clients_sampling_picks_high_value_and_flagged_orders(
        client: TestClient, login: Headers, in_review: Review, world: Engine) -> None:
    _ok(_policy(client, login, high_value_fen=289900, sample_flagged=True))  # each order's worth
    with Session(world) as session:
        add_flags(session, 2, WANG, [Flag(FlagKind.CHECKIN_OUTSIDE, {"distance_m": 4000})],
                  NOW, "test")
        session.commit()
    for order_id in (1, 2):
        in_review(order_id)

    reasons = [[f["reasons"] for f in _review(client, login, order_id)["followups"]]
               for order_id in (1, 2)]

    assert reasons == [[["high_value"]], [["high_value", "flagged"]]]
