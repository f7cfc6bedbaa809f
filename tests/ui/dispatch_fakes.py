"""A fake client for the dispatch workspace's Qt tests: orders needing a person, candidates,
bulk assignment answering like the server (a stale version is a 409 result)."""

from __future__ import annotations

from datetime import timedelta

from ui_fakes import T0, FakeClient, make_candidates, make_detail, make_row

from core.contracts import ActionRequest, OrderDetail
from core.contracts.dispatch import AssignmentResult, BulkAssign, CandidateOut, NeedsPersonRow
from core.orders.lifecycle import OrderState


def needs_row(i: int, *, version: int = 5, due_in: timedelta = timedelta(hours=5),
              reason: str = "VIP 客户", code: str = "vip") -> NeedsPersonRow:
    order = make_row(i, state=OrderState.DISPATCHING, version=version, dispatch_mode="manual",
                     dispatch_note=reason)
    return NeedsPersonRow(order=order, reason=reason, code=code,
                          since=T0 + timedelta(minutes=i), sla_due=T0 + due_in)


class DispatchFakeClient(FakeClient):
    """Records every bulk request; orders whose id is in `stale` answer 409."""

    def __init__(self, rows: list[NeedsPersonRow] | None = None) -> None:
        super().__init__(make_detail(7, state=OrderState.ASSIGNED, version=3))
        self.rows = rows if rows is not None else [needs_row(1), needs_row(2)]
        self.requests: list[BulkAssign] = []
        self.stale: set[int] = set()
        self.candidate_calls: list[int] = []
        self.all_cities_calls: list[bool] = []
        # Per order, what the server would rank (else make_candidates()), and with all_cities.
        self.ranked: dict[int, list[CandidateOut]] = {}
        self.ranked_all: dict[int, list[CandidateOut]] = {}
        self.needs_calls = 0

    async def needs_person(self) -> list[NeedsPersonRow]:
        self.needs_calls += 1
        return list(self.rows)

    async def candidates(self, order_id: int, all_cities: bool = False) -> list[CandidateOut]:
        self.candidate_calls.append(order_id)
        self.all_cities_calls.append(all_cities)
        if all_cities and order_id in self.ranked_all:
            return list(self.ranked_all[order_id])
        return list(self.ranked[order_id]) if order_id in self.ranked else make_candidates()

    async def assign_orders(self, request: BulkAssign) -> list[AssignmentResult]:
        self.requests.append(request)
        results = []
        for item in request.assignments:
            tech = item.technician_id or make_candidates()[0].technician.id
            if item.order_id in self.stale:
                results.append(AssignmentResult(
                    order_id=item.order_id, ok=False, technician_id=tech,
                    order_no=f"LM{item.order_id:08d}", status=409,
                    detail="工单已被他人改动，请刷新后再派", current_version=item.version + 1))
            else:
                results.append(AssignmentResult(
                    order_id=item.order_id, ok=True, technician_id=tech,
                    order_no=f"LM{item.order_id:08d}", technician_name="王师傅", status=200,
                    detail="已派给王师傅"))
        done = {r.order_id for r in results if r.ok}
        self.rows = [r for r in self.rows if r.order.id not in done]
        return results

    async def act(self, order_id: int, request: ActionRequest) -> OrderDetail:
        detail = await super().act(order_id, request)
        pinned = {"pin": True, "unpin": False}.get(request.action, detail.dispatch_pinned)
        updated = detail.model_copy(update={"dispatch_pinned": pinned})
        self.details[order_id] = updated
        return updated
