"""A large, realistic orders table, generated as plain rows and bulk-loaded (not via the ORM).

Orders arrive over the last `days` days (more in daytime hours), in the demo cities' counties
(demand thinning out from downtown), on the demo platforms with their weights. An order's state
follows its age: today's are mostly waiting for dispatch or a visit, last week's are in review or
settlement, older ones are closed (a few cancelled or frozen), so about 15 % are open.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from faker.providers.person.zh_CN import Provider as NamesZh
from sqlalchemy import Engine, insert, select, text

from core.demo.catalogue import DEMO_CITIES, PLATFORM_WEIGHTS, PRODUCTS, SERVICE_WEIGHTS
from core.geo.distance import haversine_km
from core.geo.regions import load_regions
from core.orders.lifecycle import OrderState
from core.storage.db import is_postgres
from core.storage.orders.numbers import BUSINESS_TZ
from core.storage.tables import OrderNumberCounter, OrderRecord, TechnicianRecord

S = OrderState
RANK = {state: n for n, state in enumerate(OrderState)}
# (age in days below which the row applies, state weights); the last row covers everything older.
STATE_BY_AGE: tuple[tuple[float, dict[OrderState, int]], ...] = (
    (0.5, {S.NEW: 15, S.AUDITED: 10, S.PLACED: 8, S.CLASSIFIED: 10, S.DISPATCHING: 22,
           S.ASSIGNED: 15, S.ACCEPTED: 10, S.APPOINTED: 7, S.FROZEN: 1, S.CANCELLED: 2}),
    (3.0, {S.DISPATCHING: 4, S.ASSIGNED: 6, S.ACCEPTED: 8, S.APPOINTED: 25, S.CHECKED_IN: 8,
           S.SERVED: 20, S.VERIFIED: 15, S.IN_REVIEW: 8, S.FROZEN: 2, S.CANCELLED: 4}),
    (14.0, {S.APPOINTED: 3, S.SERVED: 5, S.VERIFIED: 10, S.IN_REVIEW: 15, S.SETTLEABLE: 20,
            S.SETTLED: 20, S.CLOSED: 20, S.FROZEN: 2, S.CANCELLED: 5}),
    (float("inf"), {S.CLOSED: 88, S.CANCELLED: 6, S.SETTLED: 3, S.SETTLEABLE: 1, S.FROZEN: 1,
                    S.IN_REVIEW: 1}),
)
WITH_TECHNICIAN = frozenset(s for s in OrderState if RANK[S.ASSIGNED] <= RANK[s] <= RANK[S.CLOSED])
HOUR_WEIGHTS = (1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 12, 10, 11, 13, 13, 12, 11, 10, 9, 7, 5, 3, 2)
COLUMNS = tuple(c.name for c in OrderRecord.__table__.columns)


@dataclass(frozen=True)
class County:
    adcode: str
    name: str
    city: str
    province: str
    lng: float
    lat: float


def demo_counties() -> tuple[list[County], list[float]]:
    """The demo cities' counties and their share of the orders."""
    regions = load_regions()
    counties: list[County] = []
    weights: list[float] = []
    for city in DEMO_CITIES:
        city_region = regions.get(city.adcode)
        assert city_region is not None and city_region.lng is not None
        assert city_region.lat is not None and city_region.parent is not None
        province = regions.get(city_region.parent)
        assert province is not None
        members = [c for c in regions.counties_of(city.adcode) if c.level == "county"]
        raw = []
        for c in members:
            lng, lat = c.lng or city_region.lng, c.lat or city_region.lat
            counties.append(County(c.adcode, c.name, city_region.name, province.name, lng, lat))
            raw.append(1.0 / (1.0 + haversine_km(city_region.lng, city_region.lat, lng, lat) / 8))
        weights.extend(city.demand * w / sum(raw) for w in raw)
    return counties, weights


