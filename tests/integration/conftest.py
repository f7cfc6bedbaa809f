"""Fixtures for storage and HTTP tests: SQLite files, PostgreSQL schemas, a tiny demo world."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import api_world
import pytest
from api_tokens import Login
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, make_url, text

from core.contracts import OrderCreate
from core.contracts.orders import ItemIn
from core.demo.dataset import DemoDataset, DemoServicePoint, DemoTechnician
from core.demo.seed import seed_demo
from core.server.app import create_app
from core.storage.db import make_engine, migrate

# The seeded world, its API and bearer tokens: one set for every API test (api_world.py).
world_dataset, world, api, auth = (api_world.world_dataset, api_world.world, api_world.api,
                                   api_world.auth)

PG_URL = os.environ.get(
    "LASTMILE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def order_create(n: int, **overrides: object) -> OrderCreate:
    fields: dict[str, object] = {
        "platform": "tmall",
        "platform_order_id": f"TM{n:06d}",
        "customer_name": f"customer {n:02d}",
        "customer_phone": f"1380000{n:04d}",
        "address": f"{n} chaoyang road",
        "province": "北京市",
        "city": "北京市",
        "county_adcode": "110105",
        "lng": 116.45,
        "lat": 39.92,
        "service_type": "install",
        "skills": ["aircon"],
        "items": [ItemIn(sku="AC-1", name="aircon 1.5", quantity=1, unit_price_fen=289900)],
    }
    fields.update(overrides)
    return OrderCreate.model_validate(fields)


def tiny_dataset(orders: int = 3) -> DemoDataset:
    return DemoDataset(
        service_points=(
            DemoServicePoint("bj-cy", "Beijing Chaoyang point", "110105"),
            DemoServicePoint("sh-hp", "Shanghai Huangpu point", "310101"),
        ),
        technicians=(
            DemoTechnician("t1", "tech1", "Wang Jian", "13900000001", ("aircon", "general"),
                           "110105", "bj-cy", 116.44, 39.93, 4),
            DemoTechnician("t2", "tech2", "Li Jing", "13900000002", ("general",),
                           "110108", "bj-cy", 116.30, 39.96, 6),
            DemoTechnician("t3", "tech3", "Zhou Min", "13900000003", ("aircon",),
                           "310101", "sh-hp", 121.48, 31.23, 5),
        ),
        orders=[order_create(n) for n in range(1, orders + 1)],
    )


@pytest.fixture
def sqlite_url(tmp_path: os.PathLike[str]) -> str:
    return f"sqlite:///{tmp_path}/lastmile.db"


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """The test database; under pytest-xdist each worker gets a database of its own.

    Advisory locks are per database, not per schema: a test that holds the dispatcher's lock
    (or a round that takes it) would make another worker's round skip.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        yield PG_URL
        return
    url = make_url(PG_URL)
    name = f"{url.database}_{worker}_{uuid.uuid4().hex[:8]}"  # runs side by side stay apart
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _schema_url(database: str, schema: str) -> str:
    url = make_url(database).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def _migrated_schema(database: str) -> str:
    schema = f"lm_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(database)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    eng = make_engine(_schema_url(database, schema))
    migrate(eng)
    eng.dispose()
    return schema


def _drop_schema(database: str, schema: str) -> None:
    admin = create_engine(database)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


