"""What one platform record did to the service orders: the handlers' shared result."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.contracts.intake import Outcome

# Outcome of a record that became several service orders: the most telling one.
PRIORITY = (Outcome.REVIEW, Outcome.CREATED, Outcome.MERGED, Outcome.UPDATED,
            Outcome.CANCELLED, Outcome.REFUSED, Outcome.DUPLICATE)
# What a message that was not taken leaves untouched: it changed nothing the platform said.
NOT_TAKEN = frozenset({Outcome.REFUSED, Outcome.DEAD})


@dataclass(frozen=True)
class Result:
    """What one record did: its outcome, the service orders involved, and why."""

    outcome: Outcome
    order_ids: list[int] = field(default_factory=list)
    reason: str = ""
    field: str = ""


def summarise(outcomes: list[Outcome], order_ids: list[int], reason: str = "") -> Result:
    best = min(outcomes, key=PRIORITY.index)
    return Result(best, sorted(set(order_ids)), reason)
