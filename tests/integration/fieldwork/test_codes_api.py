"""Verification codes over HTTP on SQLite and PostgreSQL, tried as an attacker would: guesses
past the limit lock the code, another technician or a desk role cannot check it, no answer
carries the code or its hash, an SMS provider that is down queues the code and a later round
sends it, a reissue voids the old code, an expired code is refused."""

from __future__ import annotations

import asyncio
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from support.waiting import eventually

from core.clock import SimulatedClock
from core.fieldwork.flags import FlagKind
from core.orders.lifecycle import Role
from core.orders.model import Actor
from core.server.app import create_app
from core.server.outbox import run_outbox
from core.services.fieldwork.axb import SimulatedAxb
from core.services.fieldwork.codes import ensure_code_in
from core.services.fieldwork.sms import (
    Delivery,
    SendPendingSms,
    SimulatedSms,
    handle_send_pending,
)
from core.storage.fieldwork.codes import SmsOutboxRecord, VerificationCodeRecord
from core.storage.fieldwork.flags import flags_of
from core.storage.uow import UnitOfWork

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
AGENT = Actor("agent", Role.AGENT)
WANG = 1  # tech1's technician id in the tiny world
PHONE = "13800000001"  # order 1's customer
Headers = Callable[[str], dict[str, str]]


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(T0)


@pytest.fixture
def client(world: Engine, clock: SimulatedClock, sms: SimulatedSms) -> Iterator[TestClient]:
    """The API over the world on the test's clock, with the test's SMS provider."""
    app = create_app(world, poll_seconds=0.05, clock=clock, sms=sms)
    with TestClient(app) as test_client:
        yield test_client


def _at_the_door(engine: Engine, order_id: int = 1, technician_id: int = WANG) -> None:
    """Take the order from new to checked in by the technician, appointed for this morning."""
    steps: list[tuple[str, dict[str, Any]]] = [
        ("audit", {}), ("place", {"county_adcode": "110105"}),
        ("classify", {"service_type": "install"}), ("open_dispatch", {}),
        ("assign", {"technician_id": technician_id}), ("accept", {}),
        ("appoint", {"start": T0, "end": T0 + timedelta(hours=2)}), ("check_in", {})]
    with UnitOfWork(engine) as uow:
        order = uow.orders.get(order_id)
        assert order is not None
        for action, args in steps:
            order.perform(action, AGENT, T0, "test", **args)
        uow.orders.save(order)
        uow.commit()


def _issue(client: TestClient, login: Headers, order_id: int = 1, as_: str = "agent",
           reason: str = "客户来电要求发码") -> Response:
    return client.post(f"/v1/orders/{order_id}/verification-code", headers=login(as_),
                       json={"reason": reason})


def _check(client: TestClient, login: Headers, code: object, order_id: int = 1,
           as_: str = "tech1") -> Response:
    return client.post(f"/v1/orders/{order_id}/verification-code/check", headers=login(as_),
                       json={"code": code})


def _status(client: TestClient, login: Headers, order_id: int = 1) -> dict[str, Any]:
    response = client.get(f"/v1/orders/{order_id}/verification-code", headers=login("agent"))
    assert response.status_code == 200, response.text
    return dict(response.json())


def _code_sent(sms: SimulatedSms) -> str:
    """The code in the customer's latest SMS."""
    found = re.search(r"核销码为 (\d+)", sms.to(PHONE)[-1].text)
    assert found is not None
    return found.group(1)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10 ** len(code):0{len(code)}d}"


def _send_pending(engine: Engine, clock: SimulatedClock, sms: SimulatedSms) -> Any:
    return handle_send_pending(SendPendingSms(sms), UnitOfWork(engine, clock=clock))


def test_the_customer_gets_the_code_and_the_technician_checks_it(
        client: TestClient, login: Headers, world: Engine, sms: SimulatedSms) -> None:
    _at_the_door(world)

    issued = _issue(client, login)

    assert issued.status_code == 201, issued.text
    body = issued.json()
    assert body["state"] == "issued" and body["current"]["digits"] == 4
    assert body["current"]["expires_at"].startswith("2026-03-03T11:00")  # a day after the visit
    assert body["current"]["sms"] | {"next_try_at": None} == {
        "status": "sent", "phone": "138****0001", "tries": 1, "next_try_at": None,
        "sent_at": body["current"]["sms"]["sent_at"], "last_error": ""}
    code = _code_sent(sms)
    assert len(code) == 4 and len(sms.sent) == 1

    checked = _check(client, login, code)

    assert checked.status_code == 200, checked.text
    assert checked.json() == {"order_id": 1, "state": "used", "used_at": "2026-03-02T09:00:00Z"}
    status = _status(client, login)
    assert (status["state"], status["current"]["used_by"]) == ("used", "tech1")
    again = _check(client, login, code)
    assert again.status_code == 409 and "已使用" in again.json()["detail"]