class _ReusedSchema:
    """One migrated schema per worker, emptied after each test instead of migrated again
    (migrating costs more than a test). Emptied by DELETE with foreign-key triggers off and
    every sequence restarted, so ids start at 1 again: a test leaves a few rows, and TRUNCATE of
    fifty tables costs ten times more (it makes new files for each). A test that leaves it at
    another revision (a migration test going down) or changes its tables gets a freshly
    migrated one next time."""

    def __init__(self, database: str) -> None:
        self.database = database
        self.schema = _migrated_schema(database)
        self.head, self.tables, self.sequences = self._shape()

    def _shape(self) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
        admin = create_engine(self.database)
        with admin.connect() as conn:
            head = conn.scalar(text(f'SELECT version_num FROM "{self.schema}".alembic_version'))
            tables = tuple(sorted(conn.scalars(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": self.schema})))
            sequences = tuple(sorted(conn.scalars(text(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = :s"),
                {"s": self.schema})))
        admin.dispose()
        return str(head), tables, sequences

    def reset(self) -> None:
        """Empty every table but alembic_version, or start over when the schema changed."""
        try:
            same = self._shape() == (self.head, self.tables, self.sequences)
        except Exception:  # the schema or its version table is gone
            same = False
        if not same:
            _drop_schema(self.database, self.schema)
            self.schema = _migrated_schema(self.database)
            self.head, self.tables, self.sequences = self._shape()
            return
        emptied = [f'DELETE FROM "{self.schema}"."{t}"' for t in self.tables
                   if t != "alembic_version"]
        restarted = [f'ALTER SEQUENCE "{self.schema}"."{s}" RESTART' for s in self.sequences]
        admin = create_engine(self.database)
        with admin.begin() as conn:
            # Every table is emptied, so no row is left to break a foreign key.
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            conn.execute(text("; ".join(emptied + restarted)))
        admin.dispose()


@pytest.fixture(scope="session")
def pg_reused(pg_database: str) -> Iterator[_ReusedSchema]:
    reused = _ReusedSchema(pg_database)
    yield reused
    _drop_schema(pg_database, reused.schema)


@pytest.fixture
def pg_url(pg_database: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A migrated, empty schema on the test server: this worker's reused one (emptied after
    the test), or with the `fresh_schema` mark a new, unmigrated one, dropped afterwards."""
    if request.node.get_closest_marker("fresh_schema") is None:
        reused: _ReusedSchema = request.getfixturevalue("pg_reused")
        try:
            yield _schema_url(pg_database, reused.schema)
        finally:
            reused.reset()
        return
    schema = f"lm_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_database)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _schema_url(pg_database, schema)
    finally:
        _drop_schema(pg_database, schema)
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    url: str = request.getfixturevalue(name)
    return url


@pytest.fixture(scope="session")
def migrated_sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrated once per session; each SQLite test starts from a copy (the same bytes a
    migration would write, without running every migration again)."""
    path = tmp_path_factory.mktemp("migrated") / "empty.db"
    eng = make_engine(f"sqlite:///{path}")
    migrate(eng)
    eng.dispose()  # the last connection to close checkpoints the WAL into the file
    return path


@pytest.fixture
def engine(database_url: str, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A migrated, empty database of each kind."""
    url = make_url(database_url)
    copied = url.get_backend_name() == "sqlite" and url.database
    if copied:
        shutil.copyfile(request.getfixturevalue("migrated_sqlite_file"), str(url.database))
    eng = make_engine(database_url)
    if not copied and request.node.get_closest_marker("fresh_schema") is not None:
        migrate(eng)  # PostgreSQL's reused schema (pg_url) is migrated already
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def seeded_sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrated and seeded once; each API test works on its own copy."""
    path = tmp_path_factory.mktemp("template") / "seeded.db"
    eng = make_engine(f"sqlite:///{path}")
    migrate(eng)
    seed_demo(eng, tiny_dataset(), now=NOW)
    eng.dispose()  # the last connection to close checkpoints the WAL into the file
    return path


@pytest.fixture
def sqlite_engine(seeded_sqlite_file: Path, tmp_path: Path) -> Iterator[Engine]:
    """A seeded SQLite database: 3 new orders, 3 technicians, the demo users."""
    path = tmp_path / "lastmile.db"
    shutil.copyfile(seeded_sqlite_file, path)
    eng = make_engine(f"sqlite:///{path}")
    yield eng
    eng.dispose()


@pytest.fixture
def client(sqlite_engine: Engine) -> Iterator[TestClient]:
    """The API on a seeded SQLite database (3 orders, 3 technicians, demo users)."""
    with TestClient(create_app(sqlite_engine, poll_seconds=0.05)) as c:
        yield c


@pytest.fixture
def make_order() -> Callable[..., OrderCreate]:
    """make_order(n, **overrides) -> a valid OrderCreate numbered n."""
    return order_create


@pytest.fixture
def make_dataset() -> Callable[..., DemoDataset]:
    return tiny_dataset


Act = Callable[..., Any]


@pytest.fixture
def act(client: TestClient, auth: Login) -> Act:
    """act(order_id, action, as_="agent", **fields) -> response, based on the current version.
    A check-in goes where clients send it, POST .../check-in (`position` None unless given),
    and so does a booking, POST .../appointment (start and end, or part and date; a reschedule
    with its reason_code), a completion, POST .../complete (`reason` is the desk's note), a
    cannot-complete, POST .../cannot-complete (`code` and `reason`), and a verification, POST
    .../verification-review (approved, `reason` or a default)."""

    def perform(order_id: int, action: str, as_: str = "agent", **fields: Any) -> Any:
        version = client.get(f"/v1/orders/{order_id}", headers=auth("admin")).json()["version"]
        if action == "check_in":
            body = {"version": version, "position": None, **fields}
            return client.post(f"/v1/orders/{order_id}/check-in", json=body, headers=auth(as_))
        if action == "appoint":
            body = {"version": version, **fields}
            return client.post(f"/v1/orders/{order_id}/appointment", json=body,
                               headers=auth(as_))
        if action == "complete":
            body = {"version": version, "note": fields.get("reason", "")}
            return client.post(f"/v1/orders/{order_id}/complete", json=body, headers=auth(as_))
        if action == "cannot_complete":
            body = {"version": version, "reason_code": fields["code"], "note": fields["reason"]}
            return client.post(f"/v1/orders/{order_id}/cannot-complete", json=body,
                               headers=auth(as_))
        if action == "verify":
            body = {"version": version, "approve": True,
                    "reason": fields.get("reason", "证据已核对")}
            return client.post(f"/v1/orders/{order_id}/verification-review", json=body,
                               headers=auth(as_))
        body = {"action": action, "version": version, **fields}
        return client.post(f"/v1/orders/{order_id}/actions", json=body, headers=auth(as_))

    return perform
