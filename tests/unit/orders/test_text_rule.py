"""The one text rule (core.text): what a text field refuses, when a reason says something,
and how stored text is shown inert; and that an order action needing a reason uses it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.orders.errors import MissingReason
from core.orders.lifecycle import OrderState, Role
from core.orders.model import Actor, OrderItem, ServiceOrder
from core.text import inert, refusal, says_something

AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(("text", "names"), [
    ("a\x00b", "U+0000"), ("\x1b[31m", "U+001B"), ("a\x7fb", "U+007F"), ("a\x9bb", "U+009B"),
    ("a\u202eb", "U+202E"), ("a\u2066b", "U+2066"), ("a\u200fb", "U+200F"),
    ("a\nb", "U+000A"), ("a\tb", "U+0009"), ("a\u2028b", "U+2028"),
])
def test_one_line_fields_refuse_controls_bidi_and_breaks_naming_the_character(
        text: str, names: str) -> None:
    problem = refusal(text)

    assert problem is not None and names in problem


@pytest.mark.parametrize("text", ["a\nb", "a\r\nb", "a\tb"])
def test_multiline_fields_take_line_breaks_and_tabs(text: str) -> None:
    assert refusal(text, multiline=True) is None


@pytest.mark.parametrize("text", ["a\x00\nb", "\x1b[0m\n", "a\u202e\nb"])
def test_multiline_fields_still_refuse_controls_and_bidi(text: str) -> None:
    assert refusal(text, multiline=True) is not None


@pytest.mark.parametrize("text", [
    "王小明", "北京市朝阳区建国路88号（东门）", "😀👍🏽", "👨‍👩‍👧", "Re: #12-3, ok!", "¥1,299.00",
    "١٢٣ مرحبا", "e\u0301",
])
def test_ordinary_text_emoji_and_punctuation_pass(text: str) -> None:
    assert refusal(text) is None
    assert says_something(text)


@pytest.mark.parametrize("text", [
    "", "   ", "\u3000", "\u200b\u200b", "\u200c\u200d\u2060\ufeff", "\u00ad", "\u2800\u3164",
    "\u0301\u0302", "\x01\x02", "\ufe0f",
])
def test_a_reason_of_nothing_visible_says_nothing(text: str) -> None:
    assert not says_something(text)


@pytest.mark.parametrize(("stored", "shown"), [
    ("\x1b[31mred\x1b[0m", "␛[31mred␛[0m"),
    ("a\x00b", "a␀b"),
    ("abc\u202edcb", "abc\ufffddcb"),
    ("第一行\n第二行", "第一行⏎第二行"),
    ("a\tb", "a b"),
    ("<b>王</b>", "<b>王</b>"),
])
def test_inert_shows_controls_as_pictures_and_bidi_as_replacement(stored: str,
                                                                   shown: str) -> None:
    assert inert(stored) == shown


def test_inert_keeps_line_breaks_where_lines_are_shown() -> None:
    assert inert("一\r\n二\n三\r四", multiline=True) == "一\n二\n三⏎四"


def _order() -> ServiceOrder:
    return ServiceOrder(
        id=1, order_no="LM1", platform="own", platform_order_id="P1", customer_name="王",
        customer_phone="13800000000", address="朝阳路 1 号", county_adcode="110105",
        created_at=AT, items=[OrderItem("SKU", "空调", 1, 100)], state=OrderState.NEW)


@pytest.mark.parametrize("reason", ["", "  ", "\u200b\u200b", "\x01\x02", "\u2800"])
def test_an_action_needing_a_reason_refuses_one_that_says_nothing(reason: str) -> None:
    order = _order()

    with pytest.raises(MissingReason):
        order.perform("freeze", Actor("agent", Role.AGENT), AT, reason)

    assert order.state is OrderState.NEW and not order.pending_events


def test_an_action_needing_a_reason_takes_a_visible_one() -> None:
    order = _order()

    order.perform("freeze", Actor("agent", Role.AGENT), AT, "客户出差 ✈")

    assert order.state is OrderState.FROZEN
