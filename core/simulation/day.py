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

from core.demo import centre as centre_rules
from core.demo.acting import Performer, StepReport
from core.demo.agent_desk import StandInAgent
from core.demo.api import SimulatorError
from core.demo.arrivals import ArrivalStream, day_arrivals
from core.demo.booking import Booking, book_visit
from core.demo.clock import SHANGHAI, WORKDAY_END, WORKDAY_START, awake
from core.demo.crew import Crew, Move
from core.demo.dataset import OrderFactory
from core.demo.evidence import Evidence, Job, finish_visit
from core.demo.field import CHECK_IN, Phones
from core.demo.followup_calls import FollowupStandIns
from core.demo.grabbing import LOST, GrabHunt
from core.demo.marks import draw_mark
from core.orders.lifecycle import Role
from core.orders.model import Actor
from core.simulation.backend import Backend, HandlerDesk, HandlerLine, OrderNow
from core.simulation.events import Agenda
from core.simulation.evidence import HandlerBench, Texts
from core.simulation.sla import SCAN, URGE_TURN, SlaRounds

log = logging.getLogger(__name__)
CENTRE = Actor("centre", Role.SUPERVISOR)
TECH_STATES = frozenset({"assigned", "accepted", "appointed", "checked_in"})
# The demo's people act in rounds a few seconds apart (a demo is compressed time); here a
# round is a person's turn at their work, minutes apart in simulated time.
TECH_TURN_MINUTES = (2.0, 10.0)
CENTRE_TURN = timedelta(minutes=1)
AGENT_TURN = timedelta(minutes=3)  # a person glances at the needs-person list every few minutes
HUNT_TURN = timedelta(minutes=3)  # technicians open the pool every few minutes, a few at once
# States whose news a dispatch round acts on: to open, or back in dispatch (refused, withdrawn).
DISPATCH_NEWS = frozenset({"classified", "dispatching"})
# Without such news, a round still runs this often while orders wait in dispatch (stages and
# offers run out with time); acceptance deadlines get a round of their own, on time.
IDLE_ROUND = timedelta(minutes=5)
MORNING_SPREAD_MINUTES = 60.0  # people start their day within this of 08:00
INTAKE_BATCH = 20  # what the centre lists per turn (as the demo's rounds do)
DEADLINE_SLACK = timedelta(seconds=1)


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
        self.tally = StepReport()
        self._crew = Crew(random.Random(seed * 31 + 3), self._performer, clock=clock)
        self._hunt = GrabHunt(random.Random(seed * 31 + 4), self._crew, together=False)
        self._agent = StandInAgent(random.Random(seed * 31 + 5), self._performer, clock=clock)
        self.phones = Phones(seed, plan.fraud_share)
        self._centre_rng = random.Random(seed * 31 + 6)
        self._roster: list[int] = []
        self.agenda = Agenda()
        self.arrivals: Counter[str] = Counter()
        # Wall seconds per kind of event (where the time goes; not part of the replay).
        self.seconds_by_event: defaultdict[str, float] = defaultdict(float)
        self._people_on = True
        self._wrote = False
        self.rounds = 0
        self._cursor = 0
        self._dispatch_news, self._last_round = False, start
        self._orders: dict[int, OrderNow] = {}
        self._by_state: dict[str, dict[int, None]] = {}
        self._turn_pending: set[int] = set()
        self._deadlines: set[tuple[datetime, int]] = set()
        self._axb_cursor = 0
        # What came of each booking a technician set out to make (core.demo.booking.Booking).
        self.bookings: Counter[str] = Counter()
        # The end of each visit: photos, serials and the customer's code (core.demo.evidence),
        # the code's SMS through the simulation's own provider.
        self.evidence = Evidence(self.phones, seed)
        self.texts = Texts(backend)
        self._own_photos: tempfile.TemporaryDirectory[str] | None = None
        if photo_root is None:
            self._own_photos = tempfile.TemporaryDirectory(prefix="lastmile-sim-photos-")
            photo_root = Path(self._own_photos.name)
        self.photo_root = photo_root
        self.photo_bytes = 0
        self._checked_in: dict[int, tuple[datetime, bool]] = {}  # when, with a position
        self._finished: set[int] = set()
        # The review period: the backend ends periods itself (on the outbox round's clock); the
        # agent calls customers, who answer from the truth; the centre rules complaints.
        self.followups = FollowupStandIns(random.Random(seed * 31 + 7), self.phones.truth)
        self._judge = HandlerDesk(backend, CENTRE)
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
            if people and self._wrote:  # only what may have changed an order is followed
                self._follow()
                if event.kind != "sla":
                    self.sla.orders_changed()
            self._wrote = False
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
            if order.state in DISPATCH_NEWS and order.dispatch_mode != "manual":
                self._dispatch_news = True
            if order.state in TECH_STATES and order.technician_id is not None:
                self._give_turn(order.id)
            if order.state == "assigned" and order.accept_by is not None:
                self._deadline_at(order.accept_by + DEADLINE_SLACK, order.id)

    def _give_turn(self, order_id: int) -> None:
        if order_id in self._turn_pending:
            return
        self._turn_pending.add(order_id)
        low, high = TECH_TURN_MINUTES
        at = self._now() + timedelta(minutes=self._rng.uniform(low, high))
        self.agenda.put(awake(at, self._rng.uniform(0, MORNING_SPREAD_MINUTES)), "turn",
                        order_id)

    def _deadline_at(self, at: datetime, order_id: int) -> None:
        if at > self._now() and (at, order_id) not in self._deadlines:
            self._deadlines.add((at, order_id))
            self.agenda.put(at, "deadline", order_id)

    # -- events
    async def _arrive(self, _: object) -> None:
        arrival = self._stream.arrival(self._factory.next(), self._now())
        self.arrivals[arrival.kind] += 1
        self._wrote = True
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
                self._act(CENTRE, order, Move("mark", mark.reason, mark.fields()))

    async def _tick(self, _: object) -> None:
        """The dispatcher's regular round, skipped when it would find nothing new: no order
        came to dispatch since the last round, and the last is recent or nothing waits."""
        now = self._now()
        self.agenda.put(now + timedelta(seconds=self.plan.dispatch_seconds), "tick")
        if self._people_on and self._cursor != self._axb_cursor:
            # The server's outbox round: virtual numbers of orders accepted since are bound,
            # those of orders done or given back released (only when orders moved since).
            self._axb_cursor = self._cursor
            self._wrote = True
            self.backend.axb_round()
            self.texts.send_round()  # the codes' SMS, as the same round sends them
        if self._people_on and self.backend.end_review_periods().settleable:
            self._wrote = True  # the same round ends the review periods that ran out
        if self._dispatch_news or (now - self._last_round >= IDLE_ROUND
                                   and self.backend.dispatch_work()):
            await self._round(None)

    async def _sla_round(self, _: object) -> None:
        """The SLA deadline scan and the urge round, as the server runs them."""
        self.agenda.put(self._now() + SCAN, "sla")
        if self.sla.round():
            self._wrote = True  # alerts and urges are order events: the feed moved

    async def _urge_turn(self, _: object) -> None:
        """Technicians and the supervisor answer their urges (core.simulation.urges)."""
        self.agenda.put(self._now() + URGE_TURN, "urges")
        if await self.sla.answer(self.tally):
            self._wrote = True

    async def _deadline(self, order_id: int) -> None:
        """An acceptance deadline: a round withdraws the lapsed assignment on time (none when
        the technician answered, or a round since already did)."""
        self._deadlines = {d for d in self._deadlines if d[0] > self._now()}
        order = self._orders.get(order_id)
        if (order is not None and order.state == "assigned" and order.accept_by is not None
                and order.accept_by < self._now() and self._last_round <= order.accept_by):
            await self._round(None)

    async def _round(self, _: object) -> None:
        self._dispatch_news, self._last_round = False, self._now()
        self._wrote = True
        report = self.backend.dispatch_round()
        self.rounds += 1
        log.debug("%s %s", self._now().isoformat(), report.summary())

    async def _turn(self, order_id: int) -> None:
        """A technician's turn at one of their orders: the demo crew's rule for its state."""
        self._turn_pending.discard(order_id)
        order = self._orders.get(order_id)
        if order is None or order.state not in TECH_STATES or order.technician_id is None:
            return
        move = self._crew.next_move(order.id, order.technician_id, order.state, self._now())
        actor = self.backend.technician_actor(order.technician_id)
        if move is not None and move.action == "check_in":
            done = self._check_in(actor, order)
        elif move is not None and move.action == "appoint":
            done = await self._book(actor, order, move)
        elif move is not None and move.action == "complete":
            await self._finish(actor, order)
            done = self._count(move.action, self.backend.complete(actor, order.id,
                                                                   order.version))
        elif move is not None and move.action == "cannot_complete":
            done = self._count(move.action, self.backend.cannot_complete(
                actor, order.id, order.version, move.fields["code"], move.reason))
        else:
            done = move is not None and self._act(actor, order, move)
        if not done:
            self._give_turn(order_id)  # nothing done this time: another look later

    async def _book(self, actor: Actor, order: OrderNow, move: Move) -> bool:
        """The technician calls the customer through the order's virtual number (or, faking
        it, does not) and books a free window near the one he had in mind (core.demo.booking);
        nobody answering is a contact attempt, and he tries again later."""
        assert order.technician_id is not None
        self._wrote = True
        line = HandlerLine(self.backend, actor, self.tally)
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
        self._wrote = True
        at, located = self._checked_in.get(order.id, (None, True))
        job = Job(order.id, order.technician_id, order.lat, order.lng, at, self._now(), located)
        bench = HandlerBench(self.backend, actor, self.tally, self.texts, self.photo_root)
        await finish_visit(bench, self.evidence, job)

    def _check_in(self, actor: Actor, order: OrderNow) -> bool:
        """The technician checks in with what his phone reports (core.demo.field)."""
        assert order.technician_id is not None
        self._wrote = True
        door = self.phones.at_the_door(order.technician_id, order.lng, order.lat, self._now())
        outcome = self.backend.check_in(actor, order.id, order.version, door.position)
        if outcome == "ok":
            self.tally.actions["check_in"] += 1
            self._checked_in[order.id] = (self._now(), door.position is not None)
            self.phones.truth.record(order.id, door.faked, CHECK_IN)
        elif outcome == "stale":
            self.tally.conflicts += 1
        else:
            self.tally.rejected += 1
        return outcome == "ok"

    async def _centre_turn(self, _: object) -> None:
        """The intake centre (it never sleeps): reviews, intake by hand, desk checks."""
        self.agenda.put(self._now() + CENTRE_TURN, "centre")
        rng, now = self._centre_rng, self._now()
        in_review: set[int] = set()
        if self._by_state.get("new"):
            for order_id, version, score, created_at in self.backend.reviews():
                in_review.add(order_id)
                approve = centre_rules.review_choice(rng, now - created_at, score)
                if approve is None:
                    continue
                self._wrote = True
                if self.backend.review(CENTRE, order_id,
                                       version, approve, centre_rules.review_reason(approve)):
                    self.tally.actions["review_" + ("approve" if approve else "reject")] += 1
                    in_review.discard(order_id)
        if self._wrote:
            self._follow()
        waiting = sorted((o for s in centre_rules.INTAKE_STATES
                          for i in self._by_state.get(s, {}) if i not in in_review
                          for o in [self._orders[i]]), key=lambda o: (o.created_at, o.id))
        for order in waiting[:INTAKE_BATCH]:
            current: OrderNow | None = order
            while current is not None and current.state in centre_rules.INTAKE_STATES:
                move = centre_rules.intake_move(current.state, current.county_adcode,
                                                current.service_type)
                if move is None or not self._act(CENTRE, current, move):
                    break
                self._follow()
                current = self._orders.get(current.id)
                if centre_rules.pauses(rng):
                    break
        if self._by_state.get("served"):  # what the backend did not verify itself
            for order_id, version, verdict in self.backend.verification_queue(CENTRE):
                approve = centre_rules.verification_choice(verdict, rng)
                if approve is not None:
                    self._wrote = True
                    outcome = self.backend.decide_verification(
                        CENTRE, order_id, version, approve,
                        centre_rules.verification_reason(approve))
                    self._count("verification_" + ("approve" if approve else "reject"),
                                outcome)
        if self._by_state.get("frozen"):  # complaints wait for a supervisor's ruling
            if await self.followups.rule(self._judge, self.tally, now):
                self._wrote = True

    async def _agent_turn(self, _: object) -> None:
        self.agenda.put(self._awake_after(AGENT_TURN), "agent")
        if not self._at_work():
            return
        if self.backend.waiting_for_person():
            self._wrote = True
            try:
                await self._agent.work(self.backend.desk, self.tally, self._now())
            except SimulatorError as exc:
                log.warning("the stand-in agent's turn failed: %s", exc)
        if self.backend.followups_due():  # then a few follow-up calls
            self._wrote = True
            await self.followups.call(self.backend.desk, self.tally)

    async def _hunt_turn(self, _: object) -> None:
        """Some technicians open the grab pool and claim what they like (GrabHunt's rules)."""
        self.agenda.put(self._awake_after(HUNT_TURN), "hunt")
        if not self._at_work() or not self.backend.open_offers():
            return
        if not self._roster:
            self._roster = self.backend.roster()
        backend, tally = self.backend, self.tally
        for technician_id in self._hunt.lookers(self._roster):
            offer = self._hunt.pick(backend.offers(technician_id))
            if offer is None:
                continue
            self._wrote = True
            status = backend.claim(technician_id, offer["order_id"], offer.get("version"))
            if status == 200:
                tally.actions["claim"] += 1
            elif status in LOST:
                tally.claims_lost += 1
            else:
                tally.rejected += 1

    # -- helpers
    def _act(self, actor: Actor, order: OrderNow, move: Move) -> bool:
        return self._count(move.action, self.backend.act(
            actor, order.id, order.version, move.action, move.reason, **move.fields))

    def _count(self, action: str, outcome: str) -> bool:
        """Tally a step's outcome ('ok', 'stale', 'refused'); whether it was taken."""
        self._wrote = True
        if outcome == "ok":
            self.tally.actions[action] += 1
        elif outcome == "stale":
            self.tally.conflicts += 1  # someone moved it first: the next look sees it as now
        else:
            self.tally.rejected += 1
        return outcome == "ok"

    def _at_work(self) -> bool:
        hour = self._now().astimezone(SHANGHAI).hour
        return WORKDAY_START <= hour < WORKDAY_END

    def _awake_after(self, gap: timedelta) -> datetime:
        return awake(self._now() + gap, self._rng.uniform(0, MORNING_SPREAD_MINUTES))
