"""The technician's rating (technicians.rating, which dispatch ranks by) follows his customers'
follow-up ratings and upheld complaints through the one rule, core.fieldwork.followups
.technician_rating; each change is logged (audit_log kind `technician_rating`) with who, when,
why, before and after."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.fieldwork.followups import technician_rating
from core.storage.audited import Audit, AuditLog, lock
from core.storage.fieldwork.followups import RATING_LOG_KIND, rating_inputs
from core.storage.tables import TechnicianRecord

RATING_LOG = AuditLog.shared(RATING_LOG_KIND)


def rate_technician(session: Session, technician_id: int | None, audit: Audit) -> float | None:
    """Set the technician's rating from all his follow-ups and upheld complaints (in the
    caller's transaction, his row locked first so two calls cannot lose one another's rating);
    the new rating, or None without a technician."""
    if technician_id is None:
        return None
    tech = lock(session, TechnicianRecord, TechnicianRecord.id == technician_id)
    if tech is None:
        return None
    session.flush()  # the caller's new rating or ruling counts
    ratings, upheld = rating_inputs(session, technician_id)
    rating = technician_rating(ratings, upheld)
    before = float(tech.rating) if tech.rating is not None else None
    if before != rating:
        tech.rating = rating
        RATING_LOG.record_change(session, technician_id, audit, {"rating": before},
                                 {"rating": rating, "ratings": len(ratings),
                                  "upheld_complaints": upheld})
    return rating
