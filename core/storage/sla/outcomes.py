"""How each finished run of a step ended: one row per order/step/run, recorded once when the
run stops (refresh_deadlines finds the stop in the order's events, in the same transaction),
with the region, service type, technician and service point at the time, the deadline it had,
on time or the time over in the limit's clock. The deadline rows of a stopped run are deleted
(unrecorded) or closed; this is the history on-time rates and exports read.

A run stopped without ever reaching a stop event (a cancelled order) has no outcome, nor does a
run without a deadline (an end-of-day limit with no agreed day).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    case,
    func,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.sla.calendar import BusinessCalendar
from core.sla.limits import EffectiveLimits
from core.sla.step_runs import ClosedRun, outcome_of
from core.storage.tables import Base, OrderRecord, ServicePointRecord, TechnicianRecord
from core.storage.types import BigId, UTCDateTime


class SlaOutcomeRecord(Base):
    """One finished run of a step of an order, against its deadline."""

    __tablename__ = "sla_outcomes"
    __table_args__ = (
        UniqueConstraint("order_id", "step", "run", name="uq_sla_outcomes_order_step_run"),
        Index("ix_sla_outcomes_day_step", "day", "step"),
        Index("ix_sla_outcomes_day_county", "day", "county_adcode"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("orders.id"))
    step: Mapped[str] = mapped_column(String(16))
    run: Mapped[int] = mapped_column(Integer)
    county_adcode: Mapped[str] = mapped_column(String(6))
    service_type: Mapped[str] = mapped_column(String(16))
    technician_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    service_point_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due: Mapped[datetime] = mapped_column(UTCDateTime)
    stopped_at: Mapped[datetime] = mapped_column(UTCDateTime)
    day: Mapped[date] = mapped_column(Date)  # the stop's day in the limits' time zone
    clock: Mapped[str] = mapped_column(String(8))
    on_time: Mapped[bool] = mapped_column(Boolean)
    over_us: Mapped[int] = mapped_column(BigInteger)  # time over the deadline, microseconds


@dataclass(frozen=True)
class Finished:
    """A stopped run found in an order's events, with what its outcome is measured by."""

    order_id: int
    county: str
    service_type: str
    technician_id: int | None
    run: ClosedRun
    limits: EffectiveLimits
    calendar: BusinessCalendar
    agreed: date | None


def record_finished(session: Session, finished: Sequence[Finished],
                    dues: dict[tuple[int, str, int], datetime]) -> int:
    """Record the outcome of each finished run not recorded yet (`dues`: the deadline its
    alert rows had, by order/step/run). Twice is once (the unique key). Returns how many."""
    if not finished:
        return 0
    O = SlaOutcomeRecord  # noqa: E741
    keys = {(f.order_id, f.run.step.value, f.run.run) for f in finished}
    known = {tuple(r) for r in session.execute(select(O.order_id, O.step, O.run).where(
        O.order_id.in_({k[0] for k in keys})))}
    new = [f for f in finished if (f.order_id, f.run.step.value, f.run.run) not in known]
    techs = {f.technician_id for f in new if f.technician_id is not None}
    points = dict(session.execute(
        select(TechnicianRecord.id, TechnicianRecord.service_point_id)
        .where(TechnicianRecord.id.in_(techs))).all()) if techs else {}
    values = []
    for f in new:
        key = (f.order_id, f.run.step.value, f.run.run)
        found = outcome_of(f.run, f.limits, f.calendar, f.agreed, dues.get(key))
        if found is None:
            continue
        values.append({
            "order_id": f.order_id, "step": f.run.step.value, "run": f.run.run,
            "county_adcode": f.county, "service_type": f.service_type,
            "technician_id": f.technician_id,
            "service_point_id": points.get(f.technician_id) if f.technician_id else None,
            "started_at": f.run.started_at, "due": found.due, "stopped_at": f.run.stopped_at,
            "day": f.run.stopped_at.astimezone(f.limits.working_day.tz).date(),
            "clock": found.clock.value, "on_time": found.on_time,
            "over_us": found.over // timedelta(microseconds=1)})
    if values:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        session.execute(dialect.insert(O).values(values).on_conflict_do_nothing())
    return len(values)


Counts = dict[str, tuple[int, int]]  # key -> (finished, on time)
BY = ("day", "county", "step", "service_point", "technician")


def on_time_counts(session: Session, by: str, first: date, last: date, prefix: str = "",
                   step: str | None = None) -> Counts:
    """Finished runs and those on time per `by` (a BY word) over the days first..last (the
    stop's day), optionally in a region (adcode prefix) and one step. Aggregated in SQL."""
    O = SlaOutcomeRecord  # noqa: E741
    column = {"day": O.day, "county": O.county_adcode, "step": O.step,
              "service_point": O.service_point_id, "technician": O.technician_id}[by]
    on_time = func.sum(case((O.on_time.is_(True), 1), else_=0))
    query = (select(column, func.count(), on_time)
             .where(O.day >= first, O.day <= last).group_by(column))
    if prefix:
        query = query.where(O.county_adcode.startswith(prefix))
    if step is not None:
        query = query.where(O.step == step)
    return {_key(k): (int(n), int(ok or 0)) for k, n, ok in session.execute(query)}


def _key(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def on_time_per_step(session: Session, since: datetime, until: datetime) -> Counts:
    """Finished runs and those on time per step, of the runs that stopped in [since, until)
    (the simulation's report)."""
    O = SlaOutcomeRecord  # noqa: E741
    on_time = func.sum(case((O.on_time.is_(True), 1), else_=0))
    query = (select(O.step, func.count(), on_time)
             .where(O.stopped_at >= since, O.stopped_at < until).group_by(O.step))
    return {k: (int(n), int(ok or 0)) for k, n, ok in session.execute(query)}


def count_outcomes(session: Session, first: date, last: date, prefix: str = "") -> int:
    O = SlaOutcomeRecord  # noqa: E741
    query = select(func.count()).where(O.day >= first, O.day <= last)
    if prefix:
        query = query.where(O.county_adcode.startswith(prefix))
    return int(session.scalar(query) or 0)


def outcome_rows(session: Session, first: date, last: date,
                 prefix: str = "") -> Iterator[Sequence[Any]]:
    """The finished runs of days first..last with their order's number, technician's and
    service point's names, by stop time, streamed from the database in batches."""
    O, T, P = SlaOutcomeRecord, TechnicianRecord, ServicePointRecord  # noqa: E741
    query = (select(OrderRecord.order_no, O.step, O.run, O.county_adcode, O.service_type,
                    T.name, P.name, O.started_at, O.due, O.stopped_at, O.clock, O.on_time,
                    O.over_us)
             .join(OrderRecord, OrderRecord.id == O.order_id)
             .outerjoin(T, T.id == O.technician_id)
             .outerjoin(P, P.id == O.service_point_id)
             .where(O.day >= first, O.day <= last)
             .order_by(O.stopped_at, O.id).execution_options(yield_per=2000))
    if prefix:
        query = query.where(O.county_adcode.startswith(prefix))
    yield from session.execute(query)