def test_guessing_past_the_limit_locks_the_code_and_flags_each_guess(
        client: TestClient, login: Headers, world: Engine, sms: SimulatedSms) -> None:
    _at_the_door(world)
    assert _issue(client, login).status_code == 201
    code = _code_sent(sms)
    guesses = [g for g in (f"{n:04d}" for n in range(10_000)) if g != code][:7]

    answers = [_check(client, login, g) for g in guesses]

    assert [a.status_code for a in answers] == [422, 422, 422, 422, 409, 409, 409]
    assert "还可尝试 1 次" in answers[3].json()["detail"]
    assert answers[3].json()["errors"][0]["loc"] == ["body", "code"]
    assert "锁定" in answers[4].json()["detail"]
    right = _check(client, login, code)
    assert right.status_code == 409  # locked: even the right code no longer opens it
    status = _status(client, login)
    assert (status["state"], status["current"]["attempts"]) == ("locked", 5)
    assert status["current"]["attempts_left"] == 0
    with Session(world) as session:
        kinds = Counter(f.kind for f in flags_of(session, [1])[1])
    assert kinds == {FlagKind.CODE_FAILED: 5, FlagKind.CODE_LOCKED: 1}


def test_simultaneous_guesses_are_each_counted_and_none_past_the_limit(
        client: TestClient, login: Headers, world: Engine, sms: SimulatedSms) -> None:
    _at_the_door(world)
    assert _issue(client, login).status_code == 201
    code = _code_sent(sms)
    guesses = [g for g in (f"{n:04d}" for n in range(100)) if g != code][:12]
    headers = login("tech1")
    barrier = threading.Barrier(len(guesses))

    def guess(g: str) -> int:
        barrier.wait()
        return client.post("/v1/orders/1/verification-code/check", headers=headers,
                           json={"code": g}).status_code

    with ThreadPoolExecutor(max_workers=len(guesses)) as pool:
        statuses = Counter(pool.map(guess, guesses))

    assert statuses == {422: 4, 409: 8}, statuses
    with Session(world) as session:
        row = session.scalars(select(VerificationCodeRecord)).one()
    assert (row.attempts, row.locked_at is not None) == (5, True)


@pytest.mark.parametrize("code", [
    "123", "12345", "12a4", "１２３４", " 1234", "1234\n", "", "1" * 11, "9" * 100_000, 1234,
    None, ["1234"]])
def test_malformed_codes_are_refused_before_they_count(
        client: TestClient, login: Headers, world: Engine, code: object) -> None:
    _at_the_door(world)
    assert _issue(client, login).status_code == 201

    answer = _check(client, login, code)

    assert answer.status_code in (413, 422), answer.text
    assert _status(client, login)["current"]["attempts"] == 0


def test_a_check_takes_only_the_code(client: TestClient, login: Headers,
                                     world: Engine) -> None:
    _at_the_door(world)
    assert _issue(client, login).status_code == 201
    answer = client.post("/v1/orders/1/verification-code/check", headers=login("tech1"),
                         json={"code": "1234", "attempts": 0})
    assert answer.status_code == 422
    assert _status(client, login)["current"]["attempts"] == 0


@pytest.mark.parametrize(("who", "status"), [
    ("tech2", 403), ("tech3", 403), ("agent", 403), ("supervisor", 403), ("admin", 403),
    ("finance", 403)])
def test_only_the_orders_own_technician_checks_its_code(
        client: TestClient, login: Headers, world: Engine, sms: SimulatedSms,
        who: str, status: int) -> None:
    _at_the_door(world)
    assert _issue(client, login).status_code == 201

    answer = _check(client, login, _code_sent(sms), as_=who)

    assert answer.status_code == status, answer.text
    current = _status(client, login)["current"]
    assert (current["state"], current["attempts"]) == ("issued", 0)


