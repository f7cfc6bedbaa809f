"""What counts as a technician turning an order down: the one rule behind the refusal counts,
the desk's "refused before" and who automatic dispatch never offers the order again.

An order leaves a technician by a `refuse` event (their choice) or a `withdraw` (the order
taken back: by the dispatcher when the acceptance time ran out, code `timeout`, or by a
person). Refusing and letting the time run out are turning it down; a person taking it back
is not (it says nothing against the technician), though neither grab nor central dispatch
offers the order to that technician again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from core.orders.lifecycle import RefusalCode

# The events that release an order from its technician.
RELEASE_EVENTS = ("refuse", "withdraw")


class Release(StrEnum):
    REFUSED = "refused"
    TIMED_OUT = "timed_out"
    TAKEN_BACK = "taken_back"


@dataclass(frozen=True)
class Released:
    """One release of an order from a technician, read from its event."""

    technician_id: int
    how: Release
    code: str  # the refusal code ('other' when a refusal gave none; '' for a take-back)

    @property
    def turned_down(self) -> bool:
        """Refused or let time out: counts against the technician."""
        return self.how is not Release.TAKEN_BACK

    @property
    def timeout(self) -> bool:
        return self.how is Release.TIMED_OUT


def released(kind: str, data: Mapping[str, Any] | None) -> Released | None:
    """The release an event records, or None when it records none (another kind of event, or
    a release of an order nobody held)."""
    if kind not in RELEASE_EVENTS:
        return None
    data = data or {}
    tech = data.get("previous_technician_id")
    if not isinstance(tech, int) or isinstance(tech, bool):
        return None
    code = str(data.get("code") or "")
    if kind == "refuse":
        return Released(tech, Release.REFUSED, code or RefusalCode.OTHER.value)
    if code == RefusalCode.TIMEOUT.value:
        return Released(tech, Release.TIMED_OUT, code)
    return Released(tech, Release.TAKEN_BACK, code)


def turned_down_times(releases: Iterable[Released]) -> Counter[int]:
    """Per technician: how many times they turned the order down (refused or let time out);
    a take-back counts for nobody."""
    return Counter(r.technician_id for r in releases if r.turned_down)
