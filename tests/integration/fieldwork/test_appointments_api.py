"""Appointments over HTTP on SQLite and PostgreSQL: a technician's booking with a real call is
not flagged and one without is (never refused), the desk books from the technician's free
windows, reschedules past the limit wait for a supervisor, failed contact attempts; and the
attacks: another technician's order, a stale version, unsigned, forged, tampered or replayed
call-record pushes (nothing stored), an AXB provider that is down (pending, then bound)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.fieldwork.appointments import SHANGHAI
from core.fieldwork.flags import FlagKind
from core.intake.adapters._lastmile import signed_headers
from core.orders.lifecycle import Role
from core.orders.model import Actor
from core.server.app import create_app
from core.services.fieldwork.axb import SimulatedAxb
from core.services.fieldwork.axb_bindings import (
    AxbRound,
    BindAxb,
    UnbindAxb,
    handle_axb_round,
    handle_bind_axb,
    handle_unbind_axb,
)
from core.services.fieldwork.sms import SimulatedSms
from core.storage.fieldwork.appointments import (
    AppointmentRecord,
    AxbBindingRecord,
    CallRecord,
    ContactAttemptRecord,
)
from core.storage.fieldwork.flags import flags_of
from core.storage.uow import UnitOfWork

NOW = datetime(2026, 3, 2, 17, 0, tzinfo=SHANGHAI)  # after the tiny world was seeded
DESK = Actor("agent", Role.AGENT)
SYSTEM = Actor("system", Role.SYSTEM)
WANG, LI = 1, 2  # tech1's and tech2's technician ids in the tiny world
PHONE = "13800000001"  # order 1's customer
Headers = Callable[[str], dict[str, str]]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=SHANGHAI)


def window(day: int, hour: int) -> dict[str, str]:
    return {"start": at(day, hour).isoformat(), "end": at(day, hour + 2).isoformat()}


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(NOW)


@pytest.fixture
def axb() -> SimulatedAxb:
    return SimulatedAxb(push_secret="p" * 40)


@pytest.fixture
def client(world: Engine, clock: SimulatedClock, sms: SimulatedSms,
           axb: SimulatedAxb) -> Iterator[TestClient]:
    app = create_app(world, poll_seconds=0.05, clock=clock, sms=sms)
    app.state.axb = axb
    with TestClient(app) as test_client:
        yield test_client


def _accepted(engine: Engine, order_id: int = 1, technician_id: int = WANG) -> int:
    """Take the order from new to accepted by the technician; its version."""
    steps: list[tuple[str, dict[str, Any]]] = [
        ("audit", {}), ("place", {"county_adcode": "110105"}),
        ("classify", {"service_type": "install"}), ("open_dispatch", {}),
        ("assign", {"technician_id": technician_id}), ("accept", {})]
    with UnitOfWork(engine) as uow:
        order = uow.orders.get(order_id)
        assert order is not None
        for action, args in steps:
            order.perform(action, DESK, NOW - timedelta(hours=3), "test", **args)
        uow.orders.save(order)
        uow.commit()
    return order.version


def _bind(engine: Engine, clock: SimulatedClock, axb: SimulatedAxb, order_id: int = 1) -> str:
    """Bind the order's technician and customer (as the accept flow will); the binding id."""
    row = handle_bind_axb(BindAxb(order_id, SYSTEM, axb), UnitOfWork(engine, clock=clock))
    assert row is not None and row.status == "bound", row and row.status
    return row.provider_binding_id


def _post(client: TestClient) -> Callable[[bytes, dict[str, str]], int]:
    def send(body: bytes, headers: dict[str, str]) -> int:
        return client.post("/v1/axb/call-records", content=body,
                           headers={**headers, "content-type": "application/json"}).status_code
    return send


def _book(client: TestClient, login: Headers, version: int, order_id: int = 1,
          as_: str = "tech1", slot: dict[str, str] | None = None) -> Response:
    return client.post(f"/v1/orders/{order_id}/appointment", headers=login(as_),
                       json={"version": version, **(slot or window(3, 10))})


