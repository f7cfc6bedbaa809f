"""The simulator's stand-ins are users of their own: an older demo database gets `sim-agent`."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from core.demo.dataset import DemoDataset
from core.demo.seed import add_missing_intake, seed_demo
from core.storage.tables import UserRecord


def test_an_older_demo_database_gets_the_stand_in_agent_once(
    engine: Engine, make_dataset: Callable[..., DemoDataset]
) -> None:
    dataset = make_dataset(orders=1)
    seed_demo(engine, dataset)
    with Session(engine) as session, session.begin():
        session.execute(delete(UserRecord).where(UserRecord.username == "sim-agent"))

    assert add_missing_intake(engine, dataset) is True
    assert add_missing_intake(engine, dataset) is False

    with Session(engine) as session:
        role = session.scalar(select(UserRecord.role).where(UserRecord.username == "sim-agent"))
    assert role == "agent"
