"""What counts as turning an order down (core.dispatch.refusals): one rule for every count."""

from __future__ import annotations

from typing import Any

import pytest

from core.dispatch.refusals import Release, Released, released, turned_down_times


@pytest.mark.parametrize(("kind", "data", "how", "code"), [
    ("refuse", {"previous_technician_id": 3, "code": "too_far"}, Release.REFUSED, "too_far"),
    ("refuse", {"previous_technician_id": 3}, Release.REFUSED, "other"),
    ("withdraw", {"previous_technician_id": 3, "code": "timeout"}, Release.TIMED_OUT, "timeout"),
    ("withdraw", {"previous_technician_id": 3, "mode": "manual"}, Release.TAKEN_BACK, ""),
    ("withdraw", {"previous_technician_id": 3, "code": "other"}, Release.TAKEN_BACK, "other"),
])
def test_a_release_names_the_technician_and_how(kind: str, data: dict[str, Any],
                                                 how: Release, code: str) -> None:
    found = released(kind, data)

    assert found is not None
    assert (found.technician_id, found.how, found.code) == (3, how, code)
    assert found.turned_down is (how is not Release.TAKEN_BACK)
    assert found.timeout is (how is Release.TIMED_OUT)


@pytest.mark.parametrize(("kind", "data"), [
    ("assign", {"previous_technician_id": 3}),  # not a release
    ("withdraw", {"previous_technician_id": None, "code": "timeout"}),  # nobody held it
    ("refuse", {"previous_technician_id": "3"}),  # not an id
    ("refuse", {"previous_technician_id": True}),
    ("refuse", None),
])
def test_events_that_release_nobody_count_for_nobody(kind: str, data: Any) -> None:
    assert released(kind, data) is None


def test_times_turned_down_count_refusals_and_timeouts_not_take_backs() -> None:
    found = [Released(3, Release.REFUSED, "other"), Released(3, Release.TIMED_OUT, "timeout"),
             Released(3, Release.TAKEN_BACK, ""), Released(4, Release.TAKEN_BACK, ""),
             Released(5, Release.REFUSED, "too_far")]

    assert turned_down_times(found) == {3: 2, 5: 1}
