"""The server's dispatch round as the simulated day runs it: every `dispatch_seconds`, skipped
when it would find nothing new, and at each acceptance deadline, on time; with it the outbox
round (virtual numbers bound and released, the codes' SMS) and the end of review periods."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from core.simulation.events import Agenda
from core.simulation.evidence import Texts
from core.simulation.reads import OrderNow
from core.simulation.steps import Steps

log = logging.getLogger(__name__)
# States whose news a dispatch round acts on: to open, or back in dispatch (refused, withdrawn).
DISPATCH_NEWS = frozenset({"classified", "dispatching"})
# Without such news, a round still runs this often while orders wait in dispatch (stages and
# offers run out with time); acceptance deadlines get a round of their own, on time.
IDLE_ROUND = timedelta(minutes=5)
DEADLINE_SLACK = timedelta(seconds=1)


class DispatchRounds:
    """Decides when a dispatch round runs; `rounds` counts them. Acceptance deadlines go on
    the day's agenda as "deadline" events; `reviewing` says whether the feed last showed an
    order in its review period."""

    def __init__(self, steps: Steps, texts: Texts, agenda: Agenda, start: datetime,
                 reviewing: Callable[[], bool]) -> None:
        self.steps, self.backend, self.texts, self.agenda = steps, steps.backend, texts, agenda
        self._reviewing = reviewing
        self.rounds = 0
        self._news, self._last_round = False, start
        self._deadlines: set[tuple[datetime, int]] = set()
        self._outbox_cursor = 0

    def _now(self) -> datetime:
        return self.backend.clock.now()

    def seen(self, order: OrderNow) -> None:
        """The change feed says this order moved: news for dispatch, or a deadline to keep."""
        if order.state in DISPATCH_NEWS and order.dispatch_mode != "manual":
            self._news = True
        if order.state == "assigned" and order.accept_by is not None:
            at = order.accept_by + DEADLINE_SLACK
            if at > self._now() and (at, order.id) not in self._deadlines:
                self._deadlines.add((at, order.id))
                self.agenda.put(at, "deadline", order.id)

    def tick(self, feed_cursor: int | None) -> None:
        """The dispatcher's regular round, skipped when it would find nothing new: no order
        came to dispatch since the last round, and the last is recent or nothing waits. With
        `feed_cursor` (people at work: the feed is read) the outbox and review-period rounds."""
        now = self._now()
        if feed_cursor is not None and feed_cursor != self._outbox_cursor:
            # The server's outbox round: virtual numbers of orders accepted since are bound,
            # those of orders done or given back released (only when orders moved since).
            self._outbox_cursor = feed_cursor
            self.steps.wrote = True
            self.backend.axb_round()
            self.texts.send_round()  # the codes' SMS, as the same round sends them
        # The same round ends the review periods that ran out: none while no order is in one.
        if (feed_cursor is not None and self._reviewing()
                and self.backend.end_review_periods().settleable):
            self.steps.wrote = True
        if self._news or (now - self._last_round >= IDLE_ROUND
                          and self.backend.dispatch_work()):
            self._round()

    def deadline(self, order: OrderNow | None) -> None:
        """An acceptance deadline: a round withdraws the lapsed assignment on time (none when
        the technician answered, or a round since already did)."""
        now = self._now()
        self._deadlines = {d for d in self._deadlines if d[0] > now}
        if (order is not None and order.state == "assigned" and order.accept_by is not None
                and order.accept_by < now and self._last_round <= order.accept_by):
            self._round()

    def _round(self) -> None:
        self._news, self._last_round = False, self._now()
        self.steps.wrote = True
        report = self.backend.dispatch_round()
        self.rounds += 1
        log.debug("%s %s", self._now().isoformat(), report.summary())
