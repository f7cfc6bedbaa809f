"""The goods signed for, told by a platform's later update (SQLite and PostgreSQL): recorded
once on the order's timeline at the signing time, by intake, and the first-contact clock
starts there; a malformed signing time is kept as a dead letter naming the field."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from intake_support import NOW, Take
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from tmall_cards import CARD, created

from core.demo.platforms.tmall import render
from core.intake.model import Intent
from core.storage.sla.deadlines import SlaDeadlineRecord
from core.storage.tables import OrderEventRecord

SIGNED = NOW + timedelta(hours=2)


def _signed_update(signed_at: object = SIGNED) -> bytes:
    body, _ = render([replace(CARD, intent=Intent.UPDATE, goods_signed_at=SIGNED,
                              modified_at=NOW + timedelta(hours=3))])
    if signed_at is SIGNED:
        return body
    message = json.loads(body)
    card = json.loads(json.loads(message["content"])["result"])
    card["gmtSign"] = signed_at
    message["content"] = json.dumps({"result": json.dumps(card, ensure_ascii=False)},
                                    ensure_ascii=False)
    return json.dumps(message, ensure_ascii=False).encode()


def _events(engine: Engine, order_id: int, kind: str) -> list[OrderEventRecord]:
    with Session(engine) as session:
        return list(session.scalars(select(OrderEventRecord).where(
            OrderEventRecord.order_id == order_id, OrderEventRecord.kind == kind)))


def _first_contact_due(engine: Engine, order_id: int) -> list[object]:
    with Session(engine) as session:
        return list(session.scalars(select(SlaDeadlineRecord.due).where(
            SlaDeadlineRecord.order_id == order_id, SlaDeadlineRecord.step == "first_contact",
            SlaDeadlineRecord.level == "严重")))


def test_goods_signed_for_start_the_first_contact_clock_once(take: Take, world: Engine) -> None:
    order_id = created(take)
    assert _first_contact_due(world, order_id) == []  # nothing starts it before the signing

    (first,) = take(_signed_update(), at=NOW + timedelta(hours=4), platform="tmall").outcomes
    (again,) = take(_signed_update(), at=NOW + timedelta(hours=5), platform="tmall").outcomes

    assert (first.outcome.value, again.outcome.value) == ("updated", "duplicate")
    (event,) = _events(world, order_id, "goods_signed")
    assert (event.at, event.actor, event.actor_role) == (SIGNED, "intake", "system")
    assert "客户已签收货物" in event.reason
    assert _first_contact_due(world, order_id) == [SIGNED + timedelta(hours=24)]


def test_a_signing_time_told_ahead_of_its_message_starts_the_clock_when_told(
        take: Take, world: Engine) -> None:
    order_id = created(take)
    told = SIGNED - timedelta(hours=1)  # the platform's clock runs an hour ahead

    take(_signed_update(), at=told, platform="tmall")

    (event,) = _events(world, order_id, "goods_signed")
    assert event.at == told


def test_a_malformed_signing_time_is_kept_as_a_dead_letter_naming_the_field(
        take: Take, world: Engine) -> None:
    order_id = created(take)

    (outcome,) = take(_signed_update("昨天下午"), platform="tmall").outcomes

    assert outcome.outcome.value == "dead" and outcome.message_id is not None
    assert outcome.field.endswith("gmtSign")
    assert _events(world, order_id, "goods_signed") == []


def test_a_new_card_already_signed_for_starts_the_clock_at_once(
        take: Take, world: Engine) -> None:
    signed = NOW - timedelta(hours=1)

    (outcome,) = take(render([replace(CARD, goods_signed_at=signed)])[0],
                      platform="tmall").outcomes

    assert outcome.outcome.value == "created"
    order_id = outcome.order_ids[0]
    (event,) = _events(world, order_id, "goods_signed")
    assert event.at == signed
    assert _first_contact_due(world, order_id) == [signed + timedelta(hours=24)]