class OrderRows:
    """Rows for the orders table, oldest first, ids 1..n in arrival order."""

    def __init__(self, technicians: dict[str, list[int]], seed: int = 11,
                 now: datetime | None = None, days: int = 90) -> None:
        self._rng = random.Random(seed)
        self._now = now or datetime.now(UTC)
        self._days = days
        self._counties, self._county_weights = demo_counties()
        # Technicians work in their own city: key by the city's four-digit adcode prefix.
        self._techs: dict[str, list[int]] = {}
        for county, ids in technicians.items():
            self._techs.setdefault(county[:4], []).extend(ids)
        self._surnames = list(NamesZh.last_names)
        self._surname_weights = list(NamesZh.last_names.values())
        self._given = list(NamesZh.first_names)
        self._day_counters: dict[str, int] = {}

    @property
    def day_counters(self) -> dict[str, int]:
        """The last order-number sequence used per business day (for the counter table)."""
        return dict(self._day_counters)

    def batches(self, n: int, size: int) -> Iterator[list[dict[str, Any]]]:
        rng = self._rng
        span = self._days * 86400.0
        # Arrival times: a random day, an hour by daytime weight, any second within it.
        hours = rng.choices(range(24), weights=HOUR_WEIGHTS, k=n)
        offsets = sorted(
            min(span - 1, rng.randrange(self._days) * 86400.0 + h * 3600 + rng.random() * 3600)
            for h in hours
        )
        start = self._now - timedelta(days=self._days)
        counties = rng.choices(self._counties, weights=self._county_weights, k=n)
        for first in range(0, n, size):
            yield [
                self._row(i + 1, start + timedelta(seconds=offsets[i]), counties[i])
                for i in range(first, min(n, first + size))
            ]

    def _row(self, order_id: int, created: datetime, county: County) -> dict[str, Any]:
        rng = self._rng
        age_days = (self._now - created).total_seconds() / 86400
        table = next(weights for limit, weights in STATE_BY_AGE if age_days < limit)
        state = rng.choices(list(table), weights=list(table.values()))[0]
        frozen_from = None
        if state is S.FROZEN:
            frozen_from = rng.choice([S.DISPATCHING, S.ASSIGNED, S.APPOINTED, S.SERVED])
        work_state = frozen_from or state
        cancelled = state is S.CANCELLED
        version = 1 + (rng.randint(1, 4) if cancelled else RANK[work_state]) + (state is S.FROZEN)
        changed = created + timedelta(
            seconds=rng.random() * min(age_days, 20.0) * 86400 * (0.2 if cancelled else 1.0)
        )
        technician_id = None
        if work_state in WITH_TECHNICIAN:
            technician_id = rng.choice(self._techs.get(county.adcode[:4]) or [None])
        service_type = rng.choices(*zip(*SERVICE_WEIGHTS, strict=True))[0].value
        if rng.random() < 0.03:
            service_type = "after_sales"
        platform = rng.choices(*zip(*PLATFORM_WEIGHTS, strict=True))[0]
        product = rng.choice(PRODUCTS)
        appointment = None
        if RANK[S.APPOINTED] <= RANK[work_state] <= RANK[S.CHECKED_IN]:
            appointment = changed.replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
        day = created.astimezone(BUSINESS_TZ).strftime("%Y%m%d")
        seq = self._day_counters[day] = self._day_counters.get(day, 0) + 1
        surname = rng.choices(self._surnames, weights=self._surname_weights)[0]
        given = rng.choice(self._given) + (rng.choice(self._given) if rng.random() < 0.7 else "")
        building = f"{rng.randint(1, 28)}栋{rng.randint(1, 4)}单元{rng.randint(1, 32)}01室"
        return {
            "id": order_id,
            "order_no": f"LM{day}{seq:06d}",
            "platform": platform,
            # Unique per platform and increasing, so the unique index only ever appends.
            "platform_order_id": f"{platform.upper()}{order_id:012d}",
            "customer_name": surname + given,
            "customer_phone": f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}",
            "address": f"{county.city}{county.name}人民路{rng.randint(1, 999)}号{building}",
            "province": county.province,
            "city": county.city,
            "county_adcode": county.adcode,
            "county_name": county.name,
            "lng": round(county.lng + rng.gauss(0, 0.02), 6),
            "lat": round(county.lat + rng.gauss(0, 0.02), 6),
            "service_type": service_type,
            "skills": [product.skill],
            "state": state.value,
            "frozen_from": frozen_from.value if frozen_from else None,
            "dispatch_mode": (rng.choice(("auto", "grab", "manual"))
                              if RANK[work_state] >= RANK[S.DISPATCHING] and not cancelled
                              else None),
            "technician_id": technician_id,
            "appointment_start": appointment,
            "appointment_end": appointment + timedelta(hours=2) if appointment else None,
            "parent_id": None,
            "version": version,
            "created_at": created,
            "state_changed_at": min(changed, self._now),
        }


