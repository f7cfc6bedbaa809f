"""The product catalogue: the shipped CSV covers the demo, unknown SKUs are inferred by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.demo.catalogue import ACCESSORIES, PRODUCTS, skill_for_sku
from core.intake.catalogue import (
    GENERAL,
    Catalogue,
    CatalogueEntry,
    infer_entry,
    load_catalogue,
    read_catalogue,
)
from core.orders.lifecycle import ServiceType

DEMO_PRODUCTS = (*PRODUCTS, *(a for group in ACCESSORIES.values() for a in group))
HEADER = "sku,name,needs_service,trade,service_type,skills,virtual,gift,price_fen,max_per_home\n"


@pytest.mark.parametrize("product", DEMO_PRODUCTS, ids=lambda p: p.sku)
def test_every_demo_product_needs_a_visit_of_its_skill(product) -> None:
    entry = load_catalogue().get(product.sku)

    assert entry is not None and not entry.inferred
    assert entry.needs_service and entry.trade == product.skill
    assert entry.skills == (product.skill,)
    assert entry.price_fen == product.price_fen
    expected = ServiceType.MEASURE if product.measurable else ServiceType.INSTALL
    assert entry.service_type is expected


def test_demo_quantities_are_plausible_for_one_home() -> None:
    catalogue = load_catalogue()

    # The demo sells up to 3 of a product to one customer (core/demo/dataset.py).
    for product in DEMO_PRODUCTS:
        entry = catalogue.get(product.sku)
        assert entry is not None and (entry.max_per_home or 20) >= 3, product.sku


@pytest.mark.parametrize(("suffix", "service_type"), [
    ("-R", ServiceType.REPAIR), ("-RV", ServiceType.RETURN_VISIT)])
def test_demo_repair_and_return_visit_lines_are_catalogued(suffix, service_type) -> None:
    catalogue = load_catalogue()

    for product in PRODUCTS:
        entry = catalogue.get(product.sku + suffix)
        assert entry is not None, product.sku + suffix
        assert entry.service_type is service_type
        assert entry.skills == (skill_for_sku(product.sku + suffix),)


@pytest.mark.parametrize(("sku", "virtual", "gift"), [
    ("NS-BATTERY-AAA", False, False), ("NS-AC-CLEANER", False, False),
    ("GF-MUG", False, True), ("VG-WARRANTY-3Y", True, False), ("VG-TOPUP-100", True, False),
    ("VG-COUPON-50", True, False), ("VG-VIP-YEAR", True, False)])
def test_goods_without_a_visit_are_catalogued_as_such(sku, virtual, gift) -> None:
    entry = load_catalogue().get(sku)

    assert entry is not None
    assert not entry.needs_service and entry.skills == ()
    assert (entry.virtual, entry.gift) == (virtual, gift)


def test_lookup_ignores_case_padding_and_full_width() -> None:
    catalogue = load_catalogue()
    entry = catalogue.get("AC-KFR35")

    assert entry is not None
    assert catalogue.get(" ac-kfr35 ") == catalogue.get("ＡＣ－ＫＦＲ３５") == entry
    assert "ac-kfr35" in catalogue and "NOPE" not in catalogue


@pytest.mark.parametrize(("name", "trade", "service_type"), [
    ("格力 变频空调 KFR-35GW 大1匹", "aircon", ServiceType.INSTALL),
    ("海尔 燃气热水器 16升", "water_heater", ServiceType.INSTALL),
    ("美的 厨房净水机", "water_purifier", ServiceType.INSTALL),
    ("九牧 智能坐便器", "sanitary", ServiceType.INSTALL),
    ("老板 欧式油烟机", "kitchen", ServiceType.INSTALL),
    ("全屋定制 整体衣柜", "furniture", ServiceType.MEASURE),
    ("定制橱柜 台面", "kitchen", ServiceType.MEASURE),
    ("小米 智能门锁", GENERAL, ServiceType.INSTALL),
    ("空调 上门维修", "aircon", ServiceType.REPAIR),
    ("热水器 安装回访", "water_heater", ServiceType.RETURN_VISIT),
])
def test_unknown_sku_is_inferred_from_the_name_and_says_so(name, trade, service_type) -> None:
    entry = load_catalogue().entry_for("X-UNKNOWN", name)

    assert entry.inferred and entry.needs_service
    assert (entry.trade, entry.service_type, entry.skills) == (trade, service_type, (trade,))
    assert "X-UNKNOWN" in entry.note and "不在商品目录" in entry.note


@pytest.mark.parametrize(("name", "virtual", "gift"), [
    ("空调延保 3年", True, False), ("话费充值 30元", True, False), ("店铺优惠券", True, False),
    ("视频会员 月卡", True, False), ("赠品 保温杯", False, True), ("空调遥控器", False, False),
    ("5号电池 4粒", False, False), ("油烟机清洁剂", False, False)])
def test_unknown_goods_without_a_visit_are_recognised_by_name(name, virtual, gift) -> None:
    entry = infer_entry("ZZ-1", name)

    assert not entry.needs_service
    assert (entry.virtual, entry.gift) == (virtual, gift)
    assert "ZZ-1" in entry.note


def test_unrecognised_name_keeps_the_line_as_general() -> None:
    entry = infer_entry("", "神秘商品 A 款")

    assert entry.needs_service and entry.trade == GENERAL and entry.skills == (GENERAL,)
    assert "无法识别" in entry.note and "无 SKU" in entry.note


def test_catalogue_entry_wins_over_inference() -> None:
    catalogue = Catalogue([CatalogueEntry("ODD-1", "空调挂机", False, "aircon",
                                          ServiceType.INSTALL, ())])

    assert catalogue.entry_for("odd-1", "空调挂机").needs_service is False


def test_duplicate_sku_is_refused() -> None:
    entry = CatalogueEntry("A", "a", True, "aircon", ServiceType.INSTALL, ("aircon",))

    with pytest.raises(ValueError, match="twice"):
        Catalogue([entry, entry])


def test_blank_skills_and_service_type_default_to_trade_and_install(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(HEADER + "K1,油烟机,yes,kitchen,,,no,no,,\n", encoding="utf-8")

    entry = read_catalogue(path).get("K1")

    assert entry is not None
    assert (entry.skills, entry.service_type, entry.price_fen) == (
        ("kitchen",), ServiceType.INSTALL, None)


@pytest.mark.parametrize(("row", "column"), [
    ("K1,x,maybe,kitchen,install,,no,no,,", "needs_service"),
    ("K1,x,yes,kitchen,polish,,no,no,,", "service_type"),
    ("K1,x,yes,kitchen,install,,no,no,12.5,", "price_fen"),
])
def test_malformed_row_names_line_and_column(tmp_path: Path, row, column) -> None:
    path = tmp_path / "c.csv"
    path.write_text(HEADER + row + "\n", encoding="utf-8")

    with pytest.raises(ValueError, match=f"c.csv:2 {column}"):
        read_catalogue(path)