def _count(engine: Engine, record: type[Any], order_id: int = 1) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(record)
                              .where(record.order_id == order_id)) or 0


def _flags(engine: Engine, order_id: int = 1) -> list[str]:
    with Session(engine) as session:
        return [f.kind.value for f in flags_of(session, [order_id]).get(order_id, [])]


def _order(client: TestClient, login: Headers, order_id: int = 1) -> dict[str, Any]:
    return dict(client.get(f"/v1/orders/{order_id}", headers=login("admin")).json())


# -- booking and authenticity -------------------------------------------------------------------

def test_a_booking_after_a_real_call_is_not_flagged_and_sends_the_code(
        client: TestClient, login: Headers, world: Engine, clock: SimulatedClock,
        axb: SimulatedAxb, sms: SimulatedSms) -> None:
    version = _accepted(world)
    binding = _bind(world, clock, axb)
    axb.call(binding, "technician", NOW - timedelta(minutes=20), 95, recording=True)
    assert axb.push(_post(client), NOW) == 1

    response = _book(client, login, version)

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["state"], body["version"], body["flags"]) == ("appointed", version + 1, [])
    booked = body["appointment"]
    assert (booked["status"], booked["call_verdict"], booked["initiated_by"]) == (
        "booked", "real", "technician")
    assert booked["call_record_id"] is not None and booked["reschedule"] is False
    assert booked["text"] == "3月3日 10:00-12:00 (2026-03-03 10:00-12:00)"
    order = _order(client, login)
    assert order["appointment_start"].startswith("2026-03-03T02:00")  # 10:00 Beijing
    assert "师傅预约" in order["timeline"][-1]["reason"]
    assert _flags(world) == []
    assert "核销码为" in sms.to(PHONE)[-1].text  # the completion code went out


def test_a_booking_without_a_call_is_flagged_never_refused(
        client: TestClient, login: Headers, world: Engine, clock: SimulatedClock,
        axb: SimulatedAxb) -> None:
    version = _accepted(world)
    binding = _bind(world, clock, axb)
    axb.call(binding, "customer", NOW - timedelta(minutes=20), 40)  # the customer rang him
    axb.call(binding, "technician", NOW - timedelta(minutes=10), 0, connected=False)
    axb.push(_post(client), NOW)

    response = _book(client, login, version)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["state"] == "appointed" and body["appointment"]["call_verdict"] == "no_call"
    (flag,) = body["flags"]
    assert flag["kind"] == FlagKind.NO_CALL_APPOINTMENT.value
    assert flag["text"] == "预约前没有真实通话 (appointment without a real call)"
    assert (flag["detail"]["customer_calls"], flag["detail"]["technician_connected"]) == (1, 0)
    assert _flags(world) == [FlagKind.NO_CALL_APPOINTMENT.value]


def test_a_call_pushed_late_backs_the_flagged_booking(
        client: TestClient, login: Headers, world: Engine, clock: SimulatedClock,
        axb: SimulatedAxb) -> None:
    version = _accepted(world)
    binding = _bind(world, clock, axb)
    axb.call(binding, "technician", NOW - timedelta(minutes=30), 120)  # not pushed yet
    assert _book(client, login, version).json()["appointment"]["call_verdict"] == "no_call"
    clock.advance(timedelta(minutes=2))

    delivered = axb.push(_post(client), clock.now())

    assert delivered == 1
    (booking,) = client.get("/v1/orders/1/appointments", headers=login("agent")).json()
    assert booking["call_verdict"] == "found_late" and booking["call_record_id"] is not None
    assert _flags(world) == [FlagKind.NO_CALL_APPOINTMENT.value]  # the flag stays, explained


