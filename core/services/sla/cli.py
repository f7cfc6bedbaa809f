"""`lastmile calendar show|import` and `lastmile sla due`: the business calendar from a shell.

A composition root of its own, like `lastmile serve`: each command opens the database
(--database-url, else $LASTMILE_DATABASE_URL, else the SQLite file in the user's data
directory), brings its schema up to date, loads the shipped calendar years it lacks, and runs
one handler of core.services.sla.calendar on the wall clock (tests give a clock of their own).

  calendar show YEAR      one JSON line per date; a year not yet published says so on stderr
  calendar import FILE    a year's notice (the shipped JSON format), audited: --reason, --actor
  sla due                 {"due": ISO-TIME}: H working hours after --from over the calendar

Exit 0: done; 2: refused (the reason on stderr, the field named).
"""

from __future__ import annotations

import argparse
import getpass
import io
import json
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.clock import WALL_CLOCK, Clock
from core.errors import LastmileError
from core.sla.calendar import MAX_YEAR, MIN_YEAR, WorkingDay
from core.text import refusal, says_something

if TYPE_CHECKING:
    from sqlalchemy import Engine

# The database, SQLAlchemy and the handlers are imported when a command runs, not when
# `lastmile` builds its parser: `lastmile console` does not pay for them.

MAX_ACTOR = 64  # audit_log.actor
Command = Callable[[argparse.Namespace, "Engine", Clock], int]


