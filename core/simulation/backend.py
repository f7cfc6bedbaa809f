"""The simulation's way into the real backend, in one place so it can follow the service layer.

It calls the service layer's handlers (core.services: intake's webhook and reviews, lifecycle
actions, check-ins and bookings, the dispatch round, the virtual numbers' round and call
records, the grab pool's list and claim, the desk's needs-person list, candidates and
assignment) and storage for plain reads (the change feed's positions, the
review queue, counts). The demo's stand-in agent works the same desk over HTTP (core.demo.
agent_desk.ApiDesk); here it works `HandlerDesk`, the same handlers without the wire.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.contracts.intake import IntakeReceipt
from core.demo.acting import StepReport
from core.demo.agent_desk import AGENT
from core.demo.arrivals import Arrival
from core.demo.booking import Binding
from core.errors import LastmileError
from core.fieldwork.appointments import ContactReason, RescheduleReason, Slot, SlotKind
from core.fieldwork.followups import ComplaintType, Outcome, OutcomeKind
from core.fieldwork.position import Fix
from core.intake.pipeline import default_centre
from core.orders.commands import command_for
from core.orders.errors import StaleVersion
from core.orders.lifecycle import CannotCompleteCode, Role
from core.orders.model import Actor
from core.services.assign import AssignOrder, assign_each
from core.services.candidates import ListCandidates, handle_candidates
from core.services.desk import ListNeedsPerson, handle_needs_person
from core.services.dispatch import RoundReport, run_round
from core.services.fieldwork.appointments import (
    BookAppointment,
    FreeWindows,
    RecordContactAttempt,
    handle_book,
    handle_contact_attempt,
    handle_free_windows,
)
from core.services.fieldwork.axb import SimulatedAxb
from core.services.fieldwork.axb_bindings import (
    AxbRound,
    AxbRoundResult,
    current_binding,
    handle_axb_round,
)
from core.services.fieldwork.call_records import TakeCallRecords, handle_take_call_records
from core.services.fieldwork.checkin import RecordCheckIn, handle_check_in
from core.services.fieldwork.complaints import (
    ListComplaints,
    RuleComplaint,
    handle_complaints,
    handle_rule_complaint,
)
from core.services.fieldwork.completion import (
    CompleteVisit,
    ReportCannotComplete,
    handle_cannot_complete,
    handle_complete,
)
from core.services.fieldwork.followups import (
    RecordOutcome,
    Worklist,
    handle_record_outcome,
    handle_worklist,
)
from core.services.fieldwork.review import (
    DecideVerification,
    ReviewQueue,
    handle_decide,
    handle_review_queue,
)
from core.services.fieldwork.review_period import (
    EndReviewPeriods,
    PeriodsEnded,
    handle_end_review_periods,
)
from core.services.grab import ClaimOffer, ListOffers, handle_claim, handle_list_offers
from core.services.intake.commands import DecideReview, ReceiveWebhook
from core.services.intake.reviews import handle_decide_review
from core.services.intake.webhook import handle_webhook
from core.services.orders import PerformAction, perform_action
from core.services.sla.deadlines import RecordedAlert, ScanDeadlines, handle_scan_deadlines
from core.storage.fieldwork.appointments import BOUND, PENDING
from core.storage.fieldwork.followups import FollowupRecord
from core.storage.intake.reviews import review_page
from core.storage.orders.feed import max_seq
from core.storage.sla.deadlines import SlaDeadlineRecord
from core.storage.tables import (
    GrabOfferRecord,
    OrderEventRecord,
    OrderRecord,
    TechnicianRecord,
)
from core.storage.uow import UnitOfWork

log = logging.getLogger(__name__)
SIMULATION_PUSH_SECRET = "simulation-axb-push"  # signs the simulated provider's pushes


@dataclass(frozen=True)
class OrderNow:
    """An order as the simulation follows it (from the change feed's rows)."""

    id: int
    version: int
    state: str
    dispatch_mode: str | None
    technician_id: int | None
    county_adcode: str
    service_type: str
    created_at: Any
    accept_by: Any
    lng: float | None = None  # the address point (GCJ-02), or the county's centre
    lat: float | None = None


class Backend:
    """The real backend on `engine`, at the time of `clock`."""

    def __init__(self, engine: Engine, clock: SimulatedClock) -> None:
        self.engine, self.clock = engine, clock
        self._usernames: dict[int, str] = {}
        self._centre = default_centre()
        self.desk = HandlerDesk(self)
        # The virtual-number provider the server would be given (deterministic numbers).
        self.axb = SimulatedAxb(push_secret=SIMULATION_PUSH_SECRET)

    # -- intake: POST /v1/intake/{platform} once the body is read (core.services.intake)
    def intake(self, arrival: Arrival) -> IntakeReceipt | None:
        """The webhook taken in (None: refused, or kept only as a dead letter)."""
        try:
            return handle_webhook(ReceiveWebhook(arrival.platform, arrival.request,
                                                 arrival.content_type), self.new_uow(),
                                  centre=self._centre)
        except LastmileError as exc:
            log.info("%s webhook refused: %s", arrival.platform, exc)
            return None

    def new_uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine, clock=self.clock)

    # -- lifecycle actions (core.services.orders, as POST /v1/orders/{id}/actions)
    def act(self, actor: Actor, order_id: int, version: int, action: str, reason: str,
            **fields: Any) -> str:
        """One action on the version seen: 'ok', 'stale' (changed meanwhile) or 'refused'."""
        try:
            perform_action(PerformAction(order_id, version, command_for(action, fields), actor,
                                         reason), self.new_uow())
        except StaleVersion:
            return "stale"
        except LastmileError as exc:
            log.info("%s %s on %s refused: %s", actor.name, action, order_id, exc)
            return "refused"
        return "ok"

    def _outcome(self, what: str, actor: Actor, order_id: int, run: Any) -> str:
        """'ok', 'stale' or 'refused' of one handler call, as `act`."""
        try:
            run()
        except StaleVersion:
            return "stale"
        except LastmileError as exc:
            log.info("%s %s on %s refused: %s", actor.name, what, order_id, exc)
            return "refused"
        return "ok"

    # -- the end of the visit (core.services.fieldwork.completion, as POST .../complete and
    # .../cannot-complete)
    def complete(self, actor: Actor, order_id: int, version: int) -> str:
        """Complete (the backend checks the evidence and may verify at once): 'ok', 'stale'
        or 'refused'."""
        return self._outcome("complete", actor, order_id, lambda: handle_complete(
            CompleteVisit(order_id, version, actor, axb=self.axb), self.new_uow()))

    def cannot_complete(self, actor: Actor, order_id: int, version: int, code: str,
                        note: str) -> str:
        return self._outcome("cannot_complete", actor, order_id, lambda: handle_cannot_complete(
            ReportCannotComplete(order_id, version, actor, CannotCompleteCode(code), note,
                                 axb=self.axb), self.new_uow()))

    # -- the verification review queue (core.services.fieldwork.review, as GET
    # /v1/verification-reviews and POST .../verification-review)
    def verification_queue(self, actor: Actor, limit: int = 100) -> list[tuple[int, int, str]]:
        """(order id, version, verdict) of the served orders waiting for a person."""
        queue = handle_review_queue(ReviewQueue(actor, limit), self.new_uow())
        return [(e.rows.order.id, e.rows.order.version, e.assessment.verdict.value)
                for e in queue.entries]

    def decide_verification(self, actor: Actor, order_id: int, version: int, approve: bool,
                            reason: str) -> str:
        return self._outcome("verification", actor, order_id, lambda: handle_decide(
            DecideVerification(order_id, version, approve, reason, actor), self.new_uow()))

    # -- check-in with the phone's position (core.services.fieldwork.checkin, as POST
    # /v1/orders/{id}/check-in)
    def check_in(self, actor: Actor, order_id: int, version: int,
                 position: Fix | None) -> str:
        """'ok', 'stale' or 'refused', as `act`."""
        try:
            handle_check_in(RecordCheckIn(order_id, version, actor, position), self.new_uow())
        except StaleVersion:
            return "stale"
        except LastmileError as exc:
            log.info("%s check-in on %s refused: %s", actor.name, order_id, exc)
            return "refused"
        return "ok"

    # -- a booking (core.services.fieldwork.appointments, as POST /v1/orders/{id}/appointment)
    def book(self, actor: Actor, order_id: int, version: int, start: datetime, end: datetime,
             reason: str = "", reason_code: str | None = None) -> str:
        """'ok' (booked, or a reschedule waiting for a supervisor), 'stale' or 'refused'."""
        try:
            handle_book(BookAppointment(
                order_id, version, actor, Slot(start, end),
                None if reason_code is None else RescheduleReason(reason_code), reason),
                self.new_uow())
        except StaleVersion:
            return "stale"
        except LastmileError as exc:
            log.info("%s booking on %s refused: %s", actor.name, order_id, exc)
            return "refused"
        return "ok"

    def free_windows(self, actor: Actor, technician_id: int, day: date,
                     order_id: int) -> list[tuple[datetime, datetime]]:
        """The technician's free 2-hour windows that day (GET .../free-windows)."""
        found = handle_free_windows(FreeWindows(technician_id, day, actor, order_id),
                                    self.new_uow())
        return [(s.start, s.end) for s in found.free if s.kind is SlotKind.WINDOW]

    def contact_attempt(self, actor: Actor, order_id: int, reason: ContactReason) -> bool:
        """A failed attempt to reach the customer (POST .../contact-attempts)."""
        try:
            handle_contact_attempt(RecordContactAttempt(order_id, actor, reason),
                                   self.new_uow())
        except LastmileError as exc:
            log.info("%s contact attempt on %s refused: %s", actor.name, order_id, exc)
            return False
        return True

    # -- the virtual numbers (core.services.fieldwork.axb_bindings and call_records)
    def axb_round(self) -> AxbRoundResult:
        """Bind and release what is due, as the server's outbox round does."""
        return handle_axb_round(AxbRound(self.axb), self.new_uow())

    def end_review_periods(self) -> PeriodsEnded:
        """The review periods that ran out by now pass (the server's outbox round runs it)."""
        return handle_end_review_periods(EndReviewPeriods(), self.new_uow())

    def scan_deadlines(self) -> list[RecordedAlert]:
        """The warnings and breaches whose time has come, recorded (the server's scan round)."""
        return handle_scan_deadlines(ScanDeadlines(), self.new_uow())

    def next_alert_at(self) -> datetime | None:
        """When the soonest alert not yet recorded is due (None: none waits)."""
        with Session(self.engine) as session:
            return session.scalar(select(func.min(SlaDeadlineRecord.at))
                                  .where(SlaDeadlineRecord.pending.is_(True)))

    def followups_due(self) -> int:
        """Open follow-up calls due by now (the worklist's `due` count), cheaply."""
        with Session(self.engine) as session:
            return session.scalar(select(func.count()).select_from(FollowupRecord).where(
                FollowupRecord.status == "open",
                FollowupRecord.due_at <= self.clock.now())) or 0

    def binding(self, order_id: int) -> tuple[str, str]:
        """The order's virtual number: (none | pending | bound, the provider's binding id)."""
        found = current_binding(self.new_uow(), order_id)
        if found is None or found.status not in (PENDING, BOUND):
            return "none", ""
        return found.status, found.provider_binding_id

    def call(self, binding_id: str, started: datetime, seconds: int, connected: bool) -> int:
        """The technician calls through the number; the provider pushes the record at once to
        the handler behind POST /v1/axb/call-records. How many records were taken."""
        self.axb.call(binding_id, "technician", started, seconds, connected)
        return self.axb.push(self._take_calls, self.clock.now())

    def _take_calls(self, body: bytes, headers: dict[str, str]) -> int:
        try:
            handle_take_call_records(
                TakeCallRecords(body, {k.lower(): v for k, v in headers.items()},
                                self.axb.push_secret), self.new_uow())
        except LastmileError as exc:
            log.warning("call records refused: %s", exc)
            return exc.status
        return 200

    def technician_actor(self, technician_id: int) -> Actor:
        if not self._usernames:
            with Session(self.engine) as session:
                self._usernames = {i: u or "" for i, u in session.execute(
                    select(TechnicianRecord.id, TechnicianRecord.username))}
        return Actor(self._usernames.get(technician_id, ""), Role.TECHNICIAN, technician_id)

    # -- intake reviews (GET/POST /v1/intake/reviews)
    def reviews(self) -> list[tuple[int, int, int, Any]]:
        """Orders waiting for an agent's review: (id, version, score, created_at)."""
        with Session(self.engine) as session:
            page = review_page(session, limit=500)
        return [(r.order.id, r.order.version, r.score, r.order.created_at) for r in page.rows]

    def review(self, actor: Actor, order_id: int, version: int, approve: bool,
               reason: str) -> bool:
        try:
            handle_decide_review(DecideReview(order_id, approve, version, reason, actor),
                                 self.new_uow())
        except LastmileError as exc:
            log.info("review of %s not taken: %s", order_id, exc)
            return False
        return True

    # -- the dispatcher's round (core.server.dispatch.dispatcher runs the same every few seconds)
    def dispatch_round(self) -> RoundReport:
        return run_round(self.engine, self.clock)

    # -- what changed: the change feed's positions, as a console follows it
    def changes(self, after: int) -> tuple[int, list[OrderNow]]:
        """The feed's position and the orders changed since `after` (each once, as now)."""
        with Session(self.engine) as session:
            rows = session.execute(_CHANGED, {"after": after}).all()
        seen: dict[int, OrderNow] = {}
        for seq, *order in rows:
            seen[order[0]] = OrderNow(*order)
            after = max(after, seq)
        return after, list(seen.values())

    def feed_position(self) -> int:
        with Session(self.engine) as session:
            return max_seq(session)

    def dispatch_work(self) -> int:
        """Orders a dispatch round would look at: to open, in the pool or central dispatch,
        or waiting for a technician's answer."""
        with Session(self.engine) as session:
            return session.scalar(_DISPATCHABLE) or 0

    # -- the grab pool (core.services.grab, as GET /v1/grab/offers and POST .../claim)
    def roster(self) -> list[int]:
        """Active technicians with a login, by id."""
        with Session(self.engine) as session:
            return list(session.scalars(
                select(TechnicianRecord.id).where(TechnicianRecord.active.is_(True),
                                                  TechnicianRecord.username.is_not(None),
                                                  TechnicianRecord.username != "")
                .order_by(TechnicianRecord.id)))

    def offers(self, technician_id: int) -> list[dict[str, Any]]:
        listed = handle_list_offers(ListOffers(technician_id), self.new_uow())
        return [offer.model_dump(mode="json") for offer in listed]

    def claim(self, technician_id: int, order_id: int, version: int | None) -> int:
        """200 when the claim won, else the status the API would answer (403, 409, 410...)."""
        try:
            handle_claim(ClaimOffer(order_id, self.technician_actor(technician_id), version),
                         self.new_uow())
        except LastmileError as exc:
            return exc.status
        return 200

    def open_offers(self) -> int:
        with Session(self.engine) as session:
            return session.scalar(select(func.count()).select_from(GrabOfferRecord)
                                  .where(GrabOfferRecord.status == "open")) or 0

    def waiting_for_person(self) -> int:
        with Session(self.engine) as session:
            return session.scalar(select(func.count()).select_from(OrderRecord).where(
                OrderRecord.state == "dispatching", OrderRecord.dispatch_mode == "manual")) or 0


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
        outcome = self._backend.act(self.actor, order["id"], order["version"], "cancel", reason)
        if outcome == "ok":
            report.actions["cancel"] += 1
        elif outcome == "stale":
            report.conflicts += 1
        else:
            report.rejected += 1

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
        outcome = self._backend.book(self._actor, order_id, version, window[0], window[1],
                                     reason, reason_code)
        if outcome == "ok":
            self._report.actions["appoint"] += 1
        elif outcome == "stale":
            self._report.conflicts += 1
        else:
            self._report.rejected += 1
        return outcome == "ok"


# Built once: the simulation asks after every event.
_CHANGED = (
    select(OrderEventRecord.seq, OrderRecord.id, OrderRecord.version, OrderRecord.state,
           OrderRecord.dispatch_mode, OrderRecord.technician_id, OrderRecord.county_adcode,
           OrderRecord.service_type, OrderRecord.created_at, OrderRecord.accept_by,
           OrderRecord.lng, OrderRecord.lat)
    .join(OrderRecord, OrderRecord.id == OrderEventRecord.order_id)
    .where(OrderEventRecord.seq > bindparam("after"))
    .order_by(OrderEventRecord.seq)
)
_DISPATCHABLE = select(func.count()).select_from(OrderRecord).where(or_(
    OrderRecord.state.in_(("classified", "assigned")),
    and_(OrderRecord.state == "dispatching", OrderRecord.dispatch_mode != "manual")))
