"""Verification review over HTTP on SQLite and PostgreSQL: a visit made honestly through the
technician's and the desk's own routes (booking, check-in with a position, photos with their
EXIF, the customer's code, completion) shows its whole evidence chain and is ready; a faked one
is flagged and comes first in the queue; approve verifies, reject freezes with the reason;
and the attacks: roles that may not review (technician, finance), a stale version, an order
not served, a decision without a reason, no answer carrying the code; clients' requirements
audited, stale edits refused, and the assessment following them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from fieldwork_support import (
    ADDRESS,
    PHONES,
    WANG,
    Headers,
    Visit,
    at,
    route_to_manual_review,
)
from httpx import Response
from sqlalchemy import Engine
from support.photo_files import china_time, photo, wgs_near

from core.clock import SimulatedClock
from core.server.app import create_app
from core.services.fieldwork.axb import SimulatedAxb
from core.services.fieldwork.sms import SimulatedSms

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


@pytest.fixture
def served(visits: Callable[[int], Visit], clock: SimulatedClock, client: TestClient,
           login: Headers) -> tuple[Visit, Visit]:
    """Order 1 served honestly (booked by the desk for the customer, checked in 40 m from the
    door, four photos taken there, the customer's code); order 2 faked a little later (booked
    by tech1 without a call, checked in without a position, one photo without EXIF, no code).
    A supervisor routed tech1's completions to manual review, so both wait in the queue (the
    backend verifies a ready order of a technician not routed there: test_completion_api)."""
    route_to_manual_review(client, login, WANG)
    honest, faked = visits(1), visits(2)
    honest.book("agent")
    faked.book("tech1", day=4)
    clock.jump_to(at(3, 10, 5))
    honest.check_in(wgs_near(ADDRESS, 40))
    clock.jump_to(at(3, 10, 40))
    for seed in range(1, 5):
        honest.photo(photo(seed, taken=china_time(at(3, 10, 20 + seed)),
                           gps=wgs_near(ADDRESS, 30)))
    honest.use_code()
    assert honest.complete()["outcome"] == "manual_review"
    clock.jump_to(at(4, 10, 5))
    faked.check_in(None)
    faked.photo(photo(9))
    assert faked.complete()["outcome"] == "flagged"
    clock.jump_to(at(4, 12))
    return honest, faked


def _evidence(client: TestClient, login: Headers, order_id: int,
              as_: str = "agent") -> dict[str, Any]:
    response = client.get(f"/v1/orders/{order_id}/evidence", headers=login(as_))
    assert response.status_code == 200, response.text
    return dict(response.json())


def _decide(client: TestClient, login: Headers, order_id: int, version: int, approve: bool,
            reason: str = "证据已核对", as_: str = "agent") -> Response:
    return client.post(f"/v1/orders/{order_id}/verification-review", headers=login(as_),
                       json={"approve": approve, "version": version, "reason": reason})


def _refused(response: Response, status: int, words: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert words in response.json()["detail"], response.json()


# -- the evidence chain ---------------------------------------------------------------------------

def test_an_honest_visit_shows_its_whole_chain_and_is_ready(
        client: TestClient, login: Headers, served: tuple[Visit, Visit]) -> None:
    evidence = _evidence(client, login, 1)

    order = evidence["order"]
    assert (order["state"], order["client_code"], order["service_type"], order["units"]) == (
        "served", "demo-tmall", "install", 1)
    assert order["customer_phone"] == PHONES[1]  # the desk sees the full contact
    assert order["technician_name"] == "Wang Jian"
    assert order["served_at"].startswith("2026-03-03T02:40")  # 10:40 Beijing, in UTC
    assert evidence["appointment"]["call_verdict"] == "desk"
    assert evidence["appointment"]["initiated_by"] == "customer"
    (check_in,) = evidence["check_ins"]
    assert check_in["outcome"] == "inside" and check_in["tolerance_m"] == 500
    assert check_in["distance_m"] == pytest.approx(40, abs=2)
    assert evidence["code"]["state"] == "used"
    sheet = evidence["photos"]
    assert (sheet["required"], sheet["count"], sheet["clean"]) == (4, 4, 4)
    first = sheet["photos"][0]
    assert first["taken_at"].startswith("2026-03-03T02:21")
    assert first["distance_m"] == pytest.approx(30, abs=2)
    assert first["thumbnail_url"] == f"/v1/photos/{first['id']}/thumbnail"
    assert evidence["flags"] == []
    assessment = evidence["assessment"]
    assert assessment["verdict"] == "ready"
    assert [(f["item"], f["status"]) for f in assessment["findings"]] == [
        ("call", "satisfied"), ("checkin", "satisfied"), ("code", "satisfied"),
        ("photos", "satisfied")]
    assert assessment["requirement"]["photos_per_unit"] == 4
    assert assessment["findings"][2]["text"] == "核销码已使用 (the code was used)"


def test_a_faked_visit_is_flagged_item_by_item(client: TestClient, login: Headers,
                                               served: tuple[Visit, Visit]) -> None:
    evidence = _evidence(client, login, 2, as_="supervisor")

    assert evidence["appointment"]["call_verdict"] == "no_call"
    assert evidence["check_ins"][0]["outcome"] == "skipped"
    assert evidence["code"]["state"] == "issued"
    kinds = {f["kind"] for f in evidence["flags"]}
    assert kinds == {"no_call_appointment", "checkin_skipped", "photo_no_exif"}
    assessment = evidence["assessment"]
    assert assessment["verdict"] == "flagged"
    assert {f["item"]: f["status"] for f in assessment["findings"]} == {
        "call": "flagged", "checkin": "flagged", "code": "missing", "photos": "flagged"}
    assert assessment["text"].startswith("证据有疑点：预约前没有真实通话")


def test_no_evidence_answer_carries_the_code(client: TestClient, login: Headers,
                                            served: tuple[Visit, Visit]) -> None:
    code = served[1].code()  # order 2's code was never used: still live
    for as_ in ("agent", "supervisor", "admin"):
        text = client.get("/v1/orders/2/evidence", headers=login(as_)).text
        assert f'"{code}"' not in text and "code_hash" not in text and "salt" not in text
    queue = client.get("/v1/verification-reviews", headers=login("agent")).text
    assert f'"{code}"' not in queue


# -- the queue ------------------------------------------------------------------------------------

def test_the_queue_lists_served_orders_flagged_or_incomplete_first(
        client: TestClient, login: Headers, served: tuple[Visit, Visit]) -> None:
    response = client.get("/v1/verification-reviews", headers=login("agent"))

    assert response.status_code == 200, response.text
    queue = response.json()
    assert queue["served"] == 2
    assert [(r["order_id"], r["verdict"]) for r in queue["rows"]] == [(2, "flagged"),
                                                                      (1, "ready")]
    faked, honest = queue["rows"]
    assert faked["open_items"] == ["call", "checkin", "code", "photos"]
    assert (faked["photos"], faked["photos_required"], faked["flags"]) == (1, 4, 3)
    assert (honest["open_items"], honest["photos"], honest["technician_name"]) == (
        [], 4, "Wang Jian")
    assert honest["client_code"] == "demo-tmall" and honest["version"] == served[0].version()


def test_the_queue_takes_the_longest_served_first_within_a_verdict(
        client: TestClient, login: Headers, visits: Callable[[int], Visit],
        clock: SimulatedClock) -> None:
    for order_id in (3, 1):  # order 3 served first
        visit = visits(order_id)
        visit.book("agent", day=3 if order_id == 3 else 4)
        clock.jump_to(at(3 if order_id == 3 else 4, 10, 5))
        visit.check_in(wgs_near(ADDRESS, 10))
        visit.complete()

    rows = client.get("/v1/verification-reviews", headers=login("agent")).json()["rows"]

    assert [(r["order_id"], r["verdict"]) for r in rows] == [(3, "incomplete"),
                                                             (1, "incomplete")]
    assert rows[0]["open_items"] == ["code", "photos"]


# -- the decision ---------------------------------------------------------------------------------

def test_approve_verifies_the_order_and_its_review_period_begins(
        client: TestClient, login: Headers, served: tuple[Visit, Visit]) -> None:
    version = served[0].version()

    response = _decide(client, login, 1, version, approve=True, reason="照片与位置一致")

    assert response.status_code == 200, response.text
    body = response.json()
    # verify, then start_review in the same transaction: two events, one commit
    assert (body["state"], body["approved"], body["version"]) == ("in_review", True, version + 2)
    # The decision and the evidence in both languages, the reviewer's words quoted after them.
    assert body["reason"] == ("核验通过（审核时：证据齐全） (verification approved (evidence then: "
                              "evidence complete))：「照片与位置一致」")
    detail = client.get("/v1/orders/1", headers=login("admin")).json()
    assert detail["state"] == "in_review"
    verify, review = detail["timeline"][-2:]
    assert (verify["kind"], verify["reason"], verify["actor"]) == ("verify", body["reason"],
                                                                   "agent")
    assert (review["kind"], review["actor"], review["actor_role"]) == ("start_review", "review",
                                                                       "system")
    rows = client.get("/v1/verification-reviews", headers=login("agent")).json()["rows"]
    assert [r["order_id"] for r in rows] == [2]


def test_reject_freezes_the_order_and_says_the_fee_is_frozen(
        client: TestClient, login: Headers, served: tuple[Visit, Visit]) -> None:
    response = _decide(client, login, 2, served[1].version(), approve=False,
                       reason="签到无定位，照片无拍摄信息", as_="supervisor")

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["state"], body["approved"]) == ("frozen", False)
    assert body["reason"].startswith("核验驳回，工单及服务费冻结（审核时：证据有疑点：")
    assert "(verification rejected: the order and its fee are frozen (evidence then: " in (
        body["reason"])
    assert body["reason"].endswith("：「签到无定位，照片无拍摄信息」")
    detail = client.get("/v1/orders/2", headers=login("admin")).json()
    assert (detail["state"], detail["frozen_from"]) == ("frozen", "served")
    assert detail["timeline"][-1]["reason"] == body["reason"]


def test_a_decision_from_an_old_version_is_a_409_and_changes_nothing(
        client: TestClient, login: Headers, served: tuple[Visit, Visit]) -> None:
    version = served[0].version()

    stale = _decide(client, login, 1, version - 1, approve=True)

    _refused(stale, 409, "订单已被他人修改")
    assert stale.json()["current_version"] == version
    assert client.get("/v1/orders/1", headers=login("admin")).json()["state"] == "served"


def test_two_reviewers_from_one_version_one_wins_the_other_gets_a_409(
        client: TestClient, login: Headers, served: tuple[Visit, Visit]) -> None:
    version = served[1].version()
    first = _decide(client, login, 2, version, approve=False, reason="伪造签到")

    second = _decide(client, login, 2, version, approve=True, as_="supervisor")

    assert first.status_code == 200, first.text
    _refused(second, 409, "订单已被他人修改")
    assert client.get("/v1/orders/2", headers=login("admin")).json()["state"] == "frozen"


def test_an_order_not_served_is_not_reviewed(client: TestClient, login: Headers,
                                             served: tuple[Visit, Visit]) -> None:
    version = served[0].version()
    assert _decide(client, login, 1, version, approve=True).status_code == 200

    again = _decide(client, login, 1, version + 2, approve=False, reason="再次驳回")

    _refused(again, 409, "不在待核验状态")
    assert client.get("/v1/orders/1", headers=login("admin")).json()["state"] == "in_review"


@pytest.mark.parametrize("reason", ["", "   ", "\u200b"])
def test_a_decision_must_say_why(client: TestClient, login: Headers,
                                 served: tuple[Visit, Visit], reason: str) -> None:
    response = _decide(client, login, 2, served[1].version(), approve=False, reason=reason)

    assert response.status_code == 422, response.text
    assert client.get("/v1/orders/2", headers=login("admin")).json()["state"] == "served"


def test_an_unknown_order_is_a_404(client: TestClient, login: Headers) -> None:
    _refused(client.get("/v1/orders/999/evidence", headers=login("agent")), 404, "没有工单 999")
    _refused(_decide(client, login, 999, 1, approve=True), 404, "没有工单 999")


@pytest.mark.parametrize("as_", ["tech1", "finance"])
def test_technicians_and_finance_may_not_review(client: TestClient, login: Headers,
                                                served: tuple[Visit, Visit], as_: str) -> None:
    version = served[0].version()
    answers = [client.get("/v1/verification-reviews", headers=login(as_)),
               client.get("/v1/orders/1/evidence", headers=login(as_)),
               _decide(client, login, 1, version, approve=True, as_=as_)]

    for answer in answers:
        _refused(answer, 403, "你的角色无权执行此操作")
        assert PHONES[1] not in answer.text and "chaoyang" not in answer.text
    assert client.get("/v1/orders/1", headers=login("admin")).json()["state"] == "served"


def test_without_a_token_nothing_is_shown(client: TestClient) -> None:
    for path in ("/v1/verification-reviews", "/v1/orders/1/evidence"):
        assert client.get(path).status_code == 401


# -- requirements ---------------------------------------------------------------------------------

RELAXED = {"code": False, "checkin": True, "photos_per_unit": 1, "photos_clean": False,
           "call": False, "serial": True}
BUILT_IN = {"code": True, "checkin": True, "photos_per_unit": 4, "photos_clean": True,
            "call": True, "serial": False}


def _put(client: TestClient, login: Headers, version: int, as_: str = "supervisor",
         client_code: str = "demo-tmall", **changes: Any) -> Response:
    body = {"version": version, "reason": "该品牌只测量不安装", "default": BUILT_IN,
            "service_types": {"install": RELAXED}, **changes}
    return client.put(f"/v1/verification-requirements/{client_code}", headers=login(as_),
                      json=body)


def test_a_client_inherits_the_built_in_requirement_until_it_sets_its_own(
        client: TestClient, login: Headers) -> None:
    shown = client.get("/v1/verification-requirements/demo-tmall", headers=login("agent"))

    assert shown.status_code == 200, shown.text
    assert shown.json() | {"updated_at": None} == {
        "client_code": "demo-tmall", "source": "built_in", "version": 0, "default": BUILT_IN,
        "service_types": {}, "updated_by": "", "updated_at": None}


def test_a_supervisor_sets_a_clients_requirement_audited_and_the_assessment_follows(
        client: TestClient, login: Headers, served: tuple[Visit, Visit]) -> None:
    changed = _put(client, login, 0)

    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["source"], body["version"], body["updated_by"]) == ("own", 1, "supervisor")
    assert body["service_types"] == {"install": RELAXED}
    (entry,) = client.get("/v1/verification-requirements/demo-tmall/log",
                          headers=login("agent")).json()
    assert (entry["actor"], entry["reason"]) == ("supervisor", "该品牌只测量不安装")
    assert entry["before"]["rules"]["*"] == BUILT_IN
    assert entry["after"]["rules"]["install"] == RELAXED
    findings = _evidence(client, login, 2)["assessment"]["findings"]
    # No call or code asked for any more; one photo, flags allowed; a serial, never sent.
    assert [(f["item"], f["status"]) for f in findings] == [
        ("checkin", "flagged"), ("photos", "satisfied"), ("serial", "missing"),
        ("flags", "flagged")]
    assert findings[2]["text"] == ("序列号不足：0/1 台 (serial numbers missing: 0 of 1 "
                                   "units)")


def test_a_requirement_edit_from_an_old_version_is_a_409(client: TestClient,
                                                         login: Headers) -> None:
    assert _put(client, login, 0).status_code == 200

    stale = _put(client, login, 0, service_types={})

    _refused(stale, 409, "该客户的核验要求已被他人修改")
    assert stale.json()["current_version"] == 1


@pytest.mark.parametrize(("as_", "status"), [("agent", 403), ("finance", 403), ("tech1", 403)])
def test_only_supervisors_and_admins_change_requirements(client: TestClient, login: Headers,
                                                         as_: str, status: int) -> None:
    _refused(_put(client, login, 0, as_=as_), status, "你的角色无权执行此操作")
    shown = client.get("/v1/verification-requirements/demo-tmall", headers=login("admin"))
    assert shown.json()["source"] == "built_in"


@pytest.mark.parametrize(("changes", "field"), [
    ({"default": {**BUILT_IN, "photos_per_unit": 13}}, "photos_per_unit"),
    ({"service_types": {"washing": BUILT_IN}}, "service_types"),
    ({"default": {**BUILT_IN, "fingerprint": True}}, "fingerprint"),
    ({"reason": " "}, "reason"),
])
def test_a_requirement_that_makes_no_sense_is_refused(client: TestClient, login: Headers,
                                                      changes: dict[str, Any],
                                                      field: str) -> None:
    response = _put(client, login, 0, **changes)

    assert response.status_code == 422, response.text
    assert field in response.text


def test_an_unknown_client_is_a_404(client: TestClient, login: Headers) -> None:
    _refused(client.get("/v1/verification-requirements/nobody", headers=login("agent")), 404,
             "没有客户 nobody")
    _refused(_put(client, login, 0, client_code="nobody"), 404, "没有客户 nobody")
