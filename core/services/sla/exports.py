"""Exports of a period's finished runs (core.storage.sla.outcomes): CSV in UTF-8 with a BOM
(Excel opens it as UTF-8) streamed in chunks, and Excel written by xlsxwriter in constant-memory
mode (a row at a time to a temporary file). A period is at most MAX_EXPORT_DAYS days and
MAX_EXPORT_ROWS rows (an Excel sheet holds 1,048,576): larger asks are refused before anything
is sent, naming the field."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import xlsxwriter
from sqlalchemy.orm import Session

from core.errors import Invalid
from core.services.sla.board import Period, step_label
from core.services.sla.deadlines import region_filter, say_left
from core.sla.calendar import BEIJING_TIME
from core.storage.sla import outcomes
from core.storage.uow import UnitOfWork

MAX_EXPORT_DAYS = 92
MAX_EXPORT_ROWS = 1_000_000
BOM = "\ufeff"
_BEIJING = ZoneInfo(BEIJING_TIME)
HEADER = ("工单号 (order no)", "环节 (step)", "轮次 (run)", "区县 (county)",
          "服务类型 (service type)", "师傅 (technician)", "服务网点 (service point)",
          "开始 (started)", "截止 (due)", "结束 (stopped)", "计时 (clock)",
          "按时 (on time)", "超时 (time over)", "超时秒数 (seconds over)")


@dataclass(frozen=True)
class ExportQuery:
    period: Period
    region: str | None = None


def check_export(q: ExportQuery, session: Session) -> int:
    """How many rows the export holds; Invalid when the period or the rows are too many."""
    q.period.check(MAX_EXPORT_DAYS)
    most_rows = MAX_EXPORT_ROWS
    found = outcomes.count_outcomes(session, q.period.start, q.period.end,
                                    region_filter(q.region))
    if found > most_rows:
        raise Invalid(f"该时段有 {found} 行，超过 {most_rows} 行上限，请缩短时段 (the period holds "
                      f"{found} rows, more than {most_rows}: choose a shorter one)",
                      loc=("query", "end"))
    return found


def _local(at: datetime) -> str:
    """Beijing time with its offset: what supervisors read, and unambiguous."""
    return at.astimezone(_BEIJING).isoformat()


def _cells(row: Sequence[Any]) -> list[object]:
    (order_no, step, run, county, service_type, tech, point, started, due, stopped, clock,
     on_time, over_us) = row
    over = timedelta(microseconds=over_us)
    return [order_no, step_label(step), run, county, service_type, tech or "", point or "",
            _local(started), _local(due), _local(stopped), clock,
            "是 (yes)" if on_time else "否 (no)", say_left(-over) if over else "",
            over_us / 1_000_000]


def _rows(q: ExportQuery, session: Session) -> Iterator[list[object]]:
    for row in outcomes.outcome_rows(session, q.period.start, q.period.end,
                                     region_filter(q.region)):
        yield _cells(row)


def export_csv(q: ExportQuery, uow: UnitOfWork, chunk: int = 1000) -> Iterator[bytes]:
    """The CSV's bytes, a chunk of rows at a time, from a read session of its own (the
    request's session is closed before the body is sent)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow(HEADER)
    with uow.reads() as session:
        for n, cells in enumerate(_rows(q, session), start=1):
            writer.writerow(cells)
            if n % chunk == 0:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def export_xlsx(q: ExportQuery, uow: UnitOfWork, path: Path) -> int:
    """Write the period's rows to an Excel file at `path` in constant memory; how many."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    try:
        sheet = book.add_worksheet("SLA")
        sheet.write_row(0, 0, HEADER)
        n = 0
        with uow.reads() as session:
            for n, cells in enumerate(_rows(q, session), start=1):
                sheet.write_row(n, 0, cells)
    finally:
        book.close()
    return n