@dataclass
class LoadReport:
    orders: int
    generate_s: float
    insert_s: float
    index_s: float
    analyze_s: float


def technicians_by_county(engine: Engine) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    with engine.connect() as conn:
        rows = conn.execute(select(TechnicianRecord.id, TechnicianRecord.county_adcode))
        for tid, county in rows:
            found.setdefault(county, []).append(tid)
    return found


def bulk_load(engine: Engine, n: int, *, seed: int = 11, batch: int = 20_000,
              analyze: bool = True, progress: Callable[[int], None] | None = None) -> LoadReport:
    """Load n orders into an empty orders table: indexes dropped, rows in, indexes rebuilt."""
    rows = OrderRows(technicians_by_county(engine), seed=seed)
    # Every secondary index (the tables' and the migrations' own) is rebuilt once afterwards,
    # which is far cheaper than maintaining it row by row; unique constraints stay.
    indexes = secondary_indexes(engine)
    with engine.begin() as conn:
        for name, _ in indexes:
            conn.execute(text(f'DROP INDEX "{name}"'))
    generate = insert_s = 0.0
    loader = _copy_batch if is_postgres(engine) else _insert_batch
    done = 0
    t0 = time.perf_counter()
    for chunk in rows.batches(n, batch):
        t1 = time.perf_counter()
        generate += t1 - t0
        loader(engine, chunk)
        t0 = time.perf_counter()
        insert_s += t0 - t1
        done += len(chunk)
        if progress is not None:
            progress(done)
    with engine.begin() as conn:
        conn.execute(insert(OrderNumberCounter), [
            {"day": day, "last": last} for day, last in sorted(rows.day_counters.items())
        ])
        if is_postgres(engine):
            # Ids were written explicitly; later inserts must continue after them.
            conn.execute(text("SELECT setval(pg_get_serial_sequence('orders', 'id'), :n)"),
                         {"n": max(n, 1)})
    t1 = time.perf_counter()
    with engine.begin() as conn:
        for _, ddl in indexes:
            conn.execute(text(ddl))
    index_s = time.perf_counter() - t1
    t1 = time.perf_counter()
    if analyze:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return LoadReport(n, generate, insert_s, index_s, time.perf_counter() - t1)


def secondary_indexes(engine: Engine) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the orders table's indexes that back no constraint."""
    with engine.connect() as conn:
        if is_postgres(engine):
            found = conn.execute(text(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = 'orders' "
                "AND i.schemaname = current_schema() AND NOT EXISTS (SELECT 1 FROM "
                "pg_constraint c WHERE c.conname = i.indexname)"))
        else:
            # Indexes behind UNIQUE and PRIMARY KEY constraints have no SQL of their own.
            found = conn.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name = 'orders' AND sql IS NOT NULL"))
        return [(name, ddl) for name, ddl in found]


def _insert_batch(engine: Engine, chunk: list[dict[str, Any]]) -> None:
    # Core executemany: one prepared INSERT, the DB-API loops in C over the parameter sets.
    with engine.begin() as conn:
        conn.execute(insert(OrderRecord), chunk)


def _copy_batch(engine: Engine, chunk: list[dict[str, Any]]) -> None:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        with cursor.copy(f"COPY orders ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in chunk:
                copy.write_row([
                    json.dumps(row[c], ensure_ascii=False) if c == "skills" else row[c]
                    for c in COLUMNS
                ])
        raw.commit()
    finally:
        raw.close()
