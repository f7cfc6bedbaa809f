"""The intake handlers called directly with a real SQLite unit of work (no HTTP): a payload in,
a re-send, a late update, a cancel, an unusable envelope, a signed push."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from order_world import T0, engine, world_template
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.contracts.intake import Channel, MessageStatus, Outcome
from core.demo.seed import DEMO_INTAKE_SECRETS
from core.intake.adapters._lastmile import signed_headers
from core.intake.errors import BadSignature, PayloadRejected
from core.intake.model import Intent, PlatformLine, PlatformOrder, RawRecord, SignedRequest
from core.orders.lifecycle import OrderState
from core.services.intake.commands import (
    Ingest,
    IngestRecords,
    Parsed,
    PreviewImport,
    ReceiveWebhook,
)
from core.services.intake.ingest import EnvelopeRejected, handle_ingest, handle_ingest_records
from core.services.intake.webhook import handle_preview, handle_webhook
from core.storage.orders.repository import OrderRepository
from core.storage.tables import IntakeMessageRecord, OrderEventRecord
from core.storage.uow import UnitOfWork

__all__ = ["engine", "world_template"]  # fixtures shared from order_world
AT = T0 + timedelta(hours=2)


def record(poid: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "platform": "demo-own", "platform_order_id": poid, "customer_name": "张三",
        "customer_phone": "13812345678", "address": "北京市朝阳区建国路88号",
        "items": [{"sku": "AC-KFR35", "name": "空调挂机 1.5匹 KFR-35GW", "quantity": 1,
                   "unit_price_fen": 289900}],
    }
    body.update(overrides)
    return body


def take(engine: Engine, body: Any, at: Any = AT) -> Any:
    uow = UnitOfWork(engine, clock=SimulatedClock(at))
    payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
    return handle_ingest(Ingest("own", payload, "application/json", Channel.WEBHOOK), uow)


def order_of(engine: Engine, order_id: int) -> Any:
    with Session(engine) as session:
        return OrderRepository(session).get(order_id)


def test_a_new_order_is_created_at_the_clocks_time_and_its_message_kept(engine: Engine) -> None:
    receipt = take(engine, record("OWN-1"))

    (outcome,) = receipt.outcomes
    assert outcome.outcome is Outcome.CREATED
    order = order_of(engine, outcome.order_ids[0])
    assert order.created_at == AT and order.state is OrderState.CLASSIFIED
    with Session(engine) as session:
        message = session.get(IntakeMessageRecord, outcome.message_id)
        assert message is not None and message.status == MessageStatus.CONVERTED
        assert message.received_at == AT


def test_the_same_order_sent_again_changes_nothing(engine: Engine) -> None:
    first = take(engine, record("OWN-2")).outcomes[0]

    again = take(engine, record("OWN-2"), at=AT + timedelta(minutes=5)).outcomes[0]

    assert again.outcome is Outcome.DUPLICATE and again.order_ids == first.order_ids


def _records(*orders: PlatformOrder) -> IngestRecords:
    parsed: Parsed = [(RawRecord(n, "{}", {}, o.platform_order_id), o)
                      for n, o in enumerate(orders)]
    return IngestRecords("own", parsed, "application/json", Channel.POLL)


def test_an_update_changed_before_the_one_taken_is_refused_and_changes_nothing(
    engine: Engine,
) -> None:
    line = PlatformLine("AC-KFR35", "空调挂机 1.5匹 KFR-35GW", 1, 289900)
    new = PlatformOrder("own", "OWN-3", Intent.NEW, "张三", "13812345678",
                        "北京市朝阳区建国路88号", lines=(line,), modified_at=T0)
    later = replace(new, intent=Intent.UPDATE, address="北京市朝阳区建国路99号",
                    modified_at=T0 + timedelta(minutes=5))
    older = replace(later, address="北京市朝阳区建国路1号", modified_at=T0 + timedelta(minutes=1))
    uow = UnitOfWork(engine, clock=SimulatedClock(AT))

    handle_ingest_records(_records(new, later), uow)
    (outcome,) = handle_ingest_records(_records(older), uow).outcomes

    assert (outcome.outcome, outcome.field) == (Outcome.REFUSED, "modified_at")
    assert "stale" in outcome.reason
    assert order_of(engine, outcome.order_ids[0]).address == "北京市朝阳区建国路99号"


def test_a_cancel_cancels_an_order_not_yet_dispatched(engine: Engine) -> None:
    order_id = take(engine, record("OWN-4")).outcomes[0].order_ids[0]

    outcome = take(engine, record("OWN-4", intent="cancel")).outcomes[0]

    assert outcome.outcome is Outcome.CANCELLED
    assert order_of(engine, order_id).state is OrderState.CANCELLED
    with Session(engine) as session:
        last = session.scalars(select(OrderEventRecord).where(OrderEventRecord.order_id == order_id)
                               .order_by(OrderEventRecord.seq.desc())).first()
    assert last is not None and (last.kind, last.actor) == ("cancel", "intake")


def test_an_unusable_payload_is_kept_as_one_dead_letter_and_refused(engine: Engine) -> None:
    uow = UnitOfWork(engine, clock=SimulatedClock(AT))

    with pytest.raises(EnvelopeRejected) as refused:
        handle_ingest(Ingest("own", b"{not json", "application/json", Channel.FILE), uow)

    error = refused.value
    assert isinstance(error, PayloadRejected) and error.status == 422
    assert error.detail.startswith("payload: ")
    assert error.detail.endswith(f"(kept as dead letter {error.message_id})")
    with Session(engine) as session:
        kept = session.get(IntakeMessageRecord, error.message_id)
        assert kept is not None and kept.status == MessageStatus.DEAD
        assert kept.scope == "envelope" and kept.payload == b"{not json"


def _push(body: bytes, secret: str, signed_at: Any) -> SignedRequest:
    headers = {k.lower(): v for k, v in signed_headers(body, secret, signed_at).items()}
    return SignedRequest(query={}, headers=headers, body=body)


def test_a_signed_fresh_push_is_taken_in(engine: Engine) -> None:
    body = json.dumps(record("OWN-5"), ensure_ascii=False).encode("utf-8")
    push = _push(body, DEMO_INTAKE_SECRETS["own"], AT)
    uow = UnitOfWork(engine, clock=SimulatedClock(AT + timedelta(minutes=1)))

    receipt = handle_webhook(ReceiveWebhook("own", push, "application/json"), uow)

    assert receipt.outcomes[0].outcome is Outcome.CREATED


@pytest.mark.parametrize(("secret", "late"), [("wrong", 0), (DEMO_INTAKE_SECRETS["own"], 11)])
def test_a_push_not_signed_by_the_platform_or_stale_is_refused_unkept(
    engine: Engine, secret: str, late: int
) -> None:
    body = json.dumps(record("OWN-6"), ensure_ascii=False).encode("utf-8")
    uow = UnitOfWork(engine, clock=SimulatedClock(AT + timedelta(minutes=late)))

    with pytest.raises(BadSignature) as refused:
        handle_webhook(ReceiveWebhook("own", _push(body, secret, AT), "application/json"), uow)

    assert refused.value.status == 401
    with Session(engine) as session:
        assert session.scalars(select(IntakeMessageRecord)).first() is None


def test_a_preview_shows_each_record_and_stores_nothing(engine: Engine) -> None:
    payload = json.dumps([record("OWN-7"), record("OWN-8", customer_phone="12")],
                         ensure_ascii=False).encode("utf-8")

    preview = handle_preview(PreviewImport("own", payload, "application/json", "a.json"),
                             UnitOfWork(engine, clock=SimulatedClock(AT)))

    assert (preview.ok_count, preview.problem_count) == (1, 1)
    assert preview.rows[1].field == "customer_phone" and preview.rows[0].orders
    with Session(engine) as session:
        assert session.scalars(select(IntakeMessageRecord)).first() is None
