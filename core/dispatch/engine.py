"""One dispatch round, planned: open, escalate, take back, offer and assign (pure, no SQL).

`plan(snapshot)` looks at every order the round may act on, in this order:
  classified  -> open dispatch in the region's first mode, or as manual when a rule wants a
                 person (uncovered region, after-sales, a tag the policy escalates);
  assigned past accept_by -> take back (code timeout) to the same stage with that technician
                 excluded; to a person when pinned or refused/timed out max_refusals times;
  dispatching -> auto: into the batch; grab: offered, or escalated when the offer ran out;
                 refused too often or newly tagged for a person: to manual.
Then one min-cost flow places the whole auto batch (core.dispatch.central). Orders nobody may
take go to manual (no_eligible, with the rule that excluded everyone); orders whose eligible
technicians are full wait until the auto stage's minutes pass, then move on (central_exhausted).
"""

from __future__ import annotations

from dataclasses import replace

from core.dispatch import central, escalation
from core.dispatch import round_reasons as words
from core.dispatch.round_model import (
    CENTRAL_EXHAUSTED,
    NO_ELIGIBLE,
    POLICY,
    REFUSED_TOO_OFTEN,
    Assign,
    Decision,
    Escalate,
    OpenDispatch,
    Plan,
    Snapshot,
    WaitingOrder,
    Withdraw,
)
from core.orders.lifecycle import DispatchMode, OrderState
from core.sla.deadlines import reply_due


class _Round:
    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.now = snapshot.now
        self.plan = Plan()
        self.batch: list[WaitingOrder] = []
        self.cities = {t.city for t in snapshot.technicians}
        self.names = {t.id: t.name for t in snapshot.technicians}

    def add(self, *decisions: Decision) -> None:
        self.plan.decisions.extend(decisions)

    def enter(self, order: WaitingOrder, mode: DispatchMode, excluded: frozenset[int]) -> None:
        """The order is now dispatching in `mode` since now: auto orders join the batch."""
        if mode is DispatchMode.AUTO:
            self.batch.append(replace(order, state=OrderState.DISPATCHING, mode=mode,
                                      dispatch_since=self.now, technician_id=None,
                                      pinned=False, excluded=excluded))

    def open(self, order: WaitingOrder) -> None:
        policy = self.snapshot.policy(order.county)
        rule = escalation.open_rule(order, policy, self.snapshot.covered.get(order.county),
                                    order.city in self.cities)
        if rule is not None:
            code, reason = rule
            self.add(OpenDispatch(order.id, DispatchMode.MANUAL, reason, code))
            return
        first = policy.stages[0]
        code = POLICY if first.mode is DispatchMode.MANUAL else ""
        self.add(OpenDispatch(order.id, first.mode, words.open_mode(first.mode, first.minutes),
                              code))
        self.enter(order, first.mode, order.excluded)

    def take_back(self, order: WaitingOrder) -> None:
        policy = self.snapshot.policy(order.county)
        tech = order.technician_id
        name = self.names.get(tech, f"#{tech}") if tech is not None else ""
        decisions = escalation.timed_out(order, policy, name)
        self.add(*decisions)
        last = decisions[-1]
        if isinstance(last, Withdraw) and last.mode is not DispatchMode.MANUAL:
            excluded = order.excluded | ({tech} if tech is not None else set())
            self.enter(order, last.mode or DispatchMode.AUTO, frozenset(excluded))

    def waiting(self, order: WaitingOrder) -> None:
        policy = self.snapshot.policy(order.county)
        mode = order.mode or DispatchMode.AUTO
        if mode is DispatchMode.MANUAL:
            return
        if escalation.refused_too_often(order, policy):
            self.add(Escalate(order.id, DispatchMode.MANUAL, REFUSED_TOO_OFTEN,
                              words.refused_too_often(order.refusals)))
            return
        rule = escalation.person_rule(order, policy)
        if rule is not None:  # marked urgent, VIP, ... after dispatch began
            self.add(Escalate(order.id, DispatchMode.MANUAL, rule[0], rule[1]))
            return
        if mode is DispatchMode.GRAB:
            decisions = escalation.grab_due(order, policy, self.now)
            self.add(*decisions)
            if decisions and isinstance(decisions[0], Escalate):
                self.enter(order, decisions[0].mode, order.excluded)
            return
        self.batch.append(order)

    def place(self) -> None:
        result = central.place(self.batch, self.snapshot)
        self.plan.cost = result.cost
        for placed in result.placed:
            policy = self.snapshot.policy(placed.order.county)
            self.add(Assign(placed.order.id, placed.tech.id, placed.tech.name,
                            reply_due(self.now, policy.accept_minutes),
                            placed.terms, placed.reason))
        for left in result.unplaced:
            order, policy = left.order, self.snapshot.policy(left.order.county)
            if not left.eligible:
                self.add(Escalate(order.id, DispatchMode.MANUAL, NO_ELIGIBLE,
                                  words.no_eligible(left.reason)))
                continue
            stage = policy.stage_of(DispatchMode.AUTO)
            ends = escalation.deadline(order.dispatch_since, stage)
            if ends is None or self.now < ends:
                self.plan.waiting += 1
                continue
            nxt = escalation.following(policy, DispatchMode.AUTO)
            self.add(Escalate(order.id, nxt.mode, CENTRAL_EXHAUSTED,
                              words.central_exhausted(stage.minutes if stage else None,
                                                      left.reason, nxt.mode)))


def plan(snapshot: Snapshot) -> Plan:
    """The round's decisions; per order they are listed in the order they must be applied."""
    work = _Round(snapshot)
    for order in sorted(snapshot.orders, key=lambda o: o.id):
        if order.state is OrderState.CLASSIFIED:
            work.open(order)
        elif order.state is OrderState.ASSIGNED:
            if order.accept_by is not None and order.accept_by <= snapshot.now:
                work.take_back(order)
        elif order.state is OrderState.DISPATCHING:
            work.waiting(order)
    work.place()
    return work.plan
