"""SLA deadlines over HTTP: the open warnings and breaches by deadline (agents and
supervisors; filters by region, step and level; keyset pages: `after` the last one's
cursor), and one order's deadlines (desk roles)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from core.contracts.sla_deadlines import AlertOut, DeadlineOut
from core.orders.lifecycle import Role
from core.server.deps import CurrentUser, DbSession, Now, allow
from core.server.params import RowId
from core.server.problems import PROBLEM_RESPONSES
from core.services.sla.deadlines import (
    AlertFilter,
    alert_cursor,
    handle_open_alerts,
    handle_order_deadlines,
)
from core.sla.limit_types import STEP_WORDS, Step
from core.text import both

router = APIRouter(prefix="/v1", tags=["SLA deadlines"])
AlertReader = Annotated[CurrentUser, Depends(allow(Role.AGENT, Role.SUPERVISOR, Role.ADMIN))]


def _step_name(step: str) -> str:
    zh, en = STEP_WORDS[Step(step)]
    return both(zh, en)


@router.get("/sla/alerts", response_model=list[AlertOut], responses=PROBLEM_RESPONSES)
def list_alerts(
    user: AlertReader, session: DbSession, now: Now,
    region: Annotated[str | None, Query(max_length=7, description="default or an adcode")] = None,
    step: Annotated[str | None, Query(max_length=16)] = None,
    level: Annotated[str | None, Query(max_length=8, description="notice|warning|severe")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
    after: Annotated[str | None, Query(max_length=80,
                                       description="the last alert's cursor")] = None,
) -> list[AlertOut]:
    found = handle_open_alerts(AlertFilter(region, step, level, limit, after), session, now)
    return [AlertOut(order_id=a.row.order_id, order_no=a.order_no,
                     county_adcode=a.row.county_adcode, county_name=a.county_name,
                     service_type=a.row.service_type,
                     step=a.row.step, step_name=_step_name(a.row.step), run=a.row.run,
                     level=a.row.level, cursor=alert_cursor(a.row),
                     at=a.row.at, due=a.row.due, platform_due=a.row.platform_due,
                     clock=a.row.clock,
                     recorded_at=a.row.recorded_at, time_left=a.left) for a in found]


@router.get("/orders/{order_id}/deadlines", response_model=list[DeadlineOut],
            responses=PROBLEM_RESPONSES)
def order_deadlines(order_id: RowId,
                    user: AlertReader, session: DbSession, now: Now) -> list[DeadlineOut]:
    return [DeadlineOut(step=r.step, step_name=_step_name(r.step), run=r.run, level=r.level,
                        at=r.at, due=r.due, platform_due=r.platform_due,
                        started_at=r.started_at, clock=r.clock,
                        open=r.open, recorded_at=r.recorded_at, time_left=left)
            for r, left in handle_order_deadlines(order_id, session, now)]