def test_the_desk_books_for_the_customer_from_the_technicians_free_windows(
        client: TestClient, login: Headers, world: Engine) -> None:
    other = _accepted(world, order_id=2)
    assert _book(client, login, other, order_id=2, slot=window(3, 14)).status_code == 200
    version = _accepted(world)

    free = client.get(f"/v1/technicians/{WANG}/free-windows?date=2026-03-03",
                      headers=login("agent"))

    assert free.status_code == 200, free.text
    day = free.json()
    assert [(b["order_id"], b["start"]) for b in day["busy"]] == [
        (2, "2026-03-03T14:00:00+08:00")]  # Beijing time, as the desk reads it
    parts = [s["part"] for s in day["free"] if s["kind"] == "part"]
    assert parts == ["morning", "evening"]  # the afternoon holds order 2
    starts = {s["start"][11:16] for s in day["free"] if s["kind"] == "window"}
    assert starts == {"08:00", "09:00", "10:00", "11:00", "12:00", "16:00", "17:00", "18:00",
                      "19:00"}

    response = _book(client, login, version, as_="agent",
                     slot={"part": "morning", "date": "2026-03-03"})

    assert response.status_code == 200, response.text
    booked = response.json()["appointment"]
    assert (booked["kind"], booked["part"], booked["initiated_by"], booked["call_verdict"]) == (
        "part", "morning", "customer", "desk")
    assert response.json()["flags"] == [] and _flags(world) == []
    assert "客户来电预约" in _order(client, login)["timeline"][-1]["reason"]


def test_a_slot_that_overlaps_another_appointment_of_the_technician_is_refused(
        client: TestClient, login: Headers, world: Engine) -> None:
    other = _accepted(world, order_id=2)
    assert _book(client, login, other, order_id=2, slot=window(3, 14)).status_code == 200
    version = _accepted(world)

    response = _book(client, login, version, as_="agent",
                     slot={"part": "afternoon", "date": "2026-03-03"})

    assert response.status_code == 409, response.text
    assert "已有预约" in response.json()["detail"]
    assert _count(world, AppointmentRecord) == 0 and _order(client, login)["state"] == "accepted"


def test_two_desks_booking_one_window_at_once_give_it_away_once(
        client: TestClient, login: Headers, world: Engine) -> None:
    versions = {order_id: _accepted(world, order_id=order_id) for order_id in (1, 2)}
    headers = login("agent")
    barrier = threading.Barrier(2)

    def book(order_id: int) -> int:
        barrier.wait()
        return client.post(f"/v1/orders/{order_id}/appointment", headers=headers,
                           json={"version": versions[order_id], **window(3, 10)}).status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = sorted(pool.map(book, (1, 2)))

    assert statuses == [200, 409]
    with Session(world) as session:
        assert session.scalar(select(func.count()).select_from(AppointmentRecord)) == 1


@pytest.mark.parametrize(("slot", "field"), [
    (window(2, 10), "start"),  # this morning: gone
    ({"start": at(3, 7).isoformat(), "end": at(3, 9).isoformat()}, "start"),
    ({"start": at(3, 10).isoformat(), "end": at(3, 13).isoformat()}, "end"),
    ({"part": "evening", "date": "2026-03-02"}, "part"),  # at 18:30 today's evening has begun
])
def test_a_slot_out_of_bounds_is_refused_naming_the_field(
        client: TestClient, login: Headers, world: Engine, clock: SimulatedClock,
        slot: dict[str, str], field: str) -> None:
    version = _accepted(world)
    clock.advance(timedelta(minutes=90))

    response = _book(client, login, version, slot=slot)

    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == ["body", field]
    assert _count(world, AppointmentRecord) == 0


@pytest.mark.parametrize("body", [
    {"version": 1},
    {"version": 1, "start": at(3, 10).isoformat()},
    {"version": 1, "part": "morning"},
    {"version": 1, "part": "noon", "date": "2026-03-03"},
    {"version": 1, "part": "morning", "date": "2026-03-03", **window(3, 10)},
    {"version": 1, "start": "2026-03-03T10:00:00", "end": "2026-03-03T12:00:00"},
    {"version": 1, "reason_code": "bored", **window(3, 10)},
])
def test_a_malformed_booking_is_refused_before_anything(
        client: TestClient, login: Headers, world: Engine, body: dict[str, Any]) -> None:
    _accepted(world)
    response = client.post("/v1/orders/1/appointment", headers=login("tech1"), json=body)
    assert response.status_code == 422, response.text
    assert _count(world, AppointmentRecord) == 0


