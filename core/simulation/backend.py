"""The simulation's way into the real backend, in one place so it can follow the service layer.

It calls the service layer's handlers (core.services: intake's webhook and reviews, lifecycle
actions, the dispatch round, the grab pool's list and claim, the desk's needs-person list,
candidates and assignment) and storage for plain reads (the change feed's positions, the
review queue, counts). The demo's stand-in agent works the same desk over HTTP (core.demo.
agent_desk.ApiDesk); here it works `HandlerDesk`, the same handlers without the wire.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Engine, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.contracts.intake import IntakeReceipt
from core.demo.acting import StepReport
from core.demo.agent_desk import AGENT
from core.demo.arrivals import Arrival
from core.errors import LastmileError
from core.fieldwork.position import Fix
from core.intake.pipeline import default_centre
from core.orders.commands import command_for
from core.orders.errors import StaleVersion
from core.orders.lifecycle import Role
from core.orders.model import Actor
from core.services.assign import AssignOrder, assign_each
from core.services.candidates import ListCandidates, handle_candidates
from core.services.desk import ListNeedsPerson, handle_needs_person
from core.services.dispatch import RoundReport, run_round
from core.services.fieldwork.checkin import RecordCheckIn, handle_check_in
from core.services.grab import ClaimOffer, ListOffers, handle_claim, handle_list_offers
from core.services.intake.commands import DecideReview, ReceiveWebhook
from core.services.intake.reviews import handle_decide_review
from core.services.intake.webhook import handle_webhook
from core.services.orders import PerformAction, perform_action
from core.storage.intake.reviews import review_page
from core.storage.orders.feed import max_seq
from core.storage.tables import (
    GrabOfferRecord,
    OrderEventRecord,
    OrderRecord,
    TechnicianRecord,
)
from core.storage.uow import UnitOfWork

log = logging.getLogger(__name__)


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

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        self.name = AGENT
        self.actor = Actor(AGENT, Role.AGENT)

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
