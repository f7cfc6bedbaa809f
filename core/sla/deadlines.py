"""A county's service standard as intake records it, and the reply deadline of one offer.

Step deadlines (accept, first contact, appointment, on site, complete, verify, review) come
from the SLA time limits alone (core.sla.limits, stored per scope): dispatch's acceptance
deadline is the accept step's, the desk's appointment deadline the appointment step's
(core.storage.sla.limits.LimitBook). The time fields of `RegionStandard` (the client's standard
for the county, carried on the order's origin) no longer set any deadline.

- `reply_due`: by when the technician an order was just given to must accept or refuse it,
  counted from the assignment or claim by the region's dispatch policy (`accept_minutes`): one
  offer's reply window, not the step's limit.
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


def reply_due(given_at: datetime, reply_minutes: int) -> datetime:
    """When a technician given the order at `given_at` must have accepted or refused it."""
    return given_at + timedelta(minutes=reply_minutes)
