"""The simulation's way into the real backend, in one place so it can follow the service layer.

It calls the service layer's handlers (core.services: intake's webhook and reviews, lifecycle
actions, check-ins and bookings, the dispatch round, the virtual numbers' round and call
records, the grab pool's list and claim); storage for plain reads (the change feed's positions,
the review queue, counts) is core.simulation.reads. The demo's stand-in agent works the desk
over HTTP (core.demo.agent_desk.ApiDesk); here it works core.simulation.desks.HandlerDesk, the
same handlers without the wire.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine

from core.clock import SimulatedClock
from core.contracts.intake import IntakeReceipt
from core.demo.arrivals import Arrival
from core.errors import LastmileError
from core.fieldwork.appointments import ContactReason, RescheduleReason, Slot, SlotKind
from core.fieldwork.position import Fix
from core.intake.pipeline import default_centre
from core.orders.commands import command_for
from core.orders.errors import StaleVersion
from core.orders.lifecycle import CannotCompleteCode
from core.orders.model import Actor
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
from core.services.fieldwork.completion import (
    CompleteVisit,
    ReportCannotComplete,
    handle_cannot_complete,
    handle_complete,
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
from core.simulation.reads import StorageReads
from core.storage.fieldwork.appointments import BOUND, PENDING
from core.storage.uow import UnitOfWork

log = logging.getLogger(__name__)
SIMULATION_PUSH_SECRET = "simulation-axb-push"  # signs the simulated provider's pushes


class Backend(StorageReads):
    """The real backend on `engine`, at the time of `clock`: its handlers here, its plain reads
    in StorageReads."""

    def __init__(self, engine: Engine, clock: SimulatedClock) -> None:
        super().__init__(engine, clock)
        self._centre = default_centre()
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
        return self._outcome(action, actor, order_id, lambda: perform_action(PerformAction(
            order_id, version, command_for(action, fields), actor, reason), self.new_uow()))

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
        return self._outcome("check-in", actor, order_id, lambda: handle_check_in(
            RecordCheckIn(order_id, version, actor, position), self.new_uow()))

    # -- a booking (core.services.fieldwork.appointments, as POST /v1/orders/{id}/appointment)
    def book(self, actor: Actor, order_id: int, version: int, start: datetime, end: datetime,
             reason: str = "", reason_code: str | None = None) -> str:
        """'ok' (booked, or a reschedule waiting for a supervisor), 'stale' or 'refused'."""
        return self._outcome("booking", actor, order_id, lambda: handle_book(BookAppointment(
            order_id, version, actor, Slot(start, end),
            None if reason_code is None else RescheduleReason(reason_code), reason),
            self.new_uow()))

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

    # -- intake reviews (POST /v1/intake/reviews/{id})
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

    # -- the grab pool (core.services.grab, as GET /v1/grab/offers and POST .../claim)
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