def test_a_technician_cannot_book_another_technicians_order(
        client: TestClient, login: Headers, world: Engine) -> None:
    version = _accepted(world)

    response = _book(client, login, version, as_="tech2")

    assert response.status_code == 403, response.text
    assert _count(world, AppointmentRecord) == 0 and _flags(world) == []
    assert _order(client, login)["state"] == "accepted"
    assert _book(client, login, version, as_="finance").status_code == 403


def test_a_stale_version_is_a_conflict_with_the_current_version(
        client: TestClient, login: Headers, world: Engine) -> None:
    version = _accepted(world)

    response = _book(client, login, version - 1)

    assert response.status_code == 409, response.text
    assert response.json()["current_version"] == version
    assert _count(world, AppointmentRecord) == 0


def test_an_order_not_yet_accepted_cannot_be_booked(
        client: TestClient, login: Headers, world: Engine) -> None:
    response = _book(client, login, 1, as_="agent")
    assert response.status_code == 409 and "接单后" in response.json()["detail"]


# -- reschedules --------------------------------------------------------------------------------

def _reschedule(client: TestClient, login: Headers, version: int, day: int, hour: int,
                as_: str = "tech1", code: str | None = "customer_request") -> Response:
    body: dict[str, Any] = {"version": version, **window(day, hour)}
    if code is not None:
        body["reason_code"] = code
    return client.post("/v1/orders/1/appointment", headers=login(as_), json=body)


def test_a_reschedule_past_the_limit_waits_until_a_supervisor_approves(
        client: TestClient, login: Headers, world: Engine, sms: SimulatedSms) -> None:
    version = _book(client, login, _accepted(world)).json()["version"]
    assert _reschedule(client, login, version, 3, 12, code=None).status_code == 422
    for day in (4, 5):  # the client's limit: two reschedules go through
        done = _reschedule(client, login, version, day, 10)
        assert done.status_code == 200, done.text
        assert done.json()["appointment"]["reschedule"] is True
        version = done.json()["version"]

    waiting = _reschedule(client, login, version, 6, 10)

    assert waiting.status_code == 202, waiting.text
    pending = waiting.json()["appointment"]
    assert (waiting.json()["version"], pending["status"]) == (version, "pending")
    assert _order(client, login)["appointment_start"].startswith("2026-03-05T02:00")
    assert _reschedule(client, login, version, 7, 10).status_code == 409  # one at a time
    listed = client.get("/v1/reschedules", headers=login("supervisor")).json()
    assert [r["id"] for r in listed] == [pending["id"]]
    decision = f"/v1/reschedules/{pending['id']}/decision"
    assert client.post(decision, headers=login("agent"),
                       json={"approve": True, "reason": "ok"}).status_code == 403
    assert client.get("/v1/reschedules", headers=login("tech1")).status_code == 403
    assert client.post(decision, headers=login("supervisor"),
                       json={"approve": True, "reason": " "}).status_code == 422

    approved = client.post(decision, headers=login("supervisor"),
                           json={"approve": True, "reason": "客户确有急事"})

    assert approved.status_code == 200, approved.text
    body = approved.json()
    # The customer's postponement (as of the request), then the new slot.
    assert (body["state"], body["version"]) == ("appointed", version + 2)
    assert (body["appointment"]["status"], body["appointment"]["decided_by"],
            body["appointment"]["decision_reason"]) == ("approved", "supervisor", "客户确有急事")
    order = _order(client, login)
    assert order["appointment_start"].startswith("2026-03-06T02:00")
    reason = order["timeline"][-1]["reason"]
    assert "主管 supervisor 批准改约 (reschedule approved by supervisor)" in reason
    assert reason.endswith("客户确有急事」")  # the request's words, then the supervisor's
    again = client.post(decision, headers=login("supervisor"),
                        json={"approve": False, "reason": "重复"})
    assert again.status_code == 409
    assert client.get("/v1/reschedules", headers=login("supervisor")).json() == []


