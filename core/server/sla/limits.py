"""SLA time limits over HTTP: a county's effective limits (any desk role), what one scope sets,
a supervisor's or admin's change (the version seen and why; 409 when stale), and the log.

A scope in a path or query is "default" or a known adcode (province, city or county).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from core.contracts.sla_limits import (
    EffectiveLimitsOut,
    LimitsLogEntry,
    LimitSource,
    LimitsPut,
    LimitsScopeOut,
    StepLimitOut,
)
from core.geo.scopes import DEFAULT_SCOPE
from core.orders.lifecycle import Role
from core.server.deps import CurrentUser, DbSession, DeskUser, Uow, allow
from core.server.problems import PROBLEM_RESPONSES
from core.services.sla.limits import (
    SetLimits,
    handle_limits_log,
    handle_list_scopes,
    handle_read_effective,
    handle_read_scope,
    handle_set_limits,
    level_of,
    scope_name,
)
from core.sla.limit_body import dump_value
from core.sla.limit_types import EVENT_WORDS, STEP_WORDS
from core.sla.limits import EffectiveLimits, Link
from core.storage.sla.limits import SlaLimitsRecord
from core.text import both

router = APIRouter(prefix="/v1", tags=["SLA time limits"])
LimitsEditor = Annotated[CurrentUser, Depends(allow(Role.SUPERVISOR, Role.ADMIN))]
CONFLICT: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES, 409: PROBLEM_RESPONSES[422] | {"description": "changed meanwhile"}}


def scope_out(scope: str, record: SlaLimitsRecord | None) -> LimitsScopeOut:
    return LimitsScopeOut(
        scope=scope, scope_name=scope_name(scope),
        level="default" if scope == DEFAULT_SCOPE else level_of(scope),
        body=dict(record.body or {}) if record else {}, version=record.version if record else 0,
        updated_by=record.updated_by if record else "",
        updated_at=record.updated_at if record else None)


def _source(link: Link | None) -> LimitSource | None:
    if link is None:
        return None
    return LimitSource(scope=link[0], scope_name=scope_name(link[0]), service_type=link[1])


def _sources(found: EffectiveLimits, prefix: str = "") -> dict[str, LimitSource]:
    out = {}
    for name, link in found.sources.items():
        source = _source(link)
        if source is not None and name.startswith(prefix):
            out[name.removeprefix(prefix)] = source
    return out


def effective_out(found: EffectiveLimits) -> EffectiveLimitsOut:
    steps = [
        StepLimitOut(
            step=step.value, step_name=STEP_WORDS[step][0], due=limit.due.as_dict(),
            clock=limit.clock.value, warn_percent=list(limit.warn_percent),
            start=list(limit.start), stop=list(limit.stop), pause=list(limit.pause),
            resume=list(limit.resume),
            platform=limit.platform.as_dict() if limit.platform else None,
            sources=_sources(found, f"{step.value}."))
        for step, limit in found.steps.items()]
    return EffectiveLimitsOut(
        county_adcode=found.county, county_name=scope_name(found.county),
        service_type=found.service_type, steps=steps,
        working_day=found.working_day.as_dict(),
        suspensions=dump_value("suspensions", found.suspensions),
        sources={k: v for k, v in _sources(found).items()
                 if k in ("working_day", "suspensions")},
        events={k: both(zh, en) for k, (zh, en) in EVENT_WORDS.items()})


@router.get("/sla/limits", response_model=list[LimitsScopeOut], responses=PROBLEM_RESPONSES)
def list_scopes(session: DbSession, _user: DeskUser) -> list[LimitsScopeOut]:
    """Every scope that sets limits; the default scope always (version 0: built-in only)."""
    return [scope_out(s, r) for s, r in handle_list_scopes(session)]


@router.get("/sla/limits/effective", response_model=EffectiveLimitsOut,
            responses=PROBLEM_RESPONSES)
def get_effective(session: DbSession, _user: DeskUser,
                  county: Annotated[str, Query(min_length=1, max_length=16)],
                  service_type: Annotated[str, Query(max_length=32)] = "any",
                  ) -> EffectiveLimitsOut:
    """A region's limits per step for a service type, with the scope each field comes from."""
    return effective_out(handle_read_effective(county, service_type, session))


@router.get("/sla/limits/log", response_model=list[LimitsLogEntry], responses=PROBLEM_RESPONSES)
def get_log(session: DbSession, _user: DeskUser,
            scope: Annotated[str | None, Query(max_length=16)] = None,
            limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[LimitsLogEntry]:
    """Changes of the limits, newest first: of one scope ("default" or an adcode), or of all."""
    return [LimitsLogEntry(id=r.id, scope=r.subject, scope_name=scope_name(r.subject), at=r.at,
                           actor=r.actor, reason=r.reason, before=dict(r.before or {}),
                           after=dict(r.after or {}))
            for r in handle_limits_log(scope, limit, session)]


@router.get("/sla/limits/{scope}", response_model=LimitsScopeOut, responses=PROBLEM_RESPONSES)
def get_scope(scope: str, session: DbSession, _user: DeskUser) -> LimitsScopeOut:
    """What one scope sets itself (version 0: nothing yet)."""
    return scope_out(*handle_read_scope(scope, session))


@router.put("/sla/limits/{scope}", response_model=LimitsScopeOut, responses=CONFLICT)
def put_scope(scope: str, body: LimitsPut, user: LimitsEditor, uow: Uow) -> LimitsScopeOut:
    """Replace what a scope sets, from the version seen (0 creates it), saying why; 409 if
    stale. New deadlines follow at once."""
    return scope_out(*handle_set_limits(
        SetLimits(scope, body.body, body.version, body.reason, user.username), uow))