def test_technicians_and_finance_neither_issue_nor_read_codes(
        client: TestClient, login: Headers, world: Engine) -> None:
    _at_the_door(world)
    assert _issue(client, login, as_="tech1").status_code == 403
    assert _issue(client, login, as_="finance").status_code == 403
    assert client.get("/v1/orders/1/verification-code",
                      headers=login("tech1")).status_code == 403
    assert client.post("/v1/orders/1/verification-code", json={"reason": "x"}
                       ).status_code == 401
    assert _issue(client, login, order_id=999).status_code == 404
    assert _check(client, login, "1234", order_id=999).status_code == 404


def test_no_answer_carries_the_code_or_its_hash(
        client: TestClient, login: Headers, world: Engine, sms: SimulatedSms) -> None:
    # Ten digits: a number that long appears in no answer unless the code leaked.
    policy = client.put("/v1/verification-code-policies/demo-tmall", headers=login("supervisor"),
                        json={"version": 0, "reason": "品牌要求 10 位核销码", "digits": 10,
                              "valid_hours": 24, "max_attempts": 5})
    assert policy.status_code == 200, policy.text
    _at_the_door(world)
    answers = [_issue(client, login), _issue(client, login, reason="客户没收到，重发")]
    code = _code_sent(sms)
    answers += [_check(client, login, _wrong(code)),
                client.get("/v1/orders/1/verification-code", headers=login("supervisor")),
                client.get("/v1/orders/1/verification-code", headers=login("admin")),
                client.get("/v1/orders/1", headers=login("agent")),
                client.get("/v1/orders/1", headers=login("tech1"))]
    assert len(code) == 10
    with Session(world) as session:
        rows = session.scalars(select(VerificationCodeRecord)).all()
        outbox = session.scalars(select(SmsOutboxRecord)).all()
    secrets_seen = [code, *(r.code_hash.hex() for r in rows), *(r.salt.hex() for r in rows)]
    for answer in answers:
        assert answer.status_code < 500, answer.text
        for secret in secrets_seen:
            assert secret not in answer.text, answer.request.url
        assert not re.search(r'"(code_hash|salt|sealed|text)"', answer.text)
    # The database keeps neither: the outbox's text waits for the code, which is sealed.
    assert all(code not in (o.text + o.sealed) for o in outbox)


def test_a_provider_down_queues_the_sms_and_a_later_round_sends_it(
        client: TestClient, login: Headers, world: Engine, sms: SimulatedSms,
        clock: SimulatedClock) -> None:
    _at_the_door(world)
    sms.down = True

    issued = _issue(client, login)

    assert issued.status_code == 201, issued.text
    pending = issued.json()["current"]["sms"]
    assert (pending["status"], pending["tries"]) == ("pending", 1)
    assert pending["next_try_at"] == "2026-03-02T09:00:30Z" and "不可用" in pending["last_error"]
    assert sms.sent == []
    clock.advance(timedelta(seconds=30))
    assert _send_pending(world, clock, sms).retrying == 1  # still down: the wait doubles
    assert _status(client, login)["current"]["sms"]["next_try_at"] == "2026-03-02T09:01:30Z"
    sms.down = False
    clock.advance(timedelta(seconds=59))
    assert _send_pending(world, clock, sms).sent == 0  # not yet due

    clock.advance(timedelta(seconds=1))
    delivery = _send_pending(world, clock, sms)

    assert (delivery.sent, delivery.retrying) == (1, 0)
    status = _status(client, login)["current"]["sms"]
    assert (status["status"], status["tries"], status["next_try_at"]) == ("sent", 3, None)
    assert len(sms.sent) == 1
    assert _check(client, login, _code_sent(sms)).status_code == 200
    with Session(world) as session:
        row = session.scalars(select(SmsOutboxRecord)).one()
    assert (row.sealed, row.provider_id) == ("", sms.sent[0].message_id)


def test_a_number_the_provider_refuses_fails_with_why_and_is_not_retried(
        client: TestClient, login: Headers, world: Engine, sms: SimulatedSms,
        clock: SimulatedClock) -> None:
    _at_the_door(world)
    sms.refused_numbers.add(PHONE)

    issued = _issue(client, login)

    failed = issued.json()["current"]["sms"]
    assert (failed["status"], failed["next_try_at"]) == ("failed", None)
    assert "拒收" in failed["last_error"]
    clock.advance(timedelta(hours=1))
    assert _send_pending(world, clock, sms) == Delivery()
    assert sms.sent == []


