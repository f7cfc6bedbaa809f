"""Check-ins on the wire: the technician's position, the check-in as recorded, the regions'
tolerances (core.fieldwork.position has the rules)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, Field

from core.contracts.fields import OptionalReason, Reason, Strict
from core.fieldwork.position import MAX_TOLERANCE_M, MIN_TOLERANCE_M

BIGINT_MAX = 2**63 - 1
# A fix from before GPS phones or from the far future is a broken device clock, refused; within
# this range a fix that is not from the check-in's minutes is recorded as stale, never refused.
EARLIEST_FIX = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_FIX = datetime(2100, 1, 1, tzinfo=UTC)


def _plausible(value: datetime) -> datetime:
    try:
        utc = value.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+14:00 has no UTC time
        utc = EARLIEST_FIX - (LATEST_FIX - EARLIEST_FIX)
    if not EARLIEST_FIX <= utc < LATEST_FIX:
        raise ValueError("定位时间须在 2000 年到 2100 年之间 (fix_at must lie within the years "
                         "2000 to 2099)")
    return utc


FixTime = Annotated[AwareDatetime, AfterValidator(_plausible)]


class PositionIn(Strict):
    """Where the device was: WGS-84 degrees, the accuracy radius in metres, and when the fix
    was taken (with its time zone)."""

    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    lng: float = Field(ge=-180, le=180, allow_inf_nan=False)
    accuracy_m: float = Field(ge=0, le=100_000, allow_inf_nan=False)
    fix_at: FixTime


class CheckInRequest(Strict):
    """A check-in from the order's version the client has seen; `position` null: the device
    had none (recorded as skipped). A desk person recording it for the technician says why."""

    version: int = Field(ge=1, le=BIGINT_MAX)
    position: PositionIn | None
    reason: OptionalReason = ""


class LatLngOut(BaseModel):
    lat: float
    lng: float


class PositionOut(BaseModel):
    lat: float
    lng: float
    accuracy_m: float
    fix_at: datetime


class CheckInOut(BaseModel):
    """One check-in: the position as sent (WGS-84) and converted (GCJ-02), the distance to the
    address point, the tolerance and where it came from (county, city, province or rule), what
    the order's point was (address, centre, none), the outcome, who recorded it and when."""

    id: int
    order_id: int
    technician_id: int | None
    outcome: str
    distance_m: float | None
    tolerance_m: int
    tolerance_from: str
    point: str
    position: PositionOut | None
    gcj02: LatLngOut | None
    at: datetime
    recorded_by: str
    recorded_role: str
    reason: str


class FlagOut(BaseModel):
    kind: str
    text: str
    detail: dict[str, Any]


class CheckInResult(BaseModel):
    """The order after the check-in (its new version and state), the check-in, its words
    (Chinese first) and the flags it raised."""

    order_id: int
    version: int
    state: str
    check_in: CheckInOut
    text: str
    flags: list[FlagOut]


class TolerancePut(Strict):
    """A region's own tolerance in metres (null removes it) from the version seen (0: the
    region sets none yet), and why."""

    tolerance_m: int | None = Field(ge=MIN_TOLERANCE_M, le=MAX_TOLERANCE_M)
    version: int = Field(ge=0, le=BIGINT_MAX)
    reason: Reason


class ToleranceOut(BaseModel):
    adcode: str
    name: str
    level: str
    tolerance_m: int | None
    version: int
    updated_by: str
    updated_at: datetime | None


class EffectiveToleranceOut(BaseModel):
    """What a check-in in this county is judged by now, and where it comes from."""

    county_adcode: str
    tolerance_m: int
    source: str


class ToleranceLogEntry(BaseModel):
    id: int
    adcode: str
    at: datetime
    actor: str
    reason: str
    before: dict[str, Any]
    after: dict[str, Any]
