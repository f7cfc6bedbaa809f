"""The demo backlog's past: each order walked through the order rules by the people who would.

Every step goes through ServiceOrder.perform (the API's code path), so the timeline is one the
rules allow: intake and the dispatcher (the backend itself) take the automatic steps, the agent
manual dispatch, the assigned technician their own fieldwork, agent and supervisor the desk
checks, finance the money.
"""

from __future__ import annotations

import copy
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from core.contracts.orders import OrderCreate
from core.demo import wording
from core.demo.backlog import plan_backlog
from core.demo.clock import APPOINTMENT_LENGTH, awake, slots_after
from core.demo.dataset import DemoTechnician
from core.geo.distance import haversine_km
from core.geo.regions import load_regions
from core.orders.lifecycle import DispatchMode, OrderState, Role, ServiceType
from core.orders.model import Actor, OrderItem, ServiceOrder

S = OrderState
# The backend's own actors, as core.storage's intake steps and dispatch round name them.
INTAKE = Actor("intake", Role.SYSTEM)
DISPATCHER = Actor("dispatcher", Role.SYSTEM)
AGENT = Actor("agent", Role.AGENT)
SUPERVISOR = Actor("supervisor", Role.SUPERVISOR)
FINANCE = Actor("finance", Role.FINANCE)
# The main road through the lifecycle; an order's target is a stop on it.
LADDER = (S.NEW, S.AUDITED, S.PLACED, S.CLASSIFIED, S.DISPATCHING, S.ASSIGNED, S.ACCEPTED,
          S.APPOINTED, S.CHECKED_IN, S.SERVED, S.VERIFIED, S.IN_REVIEW, S.SETTLEABLE, S.SETTLED,
          S.CLOSED)
BUSY = frozenset({S.ASSIGNED, S.ACCEPTED, S.APPOINTED, S.CHECKED_IN})
# A walk that would end after now is tried again at a quicker pace, then with a nearer target.
TEMPOS = (1.0, 0.5, 0.25, 0.1)
MARGIN = timedelta(minutes=1)
LEAD = timedelta(hours=1)  # nobody books a visit for the coming hour
REFUSE_SHARE, REAPPOINT_SHARE, AUTO_SHARE = 0.08, 0.05, 0.6
# One order in this many, among the settled aircon ones, comes back as an after-sales request.
AFTER_SALES_EVERY = 150

Numbering = Callable[[datetime], str]


@dataclass(frozen=True)
class Hand:
    """A demo technician with the id the database gave them."""

    id: int
    profile: DemoTechnician

    @property
    def actor(self) -> Actor:
        return Actor(self.profile.username, Role.TECHNICIAN, self.id)


@dataclass(frozen=True)
class History:
    orders: list[ServiceOrder]  # the backlog, oldest first, each with all its events
    after_sales: list[tuple[int, ServiceOrder]]  # (index of the original in orders, new order)
    # Orders meant to wait in review, left verified: (index in orders, when the review began).
    # Seeding begins their review periods through core.services.fieldwork.review_period, the
    # one step after a verification (the period, and the follow-up call sampling picks).
    reviews: list[tuple[int, datetime]] = field(default_factory=list)


class _TooLate(Exception):
    """The walk would reach its target only after now."""


class _Unstaffed(Exception):
    """No technician in the city has the skills (and room) for the order."""


def receive(create: OrderCreate, at: datetime, order_no: str) -> ServiceOrder:
    """A demo order as the centre receives it from its platform."""
    fields = create.model_dump(exclude={"items"})
    county = load_regions().get(create.county_adcode) if create.county_adcode else None
    return ServiceOrder.receive(
        INTAKE, at, wording.RECEIVED, order_no=order_no,
        items=[OrderItem(i.sku, i.name, i.quantity, i.unit_price_fen) for i in create.items],
        county_name=county.name if county else "", **fields,
    )


