"""A work card's trade and a task's sale: read exactly, named as one purchase, shown by the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from console.cli import main
from core.intake.adapters import get_adapter, read
from core.intake.errors import PayloadRejected
from core.intake.model import Intent, PlatformOrder

FIXTURES = Path(__file__).parents[2] / "fixtures" / "intake"
TRADE = 2563410630772714941  # 19 digits: as a float it would end in ...752


def _orders(platform: str, body: bytes) -> list[PlatformOrder | PayloadRejected]:
    return [order for _, order in read(get_adapter(platform), body, "application/json")]


def _card_query(parent: object) -> bytes:
    data = json.loads((FIXTURES / "tmall" / "workcard_query.json").read_text("utf-8"))
    listing = data["tmall_servicecenter_workcard_query_response"]["result"]["result_data"]
    card = listing["data_list"]["workcard_d_t_o"][0]
    card["parent_biz_order_id"] = parent
    listing["data_list"]["workcard_d_t_o"] = [card]
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def test_a_work_card_names_its_trade_with_every_digit() -> None:
    (card,) = _orders("tmall", _card_query(TRADE))

    assert isinstance(card, PlatformOrder)
    assert card.purchase_id == "2563410630772714941"
    assert card.purchase() == ("taobao", "2563410630772714941")
    assert card.platform_ids() == ["92209297", "2563410630772714941"]


def test_a_trade_id_sent_as_a_float_is_refused_not_rounded() -> None:
    (card,) = _orders("tmall", _card_query(float(TRADE)))

    assert isinstance(card, PayloadRejected)
    assert card.field == "parent_biz_order_id"


def test_a_home_service_task_names_its_sale_and_a_sale_is_its_own_purchase() -> None:
    task = _orders("jd", (FIXTURES / "jd" / "homefw_task_search.json").read_bytes())[0]
    sale = _orders("jd", (FIXTURES / "jd" / "pop_order_get.json").read_bytes())[0]

    assert isinstance(task, PlatformOrder) and isinstance(sale, PlatformOrder)
    assert task.purchase() == sale.purchase() == ("jd", "281046817987")
    assert sale.platform_ids() == ["281046817987"]


def test_an_order_without_a_sale_is_its_own_purchase() -> None:
    order = PlatformOrder("own", "SHOP1", Intent.NEW, "张三", "13800138000", "文三路90号")

    assert order.purchase() == ("own", "SHOP1") and order.platform_ids() == ["SHOP1"]


def test_convert_prints_every_platform_id_of_a_work_card(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cards.json"
    path.write_bytes(_card_query(TRADE))

    code = main(["intake", "convert", "--platform", "tmall", str(path)])

    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    (order,) = json.loads(out)
    assert order["platform_order_ids"] == ["92209297", "2563410630772714941"]
    assert f'"{TRADE}"' in out  # printed as text, never as a number a reader may round
