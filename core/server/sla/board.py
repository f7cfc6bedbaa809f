"""The supervisor board over HTTP (supervisors and admins only: agents work single alerts
through /v1/sla/alerts, technicians their own orders): live counts of open warnings and
breaches, on-time rates over a period, and the period's finished runs as CSV (UTF-8 with BOM,
streamed) or Excel (written in constant memory)."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import FileResponse, StreamingResponse
from starlette.background import BackgroundTask

from core.contracts.sla_board import AlertTally, BoardOut, OnTimeOut
from core.orders.lifecycle import Role
from core.server.deps import CurrentUser, DbSession, Now, Uow, allow
from core.server.problems import PROBLEM_RESPONSES
from core.services.sla.board import (
    BoardFilter,
    OnTimeQuery,
    Period,
    Tally,
    handle_board,
    handle_on_time,
)
from core.services.sla.exports import ExportQuery, check_export, export_csv, export_xlsx
from core.sla.limit_types import Level

router = APIRouter(prefix="/v1/sla", tags=["SLA board"])
BoardReader = Annotated[CurrentUser, Depends(allow(Role.SUPERVISOR, Role.ADMIN))]
Region = Annotated[str | None, Query(max_length=7, description="default or an adcode")]
Step = Annotated[str | None, Query(max_length=16)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _tally(t: Tally) -> AlertTally:
    return AlertTally(key=t.key, label=t.label, notice=t.counts[Level.NOTICE],
                      warning=t.counts[Level.WARNING], severe=t.counts[Level.SEVERE])


@router.get("/board", response_model=BoardOut, responses=PROBLEM_RESPONSES)
def board(user: BoardReader, session: DbSession, now: Now, region: Region = None,
          step: Step = None) -> BoardOut:
    found = handle_board(BoardFilter(region, step), session, now)
    return BoardOut(at=found.at, total=_tally(found.total),
                    by_city=[_tally(t) for t in found.by_city],
                    by_county=[_tally(t) for t in found.by_county],
                    by_step=[_tally(t) for t in found.by_step],
                    by_service_point=[_tally(t) for t in found.by_service_point],
                    by_technician=[_tally(t) for t in found.by_technician])


@router.get("/on-time", response_model=list[OnTimeOut], responses=PROBLEM_RESPONSES)
def on_time(user: BoardReader, session: DbSession, start: date, end: date,
            by: Annotated[str, Query(max_length=16)] = "day", region: Region = None,
            step: Step = None) -> list[OnTimeOut]:
    found = handle_on_time(OnTimeQuery(by, Period(start, end), region, step), session)
    return [OnTimeOut(key=r.key, label=r.label, finished=r.finished, on_time=r.on_time,
                      rate=r.rate) for r in found]


def _name(q: ExportQuery, suffix: str) -> str:
    return f"sla-{q.period.start.isoformat()}-{q.period.end.isoformat()}.{suffix}"


@router.get("/export.csv", responses=PROBLEM_RESPONSES,
            response_class=StreamingResponse)
def export_as_csv(user: BoardReader, session: DbSession, uow: Uow, start: date, end: date,
                  region: Region = None) -> StreamingResponse:
    q = ExportQuery(Period(start, end), region)
    check_export(q, session)
    return StreamingResponse(
        export_csv(q, uow), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_name(q, "csv")}"'})


@router.get("/export.xlsx", responses=PROBLEM_RESPONSES, response_class=FileResponse)
def export_as_xlsx(user: BoardReader, session: DbSession, uow: Uow, start: date, end: date,
                   region: Region = None) -> FileResponse:
    q = ExportQuery(Period(start, end), region)
    check_export(q, session)
    with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as handle:
        path = Path(handle.name)
    try:
        export_xlsx(q, uow, path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return FileResponse(path, media_type=XLSX, filename=_name(q, "xlsx"),
                        background=BackgroundTask(path.unlink, missing_ok=True))
