"""The tour's rule for an English sentence in a Chinese picture (console.tour_text)."""

from __future__ import annotations

import pytest

from console.tour_text import english_sentence

ENGLISH = [
    ("Order was cancelled by the customer", "Order was cancelled by the customer"),
    ("技师距离过远 (Technician is too far away)", "(Technician is too far away)"),
    ("不可派单：No technician covers this area.", "No technician covers this area."),
    ("超时 12 分钟 — waiting for a person", "waiting for a person"),
    ("the no-show was recorded", "the no-show was recorded"),
    ("It's not allowed here", "It's not allowed here"),
    ("截止 2026-12-07T11:35:00+00:00 (accept breach: 0:00:00 left, due 2026-12-07T11:35:00+00:00)",
     "(accept breach: 0:00:00 left, due"),
]
NOT_ENGLISH = [
    "LM-20261207-0001",  # an order number
    "330100",  # an adcode
    "2026-12-07T12:10:13+08:00",  # an ISO time
    "3.2 km",  # a unit
    "SN-TOILET 智能马桶盖",  # a product code
    "SLA 预警 OK",  # acronyms in capitals
    "Haier 冰箱 BCD-470",  # a brand of one word
    "Leaflet | © OpenStreetMap contributors",  # the map's attribution
    "Zhang Wei",  # a name of two words
    "两个 English words",  # two words are no sentence
    "剩余 0:00:00 left 12 km",  # numbers between do not count as words
    "中文 only 一个 word 间隔 here",  # words apart, cut by Chinese
    "",
]


@pytest.mark.parametrize(("text", "sentence"), ENGLISH)
def test_a_run_of_three_english_words_is_a_sentence(text: str, sentence: str) -> None:
    assert english_sentence(text) == sentence


@pytest.mark.parametrize("text", NOT_ENGLISH)
def test_numbers_codes_units_and_short_names_are_not(text: str) -> None:
    assert english_sentence(text) is None
