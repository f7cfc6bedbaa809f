"""Which orders need a person: dispatching in manual mode, and nothing else."""

from __future__ import annotations

import pytest

from core.orders.attention import needs_person
from core.orders.lifecycle import DispatchMode, OrderState


def test_an_order_dispatching_in_manual_mode_needs_a_person() -> None:
    assert needs_person(OrderState.DISPATCHING, DispatchMode.MANUAL)
    assert needs_person("dispatching", "manual")


@pytest.mark.parametrize(
    ("state", "mode"),
    [
        ("dispatching", "auto"),  # being placed automatically
        ("dispatching", "grab"),  # in the grab pool
        ("dispatching", None),
        ("assigned", "manual"),  # placed already: the note stays, the need does not
        ("new", "manual"),
    ],
)
def test_other_orders_do_not(state: str, mode: str | None) -> None:
    assert not needs_person(state, mode)
