"""Re-sent platform orders: duplicates change nothing; updates, cancels, refunds apply."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from intake_support import Login, Post, Take, own_order
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core.clock import WALL_CLOCK
from core.fieldwork.appointments import SHANGHAI
from core.storage.fieldwork.appointments import AxbBindingRecord
from core.storage.tables import OrderRecord


def _created(post_own: Post, poid: str = "SHOP1", **overrides: object) -> int:
    (outcome,) = post_own(own_order(poid, **overrides)).json()["outcomes"]
    assert outcome["outcome"] == "created", outcome
    order_id: int = outcome["order_ids"][0]
    return order_id


def _detail(api: TestClient, auth: Login, order_id: int) -> dict[str, Any]:
    body: dict[str, Any] = api.get(f"/v1/orders/{order_id}", headers=auth("agent")).json()
    return body


def test_a_resent_order_is_a_duplicate_and_makes_no_second_order(
    post_own: Post, world: Engine
) -> None:
    order_id = _created(post_own)

    (again,) = post_own(own_order("SHOP1")).json()["outcomes"]

    assert (again["outcome"], again["order_ids"]) == ("duplicate", [order_id])
    with Session(world) as session:
        assert session.scalar(select(func.count()).select_from(OrderRecord)) == 1


def test_an_address_update_shows_in_the_timeline_and_re_places_the_order(
    post_own: Post, api: TestClient, auth: Login
) -> None:
    order_id = _created(post_own)

    (outcome,) = post_own(own_order("SHOP1", intent="update",
                                    address="北京市海淀区中关村大街1号")).json()["outcomes"]

    assert outcome["outcome"] == "updated"
    detail = _detail(api, auth, order_id)
    assert detail["address"] == "北京市海淀区中关村大街1号"
    assert detail["county_adcode"] == "110108"
    update = detail["timeline"][-1]
    assert (update["kind"], update["actor"]) == ("intake_update", "intake")
    assert "地址" in update["reason"]
    # The event says what changed, never to what (personal data stays on the order).
    assert "address" in update["data"]["changed"] and "中关村" not in str(update["data"])


def test_a_re_sent_new_order_with_a_changed_address_is_applied_as_an_update(
    post_own: Post, api: TestClient, auth: Login
) -> None:
    # Pull platforms (JD, Suning) send a changed order again as it is now, with no update flag.
    order_id = _created(post_own)

    (outcome,) = post_own(own_order("SHOP1", address="北京市海淀区中关村大街1号")).json()[
        "outcomes"]

    assert outcome["outcome"] == "updated"
    detail = _detail(api, auth, order_id)
    assert (detail["address"], detail["county_adcode"]) == ("北京市海淀区中关村大街1号", "110108")
    assert detail["timeline"][-1]["kind"] == "intake_update"


def test_an_update_without_changes_is_a_duplicate(post_own: Post) -> None:
    _created(post_own)

    (outcome,) = post_own(own_order("SHOP1", intent="update")).json()["outcomes"]

    assert outcome["outcome"] == "duplicate"


def test_an_update_of_an_unknown_order_is_refused(post_own: Post, api: TestClient,
                                                  auth: Login) -> None:
    (outcome,) = post_own(own_order("SHOP404", intent="update")).json()["outcomes"]

    assert outcome["outcome"] == "refused"
    assert "SHOP404" in outcome["reason"]
    message = api.get(f"/v1/intake/messages/{outcome['message_id']}",
                      headers=auth("agent")).json()
    assert message["status"] == "refused"


def test_a_platform_cancel_cancels_the_order_with_its_reason(
    post_own: Post, api: TestClient, auth: Login
) -> None:
    order_id = _created(post_own)

    (outcome,) = post_own(own_order("SHOP1", intent="cancel")).json()["outcomes"]

    assert outcome["outcome"] == "cancelled"
    detail = _detail(api, auth, order_id)
    assert detail["state"] == "cancelled"
    last = detail["timeline"][-1]
    assert (last["kind"], last["actor"]) == ("cancel", "intake")
    assert "自营商城" in last["reason"]


def test_a_cancel_the_order_can_no_longer_take_is_recorded_and_flagged(
    post_own: Post, api: TestClient, auth: Login
) -> None:
    order_id = _created(post_own)
    admin = auth("admin")
    tomorrow = (WALL_CLOCK.now().astimezone(SHANGHAI) + timedelta(days=1)).date()
    for action, extra in (("open_dispatch", {}), ("assign", {"technician_id": 1}),
                          ("accept", {}), ("appoint", {"part": "morning",
                                                       "date": tomorrow.isoformat()}),
                          ("check_in", {}), ("complete", {})):
        version = _detail(api, auth, order_id)["version"]
        if action == "check_in":  # recorded for the technician, without a position
            done = api.post(f"/v1/orders/{order_id}/check-in", headers=admin,
                            json={"version": version, "position": None, "reason": "电话确认已到"})
        elif action == "appoint":  # booked for the customer on the phone
            done = api.post(f"/v1/orders/{order_id}/appointment", headers=admin,
                            json={"version": version, **extra})
        elif action == "complete":  # completed for the technician, saying why
            done = api.post(f"/v1/orders/{order_id}/complete", headers=admin,
                            json={"version": version, "note": "电话确认已完工"})
        else:
            done = api.post(f"/v1/orders/{order_id}/actions", headers=admin,
                            json={"action": action, "version": version, **extra})
        assert done.status_code == 200, done.text

    (outcome,) = post_own(own_order("SHOP1", intent="cancel")).json()["outcomes"]

    assert outcome["outcome"] == "refused"
    detail = _detail(api, auth, order_id)
    assert detail["state"] == "served"
    last = detail["timeline"][-1]
    assert last["kind"] == "intake_update" and "不能自动取消" in last["reason"]
    origin = api.get(f"/v1/orders/{order_id}/origin", headers=auth("agent"))
    assert origin.status_code == 200


def test_a_full_refund_cancels_and_a_partial_one_is_noted(
    post_own: Post, api: TestClient, auth: Login
) -> None:
    two_lines = [{"sku": "AC-KFR35", "name": "空调挂机 1.5匹", "quantity": 1,
                  "unit_price_fen": 289900},
                 {"sku": "AC-KFR26", "name": "空调挂机 1匹", "quantity": 1,
                  "unit_price_fen": 219900}]
    partial_id = _created(post_own, "SHOP1", items=two_lines)
    full_id = _created(post_own, "SHOP2", address="上海市黄浦区南京东路1号")
    refunded = [dict(two_lines[0], refunded=True), two_lines[1]]

    (partial,) = post_own(own_order("SHOP1", intent="refund",
                                    items=refunded)).json()["outcomes"]
    (full,) = post_own(own_order("SHOP2", intent="refund",
                                 address="上海市黄浦区南京东路1号")).json()["outcomes"]

    assert partial["outcome"] == "updated" and full["outcome"] == "cancelled"
    assert _detail(api, auth, full_id)["state"] == "cancelled"
    note = _detail(api, auth, partial_id)["timeline"][-1]
    assert note["kind"] == "intake_update" and "部分退款" in note["reason"]


def test_the_same_order_sent_twice_at_once_makes_one_order(take: Take, world: Engine) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        receipts = list(pool.map(lambda _: take(own_order("SHOP1")), range(2)))

    outcomes = sorted(r.outcomes[0].outcome.value for r in receipts)
    assert outcomes == ["created", "duplicate"]
    with Session(world) as session:
        assert session.scalar(select(func.count()).select_from(OrderRecord)) == 1


def test_a_platform_cancel_of_an_accepted_order_releases_its_virtual_number(
    post_own: Post, api: TestClient, auth: Login, world: Engine
) -> None:
    order_id = _created(post_own)
    admin = auth("admin")
    for action, extra in (("open_dispatch", {}), ("assign", {"technician_id": 1}),
                          ("accept", {})):
        version = _detail(api, auth, order_id)["version"]
        done = api.post(f"/v1/orders/{order_id}/actions", headers=admin,
                        json={"action": action, "version": version, **extra})
        assert done.status_code == 200, done.text
    with Session(world) as session:
        assert [b.status for b in session.scalars(select(AxbBindingRecord).where(
            AxbBindingRecord.order_id == order_id))] in (["pending"], ["bound"])

    (outcome,) = post_own(own_order("SHOP1", intent="cancel")).json()["outcomes"]

    assert outcome["outcome"] == "cancelled"
    with Session(world) as session:
        bindings = list(session.scalars(select(AxbBindingRecord).where(
            AxbBindingRecord.order_id == order_id)))
    assert [b.status for b in bindings] in (["unbinding"], ["unbound"], ["cancelled"])
    assert all("取消" in (b.unbind_reason or "") for b in bindings)