def test_a_reschedule_whose_slot_has_begun_cannot_be_approved_only_refused(
        client: TestClient, login: Headers, world: Engine, clock: SimulatedClock) -> None:
    client.put("/v1/appointment-policies/default", headers=login("supervisor"),
               json={"reschedule_limit": 0, "call_window_hours": 72, "version": 0,
                     "reason": "改约一律审批"})
    version = _book(client, login, _accepted(world)).json()["version"]
    waiting = _reschedule(client, login, version, 4, 10).json()["appointment"]
    clock.advance(timedelta(days=1, hours=17, minutes=1))  # 2026-03-04 10:01
    decision = f"/v1/reschedules/{waiting['id']}/decision"

    late = client.post(decision, headers=login("supervisor"),
                       json={"approve": True, "reason": "同意"})
    refused = client.post(decision, headers=login("supervisor"),
                          json={"approve": False, "reason": "时段已过"})

    assert late.status_code == 409 and "已开始" in late.json()["detail"]
    assert refused.status_code == 200 and refused.json()["appointment"]["status"] == "refused"
    assert _order(client, login)["appointment_start"].startswith("2026-03-03T02:00")


def test_a_refused_reschedule_keeps_the_earlier_slot(
        client: TestClient, login: Headers, world: Engine) -> None:
    put = client.put("/v1/appointment-policies/default", headers=login("supervisor"),
                     json={"reschedule_limit": 0, "call_window_hours": 72, "version": 0,
                           "reason": "改约一律审批"})
    assert put.status_code == 200, put.text
    version = _book(client, login, _accepted(world)).json()["version"]

    waiting = _reschedule(client, login, version, 4, 10)
    assert waiting.status_code == 202, waiting.text
    refused = client.post(f"/v1/reschedules/{waiting.json()['appointment']['id']}/decision",
                          headers=login("supervisor"),
                          json={"approve": False, "reason": "理由不充分"})

    assert refused.status_code == 200, refused.text
    assert refused.json()["appointment"]["status"] == "refused"
    assert refused.json()["version"] == version
    assert _order(client, login)["appointment_start"].startswith("2026-03-03T02:00")
    again = _reschedule(client, login, version, 4, 12)  # a new request may be made
    assert again.status_code == 202


def test_a_supervisor_reschedules_past_the_limit_at_once(
        client: TestClient, login: Headers, world: Engine) -> None:
    client.put("/v1/appointment-policies/default", headers=login("supervisor"),
               json={"reschedule_limit": 0, "call_window_hours": 72, "version": 0,
                     "reason": "改约一律审批"})
    version = _book(client, login, _accepted(world)).json()["version"]

    done = _reschedule(client, login, version, 4, 10, as_="supervisor")

    assert done.status_code == 200, done.text
    assert (done.json()["appointment"]["status"], done.json()["appointment"]["decided_by"]) == (
        "approved", "supervisor")


def test_a_policy_change_from_a_stale_version_is_a_conflict(
        client: TestClient, login: Headers) -> None:
    body = {"reschedule_limit": 1, "call_window_hours": 48, "version": 0, "reason": "收紧"}
    first = client.put("/v1/appointment-policies/default", headers=login("supervisor"),
                       json=body)
    assert first.status_code == 200 and first.json()["version"] == 1
    stale = client.put("/v1/appointment-policies/default", headers=login("admin"), json=body)
    assert stale.status_code == 409 and stale.json()["current_version"] == 1
    assert client.put("/v1/appointment-policies/default", headers=login("agent"),
                      json={**body, "version": 1}).status_code == 403
    shown = client.get("/v1/appointment-policies/default", headers=login("agent")).json()
    assert (shown["reschedule_limit"], shown["call_window_hours"]) == (1, 48)
    assert client.get("/v1/appointment-policies/nobody",
                      headers=login("agent")).status_code == 404


# -- failed contact attempts --------------------------------------------------------------------

