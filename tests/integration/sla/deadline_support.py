"""What the SLA deadline tests share: an order of the tiny world moved through its steps at
given times, and the scan on a simulated clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from core.clock import SimulatedClock
from core.orders.lifecycle import Role
from core.orders.model import Actor
from core.services.sla.deadlines import RecordedAlert, ScanDeadlines, handle_scan_deadlines
from core.storage.sla.deadlines import SLA_EVENT, SlaDeadlineRecord
from core.storage.tables import OrderEventRecord
from core.storage.uow import UnitOfWork

BJ = ZoneInfo("Asia/Shanghai")
DESK = Actor("agent", Role.AGENT)
CHAOYANG = "110105"
OPEN_DISPATCH = [("audit", {}), ("place", {"county_adcode": CHAOYANG}),
                 ("classify", {"service_type": "install"}), ("open_dispatch", {})]


def t(hour: int, minute: int = 0, second: int = 0, day: int = 2) -> datetime:
    """A time on Monday 2 March 2026 (or `day`), Beijing."""
    return datetime(2026, 3, day, hour, minute, second, tzinfo=BJ)


def perform(engine: Engine, order_id: int, when: datetime,
            steps: list[tuple[str, dict[str, Any]]]) -> None:
    """Order changes through the unit of work, as every handler makes them."""
    with UnitOfWork(engine) as uow:
        order = uow.orders.get(order_id)
        assert order is not None
        for action, args in steps:
            order.perform(action, DESK, when, "test", **args)
        uow.orders.save(order)
        uow.commit()


def rows(engine: Engine, order_id: int) -> dict[tuple[str, int, str], SlaDeadlineRecord]:
    with Session(engine) as session:
        found = session.scalars(select(SlaDeadlineRecord)
                                .where(SlaDeadlineRecord.order_id == order_id)).all()
    return {(r.step, r.run, r.level): r for r in found}


def scan(engine: Engine, clock: SimulatedClock) -> list[RecordedAlert]:
    return handle_scan_deadlines(ScanDeadlines(), UnitOfWork(engine, clock=clock))


def alert_events(engine: Engine, order_id: int) -> list[OrderEventRecord]:
    with Session(engine) as session:
        return list(session.scalars(
            select(OrderEventRecord).where(OrderEventRecord.order_id == order_id,
                                           OrderEventRecord.kind == SLA_EVENT)
            .order_by(OrderEventRecord.seq)))
