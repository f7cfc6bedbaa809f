"""The technician's end of the visit over HTTP on SQLite and PostgreSQL: serial numbers per
unit, completion with the backend's own check (ready and not routed to manual review ->
verified and in its review period; incomplete, flagged or routed -> the review queue, the
event saying why), cannot-complete with its reason codes; and every refusal: another
technician, a stale version, a bad serial, a wrong state, /actions refusing complete, verify
and cannot_complete."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from fieldwork_support import (
    ADDRESS,
    WANG,
    Headers,
    Visit,
    at,
    route_to_manual_review,
)
from httpx import Response
from sqlalchemy import Engine
from support.photo_files import china_time, photo, wgs_near

from console.language import Language, pick
from core.clock import SimulatedClock
from core.server.app import create_app
from core.services.fieldwork.axb import SimulatedAxb
from core.services.fieldwork.sms import SimulatedSms
from core.text import split_words

NOW = at(2, 17)  # after the tiny world was seeded


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(NOW)


@pytest.fixture
def client(world: Engine, clock: SimulatedClock, sms: SimulatedSms) -> Iterator[TestClient]:
    app = create_app(world, poll_seconds=0.05, clock=clock, sms=sms)
    app.state.axb = SimulatedAxb(push_secret="p" * 40)
    with TestClient(app) as test_client:
        yield test_client


def _visited(visit: Visit, clock: SimulatedClock, *, photos: int = 4, code: bool = True,
             position: bool = True, day: int = 3) -> Visit:
    """Booked by the desk for the day, checked in (40 m from the door, or without a position),
    the photos taken there, the customer's code: everything but the completion."""
    visit.book("agent", day=day)
    clock.jump_to(at(day, 10, 5))
    visit.check_in(wgs_near(ADDRESS, 40) if position else None)
    clock.jump_to(at(day, 10, 40))
    for seed in range(1, photos + 1):
        visit.photo(photo(seed + 10 * visit.order_id, taken=china_time(at(day, 10, 20 + seed)),
                          gps=wgs_near(ADDRESS, 30)))
    if code:
        visit.use_code()
    return visit


def _detail(client: TestClient, login: Headers, order_id: int) -> dict[str, Any]:
    return dict(client.get(f"/v1/orders/{order_id}", headers=login("admin")).json())


def _queue(client: TestClient, login: Headers) -> list[int]:
    rows = client.get("/v1/verification-reviews", headers=login("agent")).json()["rows"]
    return [r["order_id"] for r in rows]


def _refused(response: Response, status: int, words: str) -> None:
    assert response.status_code == status, response.text
    assert words in response.json()["detail"], response.json()


def _require_serial(client: TestClient, login: Headers) -> None:
    rule = {"code": True, "checkin": True, "photos_per_unit": 4, "photos_clean": True,
            "call": True, "serial": True}
    answer = client.put("/v1/verification-requirements/demo-tmall", headers=login("supervisor"),
                        json={"version": 0, "reason": "空调需登记机身序列号", "default": rule})
    assert answer.status_code == 200, answer.text


# -- the backend's own check at completion -------------------------------------------------------

def test_a_ready_visit_is_verified_by_the_backend_and_its_review_period_begins(
        client: TestClient, login: Headers, clock: SimulatedClock,
        visits: Callable[[int], Visit]) -> None:
    visit = _visited(visits(1), clock)

    done = visit.complete()

    assert (done["outcome"], done["verified"], done["state"]) == ("verified", True, "in_review")
    assert done["assessment"]["verdict"] == "ready"
    assert done["text"].startswith("证据齐全，系统自动核验通过")
    complete, verify, review = _detail(client, login, 1)["timeline"][-3:]
    assert (complete["kind"], complete["actor"], complete["to_state"]) == ("complete", "tech1",
                                                                           "served")
    assert complete["data"]["verification"] == "verified"
    assert (verify["kind"], verify["actor"], verify["actor_role"]) == ("verify", "review",
                                                                       "system")
    assert (review["kind"], review["actor_role"]) == ("start_review", "system")
    assert done["version"] == review["version"]
    assert _queue(client, login) == []


