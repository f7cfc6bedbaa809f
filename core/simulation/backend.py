"""The simulation's way into the real backend, in one place so it can follow the service layer.

It calls the service layer's handlers (core.services: intake's webhook and reviews, lifecycle
actions, the dispatch round, the grab pool's list and claim), storage for plain reads (the
change feed's positions, the review queue, counts), and the HTTP API in process (httpx
ASGITransport on `create_app(engine, clock=...)`) for manual dispatch, which the demo's own
StandInAgent drives over HTTP (needs-person, candidates, assign).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import Engine, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.contracts.intake import IntakeReceipt
from core.demo.arrivals import Arrival
from core.errors import LastmileError
from core.intake.pipeline import default_centre
from core.orders.commands import command_for
from core.orders.errors import StaleVersion
from core.orders.model import Actor
from core.server.app import create_app
from core.services.dispatch import RoundReport, run_round
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
BASE_URL = "http://simulation"


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


class Backend:
    """The real backend on `engine`, at the time of `clock`."""

    def __init__(self, engine: Engine, clock: SimulatedClock) -> None:
        self.engine, self.clock = engine, clock
        self.app = create_app(engine, clock=clock)
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app),
                                        base_url=BASE_URL, timeout=60.0)
        self._usernames: dict[int, str] = {}
        self._centre = default_centre()

    async def aclose(self) -> None:
        await self.client.aclose()

    # -- intake: POST /v1/intake/{platform} once the body is read (core.services.intake)
    def intake(self, arrival: Arrival) -> IntakeReceipt | None:
        """The webhook taken in (None: refused, or kept only as a dead letter)."""
        try:
            return handle_webhook(ReceiveWebhook(arrival.platform, arrival.request,
                                                 arrival.content_type), self._new_uow(),
                                  centre=self._centre)
        except LastmileError as exc:
            log.info("%s webhook refused: %s", arrival.platform, exc)
            return None

    def _new_uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine, clock=self.clock)

    # -- lifecycle actions (core.services.orders, as POST /v1/orders/{id}/actions)
    def act(self, actor: Actor, order_id: int, version: int, action: str, reason: str,
            **fields: Any) -> str:
        """One action on the version seen: 'ok', 'stale' (changed meanwhile) or 'refused'."""
        try:
            perform_action(PerformAction(order_id, version, command_for(action, fields), actor,
                                         reason), self._new_uow())
        except StaleVersion:
            return "stale"
        except LastmileError as exc:
            log.info("%s %s on %s refused: %s", actor.name, action, order_id, exc)
            return "refused"
        return "ok"

    def technician_actor(self, technician_id: int) -> Actor:
        from core.orders.lifecycle import Role

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
                                 self._new_uow())
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
        listed = handle_list_offers(ListOffers(technician_id), self._new_uow())
        return [offer.model_dump(mode="json") for offer in listed]

    def claim(self, technician_id: int, order_id: int, version: int | None) -> int:
        """200 when the claim won, else the status the API would answer (403, 409, 410...)."""
        try:
            handle_claim(ClaimOffer(order_id, self.technician_actor(technician_id), version),
                         self._new_uow())
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


# Built once: the simulation asks after every event.
_CHANGED = (
    select(OrderEventRecord.seq, OrderRecord.id, OrderRecord.version, OrderRecord.state,
           OrderRecord.dispatch_mode, OrderRecord.technician_id, OrderRecord.county_adcode,
           OrderRecord.service_type, OrderRecord.created_at, OrderRecord.accept_by)
    .join(OrderRecord, OrderRecord.id == OrderEventRecord.order_id)
    .where(OrderEventRecord.seq > bindparam("after"))
    .order_by(OrderEventRecord.seq)
)
_DISPATCHABLE = select(func.count()).select_from(OrderRecord).where(or_(
    OrderRecord.state.in_(("classified", "assigned")),
    and_(OrderRecord.state == "dispatching", OrderRecord.dispatch_mode != "manual")))