def _utf8_streams() -> None:
    """Chinese out whatever the terminal's locale says."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8")


def _line(value: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")


def _refuse(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def _field(exc: LastmileError) -> str:
    where = ".".join(str(p) for p in exc.loc or ())
    return f"{where}: {exc.message}" if where else exc.message


def show_command(args: argparse.Namespace, engine: Engine, clock: Clock) -> int:
    from sqlalchemy.orm import Session

    from core.services.sla.calendar import handle_read_calendar_year, not_published

    with Session(engine) as session:
        read = handle_read_calendar_year(args.year, session)
    if read.record is None:
        print(f"警告 (WARNING): {not_published([args.year])}", file=sys.stderr)
    else:
        print(f"{args.year}: {read.record.source}；版本 {read.record.version} (version "
              f"{read.record.version}), {read.record.imported_by}, "
              f"{read.record.imported_at.isoformat()}", file=sys.stderr)
    for fact in read.days:
        line: dict[str, Any] = {"date": fact.on.isoformat(), "workday": fact.workday,
                                "kind": fact.kind.value}
        if fact.name:
            line["name"] = fact.name
        _line(line)
    return 0


def import_command(args: argparse.Namespace, engine: Engine, clock: Clock) -> int:
    from core.services.sla.calendar import (
        ImportCalendarYear,
        handle_import_calendar_year,
        holiday_count,
        notice_from_bytes,
    )
    from core.storage.uow import UnitOfWork

    try:
        raw = Path(args.file).read_bytes()
    except OSError as exc:
        return _refuse(f"无法读取文件 (cannot read) {args.file}: {exc.strerror or exc}")
    try:
        notice = notice_from_bytes(raw)
        done = handle_import_calendar_year(
            ImportCalendarYear(notice, args.seen_version, args.reason, args.actor or _login()),
            UnitOfWork(engine, clock=clock))
    except LastmileError as exc:
        return _refuse(f"{args.file}: {_field(exc)}")
    holidays, workdays = holiday_count(notice)
    _line({"year": notice.year, "version": done.record.version, "changed": done.changed,
           "holidays": holidays, "adjusted_workdays": workdays})
    return 0


def due_command(args: argparse.Namespace, engine: Engine, clock: Clock) -> int:
    from sqlalchemy.orm import Session

    from core.services.sla.calendar import handle_business_due, not_published

    try:
        with Session(engine) as session:
            answer = handle_business_due(args.start, args.hours, session, args.day)
    except LastmileError as exc:
        return _refuse(_field(exc))
    if answer.unpublished_years:
        print(f"警告 (WARNING): {not_published(answer.unpublished_years)}", file=sys.stderr)
    _line({"due": answer.due.isoformat()})
    return 0


def _login() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):  # no login name in this environment
        return "cli"


def _actor(text: str) -> str:
    name = text.strip()
    if not says_something(name) or refusal(name) is not None or len(name) > MAX_ACTOR:
        raise argparse.ArgumentTypeError(f"须是 1 至 {MAX_ACTOR} 个可见字符 (1 to {MAX_ACTOR} "
                                          f"visible characters on one line): {text!r}")
    return name


def _year(text: str) -> int:
    if not text.isdigit() or not MIN_YEAR <= int(text) <= MAX_YEAR:
        raise argparse.ArgumentTypeError(f"年份须在 {MIN_YEAR} 至 {MAX_YEAR} 之间 (a year "
                                          f"within {MIN_YEAR}-{MAX_YEAR}): {text!r}")
    return int(text)


def _instant(text: str) -> datetime:
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是 ISO 时间 (not an ISO time): {text!r}") from None
    if at.tzinfo is None:
        raise argparse.ArgumentTypeError(f"须带时区，如 2026-02-13T17:59:59+08:00 (must carry "
                                          f"a time zone): {text!r}")
    return at


def _hours(text: str) -> timedelta:
    try:
        hours = Decimal(text)
    except InvalidOperation:
        hours = Decimal("NaN")
    if not hours.is_finite() or hours < 0:
        raise argparse.ArgumentTypeError(f"须是不小于 0 的小时数 (hours, 0 or more): {text!r}")
    seconds = hours * 3600
    if seconds != seconds.to_integral_value():
        raise argparse.ArgumentTypeError(f"须是整秒 (a whole number of seconds): {text} h "
                                          f"= {seconds} s")
    return timedelta(seconds=int(seconds))


def _working_day(text: str) -> WorkingDay:
    try:
        return WorkingDay.parse(text)
    except LastmileError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _database_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--database-url", default=None,
                   help="SQLAlchemy URL; default: $LASTMILE_DATABASE_URL, else the SQLite file "
                        "in the user's data directory (migrated, shipped years loaded)")


def add_commands(sub: Any) -> None:
    """Adds `calendar` (show, import) and `sla` (due) to the `lastmile` command."""
    cal = sub.add_parser(
        "calendar", help="the business calendar: China's holidays and adjusted working days",
        description="China's public holidays and adjusted working days (调休), as published "
                    "each year by the State Council and kept in the database (2025 and 2026 "
                    "ship with Lastmile). A year without its notice counts as ordinary days "
                    "(Mon-Fri work, Sat-Sun rest) and is reported as not yet published.")
    cal_sub = cal.add_subparsers(dest="calendar_command", required=True, metavar="COMMAND")
    show = cal_sub.add_parser(
        "show", help="print every date of a year as JSON lines",
        description='Print one JSON line per date of YEAR: {"date", "workday": true|false, '
                    '"kind": holiday|adjusted_workday|workday|rest, "name"} with "name" for '
                    "holidays and adjusted working days. Where the year comes from (notice, "
                    "version, who imported it, when) goes to stderr; a year not yet published "
                    "is said loudly on stderr, and its ordinary days are still printed.")
    show.add_argument("year", metavar="YEAR", type=_year, help="e.g. 2026")
    _database_option(show)
    show.set_defaults(func=_run(show_command))

    imp = cal_sub.add_parser(
        "import", help="load a year's notice (e.g. next year's) from a JSON file",
        description="Load a year's State Council notice from FILE, in the format of "
                    'resources/calendar/cn-2026.json: {"year", "source", "issued", "days": '
                    '[{"date": "YYYY-MM-DD", "kind": "holiday"|"workday", "name"}]} — every '
                    "day of each holiday's run, and each weekend day worked (调休上班) named "
                    "after its holiday. A held year is replaced in one transaction, from the "
                    "version shown by `calendar show` (--seen-version). Audited: who, when, why, "
                    "before and after. Refused, with the field named: a date twice, a date of "
                    "another year, an unknown kind, a weekday made a working day. Prints "
                    '{"year", "version", "changed", "holidays", "adjusted_workdays"}.')
    imp.add_argument("file", metavar="FILE", help="the notice as JSON")
    imp.add_argument("--reason", required=True, help="why (kept in the audit log)")
    imp.add_argument("--actor", default=None, type=_actor,
                     help="who imports it, for the audit log (default: your login name)")
    imp.add_argument("--seen-version", type=int, default=0, metavar="N",
                     help="the held year's version being replaced (0, the default: the year "
                          "is new); a different current version is refused")
    _database_option(imp)
    imp.set_defaults(func=_run(import_command))

    sla = sub.add_parser("sla", help="service time limits",
                         description="Check service deadlines from a shell.")
    sla_sub = sla.add_subparsers(dest="sla_command", required=True, metavar="COMMAND")
    due = sla_sub.add_parser(
        "due", help="the deadline H working hours after a time",
        description='Print {"due": ISO-TIME}: the instant H working hours after --from, '
                    "counting only working hours (--day) of working days on the business "
                    "calendar (holidays off, adjusted weekend days on), exact to the second, "
                    "in --from's time zone. A start outside working hours counts from the next "
                    "working start; time used up exactly at the end of a day is due then. A "
                    "year not yet published counts as ordinary days and is said on stderr.")
    due.add_argument("--from", dest="start", required=True, type=_instant, metavar="ISO-TIME",
                     help="the start, with its zone, e.g. 2026-02-13T17:59:59+08:00")
    due.add_argument("--business-hours", dest="hours", required=True, type=_hours,
                     metavar="H", help="working hours, e.g. 24 or 1.5 (whole seconds)")
    due.add_argument("--day", type=_working_day, default=WorkingDay(), metavar="HH:MM-HH:MM",
                     help="working hours of a day, Beijing time (default 09:00-18:00)")
    _database_option(due)
    due.set_defaults(func=_run(due_command))


def _run(command: Command) -> Callable[..., int]:
    def run(args: argparse.Namespace, clock: Clock = WALL_CLOCK) -> int:
        from core.services.sla.calendar import seed_shipped_years
        from core.storage.db import database_url, make_engine, migrate

        _utf8_streams()
        engine = make_engine(args.database_url or database_url())
        try:
            migrate(engine)
            seed_shipped_years(engine, clock)
            return command(args, engine, clock)
        finally:
            engine.dispose()

    return run


def main(argv: Sequence[str] | None = None, clock: Clock = WALL_CLOCK) -> int:
    """`calendar` and `sla` on their own: argv as after `lastmile` (e.g. ["calendar", "show",
    "2026"]); `python -m core.services.sla.cli calendar show 2026`."""
    parser = argparse.ArgumentParser(prog="lastmile")
    add_commands(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    result: int = args.func(args, clock)
    return result


if __name__ == "__main__":
    sys.exit(main())
