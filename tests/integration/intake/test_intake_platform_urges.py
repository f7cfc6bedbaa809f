"""A platform's urge (催单) through intake (SQLite and PostgreSQL): kept like every platform
message and put on the order's urge list once, however often it is re-sent; an urge of an
unknown order is refused and kept; a malformed one is a dead letter naming the field."""

from __future__ import annotations

import json
from dataclasses import replace

from intake_support import Take
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from tmall_cards import CARD, created

from core.demo.platforms.tmall import render
from core.intake.model import Intent
from core.storage.sla.urges import SlaUrgeRecord
from core.storage.tables import IntakeMessageRecord

URGE = replace(CARD, intent=Intent.URGE, urge_ref="U-1", note="师傅什么时候来？")


def _urges(engine: Engine) -> list[SlaUrgeRecord]:
    with Session(engine) as session:
        return list(session.scalars(select(SlaUrgeRecord).order_by(SlaUrgeRecord.id)))


def _kept(engine: Engine, message_id: int | None) -> IntakeMessageRecord | None:
    with Session(engine) as session:
        return session.get(IntakeMessageRecord, message_id)


def test_an_urge_joins_the_orders_urge_list_once(take: Take, world: Engine) -> None:
    order_id = created(take)

    (first,) = take(render([URGE])[0], platform="tmall").outcomes
    (again,) = take(render([URGE])[0], platform="tmall").outcomes

    assert (first.outcome.value, first.order_ids) == ("updated", [order_id])
    assert again.outcome.value == "duplicate"
    (urge,) = _urges(world)
    assert (urge.order_id, urge.source, urge.platform, urge.platform_ref) == (
        order_id, "platform", "tmall", "U-1")
    assert "师傅什么时候来？" in urge.text and urge.target == "desk"  # nobody assigned yet
    assert _kept(world, first.message_id) is not None


def test_an_urge_of_an_unknown_order_is_refused_and_kept(take: Take, world: Engine) -> None:
    (outcome,) = take(render([URGE])[0], platform="tmall").outcomes

    assert (outcome.outcome.value, outcome.field) == ("refused", "platform_order_id")
    assert _kept(world, outcome.message_id) is not None and _urges(world) == []


def test_a_malformed_urge_is_a_dead_letter_naming_the_field(take: Take, world: Engine) -> None:
    created(take)
    message = json.loads(render([URGE])[0])
    content = json.loads(message["content"])
    del content["urge_id"]
    message["content"] = json.dumps(content, ensure_ascii=False)

    (outcome,) = take(json.dumps(message, ensure_ascii=False).encode(), platform="tmall"
                      ).outcomes

    assert outcome.outcome.value == "dead" and outcome.field.endswith("urge_id")
    assert _kept(world, outcome.message_id) is not None and _urges(world) == []
