"""File import: a preview with per-row problems (nothing stored), or the import; arrivals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from intake_support import NOW, UNCOVERED_ADDRESS, Login, Post, SetPolicy, Take, own_order, payload
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.contracts.intake import Channel
from core.storage.intake.stats import arrivals
from core.storage.tables import IntakeMessageRecord, OrderRecord


def _count(engine: Engine, table: type) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def _file() -> bytes:
    """Two rows: a good one and one with a phone number that is no phone number."""
    return payload([own_order("SHOP1"),
                    own_order("SHOP2", customer_phone="1", address="上海市黄浦区南京东路1号")])


def _import(api: TestClient, auth: Login, body: bytes, dry_run: bool) -> dict[str, Any]:
    response = api.post("/v1/intake/own/import", params={"filename": "shop.json",
                                                          "dry_run": dry_run},
                        content=body, headers={**auth("agent"),
                                               "Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def test_a_dry_run_previews_every_row_and_stores_nothing(
    api: TestClient, auth: Login, world: Engine
) -> None:
    preview = _import(api, auth, _file(), dry_run=True)

    assert (preview["filename"], preview["ok_count"], preview["problem_count"]) == (
        "shop.json", 1, 1)
    good, bad = preview["rows"]
    assert good["ok"] and good["orders"][0]["placement"]["adcode"] == "110105"
    assert (bad["ok"], bad["field"]) == (False, "customer_phone")
    assert _count(world, IntakeMessageRecord) == 0 and _count(world, OrderRecord) == 0


def test_a_dry_run_shows_a_coverage_refusal_as_a_problem(
    api: TestClient, auth: Login, set_policy: SetPolicy
) -> None:
    set_policy(coverage_mode="covered_only")

    preview = _import(api, auth, payload(own_order("SHOP1", address=UNCOVERED_ADDRESS)),
                      dry_run=True)

    (row,) = preview["rows"]
    assert row["ok"] is False and "不在服务" in row["problem"]


def test_the_real_import_stores_every_row_on_the_file_channel(
    api: TestClient, auth: Login, world: Engine
) -> None:
    receipt = _import(api, auth, _file(), dry_run=False)

    assert [o["outcome"] for o in receipt["outcomes"]] == ["created", "dead"]
    with Session(world) as session:
        channels = set(session.scalars(select(IntakeMessageRecord.channel)))
    assert channels == {"file"} and _count(world, OrderRecord) == 1


def test_an_unreadable_file_is_422_in_a_dry_run_and_kept_in_a_real_import(
    api: TestClient, auth: Login, world: Engine
) -> None:
    headers = {**auth("agent"), "Content-Type": "application/json"}

    dry = api.post("/v1/intake/own/import?dry_run=true", content=b"not json", headers=headers)
    assert _count(world, IntakeMessageRecord) == 0
    real = api.post("/v1/intake/own/import", content=b"not json", headers=headers)

    assert dry.status_code == 422 and real.status_code == 422
    assert _count(world, IntakeMessageRecord) == 1


def test_importing_needs_a_desk_login(api: TestClient, auth: Login) -> None:
    assert api.post("/v1/intake/own/import", content=_file()).status_code == 401
    assert api.post("/v1/intake/own/import", content=_file(),
                    headers=auth("tech1")).status_code == 403


def test_arrivals_count_per_platform_by_outcome(
    take: Take, set_policy: SetPolicy, world: Engine
) -> None:
    take([own_order("SHOP1"), own_order("SHOP2", customer_phone="1")], at=NOW)
    take(own_order("SHOP404", intent="cancel"), at=NOW)
    set_policy(audit_mode="manual")
    take(own_order("SHOP3", address="上海市黄浦区南京东路1号"), at=NOW, channel=Channel.FILE)
    take(own_order("SHOP4", address="上海市黄浦区南京东路2号"), at=NOW - timedelta(days=1))

    with Session(world) as session:
        stats = arrivals(session, NOW - timedelta(hours=1), {"own": "自营商城", "jd": "京东"})

    by_name = {p.platform: p for p in stats.platforms}
    own = by_name["own"]
    assert (own.received, own.converted, own.review, own.refused, own.dead) == (4, 1, 1, 1, 1)
    assert own.label == "自营商城" and own.last_at == NOW
    assert by_name["jd"].received == 0


def test_arrivals_endpoint_defaults_to_today(post_own: Post, api: TestClient,
                                             auth: Login) -> None:
    post_own(own_order("SHOP1"))

    stats = api.get("/v1/intake/arrivals", headers=auth("agent")).json()

    own = next(p for p in stats["platforms"] if p["platform"] == "own")
    assert own["received"] == 1 and own["converted"] == 1
    assert stats["since"].endswith("+08:00")
