"""A platform's urge (催单) through intake (SQLite and PostgreSQL): kept like every platform
message and put on the order's urge list once, however often it is re-sent; an urge of an
unknown order is refused and kept; a malformed one is a dead letter naming the field; a forged
or tampered one over HTTP is refused (401) and nothing joins."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from intake_support import Take
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from tmall_cards import CARD, created

from core.demo.platforms.tmall import render
from core.demo.platforms.tmall import signed as sign
from core.demo.seed import DEMO_INTAKE_SECRETS
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


def test_a_forged_urge_over_http_is_refused_and_nothing_joins(
        api: TestClient, world: Engine) -> None:
    body, content_type = render([CARD])
    signed = sign(body, DEMO_INTAKE_SECRETS["tmall"], datetime.now(UTC))
    api.post("/v1/intake/tmall", params=dict(signed.query), content=body,
             headers={"content-type": content_type, **dict(signed.headers)})
    urge, _ = render([URGE])
    genuine = sign(urge, DEMO_INTAKE_SECRETS["tmall"], datetime.now(UTC))
    forged = sign(urge, "not-the-secret", datetime.now(UTC))

    refused = api.post("/v1/intake/tmall", params=dict(forged.query), content=urge,
                       headers={"content-type": content_type, **dict(forged.headers)})
    tampered = api.post("/v1/intake/tmall", params=dict(genuine.query),
                        content=urge.replace("师傅".encode(), "主管".encode()),
                        headers={"content-type": content_type, **dict(genuine.headers)})
    assert (refused.status_code, tampered.status_code) == (401, 401)
    assert _urges(world) == []

    taken = api.post("/v1/intake/tmall", params=dict(genuine.query), content=urge,
                     headers={"content-type": content_type, **dict(genuine.headers)})
    assert taken.status_code == 200, taken.text
    assert [u.platform_ref for u in _urges(world)] == ["U-1"]
