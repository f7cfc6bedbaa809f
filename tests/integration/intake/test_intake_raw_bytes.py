"""Every signed body is kept as the bytes it arrived as, NUL and undecodable bytes included."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from intake_support import Login, Post, own_order, payload
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.storage.tables import IntakeMessageRecord, OrderRecord


def _stored(world: Engine) -> list[IntakeMessageRecord]:
    with Session(world) as session:
        return list(session.scalars(select(IntakeMessageRecord).order_by(IntakeMessageRecord.id)))


@pytest.mark.parametrize("body", [
    b'{"platform_order_id": "SHOP1\x00", "customer_name": "\xe5\xbc\xa0\xe4\xb8\x89"}',
    b"\x00\x00\x00",
    b'[{"platform_order_id": "SHOP1"}\xff\xfe\x00]',
], ids=["nul-in-json", "only-nul", "not-text"])
def test_a_signed_body_with_nul_or_bad_bytes_is_kept_exactly_as_it_arrived(
    body: bytes, post_own: Post, world: Engine, api: TestClient, auth: Login
) -> None:
    response = post_own(body)

    assert response.status_code == 422, response.text
    (kept,) = _stored(world)
    assert (kept.payload, kept.status, kept.scope) == (body, "dead", "envelope")
    shown = api.get(f"/v1/intake/messages/{kept.id}", headers=auth("agent"))
    assert shown.status_code == 200
    assert shown.json()["payload"] == body.decode("utf-8", errors="replace")


def test_ids_and_reasons_from_the_payload_are_stored_without_nul(
    post_own: Post, world: Engine, api: TestClient, auth: Login
) -> None:
    """A record whose id (an escaped NUL in valid JSON) the adapter refuses is a dead letter
    named by that id, readable, and the next record still goes in."""
    broken = own_order("SHOP\u0000X", customer_phone="12")

    response = post_own(payload([broken, own_order("SHOP2")]))

    assert response.status_code == 200, response.text
    outcomes = response.json()["outcomes"]
    assert [o["outcome"] for o in outcomes] == ["dead", "created"]
    dead = _stored(world)[0]
    assert "\x00" not in dead.platform_order_id + dead.reason + dead.field
    assert json.loads(dead.payload)["platform_order_id"] == "SHOP\u0000X"  # the record, exact
    listed = api.get("/v1/intake/messages?status=dead", headers=auth("agent"))
    assert listed.status_code == 200 and len(listed.json()["rows"]) == 1
    with Session(world) as session:
        assert list(session.scalars(select(OrderRecord.platform_order_id))) == ["SHOP2"]
