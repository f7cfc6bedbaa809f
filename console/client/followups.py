"""The review period's calls of the console's HTTP client (to mix into LastmileClient): the
follow-up worklist, a call's outcome, one order's review, complaints and their ruling, and a
client's review policy."""

from __future__ import annotations

from typing import Literal

from console.client.base import ApiCalls
from core.contracts.fieldwork.followups import (
    ComplaintRuling,
    ComplaintRulingOut,
    ComplaintsOut,
    FollowupOutcomeIn,
    FollowupOutcomeOut,
    OrderReviewOut,
    ReviewPolicyOut,
    ReviewPolicyPut,
    WorklistOut,
)


class FollowupCalls(ApiCalls):
    """Follow-up calls and complaints (agents, supervisors and admins; a ruling and a policy
    change: supervisors and admins; anyone else gets a 403)."""

    async def followup_worklist(self, scope: Literal["due", "open"] = "due", offset: int = 0,
                                limit: int = 50) -> WorklistOut:
        """Open follow-ups (due now, or all open), the longest due first."""
        return WorklistOut.model_validate(await self._json(
            "GET", "/v1/followups", params={"scope": scope, "offset": offset, "limit": limit}))

    async def record_followup(self, followup_id: int,
                              outcome: FollowupOutcomeIn) -> FollowupOutcomeOut:
        """A call's outcome; 409 when the follow-up changed since `outcome.version`."""
        return FollowupOutcomeOut.model_validate(await self._json(
            "POST", f"/v1/followups/{followup_id}/outcome",
            json=outcome.model_dump(mode="json")))

    async def order_review(self, order_id: int) -> OrderReviewOut:
        """The order's review period, follow-ups and complaints."""
        return OrderReviewOut.model_validate(
            await self._json("GET", f"/v1/orders/{order_id}/review"))

    async def complaints(self, status: Literal["open", "all"] = "open", offset: int = 0,
                         limit: int = 50) -> ComplaintsOut:
        """Complaints, open ones first."""
        return ComplaintsOut.model_validate(await self._json(
            "GET", "/v1/complaints", params={"status": status, "offset": offset,
                                             "limit": limit}))

    async def rule_complaint(self, complaint_id: int,
                             ruling: ComplaintRuling) -> ComplaintRulingOut:
        """Uphold or dismiss a complaint; 409 when it changed since `ruling.version`."""
        return ComplaintRulingOut.model_validate(await self._json(
            "POST", f"/v1/complaints/{complaint_id}/ruling",
            json=ruling.model_dump(mode="json")))

    async def review_policy(self, client_code: str) -> ReviewPolicyOut:
        """The client's review period and sampling rules."""
        return ReviewPolicyOut.model_validate(
            await self._json("GET", f"/v1/review-policies/{client_code}"))

    async def change_review_policy(self, client_code: str,
                                   policy: ReviewPolicyPut) -> ReviewPolicyOut:
        """Replace the client's policy from the version seen (0: none of its own yet)."""
        return ReviewPolicyOut.model_validate(await self._json(
            "PUT", f"/v1/review-policies/{client_code}", json=policy.model_dump(mode="json")))