def test_a_failed_contact_attempt_is_recorded_with_its_next_contact(
        client: TestClient, login: Headers, world: Engine) -> None:
    _accepted(world)

    made = client.post("/v1/orders/1/contact-attempts", headers=login("tech1"),
                       json={"reason_code": "no_answer", "note": "响铃无人接"})
    asked = client.post("/v1/orders/1/contact-attempts", headers=login("agent"),
                        json={"reason_code": "goods_not_received",
                              "next_contact_at": at(5, 9).isoformat()})

    assert made.status_code == 201 and asked.status_code == 201, (made.text, asked.text)
    assert made.json()["next_contact_at"].startswith("2026-03-02T11:00")  # two hours on
    assert made.json()["reason_text"] == "无人接听 (no answer)"
    listed = client.get("/v1/orders/1/contact-attempts", headers=login("tech1")).json()
    assert [(a["reason_code"], a["recorded_by"]) for a in listed] == [
        ("no_answer", "tech1"), ("goods_not_received", "agent")]
    assert listed[1]["next_contact_at"].startswith("2026-03-05T01:00")


def test_contact_attempts_are_the_orders_technicians_and_the_desks(
        client: TestClient, login: Headers, world: Engine) -> None:
    _accepted(world)
    attempt = {"reason_code": "line_busy"}

    assert client.post("/v1/orders/1/contact-attempts", headers=login("tech2"),
                       json=attempt).status_code == 403
    assert client.post("/v1/orders/1/contact-attempts", headers=login("finance"),
                       json=attempt).status_code == 403
    assert client.get("/v1/orders/1/contact-attempts", headers=login("tech2")).status_code == 403
    past = client.post("/v1/orders/1/contact-attempts", headers=login("tech1"),
                       json={**attempt, "next_contact_at": (NOW - timedelta(hours=1))
                             .isoformat()})
    assert past.status_code == 422 and past.json()["errors"][0]["loc"] == [
        "body", "next_contact_at"]
    assert client.post("/v1/orders/1/contact-attempts", headers=login("tech1"),
                       json={"reason_code": "busy"}).status_code == 422
    new = client.post("/v1/orders/3/contact-attempts", headers=login("agent"), json=attempt)
    assert new.status_code == 409  # nobody has it to call yet
    assert _count(world, ContactAttemptRecord) == 0 and _count(world, ContactAttemptRecord, 3) == 0


def test_free_windows_are_the_technicians_own_or_the_desks(
        client: TestClient, login: Headers) -> None:
    url = f"/v1/technicians/{WANG}/free-windows?date=2026-03-03"
    assert client.get(url, headers=login("tech1")).status_code == 200
    assert client.get(url, headers=login("tech2")).status_code == 403
    assert client.get(url, headers=login("finance")).status_code == 403
    assert client.get("/v1/technicians/999/free-windows?date=2026-03-03",
                      headers=login("agent")).status_code == 404
    for day in ("tomorrow", "2026-03-01", "2026-04-02", "9999-12-31"):
        refused = client.get(f"/v1/technicians/{WANG}/free-windows?date={day}",
                             headers=login("agent"))
        assert refused.status_code == 422, (day, refused.text)
        assert refused.json()["errors"][0]["loc"] == ["query", "date"]


# -- the provider's push ------------------------------------------------------------------------

def _calls(world: Engine) -> int:
    with Session(world) as session:
        return session.scalar(select(func.count()).select_from(CallRecord)) or 0


def _signed(axb: SimulatedAxb, binding: str, at_: datetime) -> tuple[bytes, dict[str, str]]:
    record = axb.call(binding, "technician", at_ - timedelta(minutes=5), 60)
    axb.unpushed.clear()
    return axb.signed_push([record], at_)


def _send(client: TestClient, body: bytes, headers: dict[str, str]) -> Response:
    return client.post("/v1/axb/call-records", content=body,
                       headers={**headers, "content-type": "application/json"})


@pytest.mark.parametrize("attack", ["unsigned", "forged", "tampered", "no_timestamp",
                                    "stale_timestamp", "future_timestamp"])
