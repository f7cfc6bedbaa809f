"""The simulated days: an agenda of timed events moves the clock from one to the next.

Events: arrivals (the demo's day and night pattern), dispatch rounds (every `dispatch_seconds`,
and at each acceptance deadline; the virtual numbers' round and the end of review periods with
them, as the server's outbox round), a turn for each technician's order (the demo crew's rules,
a few minutes apart, never at night; a booking is made after a call through the order's virtual
number, core.demo.booking), the intake centre's turns (intake steps, reviews, the verification
queue, complaints' rulings), the stand-in agent's turns at the needs-person list and the
follow-up worklist (core.demo.followup_calls), technicians looking at the grab pool, the SLA
deadline scan and urge round (core.simulation.sla: warnings and breaches recorded at their own
time, urges made of them) and people answering their urges. After each event the change feed
says which orders moved, and their people get a turn. Nothing sleeps: the clock jumps.

The day keeps the agenda and follows the feed; what happens at an event is the dispatch round's
(core.simulation.dispatch_rounds), the technicians' (core.simulation.technicians), the centre's
(core.simulation.centre) or the SLA's (core.simulation.sla), each step tallied by
core.simulation.steps.
"""

from __future__ import annotations

import logging
import random
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from core.demo.acting import Performer
from core.demo.agent_desk import StandInAgent
from core.demo.api import SimulatorError
from core.demo.arrivals import ArrivalStream, day_arrivals
from core.demo.clock import SHANGHAI, WORKDAY_END, WORKDAY_START, awake
from core.demo.crew import Crew, Move
from core.demo.dataset import OrderFactory
from core.demo.evidence import Evidence
from core.demo.field import Phones
from core.demo.followup_calls import FollowupStandIns
from core.demo.grabbing import GrabHunt
from core.demo.marks import draw_mark
from core.simulation.backend import Backend
from core.simulation.centre import CENTRE, Centre
from core.simulation.desks import HandlerDesk
from core.simulation.dispatch_rounds import DispatchRounds
from core.simulation.events import Agenda
from core.simulation.evidence import Texts
from core.simulation.reads import OrderNow
from core.simulation.sla import SCAN, URGE_TURN, SlaRounds
from core.simulation.steps import Steps
from core.simulation.technicians import TECH_STATES, Technicians

log = logging.getLogger(__name__)
# The demo's people act in rounds a few seconds apart (a demo is compressed time); here a
# round is a person's turn at their work, minutes apart in simulated time.
TECH_TURN_MINUTES = (2.0, 10.0)
CENTRE_TURN = timedelta(minutes=1)
AGENT_TURN = timedelta(minutes=3)  # a person glances at the needs-person list every few minutes
HUNT_TURN = timedelta(minutes=3)  # technicians open the pool every few minutes, a few at once
MORNING_SPREAD_MINUTES = 60.0  # people start their day within this of 08:00


@dataclass(frozen=True)
class Plan:
    days: int = 1
    orders_per_day: int = 1000
    seed: int = 7
    dispatch_seconds: float = 60.0
    fraud_share: float = 0.0  # of the technicians, the share that cheats (core.demo.field)


