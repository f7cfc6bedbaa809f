"""Late platform messages: an update older than the one taken is kept as refused, not applied."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from intake_support import Login, PostSigned
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.demo.platforms import taobao as taobao_demo
from core.intake.model import Intent, PlatformLine, PlatformOrder
from core.storage.tables import IntakeMessageRecord, OrderRecord

CHANGED = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # the platform's own change times
TID = "3100000000000777"
FIRST, NEWER, OLDER = "北京市朝阳区建国路1号", "北京市朝阳区建国路9号", "北京市朝阳区建国路5号"


def _trade(intent: Intent, address: str, modified_at: datetime) -> bytes:
    order = PlatformOrder(
        platform="taobao", platform_order_id=TID, intent=intent, customer_name="赵六",
        customer_phone="13700000001", address=address, province="北京市", city="北京市",
        district="朝阳区", shop="demo-taobao",
        lines=(PlatformLine("AC-KFR35", "空调挂机 1.5匹 KFR-35GW", 1, 289900, line_id="1",
                            service_tags=("安装",)),),
        ordered_at=CHANGED - timedelta(hours=1), modified_at=modified_at,
        service_tags=("安装",))
    return taobao_demo.render([order])[0]


def _address(world: Engine, order_id: int) -> str:
    with Session(world) as session:
        return session.scalars(select(OrderRecord.address)
                               .where(OrderRecord.id == order_id)).one()


def test_an_update_older_than_the_one_taken_is_kept_as_refused_and_changes_nothing(
    post_signed: PostSigned, world: Engine, api: TestClient, auth: Login
) -> None:
    (new,) = post_signed("taobao", _trade(Intent.NEW, FIRST, CHANGED)).json()["outcomes"]
    (newer,) = post_signed("taobao", _trade(Intent.UPDATE, NEWER, CHANGED + timedelta(
        minutes=10))).json()["outcomes"]

    late = post_signed("taobao", _trade(Intent.UPDATE, OLDER, CHANGED + timedelta(minutes=5)))

    assert late.status_code == 200, late.text
    (outcome,) = late.json()["outcomes"]
    assert newer["outcome"] == "updated"
    assert (outcome["outcome"], outcome["field"]) == ("refused", "modified_at")
    assert outcome["order_ids"] == new["order_ids"]
    assert "过时" in outcome["reason"] and "2026-03-02 16:05:00" in outcome["reason"]
    assert _address(world, new["order_ids"][0]) == NEWER
    kept = api.get(f"/v1/intake/messages/{outcome['message_id']}", headers=auth("agent")).json()
    assert (kept["status"], kept["field"]) == ("refused", "modified_at")
    assert OLDER in kept["payload"]  # the message itself is kept as it arrived


def test_an_update_newer_than_the_last_one_is_still_applied(
    post_signed: PostSigned, world: Engine
) -> None:
    (new,) = post_signed("taobao", _trade(Intent.NEW, FIRST, CHANGED)).json()["outcomes"]
    post_signed("taobao", _trade(Intent.UPDATE, OLDER, CHANGED + timedelta(minutes=5)))

    (later,) = post_signed("taobao", _trade(Intent.UPDATE, NEWER, CHANGED + timedelta(
        minutes=10))).json()["outcomes"]

    assert later["outcome"] == "updated"
    assert _address(world, new["order_ids"][0]) == NEWER


def test_a_late_re_send_of_the_new_order_does_not_revert_an_update(
    post_signed: PostSigned, world: Engine
) -> None:
    (new,) = post_signed("taobao", _trade(Intent.NEW, FIRST, CHANGED)).json()["outcomes"]
    post_signed("taobao", _trade(Intent.UPDATE, NEWER, CHANGED + timedelta(minutes=10)))

    (again,) = post_signed("taobao", _trade(Intent.NEW, FIRST, CHANGED)).json()["outcomes"]

    assert again["outcome"] == "refused"
    assert _address(world, new["order_ids"][0]) == NEWER
    with Session(world) as session:
        statuses = list(session.scalars(select(IntakeMessageRecord.status)
                                        .order_by(IntakeMessageRecord.id)))
    assert statuses == ["converted", "converted", "refused"]
