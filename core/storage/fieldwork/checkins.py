"""Check-ins on orders (core.fieldwork.position) and the regions' own check-in tolerances.

A tolerance is an audited setting (core.storage.audited, log kind `checkin_tolerance`): set per
county, city or province from the version seen, with a reason. Removing it keeps the row with
no metres and a higher version, so an editor still holding the old version gets a conflict.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.fieldwork.position import Fix, Judgement, region_chain
from core.storage.tables import AuditLogRecord, Base
from core.storage.types import BigId, UTCDateTime

if TYPE_CHECKING:
    from core.storage.audited import Audit, AuditLog, Named

# core.storage.audited imports core.storage.tables, which imports this package at its end: the
# audited helpers are imported when first used, not while the tables are being defined.
LOG_KIND = "checkin_tolerance"


@cache
def tolerance_audit_log() -> AuditLog[AuditLogRecord, Any]:
    from core.storage.audited import AuditLog

    return AuditLog.shared(LOG_KIND)


class CheckInRecord(Base):
    """One check-in: the position as sent and converted, how it was judged, who and when."""

    __tablename__ = "check_ins"
    __table_args__ = (Index("ix_check_ins_order_id", "order_id"),
                      Index("ix_check_ins_technician_id_at", "technician_id", "at"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"))
    technician_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    wgs_lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    wgs_lng: Mapped[float | None] = mapped_column(Float, nullable=True)
    gcj_lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    gcj_lng: Mapped[float | None] = mapped_column(Float, nullable=True)
    accuracy_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    fix_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    distance_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    tolerance_m: Mapped[int] = mapped_column(Integer)
    tolerance_from: Mapped[str] = mapped_column(String(16))  # county | city | province | rule
    point: Mapped[str] = mapped_column(String(16))  # address | centre | none
    outcome: Mapped[str] = mapped_column(String(24))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_role: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)  # the desk's why, when it recorded it for him


class CheckinToleranceRecord(Base):
    """A region's own tolerance in metres (None: removed, the region inherits again)."""

    __tablename__ = "checkin_tolerances"
    adcode: Mapped[str] = mapped_column(String(6), primary_key=True)
    tolerance_m: Mapped[int | None] = mapped_column(Integer, nullable=True)
    version: Mapped[int] = mapped_column(Integer)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


def add_check_in(session: Session, order_id: int, technician_id: int | None, fix: Fix | None,
                 judged: Judgement, at: datetime, by: str, role: str,
                 reason: str) -> CheckInRecord:
    """Store one check-in (in the caller's transaction)."""
    row = CheckInRecord(
        order_id=order_id, technician_id=technician_id,
        wgs_lat=fix.lat if fix else None, wgs_lng=fix.lng if fix else None,
        gcj_lat=judged.gcj.lat if judged.gcj else None,
        gcj_lng=judged.gcj.lng if judged.gcj else None,
        accuracy_m=fix.accuracy_m if fix else None, fix_at=fix.at if fix else None,
        distance_m=judged.distance_m, tolerance_m=judged.tolerance.metres,
        tolerance_from=judged.tolerance.source.value, point=judged.point.value,
        outcome=judged.outcome.value, at=at, recorded_by=by, recorded_role=role, reason=reason)
    session.add(row)
    return row


def check_ins_of(session: Session, order_id: int) -> list[CheckInRecord]:
    """An order's check-ins, oldest first."""
    return list(session.scalars(select(CheckInRecord).where(CheckInRecord.order_id == order_id)
                                .order_by(CheckInRecord.id)))


# -- the regions' tolerances --------------------------------------------------------------------

def tolerance_settings(session: Session, county_adcode: str | None) -> dict[str, int]:
    """The settings that apply to a county: its own, its city's, its province's."""
    codes = [code for code, _ in region_chain(county_adcode)]
    if not codes:
        return {}
    rows = session.execute(select(CheckinToleranceRecord.adcode, CheckinToleranceRecord.tolerance_m)
                           .where(CheckinToleranceRecord.adcode.in_(codes)))
    return {code: metres for code, metres in rows.all() if metres is not None}


def tolerance_records(session: Session) -> list[CheckinToleranceRecord]:
    """Every region that sets its own tolerance, by adcode."""
    rows = session.scalars(select(CheckinToleranceRecord)
                           .order_by(CheckinToleranceRecord.adcode))
    return [r for r in rows if r.tolerance_m is not None]


def _named(adcode: str) -> Named:
    from core.storage.audited import Named

    return Named("该区域的签到容差", f"the check-in tolerance of region {adcode}")


def put_tolerance(session: Session, adcode: str, metres: int | None, version: int,
                  audit: Audit) -> CheckinToleranceRecord | None:
    """Set (or with None remove) a region's tolerance from the version seen (0: it sets none
    yet); Stale (409) when someone changed it meanwhile. The row as it is now (None: a region
    that never set one and still sets none)."""
    from core.storage.audited import lock

    record = lock(session, CheckinToleranceRecord, CheckinToleranceRecord.adcode == adcode)
    new = record is None
    if record is None:
        record = CheckinToleranceRecord(adcode=adcode, tolerance_m=None, version=0,
                                        updated_by=audit.actor, updated_at=audit.at)
        session.add(record)
    before = {"tolerance_m": record.tolerance_m}
    # A region that sets nothing may be set from version 0 too (an editor that never saw it).
    seen = record.version if version == 0 and record.tolerance_m is None else version

    def write(values: dict[str, Any]) -> None:
        record.tolerance_m = values["tolerance_m"]
        record.updated_by, record.updated_at = audit.actor, audit.at

    changed = tolerance_audit_log().change(session, adcode, record, seen=seen, name=_named(adcode),
                                   before=before, after={"tolerance_m": metres}, audit=audit,
                                   write=write)
    if new and not changed:
        session.expunge(record)  # removing what was never set: nothing to keep
        return None
    return record


def tolerance_log(session: Session, adcode: str | None = None,
                  limit: int = 100) -> list[AuditLogRecord]:
    """The latest tolerance changes, newest first (of one region, or of all)."""
    return tolerance_audit_log().entries(session, adcode, limit)
