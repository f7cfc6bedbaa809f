"""Dispatch policies as stored per scope, changes to them (versioned, logged), service points.

Removing a scope's policy keeps its row with an empty body and a higher version, so a console
that still holds the old version gets a conflict instead of silently writing over a removal.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.dispatch.policy import (
    DEFAULT_SCOPE,
    Effective,
    PolicyError,
    effective,
    normalise,
    point_keys,
    scope_chain,
    scope_level,
)
from core.errors import Invalid, NotFound
from core.storage.audited import Audit, AuditLog, Named, lock
from core.storage.scoped import put_scope_body, scoped_bodies
from core.storage.tables import (
    DispatchPolicyLogRecord,
    DispatchPolicyRecord,
    ServicePointRecord,
    TechnicianRecord,
)

DEFAULT_LOC = ("path", "scope")
POLICY_LOG: AuditLog[DispatchPolicyLogRecord, str] = AuditLog(
    DispatchPolicyLogRecord, lambda scope: {"scope": scope})


class NoPolicy(NotFound):
    def __init__(self, scope: str) -> None:
        super().__init__(f"该范围没有自己的策略 (scope '{scope}' sets no policy of its own)")


def _named(scope: str) -> Named:
    return Named("该范围的策略", f"the policy of scope '{scope or 'default'}'")


def policy_bodies(session: Session, scopes: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """What each scope sets (all scopes, or only those asked for)."""
    return scoped_bodies(session, DispatchPolicyRecord.scope, DispatchPolicyRecord.body, scopes)


def effective_for(session: Session, county_adcode: str | None) -> Effective:
    """The county's policy, inherited along county -> city -> province -> default."""
    chain = scope_chain(county_adcode or "")
    return effective(county_adcode or "", policy_bodies(session, chain))


def policy_records(session: Session) -> list[DispatchPolicyRecord]:
    """Scopes that set something, default first (then by adcode)."""
    rows = session.scalars(select(DispatchPolicyRecord).order_by(DispatchPolicyRecord.scope))
    return [r for r in rows if r.body]


def policy_record(session: Session, scope: str) -> DispatchPolicyRecord | None:
    return session.get(DispatchPolicyRecord, scope)


def put_policy(session: Session, scope: str, body: Mapping[str, Any], version: int,
               audit: Audit) -> DispatchPolicyRecord:
    """Replace what `scope` sets, from the version seen (0: it sets nothing yet).

    Raises PolicyError (naming the field) for a bad body or unknown service points, and
    Stale when someone changed the scope meanwhile.
    """
    after = normalise(body)
    unknown = sorted(point_keys(after) - region_point_keys(session, scope))
    if unknown:
        field = "point_shares" if unknown[0] in after.get("point_shares", {}) else "point_capacity"
        raise PolicyError(field, f"{', '.join(unknown)} 不是本区域的服务网点"
                                 f" (not a service point of this region)")
    return put_scope_body(session, DispatchPolicyRecord, DispatchPolicyRecord.scope, POLICY_LOG,
                          scope, after, version, audit, _named(scope))


def delete_policy(session: Session, scope: str, version: int,
                  audit: Audit) -> DispatchPolicyRecord:
    """Let `scope` inherit everything again (the default scope always sets its own)."""
    if scope == DEFAULT_SCOPE:
        raise Invalid("默认策略不能删除，只能修改 (the default policy cannot be removed, "
                      "only changed)", loc=DEFAULT_LOC)
    record = lock(session, DispatchPolicyRecord, DispatchPolicyRecord.scope == scope)
    if record is None or not record.body:
        raise NoPolicy(scope)

    def write(values: dict[str, Any]) -> None:
        record.body, record.updated_by, record.updated_at = values, audit.actor, audit.at

    POLICY_LOG.change(session, scope, record, seen=version, name=_named(scope),
                      before=dict(record.body), after={}, audit=audit, write=write)
    return record


def policy_log(session: Session, scope: str | None = None,
               limit: int = 100) -> list[DispatchPolicyLogRecord]:
    """The latest changes, newest first (of one scope, or of all)."""
    return POLICY_LOG.entries(session, scope, limit)


# -- service points of a region -----------------------------------------------------------

def _in_region(scope: str) -> Any:
    """A condition on ServicePointRecord.county_adcode: the point lies within `scope`."""
    level = scope_level(scope)
    if level == "default":
        return ServicePointRecord.id.is_not(None)
    prefix = {"province": scope[:2], "city": scope[:4]}.get(level)
    if prefix is None:
        return ServicePointRecord.county_adcode == scope
    return ServicePointRecord.county_adcode.startswith(prefix, autoescape=True)


def region_point_keys(session: Session, scope: str) -> set[str]:
    return set(session.scalars(select(ServicePointRecord.key).where(_in_region(scope))))


def service_points(session: Session, scope: str = DEFAULT_SCOPE,
                   ) -> list[tuple[ServicePointRecord, int, int]]:
    """Points within the scope with their active technicians' count and daily capacity."""
    crew = (
        select(TechnicianRecord.service_point_id.label("point_id"), func.count().label("n"),
               func.sum(TechnicianRecord.daily_capacity).label("capacity"))
        .where(TechnicianRecord.active.is_(True))
        .group_by(TechnicianRecord.service_point_id)
        .subquery()
    )
    stmt = (
        select(ServicePointRecord, func.coalesce(crew.c.n, 0), func.coalesce(crew.c.capacity, 0))
        .outerjoin(crew, crew.c.point_id == ServicePointRecord.id)
        .where(_in_region(scope))
        .order_by(ServicePointRecord.county_adcode, ServicePointRecord.key)
    )
    return [(point, int(n), int(capacity)) for point, n, capacity in session.execute(stmt).all()]
