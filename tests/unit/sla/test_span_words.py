"""How an alert says a length of time: its two largest units, whole, in each language."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.services.sla.deadlines import span_words


@pytest.mark.parametrize(("span", "said"), [
    (timedelta(0), ("0 秒", "0 s")),
    (timedelta(milliseconds=500), ("0 秒", "0 s")),
    (timedelta(seconds=45), ("45 秒", "45 s")),
    (timedelta(minutes=15), ("15 分", "15 min")),
    (timedelta(minutes=7, seconds=30), ("7 分 30 秒", "7 min 30 s")),
    (timedelta(hours=2, minutes=5, seconds=3), ("2 小时 5 分", "2 h 5 min")),
    (timedelta(days=1, hours=3, minutes=59), ("1 天 3 小时", "1 d 3 h")),
    (timedelta(days=2, minutes=5), ("2 天", "2 d")),  # a zero unit is left out
    (timedelta(minutes=-5), ("5 分", "5 min")),  # over: the caller says so
])
def test_a_span_is_said_by_its_two_largest_units(span: timedelta, said: tuple[str, str]) -> None:
    assert span_words(span) == said
