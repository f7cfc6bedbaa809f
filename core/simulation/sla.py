"""The SLA in the simulated days: the server's rounds (the deadline scan, then the urge round
after a scan that recorded something) and the stand-ins answering urges (core.simulation.urges:
technicians and the supervisor, the demo's rule, through the handlers).

The server scans every second; the day loop here calls `round` every SCAN of simulated time:
each alert is still recorded at its own time, only noticed up to a SCAN later. A round is
skipped while no order changed since the last one (the loop calls `orders_changed`) and the
soonest pending alert is still ahead: it would find nothing, so a quiet night costs no rounds.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from core.demo.acting import StepReport
from core.simulation.backend import Backend
from core.simulation.urges import UrgeStandIns, urge_round

SCAN = timedelta(minutes=1)
URGE_TURN = timedelta(minutes=5)  # people look at their urges every few minutes


class SlaRounds:
    """The deadline scan and the urges of one run on `backend`, until `end`."""

    def __init__(self, backend: Backend, seed: int, end: datetime) -> None:
        self.backend, self.end = backend, end
        self._quiet_until: datetime | None = None  # None: orders changed, scan again
        self._urged_once = False
        self.stand_ins = UrgeStandIns(backend.engine, backend.clock, seed)

    def orders_changed(self) -> None:
        self._quiet_until = None

    def round(self) -> bool:
        """One scan round, the urge round after it when it recorded alerts (and once at the
        start); whether order events were written."""
        now = self.backend.clock.now()
        if self._quiet_until is not None and now < self._quiet_until:
            return False
        wrote = bool(self.backend.scan_deadlines())
        if wrote or not self._urged_once:
            self._urged_once = True
            # Urges are on the timelines; a breach of the accept step may take the order back.
            wrote = urge_round(self.backend.engine, self.backend.clock) > 0 or wrote
        self._quiet_until = self.backend.next_alert_at() or self.end
        return wrote

    async def answer(self, report: StepReport) -> bool:
        """The technicians and the supervisor answer what urges they will now; any answered."""
        return await self.stand_ins.turn(report) > 0
