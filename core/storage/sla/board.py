"""The supervisor board's reads, aggregated in SQL: open alerts (recorded, step still running:
open and not pending) counted by the highest level each run reached, per county, step and
technician (ix_sla_deadlines_board covers it: neither the table nor the orders are read), and the
open alerts themselves, the highest level per run, by deadline with keyset paging."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from core.sla.limit_types import Level, Step
from core.storage.sla.deadlines import SlaDeadlineRecord
from core.storage.tables import TechnicianRecord

R = SlaDeadlineRecord
LEVELS = list(Level)  # in rising order: 预警, 警告, 严重


def _rank(level: ColumnElement[str] | InstrumentedAttribute[str]) -> ColumnElement[int]:
    return case(*((level == lv.value, n) for n, lv in enumerate(LEVELS)), else_=0)


def _open_recorded(table: type[SlaDeadlineRecord] = R) -> list[ColumnElement[bool]]:
    # Equalities, not IS TRUE/IS FALSE: PostgreSQL matches only these to the index's columns.
    return [table.open == True, table.pending == False]  # noqa: E712


@dataclass(frozen=True)
class AlertCount:
    """Runs whose highest open alert is `level`, in one county, step and technician."""

    county: str
    step: str
    technician_id: int | None
    level: Level
    runs: int


def alert_counts(session: Session, prefix: str = "",
                 step: Step | None = None) -> list[AlertCount]:
    """The board's counts: one row per county/step/technician/level (never a row per order)."""
    where = _open_recorded()
    if prefix:
        where.append(R.county_adcode.startswith(prefix))
    if step is not None:
        where.append(R.step == step.value)
    runs = (select(func.max(R.county_adcode).label("county"), R.step,
                   func.max(R.technician_id).label("technician_id"),
                   func.max(_rank(R.level)).label("rank"))
            .where(*where).group_by(R.order_id, R.step, R.run).subquery())
    query = (select(runs.c.county, runs.c.step, runs.c.technician_id, runs.c.rank, func.count())
             .group_by(runs.c.county, runs.c.step, runs.c.technician_id, runs.c.rank))
    return [AlertCount(county, s, tech, LEVELS[int(rank)], int(n))
            for county, s, tech, rank, n in session.execute(query)]


def technician_points(session: Session, ids: set[int]) -> dict[int, tuple[str, int | None]]:
    """Each technician's name and service point."""
    if not ids:
        return {}
    T = TechnicianRecord
    return {tid: (name, point) for tid, name, point in session.execute(
        select(T.id, T.name, T.service_point_id).where(T.id.in_(ids)))}


Cursor = tuple[datetime, int, str, int]  # due, order, step, run: the last alert of a page


def alert_page(session: Session, prefix: str = "", step: Step | None = None,
               level: Level | None = None, after: Cursor | None = None,
               limit: int = 500) -> list[SlaDeadlineRecord]:
    """Open alerts, the highest level recorded per run (no higher one of the same run is
    open and recorded), soonest deadline first, the page after `after`."""
    higher = aliased(R)
    where = [*_open_recorded(), ~exists().where(
        higher.order_id == R.order_id, higher.step == R.step, higher.run == R.run,
        *_open_recorded(higher), _rank(higher.level) > _rank(R.level))]
    if prefix:
        where.append(R.county_adcode.startswith(prefix))
    if step is not None:
        where.append(R.step == step.value)
    if level is not None:
        where.append(R.level == level.value)
    if after is not None:
        due, order_id, step_word, run = after
        same_step = and_(R.step == step_word, R.run > run)
        same_order = and_(R.order_id == order_id, or_(R.step > step_word, same_step))
        where.append(or_(R.due > due, and_(R.due == due, or_(R.order_id > order_id,
                                                             same_order))))
    return list(session.scalars(select(R).where(*where)
                                .order_by(R.due, R.order_id, R.step, R.run).limit(limit)))