async def test_the_servers_outbox_loop_sends_what_the_provider_did_not_take(
        client: TestClient, login: Headers, world: Engine, sms: SimulatedSms,
        clock: SimulatedClock) -> None:
    _at_the_door(world)
    sms.down = True
    assert _issue(client, login).status_code == 201
    sms.down = False
    clock.advance(timedelta(seconds=30))
    stop = asyncio.Event()

    task = asyncio.create_task(run_outbox(world, stop, sms, SimulatedAxb(), interval=0.01,
                                          clock=clock))
    try:
        await eventually(lambda: sms.sent, 5)
    finally:
        stop.set()
        await asyncio.wait_for(task, 5)

    assert len(sms.sent) == 1
    assert _status(client, login)["current"]["sms"]["status"] == "sent"


def test_a_provider_that_breaks_unexpectedly_keeps_the_sms_pending(
        client: TestClient, login: Headers, world: Engine, clock: SimulatedClock) -> None:
    class Broken:
        def send(self, phone: str, text: str) -> str:
            raise RuntimeError("socket closed")

    _at_the_door(world)
    client.app.state.sms = Broken()  # type: ignore[attr-defined]

    pending = _issue(client, login).json()["current"]["sms"]

    assert (pending["status"], pending["tries"]) == ("pending", 1)
    assert "RuntimeError" in pending["last_error"] and "socket" not in pending["last_error"]


def test_a_reissue_voids_the_old_code_and_its_unsent_sms(
        client: TestClient, login: Headers, world: Engine, sms: SimulatedSms,
        clock: SimulatedClock) -> None:
    _at_the_door(world)
    assert _issue(client, login).status_code == 201
    old = _code_sent(sms)
    sms.down = True
    reissued = _issue(client, login, reason="客户手机丢失，重新发码")
    while True:  # a new code that happens to equal the old proves nothing: draw again
        sms.down = False
        clock.advance(timedelta(minutes=1))
        _send_pending(world, clock, sms)
        if _code_sent(sms) != old:
            break
        sms.down = True
        reissued = _issue(client, login, reason="再发一次")
    assert reissued.status_code == 201, reissued.text
    new = _code_sent(sms)

    assert _check(client, login, old).status_code == 422
    assert _check(client, login, new).status_code == 200

    status = _status(client, login)
    assert status["state"] == "used"
    first = status["earlier"][-1]
    assert (first["state"], first["voided_by"], first["void_reason"]) == (
        "voided", "agent", "客户手机丢失，重新发码")
    assert first["sms"]["status"] == "sent"
    assert len(sms.sent) == 1 + len(status["earlier"])  # each code sent once, none twice


def test_an_unsent_sms_of_a_voided_code_is_never_sent(
        client: TestClient, login: Headers, world: Engine, sms: SimulatedSms,
        clock: SimulatedClock) -> None:
    _at_the_door(world)
    sms.down = True
    assert _issue(client, login).status_code == 201
    assert _issue(client, login, reason="改为重新发码").status_code == 201
    sms.down = False
    clock.advance(timedelta(minutes=5))

    assert _send_pending(world, clock, sms).sent == 1

    status = _status(client, login)
    assert status["earlier"][0]["sms"]["status"] == "cancelled"
    assert len(sms.sent) == 1 and _check(client, login, _code_sent(sms)).status_code == 200


def test_an_expired_code_is_refused_and_its_sms_no_longer_sent(
        client: TestClient, login: Headers, world: Engine, sms: SimulatedSms,
        clock: SimulatedClock) -> None:
    _at_the_door(world)
    assert _issue(client, login).status_code == 201
    code = _code_sent(sms)
    clock.advance(timedelta(hours=26))  # a day after the visit ended at 11:00

    answer = _check(client, login, code)

    assert answer.status_code == 410 and "已过期" in answer.json()["detail"]
    status = _status(client, login)
    assert (status["state"], status["current"]["attempts"]) == ("expired", 0)


