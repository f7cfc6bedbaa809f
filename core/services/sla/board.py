"""The supervisor board: live counts of open warnings and breaches (the highest level each
running step reached) by city, county, step, service point and technician, and on-time rates
of finished runs per day, region, step, service point or technician over a period. Every count
is aggregated in SQL (core.storage.sla.board, core.storage.sla.outcomes); only the groups come
back, never a row per order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import Invalid
from core.geo.regions import load_regions
from core.services.sla.deadlines import region_filter, step_filter
from core.sla.limit_types import STEP_WORDS, Level, Step
from core.storage.sla import board as stored
from core.storage.sla import outcomes
from core.storage.tables import ServicePointRecord
from core.text import both

MAX_RATE_DAYS = 366
NOBODY = "未派 (unassigned)"
NO_POINT = "无服务网点 (no service point)"


@dataclass
class Tally:
    """Open alerts of one group: runs by their highest level."""

    key: str
    label: str
    counts: dict[Level, int] = field(default_factory=lambda: dict.fromkeys(Level, 0))

    def add(self, level: Level, runs: int) -> None:
        self.counts[level] += runs

    def order(self) -> tuple[int, ...]:
        return tuple(-self.counts[lv] for lv in reversed(Level))


@dataclass(frozen=True)
class Board:
    at: datetime
    total: Tally
    by_city: list[Tally]
    by_county: list[Tally]
    by_step: list[Tally]
    by_service_point: list[Tally]
    by_technician: list[Tally]


@dataclass(frozen=True)
class BoardFilter:
    region: str | None = None  # "default" or a known adcode
    step: str | None = None


def step_label(step: str) -> str:
    zh, en = STEP_WORDS[Step(step)]
    return both(zh, en)


def _county_label(adcode: str) -> str:
    found = load_regions().get(adcode)
    return found.name if found else adcode or "未定位 (not placed)"


def _city(adcode: str) -> tuple[str, str]:
    found = load_regions().city_of(adcode) if adcode else None
    if found is None:
        return adcode[:4], adcode[:4] or "未定位 (not placed)"
    return found.adcode, found.name


def _point_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    P = ServicePointRecord
    return dict(session.execute(select(P.id, P.name).where(P.id.in_(wanted))).all())


def _sorted(groups: dict[str, Tally]) -> list[Tally]:
    return sorted(groups.values(), key=lambda g: (g.order(), g.key))


def handle_board(f: BoardFilter, session: Session, now: datetime) -> Board:
    """The board's counts now (alerts recorded by the scan, steps still running)."""
    counts = stored.alert_counts(session, region_filter(f.region), step_filter(f.step))
    people = stored.technician_points(session, {c.technician_id for c in counts
                                                if c.technician_id is not None})
    points = _point_names(session, (p for _, p in people.values() if p is not None))
    total = Tally("", "合计 (total)")
    groups: dict[str, dict[str, Tally]] = {k: {} for k in
                                           ("city", "county", "step", "point", "tech")}

    def tally(kind: str, key: str, label: str) -> Tally:
        return groups[kind].setdefault(key, Tally(key, label))

    for c in counts:
        name, point = people.get(c.technician_id, (NOBODY, None)) if c.technician_id else (
            NOBODY, None)
        city, city_name = _city(c.county)
        for found in (total, tally("city", city, city_name),
                      tally("county", c.county, _county_label(c.county)),
                      tally("step", c.step, step_label(c.step)),
                      tally("point", str(point or ""), points.get(point or 0, NO_POINT)),
                      tally("tech", str(c.technician_id or ""), name)):
            found.add(c.level, c.runs)
    return Board(now, total, *(_sorted(groups[k]) for k in
                               ("city", "county", "step", "point", "tech")))


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def check(self, most_days: int) -> None:
        if self.end < self.start:
            raise Invalid("结束日期早于开始日期 (the end is before the start)",
                          loc=("query", "end"))
        if self.end - self.start >= timedelta(days=most_days):
            raise Invalid(f"时段最长 {most_days} 天 (a period of at most {most_days} days)",
                          loc=("query", "end"))


@dataclass(frozen=True)
class OnTimeQuery:
    by: str  # day | city | county | step | service_point | technician
    period: Period
    region: str | None = None
    step: str | None = None


@dataclass(frozen=True)
class Rate:
    key: str
    label: str
    finished: int
    on_time: int

    @property
    def rate(self) -> float:
        return self.on_time / self.finished if self.finished else 0.0


RATE_BY = ("day", "city", *outcomes.BY[1:])


def handle_on_time(q: OnTimeQuery, session: Session) -> list[Rate]:
    """On-time rate of the runs that finished in the period, per `by`, by key."""
    if q.by not in RATE_BY:
        raise Invalid(f"'{q.by}' 不是分组 (not a grouping; use {'|'.join(RATE_BY)})",
                      loc=("query", "by"))
    q.period.check(MAX_RATE_DAYS)
    prefix, step = region_filter(q.region), step_filter(q.step)
    by = "county" if q.by == "city" else q.by
    counts = outcomes.on_time_counts(session, by, q.period.start, q.period.end, prefix,
                                     step.value if step else None)
    if q.by == "city":
        cities: dict[str, list[int]] = {}
        names: dict[str, str] = {}
        for county, (n, ok) in counts.items():
            code, names[code] = _city(county)
            found = cities.setdefault(code, [0, 0])
            found[0], found[1] = found[0] + n, found[1] + ok
        return [Rate(k, names[k], n, ok) for k, (n, ok) in sorted(cities.items())]
    labels = _labels(q.by, counts, session)
    return [Rate(k, labels.get(k, k), n, ok) for k, (n, ok) in sorted(counts.items())]


def _labels(by: str, counts: outcomes.Counts, session: Session) -> dict[str, str]:
    if by == "county":
        return {k: _county_label(k) for k in counts}
    if by == "step":
        return {k: step_label(k) for k in counts}
    ids = {int(k) for k in counts if k.isdigit()}
    if by == "service_point":
        return {"": NO_POINT, **{str(k): v for k, v in _point_names(session, ids).items()}}
    if by == "technician":
        people = stored.technician_points(session, ids)
        return {"": NOBODY, **{str(k): v[0] for k, v in people.items()}}
    return {}