@pytest.mark.parametrize(("photos", "position", "outcome", "words"), [
    (2, True, "incomplete", "证据不全，转人工核验"),
    (4, False, "flagged", "证据有疑点，转人工核验"),
])
def test_incomplete_or_flagged_evidence_waits_in_the_review_queue(
        client: TestClient, login: Headers, clock: SimulatedClock,
        visits: Callable[[int], Visit], photos: int, position: bool, outcome: str,
        words: str) -> None:
    visit = _visited(visits(1), clock, photos=photos, position=position)

    done = visit.complete()

    assert (done["outcome"], done["verified"], done["state"]) == (outcome, False, "served")
    assert done["text"].startswith(words)
    last = _detail(client, login, 1)["timeline"][-1]
    assert (last["kind"], last["data"]["verification"]) == ("complete", outcome)
    assert last["data"]["verification_text"] == done["text"]
    assert _queue(client, login) == [1]


def test_a_technician_routed_to_manual_review_waits_however_good_the_evidence(
        client: TestClient, login: Headers, clock: SimulatedClock,
        visits: Callable[[int], Visit]) -> None:
    route_to_manual_review(client, login, WANG)
    visit = _visited(visits(1), clock)

    done = visit.complete()

    assert (done["outcome"], done["state"], done["assessment"]["verdict"]) == (
        "manual_review", "served", "ready")
    assert "该师傅的完工须人工核验" in done["text"]
    assert _queue(client, login) == [1]
    # A person's approval verifies and begins the review period in one step.
    approved = client.post("/v1/orders/1/verification-review", headers=login("agent"),
                           json={"approve": True, "version": done["version"],
                                 "reason": "已电话回访确认"})
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "in_review"


def test_the_desk_completes_for_him_only_saying_why(
        client: TestClient, login: Headers, clock: SimulatedClock,
        visits: Callable[[int], Visit]) -> None:
    visit = _visited(visits(1), clock, code=False)

    _refused(visit.send_complete(as_="agent"), 422, "请说明原因")
    done = visit.complete(as_="agent", note="师傅手机没电，电话报完工")

    assert (done["outcome"], done["state"]) == ("incomplete", "served")
    last = _detail(client, login, 1)["timeline"][-1]
    assert (last["actor"], last["reason"]) == ("agent", "师傅手机没电，电话报完工")


# -- completion's refusals ----------------------------------------------------------------------

def test_complete_refusals_change_nothing(client: TestClient, login: Headers,
                                          clock: SimulatedClock,
                                          visits: Callable[[int], Visit]) -> None:
    visit = visits(1)
    visit.book("agent")
    _refused(visit.send_complete(), 422, "complete")  # booked, not checked in
    clock.jump_to(at(3, 10, 5))
    visit.check_in(wgs_near(ADDRESS, 40))
    version = visit.version()

    _refused(visit.send_complete(as_="tech2"), 403, "不是派给你的")
    _refused(visit.send_complete(version=version - 1), 409, "订单已被他人修改")
    assert visit.send_complete(as_="finance").status_code == 403
    assert client.post("/v1/orders/1/complete", json={"version": version}).status_code == 401
    assert client.post("/v1/orders/999/complete", headers=login("tech1"),
                       json={"version": 1}).status_code == 404

    assert _detail(client, login, 1)["state"] == "checked_in"
    assert visit.version() == version


@pytest.mark.parametrize(("action", "route"), [
    ("complete", "/complete"), ("verify", "/verification-review"),
    ("cannot_complete", "/cannot-complete")])
def test_the_action_route_refuses_them_naming_their_own(
        client: TestClient, login: Headers, clock: SimulatedClock,
        visits: Callable[[int], Visit], action: str, route: str) -> None:
    visit = _visited(visits(1), clock)
    version = visit.version()
    if action == "verify":
        route_to_manual_review(client, login, WANG)
        version = visit.complete()["version"]

    refused = client.post("/v1/orders/1/actions", headers=login("admin"),
                          json={"action": action, "version": version, "reason": "直接操作"})

    _refused(refused, 422, route)
    assert visit.version() == version


# -- serial numbers -----------------------------------------------------------------------------

def test_a_required_serial_makes_the_difference(
        client: TestClient, login: Headers, clock: SimulatedClock,
        visits: Callable[[int], Visit]) -> None:
    _require_serial(client, login)
    without, with_serial = _visited(visits(1), clock), _visited(visits(3), clock, day=4)

    stored = with_serial.serial("kfr-35gw / 12345abc")
    assert stored["serial"]["serial"] == "KFR35GW12345ABC" and stored["flags"] == []
    assert (without.complete()["outcome"], with_serial.complete()["outcome"]) == (
        "incomplete", "verified")

    evidence = client.get("/v1/orders/1/evidence", headers=login("agent")).json()
    finding = {f["item"]: f for f in evidence["assessment"]["findings"]}["serial"]
    assert (finding["status"], finding["detail"]["count"]) == ("missing", 0)
    assert evidence["serials"]["units"] == 1 and evidence["serials"]["serials"] == []
    row = client.get("/v1/verification-reviews", headers=login("agent")).json()["rows"][0]
    assert row["open_items"] == ["serial"] and row["serials"] == 0


