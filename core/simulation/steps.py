"""The simulated people's steps as the day counts them: taken, stale, refused; and whether any
step since the day last asked may have changed an order (so the change feed is worth reading)."""

from __future__ import annotations

from core.demo.acting import StepReport
from core.demo.crew import Move
from core.orders.model import Actor
from core.simulation.backend import Backend
from core.simulation.reads import OrderNow


class Steps:
    """Sends the people's lifecycle moves through the backend and tallies their outcomes."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.tally = StepReport()
        self.wrote = False  # the day reads and clears it after each event

    def act(self, actor: Actor, order: OrderNow, move: Move) -> bool:
        return self.count(move.action, self.backend.act(
            actor, order.id, order.version, move.action, move.reason, **move.fields))

    def count(self, action: str, outcome: str) -> bool:
        """Tally a step's outcome ('ok', 'stale', 'refused'); whether it was taken."""
        self.wrote = True
        return tally(self.tally, action, outcome)


def tally(report: StepReport, action: str, outcome: str) -> bool:
    """Count a step's outcome ('ok', 'stale', 'refused') in `report`; whether it was taken."""
    if outcome == "ok":
        report.actions[action] += 1
    elif outcome == "stale":
        report.conflicts += 1  # someone moved it first: the next look sees it as now
    else:
        report.rejected += 1
    return outcome == "ok"
