"""Classifying a visit: platform service tags first, then the catalogue's defaults."""

from __future__ import annotations

import pytest

from core.intake.catalogue import load_catalogue
from core.intake.classify import classify, service_type_of_tag
from core.intake.model import PlatformLine
from core.orders.lifecycle import ServiceType

CATALOGUE = load_catalogue()
S = ServiceType


def items(*lines: PlatformLine):
    return tuple((ln, CATALOGUE.entry_for(ln.sku, ln.name)) for ln in lines)


def ln(sku: str, price: int = 100_00, tags: tuple[str, ...] = (), name: str = "") -> PlatformLine:
    entry = CATALOGUE.get(sku)
    return PlatformLine(sku, name or (entry.name if entry else sku), 1, price, service_tags=tags)


@pytest.mark.parametrize(("tag", "expected"), [
    ("安装", S.INSTALL), ("送货安装", S.INSTALL), ("上门安装", S.INSTALL), ("送装一体", S.INSTALL),
    ("移机", S.INSTALL), ("install", S.INSTALL), ("Installation", S.INSTALL),
    ("维修", S.REPAIR), ("售后维修", S.REPAIR), ("故障报修", S.REPAIR), ("清洗保养", S.REPAIR),
    ("repair", S.REPAIR), ("Maintenance", S.REPAIR),
    ("测量", S.MEASURE), ("上门量尺", S.MEASURE), ("measure", S.MEASURE), ("Survey", S.MEASURE),
    ("回访", S.RETURN_VISIT), ("安装回访", S.RETURN_VISIT), ("return_visit", S.RETURN_VISIT),
    ("Return visit", S.RETURN_VISIT), ("follow-up", S.RETURN_VISIT),
    ("售后", S.AFTER_SALES), ("退换货", S.AFTER_SALES), ("拆机", S.AFTER_SALES),
    ("after_sales", S.AFTER_SALES), ("After-Sales", S.AFTER_SALES), ("exchange", S.AFTER_SALES),
    ("ＲＥＰＡＩＲ", S.REPAIR),
    ("", None), ("加急", None), ("uninstall", None), ("prefix", None), ("送货", None),
])
def test_service_words_in_chinese_and_english(tag, expected) -> None:
    assert service_type_of_tag(tag) is expected


def test_line_tag_wins_over_order_tag_and_catalogue() -> None:
    result = classify(items(ln("AC-KFR35", tags=("维修",))), order_tags=("安装",))

    assert result.service_type is S.REPAIR
    assert "商品行的平台服务标签「维修」" in result.note


def test_order_tag_wins_over_catalogue() -> None:
    result = classify(items(ln("KT-CABINET")), order_tags=("加急", "售后"))

    assert result.service_type is S.AFTER_SALES
    assert "订单的平台服务标签「售后」" in result.note


def test_untagged_visit_with_made_to_measure_goods_is_measured_first() -> None:
    result = classify(items(ln("KT-HOOD", price=2599_00), ln("KT-CABINET", price=100_00)))

    assert result.service_type is S.MEASURE
    assert "整体橱柜 定制" in result.note and "先上门测量" in result.note


def test_untagged_visit_takes_the_main_lines_default() -> None:
    result = classify(items(ln("AC-PIPE", price=120_00), ln("AC-KFR35-R", price=150_00)))

    assert result.service_type is S.REPAIR
    assert "主商品「空调挂机 1.5匹 KFR-35GW 维修」" in result.note


def test_skills_are_the_union_of_the_lines_skills() -> None:
    result = classify(items(ln("AC-KFR26"), ln("GN-RACK"), ln("AC-PIPE")))

    assert result.skills == ("aircon", "general")
    assert "技能：空调、通用" in result.note


def test_inferred_lines_are_mentioned_in_the_note() -> None:
    result = classify(items(ln("NEW-AC-1", name="海信 新风空调 1.5匹")))

    assert result.service_type is S.INSTALL and result.skills == ("aircon",)
    assert "NEW-AC-1" in result.note and "不在商品目录" in result.note


def test_a_visit_without_lines_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        classify(())
