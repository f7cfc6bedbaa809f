"""Brand ERP adapter: GBK and UTF-8 CSV exports cut per order, the JSON export, bad rows."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.demo.platforms import erp as demo
from core.intake.adapters import get_adapter, read
from core.intake.errors import PayloadRejected
from core.intake.model import Intent, PlatformLine, PlatformOrder, SignedRequest

FIXTURES = Path(__file__).parents[3] / "fixtures" / "intake" / "erp"
BJ = timezone(timedelta(hours=8))
ADAPTER = get_adapter("erp")
CSV = "text/csv"
HEADER = ("订单号,客户姓名,手机,省,市,区,详细地址,商品编码,商品名称,数量,单价(元),是否赠品,"
          "服务类型,下单时间,状态")
ROW = ("E1,林立,13900001111,广东省,深圳市,福田区,福华路1号,AC-1,空调,1,2599.00,否,安装,"
       "2024-05-01 10:00:00,正常")


def convert(payload: bytes, content_type: str = CSV) -> list[PlatformOrder | PayloadRejected]:
    return [result for _, result in read(ADAPTER, payload, content_type)]


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return "\n".join((header, *rows)).encode(encoding) + b"\n"


def test_gbk_export_converts_per_order() -> None:
    first, cancelled, repair = convert((FIXTURES / "orders_gbk.csv").read_bytes())

    assert first == PlatformOrder(
        platform="erp", platform_order_id="ERP20240501001", intent=Intent.NEW,
        customer_name="陈晓明", customer_phone="13600001111", address="天河路385号太古汇公寓2801",
        province="广东省", city="广州市", district="天河区",
        lines=(PlatformLine(sku="BR-AC-35", name="格力 云佳 1.5匹 变频空调挂机", quantity=2,
                            unit_price_fen=289900, line_id="1", service_tags=("安装",)),
               PlatformLine(sku="BR-GIFT-01", name="空调防尘罩", quantity=1, unit_price_fen=0,
                            line_id="2", gift=True)),
        ordered_at=datetime(2024, 5, 1, 9, 30, tzinfo=BJ), service_tags=("安装",),
        status="正常",
    )
    assert isinstance(cancelled, PlatformOrder) and isinstance(repair, PlatformOrder)
    assert (cancelled.intent, cancelled.customer_phone, cancelled.address) == (
        Intent.CANCEL, "13922223333", "莲前东路, 观音山商务区12号")
    assert (repair.district, repair.ordered_at) == (
        "朝阳区", datetime(2024, 5, 2, 8, 15, tzinfo=BJ))


def test_a_record_holds_the_header_and_its_own_lines_as_written() -> None:
    payload = (FIXTURES / "orders_gbk.csv").read_bytes()
    lines = payload.decode("gbk").splitlines(keepends=True)

    records = ADAPTER.records(payload, CSV)

    assert [r.key for r in records] == ["ERP20240501001", "ERP20240501002", "ERP20240501003"]
    assert records[0].text == "".join(lines[0:3])
    assert records[1].text == lines[0] + lines[3]


def test_bad_row_groups_are_refused_alone_naming_line_and_column() -> None:
    results = convert((FIXTURES / "mixed_rows_utf8_bom.csv").read_bytes())

    outcome = [r.platform_order_id if isinstance(r, PlatformOrder) else (r.field, r.reason)
               for r in results]
    assert outcome == [
        "E100",
        ("rows[3].phone", "不是电话号码 ('12ab' is not a phone number)"),
        ("rows[6].unit_price", "金额为负 (negative amount -5)"),
        "E103",
        ("rows[9].phone", "与同一订单的其他行不一致 (differs from rows[8] of the same order)"),
    ]


def test_rows_of_one_order_need_not_be_adjacent_and_a_refunded_row_is_a_refund() -> None:
    order = convert((FIXTURES / "mixed_rows_utf8_bom.csv").read_bytes())[0]

    assert isinstance(order, PlatformOrder)
    assert order.intent is Intent.REFUND
    assert [(line.sku, line.refunded) for line in order.lines] == [
        ("BR-AC-26", False), ("BR-HOOD-1", True)]


@pytest.mark.parametrize("header", ["订单号,手机,手机", "订单号,手机,phone"])
def test_a_column_given_twice_refuses_the_file(header: str) -> None:
    text = f"{header}\nE1,13800000001,13900000002\n"

    with pytest.raises(PayloadRejected) as refused:
        ADAPTER.records(text.encode(), "text/csv")

    assert refused.value.field == "手机" and "more than once" in refused.value.reason


def test_json_export_converts_with_items_given_as_a_json_string() -> None:
    first, second = convert((FIXTURES / "orders.json").read_bytes(), "application/json")

    assert isinstance(first, PlatformOrder) and isinstance(second, PlatformOrder)
    assert (first.customer_phone, first.town, first.paid_fen, first.shop) == (
        "13700005555", "龙溪街道", 519800, "GREE")
    assert [line.gift for line in first.lines] == [False, False, True]
    assert first.lines[1].unit_price_fen == 229900
    assert second.intent is Intent.REFUND
    assert [(line.sku, line.refunded) for line in second.lines] == [
        ("BR-WH-60", False), ("BR-RP-01", True)]
    assert second.service_tags == ("安装", "维修")


def test_file_of_unknown_type_is_read_by_its_first_character() -> None:
    payload = (FIXTURES / "orders.json").read_bytes()

    assert len(convert(payload, "application/octet-stream")) == 2
    assert len(convert(csv_bytes(ROW), "application/octet-stream")) == 1


@pytest.mark.parametrize(("payload", "content_type", "field", "reason"), [
    ("订单号\n".encode("utf-16"), CSV, "", "neither UTF-8 nor GB18030"),
    (b"", CSV, "", "empty payload"),
    ("客户姓名,手机\n张三,13800000000\n".encode(), CSV, "订单号", "column missing"),
    (b'{"orders": [', "application/json", "", "malformed JSON"),
    (b'{"order": []}', "application/json", "orders", "missing"),
    (b'{"orders": 7}', "application/json", "orders", "expected a list"),
])
def test_unusable_file_is_refused_as_a_whole(payload: bytes, content_type: str, field: str,
                                             reason: str) -> None:
    with pytest.raises(PayloadRejected) as caught:
        ADAPTER.records(payload, content_type)

    assert (caught.value.field, reason in caught.value.reason) == (field, True)


@pytest.mark.parametrize(("row", "field"), [
    (ROW.replace("13900001111", ""), "rows[2].手机"),
    (ROW.replace("福华路1号", "路" * 100_000), "rows[2].详细地址"),
    (ROW.replace("2599.00", "-1"), "rows[2].单价(元)"),
    (ROW.replace("2599.00", "两千"), "rows[2].单价(元)"),
    (ROW.replace(",1,2599.00", ",0,2599.00"), "rows[2].数量"),
    (ROW.replace(",1,2599.00", ",1.5,2599.00"), "rows[2].数量"),
    (ROW.replace(",否,", ",也许,"), "rows[2].是否赠品"),
    (ROW.replace(",正常", ",发货中途丢件"), "rows[2].状态"),
    (ROW.replace("2024-05-01 10:00:00", "五一"), "rows[2].下单时间"),
    (ROW.replace("AC-1", ""), "rows[2].商品编码"),
    (ROW.replace("E1,", ","), "rows[2].订单号"),
])
def test_bad_cell_is_refused_naming_line_and_column(row: str, field: str) -> None:
    [refusal] = convert(csv_bytes(row))

    assert isinstance(refusal, PayloadRejected)
    assert refusal.field == field


def test_a_line_the_csv_reader_cannot_read_sinks_only_its_order() -> None:
    huge = ROW.replace("福华路1号", "路" * 200_000)  # over the csv module's cell size limit

    results = convert(csv_bytes(ROW, huge, ROW.replace("E1,", "E2,")))

    refusal, other = results
    assert isinstance(refusal, PayloadRejected) and refusal.field == "rows[3]"
    assert isinstance(other, PlatformOrder) and other.platform_order_id == "E2"


def test_five_thousand_lines_of_one_order_are_refused_naming_rows() -> None:
    [refusal] = convert(csv_bytes(*[ROW] * 5000))

    assert isinstance(refusal, PayloadRejected) and refusal.field == "rows"


def test_five_thousand_small_orders_all_convert() -> None:
    rows = [ROW.replace("E1,", f"E{n},", 1) for n in range(5000)]

    results = convert(csv_bytes(*rows))

    assert len(results) == 5000 and all(isinstance(r, PlatformOrder) for r in results)


def test_english_header_with_bom_and_full_width_parentheses_is_understood() -> None:
    header = "\ufeff" + HEADER.replace("单价(元)", "单价（元）")

    [order] = convert(csv_bytes(ROW, header=header, encoding="utf-8"))

    assert isinstance(order, PlatformOrder) and order.lines[0].unit_price_fen == 259900


@pytest.mark.parametrize(("item", "field"), [
    ({"sku": "A", "quantity": 1, "unit_price": "-5"}, "items[0].unit_price"),
    ({"sku": "A", "quantity": 9999, "unit_price": "5"}, "items[0].quantity"),
    ({"quantity": 1, "unit_price": "5"}, "items[0].sku"),
    ({"sku": "A", "quantity": 1, "unit_price": "5", "gift": "maybe"}, "items[0].gift"),
])
def test_bad_json_item_is_refused_naming_its_path(item: dict[str, Any], field: str) -> None:
    order = {"order_no": "J1", "customer_name": "林立", "phone": "13900001111",
             "address": "福华路1号", "items": [item]}

    [refusal] = convert(json.dumps({"orders": [order]}).encode(), "application/json")

    assert isinstance(refusal, PayloadRejected) and refusal.field == field


# -- signature ------------------------------------------------------------------------------

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=BJ)


def test_verify_accepts_the_hmac_of_the_timestamp_and_the_body() -> None:
    body = (FIXTURES / "orders.json").read_bytes()
    stamp = str(int(NOW.timestamp()))
    signature = hmac.new(b"erp-secret", stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    request = SignedRequest(query={}, body=body, headers={
        "x-lastmile-signature": f"sha256={signature}", "x-lastmile-timestamp": stamp})

    assert ADAPTER.verify(request, "erp-secret")
    assert ADAPTER.signed_time(request) == NOW
    assert ADAPTER.verify(demo.signed(body, "erp-secret", NOW), "erp-secret")


@pytest.mark.parametrize("tamper", ["secret", "body", "missing", "non-ascii", "time",
                                    "no-time", "body-only"])
def test_verify_refuses_a_wrong_signature(tamper: str) -> None:
    body = b"order_no\nE1\n"
    request = demo.signed(body, "erp-secret", NOW)
    headers = dict(request.headers)
    if tamper == "body":
        request = replace(request, body=b"order_no\nE2\n")
    if tamper == "missing":
        headers = {}
    if tamper == "non-ascii":
        headers["x-lastmile-signature"] = "签名"
    if tamper == "time":
        headers["x-lastmile-timestamp"] = str(int(NOW.timestamp()) + 1)
    if tamper == "no-time":
        del headers["x-lastmile-timestamp"]
    if tamper == "body-only":  # the signature over the body alone that ERPs sent before
        headers["x-lastmile-signature"] = hmac.new(b"erp-secret", body,
                                                   hashlib.sha256).hexdigest()
    request = replace(request, headers=headers)

    assert not ADAPTER.verify(request, "other" if tamper == "secret" else "erp-secret")


# -- round trips ----------------------------------------------------------------------------

def demo_order(order_id: str = "B-1", **changes: Any) -> PlatformOrder:
    base = PlatformOrder(
        platform="erp", platform_order_id=order_id, intent=Intent.NEW, customer_name="苏青",
        customer_phone="13512345678", address="解放东路8号", province="湖南省", city="长沙市",
        district="芙蓉区",
        lines=(PlatformLine(sku="AC-1", name="空调, 1.5匹", quantity=2, unit_price_fen=259950,
                            line_id="1", service_tags=("安装",)),
               PlatformLine(sku="G-1", name="防尘罩", quantity=1, unit_price_fen=0, line_id="2",
                            gift=True)),
        ordered_at=datetime(2024, 5, 1, 9, 0, tzinfo=BJ), shop="GREE", note="先电话",
        service_tags=("安装",), status="正常")
    return replace(base, **changes)


@pytest.mark.parametrize("order", [
    demo_order(),
    demo_order(intent=Intent.UPDATE, status="已修改"),
    demo_order(intent=Intent.CANCEL, status="已取消"),
    demo_order(intent=Intent.REFUND, status="正常 / 已退款", lines=(
        demo_order().lines[0], replace(demo_order().lines[1], refunded=True))),
])
def test_csv_render_then_parse_gives_the_order_back(order: PlatformOrder) -> None:
    body, content_type = demo.render([order, demo_order("B-2")])

    back = [result for _, result in read(ADAPTER, body, content_type)]

    assert back == [order, demo_order("B-2")]


def test_json_render_then_parse_gives_the_order_back() -> None:
    order = demo_order(paid_fen=519900, town="定王台街道",
                       modified_at=datetime(2024, 5, 1, 9, 30, 15, 120000, tzinfo=BJ))
    body, content_type = demo.render_json([order])

    [(_, back)] = read(ADAPTER, body, content_type)

    assert back == order


# -- anything else is refused cleanly ------------------------------------------------------

@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.text(max_size=12), max_size=16), min_size=1, max_size=6),
       st.sampled_from(["utf-8", "gb18030"]))
def test_random_csv_converts_or_is_refused(rows: list[list[str]], encoding: str) -> None:
    cells = [HEADER.split(","), *(row for row in rows)]
    text = "\n".join(",".join(json.dumps(cell, ensure_ascii=False) for cell in row)
                     for row in cells)
    try:
        payload = text.encode(encoding)
    except UnicodeEncodeError:
        return

    try:
        results = convert(payload)
    except PayloadRejected:
        return
    assert all(isinstance(r, PlatformOrder | PayloadRejected) for r in results)
