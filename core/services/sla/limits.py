"""SLA time limits' use cases: a county's effective limits for a service type (with where
each field comes from), a scope's own limits, a supervisor's change (audited, from the version
seen, with a reason), and the change log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from core.errors import Invalid
from core.geo.regions import load_regions
from core.geo.scopes import DEFAULT_SCOPE, scope_level
from core.sla.limits import EffectiveLimits
from core.storage.audited import Audit
from core.storage.sla import limits as stored
from core.storage.sla.deadlines import mark_scope_stale
from core.storage.sla.limits import SlaLimitsRecord
from core.storage.tables import AuditLogRecord
from core.storage.uow import UnitOfWork

DEFAULT_NAME = "默认"


def region_scope(raw: str, loc: tuple[str, ...]) -> str:
    """'default' -> ''; otherwise a known adcode (province, city or county), else refused."""
    if raw == "default":
        return DEFAULT_SCOPE
    if load_regions().get(raw) is None:
        raise Invalid(f"'{raw}' 不是已知的行政区划代码 (not a known region adcode)", loc=loc)
    return raw


def scope_name(scope: str) -> str:
    if scope == DEFAULT_SCOPE:
        return DEFAULT_NAME
    region = load_regions().get(scope)
    return region.name if region else scope


def level_of(scope: str) -> str:
    region = load_regions().get(scope) if scope else None
    return region.level if region else scope_level(scope)


def handle_read_effective(county: str, service_type: str, session: Session) -> EffectiveLimits:
    """The limits a county's orders of `service_type` follow ('any': every type)."""
    return stored.effective_for(session, region_scope(county, ("query", "county")), service_type)


def handle_read_scope(scope: str, session: Session) -> tuple[str, SlaLimitsRecord | None]:
    code = region_scope(scope, ("path", "scope"))
    return code, stored.limits_record(session, code)


def handle_list_scopes(session: Session) -> list[tuple[str, SlaLimitsRecord | None]]:
    """Every scope that sets something; the default scope always (None: built-in only)."""
    records = {r.scope: r for r in stored.limits_records(session)}
    if DEFAULT_SCOPE not in records:
        return [(DEFAULT_SCOPE, stored.limits_record(session, DEFAULT_SCOPE)),
                *records.items()]
    return list(records.items())


@dataclass(frozen=True)
class SetLimits:
    scope: str  # "default" or an adcode
    body: dict[str, Any]
    version: int
    reason: str
    actor: str


def handle_set_limits(cmd: SetLimits, uow: UnitOfWork) -> tuple[str, SlaLimitsRecord]:
    """New deadlines follow the change at once (they read the limits when computed); open
    orders' deadlines are marked stale and recomputed by the next scan rounds."""
    code = region_scope(cmd.scope, ("path", "scope"))
    with uow:
        audit = Audit.of(cmd.actor, uow.clock.now(), cmd.reason)
        record = stored.put_limits(uow.session, code, cmd.body, cmd.version, audit)
        # Open orders of the scope: the deadline scan recomputes them (a scope may hold many).
        mark_scope_stale(uow.session, code)
        uow.commit()
    return code, record


def handle_limits_log(scope: str | None, limit: int,
                      session: Session) -> list[AuditLogRecord]:
    wanted = None if scope is None else region_scope(scope, ("query", "scope"))
    return stored.limits_log(session, wanted, limit)
