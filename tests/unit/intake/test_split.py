"""Splitting lines into visits per trade, dropping what needs no visit, and merge keys."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.intake.catalogue import load_catalogue
from core.intake.model import (
    AuditDecision,
    AuditVerdict,
    ConvertedOrder,
    Intent,
    Placement,
    PlatformLine,
)
from core.intake.split import (
    PIECES,
    merge_key,
    normalise_address,
    normalise_phone,
    split_lines,
    within_window,
)
from core.orders.lifecycle import ServiceType
from core.text import bilingual

CATALOGUE = load_catalogue()


def line(sku: str, name: str = "", quantity: int = 1, price: int = 100_00, **kw) -> PlatformLine:
    entry = CATALOGUE.get(sku)
    return PlatformLine(sku, name or (entry.name if entry else sku), quantity, price, **kw)


def converted(phone: str = "13800138000", address: str = "杭州市西湖区文三路1号",
              trade: str = "aircon") -> ConvertedOrder:
    return ConvertedOrder(
        platform="own", platform_order_id="SHOP1", trade=trade, intent=Intent.NEW,
        customer_name="张三", customer_phone=phone, address=address,
        placement=Placement(None), service_type=None, skills=(), lines=(),
        audit=AuditVerdict(AuditDecision.PASS, 0))


def test_lines_of_different_trades_become_separate_visits() -> None:
    result = split_lines([line("AC-KFR35"), line("KT-HOOD"), line("AC-PIPE", quantity=3)],
                         CATALOGUE)

    assert [(v.trade, [ln.sku for ln in v.lines]) for v in result.visits] == [
        ("aircon", ["AC-KFR35", "AC-PIPE"]), ("kitchen", ["KT-HOOD"])]
    assert result.dropped == ()
    assert "拆为 2 张服务单（空调、厨电）" in result.note


@pytest.mark.parametrize(("extra", "reason"), [
    (line("GF-MUG", price=0), "赠品"),
    (line("AC-KFR26", gift=True, price=0), "赠品"),
    (line("VG-WARRANTY-3Y"), "虚拟商品"),
    (line("VG-TOPUP-100"), "虚拟商品"),
    (line("NS-BATTERY-AAA"), "无需安装服务"),
    (line("AC-KFR26", refunded=True), "已退款"),
    (line("AC-KFR26", quantity=0), "数量为 0"),
])
def test_lines_needing_no_visit_are_dropped_with_a_reason(extra, reason) -> None:
    result = split_lines([line("WH-E60"), extra], CATALOGUE)

    assert [v.trade for v in result.visits] == ["water_heater"]
    assert len(result.dropped) == 1 and result.dropped[0].line == extra
    assert reason in result.dropped[0].reason
    assert "1 行无需上门" in result.note and reason in result.note
    # Each piece of the note, and the reason, in both languages (the console picks one).
    assert bilingual(result.dropped[0].reason) is not None
    assert all(bilingual(piece) for piece in result.note.split(PIECES))
    assert "1 line needs no visit" in result.note


@pytest.mark.parametrize("sku", ["AC-KFR26-RV", "WH-E60-R", "SV-AC-CLEAN"])
def test_free_service_visits_marked_as_gifts_are_kept(sku) -> None:
    free = line(sku, price=0, gift=True)  # Taobao and the own shop call a 0 price a gift

    result = split_lines([free], CATALOGUE)

    assert result.dropped == () and result.visits[0].lines == (free,)


def test_refunded_lines_stay_when_asked_for_cancel_and_refund_messages() -> None:
    refunded = line("AC-KFR26", refunded=True)

    result = split_lines([refunded], CATALOGUE, keep_refunded=True)

    assert result.visits[0].lines == (refunded,)


def test_general_lines_ride_along_on_the_most_valuable_visit() -> None:
    rack = line("GN-RACK", price=1299_00)
    result = split_lines([line("SN-SHOWER", price=899_00), line("AC-KFR72L", price=6999_00),
                          rack], CATALOGUE)

    assert [v.trade for v in result.visits] == ["sanitary", "aircon"]
    assert result.visits[1].lines[-1] == rack
    assert "随空调单一同上门" in result.note


def test_general_lines_alone_make_their_own_visit() -> None:
    result = split_lines([line("GN-LOCK"), line("GN-CURTAIN")], CATALOGUE)

    assert [v.trade for v in result.visits] == ["general"]
    assert "整单转为 1 张服务单（通用）" in result.note


def test_unknown_sku_is_kept_by_its_name() -> None:
    result = split_lines([line("UNKNOWN-9", "美的 电热水器 80升")], CATALOGUE)

    assert [v.trade for v in result.visits] == ["water_heater"]
    assert result.visits[0].items[0][1].inferred


def test_order_of_only_gifts_and_virtual_goods_makes_no_visit() -> None:
    result = split_lines([line("GF-BAG", price=0), line("VG-VIP-YEAR")], CATALOGUE)

    assert result.visits == () and len(result.dropped) == 2
    assert result.note.startswith("没有需要上门的商品")


SKUS = [e.sku for e in CATALOGUE] + ["UNKNOWN-1", ""]
NAMES = ["空调", "电热水器", "赠品 杯子", "延保卡", "电池", "神秘商品", "橱柜 定制", "门锁"]
lines_strategy = st.lists(st.builds(
    PlatformLine, sku=st.sampled_from(SKUS), name=st.sampled_from(NAMES),
    quantity=st.integers(0, 999), unit_price_fen=st.integers(0, 10_000_000),
    line_id=st.text(max_size=4), gift=st.booleans(), refunded=st.booleans()), max_size=25)


@settings(max_examples=200, deadline=None)
@given(lines=lines_strategy, keep_refunded=st.booleans())
def test_every_line_is_in_exactly_one_visit_or_dropped_with_a_reason(lines, keep_refunded) -> None:
    result = split_lines(lines, CATALOGUE, keep_refunded=keep_refunded)

    placed = [ln for v in result.visits for ln in v.lines] + [d.line for d in result.dropped]
    assert sorted(map(id, placed)) == sorted(map(id, lines))
    assert all(d.reason for d in result.dropped)
    assert len({v.trade for v in result.visits}) == len(result.visits)
    for visit in result.visits:
        assert visit.lines and all(ln.quantity > 0 for ln in visit.lines)
        assert all(not ln.gift or entry.service_type not in (ServiceType.INSTALL,
                                                            ServiceType.MEASURE)
                   for ln, entry in visit.items)
        assert keep_refunded or not any(ln.refunded for ln in visit.lines)
        assert all(entry.needs_service and not entry.virtual for _, entry in visit.items)


def test_merge_key_is_phone_address_and_trade() -> None:
    key = merge_key(converted(phone="+86 138-0013-8000", address="杭州市 西湖区，文三路１号"))

    assert key == "13800138000|杭州市西湖区文三路1号|aircon"
    assert merge_key(converted(trade="kitchen")) != merge_key(converted(trade="aircon"))
    assert merge_key(converted(phone="13900139000")) != merge_key(converted())


def _widen(text: str) -> str:
    """Half-width ASCII to full-width, the way some platforms send addresses."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


