"""Urges (催单): calls of the console's HTTP client (mixed into LastmileClient)."""

from __future__ import annotations

from pydantic import TypeAdapter

from console.client.base import ApiCalls
from core.contracts.sla_urges import (
    UrgeIn,
    UrgeOut,
    UrgePolicyLogEntry,
    UrgePolicyOut,
    UrgePolicyPut,
    UrgeReplyIn,
)

_URGES = TypeAdapter(list[UrgeOut])
_POLICY_LOG = TypeAdapter(list[UrgePolicyLogEntry])


class SlaUrgeCalls(ApiCalls):
    """The urge list, an urge by hand (agents, supervisors) and a reply (by whom the urge
    addresses; 409 when it changed or was answered meanwhile); the urging policy, its change
    (supervisors; 409 when someone changed it since the version seen) and its log."""

    async def sla_urges(self, answered: bool | None = None, limit: int = 200,
                        offset: int = 0) -> list[UrgeOut]:
        """Unanswered first, then by deadline, then newest."""
        params: dict[str, object] = {"limit": limit, "offset": offset}
        if answered is not None:
            params["answered"] = "true" if answered else "false"
        return _URGES.validate_python(await self._json("GET", "/v1/sla/urges", params=params))

    async def urge_order(self, order_id: int, text: str,
                         target: str = "technician") -> UrgeOut:
        body = UrgeIn(order_id=order_id, text=text, target=target)  # type: ignore[arg-type]
        return UrgeOut.model_validate(await self._json(
            "POST", "/v1/sla/urges", json=body.model_dump(mode="json")))

    async def reply_urge(self, urge_id: int, text: str, version: int) -> UrgeOut:
        body = UrgeReplyIn(text=text, version=version)
        return UrgeOut.model_validate(await self._json(
            "POST", f"/v1/sla/urges/{urge_id}/reply", json=body.model_dump(mode="json")))

    async def urge_policy(self) -> UrgePolicyOut:
        return UrgePolicyOut.model_validate(await self._json("GET", "/v1/sla/urge-policy"))

    async def put_urge_policy(self, change: UrgePolicyPut) -> UrgePolicyOut:
        return UrgePolicyOut.model_validate(await self._json(
            "PUT", "/v1/sla/urge-policy", json=change.model_dump(mode="json")))

    async def urge_policy_log(self, limit: int = 100) -> list[UrgePolicyLogEntry]:
        return _POLICY_LOG.validate_python(await self._json(
            "GET", "/v1/sla/urge-policy/log", params={"limit": limit}))