def test_a_push_not_signed_by_the_provider_is_refused_and_nothing_stored(
        client: TestClient, world: Engine, clock: SimulatedClock, axb: SimulatedAxb,
        attack: str) -> None:
    _accepted(world)
    binding = _bind(world, clock, axb)
    body, headers = _signed(axb, binding, NOW)
    if attack == "unsigned":
        headers = {}
    elif attack == "forged":  # a well-formed signature under a secret that is not the provider's
        headers = signed_headers(body, "x" * 40, NOW)
    elif attack == "tampered":
        body = body.replace(b'"duration_s": 60', b'"duration_s": 600')
    elif attack == "no_timestamp":
        headers = {"x-lastmile-signature": headers["x-lastmile-signature"]}
    else:  # signed with the secret, but more than 5 minutes from now
        shift = timedelta(minutes=-6 if attack == "stale_timestamp" else 6)
        body, headers = _signed(axb, binding, NOW + shift)

    response = _send(client, body, headers)

    assert response.status_code == 401, (attack, response.text)
    assert _calls(world) == 0


def test_a_push_replayed_after_five_minutes_is_refused(
        client: TestClient, world: Engine, clock: SimulatedClock, axb: SimulatedAxb) -> None:
    _accepted(world)
    binding = _bind(world, clock, axb)
    body, headers = _signed(axb, binding, NOW)
    first = _send(client, body, headers)
    assert first.status_code == 200 and first.json()["taken"] == 1, first.text

    within = _send(client, body, headers)  # the provider's own retry: taken once
    clock.advance(timedelta(minutes=5, seconds=1))
    replayed = _send(client, body, headers)

    assert within.status_code == 200 and within.json() == {
        "taken": 0, "duplicates": 1, "unmatched": [], "found_late": 0}
    assert replayed.status_code == 401 and "重放" in replayed.json()["detail"]
    assert _calls(world) == 1


def test_a_signed_header_sent_twice_is_refused(
        client: TestClient, world: Engine, clock: SimulatedClock, axb: SimulatedAxb) -> None:
    _accepted(world)
    body, headers = _signed(axb, _bind(world, clock, axb), NOW)
    raw = [(k.encode(), v.encode()) for k, v in headers.items()]
    raw.append((b"x-lastmile-signature", b"0" * 64))

    response = client.post("/v1/axb/call-records", content=body, headers=raw)

    assert response.status_code == 401 and _calls(world) == 0


def test_a_signed_but_malformed_push_stores_nothing(
        client: TestClient, world: Engine, clock: SimulatedClock, axb: SimulatedAxb) -> None:
    _accepted(world)
    binding = _bind(world, clock, axb)
    good = axb.call(binding, "technician", NOW - timedelta(minutes=3), 60)
    bad = {**good.wire(), "record_id": "r-2", "duration_s": -1}
    body = json.dumps({"records": [good.wire(), bad]}).encode()
    response = _send(client, body, signed_headers(body, axb.push_secret, NOW))

    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"][:3] == ["body", "records", 1]
    assert _calls(world) == 0


def test_a_record_of_an_unknown_binding_is_named_back_not_stored(
        client: TestClient, world: Engine, axb: SimulatedAxb) -> None:
    record = axb.call("not-ours", "technician", NOW - timedelta(minutes=3), 60)

    response = _send(client, *axb.signed_push([record], NOW))

    assert response.status_code == 200, response.text
    assert response.json()["unmatched"] == [record.record_id] and _calls(world) == 0


# -- binding through a provider that is down ----------------------------------------------------

