"""Users and desk accounts, technicians, regions, candidates and errors on the wire."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, StrictBool

from core.contracts.fields import MAX_TECHNICIAN_NAMES, Checked, Name, Password, Reason, Strict
from core.orders.lifecycle import Role


class LoginRequest(Checked):
    username: str = Field(min_length=1, max_length=64)
    password: Password


class UserOut(BaseModel):
    username: str
    display_name: str
    role: Role
    technician_id: int | None = None


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime
    user: UserOut


class TechnicianOut(BaseModel):
    id: int
    name: str
    phone: str
    skills: list[str]
    county_adcode: str
    county_name: str
    service_point: str
    home_lng: float
    home_lat: float
    daily_capacity: int
    load_today: int
    active: bool
    # The technician's login, shown to desk roles (the simulator logs in as them by it).
    username: str | None = None
    # Customers' average rating (0.0-5.0) and certificates (e.g. 高空作业证) dispatch checks.
    rating: float = 4.5
    qualifications: list[str] = Field(default_factory=list)
    # Refusals and lapsed assignments in the last 30 days (repeated refusals show per person).
    refusals_30d: int = 0
    # Raised by each change of the dispatch settings; PATCH sends the version it saw.
    version: int = 1


class TechnicianUpdate(Checked):
    """A change of a technician's dispatch settings: only the fields given change.

    Values are checked by the server (capacity 0-200, names trimmed, unique, at most 30) so a
    bad one answers 422 naming the field.
    """

    daily_capacity: int | None = None
    skills: list[Name] | None = Field(default=None, max_length=MAX_TECHNICIAN_NAMES)
    qualifications: list[Name] | None = Field(default=None, max_length=MAX_TECHNICIAN_NAMES)
    active: bool | None = None
    version: int = Field(ge=1)
    reason: Reason

    def changes(self) -> dict[str, object]:
        return self.model_dump(exclude={"version", "reason"}, exclude_none=True)


class TechnicianChangeOut(BaseModel):
    """One change of a technician's dispatch settings: who, when, why, before and after."""

    id: int
    technician_id: int
    at: datetime
    actor: str
    reason: str
    before: dict[str, object]
    after: dict[str, object]


class UserAccountOut(BaseModel):
    id: int
    username: str
    display_name: str
    role: Role
    technician_id: int | None = None
    active: bool
    # Raised by each audited change; PATCH sends the version it saw.
    version: int


class UserUpdate(Strict):
    """An admin's change of an account, from the version seen, with why."""

    active: StrictBool  # "no" or 0 is a 422, not a deactivation
    version: int = Field(ge=1)
    reason: Reason


class UserChangeOut(BaseModel):
    """One change of an account: who, when, why, before and after."""

    id: int
    user_id: int
    at: datetime
    actor: str
    reason: str
    before: dict[str, object]
    after: dict[str, object]


class Candidate(BaseModel):
    """Superseded by core.contracts.dispatch.CandidateOut (what /candidates answers now);
    kept only so older imports keep working."""

    technician: TechnicianOut
    distance_km: float | None
    skills_ok: bool
    region_ok: bool
    has_capacity: bool
    score: float
    reasons: list[str]


class RegionOut(BaseModel):
    adcode: str
    name: str
    level: str  # province | city | county
    parent: str | None
    lng: float | None
    lat: float | None


class Problem(BaseModel):
    """An error as JSON (RFC 9457 shape): a title a person can read, and details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    current_version: int | None = None
    errors: list[dict[str, object]] | None = None