def test_the_photo_list_asks_for_what_the_clients_requirement_assesses(
        client: TestClient, login: Headers, clock: SimulatedClock,
        visits: Callable[[int], Visit]) -> None:
    visit = _visited(visits(1), clock)
    before = client.get("/v1/orders/1/photos", headers=login("tech1")).json()["required"]
    rule = {"code": True, "checkin": True, "photos_per_unit": 2, "photos_clean": True,
            "call": True, "serial": False}
    answer = client.put("/v1/verification-requirements/demo-tmall", headers=login("supervisor"),
                        json={"version": 0, "reason": "只需两张照片", "default": rule})
    assert answer.status_code == 200, answer.text

    after = client.get("/v1/orders/1/photos", headers=login("tech1")).json()["required"]
    evidence = client.get("/v1/orders/1/evidence", headers=login("agent")).json()
    finding = {f["item"]: f for f in evidence["assessment"]["findings"]}["photos"]

    assert (before, after) == (4, 2)  # one unit: the built-in 4, then the client's 2
    assert finding["status"] == "satisfied", finding  # his 4 photos more than cover 2
    assert visit.complete()["outcome"] == "verified"


def test_a_serial_seen_on_another_order_is_flagged_never_refused(
        client: TestClient, login: Headers, clock: SimulatedClock,
        visits: Callable[[int], Visit]) -> None:
    _require_serial(client, login)
    first, second = _visited(visits(1), clock), _visited(visits(3), clock, day=4)
    first.serial("SN-2026-000123")

    copied = second.serial("sn 2026 000123")

    (flag,) = copied["flags"]
    assert flag["kind"] == "serial_reused" and flag["detail"]["other_order_ids"] == [1]
    assert flag["text"] == "序列号与其他工单重复 (serial number seen on another order)"
    done = second.complete()
    assert (done["outcome"], done["state"]) == ("flagged", "served")
    findings = {f["item"]: f["status"] for f in done["assessment"]["findings"]}
    assert findings["serial"] == "flagged"


def test_a_resubmission_replaces_with_a_reason_and_keeps_the_old_one(
        client: TestClient, login: Headers, clock: SimulatedClock,
        visits: Callable[[int], Visit]) -> None:
    visit = _visited(visits(1), clock)
    visit.serial("AB1234567")
    assert visit.serial("ab-1234567")["replaced"] is None  # the same serial again: a retry

    _refused(visit.send_serial("AB7654321"), 422, "请说明原因")
    replaced = visit.serial("AB7654321", reason="第一次抄错一位")

    assert replaced["replaced"]["serial"] == "AB1234567"
    listed = client.get("/v1/orders/1/serials", headers=login("agent")).json()
    assert [s["serial"] for s in listed["serials"]] == ["AB7654321"]
    assert [(s["serial"], s["replaced_by"], s["reason"]) for s in listed["history"]] == [
        ("AB1234567", "tech1", None), ("AB7654321", None, "第一次抄错一位")]


@pytest.mark.parametrize(("serial", "words"), [
    ("123", "长度应为"), ("AAAAAAAA", "至少应含"), ("11111111", "看起来是随意填写的"),
    ("12345678", "看起来是随意填写的"), ("序列号1234567", "只能包含字母和数字"),
    ("ABCDEFGH", "至少应含"), ("   ", "为空")])
def test_a_serial_that_makes_no_sense_is_refused_chinese_first(
        client: TestClient, login: Headers, clock: SimulatedClock,
        visits: Callable[[int], Visit], serial: str, words: str) -> None:
    visit = _visited(visits(1), clock, photos=0)

    refused = visit.send_serial(serial)

    _refused(refused, 422, words)
    assert refused.json()["detail"].startswith("serial: 序列号无效：")
    assert client.get("/v1/orders/1/serials", headers=login("agent")).json()["history"] == []


