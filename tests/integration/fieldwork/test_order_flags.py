"""Flags on orders (core.storage.fieldwork.flags), SQLite and PostgreSQL: stored in the
caller's transaction, listed per order oldest first, gone with a rollback."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Engine

from core.contracts import OrderCreate
from core.fieldwork.flags import Flag, FlagKind
from core.orders.lifecycle import Role
from core.orders.model import Actor
from core.services.orders import build_orders
from core.storage.fieldwork.flags import add_flags, flags_of
from core.storage.uow import UnitOfWork

AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _orders(engine: Engine, make_order: Callable[..., OrderCreate], n: int) -> list[int]:
    with UnitOfWork(engine) as uow:
        orders = build_orders(uow.session, [(make_order(i), AT) for i in range(1, n + 1)],
                              Actor("agent", Role.AGENT))
        for order in orders:
            uow.orders.add(order)
        uow.commit()
    return [o.id for o in orders if o.id is not None]


def test_flags_are_kept_per_order_and_only_when_committed(
        engine: Engine, make_order: Callable[..., OrderCreate]) -> None:
    first, second = _orders(engine, make_order, 2)
    far = Flag(FlagKind.CHECKIN_OUTSIDE, {"distance_m": 2300, "tolerance_m": 500})
    with UnitOfWork(engine) as uow:
        assert add_flags(uow.session, first, 7, [far, Flag(FlagKind.CODE_FAILED)], AT,
                         "tech7") == 2
        uow.commit()
    with UnitOfWork(engine) as uow:  # not committed: nothing kept
        add_flags(uow.session, second, 7, [Flag(FlagKind.CHECKIN_SKIPPED)], AT, "tech7")

    with UnitOfWork(engine) as uow, uow.reads() as session:
        found = flags_of(session, [first, second])
    assert found == {first: [far, Flag(FlagKind.CODE_FAILED)]}
    assert far.text() == "签到位置离地址过远 (checked in too far from the address)"
