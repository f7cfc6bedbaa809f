"""Field execution's calls of the console's HTTP client (mixed into LastmileClient): technician
risk — the list, one technician's flagged orders, routing his completions to manual review."""

from __future__ import annotations

from console.client.base import ApiCalls
from core.contracts.fieldwork.risk import (
    ReviewCompletionsUpdate,
    RiskListOut,
    TechnicianReviewOut,
    TechnicianRiskDetailOut,
)


class RiskCalls(ApiCalls):
    """Technician risk (supervisors and admins; anyone else gets a 403)."""

    async def technician_risk(self, days: int = 30) -> RiskListOut:
        """Every technician's score over the last `days`, the highest first."""
        return RiskListOut.model_validate(
            await self._json("GET", "/v1/technicians/risk", params={"days": days}))

    async def technician_risk_detail(self, technician_id: int,
                                     days: int = 30) -> TechnicianRiskDetailOut:
        """One technician's score and flagged orders, the latest first."""
        return TechnicianRiskDetailOut.model_validate(await self._json(
            "GET", f"/v1/technicians/{technician_id}/risk", params={"days": days}))

    async def set_review_completions(self, technician_id: int,
                                     change: ReviewCompletionsUpdate) -> TechnicianReviewOut:
        """Route his completions to manual review (or stop); 409 when `change.version` is no
        longer current."""
        return TechnicianReviewOut.model_validate(await self._json(
            "PUT", f"/v1/technicians/{technician_id}/review-completions",
            json=change.model_dump(mode="json")))
