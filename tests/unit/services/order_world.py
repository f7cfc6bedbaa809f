"""A tiny seeded SQLite world for handler tests: 3 new orders in Chaoyang, 3 technicians.

Wang Jian (id 1, aircon + general, Chaoyang), Li Jing (id 2, general only, Haidian),
Zhou Min (id 3, aircon, Shanghai). Handlers are called directly with a real unit of work.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from core.contracts import OrderCreate
from core.contracts.orders import ItemIn
from core.demo.dataset import DemoDataset, DemoServicePoint, DemoTechnician
from core.demo.seed import seed_demo
from core.orders.lifecycle import Role
from core.orders.model import Actor
from core.storage.db import make_engine, migrate

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
WANG, LI, ZHOU = 1, 2, 3
AGENT = Actor("agent", Role.AGENT)
TECH1 = Actor("tech1", Role.TECHNICIAN, technician_id=WANG)


def order_create(n: int, **overrides: object) -> OrderCreate:
    fields: dict[str, object] = {
        "platform": "tmall", "platform_order_id": f"TM{n:06d}",
        "customer_name": f"customer {n:02d}", "customer_phone": f"1380000{n:04d}",
        "address": f"{n} chaoyang road", "province": "北京市", "city": "北京市",
        "county_adcode": "110105", "lng": 116.45, "lat": 39.92, "service_type": "install",
        "skills": ["aircon"],
        "items": [ItemIn(sku="AC-1", name="aircon 1.5", quantity=1, unit_price_fen=289900)],
    }
    fields.update(overrides)
    return OrderCreate.model_validate(fields)


@pytest.fixture(scope="session")
def world_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrated and seeded once; each test works on a copy."""
    path = tmp_path_factory.mktemp("order_world")
    world(path).dispose()  # the last connection to close checkpoints the WAL into the file
    return path / "lastmile.db"


@pytest.fixture
def engine(world_template: Path, tmp_path: Path) -> Iterator[Engine]:
    """The tiny world in a SQLite file of this test's own (import it with world_template)."""
    shutil.copyfile(world_template, tmp_path / "lastmile.db")
    eng = make_engine(f"sqlite:///{tmp_path / 'lastmile.db'}")
    yield eng
    eng.dispose()


def world(path: Path) -> Engine:
    """A migrated SQLite file seeded with the tiny world."""
    engine = make_engine(f"sqlite:///{path / 'lastmile.db'}")
    migrate(engine)
    seed_demo(engine, DemoDataset(
        service_points=(DemoServicePoint("bj-cy", "Beijing Chaoyang point", "110105"),
                        DemoServicePoint("sh-hp", "Shanghai Huangpu point", "310101")),
        technicians=(
            DemoTechnician("t1", "tech1", "Wang Jian", "13900000001", ("aircon", "general"),
                           "110105", "bj-cy", 116.44, 39.93, 4),
            DemoTechnician("t2", "tech2", "Li Jing", "13900000002", ("general",),
                           "110108", "bj-cy", 116.30, 39.96, 6),
            DemoTechnician("t3", "tech3", "Zhou Min", "13900000003", ("aircon",),
                           "310101", "sh-hp", 121.48, 31.23, 5),
        ),
        orders=[order_create(n) for n in (1, 2, 3)],
    ), now=T0)
    return engine
