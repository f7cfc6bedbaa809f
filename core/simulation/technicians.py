"""The technicians' turns: at one of his orders, the demo crew's rule for its state
(core.demo.crew), with the check-in his phone reports (core.demo.field), the booking after a
call through the order's virtual number (core.demo.booking) and the end of the visit
(core.demo.evidence); and at the grab pool, a few of them claiming what they like."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path

from core.demo.booking import Booking, book_visit
from core.demo.crew import Crew, Move
from core.demo.evidence import Evidence, Job, finish_visit
from core.demo.field import CHECK_IN, Phones
from core.demo.grabbing import LOST, GrabHunt
from core.orders.model import Actor
from core.simulation.desks import HandlerLine
from core.simulation.evidence import HandlerBench, Texts
from core.simulation.reads import OrderNow
from core.simulation.steps import Steps

TECH_STATES = frozenset({"assigned", "accepted", "appointed", "checked_in"})


class Technicians:
    """The technicians' moves; `bookings` counts what came of each booking a technician set
    out to make (core.demo.booking.Booking)."""

    def __init__(self, steps: Steps, crew: Crew, hunt: GrabHunt, phones: Phones,
                 evidence: Evidence, texts: Texts, photo_root: Path) -> None:
        self.steps, self.backend = steps, steps.backend
        self._crew, self._hunt, self.phones, self.evidence = crew, hunt, phones, evidence
        self.texts, self.photo_root = texts, photo_root
        self.bookings: Counter[str] = Counter()
        self._checked_in: dict[int, tuple[datetime, bool]] = {}  # when, with a position
        self._finished: set[int] = set()
        self._roster: list[int] = []

    def _now(self) -> datetime:
        return self.backend.clock.now()

    async def at_order(self, order: OrderNow) -> bool:
        """His turn at `order` (in a technician's state); whether a step was taken."""
        assert order.technician_id is not None
        steps = self.steps
        move = self._crew.next_move(order.id, order.technician_id, order.state, self._now())
        actor = self.backend.technician_actor(order.technician_id)
        if move is not None and move.action == "check_in":
            return self._check_in(actor, order)
        if move is not None and move.action == "appoint":
            return await self._book(actor, order, move)
        if move is not None and move.action == "complete":
            await self._finish(actor, order)
            return steps.count(move.action, self.backend.complete(actor, order.id,
                                                                  order.version))
        if move is not None and move.action == "cannot_complete":
            return steps.count(move.action, self.backend.cannot_complete(
                actor, order.id, order.version, move.fields["code"], move.reason))
        return move is not None and steps.act(actor, order, move)

    async def _book(self, actor: Actor, order: OrderNow, move: Move) -> bool:
        """The technician calls the customer through the order's virtual number (or, faking
        it, does not) and books a free window near the one he had in mind (core.demo.booking);
        nobody answering is a contact attempt, and he tries again later."""
        assert order.technician_id is not None
        self.steps.wrote = True
        line = HandlerLine(self.backend, actor, self.steps.tally)
        booked = await book_visit(line, self.phones, order.id, order.version,
                                  order.technician_id, (move.fields["start"], move.fields["end"]),
                                  move.reason, move.fields.get("reason_code"), self._now())
        self.bookings[booked.value] += 1
        return booked is Booking.BOOKED

    async def _finish(self, actor: Actor, order: OrderNow) -> None:
        """Before he completes (once per visit): photos, serials, the customer's code."""
        assert order.technician_id is not None
        if order.id in self._finished:
            return
        self._finished.add(order.id)
        self.steps.wrote = True
        at, located = self._checked_in.get(order.id, (None, True))
        job = Job(order.id, order.technician_id, order.lat, order.lng, at, self._now(), located)
        bench = HandlerBench(self.backend, actor, self.steps.tally, self.texts, self.photo_root)
        await finish_visit(bench, self.evidence, job)

    def _check_in(self, actor: Actor, order: OrderNow) -> bool:
        """The technician checks in with what his phone reports (core.demo.field)."""
        assert order.technician_id is not None
        door = self.phones.at_the_door(order.technician_id, order.lng, order.lat, self._now())
        outcome = self.backend.check_in(actor, order.id, order.version, door.position)
        if outcome == "ok":
            self._checked_in[order.id] = (self._now(), door.position is not None)
            self.phones.truth.record(order.id, door.faked, CHECK_IN)
        return self.steps.count("check_in", outcome)

    def hunt(self) -> None:
        """Some technicians open the grab pool and claim what they like (GrabHunt's rules)."""
        if not self._roster:
            self._roster = self.backend.roster()
        backend, tally = self.backend, self.steps.tally
        for technician_id in self._hunt.lookers(self._roster):
            offer = self._hunt.pick(backend.offers(technician_id))
            if offer is None:
                continue
            self.steps.wrote = True
            status = backend.claim(technician_id, offer["order_id"], offer.get("version"))
            if status == 200:
                tally.actions["claim"] += 1
            elif status in LOST:
                tally.claims_lost += 1
            else:
                tally.rejected += 1