def test_serial_refusals_who_when_and_which_unit(
        client: TestClient, login: Headers, clock: SimulatedClock,
        visits: Callable[[int], Visit]) -> None:
    visit = visits(1)
    visit.book("agent")
    _refused(visit.send_serial("AB1234567"), 409, "签到后、审核前才能提交序列号")
    clock.jump_to(at(3, 10, 5))
    visit.check_in(wgs_near(ADDRESS, 40))

    _refused(visit.send_serial("AB1234567", as_="tech2"), 403, "不是派给你的")
    _refused(visit.send_serial("AB1234567", as_="agent"), 403, "你的角色无权执行此操作")
    _refused(visit.send_serial("AB1234567", unit=2), 422, "没有第 2 台")
    assert client.get("/v1/orders/1/serials", headers=login("tech2")).status_code == 403
    assert client.get("/v1/orders/1/serials", headers=login("finance")).status_code == 403
    assert client.get("/v1/orders/1/serials", headers=login("agent")).json()["history"] == []


# -- cannot complete ----------------------------------------------------------------------------

def _cannot(client: TestClient, login: Headers, order_id: int, version: int, code: str,
            as_: str = "tech1", note: str = "客户不在家，电话未接") -> Response:
    return client.post(f"/v1/orders/{order_id}/cannot-complete", headers=login(as_),
                       json={"version": version, "reason_code": code, "note": note})


def test_a_revisit_reason_sends_it_back_to_him_to_book_again(
        client: TestClient, login: Headers, clock: SimulatedClock,
        visits: Callable[[int], Visit]) -> None:
    visit = visits(1)
    visit.book("agent")

    answer = _cannot(client, login, 1, visit.version(), "customer_absent")

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["state"], body["revisit"], body["technician_id"]) == ("accepted", True, WANG)
    assert body["flag"]["kind"] == "cannot_complete"
    detail = _detail(client, login, 1)
    assert detail["appointment_start"] is None
    last = detail["timeline"][-1]
    assert (last["kind"], last["data"]["code"]) == ("cannot_complete", "customer_absent")
    # The system's words in both languages, his words as he wrote them in each.
    assert last["reason"].startswith("无法完工（客户不在家或无法入户） (cannot complete: ")
    note = split_words(last["reason"])
    assert note is not None and note[1].startswith("客户不在家，电话未接")
    assert pick(last["reason"], Language.EN).endswith(f': "{note[1]}"')
    visit.book("tech1", day=4)  # he books again
    assert _detail(client, login, 1)["state"] == "appointed"


def test_another_reason_sends_it_to_a_person_at_dispatch(
        client: TestClient, login: Headers, clock: SimulatedClock,
        visits: Callable[[int], Visit]) -> None:
    visit = visits(1)
    visit.book("agent")
    clock.jump_to(at(3, 10, 5))
    visit.check_in(wgs_near(ADDRESS, 40))

    answer = _cannot(client, login, 1, visit.version(), "needs_other_trade",
                     note="需要电工先改线路")

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["state"], body["revisit"], body["technician_id"], body["dispatch_mode"]) == (
        "dispatching", False, None, "manual")
    assert body["dispatch_note"].startswith("师傅无法完工：超出技能，需要其他工种 (technician")
    assert pick(body["dispatch_note"], Language.EN).endswith(': "需要电工先改线路"')
    risk = client.get(f"/v1/technicians/{WANG}/risk", headers=login("supervisor")).json()
    assert "cannot_complete" in {k for o in risk["orders"] for k in
                                 (f["kind"] for f in o["flags"])}


def test_cannot_complete_refusals_change_nothing(
        client: TestClient, login: Headers, clock: SimulatedClock,
        visits: Callable[[int], Visit]) -> None:
    visit = _visited(visits(1), clock)
    version = visit.version()

    _refused(_cannot(client, login, 1, version, "customer_absent", as_="tech2"), 403,
             "不是派给你的")
    _refused(_cannot(client, login, 1, version - 1, "customer_absent"), 409, "订单已被他人修改")
    assert _cannot(client, login, 1, version, "tired").status_code == 422
    assert _cannot(client, login, 1, version, "other", note=" ").status_code == 422
    assert _cannot(client, login, 1, version, "other", as_="finance").status_code == 403
    done = visit.complete()
    _refused(_cannot(client, login, 1, done["version"], "other"), 422, "cannot_complete")

    flags = client.get("/v1/orders/1/evidence", headers=login("agent")).json()["flags"]
    assert "cannot_complete" not in {f["kind"] for f in flags}
