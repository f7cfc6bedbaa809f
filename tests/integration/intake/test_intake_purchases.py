"""One purchase, one service order: a Tmall trade and its work card, a JD sale and its task."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from intake_support import Login, PostSigned, SetPolicy
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from core.demo.platforms import tmall as tmall_demo
from core.intake.model import Intent, PlatformLine, PlatformOrder
from core.storage.tables import IntakeLinkRecord, OrderOriginRecord, OrderRecord

# 19 digits: a float keeps 15-17 of them (float(TRADE) ends in ...752), so only text is exact.
TRADE = 2563410630772714941
CARD = 1435715475483
SALE, TASK = 2810468179871234567, 3001204567
CHANGED = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _card_order() -> PlatformOrder:
    return PlatformOrder(
        platform="tmall", platform_order_id=str(CARD), intent=Intent.NEW,
        customer_name="赵六", customer_phone="13700000001", address="建国路1号",
        province="北京", city="北京市", district="朝阳区", shop="demo-tmall",
        lines=(PlatformLine("AC-KFR35", "空调挂机 1.5匹 KFR-35GW", 1, 289900,
                            line_id=str(TRADE + 1), service_tags=("安装",)),),
        ordered_at=CHANGED, modified_at=CHANGED, service_tags=("安装",))


def work_card() -> bytes:
    """A `tmall_fuwu_WorkcardInfo` push naming its trade as a JSON number, as TOP sends it."""
    message = json.loads(tmall_demo.render([_card_order()])[0])
    content = json.loads(message["content"])
    card = json.loads(content["result"])
    card["parentBizOrderId"] = TRADE
    content["result"] = json.dumps(card, ensure_ascii=False)
    message["content"] = json.dumps(content, ensure_ascii=False)
    return json.dumps(message, ensure_ascii=False).encode("utf-8")


def trade() -> bytes:
    """The trade (taobao.trade.fullinfo.get) with its tid as a JSON number only."""
    item = {"oid": TRADE + 1, "outer_sku_id": "AC-KFR35", "outer_iid": "AC-KFR35",
            "title": "空调挂机 1.5匹 KFR-35GW", "num": 1, "price": "2899.00",
            "payment": "2899.00", "total_fee": "2899.00", "is_free_gift": False,
            "refund_status": "NO_REFUND", "status": "WAIT_SELLER_SEND_GOODS"}
    found = {"tid": TRADE, "status": "WAIT_SELLER_SEND_GOODS", "type": "fixed",
             "seller_nick": "demo-taobao", "receiver_name": "赵六",
             "receiver_mobile": "13700000001", "receiver_state": "北京市",
             "receiver_city": "北京市", "receiver_district": "朝阳区",
             "receiver_address": "建国路1号", "payment": "2899.00",
             "created": "2026-03-02 15:55:00", "pay_time": "2026-03-02 15:56:00",
             "modified": "2026-03-02 15:56:00", "orders": {"order": [item]},
             "service_orders": {"service_order": [{"title": "安装", "item_oid": TRADE + 1,
                                                   "num": 1}]}}
    body = {"trade_fullinfo_get_response": {"trade": found, "request_id": "t"}}
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


PARTS = {"work card": ("tmall", work_card), "trade": ("taobao", trade)}


def _days_pass(world: Engine) -> None:
    """What the first part made is three days old: past any merge window (at most a day)."""
    days_ago = datetime.now(UTC) - timedelta(days=3)
    with Session(world) as session, session.begin():
        for table in (OrderOriginRecord, IntakeLinkRecord):
            session.execute(update(table).values(created_at=days_ago))


def _orders(world: Engine) -> int:
    with Session(world) as session:
        return int(session.scalar(select(func.count()).select_from(OrderRecord)) or 0)


@pytest.mark.parametrize("first, then", [("work card", "trade"), ("trade", "work card")])
def test_a_trade_and_its_work_card_days_apart_make_one_order_with_both_ids(
    first: str, then: str, post_signed: PostSigned, world: Engine, api: TestClient,
    auth: Login
) -> None:
    made = post_signed(PARTS[first][0], PARTS[first][1]())
    _days_pass(world)

    joined = post_signed(PARTS[then][0], PARTS[then][1]())

    assert made.status_code == joined.status_code == 200, (made.text, joined.text)
    (one,), (other,) = made.json()["outcomes"], joined.json()["outcomes"]
    assert one["outcome"] in ("created", "review") and other["outcome"] == "merged"
    assert other["order_ids"] == one["order_ids"] and _orders(world) == 1
    origin = api.get(f"/v1/orders/{one['order_ids'][0]}/origin", headers=auth("agent")).json()
    assert sorted(origin["platform_order_ids"]) == sorted([str(CARD), str(TRADE)])
    assert str(TRADE) == "2563410630772714941"  # every digit, none lost to a float


def test_the_work_card_sent_again_stays_one_order(
    post_signed: PostSigned, world: Engine
) -> None:
    post_signed("taobao", trade())
    post_signed("tmall", work_card())

    (again,) = post_signed("tmall", work_card()).json()["outcomes"]

    assert again["outcome"] == "duplicate" and _orders(world) == 1


def test_a_cancelled_trade_cancels_the_order_its_work_card_joined(
    post_signed: PostSigned, world: Engine
) -> None:
    post_signed("tmall", work_card())
    post_signed("taobao", trade())
    closed = json.loads(trade())
    closed["trade_fullinfo_get_response"]["trade"].update(
        status="TRADE_CLOSED", modified="2026-03-02 17:00:00")

    (cancel,) = post_signed("taobao", json.dumps(closed).encode()).json()["outcomes"]

    assert cancel["outcome"] == "cancelled"
    with Session(world) as session:
        assert list(session.scalars(select(OrderRecord.state))) == ["cancelled"]


def _jd(kind: str) -> bytes:
    """A JD POP sale (jingdong.pop.order.get) or the home-service task opened for it."""
    body: dict[str, Any]
    if kind == "sale":
        info = {"orderId": SALE, "venderId": "demo-jd", "orderState": "WAIT_SELLER_STOCK_OUT",
                "orderTotalPrice": "2899.00", "orderPayment": "2899.00",
                "orderStartTime": "2026-03-02 15:55:00", "paymentConfirmTime":
                "2026-03-02 15:56:00", "modified": "2026-03-02 15:56:00",
                "consigneeInfo": {"fullname": "赵六", "mobile": "13700000001",
                                  "fullAddress": "北京市朝阳区建国路1号", "province": "北京",
                                  "city": "北京市", "county": "朝阳区"},
                "itemInfoList": [{"skuId": "100012043978", "outerSkuId": "AC-KFR35",
                                  "skuName": "空调挂机 1.5匹 KFR-35GW", "itemTotal": "1",
                                  "jdPrice": "2899.00"}]}
        body = {"jingdong_pop_order_get_responce": {"code": "0", "orderDetailInfo": {
            "orderInfo": info, "apiResult": {"success": True}}}}
    else:
        task = {"orderNo": TASK, "saleOrderNo": SALE, "userName": "赵六",
                "userMobile": "13700000001", "userAddress": "北京市朝阳区建国路1号",
                "userProvince": "北京", "userCity": "北京市", "userCounty": "朝阳区",
                "sku": "100012043978", "outerId": "AC-KFR35", "skuName": "空调挂机 1.5匹",
                "serviceNum": 1, "serviceTypeName": "安装", "createDate": "2026-03-02 16:00:00"}
        body = {"jingdong_homefw_task_search_responce": {"ResultInfo": {
            "resultCode": 100, "fwTastList": [task]}}}
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize("first, then", [("task", "sale"), ("sale", "task")])
def test_a_jd_sale_and_its_home_service_task_make_one_order(
    first: str, then: str, post_signed: PostSigned, world: Engine, api: TestClient,
    auth: Login, set_policy: SetPolicy
) -> None:
    set_policy("jd", merge_window_minutes=0)
    made = post_signed("jd", _jd(first))
    _days_pass(world)

    joined = post_signed("jd", _jd(then))

    assert made.status_code == joined.status_code == 200, (made.text, joined.text)
    (one,), (other,) = made.json()["outcomes"], joined.json()["outcomes"]
    assert other["outcome"] == "merged" and other["order_ids"] == one["order_ids"]
    assert _orders(world) == 1
    origin = api.get(f"/v1/orders/{one['order_ids'][0]}/origin", headers=auth("agent")).json()
    assert sorted(origin["platform_order_ids"]) == sorted([str(SALE), str(TASK)])
