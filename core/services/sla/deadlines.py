"""Deadlines on every open order: the scan that records warnings and breaches, the rebuild,
and the reads (open alerts by time left, one order's deadlines).

The rows follow every order change by themselves (UnitOfWork.commit -> refresh_deadlines). A
change of limits marks the scope's open orders stale (handle_set_limits); the scan recomputes
a batch of them each round, and recomputes the orders it is about to alert on, so an alert is
never recorded from a deadline that no longer holds (e.g. a contact attempt, which is not an
order change, stopped the first-contact clock).

The server runs `handle_scan_deadlines` every second (core.server.sla_scan); a simulation
calls it after moving its clock.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import Invalid, NotFound
from core.fieldwork.appointments import SHANGHAI
from core.sla.calendar import BusinessCalendar
from core.sla.limit_types import STEP_WORDS, Clock, Level, Step
from core.sla.step_runs import time_left
from core.storage.sla import board as stored_board
from core.storage.sla import deadlines as stored
from core.storage.sla.deadlines import SlaDeadlineRecord
from core.storage.sla.limits import LimitBook
from core.storage.tables import OrderRecord
from core.storage.uow import UnitOfWork
from core.text import both

log = logging.getLogger(__name__)
LEVEL_NAMES = {"notice": Level.NOTICE, "warning": Level.WARNING, "severe": Level.SEVERE}
LEVEL_WORDS = {Level.NOTICE: "notice", Level.WARNING: "warning", Level.SEVERE: "breach"}


@dataclass(frozen=True)
class ScanDeadlines:
    batch: int = 1000  # alerts recorded per round at most
    stale_batch: int = 500  # orders whose limits changed, recomputed per round


@dataclass(frozen=True)
class RecordedAlert:
    order_id: int
    step: Step
    run: int
    level: Level
    at: datetime
    left: timedelta
    event_seq: int


def left_at(row: SlaDeadlineRecord, at: datetime, book: LimitBook) -> timedelta:
    """The exact time of the row's clock from `at` to its deadline (negative: over), standing
    still over the limits' suspensions."""
    limits = book.limits(row.county_adcode or None, row.service_type or None)
    clock = Clock(row.clock)
    calendar = book.calendar() if clock is Clock.BUSINESS else BusinessCalendar()
    return time_left(at, row.due, clock, calendar, limits.working_day,
                     suspensions=limits.suspensions)


def say_left(left: timedelta) -> str:
    """h:mm:ss[.ffffff] of the time left, or over, in both languages (an export's cell);
    exact."""
    text = str(abs(left)).replace("day", "天").replace("s,", ",")
    return f"剩余 {text} (left)" if left >= timedelta(0) else f"已超时 {text} (over)"


def span_words(span: timedelta) -> tuple[str, str]:
    """A length of time as people say it, Chinese and English: its two largest units, whole
    (1 天 3 小时, 2 h 5 min, 45 s); under a second is 0 秒 / 0 s."""
    seconds = int(abs(span).total_seconds())
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, seconds = divmod(rest, 60)
    units = [(days, "天", "d"), (hours, "小时", "h"), (minutes, "分", "min"), (seconds, "秒", "s")]
    first = next((n for n, (value, _, _) in enumerate(units) if value), len(units) - 1)
    shown = [u for u in units[first:first + 2] if u[0]] or [units[-1]]
    return (" ".join(f"{value} {zh}" for value, zh, _ in shown),
            " ".join(f"{value} {en}" for value, _, en in shown))


def alert_words(row: SlaDeadlineRecord, left: timedelta) -> tuple[str, str]:
    """What an alert says, in Chinese and in English, each whole in its own language: the
    step, the level, the time left (or over) and the deadline in Beijing time (month, day,
    hour and minute: the exact times are the row's and the event's data)."""
    zh, en = STEP_WORDS[Step(row.step)]
    level = Level(row.level)
    span_zh, span_en = span_words(left)
    zh_left, en_left = (f"剩余 {span_zh}", f"{span_en} left") if left >= timedelta(0) else (
        f"已超时 {span_zh}", f"{span_en} over")
    due = row.due.astimezone(SHANGHAI).strftime("%m-%d %H:%M")
    return (f"{zh}{level.value}：{zh_left}，截止 {due}",
            f"{en} {LEVEL_WORDS[level]}: {en_left}, due {due} Beijing time")


def _reason(row: SlaDeadlineRecord, left: timedelta) -> str:
    zh, en = alert_words(row, left)
    return both(zh, en)


