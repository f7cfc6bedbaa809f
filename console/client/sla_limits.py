"""SLA time limits: calls of the console's HTTP client (mixed into LastmileClient). A scope is
'' (the default) or an adcode; the wire path says "default" for ''."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from console.client.base import ApiCalls
from core.contracts.sla_limits import EffectiveLimitsOut, LimitsLogEntry, LimitsPut, LimitsScopeOut

_LOG = TypeAdapter(list[LimitsLogEntry])


def _path(scope: str) -> str:
    return scope or "default"


class SlaLimitCalls(ApiCalls):
    """A region's effective limits, what a scope sets, a change from the version seen, the log."""

    async def effective_limits(self, region: str, service_type: str = "any",
                               ) -> EffectiveLimitsOut:
        data = await self._json("GET", "/v1/sla/limits/effective",
                                params={"county": _path(region), "service_type": service_type})
        return EffectiveLimitsOut.model_validate(data)

    async def sla_limits_scope(self, scope: str) -> LimitsScopeOut:
        return LimitsScopeOut.model_validate(
            await self._json("GET", f"/v1/sla/limits/{_path(scope)}"))

    async def put_sla_limits(self, scope: str, change: LimitsPut) -> LimitsScopeOut:
        """Replace what a scope sets; 409 when `change.version` is no longer the current one."""
        data = await self._json("PUT", f"/v1/sla/limits/{_path(scope)}",
                                json=change.model_dump(mode="json"))
        return LimitsScopeOut.model_validate(data)

    async def sla_limits_log(self, scope: str | None = None,
                             limit: int = 100) -> list[LimitsLogEntry]:
        params: dict[str, Any] = {"limit": limit}
        if scope is not None:
            params["scope"] = _path(scope)
        return _LOG.validate_python(await self._json("GET", "/v1/sla/limits/log", params=params))