def play(
    orders: Sequence[OrderCreate], staff: Sequence[Hand], now: datetime, seed: int,
    number: Numbering,
) -> History:
    """The backlog received over the last days and walked up to now; the same for a seed."""
    rng = random.Random(seed * 7919 + 2)
    walker = _Walker(staff, now, rng)
    played = [
        walker.walk(receive(create, plan.created_at, number(plan.created_at)), plan.target)
        for create, plan in zip(orders, plan_backlog(len(orders), now, rng), strict=True)
    ]
    reviews = [(i, walker.reviews[id(o)]) for i, o in enumerate(played) if id(o) in walker.reviews]
    return History(played, walker.after_sales(played, number, len(orders) // AFTER_SALES_EVERY),
                   sorted(reviews, key=lambda review: review[1]))


class _Walker:
    def __init__(self, staff: Sequence[Hand], now: datetime, rng: random.Random) -> None:
        self.staff, self.now, self.rng = staff, now, rng
        self.load: Counter[int] = Counter()  # open field work each technician ends up with
        self._cities: dict[str, str] = {}
        self.at, self.tempo = now, 1.0
        self.reviews: dict[int, datetime] = {}  # id() of a walked order -> its review's start

    def walk(self, received: ServiceOrder, target: OrderState) -> ServiceOrder:
        while True:
            for tempo in TEMPOS:
                order = copy.deepcopy(received)
                try:
                    self._attempt(order, target, tempo)
                except _TooLate:
                    continue
                except _Unstaffed:
                    target = S.DISPATCHING
                    break
                if order.state in BUSY and order.technician_id is not None:
                    self.load[order.technician_id] += 1
                return order
            else:
                target = LADDER[LADDER.index(target) - 1] if target in LADDER else S.DISPATCHING

    def after_sales(
        self, played: list[ServiceOrder], number: Numbering, count: int
    ) -> list[tuple[int, ServiceOrder]]:
        rng = self.rng
        done = [i for i, o in enumerate(played)
                if o.state in (S.SETTLED, S.CLOSED) and "aircon" in o.skills]
        opened = []
        for i in sorted(rng.sample(done, min(count, len(done)))):
            parent = played[i]
            last = parent.pending_events[-1].at
            at = last + (self.now - MARGIN - last) * rng.uniform(0.3, 0.9)
            child = parent.open_after_sales(AGENT, at, wording.AFTER_SALES, number(at))
            opened.append((i, child))
        return opened

    # -- one try at walking an order to its target
    def _attempt(self, order: ServiceOrder, target: OrderState, tempo: float) -> None:
        rng = self.rng
        self.at, self.tempo = order.created_at, tempo
        ending: OrderState | None = None
        if target is S.CANCELLED:
            ending, target = target, rng.choice(
                (S.CLASSIFIED, S.DISPATCHING, S.ASSIGNED, S.ACCEPTED, S.APPOINTED))
        elif target is S.FROZEN:
            ending, target = target, rng.choice((S.ACCEPTED, S.APPOINTED, S.APPOINTED))
        # Orders still in the pool mostly wait for an agent; automatic ones were refused once.
        auto = rng.random() < (0.3 if target is S.DISPATCHING else AUTO_SHARE)
        for state in LADDER[1:LADDER.index(target) + 1]:
            self._reach(order, state, target, auto)
        if target is S.DISPATCHING and auto:
            self._refused_once(order)
        if ending is S.CANCELLED:
            self._act(order, AGENT, "cancel", wording.CANCELLED, self._later(20, 600))
        elif ending is S.FROZEN:
            desk = rng.choice((AGENT, SUPERVISOR))
            self._act(order, desk, "freeze", wording.FROZEN, self._later(20, 600))

    def _reach(self, order: ServiceOrder, state: OrderState, target: OrderState,
               auto: bool) -> None:
        rng, tech = self.rng, self._hand(order)
        if state is S.AUDITED:
            self._act(order, INTAKE, "audit", wording.SYSTEM_STEPS["audit"],
                      self._later(2, 30, human=False))
        elif state is S.PLACED:
            self._act(order, INTAKE, "place", wording.SYSTEM_STEPS["place"],
                      self._later(1, 8, human=False), county_adcode=order.county_adcode,
                      county_name=order.county_name)
        elif state is S.CLASSIFIED:
            kind = (order.service_type or ServiceType.INSTALL).value
            self._act(order, INTAKE, "classify", wording.SYSTEM_STEPS["classify"],
                      self._later(1, 8, human=False), service_type=kind)
        elif state is S.DISPATCHING:
            self._act(order, DISPATCHER, "open_dispatch", wording.SYSTEM_STEPS["open_dispatch"],
                      self._later(1, 15, human=False), mode=DispatchMode.AUTO.value)
            if not auto:
                # The others reached a person the way the dispatcher sends them: with why.
                code, why = rng.choice(wording.BACKLOG_ESCALATIONS)
                self._act(order, DISPATCHER, "escalate", why, self._later(5, 35, human=False),
                          mode=DispatchMode.MANUAL.value, code=code)
        elif state is S.ASSIGNED:
            first = self._assign(order, auto, target in BUSY, exclude=set())
            if rng.random() < REFUSE_SHARE:
                self._refuse(order, first)
                self._assign(order, auto, target in BUSY, exclude={first.id})
        elif state is S.ACCEPTED:
            self._act(order, tech.actor, "accept", wording.ACCEPTED, self._later(5, 90))
        elif state is S.APPOINTED:
            self._appoint(order, tech, target)
        elif state is S.CHECKED_IN:
            assert order.appointment_start is not None
            at = max(order.appointment_start + timedelta(minutes=rng.uniform(-10, 30)),
                     self.at + timedelta(minutes=5))
            self._act(order, tech.actor, "check_in", wording.CHECKED_IN, at)
        elif state is S.SERVED:
            at = self.at + timedelta(minutes=rng.uniform(40, 150))
            self._act(order, tech.actor, "complete", wording.COMPLETED, at)
        elif state is S.IN_REVIEW and target is S.IN_REVIEW:
            # Still in review now: its period is begun when seeded (History.reviews).
            at = self._later(20, 240)
            if at > self.now - MARGIN:
                raise _TooLate
            self.reviews[id(order)] = at
        else:
            self._desk_step(order, state)

    def _desk_step(self, order: ServiceOrder, state: OrderState) -> None:
        desk = self.rng.choice((AGENT, SUPERVISOR))
        steps: dict[OrderState, tuple[Actor, str, str, float, float]] = {
            S.VERIFIED: (desk, "verify", wording.VERIFIED, 30, 360),
            S.IN_REVIEW: (desk, "start_review", wording.REVIEW_STARTED, 20, 240),
            S.SETTLEABLE: (SUPERVISOR, "pass_review", wording.REVIEW_PASSED, 30, 480),
            S.SETTLED: (FINANCE, "settle", wording.SETTLED, 60, 720),
            S.CLOSED: (FINANCE, "close", wording.CLOSED, 10, 180),
        }
        actor, action, reason, low, high = steps[state]
        self._act(order, actor, action, reason, self._later(low, high))

    def _assign(self, order: ServiceOrder, auto: bool, stays: bool, exclude: set[int]) -> Hand:
        """Hand the order to a close technician with the skills; `stays`: they keep it open."""
        city = self._city_of(order.county_adcode or "")
        needed = set(order.skills)
        pool = [
            h for h in self.staff
            if h.id not in exclude and self._city_of(h.profile.county_adcode) == city
            and needed <= set(h.profile.skills)
            # Leave a free slot each, so agents (and the simulator) can still assign today.
            and (not stays or self.load[h.id] < h.profile.daily_capacity - 1)
        ]
        if not pool:
            raise _Unstaffed
        ranked = sorted(pool, key=lambda h: (self._km(order, h) + 3 * self.load[h.id], h.id))
        hand = self.rng.choice(ranked[:3])
        km = self._km(order, hand)
        if auto:
            actor, at = DISPATCHER, self._later(2, 20, human=False)
            reason = (f"自动派单：技能与区域匹配，距师傅住处 {km:.1f} 公里 (automatic dispatch: "
                      f"skills and region match, {km:.1f} km from the technician's home)")
        else:
            actor, at = AGENT, self._later(15, 240)
            reason = f"人工派单：{hand.profile.name}师傅技能匹配，距住处 {km:.1f} 公里"
        self._act(order, actor, "assign", reason, at, technician_id=hand.id,
                  technician_name=hand.profile.name)
        return hand

    def _refuse(self, order: ServiceOrder, hand: Hand) -> None:
        reason = self.rng.choice(wording.REFUSE_REASONS)
        self._act(order, hand.actor, "refuse", reason, self._later(5, 60))

    def _refused_once(self, order: ServiceOrder) -> None:
        try:
            first = self._assign(order, True, False, exclude=set())
        except _Unstaffed:
            return  # nobody to ask yet: the automatic order simply waits
        self._refuse(order, first)

    def _appoint(self, order: ServiceOrder, tech: Hand, target: OrderState) -> None:
        at = self._later(10, 180)
        if target is S.APPOINTED:
            # Still to come: the visit is booked for after now.
            start = self._pick(slots_after(max(at, self.now) + LEAD))
        elif target is S.CHECKED_IN:
            # Under way: the window began before now and the technician has just arrived.
            started = [s for s in slots_after(at + LEAD) if s <= self.now - timedelta(minutes=5)]
            if not started:
                raise _TooLate
            start = started[-1]
        else:
            start = self._pick(slots_after(at + LEAD))
        self._act(order, tech.actor, "appoint", wording.APPOINTED, at,
                  start=start, end=start + APPOINTMENT_LENGTH)
        if target not in (S.APPOINTED, S.CHECKED_IN) and self.rng.random() < REAPPOINT_SHARE:
            again = self._later(30, 300)
            start = self._pick(slots_after(max(again + LEAD, start + APPOINTMENT_LENGTH)))
            self._act(order, tech.actor, "appoint", wording.REAPPOINTED, again,
                      start=start, end=start + APPOINTMENT_LENGTH)

    # -- helpers
    def _pick(self, slots: list[datetime]) -> datetime:
        """An early slot: the sooner the pace, the nearer the slot."""
        reach = max(1, int(len(slots) * 0.3 * self.tempo))
        return slots[int(self.rng.random() ** 2 * reach)]

    def _later(self, low: float, high: float, *, human: bool = True) -> datetime:
        at = self.at + timedelta(minutes=self.rng.uniform(low, high) * self.tempo)
        morning = self.rng.uniform(0, 90) * self.tempo
        return awake(at, morning) if human else at

    def _act(self, order: ServiceOrder, actor: Actor, action: str, reason: str, at: datetime,
             **args: Any) -> None:
        if at > self.now - MARGIN:
            raise _TooLate
        order.perform(action, actor, at, reason, **args)
        self.at = at

    def _hand(self, order: ServiceOrder) -> Hand:
        return next((h for h in self.staff if h.id == order.technician_id), _NOBODY)

    def _city_of(self, county: str) -> str:
        if county not in self._cities:
            city = load_regions().city_of(county)
            # Unknown codes fall back on the adcode rule, as the candidate ranking does.
            self._cities[county] = city.adcode if city else county[:4]
        return self._cities[county]

    @staticmethod
    def _km(order: ServiceOrder, hand: Hand) -> float:
        if order.lng is None or order.lat is None:
            return 0.0
        return haversine_km(hand.profile.home_lng, hand.profile.home_lat, order.lng, order.lat)


_NOBODY = Hand(0, DemoTechnician("", "", "", "", (), "", "", 0.0, 0.0, 0))
