"""An agent's intake work through the handlers with a real SQLite unit of work (no HTTP): a dead
letter retried or discarded, a held order approved or rejected."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from order_world import AGENT, T0, engine, world_template
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.contracts.intake import Channel, MessageStatus, Outcome
from core.errors import Conflict, Invalid, NotFound
from core.intake.errors import PayloadRejected
from core.orders.errors import StaleVersion
from core.orders.lifecycle import OrderState
from core.services.intake.commands import DecideReview, DiscardMessage, Ingest, RetryMessage
from core.services.intake.ingest import handle_ingest
from core.services.intake.messages import handle_discard, handle_retry
from core.services.intake.reviews import handle_decide_review
from core.storage.intake.messages import NoSuchMessage, NotDead
from core.storage.intake.reviews import NoOrderToReview, NotInReview
from core.storage.orders.repository import OrderRepository
from core.storage.tables import ClientRecord, IntakeMessageRecord
from core.storage.uow import UnitOfWork

__all__ = ["engine", "world_template"]  # fixtures shared from order_world
AT = T0 + timedelta(hours=2)
GOOD = {"platform": "demo-own", "platform_order_id": "OWN-1", "customer_name": "张三",
        "customer_phone": "13812345678", "address": "北京市朝阳区建国路88号",
        "items": [{"sku": "AC-KFR35", "name": "空调挂机 1.5匹 KFR-35GW", "quantity": 1,
                   "unit_price_fen": 289900}]}


def uow_at(engine: Engine, minutes: int = 0) -> UnitOfWork:
    return UnitOfWork(engine, clock=SimulatedClock(AT + timedelta(minutes=minutes)))


def take(engine: Engine, body: Any) -> Any:
    payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
    return handle_ingest(Ingest("own", payload, "application/json", Channel.WEBHOOK),
                         uow_at(engine)).outcomes[0]


def dead_letter(engine: Engine) -> int:
    outcome = take(engine, {**GOOD, "customer_phone": "12"})
    assert outcome.outcome is Outcome.DEAD
    return int(outcome.message_id)


def message(engine: Engine, message_id: int) -> IntakeMessageRecord:
    with Session(engine) as session:
        found = session.get(IntakeMessageRecord, message_id)
        assert found is not None
        return found


def test_a_fixed_dead_letter_goes_in_and_the_letter_says_so(engine: Engine) -> None:
    letter = dead_letter(engine)

    receipt = handle_retry(RetryMessage(letter, json.dumps(GOOD, ensure_ascii=False), "agent"),
                           uow_at(engine, 5))

    (outcome,) = receipt.outcomes
    assert outcome.outcome is Outcome.CREATED
    kept = message(engine, letter)
    assert (kept.status, kept.retried_as, kept.resolved_by) == (
        MessageStatus.RETRIED, outcome.message_id, "agent")
    assert kept.resolved_at == AT + timedelta(minutes=5)


def test_a_retry_still_unusable_stores_nothing_and_the_letter_stays_dead(engine: Engine) -> None:
    letter = dead_letter(engine)

    with pytest.raises(PayloadRejected) as refused:
        handle_retry(RetryMessage(letter, None, "agent"), uow_at(engine, 5))

    assert refused.value.status == 422 and refused.value.field == "customer_phone"
    assert message(engine, letter).status == MessageStatus.DEAD


def test_a_letter_can_be_resolved_once(engine: Engine) -> None:
    letter = dead_letter(engine)
    handle_discard(DiscardMessage(letter, "测试数据", "agent"), uow_at(engine, 5))

    with pytest.raises(NotDead) as again:
        handle_retry(RetryMessage(letter, None, "agent"), uow_at(engine, 6))

    assert isinstance(again.value, Conflict) and again.value.status == 409
    assert message(engine, letter).resolution == "测试数据"


def test_a_discard_needs_a_reason_and_a_message(engine: Engine) -> None:
    letter = dead_letter(engine)

    with pytest.raises(Invalid) as blank:
        handle_discard(DiscardMessage(letter, "  ", "agent"), uow_at(engine))
    with pytest.raises(NoSuchMessage) as missing:
        handle_discard(DiscardMessage(9999, "x", "agent"), uow_at(engine))

    assert blank.value.loc == ("body", "reason")
    assert isinstance(missing.value, NotFound) and missing.value.status == 404


@pytest.fixture
def held(engine: Engine) -> int:
    """An order of a client whose orders all wait for review."""
    with Session(engine) as session, session.begin():
        session.execute(update(ClientRecord).where(ClientRecord.code == "demo-own")
                        .values(audit_mode="manual"))
    outcome = take(engine, GOOD)
    assert outcome.outcome is Outcome.REVIEW
    return int(outcome.order_ids[0])


def state_of(engine: Engine, order_id: int) -> OrderState:
    with Session(engine) as session:
        order = OrderRepository(session).get(order_id)
        assert order is not None
        return order.state


def test_approving_a_held_order_audits_places_and_classifies_it(engine: Engine,
                                                                held: int) -> None:
    handle_decide_review(DecideReview(held, True, 1, "", AGENT), uow_at(engine, 10))

    assert state_of(engine, held) is OrderState.CLASSIFIED


def test_rejecting_cancels_and_needs_a_reason(engine: Engine, held: int) -> None:
    with pytest.raises(Invalid):
        handle_decide_review(DecideReview(held, False, 1, " ", AGENT), uow_at(engine))

    handle_decide_review(DecideReview(held, False, 1, "刷单", AGENT), uow_at(engine))

    assert state_of(engine, held) is OrderState.CANCELLED


def test_a_decision_on_a_changed_missing_or_decided_order_is_refused(engine: Engine,
                                                                     held: int) -> None:
    with pytest.raises(StaleVersion):
        handle_decide_review(DecideReview(held, True, 7, "", AGENT), uow_at(engine))
    with pytest.raises(NoOrderToReview) as missing:
        handle_decide_review(DecideReview(9999, True, 1, "", AGENT), uow_at(engine))
    handle_decide_review(DecideReview(held, True, 1, "", AGENT), uow_at(engine))
    with pytest.raises(NotInReview) as decided:
        handle_decide_review(DecideReview(held, True, 4, "", AGENT), uow_at(engine))

    assert (missing.value.status, decided.value.status) == (404, 409)