def test_a_code_that_expires_while_the_provider_is_down_fails_instead_of_sending(
        client: TestClient, login: Headers, world: Engine, sms: SimulatedSms,
        clock: SimulatedClock) -> None:
    _at_the_door(world)
    sms.down = True
    assert _issue(client, login).status_code == 201
    sms.down = False
    clock.advance(timedelta(hours=27))

    assert _send_pending(world, clock, sms).dropped == 1

    assert sms.sent == []
    current = _status(client, login)["current"]
    assert (current["state"], current["sms"]["status"]) == ("expired", "failed")


def test_an_issue_says_why_and_a_used_code_is_not_reissued(
        client: TestClient, login: Headers, world: Engine, sms: SimulatedSms) -> None:
    _at_the_door(world)
    assert _issue(client, login, reason="   ").status_code == 422
    assert client.post("/v1/orders/1/verification-code", headers=login("agent"),
                       json={}).status_code == 422
    assert _issue(client, login).status_code == 201
    assert _check(client, login, _code_sent(sms)).status_code == 200

    again = _issue(client, login, reason="再来一个")

    assert again.status_code == 409
    assert _status(client, login)["state"] == "used"


def test_no_code_for_an_order_not_yet_assigned_nor_a_check_without_one(
        client: TestClient, login: Headers, world: Engine) -> None:
    assert _issue(client, login, order_id=2).status_code == 409
    _at_the_door(world, order_id=2)
    assert _check(client, login, "1234", order_id=2).status_code == 404
    assert _status(client, login, order_id=2) == {
        "order_id": 2, "state": "none", "current": None, "earlier": []}


def test_a_client_policy_is_audited_and_versioned(
        client: TestClient, login: Headers, world: Engine, sms: SimulatedSms) -> None:
    url = "/v1/verification-code-policies/demo-tmall"
    shown = client.get(url, headers=login("agent")).json()
    assert (shown["digits"], shown["valid_hours"], shown["max_attempts"], shown["version"]) == (
        4, 24, 5, 0)
    body = {"version": 0, "reason": "品牌要求", "digits": 10, "valid_hours": 48,
            "max_attempts": 3}
    assert client.put(url, headers=login("agent"), json=body).status_code == 403
    assert client.put(url, headers=login("supervisor"), json=body | {"digits": 6}
                      ).status_code == 422
    assert client.put(url, headers=login("supervisor"), json=body | {"reason": ""}
                      ).status_code == 422
    assert client.put("/v1/verification-code-policies/nobody", headers=login("supervisor"),
                      json=body).status_code == 404

    changed = client.put(url, headers=login("supervisor"), json=body)
    stale = client.put(url, headers=login("admin"), json=body | {"digits": 4})

    assert changed.status_code == 200 and changed.json()["version"] == 1
    assert stale.status_code == 409 and stale.json()["current_version"] == 1
    _at_the_door(world)
    current = _issue(client, login).json()["current"]
    assert (current["digits"], current["max_attempts"]) == (10, 3)
    assert current["expires_at"].startswith("2026-03-04T11:00")
    with Session(world) as session:
        from core.storage.tables import AuditLogRecord
        logged = session.scalar(select(func.count()).select_from(AuditLogRecord)
                                .where(AuditLogRecord.kind == "code_policy"))
    assert logged == 1


def test_an_appointment_issues_a_code_once_and_again_when_moved_past_it(
        world: Engine, clock: SimulatedClock) -> None:
    _at_the_door(world)

    def ensure(end: datetime) -> int | None:
        with UnitOfWork(world, clock=clock) as uow:
            order = uow.orders.get(1)
            assert order is not None
            order.appointment_end = end
            queued = ensure_code_in(uow.session, order, AGENT, clock.now())
            uow.commit()
        return queued

    first = ensure(T0 + timedelta(hours=2))
    kept = ensure(T0 + timedelta(hours=20))
    moved = ensure(T0 + timedelta(days=3))

    assert first is not None and kept is None and moved is not None
    with Session(world) as session:
        codes = session.scalars(select(VerificationCodeRecord)
                                .order_by(VerificationCodeRecord.id)).all()
        outbox = session.scalars(select(SmsOutboxRecord).order_by(SmsOutboxRecord.id)).all()
    assert [c.voided_at is not None for c in codes] == [True, False]
    assert [o.status for o in outbox] == ["cancelled", "pending"]
