"""A platform's later word: what an update changes, whether a cancel cancels, when it is late."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.intake.changes import (
    CancelVerdict,
    cancel_or_flag,
    cancel_reason,
    contact_changed,
    late_reason,
    update_note,
    wanted_fields,
)
from core.intake.model import Intent, Placement, PlatformOrder
from core.orders.lifecycle import OrderState as S
from core.text import bilingual, split_words

T = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
SOURCE = PlatformOrder("tmall", "TM1", Intent.UPDATE, "张三", "13812345678", "建国路88号")
NOWHERE = Placement(None)
CHAOYANG = Placement("110105", "北京市", "北京市", "朝阳区", 116.45, 39.92, 0.9, "text", "")


@pytest.mark.parametrize(("state", "purchases", "verdict"), [
    (S.CANCELLED, 1, CancelVerdict.ALREADY),
    (S.CANCELLED, 2, CancelVerdict.ALREADY),
    (S.NEW, 1, CancelVerdict.CANCEL),
    (S.CLASSIFIED, 1, CancelVerdict.CANCEL),
    (S.NEW, 2, CancelVerdict.FLAG),  # merged from two purchases: the other's part stays
    (S.SERVED, 1, CancelVerdict.FLAG),  # past what a cancel may leave: a person decides
    (S.CLOSED, 1, CancelVerdict.FLAG),
])
def test_a_cancel_cancels_or_flags(state: S, purchases: int, verdict: CancelVerdict) -> None:
    decision = cancel_or_flag(state, purchases, "天猫平台取消了订单 (cancelled on tmall)", "TM1")

    assert decision.verdict is verdict
    assert bool(decision.note) is (verdict is CancelVerdict.FLAG)


def test_a_flag_says_why_for_the_agents() -> None:
    merged = cancel_or_flag(S.NEW, 2, "天猫平台取消了订单 (cancelled on tmall)", "TM1").note
    too_late = cancel_or_flag(S.SERVED, 1, "天猫平台取消了订单 (cancelled on tmall)", "TM1").note

    assert "TM1" in merged and "人工核对" in merged
    assert f"「{S.SERVED.value}」" in too_late and "不能自动取消" in too_late


def test_the_cancel_reason_carries_the_platforms_note_or_status() -> None:
    assert cancel_reason("天猫", SOURCE) == "天猫平台取消了订单 (cancelled on tmall)"
    noted = PlatformOrder("tmall", "TM1", Intent.CANCEL, "", "", "", status="TRADE_CLOSED")
    assert cancel_reason("天猫", noted) == (
        "天猫平台取消了订单 (cancelled on tmall)：「TRADE_CLOSED」")


def test_a_flag_quotes_the_platforms_words_after_both_languages() -> None:
    noted = PlatformOrder("tmall", "TM1", Intent.CANCEL, "", "", "", note="买家不要了 (changed)")
    note = cancel_or_flag(S.SERVED, 1, cancel_reason("天猫", noted), "TM1").note

    system, words = split_words(note) or ("", "")
    assert words == "买家不要了 (changed)"
    chinese, english, _ = bilingual(system) or ("", "", "")
    assert chinese.startswith("天猫平台取消了订单，但服务单已到")
    assert "cannot be cancelled" in english


def test_an_update_asks_for_the_contact_given_and_the_place_when_known() -> None:
    blank_name = PlatformOrder("tmall", "TM1", Intent.UPDATE, "", "13800000000", "新地址")

    assert wanted_fields(blank_name, NOWHERE) == {"customer_phone": "13800000000",
                                                  "address": "新地址"}
    placed = wanted_fields(blank_name, CHAOYANG)
    assert (placed["county_adcode"], placed["county_name"], placed["lng"]) == (
        "110105", "朝阳区", 116.45)


@pytest.mark.parametrize(("current", "changed"), [
    ({"customer_name": "张三", "customer_phone": "13812345678", "address": "建国路88号"}, False),
    ({"customer_name": "张三", "customer_phone": "13812345678", "address": "建国路1号"}, True),
    ({"customer_name": "李四", "customer_phone": "13812345678", "address": "建国路88号"}, True),
])
def test_a_resent_order_counts_as_changed_only_when_its_contact_differs(
    current: dict[str, str], changed: bool
) -> None:
    assert contact_changed(current, SOURCE) is changed


def test_the_timeline_names_the_changed_contact_fields() -> None:
    both = update_note("天猫", "tmall", {"address": "x", "customer_phone": "y"})
    assert both == "天猫平台更新了订单：地址、电话 (tmall updated the order: address, phone)"
    assert update_note("天猫", "tmall", {"county_adcode": "110105"}) == (
        "天猫平台更新了订单：地址定位 (tmall updated the order: the address location)")


@pytest.mark.parametrize(("sent", "taken", "late"), [
    (None, T, False),  # the platform gives no time: never late
    (T, None, False),  # nothing taken yet
    (T, T, False),  # the same time again (a re-send)
    (T + timedelta(seconds=1), T, False),
    (T - timedelta(seconds=1), T, True),
])
def test_a_message_changed_before_the_one_taken_is_late(
    sent: datetime | None, taken: datetime | None, late: bool
) -> None:
    assert (late_reason(sent, taken) is not None) is late


def test_the_late_reason_shows_both_times_in_beijing() -> None:
    reason = late_reason(T - timedelta(minutes=5), T)

    assert reason is not None
    assert "2026-03-02 15:55:00" in reason and "2026-03-02 16:00:00" in reason
