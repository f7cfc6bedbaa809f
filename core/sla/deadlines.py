"""Every deadline an order has, with one meaning each.

- `acceptance_due`: by when the order must have been accepted by a technician, counted from its
  creation by the county's service standard (`RegionStandard.accept_minutes`). Dispatch uses it
  for urgency.
- `appointment_due`: by when the customer must have an appointment, counted from creation
  (`RegionStandard.appoint_hours`). The desk sorts the needs-person list by it.
- `reply_due`: by when the technician an order was just given to must accept or refuse it,
  counted from the assignment or claim by the region's dispatch policy (`accept_minutes`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RegionStandard:
    """The service standard of one county: time limits, fee level, when to urge."""

    adcode: str
    accept_minutes: int = 30  # a technician accepts the order within
    appoint_hours: int = 24  # the customer has an appointment within
    visit_hours: int = 72  # the visit is done within
    fee_level: str = "standard"  # the settlement fee table: standard, remote, premium, ...
    urge_after_minutes: int = 60  # an untouched order is urged after

    def as_dict(self) -> dict[str, int | str]:
        """The shape OrderOrigin.region_standard carries on the wire."""
        return dict(asdict(self))


DEFAULT_STANDARD = RegionStandard(adcode="")


def acceptance_due(created_at: datetime, standard: RegionStandard | None) -> datetime:
    """When the order must have been accepted (a county without a standard: the default)."""
    return created_at + timedelta(minutes=(standard or DEFAULT_STANDARD).accept_minutes)


def appointment_due(created_at: datetime, standard: RegionStandard | None) -> datetime:
    """When the customer must have an appointment (a county without a standard: the default)."""
    return created_at + timedelta(hours=(standard or DEFAULT_STANDARD).appoint_hours)


def reply_due(given_at: datetime, reply_minutes: int) -> datetime:
    """When a technician given the order at `given_at` must have accepted or refused it."""
    return given_at + timedelta(minutes=reply_minutes)
