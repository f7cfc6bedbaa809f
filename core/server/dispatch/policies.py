"""Region dispatch policies: what each scope sets, a county's effective policy, the change log,
and the service points a policy's shares and capacities name.

A scope in a path is "default" or an adcode (province, city or county); stored as '' / adcode.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from core.contracts.dispatch import (
    EffectivePolicyOut,
    PolicyLogEntry,
    PolicyPut,
    PolicyScopeOut,
    ServicePointOut,
)
from core.contracts.fields import Reason
from core.dispatch.policy import DEFAULT_SCOPE, scope_level
from core.errors import Invalid
from core.geo.regions import load_regions
from core.orders.lifecycle import Role
from core.server.deps import CurrentUser, DbSession, DeskUser, Uow, allow
from core.server.params import MAX_PAGE, Int64, PageSize
from core.server.problems import PROBLEM_RESPONSES
from core.services.settings import (
    RemoveDispatchPolicy,
    SetDispatchPolicy,
    handle_remove_dispatch_policy,
    handle_set_dispatch_policy,
)
from core.storage.dispatch.policies import (
    effective_for,
    policy_log,
    policy_record,
    policy_records,
    service_points,
)
from core.storage.tables import DispatchPolicyRecord

router = APIRouter(prefix="/v1", tags=["dispatch policies"])
PolicyEditor = Annotated[CurrentUser, Depends(allow(Role.SUPERVISOR, Role.ADMIN))]
CONFLICT: dict[int | str, dict[str, Any]] = {
    **PROBLEM_RESPONSES, 409: PROBLEM_RESPONSES[422] | {"description": "changed meanwhile"}}
DEFAULT_NAME = "默认"


def scope_name(scope: str) -> str:
    if scope == DEFAULT_SCOPE:
        return DEFAULT_NAME
    region = load_regions().get(scope)
    return region.name if region else scope


def _level(scope: str) -> str:
    region = load_regions().get(scope) if scope else None
    return region.level if region else scope_level(scope)


def _scope(raw: str, loc: list[str | int]) -> str:
    """'default' -> ''; otherwise a known adcode."""
    if raw == "default":
        return DEFAULT_SCOPE
    if load_regions().get(raw) is None:
        raise Invalid(f"'{raw}' 不是已知的行政区划代码 (not a known adcode)", loc=tuple(loc))
    return raw


def scope_out(record: DispatchPolicyRecord | None, scope: str) -> PolicyScopeOut:
    return PolicyScopeOut(
        scope=scope, scope_name=scope_name(scope),
        level="default" if scope == DEFAULT_SCOPE else _level(scope),
        body=dict(record.body or {}) if record else {}, version=record.version if record else 0,
        updated_by=record.updated_by if record else "",
        updated_at=record.updated_at if record else None,
    )


@router.get("/dispatch/policies", response_model=list[PolicyScopeOut],
            responses=PROBLEM_RESPONSES)
def list_policies(session: DbSession, _user: DeskUser) -> list[PolicyScopeOut]:
    """Every scope that sets something; the default scope always (version 0: built-in only)."""
    records = {r.scope: r for r in policy_records(session)}
    if DEFAULT_SCOPE not in records:
        default = policy_record(session, DEFAULT_SCOPE)  # version kept after a removal
        return [scope_out(default, DEFAULT_SCOPE),
                *(scope_out(r, s) for s, r in records.items())]
    return [scope_out(r, s) for s, r in records.items()]


@router.get("/dispatch/policies/effective", response_model=EffectivePolicyOut,
            responses=PROBLEM_RESPONSES)
def get_effective(session: DbSession, _user: DeskUser,
                  county: Annotated[str, Query(min_length=1)]) -> EffectivePolicyOut:
    """A region's policy as dispatch applies it, with the scope each field comes from."""
    code = _scope(county, ["query", "county"])
    result = effective_for(session, code)
    return EffectivePolicyOut(
        county_adcode=code, county_name=scope_name(code), policy=result.policy.to_body(),
        sources=dict(result.sources),
        source_names={s: scope_name(s) for s in set(result.sources.values())},
    )


@router.get("/dispatch/policies/log", response_model=list[PolicyLogEntry],
            responses=PROBLEM_RESPONSES)
def get_log(session: DbSession, _user: DeskUser, scope: str | None = None,
            limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[PolicyLogEntry]:
    """Changes of policies, newest first: of one scope ("default" or an adcode), or of all."""
    wanted = None if scope is None else _scope(scope, ["query", "scope"])
    return [
        PolicyLogEntry(id=r.id, scope=r.scope, scope_name=scope_name(r.scope), at=r.at,
                       actor=r.actor, reason=r.reason, before=dict(r.before or {}),
                       after=dict(r.after or {}))
        for r in policy_log(session, wanted, limit)
    ]


@router.put("/dispatch/policies/{scope}", response_model=PolicyScopeOut, responses=CONFLICT)
def put_scope(scope: str, body: PolicyPut, user: PolicyEditor, uow: Uow) -> PolicyScopeOut:
    """Replace what a scope sets, from the version seen (0 creates it); 409 if stale."""
    code = _scope(scope, ["path", "scope"])
    record = handle_set_dispatch_policy(
        SetDispatchPolicy(code, body.body, body.version, body.reason, user.username), uow)
    return scope_out(record, code)


@router.delete("/dispatch/policies/{scope}", response_model=PolicyScopeOut, responses=CONFLICT)
def delete_scope(scope: str, user: PolicyEditor, uow: Uow,
                 version: Annotated[Int64, Query(ge=1)],
                 reason: Annotated[Reason, Query()]) -> PolicyScopeOut:
    """Let a scope inherit everything again; the default scope cannot be removed."""
    code = _scope(scope, ["path", "scope"])
    record = handle_remove_dispatch_policy(
        RemoveDispatchPolicy(code, version, reason, user.username), uow)
    return scope_out(record, code)


@router.get("/dispatch/service-points", response_model=list[ServicePointOut],
            responses=PROBLEM_RESPONSES)
def list_service_points(session: DbSession, _user: DeskUser, county: str | None = None,
                        city: str | None = None,
                        province: str | None = None,
                        limit: PageSize = MAX_PAGE) -> list[ServicePointOut]:
    """Service points of a county, city or province (all without one), with their crews."""
    given = [(name, value) for name, value in (("county", county), ("city", city),
                                               ("province", province)) if value]
    if len(given) > 1:
        raise Invalid("只能给一个区域 (give one region only)", loc=("query", given[1][0]))
    scope = _scope(given[0][1], ["query", given[0][0]]) if given else DEFAULT_SCOPE
    return [
        ServicePointOut(key=p.key, name=p.name, county_adcode=p.county_adcode,
                        county_name=scope_name(p.county_adcode), daily_capacity=p.daily_capacity,
                        technicians=n, technician_capacity=capacity)
        for p, n, capacity in service_points(session, scope)[:limit]
    ]
