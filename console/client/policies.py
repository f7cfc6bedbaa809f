"""Region dispatch policies: calls of the console's HTTP client (mixed into LastmileClient).

A scope is '' (the default) or an adcode; the wire path says "default" for ''.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from console.client.base import ApiCalls
from core.contracts.dispatch import (
    EffectivePolicyOut,
    PolicyLogEntry,
    PolicyPut,
    PolicyScopeOut,
    ServicePointOut,
)

_SCOPES = TypeAdapter(list[PolicyScopeOut])
_LOG = TypeAdapter(list[PolicyLogEntry])
_POINTS = TypeAdapter(list[ServicePointOut])


def scope_path(scope: str) -> str:
    return scope or "default"


class PolicyCalls(ApiCalls):
    """Region dispatch policies: scopes, effective policy, changes and their log, points."""

    async def dispatch_policies(self) -> list[PolicyScopeOut]:
        """Every scope that sets something (the default scope always)."""
        return _SCOPES.validate_python(await self._json("GET", "/v1/dispatch/policies"))

    async def effective_policy(self, region: str) -> EffectivePolicyOut:
        """A region's policy as dispatch applies it, with where each field comes from."""
        data = await self._json("GET", "/v1/dispatch/policies/effective",
                                params={"county": scope_path(region)})
        return EffectivePolicyOut.model_validate(data)

    async def put_dispatch_policy(self, scope: str, change: PolicyPut) -> PolicyScopeOut:
        """Replace what a scope sets; 409 when `change.version` is no longer the current one."""
        data = await self._json("PUT", f"/v1/dispatch/policies/{scope_path(scope)}",
                                json=change.model_dump(mode="json"))
        return PolicyScopeOut.model_validate(data)

    async def delete_dispatch_policy(self, scope: str, version: int,
                                     reason: str) -> PolicyScopeOut:
        """Let a scope inherit everything again."""
        data = await self._json("DELETE", f"/v1/dispatch/policies/{scope_path(scope)}",
                                params={"version": version, "reason": reason})
        return PolicyScopeOut.model_validate(data)

    async def dispatch_policy_log(self, scope: str | None = None,
                                  limit: int = 100) -> list[PolicyLogEntry]:
        """Changes newest first, of one scope or of all."""
        params: dict[str, Any] = {"limit": limit}
        if scope is not None:
            params["scope"] = scope_path(scope)
        return _LOG.validate_python(
            await self._json("GET", "/v1/dispatch/policies/log", params=params))

    async def service_points(self, region: str = "") -> list[ServicePointOut]:
        """Service points of a county, city or province ('' : all of them)."""
        params: dict[str, str] = {}
        if region:
            level = ("province" if region.endswith("0000") else
                     "city" if region.endswith("00") else "county")
            params[level] = region
        return _POINTS.validate_python(
            await self._json("GET", "/v1/dispatch/service-points", params=params))