def handle_scan_deadlines(cmd: ScanDeadlines, uow: UnitOfWork) -> list[RecordedAlert]:
    """Record every warning and breach whose time has come, once each, on the order's
    timeline at its own time with the exact time left then."""
    with uow:
        now = uow.clock.now()
        stored.refresh_deadlines(uow.session, stored.stale_order_ids(uow.session,
                                                                     cmd.stale_batch))
        due = stored.due_alerts(uow.session, now, cmd.batch)
        if due:  # make sure each still holds before it is told
            stored.refresh_deadlines(uow.session, {r.order_id for r in due})
            due = stored.due_alerts(uow.session, now, cmd.batch)
        claimed = stored.claim_alerts(uow.session, [r.id for r in due], now)
        book = LimitBook(uow.session)
        told: list[stored.Told] = []
        lefts: list[timedelta] = []
        for row in (r for r in due if r.id in claimed):
            left = left_at(row, row.at, book)
            data = {"step": row.step, "run": row.run, "level": row.level,
                    "due": row.due.isoformat(), "started_at": row.started_at.isoformat(),
                    "clock": row.clock, "left_us": left // timedelta(microseconds=1),
                    "left": str(left), "recorded_at": now.isoformat()}
            told.append((row, _reason(row, left), data))
            lefts.append(left)
        seqs = stored.append_alert_events(uow.session, told)
        out = [RecordedAlert(row.order_id, Step(row.step), row.run, Level(row.level), row.at,
                             left, seq)
               for (row, _, _), left, seq in zip(told, lefts, seqs, strict=True)]
        uow.commit()
    if out:
        log.info("SLA: recorded %d warnings and breaches", len(out))
    return out


@dataclass(frozen=True)
class RebuildDeadlines:
    batch: int = 1000


def handle_rebuild_deadlines(cmd: RebuildDeadlines, uow: UnitOfWork) -> int:
    """Recompute every open order's deadlines (after an upgrade, or a seed that wrote events
    directly); a transaction per batch. Returns how many orders."""
    done, after = 0, 0
    while True:
        with uow:
            ids = stored.open_order_ids(uow.session, after, cmd.batch)
            if not ids:
                return done
            stored.refresh_deadlines(uow.session, ids)
            uow.commit()
        done, after = done + len(ids), ids[-1]


@dataclass(frozen=True)
class AlertFilter:
    region: str | None = None  # a region scope: "default" or a known adcode
    step: str | None = None
    level: str | None = None
    limit: int = 500
    after: str | None = None  # the cursor of the previous page's last alert


def alert_cursor(row: SlaDeadlineRecord) -> str:
    """Where the page after this alert starts (due|order|step|run)."""
    return f"{row.due.isoformat()}|{row.order_id}|{row.step}|{row.run}"


def read_cursor(raw: str) -> stored_board.Cursor:
    try:
        due, order_id, step, run = raw.split("|")
        found = (datetime.fromisoformat(due), int(order_id), Step(step).value, int(run))
    except ValueError:
        found = None
    if found is None or found[0].utcoffset() is None:
        raise Invalid(f"'{raw[:60]}' 不是翻页位置 (not a page cursor: pass the last alert's "
                      f"cursor)", loc=("query", "after"))
    return found


def read_level(raw: str, loc: tuple[str, ...]) -> Level:
    found = LEVEL_NAMES.get(raw) or next((lv for lv in Level if lv.value == raw), None)
    if found is None:
        raise Invalid(f"'{raw}' 不是告警级别 (not an alert level; use notice|warning|severe "
                      f"or 预警|警告|严重)", loc=loc)
    return found


def read_step(raw: str, loc: tuple[str, ...]) -> Step:
    try:
        return Step(raw)
    except ValueError:
        raise Invalid(f"'{raw}' 不是环节 (not a step; use {', '.join(Step)})", loc=loc) from None


def region_filter(region: str | None) -> str:
    """The adcode prefix of a `region` query parameter ("default" or a known adcode; '':
    everywhere). Invalid names the field."""
    from core.services.sla.limits import region_scope

    if region is None:
        return ""
    return stored.region_prefix(region_scope(region, ("query", "region")))


def step_filter(raw: str | None) -> Step | None:
    return None if raw is None else read_step(raw, ("query", "step"))


@dataclass(frozen=True)
class OpenAlert:
    row: SlaDeadlineRecord
    order_no: str
    county_name: str
    left: timedelta  # now to the deadline; negative: over


def handle_open_alerts(f: AlertFilter, session: Session, now: datetime) -> list[OpenAlert]:
    """Open warnings and breaches (recorded, step still running), the highest level per run
    (chosen in SQL), soonest deadline first, a page after `f.after`."""
    prefix, step = region_filter(f.region), step_filter(f.step)
    level = read_level(f.level, ("query", "level")) if f.level is not None else None
    after = read_cursor(f.after) if f.after is not None else None
    rows = stored_board.alert_page(session, prefix, step, level, after, f.limit)
    Ord = OrderRecord
    orders = {oid: (number, county) for oid, number, county in session.execute(
        select(Ord.id, Ord.order_no, Ord.county_name)
        .where(Ord.id.in_({r.order_id for r in rows})))} if rows else {}
    book = LimitBook(session)
    return [OpenAlert(r, *orders.get(r.order_id, ("", "")), left_at(r, now, book))
            for r in rows]


def handle_order_deadlines(order_id: int, session: Session,
                           now: datetime) -> list[tuple[SlaDeadlineRecord, timedelta]]:
    """One order's alert rows (running steps first) with the time left now. NotFound 404."""
    if session.get(OrderRecord, order_id) is None:
        raise NotFound(f"没有工单 {order_id} (no order {order_id})")
    book = LimitBook(session)
    return [(r, left_at(r, now, book)) for r in stored.order_deadlines(session, order_id)]