class Day:
    """Runs `plan` on `backend` from `start`; `tally` and `arrivals` say what it did. The
    photos' files go under `photo_root` (None: a temporary folder, removed after `run`)."""

    def __init__(self, backend: Backend, plan: Plan, start: datetime,
                 photo_root: Path | None = None) -> None:
        self.backend, self.plan, self.start = backend, plan, start
        self.end = start + timedelta(days=plan.days)
        seed, clock = plan.seed, backend.clock
        # One stream per concern: a change in how the agent works leaves the arrivals alone.
        self._times = random.Random(seed * 31 + 1)
        self._rng = random.Random(seed * 31 + 2)
        self._factory = OrderFactory(seed)
        self._stream = ArrivalStream(seed)
        self._performer = Performer()
        self.steps = Steps(backend)
        self.tally = self.steps.tally
        self._crew = Crew(random.Random(seed * 31 + 3), self._performer, clock=clock)
        self._agent = StandInAgent(random.Random(seed * 31 + 5), self._performer, clock=clock)
        self._desk = HandlerDesk(backend)  # the agent's: needs-person list, follow-up calls
        self.phones = Phones(seed, plan.fraud_share)
        self.agenda = Agenda()
        self.arrivals: Counter[str] = Counter()
        # Wall seconds per kind of event (where the time goes; not part of the replay).
        self.seconds_by_event: defaultdict[str, float] = defaultdict(float)
        self._people_on = True
        self._cursor = 0
        self._orders: dict[int, OrderNow] = {}
        self._by_state: dict[str, dict[int, None]] = {}
        self._turn_pending: set[int] = set()
        # The end of each visit: photos, serials and the customer's code (core.demo.evidence),
        # the code's SMS through the simulation's own provider.
        self.texts = Texts(backend)
        self.dispatch = DispatchRounds(self.steps, self.texts, self.agenda, start,
                                       reviewing=lambda: bool(self._by_state.get("in_review")))
        self._own_photos: tempfile.TemporaryDirectory[str] | None = None
        if photo_root is None:
            self._own_photos = tempfile.TemporaryDirectory(prefix="lastmile-sim-photos-")
            photo_root = Path(self._own_photos.name)
        self.photo_root = photo_root
        self.photo_bytes = 0
        hunt = GrabHunt(random.Random(seed * 31 + 4), self._crew, together=False)
        self.technicians = Technicians(self.steps, self._crew, hunt, self.phones,
                                       Evidence(self.phones, seed), self.texts, photo_root)
        self.bookings = self.technicians.bookings
        # The review period: the backend ends periods itself (on the outbox round's clock); the
        # agent calls customers, who answer from the truth; the centre rules complaints.
        self.followups = FollowupStandIns(random.Random(seed * 31 + 7), self.phones.truth)
        self.centre = Centre(self.steps, random.Random(seed * 31 + 6), self.followups,
                             self._orders, self._by_state, self._follow)
        # The SLA: the server's deadline scan and urge round, the stand-ins answering urges.
        self.sla = SlaRounds(backend, seed, self.end)

    # -- the loop
    async def run(self, *, people: bool = True) -> None:
        """Play the days; without `people` only the arrivals go in (intake alone, as a floor)."""
        self._schedule_arrivals()
        self._people_on = people
        if people:
            for kind in ("tick", "centre", "agent", "hunt", "sla", "urges"):
                self.agenda.put(self.start, kind)
        handlers = {"arrive": self._arrive, "tick": self._tick, "deadline": self._deadline,
                    "turn": self._turn, "centre": self._centre_turn, "agent": self._agent_turn,
                    "hunt": self._hunt_turn, "sla": self._sla_round, "urges": self._urge_turn}
        spent, clock = self.seconds_by_event, time.perf_counter
        while (event := self.agenda.pop()) is not None and event.at < self.end:
            self.backend.clock.jump_to(event.at)
            started = clock()
            await handlers[event.kind](event.subject)
            followed = clock()
            if people and self.steps.wrote:  # only what may have changed an order is followed
                self._follow()
                if event.kind != "sla":
                    self.sla.orders_changed()
            self.steps.wrote = False
            spent[event.kind] += followed - started
            spent["follow"] += clock() - followed
        self.photo_bytes = sum(f.stat().st_size for f in self.photo_root.rglob("*")
                               if f.is_file())
        if self._own_photos is not None:
            self._own_photos.cleanup()

    def _schedule_arrivals(self) -> None:
        for day in range(self.plan.days):
            start = self.start + timedelta(days=day)
            for at in day_arrivals(self.plan.orders_per_day, start, self._times):
                self.agenda.put(at, "arrive")

    def _now(self) -> datetime:
        return self.backend.clock.now()

    # -- what changed: give the people whose move it is a turn
    def _follow(self) -> None:
        self._cursor, changed = self.backend.changes(self._cursor)
        for order in changed:
            before = self._orders.get(order.id)
            if before is not None:
                self._by_state.get(before.state, {}).pop(order.id, None)
            self._orders[order.id] = order
            self._by_state.setdefault(order.state, {})[order.id] = None
            if order.state in TECH_STATES and order.technician_id is not None:
                self._give_turn(order.id)
            self.dispatch.seen(order)

    def _give_turn(self, order_id: int) -> None:
        if order_id in self._turn_pending:
            return
        self._turn_pending.add(order_id)
        low, high = TECH_TURN_MINUTES
        at = self._now() + timedelta(minutes=self._rng.uniform(low, high))
        self.agenda.put(awake(at, self._rng.uniform(0, MORNING_SPREAD_MINUTES)), "turn",
                        order_id)

    # -- events
    async def _arrive(self, _: object) -> None:
        arrival = self._stream.arrival(self._factory.next(), self._now())
        self.arrivals[arrival.kind] += 1
        self.steps.wrote = True
        receipt = self.backend.intake(arrival)
        if receipt is None:
            self.tally.rejected += 1
            return
        outcomes = [o.outcome.value for o in receipt.outcomes]
        self.tally.created += outcomes.count("created") + outcomes.count("review")
        self.tally.rejected += outcomes.count("dead") + outcomes.count("refused")
        created = [i for o in receipt.outcomes if o.outcome.value in ("created", "review")
                   for i in o.order_ids]
        if not created or not self._people_on:
            return
        self._follow()
        for order_id in created:
            mark = draw_mark(self._rng)
            order = self._orders.get(order_id)
            if mark is not None and order is not None:
                self.steps.act(CENTRE, order, Move("mark", mark.reason, mark.fields()))

    async def _tick(self, _: object) -> None:
        """The dispatcher's regular round (core.simulation.dispatch_rounds)."""
        self.agenda.put(self._now() + timedelta(seconds=self.plan.dispatch_seconds), "tick")
        self.dispatch.tick(self._cursor if self._people_on else None)

    async def _sla_round(self, _: object) -> None:
        """The SLA deadline scan and the urge round, as the server runs them."""
        self.agenda.put(self._now() + SCAN, "sla")
        if self.sla.round():
            self.steps.wrote = True  # alerts and urges are order events: the feed moved

    async def _urge_turn(self, _: object) -> None:
        """Technicians and the supervisor answer their urges (core.simulation.urges)."""
        self.agenda.put(self._now() + URGE_TURN, "urges")
        if await self.sla.answer(self.tally):
            self.steps.wrote = True

    async def _deadline(self, order_id: int) -> None:
        """An acceptance deadline (core.simulation.dispatch_rounds)."""
        self.dispatch.deadline(self._orders.get(order_id))

    async def _turn(self, order_id: int) -> None:
        """A technician's turn at one of their orders (core.simulation.technicians)."""
        self._turn_pending.discard(order_id)
        order = self._orders.get(order_id)
        if order is None or order.state not in TECH_STATES or order.technician_id is None:
            return
        if not await self.technicians.at_order(order):
            self._give_turn(order_id)  # nothing done this time: another look later

    async def _centre_turn(self, _: object) -> None:
        """The intake centre (core.simulation.centre)."""
        self.agenda.put(self._now() + CENTRE_TURN, "centre")
        await self.centre.take(self._now())

    async def _agent_turn(self, _: object) -> None:
        self.agenda.put(self._awake_after(AGENT_TURN), "agent")
        if not self._at_work():
            return
        if self.backend.waiting_for_person():
            self.steps.wrote = True
            try:
                await self._agent.work(self._desk, self.tally, self._now())
            except SimulatorError as exc:
                log.warning("the stand-in agent's turn failed: %s", exc)
        if self.backend.followups_due():  # then a few follow-up calls
            self.steps.wrote = True
            await self.followups.call(self._desk, self.tally)

    async def _hunt_turn(self, _: object) -> None:
        """Some technicians open the grab pool (core.simulation.technicians)."""
        self.agenda.put(self._awake_after(HUNT_TURN), "hunt")
        if not self._at_work() or not self.backend.open_offers():
            return
        self.technicians.hunt()

    # -- helpers
    def _at_work(self) -> bool:
        hour = self._now().astimezone(SHANGHAI).hour
        return WORKDAY_START <= hour < WORKDAY_END

    def _awake_after(self, gap: timedelta) -> datetime:
        return awake(self._now() + gap, self._rng.uniform(0, MORNING_SPREAD_MINUTES))