def test_a_provider_down_leaves_the_binding_pending_and_a_later_round_binds_it(
        client: TestClient, login: Headers, world: Engine, clock: SimulatedClock,
        axb: SimulatedAxb) -> None:
    _accepted(world)
    axb.down = True

    row = handle_bind_axb(BindAxb(1, SYSTEM, axb), UnitOfWork(world, clock=clock))

    assert row is not None and (row.status, row.tries, row.virtual_number) == ("pending", 1, "")
    shown = client.get("/v1/orders/1/calls", headers=login("agent")).json()["binding"]
    assert (shown["status"], shown["next_try_at"][:19]) == ("pending", "2026-03-02T09:00:30")
    assert "不可用" in shown["last_error"]
    number = client.get("/v1/orders/1/virtual-number", headers=login("tech1")).json()
    assert (number["status"], number["virtual_number"]) == ("pending", "")
    round_ = handle_axb_round(AxbRound(axb), UnitOfWork(world, clock=clock))
    assert round_.retrying == 0  # not due yet: 30 s after the first try
    clock.advance(timedelta(seconds=31))
    assert handle_axb_round(AxbRound(axb), UnitOfWork(world, clock=clock)).retrying == 1
    axb.down = False
    clock.advance(timedelta(minutes=2))

    done = handle_axb_round(AxbRound(axb), UnitOfWork(world, clock=clock))

    assert done.bound == 1
    number = client.get("/v1/orders/1/virtual-number", headers=login("tech1")).json()
    assert (number["status"], number["virtual_number"]) == ("bound", "17100000001")
    assert client.get("/v1/orders/1/virtual-number", headers=login("tech2")).status_code == 403
    with Session(world) as session:
        bound = session.scalars(select(AxbBindingRecord)).one()
    assert (bound.tries, bound.last_error) == (3, "")
    assert bound.expires_at == clock.now() + timedelta(days=7)


def test_a_new_technician_gets_a_new_binding_and_the_old_one_is_released(
        world: Engine, clock: SimulatedClock, axb: SimulatedAxb) -> None:
    _accepted(world)
    old = _bind(world, clock, axb)
    with UnitOfWork(world) as uow:
        order = uow.orders.get(1)
        assert order is not None
        order.technician_id = LI  # as a reassignment leaves it (the aggregate's own steps
        uow.orders.save(order)  # are the lead's to wire)
        uow.commit()

    row = handle_bind_axb(BindAxb(1, SYSTEM, axb), UnitOfWork(world, clock=clock))

    assert row is not None and row.status == "bound" and row.technician_id == LI
    assert row.technician_phone == "13900000002"
    assert axb.released == [old]  # released in the same try
    again = handle_bind_axb(BindAxb(1, SYSTEM, axb), UnitOfWork(world, clock=clock))
    assert again is not None and again.id == row.id  # already bound: nothing new


def test_unbinding_releases_the_number_once_the_provider_is_back(
        world: Engine, clock: SimulatedClock, axb: SimulatedAxb) -> None:
    _accepted(world)
    binding = _bind(world, clock, axb)
    axb.down = True

    queued = handle_unbind_axb(UnbindAxb(1, DESK, "客户取消 (cancelled)", axb),
                               UnitOfWork(world, clock=clock))

    with Session(world) as session:
        row = session.scalars(select(AxbBindingRecord)).one()
        assert (row.status, row.unbind_reason) == ("unbinding", "客户取消 (cancelled)")
    assert queued == [row.id] and axb.released == []
    axb.down = False
    clock.advance(timedelta(minutes=3))
    assert handle_axb_round(AxbRound(axb), UnitOfWork(world, clock=clock)).unbound == 1
    assert axb.released == [binding]
    with Session(world) as session:
        assert session.scalars(select(AxbBindingRecord.status)).one() == "unbound"


def test_the_desk_sees_calls_with_durations_and_phones_as_its_role_may(
        client: TestClient, login: Headers, world: Engine, clock: SimulatedClock,
        axb: SimulatedAxb) -> None:
    _accepted(world)
    binding = _bind(world, clock, axb)
    axb.call(binding, "technician", NOW - timedelta(minutes=9), 75, recording=True)
    axb.call(binding, "customer", NOW - timedelta(minutes=4), 0, connected=False)
    axb.push(_post(client), NOW)

    agent = client.get("/v1/orders/1/calls", headers=login("agent")).json()
    finance = client.get("/v1/orders/1/calls", headers=login("finance")).json()

    assert [(c["caller_side"], c["duration_s"], c["connected"], c["recording"])
            for c in agent["calls"]] == [("technician", 75, True, True),
                                         ("customer", 0, False, False)]
    assert agent["binding"]["customer_phone"] == PHONE
    assert agent["binding"]["virtual_number"] == "17100000001"
    assert finance["binding"]["customer_phone"] == "138****0001"
    assert finance["binding"]["technician_phone"] == "139****0001"
    assert client.get("/v1/orders/1/calls", headers=login("tech1")).status_code == 403
