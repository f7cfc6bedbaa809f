"""SLA time limits as stored per scope ('' default, a province, city or county adcode): what
each scope sets (core.sla.limit_body), its version, who changed it last and when. Each change
is audited in audit_log (kind sla_limits, subject the scope; core.storage.audited) from the
version seen, through the same per-scope store as dispatch policies (core.storage.scoped).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.geo.scopes import scope_chain
from core.sla.calendar import BusinessCalendar
from core.sla.limit_body import SERVICE_TYPES, normalise
from core.sla.limit_types import ANY_TYPE, Clock, Step
from core.sla.limits import EffectiveLimits, deadline_for, effective_limits
from core.storage.tables import AuditLogRecord, Base
from core.storage.types import UTCDateTime

if TYPE_CHECKING:
    from core.storage.audited import Audit, AuditLog

# core.storage.tables imports this package at its end; the audited helpers import the tables,
# so they are imported when first used, not while the tables are being defined.
LOG_KIND = "sla_limits"


class SlaLimitsRecord(Base):
    """The time limits one scope sets; the rest it inherits (core.sla.limits)."""

    __tablename__ = "sla_limits"
    scope: Mapped[str] = mapped_column(String(6), primary_key=True)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


@cache
def limits_audit_log() -> AuditLog[AuditLogRecord, Any]:
    from core.storage.audited import AuditLog

    return AuditLog.shared(LOG_KIND)


def limits_bodies(session: Session, scopes: list[str] | None = None) -> dict[str, dict[str, Any]]:
    from core.storage.scoped import scoped_bodies

    return scoped_bodies(session, SlaLimitsRecord.scope, SlaLimitsRecord.body, scopes)


def effective_for(session: Session, county_adcode: str, service_type: str) -> EffectiveLimits:
    """The county's limits for the service type, inherited county -> city -> province ->
    default (core.sla.limits)."""
    return effective_limits(county_adcode, service_type,
                            limits_bodies(session, scope_chain(county_adcode)))


def limits_record(session: Session, scope: str) -> SlaLimitsRecord | None:
    return session.get(SlaLimitsRecord, scope)


def limits_records(session: Session) -> list[SlaLimitsRecord]:
    """Scopes that set something, default first (then by adcode)."""
    rows = session.scalars(select(SlaLimitsRecord).order_by(SlaLimitsRecord.scope))
    return [r for r in rows if r.body]


def put_limits(session: Session, scope: str, body: Mapping[str, Any], version: int,
               audit: Audit) -> SlaLimitsRecord:
    """Replace what `scope` sets, from the version seen (0: it sets nothing yet). LimitRefused
    names the field of a bad body; Stale (409) when someone changed the scope meanwhile."""
    from core.storage.audited import Named
    from core.storage.scoped import put_scope_body

    name = Named("该范围的时限", f"the time limits of scope '{scope or 'default'}'")
    return put_scope_body(session, SlaLimitsRecord, SlaLimitsRecord.scope, limits_audit_log(),
                          scope, normalise(body), version, audit, name)


def limits_log(session: Session, scope: str | None = None,
               limit: int = 100) -> list[AuditLogRecord]:
    """The latest changes, newest first (of one scope, or of all)."""
    return limits_audit_log().entries(session, scope, limit)


class LimitBook:
    """Deadlines by the stored limits for one use case: every scope's body read once, each
    county and service type resolved once, the business calendar read when a limit first
    needs it. Dispatch's acceptance and appointment deadlines come from here."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._bodies = limits_bodies(session)
        self._found: dict[tuple[str, str], EffectiveLimits] = {}
        self._calendar: BusinessCalendar | None = None

    def limits(self, county: str | None, service_type: str | None) -> EffectiveLimits:
        key = (county or "", service_type if service_type in SERVICE_TYPES else ANY_TYPE)
        if key not in self._found:
            self._found[key] = effective_limits(*key, self._bodies)
        return self._found[key]

    def calendar(self) -> BusinessCalendar:
        if self._calendar is None:
            from core.storage.sla.calendar import notices, published_years

            self._calendar = BusinessCalendar.of(
                notices(self._session, published_years(self._session)))
        return self._calendar

    def due(self, step: Step, started_at: datetime, county: str | None,
            service_type: str | None) -> datetime:
        """When `step`, started at `started_at`, is due by our limit (no pause known here)."""
        found = self.limits(county, service_type)
        limit = found.steps[step]
        calendar = self.calendar() if limit.clock is Clock.BUSINESS else BusinessCalendar()
        return deadline_for(step, started_at, limit, calendar, found.working_day,
                            suspensions=found.suspensions).due