ADDRESS_CHARS = list("浙江杭州市西湖区文三路号栋单元室0123456789ABab-#")
addresses = st.text(alphabet=st.sampled_from(ADDRESS_CHARS), min_size=1, max_size=40)
spaces = st.lists(st.sampled_from([" ", "\u3000", "\t", "，", "、", "（", "）"]), max_size=4)


@settings(max_examples=200, deadline=None)
@given(address=addresses, noise=spaces, at=st.integers(0, 40), widen=st.booleans())
def test_merge_key_is_stable_under_spaces_punctuation_and_width(address, noise, at,
                                                                widen) -> None:
    cut = min(at, len(address))
    messy = address[:cut] + "".join(noise) + address[cut:]
    messy = _widen(messy) if widen else messy

    assert merge_key(converted(address=messy)) == merge_key(converted(address=address))
    assert normalise_address(messy) == unicodedata.normalize("NFKC", address).lower().replace(
        "-", "").replace("#", "")


@pytest.mark.parametrize(("raw", "expected"), [
    ("13800138000", "13800138000"), ("+86 138 0013 8000", "13800138000"),
    ("0086-13800138000", "13800138000"), ("１３８００１３８０００", "13800138000"),
    ("010-8888 6666", "01088886666"), ("138****8000", "138****8000"),
    ("86123456", "86123456")])
def test_phone_is_normalised_to_its_digits(raw, expected) -> None:
    assert normalise_phone(raw) == expected


def test_merge_window_is_inclusive_and_symmetric() -> None:
    t0 = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
    window = timedelta(minutes=30)

    assert within_window(t0, t0 + window, window)
    assert within_window(t0 + window, t0, window)
    assert not within_window(t0, t0 + window + timedelta(seconds=1), window)


def test_merge_window_refuses_naive_times() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        within_window(datetime(2026, 5, 1), datetime(2026, 5, 1, tzinfo=UTC), timedelta(0))


def test_converted_order_keeps_its_key_after_a_copy() -> None:
    order = converted()

    assert merge_key(replace(order, customer_name="李四")) == merge_key(order)
