"""The stand-ins' desks through the handlers, without the wire: the agent's manual-dispatch desk
and follow-up worklist (`HandlerDesk`), and a technician's booking line (`HandlerLine`)."""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from core.demo.acting import StepReport
from core.demo.agent_desk import AGENT
from core.demo.booking import Binding
from core.errors import LastmileError
from core.fieldwork.appointments import ContactReason
from core.fieldwork.followups import ComplaintType, Outcome, OutcomeKind
from core.orders.lifecycle import Role
from core.orders.model import Actor
from core.services.assign import AssignOrder, assign_each
from core.services.candidates import ListCandidates, handle_candidates
from core.services.desk import ListNeedsPerson, handle_needs_person
from core.services.fieldwork.complaints import (
    ListComplaints,
    RuleComplaint,
    handle_complaints,
    handle_rule_complaint,
)
from core.services.fieldwork.followups import (
    RecordOutcome,
    Worklist,
    handle_record_outcome,
    handle_worklist,
)
from core.simulation.backend import Backend
from core.simulation.steps import tally

log = logging.getLogger(__name__)


class HandlerDesk:
    """The manual-dispatch desk as the stand-in agent works it (core.demo.agent_desk.Desk),
    through the handlers behind GET /v1/dispatch/needs-person, GET /v1/orders/{id}/candidates,
    POST /v1/dispatch/assign and the `cancel` action; rows and results as the API's JSON."""

    def __init__(self, backend: Backend, actor: Actor | None = None) -> None:
        self._backend = backend
        self.actor = actor or Actor(AGENT, Role.AGENT)
        self.name = self.actor.name

    async def needs_person(self) -> list[dict[str, Any]]:
        rows = handle_needs_person(ListNeedsPerson(), self._backend.new_uow())
        return [row.model_dump(mode="json") for row in rows]

    async def assign(self, order: dict[str, Any], technician_id: int | None,
                     reason: str) -> dict[str, Any]:
        cmd = AssignOrder(order["id"], order["version"], self.actor, reason,
                          technician_id=technician_id, pinned=True)
        [result] = assign_each([cmd], self._backend.new_uow())
        return {"ok": result.status == 200, **asdict(result)}

    async def candidates(self, order_id: int) -> list[dict[str, Any]] | None:
        try:
            found = handle_candidates(ListCandidates(order_id, self.actor),
                                      self._backend.new_uow())
        except LastmileError as exc:
            log.info("no candidates for order %s: %s", order_id, exc)
            return None
        return [c.model_dump(mode="json") for c in found]

    async def cancel(self, order: dict[str, Any], reason: str, report: StepReport) -> None:
        tally(report, "cancel",
              self._backend.act(self.actor, order["id"], order["version"], "cancel", reason))

    # -- the follow-up worklist and complaints (core.demo.followup_calls.FollowupDesk), through
    # the handlers behind GET /v1/followups, POST .../outcome, GET /v1/complaints and POST
    # .../ruling; only the fields the stand-ins read
    async def followups(self) -> list[dict[str, Any]]:
        page = handle_worklist(Worklist(self.actor, only_due=True), self._backend.new_uow())
        return [{"followup_id": f.id, "version": f.version, "order_id": order.id,
                 "order_no": order.order_no} for f, order, _ in page.found.rows]

    async def record_outcome(self, row: dict[str, Any], body: dict[str, Any]) -> int:
        outcome = Outcome(OutcomeKind(body["outcome"]), body.get("rating"),
                          ComplaintType(body["complaint_type"]) if body.get("complaint_type")
                          else None, body.get("note", ""))
        return self._status(lambda: handle_record_outcome(RecordOutcome(
            row["followup_id"], body["version"], outcome, self.actor), self._backend.new_uow()))

    async def complaints(self) -> list[dict[str, Any]]:
        page = handle_complaints(ListComplaints(self.actor, only_open=True, limit=200),
                                 self._backend.new_uow())
        return [{"id": c.id, "version": c.version, "order_id": c.order_id,
                 "raised_at": c.raised_at} for c in page.rows]

    async def rule(self, complaint: dict[str, Any], uphold: bool, reason: str) -> int:
        return self._status(lambda: handle_rule_complaint(RuleComplaint(
            complaint["id"], complaint["version"], uphold, reason, self.actor),
            self._backend.new_uow()))

    @staticmethod
    def _status(run: Any) -> int:
        try:
            run()
        except LastmileError as exc:
            log.info("follow-up step refused: %s", exc)
            return exc.status
        return 200


class HandlerLine:
    """A technician's booking (core.demo.booking.Line) through the handlers behind the booking,
    free-windows, contact-attempt and virtual-number routes; calls through the simulated
    provider, its push taken by the call-records handler. Counts into `report` as the demo's
    Performer does over HTTP."""

    def __init__(self, backend: Backend, actor: Actor, report: StepReport) -> None:
        self._backend, self._actor, self._report = backend, actor, report

    async def binding(self, order_id: int) -> Binding:
        status, binding_id = self._backend.binding(order_id)
        return Binding(status, binding_id)

    async def call(self, binding_id: str, started: datetime, seconds: int, connected: bool,
                   now: datetime) -> None:
        self._backend.call(binding_id, started, seconds, connected)

    async def missed(self, order_id: int, reason: ContactReason) -> bool:
        done = self._backend.contact_attempt(self._actor, order_id, reason)
        if done:
            self._report.actions["contact_attempt"] += 1
        return done

    async def free_windows(self, technician_id: int, day: date,
                           order_id: int) -> list[tuple[datetime, datetime]]:
        return self._backend.free_windows(self._actor, technician_id, day, order_id)

    async def book(self, order_id: int, version: int, window: tuple[datetime, datetime],
                   reason: str, reason_code: str | None) -> bool:
        return tally(self._report, "appoint", self._backend.book(
            self._actor, order_id, version, window[0], window[1], reason, reason_code))
